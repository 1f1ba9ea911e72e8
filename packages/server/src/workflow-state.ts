// The bridge between the store's workflow records and core's workflow: builds the TaskState that
// `transition` and the lights read, and hands a transition's result back to the store, all
// inside the caller's transaction. No SQL here: the store reads and writes the rows.
//
// Every fact has a column (migration 0003): the instants of dispatch, signing, closing and
// stopping and the stop reason on the task, `final` on the report. Instants are the app's clock.
import type { Action, ActionType, ExtensionRequest, PendingReport, ReportFact, TaskEvent, TaskState, TransitionResult } from "@taizhang/core";
import {
  applyWorkflow,
  loadWorkflowTasks,
  type DatabaseHandle,
  type JsonValue,
  type ReportStatus,
  type TaskChanges,
  type WorkflowEffect,
  type WorkflowTask,
} from "@taizhang/store";

type Db = DatabaseHandle["db"];

/** A report with this status is the completion report (申请销号): the route marks it `final`. */
export const FINAL_REPORT_STATUS: ReportStatus = "已完成";

export interface TaskFacts {
  /** The task as core's rules see it (ids as strings). */
  state: TaskState;
  /** Every report of the task, for the lights. */
  reports: ReportFact[];
  planId: number;
}

/** The workflow state of each of `taskIds` that belongs to the organisation (others are left out). */
export async function loadTaskFacts(db: Db, organisationId: number, taskIds: readonly number[]): Promise<Map<number, TaskFacts>> {
  const records = await loadWorkflowTasks(db, organisationId, taskIds);
  const facts = new Map<number, TaskFacts>();
  for (const [id, record] of records) facts.set(id, toFacts(record));
  return facts;
}

function toFacts(task: WorkflowTask): TaskFacts {
  const lead = task.leadUnitId === null ? null : String(task.leadUnitId);
  const coUnitIds = [...new Set(task.unitIds.map(String))].filter((unit) => unit !== lead);
  const pendingReports: PendingReport[] = task.reports
    .filter((report) => report.reviewState === "待审核")
    .map((report) => ({ period: report.period, final: report.final, submittedAt: report.submittedAt }));
  const extensions: ExtensionRequest[] = task.extensions.map((row) => ({
    requestedAt: row.createdAt,
    requestedDate: row.requestedDate,
    // The workflow refuses a request on a task without a due date, so this is never null;
    // the column allows it only because 0001 made it nullable.
    previousDueDate: row.currentDueDate ?? row.requestedDate,
    reason: row.reason,
    state: row.state,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
  }));
  const { cadence } = task;
  const state: TaskState = {
    id: String(task.id),
    status: task.status,
    version: task.version,
    leadUnitId: lead,
    coUnitIds,
    dueDate: task.dueDate,
    cadence: cadence === null ? null : cadence.kind === "custom" ? { kind: "custom", dates: cadence.customDates } : { kind: cadence.kind },
    dispatchedAt: task.dispatchedAt,
    signedAt: task.signedAt,
    closedAt: task.closedAt,
    stoppedAt: task.stoppedAt,
    stopReason: task.stopReason,
    pendingReports,
    extensions,
  };
  const reports: ReportFact[] = task.reports.map((report) => ({
    period: report.period,
    submittedAt: report.submittedAt,
    percent: report.percent,
    final: report.final,
    reviewState: report.reviewState,
    reviewedAt: report.reviewedAt,
  }));
  return { state, reports, planId: task.planId };
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
 * Writes an accepted transition through the store: the reviews and extension decisions its events
 * carry, the task's new status, due date, lead unit and workflow facts (the store checks the
 * version again under the row lock and bumps it), and one audit row per event.
 */
export async function persistTransition(trx: Db, input: PersistInput): Promise<void> {
  const { taskId, actorId, now, before } = input;
  const after = input.result.task;
  const changes: TaskChanges = {
    ...(after.status !== before.status && { status: after.status }),
    ...(after.dueDate !== before.dueDate && { dueDate: after.dueDate }),
    ...(after.leadUnitId !== before.leadUnitId && { leadUnitId: after.leadUnitId === null ? null : Number(after.leadUnitId) }),
    ...(!sameInstant(after.dispatchedAt, before.dispatchedAt) && { dispatchedAt: after.dispatchedAt }),
    ...(!sameInstant(after.signedAt, before.signedAt) && { signedAt: after.signedAt }),
    ...(!sameInstant(after.closedAt, before.closedAt) && { closedAt: after.closedAt }),
    ...(!sameInstant(after.stoppedAt, before.stoppedAt) && { stoppedAt: after.stoppedAt }),
    ...(after.stopReason !== before.stopReason && { stopReason: after.stopReason }),
  };
  await applyWorkflow(trx, {
    organisationId: input.organisationId,
    taskId,
    version: before.version,
    actorId,
    at: now,
    action: `task.${actionName(input.action.type)}`,
    changes,
    effects: input.result.events.flatMap(effectOf),
    events: input.result.events.map((event) => ({ type: event.type, detail: toJson(event) })),
  });
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === b || (a !== null && b !== null && a.getTime() === b.getTime());
}

/** What an event changes beyond the task's row. */
function effectOf(event: TaskEvent): WorkflowEffect[] {
  switch (event.type) {
    case "report.accepted":
      return [{ type: "review", period: event.period, accepted: true, note: null }];
    case "report.returned":
      return [{ type: "review", period: event.period, accepted: false, note: event.reason }];
    case "extension.requested":
      return [{ type: "request_extension", currentDueDate: event.previousDueDate, requestedDate: event.requestedDate, reason: event.reason }];
    case "extension.approved":
      return [{ type: "decide_extension", state: "已批准", note: event.note }];
    case "extension.rejected":
      return [{ type: "decide_extension", state: "已驳回", note: event.reason }];
    case "extension.withdrawn":
      return [{ type: "decide_extension", state: "已撤回", note: event.reason }];
    default:
      // Status, dates and facts move with the task's change; the report row of report.submitted
      // is the reports route's to write (it carries the idempotency key).
      return [];
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
