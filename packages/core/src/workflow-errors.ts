// The catalogue of workflow refusals: a stable code the server maps to an HTTP status and tests
// assert on, and a message a clerk understands, with {placeholders} filled per case.
import type { TaskStatus } from "./task-state.js";
import type { ActionType, Duty, WorkflowPolicy } from "./workflow.js";

export const WORKFLOW_ERRORS = {
  CONFLICT: "该任务已被他人修改,请刷新后重试。",
  NOT_ALLOWED: "只有{who}可以{action}。",
  INVALID_TRANSITION: "该任务{state},不能{action}。",
  REASON_REQUIRED: "请填写{what}。",
  INVALID_DATE: "“{date}”不是有效的日期,请按 2025-03-31 的格式填写。",
  DATE_IN_PAST: "办理期限 {date} 已经过去,请设定今天或以后的日期。",
  NO_LEAD_UNIT: "请先指定牵头单位,再交办任务。",
  NO_DUE_DATE: "该任务没有办理期限,无需申请延期。",
  EXTENSION_TOO_LATE: "办理期限 {due} 已过,不能再申请延期,请联系督查室。",
  EXTENSION_NOT_LATER: "申请的新期限应晚于当前期限 {due}。",
  EXTENSION_PENDING: "已有一份延期申请正在审批,请等待审批结果或先撤回。",
  NO_PENDING_EXTENSION: "没有待审批的延期申请。",
  PERIOD_REQUIRED: "请选择报送周期。",
  UNKNOWN_PERIOD: "“{period}”不是该任务的报送周期。",
  PERIOD_NOT_STARTED: "{label}还没有开始,不能提前报送。",
  REPORT_PENDING: "“{period}”的报送正在审核中,请等待审核结果。",
  REPORT_NOT_PENDING: "没有待审核的“{period}”报送。",
  FINAL_REPORT_PENDING: "完成报告正在审核中,不能再提交报送。",
  FINAL_REPORT_REQUIRED: "承办单位还没有提交完成报告,不能办结销号。",
  FINAL_REPORT_NEEDS_CLOSE: "这是完成报告,审核通过请使用“办结销号”。",
} as const satisfies Record<string, string>;

export type WorkflowErrorCode = keyof typeof WORKFLOW_ERRORS;

export interface WorkflowError {
  code: WorkflowErrorCode;
  message: string;
}

export function workflowError(code: WorkflowErrorCode, params: Readonly<Record<string, string>> = {}): WorkflowError {
  const message = WORKFLOW_ERRORS[code].replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? `{${key}}`);
  return { code, message };
}

/** How an INVALID_TRANSITION message names the task's state: "该任务{phrase},不能…". */
export const STATE_PHRASES: { readonly [S in TaskStatus]: string } = {
  待交办: "尚未交办",
  已交办: "已交办、尚未签收",
  已签收: "已签收、尚未开始办理",
  办理中: "正在办理中",
  待审核: "正在等待审核",
  已办结: "已办结",
  中止: "已中止",
};

export const ACTION_VERBS: { readonly [K in ActionType]: string } = {
  dispatch: "交办",
  sign: "签收",
  start: "开始办理",
  submit_report: "提交报送",
  accept_report: "审核通过报送",
  return_report: "退回报送",
  close: "办结销号",
  stop: "中止任务",
  request_extension: "申请延期",
  approve_extension: "批准延期申请",
  reject_extension: "驳回延期申请",
  withdraw_extension: "撤回延期申请",
};

export const DUTY_NAMES: { readonly [D in Duty]: (policy: WorkflowPolicy) => string } = {
  office: () => "督查室",
  unit: () => "承办单位(牵头或配合单位)的填报人员",
  decider: (policy) => (policy.adminDecidesExtensions ? "分管领导或督查室" : "分管领导"),
};
