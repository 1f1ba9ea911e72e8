// The ledger's vocabulary on screen, in one table: lights, statuses, roles, actions and the audit
// trail's entries, with the colours that go with them. Pages take their words from here, so a
// term reads the same everywhere (and changes in one place).
import type { ChannelKind, KpiDirection, Light, NoticeAudience, NoticeKind, ReportStatus, ReviewState, Role, SupervisionLevel, TaskActionType, TaskStatus, ExtensionState } from "./api-types.js";

export const APP_TITLE = "台账 · 督查督办";

export const ROLE_LABELS: Record<Role, string> = { admin: "督查室", leader: "领导", reporter: "承办单位" };

export const LIGHTS: readonly Light[] = ["red", "yellow", "green", "grey"];
export const LIGHT_LABELS: Record<Light, string> = { red: "红灯", yellow: "黄灯", green: "绿灯", grey: "灰灯" };
/** antd's palette: red-6, gold-6, green-6, and a neutral grey for tasks not (or no longer) running. */
export const LIGHT_COLORS: Record<Light, string> = { red: "#f5222d", yellow: "#faad14", green: "#52c41a", grey: "#bfbfbf" };
export const LIGHT_HINTS: Record<Light, string> = {
  red: "逾期未办结或迟报",
  yellow: "临近期限或进度滞后",
  green: "按期推进",
  grey: "已办结或中止",
};

export const TASK_STATUSES: readonly TaskStatus[] = ["待交办", "已交办", "已签收", "办理中", "待审核", "已办结", "中止"];
/** antd Tag colours by status. */
export const STATUS_COLORS: Record<TaskStatus, string> = {
  待交办: "default",
  已交办: "blue",
  已签收: "cyan",
  办理中: "processing",
  待审核: "orange",
  已办结: "success",
  中止: "default",
};
/** Statuses the workflow can still move out of. */
export const OPEN_STATUSES: readonly TaskStatus[] = ["待交办", "已交办", "已签收", "办理中", "待审核"];

/** As packages/store's REPORT_STATUSES; 已完成 is the completion report (申请销号). */
export const REPORT_STATUSES: readonly ReportStatus[] = ["正常推进", "进度滞后", "已完成"];
export const REPORT_STATUS_COLORS: Record<ReportStatus, string> = { 正常推进: "green", 进度滞后: "orange", 已完成: "blue" };
export const REVIEW_STATE_COLORS: Record<ReviewState, string> = { 待审核: "orange", 已通过: "green", 已退回: "red" };
export const EXTENSION_STATE_COLORS: Record<ExtensionState, string> = { 待审批: "orange", 已批准: "green", 已驳回: "red", 已撤回: "default" };

export const ACTION_LABELS: Record<TaskActionType | "submit_report", string> = {
  dispatch: "交办",
  sign: "签收",
  start: "开始办理",
  submit_report: "报送进展",
  accept_report: "审核通过",
  return_report: "退回重办",
  close: "办结销号",
  stop: "中止",
  request_extension: "申请延期",
  approve_extension: "批准延期",
  reject_extension: "驳回延期",
  withdraw_extension: "撤回延期申请",
};

export const KPI_DIRECTION_LABELS: Record<KpiDirection, string> = { at_least: "不低于", at_most: "不高于", within: "介于" };

/** The audit trail's actions (the store's `action` column) as a clerk says them. */
export const AUDIT_LABELS: Record<string, string> = {
  "plan.import": "导入计划",
  "plan.archive": "归档计划",
  "plan.cadence": "设置计划报送周期",
  "task.edit": "修改任务",
  "task.cadence": "设置任务报送周期",
  "task.dispatch": "交办",
  "task.sign": "签收",
  "task.start": "开始办理",
  "task.submit-report": "报送进展",
  "task.accept-report": "审核通过",
  "task.return-report": "退回重办",
  "task.close": "办结销号",
  "task.stop": "中止",
  "task.request-extension": "申请延期",
  "task.approve-extension": "批准延期",
  "task.reject-extension": "驳回延期",
  "task.withdraw-extension": "撤回延期申请",
  "report.submit": "提交报送",
  "comment.add": "发表意见",
  "evidence.upload": "上传佐证材料",
  "task.dispatched": "已交办",
  "task.signed": "已签收",
  "task.started": "已开始办理",
  "report.submitted": "已报送",
  "report.accepted": "报送已通过",
  "report.returned": "报送被退回",
  "task.closed": "已办结销号",
  "task.stopped": "已中止",
  "extension.requested": "已申请延期",
  "extension.approved": "延期已批准",
  "extension.rejected": "延期被驳回",
  "extension.withdrawn": "延期申请已撤回",
};

/** Fields of a task's audit snapshots worth showing when they change. */
export const AUDIT_FIELDS: Record<string, string> = {
  status: "状态",
  title: "标题",
  dueDate: "办理期限",
  leadUnitId: "牵头单位",
  period: "报送周期",
  percent: "进度",
  reason: "理由",
  requestedDate: "申请期限",
};

/** The scheduler's notices: reminders before a deadline, 催办 after it, then escalations. */
export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  due_reminder: "到期提醒",
  period_reminder: "报送提醒",
  overdue: "逾期催办",
  escalation_leader: "督办",
  escalation_office: "督办",
};
export const NOTICE_KIND_COLORS: Record<NoticeKind, string> = {
  due_reminder: "blue",
  period_reminder: "cyan",
  overdue: "orange",
  escalation_leader: "red",
  escalation_office: "red",
};
export const NOTICE_AUDIENCE_LABELS: Record<NoticeAudience, string> = { unit: "承办单位", unit_leader: "单位负责同志", office: "督查室" };
export const SUPERVISION_LEVEL_LABELS: Record<SupervisionLevel, string> = { unit_leader: "送牵头单位负责同志", office: "督查室印发" };
export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = { smtp: "电子邮件", dingtalk: "钉钉群机器人", wecom: "企业微信群机器人", webhook: "Webhook" };
