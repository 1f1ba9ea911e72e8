// The task workflow (督办流程) as a transition table: who may do what in which state, and what
// the task looks like afterwards. Pure: the server loads the task, calls `transition` with the
// clock's `now`, and stores the new state and the events in one transaction (the store checks
// the version again under its row lock; the check here gives the clerk the same answer early).
//
//   待交办 ─dispatch→ 已交办 ─sign→ 已签收 ─start→ 办理中 ─submit_report→ 待审核 ─close→ 已办结
//                                                   ↑                    │
//                                                   └── accept / return ─┘   (any open state ─stop→ 中止)
//
// Extension requests (延期申请) ride alongside: requesting, approving, rejecting or withdrawing
// one never moves the task between states; approval moves its due date.
import { bureauDay, isIsoDate, type IsoDate } from "./calendar.js";
import { periodsBetween } from "./periods.js";
import { OPEN_STATUSES, type Actor, type ExtensionRequest, type ExtensionState, type Role, type TaskState, type TaskStatus } from "./task-state.js";
import { ACTION_VERBS, DUTY_NAMES, STATE_PHRASES, workflowError, type WorkflowError } from "./workflow-errors.js";

export type Action = { expectedVersion: number } & (
  | { type: "dispatch"; leadUnitId?: string; coUnitIds?: readonly string[]; dueDate?: IsoDate }
  | { type: "sign" }
  | { type: "start" }
  | { type: "submit_report"; period: string; final?: boolean }
  | { type: "accept_report"; period: string }
  | { type: "return_report"; period: string; reason: string }
  | { type: "close" }
  | { type: "stop"; reason: string }
  | { type: "request_extension"; dueDate: IsoDate; reason: string }
  | { type: "approve_extension"; note?: string }
  | { type: "reject_extension"; reason: string }
  | { type: "withdraw_extension" }
);
export type ActionType = Action["type"];

/** What happened, for the audit log and for notifications. */
export type TaskEventDetail =
  | { type: "task.dispatched"; leadUnitId: string; coUnitIds: readonly string[]; dueDate: IsoDate | null }
  | { type: "task.signed" }
  | { type: "task.started" }
  | { type: "report.submitted"; period: string; final: boolean }
  | { type: "report.accepted"; period: string; final: boolean }
  | { type: "report.returned"; period: string; final: boolean; reason: string }
  | { type: "task.closed" }
  | { type: "task.stopped"; reason: string }
  | { type: "extension.requested"; requestedDate: IsoDate; previousDueDate: IsoDate; reason: string }
  | { type: "extension.approved"; previousDueDate: IsoDate; dueDate: IsoDate; note: string | null }
  | { type: "extension.rejected"; reason: string }
  | { type: "extension.withdrawn"; reason: string | null };
export type TaskEvent = TaskEventDetail & {
  taskId: string;
  at: Date;
  actorRole: Role;
  from: TaskStatus;
  to: TaskStatus;
  /** The task's version after the change. */
  version: number;
};

export type TransitionResult = { ok: true; task: TaskState; events: TaskEvent[] } | { ok: false; error: WorkflowError };

export interface WorkflowPolicy {
  /** Whether 督查室 may decide extension requests as well as leaders (an organisation setting). */
  adminDecidesExtensions: boolean;
}
export const DEFAULT_WORKFLOW_POLICY: Readonly<WorkflowPolicy> = Object.freeze({ adminDecidesExtensions: false });

/** Who may take an action: the office (督查室), a reporter of the task's units, or an extension decider. */
export type Duty = "office" | "unit" | "decider";

/** Status the action leads to: a fixed one, the same as before, or decided by what is left to review. */
export type TransitionTarget = TaskStatus | "unchanged" | "afterReview";

const UNIT_WORKING: readonly TaskStatus[] = ["已签收", "办理中", "待审核"];

