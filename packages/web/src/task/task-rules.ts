// Which workflow buttons a user sees on a task: the transition table of packages/core's
// workflow.ts (who may act in which status), plus what the task's reports and extension
// requests allow. The server decides in the end; this only spares the clerk buttons that
// would be refused.
import type { Report, Role, TaskActionType, TaskDetail, TaskStatus } from "../api-types.js";
import { OPEN_STATUSES } from "../labels.js";
import { reportingNeeds } from "../report/report-periods.js";

export type TaskButton = TaskActionType | "submit_report";

const UNIT_WORKING: readonly TaskStatus[] = ["已签收", "办理中", "待审核"];
const REPORTING: readonly TaskStatus[] = ["办理中", "待审核"];

export function pendingReports(task: Pick<TaskDetail, "reports">): Report[] {
  return task.reports.filter((report) => report.reviewState === "待审核");
}

export function pendingExtension(task: Pick<TaskDetail, "extensions">) {
  return task.extensions.find((extension) => extension.state === "待审批");
}

/**
 * The buttons for `role` on `task` today. A reporter sees only their unit's tasks (the server
 * answers 404 for others), so a task a reporter can open is one they act for.
 */
export function taskButtons(task: TaskDetail, role: Role, today: string): Set<TaskButton> {
  const buttons = new Set<TaskButton>();
  const status = task.status;
  const open = OPEN_STATUSES.includes(status);
  const pending = pendingReports(task);
  const finalPending = pending.some((report) => report.final === true || report.status === "已完成");
  const extension = pendingExtension(task);
  if (role === "admin") {
    if (status === "待交办") buttons.add("dispatch");
    if (status === "待审核" && pending.length > 0) {
      buttons.add("return_report");
      // A completion report is accepted by closing the task (销号), not by a plain accept.
      if (pending.some((report) => !(report.final === true || report.status === "已完成"))) buttons.add("accept_report");
      if (finalPending) buttons.add("close");
    }
    if (open) buttons.add("stop");
  }
  if (role === "reporter") {
    if (status === "已交办") buttons.add("sign");
    if (status === "已签收") buttons.add("start");
    // Only when some period can take a report (one waiting for review cannot take another).
    if (REPORTING.includes(status) && !finalPending && reportingNeeds(task, today).periods.length > 0) buttons.add("submit_report");
    if (UNIT_WORKING.includes(status) && !extension && task.dueDate !== null && today <= task.dueDate) buttons.add("request_extension");
    if (open && extension) buttons.add("withdraw_extension");
  }
  if (role === "leader" && open && extension) {
    buttons.add("approve_extension");
    buttons.add("reject_extension");
  }
  return buttons;
}
