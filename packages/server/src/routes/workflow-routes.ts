// The supervision workflow through the API: actions on a task (交办, 签收, 开始办理, 审核, 退回,
// 办结销号, 中止, 延期申请 and its decision) and progress reports. Core's `transition` decides;
// this module loads the task under a row lock, asks it, and writes the result in the same
// transaction, so two clerks acting at once cannot both win.
//
// A report is submitted with an Idempotency-Key header: a retried POST (a lost response, a
// double click) finds the report the first one made and returns it, never a second one. The
// key is looked up after the task's row lock is taken, so even twins sent at the same moment
// see each other.
import type { FastifyInstance } from "fastify";
import { bureauDay, transition, type Action, type Actor, type TaskEvent, type TaskState } from "@taizhang/core";
import {
  REPORT_STATUSES,
  StoreError,
  evidenceLinkProblems,
  findReportByKey,
  getUnit,
  inTransaction,
  lockTask,
  replaceCoUnits,
  replaceTaskCadence,
  submitReport,
  type ReportStatus,
  type User,
} from "@taizhang/store";
import { ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext, type Db } from "../context.js";
import { apiError, fromWorkflowError, notFound } from "../errors.js";
import { DATE, ID, INSTANT, cadenceInputSchema, idParams, reportSchema, taskRowSchema, type CadenceBody, type IdParams } from "../schemas.js";
import { ledgerPage, periodsFor } from "../task-lights.js";
import { FINAL_REPORT_STATUS, loadTaskFacts, persistTransition, type TaskFacts } from "../workflow-state.js";
import { toStoreCadence } from "./cadence-routes.js";
import { visibleTaskId } from "./task-routes.js";

/** Actions taken through POST /actions; submit_report is POST /reports (it carries the report). */
export const API_ACTIONS = [
  "dispatch",
  "sign",
  "start",
  "accept_report",
  "return_report",
  "close",
  "stop",
  "request_extension",
  "approve_extension",
  "reject_extension",
  "withdraw_extension",
] as const;
type ApiAction = (typeof API_ACTIONS)[number];

export const IDEMPOTENCY_HEADER = "idempotency-key";
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const MAX_TEXT_LENGTH = 5000;
const MAX_PERIOD_LENGTH = 40;
const MAX_KPI_VALUES = 200;
/** Units on one task, files cited by one report: far more than any real one has. */
const MAX_CO_UNITS = 200;
const MAX_EVIDENCE_IDS = 100;
const PERCENT_MAX = 100;

interface ActionBody {
  type: ApiAction;
  version: number;
  leadUnitId?: number;
  dueDate?: string;
  /** dispatch: the units working with the lead (配合), replacing those named before. */
  coUnitIds?: number[];
  /** dispatch: the task's own 报送周期 (null: follow the plan's). */
  cadence?: CadenceBody | null;
  period?: string;
  reason?: string;
  note?: string;
}

interface ReportBody {
  period: string;
  periodEnd?: string;
  status: ReportStatus;
  percent: number;
  narrative?: string;
  kpiValues?: { kpiId: number; value: number }[];
  /** Evidence uploaded to the task, not yet cited by another report. */
  evidenceIds?: number[];
  version?: number;
}

const eventSchema = {
  type: "object",
  properties: { type: { type: "string" }, at: INSTANT, from: { type: "string" }, to: { type: "string" }, version: { type: "integer" } },
} as const;

const actionResultSchema = {
  type: "object",
  required: ["task", "events"],
  properties: { task: taskRowSchema, events: { type: "array", items: eventSchema } },
} as const;

const reportResultSchema = {
  type: "object",
  required: ["report", "created", "task"],
  properties: {
    report: reportSchema,
    created: { type: "boolean", description: "false:同一 Idempotency-Key 的重试,返回的是第一次提交的报送" },
    task: taskRowSchema,
  },
} as const;