/** The transition table. */
export const TRANSITIONS: { readonly [K in ActionType]: { from: readonly TaskStatus[]; by: Duty; to: TransitionTarget } } = {
  dispatch: { from: ["待交办"], by: "office", to: "已交办" },
  sign: { from: ["已交办"], by: "unit", to: "已签收" },
  start: { from: ["已签收"], by: "unit", to: "办理中" },
  // A second period's report may come in while the first waits for review: a slow review must
  // not make the unit late.
  submit_report: { from: ["办理中", "待审核"], by: "unit", to: "待审核" },
  accept_report: { from: ["待审核"], by: "office", to: "afterReview" },
  return_report: { from: ["待审核"], by: "office", to: "afterReview" },
  close: { from: ["待审核"], by: "office", to: "已办结" },
  stop: { from: OPEN_STATUSES, by: "office", to: "中止" },
  request_extension: { from: UNIT_WORKING, by: "unit", to: "unchanged" },
  approve_extension: { from: OPEN_STATUSES, by: "decider", to: "unchanged" },
  reject_extension: { from: OPEN_STATUSES, by: "decider", to: "unchanged" },
  withdraw_extension: { from: OPEN_STATUSES, by: "unit", to: "unchanged" },
};

/** Applies `action` by `actor` at `now`, or says why not. Never mutates `task`. */
export function transition(task: TaskState, action: Action, actor: Actor, now: Date, policy: WorkflowPolicy = DEFAULT_WORKFLOW_POLICY): TransitionResult {
  // Only a caller that skipped its input schema gets here with an unknown type: a programmer error.
  if (!Object.hasOwn(TRANSITIONS, action.type)) throw new RangeError(`unknown workflow action: ${String(action.type)}`);
  const rule = TRANSITIONS[action.type];
  // Who first: a user who may never do this learns nothing about the task's state or version.
  if (!mayAct(rule.by, task, actor, policy)) {
    return refuse(workflowError("NOT_ALLOWED", { who: DUTY_NAMES[rule.by](policy), action: ACTION_VERBS[action.type] }));
  }
  if (action.expectedVersion !== task.version) return refuse(workflowError("CONFLICT"));
  if (!rule.from.includes(task.status)) {
    const terminal = !OPEN_STATUSES.includes(task.status);
    return refuse(workflowError("INVALID_TRANSITION", { state: STATE_PHRASES[task.status], action: `${terminal ? "再" : ""}${ACTION_VERBS[action.type]}` }));
  }
  const effect = apply({ task, now, today: bureauDay(now) }, action);
  if ("code" in effect) return refuse(effect);
  const changed: TaskState = { ...task, ...effect.changes, version: task.version + 1 };
  const next: TaskState = { ...changed, status: targetStatus(rule.to, changed) };
  const base = { taskId: task.id, at: now, actorRole: actor.role, from: task.status, to: next.status, version: next.version };
  return { ok: true, task: next, events: effect.events.map((detail) => ({ ...detail, ...base })) };
}

/** After a review the task waits while any report still does, and is back at work otherwise. */
function targetStatus(target: TransitionTarget, changed: TaskState): TaskStatus {
  if (target === "unchanged") return changed.status;
  if (target === "afterReview") return changed.pendingReports.length > 0 ? "待审核" : "办理中";
  return target;
}

function refuse(error: WorkflowError): TransitionResult {
  return { ok: false, error };
}

function mayAct(duty: Duty, task: TaskState, actor: Actor, policy: WorkflowPolicy): boolean {
  switch (duty) {
    case "office":
      return actor.role === "admin";
    case "decider":
      return actor.role === "leader" || (actor.role === "admin" && policy.adminDecidesExtensions);
    case "unit":
      return actor.role === "reporter" && actor.unitIds.some((unit) => unit === task.leadUnitId || task.coUnitIds.includes(unit));
  }
}

type Mutable = Omit<TaskState, "id" | "version" | "status">;
interface Effect {
  changes: Partial<Mutable>;
  events: TaskEventDetail[];
}
interface Context {
  task: TaskState;
  now: Date;
  today: IsoDate;
}

