// The bridge between the store's rows and core's workflow: builds the TaskState that
// `transition` and the lights read, and writes a transition's result back, all inside the
// caller's transaction.
//
// Where each fact lives: status, version, due date and lead unit on the task row; co-units in
// task_units; pending reports in reports (review_state 待审核; a report with status 已完成 is the
// completion report, core's `final`); extension requests in extension_requests; the cadence in
// cadences (the task's own, else its plan's). The instants of dispatch, signing, closing and
// stopping (and the stop reason) have no column in the schema of 0001: they are read back from
// the workflow events this module appends to the audit log, each stamped with the app's clock.
import type { Action, ActionType, Cadence, ExtensionRequest, PendingReport, ReportFact, TaskEvent, TaskState, TransitionResult } from "@taizhang/core";
import { updateTask, writeAudit, type DatabaseHandle, type JsonValue, type ReportStatus, type TaskChanges } from "@taizhang/store";

type Db = DatabaseHandle["db"];

/** A report with this status is the completion report (申请销号). */
export const FINAL_REPORT_STATUS: ReportStatus = "已完成";

/** Workflow events whose instant the task's state keeps. */
const FACT_EVENTS = ["task.dispatched", "task.signed", "task.closed", "task.stopped"] as const;
type FactEvent = (typeof FACT_EVENTS)[number];

export interface TaskFacts {
  /** The task as core's rules see it (ids as strings). */
  state: TaskState;
  /** Every report of the task, for the lights. */
  reports: ReportFact[];
  planId: number;
}

/** The workflow state of each of `taskIds` that belongs to the organisation (others are left out). */
export async function loadTaskFacts(db: Db, organisationId: number, taskIds: readonly number[]): Promise<Map<number, TaskFacts>> {
  const facts = new Map<number, TaskFacts>();
  if (taskIds.length === 0) return facts;
  const ids = [...new Set(taskIds)];
  const tasks = await db
    .selectFrom("tasks")
    .select(["id", "plan_id", "status", "version", "lead_unit_id", "due_date"])
    .where("organisation_id", "=", organisationId)
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  if (tasks.length === 0) return facts;
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
  const events = await db
    .selectFrom("audit_log")
    .select(["entity_id", "action", "after"])
    .where("entity", "=", "tasks")
    .where("entity_id", "in", found)
    .where("action", "in", [...FACT_EVENTS])
    .orderBy("id")
    .execute();

  for (const task of tasks) {
    const own = <T extends { task_id: number | null }>(rows: readonly T[]): T[] => rows.filter((row) => row.task_id === task.id);
    const lead = task.lead_unit_id === null ? null : String(task.lead_unit_id);
    const coUnitIds = [...new Set(own(units).map((row) => String(row.unit_id)))].filter((unit) => unit !== lead);
    const taskReports = own(reports);
    const pendingReports: PendingReport[] = taskReports
      .filter((report) => report.review_state === "待审核")
      .map((report) => ({ period: report.period, final: report.status === FINAL_REPORT_STATUS, submittedAt: report.submitted_at }));
    const taskExtensions: ExtensionRequest[] = own(extensions).map((row) => ({
      requestedAt: row.created_at,
      requestedDate: row.requested_date,
      // The workflow refuses a request on a task without a due date, so this is never null;
      // the column allows it only because 0001 made it nullable.
      previousDueDate: row.current_due_date ?? row.requested_date,
      reason: row.reason,
      state: row.state,
      decidedAt: row.decided_at,
      decisionNote: row.decision_note,
    }));
    const cadenceRow = cadences.find((row) => row.task_id === task.id) ?? cadences.find((row) => row.task_id === null && row.plan_id === task.plan_id);
    const instants = factInstants(events.filter((event) => event.entity_id === task.id));
    const state: TaskState = {
      id: String(task.id),
      status: task.status,
      version: task.version,
      leadUnitId: lead,
      coUnitIds,
      dueDate: task.due_date,
      cadence: cadenceRow ? toCadence(cadenceRow) : null,
      dispatchedAt: instants.get("task.dispatched")?.at ?? null,
      signedAt: instants.get("task.signed")?.at ?? null,
      closedAt: instants.get("task.closed")?.at ?? null,
      stoppedAt: instants.get("task.stopped")?.at ?? null,
      stopReason: instants.get("task.stopped")?.reason ?? null,
      pendingReports,
      extensions: taskExtensions,
    };
    const reportFacts: ReportFact[] = taskReports.map((report) => ({
      period: report.period,
      submittedAt: report.submitted_at,
      percent: report.percent,
      final: report.status === FINAL_REPORT_STATUS,
      reviewState: report.review_state,
      reviewedAt: report.reviewed_at,
    }));
    facts.set(task.id, { state, reports: reportFacts, planId: task.plan_id });
  }
  return facts;
}