export function registerWorkflowRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.post<{ Params: IdParams; Body: ActionBody }>(
    "/api/tasks/:id/actions",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.workflow],
        summary: "督办流程操作",
        description: [
          "dispatch 交办(督查室;可带 leadUnitId、dueDate、coUnitIds 配合单位(替换原有的配合单位)、cadence 报送周期)· sign 签收 · start 开始办理(承办单位)",
          "accept_report 审核通过、return_report 退回重办(督查室;period,退回需 reason)· close 办结销号 · stop 中止(reason)",
          "request_extension 延期申请(承办单位;dueDate、reason)· approve_extension / reject_extension(分管领导;驳回需 reason)· withdraw_extension 撤回。",
          "必须带上读取时的 version。不允许的操作返回流程的错误代码(409/400/403)。进展报送请用 POST /api/tasks/{id}/reports。",
        ].join("\n"),
        params: idParams,
        body: {
          type: "object",
          required: ["type", "version"],
          additionalProperties: false,
          properties: {
            type: { type: "string", enum: API_ACTIONS },
            version: { type: "integer", minimum: 1 },
            leadUnitId: ID,
            dueDate: DATE,
            coUnitIds: { type: "array", maxItems: MAX_CO_UNITS, items: ID },
            cadence: cadenceInputSchema,
            period: { type: "string", minLength: 1, maxLength: MAX_PERIOD_LENGTH },
            reason: { type: "string", maxLength: MAX_TEXT_LENGTH },
            note: { type: "string", maxLength: MAX_TEXT_LENGTH },
          },
        },
        response: { 200: actionResultSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const taskId = await visibleTaskId(db, user, request.params.id);
      const body = request.body;
      const action = toAction(body);
      const now = context.now();
      if (action.type !== "dispatch" && (body.coUnitIds !== undefined || body.cadence !== undefined)) {
        throw apiError("VALIDATION_FAILED", { message: "配合单位和报送周期只能在交办时设置。" });
      }
      const events = await inTransaction(db, async (trx) => {
        const facts = await lockedFacts(trx, user, taskId);
        if (action.type === "dispatch" && action.leadUnitId !== undefined && !(await getUnit(trx, { organisationId: user.organisationId, unitId: Number(action.leadUnitId) }))) {
          throw new StoreError("UNIT_NOT_FOUND");
        }
        const happened = await runTransition(trx, { user, taskId, state: facts.state, action, now });
        // In the transition's transaction, after it (the lead is the new one): all or nothing.
        if (body.coUnitIds !== undefined) await replaceCoUnits(trx, { organisationId: user.organisationId, taskId, unitIds: body.coUnitIds, actorId: user.id });
        if (body.cadence !== undefined) await replaceTaskCadence(trx, { organisationId: user.organisationId, taskId, cadence: toStoreCadence(body.cadence), actorId: user.id });
        return happened;
      });
      return { task: await taskRow(db, context, user, taskId), events: events.map(eventSummary) };
    },
  );

  app.post<{ Params: IdParams; Body: ReportBody; Headers: { "idempotency-key": string } }>(
    "/api/tasks/:id/reports",
    {
      config: { access: { roles: ["reporter"] } },
      schema: {
        tags: [TAGS.workflow],
        summary: "进展报送(承办单位)",
        description:
          "Idempotency-Key 请求头必填:同一个键重试返回第一次的报送(200,created=false),不会重复报送。状态“已完成”即完成报告(申请销号)。" +
          "任务有报送周期时 period 须为其周期编号(如 2025-03、2025-Q2),截止日由周期决定;没有周期时可给 periodEnd(默认今天)。",
        params: idParams,
        headers: {
          type: "object",
          required: [IDEMPOTENCY_HEADER],
          properties: { [IDEMPOTENCY_HEADER]: { type: "string", minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH } },
        },
        body: {
          type: "object",
          required: ["period", "status", "percent"],
          additionalProperties: false,
          properties: {
            period: { type: "string", minLength: 1, maxLength: MAX_PERIOD_LENGTH },
            periodEnd: DATE,
            status: { type: "string", enum: REPORT_STATUSES },
            percent: { type: "integer", minimum: 0, maximum: PERCENT_MAX },
            narrative: { type: "string", maxLength: MAX_TEXT_LENGTH },
            kpiValues: {
              type: "array",
              maxItems: MAX_KPI_VALUES,
              items: { type: "object", required: ["kpiId", "value"], additionalProperties: false, properties: { kpiId: ID, value: { type: "number" } } },
            },
            evidenceIds: { type: "array", maxItems: MAX_EVIDENCE_IDS, items: ID, description: "随报送提交的佐证材料(先上传到本任务)" },
            version: { type: "integer", minimum: 1 },
          },
        },
        response: { 200: reportResultSchema, 201: reportResultSchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const taskId = await visibleTaskId(db, user, request.params.id);
      const key = request.headers[IDEMPOTENCY_HEADER];
      const body = request.body;
      const now = context.now();
      const { report, created } = await inTransaction(db, async (trx) => {
        const facts = await lockedFacts(trx, user, taskId);
        const earlier = await findReportByKey(trx, { submittedBy: user.id, idempotencyKey: key });
        if (earlier && earlier.taskId !== taskId) throw apiError("IDEMPOTENCY_KEY_REUSED");
        const input = {
          organisationId: user.organisationId,
          taskId,
          period: body.period.trim(),
          periodEnd: periodEnd(facts, body, now, context),
          status: body.status,
          percent: body.percent,
          narrative: body.narrative ?? "",
          kpiValues: body.kpiValues ?? [],
          submittedBy: user.id,
          idempotencyKey: key,
          // The app's clock, which the lights compare with (and tests fix), not the database's.
          submittedAt: now,
          final: body.status === FINAL_REPORT_STATUS,
          evidenceIds: body.evidenceIds ?? [],
        };
        // A retry: the report stored the first time, and no second transition.
        if (earlier) return submitReport(trx, input);
        const action: Action = { type: "submit_report", period: input.period, final: input.final, expectedVersion: body.version ?? facts.state.version };
        const outcome = transition(facts.state, action, actorOf(user), now);
        if (!outcome.ok) throw fromWorkflowError(outcome.error);
        // Under the task's lock: no other report of the task can cite them before this one does.
        const problems = await evidenceLinkProblems(trx, { taskId, evidenceIds: input.evidenceIds });
        if (problems.notInTask.length > 0) throw apiError("EVIDENCE_NOT_IN_TASK");
        if (problems.linked.length > 0) throw apiError("EVIDENCE_ALREADY_LINKED");
        const stored = await submitReport(trx, input);
        // The same key used at this very moment on another task (whose lock we do not hold).
        if (!stored.created) {
          if (stored.report.taskId !== taskId) throw apiError("IDEMPOTENCY_KEY_REUSED");
          return stored;
        }
        await persistTransition(trx, { organisationId: user.organisationId, taskId, actorId: user.id, action, before: facts.state, result: outcome, now });
        return stored;
      });
      reply.code(created ? 201 : 200);
      return { report, created, task: await taskRow(db, context, user, taskId) };
    },
  );
}

/** The task's state with its row locked for the rest of the transaction. */
async function lockedFacts(trx: Db, user: User, taskId: number): Promise<TaskFacts> {
  if (!(await lockTask(trx, user.organisationId, taskId))) throw notFound("TASK_NOT_FOUND");
  const facts = (await loadTaskFacts(trx, user.organisationId, [taskId])).get(taskId);
  if (!facts) throw notFound("TASK_NOT_FOUND");
  return facts;
}

async function runTransition(trx: Db, input: { user: User; taskId: number; state: TaskState; action: Action; now: Date }): Promise<TaskEvent[]> {
  const { user, taskId, state, action, now } = input;
  const outcome = transition(state, action, actorOf(user), now);
  if (!outcome.ok) throw fromWorkflowError(outcome.error);
  await persistTransition(trx, { organisationId: user.organisationId, taskId, actorId: user.id, action, before: state, result: outcome, now });
  return outcome.events;
}

export function actorOf(user: User): Actor {
  return { role: user.role, unitIds: user.unitId === null ? [] : [String(user.unitId)] };
}

/** The request body as core's Action; a missing text is empty, which the workflow refuses by name. */
function toAction(body: ActionBody): Action {
  const expectedVersion = body.version;
  switch (body.type) {
    case "dispatch":
      return {
        type: "dispatch",
        expectedVersion,
        ...(body.leadUnitId !== undefined && { leadUnitId: String(body.leadUnitId) }),
        ...(body.dueDate !== undefined && { dueDate: body.dueDate }),
        ...(body.coUnitIds !== undefined && { coUnitIds: body.coUnitIds.map(String) }),
      };
    case "sign":
    case "start":
    case "close":
    case "withdraw_extension":
      return { type: body.type, expectedVersion };
    case "approve_extension":
      return { type: "approve_extension", expectedVersion, ...(body.note !== undefined && { note: body.note }) };
    case "accept_report":
      return { type: "accept_report", expectedVersion, period: requireField(body.period, "period") };
    case "return_report":
      return { type: "return_report", expectedVersion, period: requireField(body.period, "period"), reason: body.reason ?? "" };
    case "stop":
      return { type: "stop", expectedVersion, reason: body.reason ?? "" };
    case "request_extension":
      return { type: "request_extension", expectedVersion, dueDate: requireField(body.dueDate, "dueDate"), reason: body.reason ?? "" };
    case "reject_extension":
      return { type: "reject_extension", expectedVersion, reason: body.reason ?? "" };
  }
}

const FIELD_NAMES = { period: "报送周期", dueDate: "办理期限" } as const;

function requireField(value: string | undefined, field: keyof typeof FIELD_NAMES): string {
  if (value === undefined) throw apiError("VALIDATION_FAILED", { message: `缺少必填项“${FIELD_NAMES[field]}”。` });
  return value;
}

/** With a cadence, the period's own end; without, what the reporter gave, else today. */
function periodEnd(facts: TaskFacts, body: ReportBody, now: Date, context: AppContext): string {
  const period = periodsFor(facts, now, context.lightSettings).find((candidate) => candidate.id === body.period.trim());
  return period?.end ?? body.periodEnd ?? bureauDay(now);
}

function eventSummary(event: TaskEvent): { type: string; at: Date; from: string; to: string; version: number } {
  return { type: event.type, at: event.at, from: event.from, to: event.to, version: event.version };
}

/** The task as a ledger row with its light, as the list shows it. */
async function taskRow(db: Db, context: AppContext, user: User, taskId: number) {
  const now = context.now();
  const [row] = await ledgerPage(db, { organisationId: user.organisationId, ids: [taskId] }, { limit: 1 }, now, context.lightSettings);
  if (!row) throw notFound("TASK_NOT_FOUND");
  return row;
}