function apply(context: Context, action: Action): Effect | WorkflowError {
  const { task, now } = context;
  switch (action.type) {
    case "dispatch":
      return dispatch(context, action);
    case "sign":
      return { changes: { signedAt: now }, events: [{ type: "task.signed" }] };
    case "start":
      return { changes: {}, events: [{ type: "task.started" }] };
    case "submit_report":
      return submitReport(context, action.period.trim(), action.final ?? false);
    case "accept_report":
      return review(task, action.period.trim(), null);
    case "return_report":
      return review(task, action.period.trim(), action.reason);
    case "close":
      return close(context);
    case "stop":
      return stop(context, action.reason);
    case "request_extension":
      return requestExtension(context, action.dueDate, action.reason);
    case "approve_extension":
      return decideExtension(context, "已批准", action.note?.trim() || null);
    case "reject_extension":
      return decideExtension(context, "已驳回", action.reason);
    case "withdraw_extension":
      return decideExtension(context, "已撤回", null);
  }
}

function dispatch(context: Context, action: Extract<Action, { type: "dispatch" }>): Effect | WorkflowError {
  const { task, today, now } = context;
  const leadUnitId = action.leadUnitId ?? task.leadUnitId;
  if (leadUnitId === null || leadUnitId === "") return workflowError("NO_LEAD_UNIT");
  if (action.dueDate !== undefined && !isIsoDate(action.dueDate)) return workflowError("INVALID_DATE", { date: action.dueDate });
  const dueDate = action.dueDate ?? task.dueDate;
  // A deadline taken from the plan may already be behind us by the time the office dispatches.
  if (dueDate !== null && dueDate < today) return workflowError("DATE_IN_PAST", { date: dueDate });
  const coUnitIds = [...new Set(action.coUnitIds ?? task.coUnitIds)].filter((unit) => unit !== leadUnitId);
  return {
    changes: { leadUnitId, coUnitIds, dueDate, dispatchedAt: now },
    events: [{ type: "task.dispatched", leadUnitId, coUnitIds, dueDate }],
  };
}

function submitReport(context: Context, period: string, final: boolean): Effect | WorkflowError {
  const { task, now } = context;
  if (task.pendingReports.some((report) => report.final)) return workflowError("FINAL_REPORT_PENDING");
  if (period === "") return workflowError("PERIOD_REQUIRED");
  const problem = checkPeriod(context, period);
  if (problem) return problem;
  if (task.pendingReports.some((report) => report.period === period)) return workflowError("REPORT_PENDING", { period });
  return {
    changes: { pendingReports: [...task.pendingReports, { period, final, submittedAt: now }] },
    events: [{ type: "report.submitted", period, final }],
  };
}

/** With a cadence, a report is filed under one of the task's periods, and not ahead of time. */
function checkPeriod({ task, today }: Context, period: string): WorkflowError | null {
  if (task.cadence === null || task.dispatchedAt === null) return null;
  const start = bureauDay(task.dispatchedAt);
  // Work that runs late is still reported period by period, so the list runs to today at least.
  const end = task.dueDate !== null && task.dueDate > today ? task.dueDate : today;
  const found = periodsBetween(task.cadence, start, end).find((candidate) => candidate.id === period);
  if (!found) return workflowError("UNKNOWN_PERIOD", { period });
  if (found.start > today) return workflowError("PERIOD_NOT_STARTED", { label: found.label });
  return null;
}

/** Accept (reason null) or return (退回重办) one pending report. */
function review(task: TaskState, period: string, reason: string | null): Effect | WorkflowError {
  if (reason !== null && reason.trim() === "") return workflowError("REASON_REQUIRED", { what: "退回理由" });
  const pending = task.pendingReports.find((report) => report.period === period);
  if (!pending) return workflowError("REPORT_NOT_PENDING", { period });
  if (pending.final && reason === null) return workflowError("FINAL_REPORT_NEEDS_CLOSE");
  const pendingReports = task.pendingReports.filter((report) => report !== pending);
  const event: TaskEventDetail =
    reason === null
      ? { type: "report.accepted", period, final: false }
      : { type: "report.returned", period, final: pending.final, reason: reason.trim() };
  return { changes: { pendingReports }, events: [event] };
}

