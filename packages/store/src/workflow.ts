// What the supervision workflow reads and writes. The server turns these records into core's
// TaskState, asks core's `transition`, and hands the outcome back to `applyWorkflow`, which
// writes it in one transaction: the reviews and extension decisions, the task's status, dates,
// lead unit and workflow facts (with the version check and its audit row), and one audit row
// per workflow event.
//
// Where each fact lives: status, version, due date, lead unit and the instants of dispatch,
// signing, closing and stopping (with the stop reason) on the task row (0003); co-units in
// task_units; reports in reports (`final` marks the completion report); extension requests in
// extension_requests; the cadence in cadences (the task's own, else its plan's).
import { sql, type Kysely } from "kysely";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import { StoreError } from "./errors.js";
import { toReport, type Report } from "./reports.js";
import type { CadenceKind, Database, ExtensionState, JsonValue, TaskStatus } from "./schema-types.js";
import { updateTask, type LedgerRow, type TaskChanges } from "./tasks.js";

export interface ExtensionRequestRecord {
  id: number;
  requestedBy: number;
  /** The due date when the request was made (null only on rows the schema of 0001 allowed). */
  currentDueDate: string | null;
  requestedDate: string;
  reason: string;
  state: ExtensionState;
  decidedBy: number | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  createdAt: Date;
}

export interface WorkflowCadence {
  kind: CadenceKind;
  customDates: string[];
}

/** One task as the workflow and the lights read it. */
export interface WorkflowTask {
  id: number;
  planId: number;
  status: TaskStatus;
  version: number;
  leadUnitId: number | null;
  dueDate: string | null;
  dispatchedAt: Date | null;
  signedAt: Date | null;
  closedAt: Date | null;
  stoppedAt: Date | null;
  stopReason: string | null;
  /** Units (matched ones) named on the task, in the order they were named; may include the lead. */
  unitIds: number[];
  /** Every report, by submission time. */
  reports: Report[];
  /** Every extension request, oldest first. */
  extensions: ExtensionRequestRecord[];
  /** The task's own cadence, else its plan's. */
  cadence: WorkflowCadence | null;
}

/** The workflow records of each of `taskIds` that belongs to the organisation (others are left out). */
export async function loadWorkflowTasks(db: Kysely<Database>, organisationId: number, taskIds: readonly number[]): Promise<Map<number, WorkflowTask>> {
  const result = new Map<number, WorkflowTask>();
  if (taskIds.length === 0) return result;
  const ids = [...new Set(taskIds)];
  const tasks = await db
    .selectFrom("tasks")
    .select(["id", "plan_id", "status", "version", "lead_unit_id", "due_date", "dispatched_at", "signed_at", "closed_at", "stopped_at", "stop_reason"])
    .where("organisation_id", "=", organisationId)
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  if (tasks.length === 0) return result;
  const found = tasks.map((task) => task.id);
  const planIds = [...new Set(tasks.map((task) => task.plan_id))];
  // One query after another, not Promise.all: inside a transaction they share one connection.
  const units = await db.selectFrom("task_units").select(["task_id", "unit_id"]).where("task_id", "in", found).where("deleted_at", "is", null).where("unit_id", "is not", null).orderBy("id").execute();
  const reports = await db.selectFrom("reports").selectAll().where("task_id", "in", found).orderBy("submitted_at").orderBy("id").execute();
  const extensions = await db.selectFrom("extension_requests").selectAll().where("task_id", "in", found).orderBy("created_at").orderBy("id").execute();
  const cadences = await db
    .selectFrom("cadences")
    .select(["plan_id", "task_id", "kind", "custom_dates"])
    .where("organisation_id", "=", organisationId)
    .where("deleted_at", "is", null)
    .where((eb) => eb.or([eb("task_id", "in", found), eb("plan_id", "in", planIds)]))
    .execute();

  // Grouped once: a batch of a thousand tasks may bring tens of thousands of reports.
  const unitsOf = groupByTask(units);
  const reportsOf = groupByTask(reports);
  const extensionsOf = groupByTask(extensions);
  for (const task of tasks) {
    const own = <T,>(groups: ReadonlyMap<number, T[]>): T[] => groups.get(task.id) ?? [];
    const cadence = cadences.find((row) => row.task_id === task.id) ?? cadences.find((row) => row.task_id === null && row.plan_id === task.plan_id);
    result.set(task.id, {
      id: task.id,
      planId: task.plan_id,
      status: task.status,
      version: task.version,
      leadUnitId: task.lead_unit_id,
      dueDate: task.due_date,
      dispatchedAt: task.dispatched_at,
      signedAt: task.signed_at,
      closedAt: task.closed_at,
      stoppedAt: task.stopped_at,
      stopReason: task.stop_reason,
      unitIds: own(unitsOf).flatMap((row) => (row.unit_id === null ? [] : [row.unit_id])),
      reports: own(reportsOf).map(toReport),
      extensions: own(extensionsOf).map((row) => ({
        id: row.id,
        requestedBy: row.requested_by,
        currentDueDate: row.current_due_date,
        requestedDate: row.requested_date,
        reason: row.reason,
        state: row.state,
        decidedBy: row.decided_by,
        decidedAt: row.decided_at,
        decisionNote: row.decision_note,
        createdAt: row.created_at,
      })),
      cadence: cadence ? { kind: cadence.kind, customDates: cadence.custom_dates } : null,
    });
  }
  return result;
}

