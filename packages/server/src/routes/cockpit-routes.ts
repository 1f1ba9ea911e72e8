// The leaders' screen (领导驾驶舱) and the office's review queue: read-only views for the office
// and leaders. The cockpit's counts read the remembered lights, refreshed for the scope first, so
// they agree with the ledger's light filter to the task.
import type { FastifyInstance } from "fastify";
import { attainment } from "@taizhang/core";
import { cockpitCounts, reviewQueue, type KpiStanding, type TaskScope } from "@taizhang/store";
import { requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { DATE, ID, INSTANT, extensionQueueItemSchema, lightCountsSchema, reportSchema, reviewTaskSchema, taskRowSchema } from "../schemas.js";
import { ledgerPage, lightKey, refreshLights } from "../task-lights.js";

const OFFICE_AND_LEADERS = ["admin", "leader"] as const;
/** The red list on the screen; the ledger's light filter has the rest. */
const RED_LIST = 100;
/** KPIs on the screen, least attained first. */
const KPI_LIST = 200;

interface CockpitQuery {
  plan?: number;
}

const countsOf = (extra: Record<string, unknown>) => ({ type: "object", properties: { ...extra, ...lightCountsSchema.properties } }) as const;

export function registerCockpitRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get<{ Querystring: CockpitQuery }>(
    "/api/cockpit",
    {
      config: { access: { roles: OFFICE_AND_LEADERS } },
      schema: {
        tags: [TAGS.cockpit],
        summary: "领导驾驶舱:按单位、章节、计划的完成情况和灯色,红灯清单,到期分布,指标达成",
        description: "每一项都可用 GET /api/tasks 的同名筛选条件(plan、unit、section、light、status、due_before/due_after)查到背后的任务。",
        querystring: { type: "object", additionalProperties: false, properties: { plan: ID } },
        response: {
          200: {
            type: "object",
            required: ["asOf", "totals", "byUnit", "bySection", "byPlan", "red", "dueCalendar", "kpis"],
            properties: {
              asOf: INSTANT,
              totals: lightCountsSchema,
              byUnit: { type: "array", items: countsOf({ unitId: { type: ["integer", "null"] }, name: { type: "string" } }) },
              bySection: { type: "array", items: countsOf({ planId: ID, sectionPath: { type: "string" }, sectionTitle: { type: "string" } }) },
              byPlan: {
                type: "array",
                items: countsOf({ planId: ID, title: { type: "string" }, firstDue: { type: ["string", "null"], format: "date" }, lastDue: { type: ["string", "null"], format: "date" } }),
              },
              red: { type: "array", items: taskRowSchema },
              dueCalendar: { type: "array", items: { type: "object", properties: { date: DATE, count: { type: "integer" } } } },
              kpis: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    taskId: ID,
                    taskNumber: { type: "string" },
                    taskTitle: { type: "string" },
                    kpiId: ID,
                    quote: { type: "string" },
                    target: { type: "number" },
                    targetMax: { type: ["number", "null"] },
                    unit: { type: "string" },
                    direction: { type: "string" },
                    latest: { type: ["number", "null"] },
                    attainment: { type: ["number", "null"] },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const now = context.now();
      const scope: TaskScope = { organisationId: user.organisationId, ...(request.query.plan !== undefined && { planId: request.query.plan }) };
      await refreshLights(db, scope.organisationId, now, context.lightSettings);
      const key = lightKey(now, context.lightSettings);
      const counts = await cockpitCounts(db, scope, key);
      const red = await ledgerPage(db, scope, { light: "red", limit: RED_LIST }, now, context.lightSettings);
      return { asOf: now, ...counts, red, kpis: rankKpis(counts.kpis).slice(0, KPI_LIST) };
    },
  );

  app.get(
    "/api/reviews",
    {
      config: { access: { roles: OFFICE_AND_LEADERS } },
      schema: {
        tags: [TAGS.workflow],
        summary: "待办:待审核的报送和待审批的延期申请(最早的在前)",
        description: "审核用 POST /api/tasks/{id}/actions(accept_report / return_report,带 period);延期用 approve_extension / reject_extension。都要带任务的 version。",
        response: {
          200: {
            type: "object",
            required: ["reports", "extensions"],
            properties: {
              reports: { type: "array", items: { type: "object", required: ["report", "task"], properties: { report: reportSchema, task: reviewTaskSchema } } },
              extensions: { type: "array", items: { type: "object", required: ["extension", "task"], properties: { extension: extensionQueueItemSchema, task: reviewTaskSchema } } },
            },
          },
        },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      return reviewQueue(db, user.organisationId);
    },
  );
}

/** Least attained first; KPIs with nothing reported yet after those with a value. */
function rankKpis(kpis: readonly KpiStanding[]) {
  const ranked = kpis.map((kpi) => ({
    taskId: kpi.taskId,
    taskNumber: kpi.taskNumber,
    taskTitle: kpi.taskTitle,
    kpiId: kpi.kpiId,
    quote: kpi.quote,
    target: kpi.value,
    targetMax: kpi.valueMax,
    unit: kpi.unit,
    direction: kpi.direction,
    latest: kpi.latest,
    attainment: attainment({ value: kpi.value, valueMax: kpi.valueMax, direction: kpi.direction }, kpi.latest),
  }));
  return ranked.sort((a, b) => (a.attainment ?? Number.POSITIVE_INFINITY) - (b.attainment ?? Number.POSITIVE_INFINITY));
}