/** 销号: the office accepts the completion report, and with it whatever else awaits review. */
function close(context: Context): Effect | WorkflowError {
  const { task, now } = context;
  if (!task.pendingReports.some((report) => report.final)) return workflowError("FINAL_REPORT_REQUIRED");
  const accepted: TaskEventDetail[] = task.pendingReports.map((report) => ({ type: "report.accepted", period: report.period, final: report.final }));
  const withdrawn = withdrawOpenExtension(context, "任务已办结");
  return {
    changes: { closedAt: now, pendingReports: [], ...withdrawn.changes },
    events: [...withdrawn.events, ...accepted, { type: "task.closed" }],
  };
}

function stop(context: Context, reason: string): Effect | WorkflowError {
  if (reason.trim() === "") return workflowError("REASON_REQUIRED", { what: "中止理由" });
  const withdrawn = withdrawOpenExtension(context, "任务已中止");
  // Reports still waiting are left unreviewed: a stopped task has nothing left to judge.
  return {
    changes: { stoppedAt: context.now, stopReason: reason.trim(), pendingReports: [], ...withdrawn.changes },
    events: [...withdrawn.events, { type: "task.stopped", reason: reason.trim() }],
  };
}

/** A request still open when the task ends would wait for a decision forever. */
function withdrawOpenExtension(context: Context, note: string): Effect {
  const open = openExtension(context.task);
  if (!open) return { changes: {}, events: [] };
  const decided: ExtensionRequest = { ...open, state: "已撤回", decidedAt: context.now, decisionNote: note };
  return {
    changes: { extensions: context.task.extensions.map((request) => (request === open ? decided : request)) },
    events: [{ type: "extension.withdrawn", reason: note }],
  };
}

function requestExtension(context: Context, requestedDate: IsoDate, reason: string): Effect | WorkflowError {
  const { task, today, now } = context;
  if (openExtension(task)) return workflowError("EXTENSION_PENDING");
  const due = task.dueDate;
  if (due === null) return workflowError("NO_DUE_DATE");
  // 督办 practice: a unit asks for more time before its deadline, not after missing it.
  if (today > due) return workflowError("EXTENSION_TOO_LATE", { due });
  if (!isIsoDate(requestedDate)) return workflowError("INVALID_DATE", { date: requestedDate });
  if (requestedDate <= due) return workflowError("EXTENSION_NOT_LATER", { due });
  if (reason.trim() === "") return workflowError("REASON_REQUIRED", { what: "延期理由" });
  const request: ExtensionRequest = {
    requestedAt: now,
    requestedDate,
    previousDueDate: due,
    reason: reason.trim(),
    state: "待审批",
    decidedAt: null,
    decisionNote: null,
  };
  return {
    changes: { extensions: [...task.extensions, request] },
    events: [{ type: "extension.requested", requestedDate, previousDueDate: due, reason: request.reason }],
  };
}

/** Approve, reject (reason required) or withdraw the open request. */
function decideExtension(context: Context, state: Exclude<ExtensionState, "待审批">, note: string | null): Effect | WorkflowError {
  const { task, now } = context;
  const open = openExtension(task);
  if (!open) return workflowError("NO_PENDING_EXTENSION");
  if (state === "已驳回" && (note === null || note.trim() === "")) return workflowError("REASON_REQUIRED", { what: "驳回理由" });
  const decided: ExtensionRequest = { ...open, state, decidedAt: now, decisionNote: note?.trim() ?? null };
  const extensions = task.extensions.map((request) => (request === open ? decided : request));
  if (state === "已批准") {
    return {
      changes: { extensions, dueDate: open.requestedDate },
      events: [{ type: "extension.approved", previousDueDate: open.previousDueDate, dueDate: open.requestedDate, note: decided.decisionNote }],
    };
  }
  const event: TaskEventDetail = state === "已驳回" ? { type: "extension.rejected", reason: decided.decisionNote ?? "" } : { type: "extension.withdrawn", reason: null };
  return { changes: { extensions }, events: [event] };
}

function openExtension(task: TaskState): ExtensionRequest | undefined {
  return task.extensions.find((request) => request.state === "待审批");
}
