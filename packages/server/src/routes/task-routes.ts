// The ledger: tasks with their computed lights, one task in full, the office's edits (with the
// version the editor saw: a stale one is 409) and a task's audit trail. A reporter sees only
// their unit's tasks; another unit's task is 404, exactly as a task that does not exist.
import type { FastifyInstance } from "fastify";
import type { Light } from "@taizhang/core";
import {
  MAX_LEDGER_LIMIT,
  TASK_STATUSES,
  StoreError,
  getPlanSource,
  getTask,
  getUnit,
  listReports,
  listTaskAudit,
  listTasks,
  updateTask,
  type LedgerQuery,
  type LedgerRow,
  type TaskChanges,
  type TaskDetail,
  type TaskStatus,
  type User,
} from "@taizhang/store";
import { ADMIN_ONLY, ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext, type Db } from "../context.js";
import { apiError, notFound } from "../errors.js";
import { DATE, ID, LIGHTS, auditRecordSchema, idParams, taskDetailSchema, taskListSchema, taskRowSchema, type IdParams } from "../schemas.js";
import { latenessFor, lightFor, periodsFor } from "../task-lights.js";
import { canSeeTask, scopeUnit } from "../visibility.js";
import { loadTaskFacts, type TaskFacts } from "../workflow-state.js";

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 500;
const MAX_TITLE_LENGTH = 1000;
/** The audit trail of one task is short; this caps a pathological one. */
const MAX_AUDIT_ROWS = 2000;

interface TaskListQuery {
  plan?: number;
  unit?: number;
  status?: TaskStatus;
  light?: Light;
  limit?: number;
  offset?: number;
}

interface TaskPatchBody {
  version: number;
  title?: string;
  dueDate?: string | null;
  leadUnitId?: number | null;
}

