// The ledger: tasks with their computed lights, one task in full, the office's edits (with the
// version the editor saw: a stale one is 409) and a task's audit trail. A reporter sees only
// their unit's tasks; another unit's task is 404, exactly as a task that does not exist.
import type { FastifyInstance } from "fastify";
import type { Light } from "@taizhang/core";
import {
  TASK_STATUSES,
  StoreError,
  getPlanSource,
  getTask,
  getTaskAccess,
  getUnit,
  listReportDetails,
  listTaskAudit,
  listTasks,
  updateTask,
  type LedgerRow,
  type TaskChanges,
  type TaskDetail,
  type TaskScope,
  type TaskStatus,
  type User,
} from "@taizhang/store";
import { ADMIN_ONLY, ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext, type Db } from "../context.js";
import { apiError, notFound } from "../errors.js";
import { DATE, ID, LIGHTS, auditRecordSchema, idParams, taskDetailSchema, taskListSchema, taskRowSchema, type IdParams } from "../schemas.js";
import { latenessFor, ledgerPage, lightFor, periodsFor } from "../task-lights.js";
import { canSeeTask, scopeUnit } from "../visibility.js";
import { loadTaskFacts, type TaskFacts } from "../workflow-state.js";

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 500;
const MAX_TITLE_LENGTH = 1000;
/** The audit trail of one task is short; this caps a pathological one. */
const MAX_AUDIT_ROWS = 2000;

/** The ledger's filters, shared by the list and its export. */
export interface LedgerFilters {
  plan?: number;
  section?: string;
  unit?: number;
  lead_unit?: number;
  status?: TaskStatus;
  light?: Light;
  q?: string;
  due_before?: string;
  due_after?: string;
}

interface TaskListQuery extends LedgerFilters {
  limit?: number;
  offset?: number;
}

export const LEDGER_FILTERS = {
  plan: ID,
  section: { type: "string", minLength: 1, maxLength: 200, description: "章节路径(如 2 或 2/3),含其下各级" },
  unit: ID,
  lead_unit: { ...ID, description: "牵头单位(驾驶舱按牵头单位统计)" },
  status: { type: "string", enum: TASK_STATUSES },
  light: { type: "string", enum: LIGHTS },
  q: { type: "string", maxLength: 200, description: "标题中的文字,或任务编号" },
  due_before: { ...DATE, description: "办理期限不晚于" },
  due_after: { ...DATE, description: "办理期限不早于" },
} as const;

/**
 * The tasks the filters ask for, within what the user may see; null when a reporter asks for
 * another unit's tasks (they get none, not an error that confirms the unit).
 */
export function ledgerScope(user: User, filters: LedgerFilters): TaskScope | null {
  const own = scopeUnit(user);
  if (own !== undefined && filters.unit !== undefined && filters.unit !== own) return null;
  const unitId = own ?? filters.unit;
  return {
    organisationId: user.organisationId,
    ...(filters.plan !== undefined && { planId: filters.plan }),
    ...(filters.section !== undefined && { sectionPath: filters.section }),
    ...(unitId !== undefined && { unitId }),
    ...(filters.lead_unit !== undefined && { leadUnitId: filters.lead_unit }),
    ...(filters.status !== undefined && { status: filters.status }),
    ...(filters.q !== undefined && { text: filters.q }),
    ...(filters.due_before !== undefined && { dueBefore: filters.due_before }),
    ...(filters.due_after !== undefined && { dueAfter: filters.due_after }),
  };
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
        summary: "任务台账(可按计划、章节、单位、状态、灯色、期限、文字筛选,分页)",
        description: "报送员只看到本单位牵头或参与的任务。",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            ...LEDGER_FILTERS,
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
      const tasks = ledgerScope(user, query);
      if (tasks === null) return { items: [], limit, offset, hasMore: false };
      const now = context.now();
      // One row more than asked tells whether there is a next page.
      const rows = await ledgerPage(db, tasks, { ...(query.light !== undefined && { light: query.light }), limit: limit + 1, offset }, now, context.lightSettings);
      return { items: rows.slice(0, limit), limit, offset, hasMore: rows.length > limit };
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
        reports: await listReportDetails(db, { organisationId: user.organisationId, taskId: task.id }),
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
      const taskId = await visibleTaskId(db, user, request.params.id);
      return listTaskAudit(db, { organisationId: user.organisationId, taskId, limit: MAX_AUDIT_ROWS });
    },
  );
}

/** The task's id if the user may see it (one light query); 404 otherwise, whether it exists or not. */
export async function visibleTaskId(db: Db, user: User, taskId: number): Promise<number> {
  const task = await getTaskAccess(db, { organisationId: user.organisationId, taskId });
  if (!task || !canSeeTask(user, task)) throw notFound("TASK_NOT_FOUND");
  return task.id;
}

/** The task in full if the user may see it; 404 otherwise, whether it exists or not. */
export async function visibleTask(db: Db, user: User, taskId: number): Promise<TaskDetail> {
  const task = await getTask(db, { organisationId: user.organisationId, taskId });
  if (!task || !canSeeTask(user, task)) throw notFound("TASK_NOT_FOUND");
  return task;
}