function groupByTask<T extends { task_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.task_id);
    if (group) group.push(row);
    else groups.set(row.task_id, [row]);
  }
  return groups;
}

/** Locks the task's row for the rest of the transaction; false when the organisation has no such task. */
export async function lockTask(trx: Kysely<Database>, organisationId: number, taskId: number): Promise<boolean> {
  const row = await trx
    .selectFrom("tasks")
    .select("id")
    .where("id", "=", taskId)
    .where("organisation_id", "=", organisationId)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** The report a user submitted under an idempotency key, if any (on whichever task). */
export async function findReportByKey(db: Kysely<Database>, query: { submittedBy: number; idempotencyKey: string }): Promise<{ id: number; taskId: number } | undefined> {
  const row = await db
    .selectFrom("reports")
    .select(["id", "task_id"])
    .where("submitted_by", "=", query.submittedBy)
    .where("idempotency_key", "=", query.idempotencyKey)
    .executeTakeFirst();
  return row && { id: row.id, taskId: row.task_id };
}

/** A side effect of a transition on rows other than the task's. */
export type WorkflowEffect =
  /** The pending report of `period` accepted or returned (with the reason as its note). */
  | { type: "review"; period: string; accepted: boolean; note: string | null }
  | { type: "request_extension"; currentDueDate: string | null; requestedDate: string; reason: string }
  /** The open request decided (已批准, 已驳回) or withdrawn (已撤回). */
  | { type: "decide_extension"; state: Exclude<ExtensionState, "待审批">; note: string | null };

export interface ApplyWorkflowInput {
  organisationId: number;
  taskId: number;
  /** The version the transition was decided on; another one now is TASK_VERSION_CONFLICT. */
  version: number;
  actorId: number;
  /** The instant of the transition, by the app's clock: reviews and decisions are stamped with it. */
  at: Date;
  /** The audit action of the task's change ("task.dispatch", "task.close"…). */
  action: string;
  /** Status, due date, lead unit and the workflow's facts; the version is bumped in any case. */
  changes: TaskChanges;
  effects: readonly WorkflowEffect[];
  /** The workflow's events, each written to the trail as its own row (action = `type`, after = `detail`). */
  events: readonly { type: string; detail: JsonValue }[];
}

/** Writes an accepted transition, all of it in one transaction; returns the task's new ledger row. */
export async function applyWorkflow(db: Kysely<Database>, input: ApplyWorkflowInput): Promise<LedgerRow> {
  return inTransaction(db, async (trx) => {
    const { taskId, actorId, at } = input;
    for (const effect of input.effects) {
      switch (effect.type) {
        case "review":
          await trx
            .updateTable("reports")
            .set({ review_state: effect.accepted ? "已通过" : "已退回", reviewed_by: actorId, reviewed_at: at, review_note: effect.note })
            .where("task_id", "=", taskId)
            .where("period", "=", effect.period)
            .where("review_state", "=", "待审核")
            .execute();
          break;
        case "request_extension":
          await trx
            .insertInto("extension_requests")
            .values({ task_id: taskId, requested_by: actorId, current_due_date: effect.currentDueDate, requested_date: effect.requestedDate, reason: effect.reason, created_at: at })
            .execute();
          break;
        case "decide_extension":
          await trx
            .updateTable("extension_requests")
            .set({ state: effect.state, decided_by: actorId, decided_at: at, decision_note: effect.note })
            .where("task_id", "=", taskId)
            .where("state", "=", "待审批")
            .execute();
          break;
      }
    }
    const row = await updateTask(trx, { organisationId: input.organisationId, taskId, version: input.version, changes: input.changes, actorId, action: input.action });
    for (const event of input.events) {
      await writeAudit(trx, { organisationId: input.organisationId, actorId, action: event.type, entity: "tasks", entityId: taskId, after: event.detail });
    }
    return row;
  });
}

export interface ReplaceCoUnitsInput {
  organisationId: number;
  taskId: number;
  /** The units to work with the lead (配合); the lead itself, if listed, is left as it is. */
  unitIds: readonly number[];
  actorId: number | null;
}

/**
 * Makes the task's matched units the lead plus `unitIds`, for a caller holding the task's row
 * lock (a dispatch): rows of other units are marked deleted, units not yet named are added as
 * 配合 set by hand. The lead's row and names that matched no unit (a clerk still has to map
 * them) stay. UNIT_NOT_FOUND, with nothing changed, for a unit the organisation does not have.
 */
export async function replaceCoUnits(trx: Kysely<Database>, input: ReplaceCoUnitsInput): Promise<void> {
  const { taskId } = input;
  const task = await trx.selectFrom("tasks").select("lead_unit_id").where("id", "=", taskId).where("organisation_id", "=", input.organisationId).where("deleted_at", "is", null).executeTakeFirst();
  if (!task) throw new StoreError("TASK_NOT_FOUND");
  const wanted = [...new Set(input.unitIds)].filter((unitId) => unitId !== task.lead_unit_id);
  const units =
    wanted.length === 0
      ? []
      : await trx.selectFrom("units").select(["id", "name"]).where("organisation_id", "=", input.organisationId).where("id", "in", wanted).where("deleted_at", "is", null).execute();
  if (units.length !== wanted.length) throw new StoreError("UNIT_NOT_FOUND");

  const rows = await trx.selectFrom("task_units").select(["id", "unit_id", "name"]).where("task_id", "=", taskId).where("deleted_at", "is", null).orderBy("id").execute();
  const keep = new Set<number>([...wanted, ...(task.lead_unit_id === null ? [] : [task.lead_unit_id])]);
  const named = new Set(rows.flatMap((row) => (row.unit_id === null ? [] : [row.unit_id])));
  const added = units.filter((unit) => !named.has(unit.id));
  const addedNames = new Set(added.map((unit) => unit.name));
  // An unmatched name that is exactly an added unit's name is that unit: the new row replaces it
  // (the live names of a task are unique).
  const dropped = rows.filter((row) => (row.unit_id !== null && !keep.has(row.unit_id)) || (row.unit_id === null && addedNames.has(row.name)));
  if (dropped.length > 0) {
    await trx.updateTable("task_units").set({ deleted_at: sql<Date>`now()` }).where("id", "in", dropped.map((row) => row.id)).execute();
  }
  if (added.length > 0) {
    await trx
      .insertInto("task_units")
      .values(added.map((unit) => ({ task_id: taskId, unit_id: unit.id, name: unit.name, role: "配合" as const, via: "manual" as const })))
      .execute();
  }
  const coUnits = (unitIds: Iterable<number>) => [...unitIds].filter((unitId) => unitId !== task.lead_unit_id);
  await writeAudit(trx, {
    organisationId: input.organisationId,
    actorId: input.actorId,
    action: "task.co-units",
    entity: "tasks",
    entityId: taskId,
    before: { coUnitIds: coUnits(named) },
    after: { coUnitIds: wanted, added: added.map((unit) => unit.id), removed: dropped.flatMap((row) => (row.unit_id === null ? [] : [row.unit_id])) },
  });
}