export function registerTaskRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get<{ Querystring: TaskListQuery }>(
    "/api/tasks",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "任务台账(可按计划、单位、状态、灯色筛选,分页)",
        description: "报送员只看到本单位牵头或参与的任务。",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            plan: ID,
            unit: ID,
            status: { type: "string", enum: TASK_STATUSES },
            light: { type: "string", enum: LIGHTS },
            limit: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
            offset: { type: "integer", minimum: 0, maximum: 1_000_000, default: 0 },
          },
        },
        response: { 200: taskListSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const query = request.query;
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const offset = query.offset ?? 0;
      const scope = scopeUnit(user);
      // A reporter asking for another unit's tasks gets none, not an error that confirms the unit.
      if (scope !== undefined && query.unit !== undefined && query.unit !== scope) return { items: [], limit, offset, hasMore: false };
      const base: LedgerQuery = {
        organisationId: user.organisationId,
        ...(query.plan !== undefined && { planId: query.plan }),
        ...((scope ?? query.unit) !== undefined && { unitId: scope ?? query.unit }),
        ...(query.status !== undefined && { status: query.status }),
      };
      const now = context.now();
      if (query.light === undefined) {
        const rows = await listTasks(db, { ...base, limit: limit + 1, offset });
        const page = rows.slice(0, limit);
        const facts = await loadTaskFacts(db, user.organisationId, page.map((row) => row.id));
        return { items: page.map((row) => withLight(row, facts.get(row.id), now)), limit, offset, hasMore: rows.length > limit };
      }
      // Lights are computed, not stored: filter by light by walking the ledger in store pages.
      const wanted = query.light;
      const matched: (LedgerRow & { light: ReturnType<typeof lightFor> })[] = [];
      for (let from = 0; matched.length <= offset + limit; from += MAX_LEDGER_LIMIT) {
        const rows = await listTasks(db, { ...base, limit: MAX_LEDGER_LIMIT, offset: from });
        const facts = await loadTaskFacts(db, user.organisationId, rows.map((row) => row.id));
        for (const row of rows) {
          const withIt = withLight(row, facts.get(row.id), now);
          if (withIt.light.light === wanted) matched.push(withIt);
        }
        if (rows.length < MAX_LEDGER_LIMIT) break;
      }
      return { items: matched.slice(offset, offset + limit), limit, offset, hasMore: matched.length > offset + limit };
    },
  );

  function withLight<T extends LedgerRow>(row: T, facts: TaskFacts | undefined, now: Date): T & { light: ReturnType<typeof lightFor> } {
    // Facts are loaded for every row listed; a row without them was archived in between.
    const light = facts ? lightFor(facts, now, context.lightSettings) : { light: "grey" as const, reasons: [] };
    return { ...row, light };
  }

  app.get<{ Params: IdParams }>(
    "/api/tasks/:id",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "任务详情:单位、时间节点、指标、报送、灯色、迟报历史",
        params: idParams,
        response: { 200: taskDetailSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const task = await visibleTask(db, user, request.params.id);
      const now = context.now();
      const facts = (await loadTaskFacts(db, user.organisationId, [task.id])).get(task.id);
      if (!facts) throw notFound("TASK_NOT_FOUND");
      const source = await getPlanSource(db, { organisationId: user.organisationId, versionId: task.planVersionId });
      const { state } = facts;
      return {
        ...withLight(task, facts, now),
        quote: source?.slice(task.start, task.end) ?? "",
        reports: await listReports(db, { organisationId: user.organisationId, taskId: task.id }),
        extensions: state.extensions,
        cadence: state.cadence === null ? null : { kind: state.cadence.kind, ...(state.cadence.kind === "custom" && { dates: state.cadence.dates }) },
        periods: periodsFor(facts, now, context.lightSettings),
        lateness: latenessFor(facts, now, context.lightSettings),
      };
    },
  );

  app.patch<{ Params: IdParams; Body: TaskPatchBody }>(
    "/api/tasks/:id",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.tasks],
        summary: "修改任务(督查室):标题、办理期限、牵头单位",
        description: "必须带上读取时的 version;任务已被他人修改时返回 409 TASK_VERSION_CONFLICT。状态只能经督办流程(actions)改变。",
        params: idParams,
        body: {
          type: "object",
          required: ["version"],
          additionalProperties: false,
          properties: {
            version: { type: "integer", minimum: 1 },
            title: { type: "string", minLength: 1, maxLength: MAX_TITLE_LENGTH, pattern: "\\S" },
            dueDate: { ...DATE, type: ["string", "null"] },
            leadUnitId: { ...ID, type: ["integer", "null"] },
          },
        },
        response: { 200: taskRowSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const { version, ...fields } = request.body;
      if (Object.keys(fields).length === 0) throw apiError("VALIDATION_FAILED", { message: "请至少修改一项:标题、办理期限或牵头单位。" });
      if (fields.leadUnitId != null && !(await getUnit(db, { organisationId: user.organisationId, unitId: fields.leadUnitId }))) {
        throw new StoreError("UNIT_NOT_FOUND");
      }
      const changes: TaskChanges = {
        ...(fields.title !== undefined && { title: fields.title.trim() }),
        ...(fields.dueDate !== undefined && { dueDate: fields.dueDate }),
        ...(fields.leadUnitId !== undefined && { leadUnitId: fields.leadUnitId }),
      };
      const row = await updateTask(db, { organisationId: user.organisationId, taskId: request.params.id, version, changes, actorId: user.id, action: "task.edit" });
      const facts = await loadTaskFacts(db, user.organisationId, [row.id]);
      return withLight(row, facts.get(row.id), context.now());
    },
  );

  app.get<{ Params: IdParams }>(
    "/api/tasks/:id/audit",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "任务的操作记录(任务和它的报送,按时间先后)",
        params: idParams,
        response: { 200: { type: "array", items: auditRecordSchema } },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const task = await visibleTask(db, user, request.params.id);
      return listTaskAudit(db, { organisationId: user.organisationId, taskId: task.id, limit: MAX_AUDIT_ROWS });
    },
  );
}

/** The task if the user may see it; 404 otherwise, whether it exists or not. */
export async function visibleTask(db: Db, user: User, taskId: number): Promise<TaskDetail> {
  const task = await getTask(db, { organisationId: user.organisationId, taskId });
  if (!task || !canSeeTask(user, task)) throw notFound("TASK_NOT_FOUND");
  return task;
}
