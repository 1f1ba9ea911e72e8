// A task as the ledger's rules see it: the workflow moves it, the lights and (later) the
// reminder rules read it. Plain immutable data; the server builds it from the store's rows.
import type { IsoDate } from "./calendar.js";
import type { Cadence } from "./periods.js";

export const TASK_STATUSES = ["待交办", "已交办", "已签收", "办理中", "待审核", "已办结", "中止"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** States a task can still move out of; 已办结 and 中止 are final. */
export const OPEN_STATUSES: readonly TaskStatus[] = ["待交办", "已交办", "已签收", "办理中", "待审核"];

export type Role = "admin" | "leader" | "reporter";
export interface Actor {
  role: Role;
  /** The units the user belongs to: a reporter acts for these. */
  unitIds: readonly string[];
}

export interface PendingReport {
  readonly period: string;
  readonly final: boolean;
  readonly submittedAt: Date;
}

export type ExtensionState = "待审批" | "已批准" | "已驳回" | "已撤回";
export interface ExtensionRequest {
  readonly requestedAt: Date;
  /** Approval grants exactly this date: an approver who wants another date rejects with a note. */
  readonly requestedDate: IsoDate;
  /** The due date when the request was made. */
  readonly previousDueDate: IsoDate;
  readonly reason: string;
  readonly state: ExtensionState;
  readonly decidedAt: Date | null;
  readonly decisionNote: string | null;
}

/** Everything the rules (workflow, lights, reminders) need to know about a task. */
export interface TaskState {
  readonly id: string;
  readonly status: TaskStatus;
  /** Bumped by every accepted change; an action carries the version its author saw. */
  readonly version: number;
  readonly leadUnitId: string | null;
  readonly coUnitIds: readonly string[];
  /** The current due date (after approved extensions); null for a task without a deadline. */
  readonly dueDate: IsoDate | null;
  readonly cadence: Cadence | null;
  /** Reporting and the time share of progress run from the day of dispatch. */
  readonly dispatchedAt: Date | null;
  readonly signedAt: Date | null;
  readonly closedAt: Date | null;
  readonly stoppedAt: Date | null;
  readonly stopReason: string | null;
  /** Reports waiting for the office's review, oldest first. */
  readonly pendingReports: readonly PendingReport[];
  /** Every extension request, oldest first; at most one is 待审批. */
  readonly extensions: readonly ExtensionRequest[];
}

/** A task as imported: not yet dispatched, version 1. */
export function createTask(init: { id: string; leadUnitId?: string | null; coUnitIds?: readonly string[]; dueDate?: IsoDate | null; cadence?: Cadence | null }): TaskState {
  return {
    id: init.id,
    status: "待交办",
    version: 1,
    leadUnitId: init.leadUnitId ?? null,
    coUnitIds: init.coUnitIds ?? [],
    dueDate: init.dueDate ?? null,
    cadence: init.cadence ?? null,
    dispatchedAt: null,
    signedAt: null,
    closedAt: null,
    stoppedAt: null,
    stopReason: null,
    pendingReports: [],
    extensions: [],
  };
}