function toCadence(row: { kind: Cadence["kind"]; custom_dates: string[] }): Cadence {
  return row.kind === "custom" ? { kind: "custom", dates: row.custom_dates } : { kind: row.kind };
}

/** The latest instant (and stop reason) of each fact event, from the audit rows written below. */
function factInstants(rows: readonly { action: string; after: JsonValue | null }[]): Map<FactEvent, { at: Date; reason: string | null }> {
  const instants = new Map<FactEvent, { at: Date; reason: string | null }>();
  for (const row of rows) {
    const action = FACT_EVENTS.find((name) => name === row.action);
    const after = row.after;
    if (!action || typeof after !== "object" || after === null || Array.isArray(after)) continue;
    const at = typeof after.at === "string" ? new Date(after.at) : null;
    if (at === null || Number.isNaN(at.getTime())) continue;
    instants.set(action, { at, reason: typeof after.reason === "string" ? after.reason : null });
  }
  return instants;
}

/** Locks the task's row for the rest of the transaction; false when the organisation has no such task. */
export async function lockTask(trx: Db, organisationId: number, taskId: number): Promise<boolean> {
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

export interface PersistInput {
  organisationId: number;
  taskId: number;
  actorId: number;
  action: Action;
  before: TaskState;
  result: Extract<TransitionResult, { ok: true }>;
  now: Date;
}

/**
 * Writes an accepted transition: the reviews and extension decisions its events carry, the
 * task's new status, due date and lead unit (through updateTask, which checks the version again
 * under the row lock and bumps it), and one audit row per event.
 */
export async function persistTransition(trx: Db, input: PersistInput): Promise<void> {
  const { taskId, actorId, now, before } = input;
  const after = input.result.task;
  for (const event of input.result.events) await applyEvent(trx, event, taskId, actorId, now);

  const changes: TaskChanges = {
    ...(after.status !== before.status && { status: after.status }),
    ...(after.dueDate !== before.dueDate && { dueDate: after.dueDate }),
    ...(after.leadUnitId !== before.leadUnitId && { leadUnitId: after.leadUnitId === null ? null : Number(after.leadUnitId) }),
  };
  await updateTask(trx, {
    organisationId: input.organisationId,
    taskId,
    version: before.version,
    changes,
    actorId,
    action: `task.${actionName(input.action.type)}`,
  });
  for (const event of input.result.events) {
    await writeAudit(trx, { organisationId: input.organisationId, actorId, action: event.type, entity: "tasks", entityId: taskId, after: toJson(event) });
  }
}

async function applyEvent(trx: Db, event: TaskEvent, taskId: number, actorId: number, now: Date): Promise<void> {
  switch (event.type) {
    case "report.accepted":
    case "report.returned":
      await trx
        .updateTable("reports")
        .set({
          review_state: event.type === "report.accepted" ? "已通过" : "已退回",
          reviewed_by: actorId,
          reviewed_at: now,
          review_note: event.type === "report.returned" ? event.reason : null,
        })
        .where("task_id", "=", taskId)
        .where("period", "=", event.period)
        .where("review_state", "=", "待审核")
        .execute();
      return;
    case "extension.requested":
      await trx
        .insertInto("extension_requests")
        .values({
          task_id: taskId,
          requested_by: actorId,
          current_due_date: event.previousDueDate,
          requested_date: event.requestedDate,
          reason: event.reason,
          created_at: now,
        })
        .execute();
      return;
    case "extension.approved":
    case "extension.rejected":
    case "extension.withdrawn": {
      const state = event.type === "extension.approved" ? "已批准" : event.type === "extension.rejected" ? "已驳回" : "已撤回";
      const note = event.type === "extension.approved" ? event.note : event.reason;
      await trx
        .updateTable("extension_requests")
        .set({ state, decided_by: actorId, decided_at: now, decision_note: note })
        .where("task_id", "=", taskId)
        .where("state", "=", "待审批")
        .execute();
      return;
    }
    default:
      // Status and dates move through updateTask; the report row of report.submitted is the
      // reports route's to write (it carries the idempotency key).
      return;
  }
}

/** "request_extension" → "request-extension": audit actions read like the rest ("task.update"). */
function actionName(type: ActionType): string {
  return type.replace(/_/g, "-");
}

function toJson(value: unknown): JsonValue {
  // Dates become ISO strings, readonly arrays plain ones: exactly what jsonb will hold.
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
