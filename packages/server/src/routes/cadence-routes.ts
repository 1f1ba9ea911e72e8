// 报送周期: how often a task's units report. The office sets a plan's default and, where a task
// differs, the task's own, which wins. Periods and lights are computed from the cadence in force;
// setting one gives every task it applies to a new version (the store does that), so a client
// holding an old version is told to refresh instead of overwriting what it did not see.
import type { FastifyInstance } from "fastify";
import { setPlanCadence, setTaskCadence, type WorkflowCadence } from "@taizhang/store";
import { ADMIN_ONLY, requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { notFound } from "../errors.js";
import { ID, cadenceInputSchema, cadenceSchema, idParams, taskRowSchema, type CadenceBody, type IdParams } from "../schemas.js";
import { lightFor } from "../task-lights.js";
import { loadTaskFacts } from "../workflow-state.js";
import { visibleTaskId } from "./task-routes.js";

interface PlanCadenceBody {
  cadence: CadenceBody | null;
}

interface TaskCadenceBody {
  version: number;
  cadence: CadenceBody | null;
}

/** The request's cadence as the store keeps it. */
export function toStoreCadence(cadence: CadenceBody | null): WorkflowCadence | null {
  if (cadence === null) return null;
  return cadence.kind === "custom" ? { kind: "custom", customDates: cadence.dates } : { kind: cadence.kind, customDates: [] };
}

/** The store's cadence as the API shows it. */
export function toCadenceBody(cadence: WorkflowCadence | null): CadenceBody | null {
  if (cadence === null) return null;
  return cadence.kind === "custom" ? { kind: "custom", dates: cadence.customDates } : { kind: cadence.kind };
}

export function registerCadenceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.put<{ Params: IdParams; Body: PlanCadenceBody }>(
    "/api/plans/:id/cadence",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.plans],
        summary: "设置计划的默认报送周期(督查室)",
        description: "计划内没有自己报送周期的任务都按它报送;cadence 为 null 即取消。计划内每项任务的 version 都会变化。",
        params: idParams,
        body: { type: "object", required: ["cadence"], additionalProperties: false, properties: { cadence: cadenceInputSchema } },
        response: { 200: { type: "object", required: ["planId", "cadence"], properties: { planId: ID, cadence: cadenceSchema } } },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const planId = request.params.id;
      const cadence = await setPlanCadence(db, { organisationId: user.organisationId, planId, cadence: toStoreCadence(request.body.cadence), actorId: user.id });
      return { planId, cadence: toCadenceBody(cadence) };
    },
  );

  app.put<{ Params: IdParams; Body: TaskCadenceBody }>(
    "/api/tasks/:id/cadence",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.tasks],
        summary: "设置任务自己的报送周期(督查室)",
        description: "优先于计划的默认报送周期;cadence 为 null 即改按计划的。必须带上读取时的 version;任务已被他人修改时返回 409 TASK_VERSION_CONFLICT。",
        params: idParams,
        body: {
          type: "object",
          required: ["version", "cadence"],
          additionalProperties: false,
          properties: { version: { type: "integer", minimum: 1 }, cadence: cadenceInputSchema },
        },
        response: { 200: taskRowSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const taskId = await visibleTaskId(db, user, request.params.id);
      const { version, cadence } = request.body;
      const row = await setTaskCadence(db, { organisationId: user.organisationId, taskId, version, cadence: toStoreCadence(cadence), actorId: user.id });
      const facts = (await loadTaskFacts(db, user.organisationId, [row.id])).get(row.id);
      if (!facts) throw notFound("TASK_NOT_FOUND");
      return { ...row, light: lightFor(facts, context.now(), context.lightSettings) };
    },
  );
}
