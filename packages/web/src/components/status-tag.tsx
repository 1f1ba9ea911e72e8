import { Tag } from "antd";
import type { ReportStatus, ReviewState, TaskStatus, ExtensionState } from "../api-types.js";
import { EXTENSION_STATE_COLORS, REPORT_STATUS_COLORS, REVIEW_STATE_COLORS, STATUS_COLORS } from "../labels.js";

export function StatusTag({ status }: { status: TaskStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{status}</Tag>;
}

export function ReportStatusTag({ status }: { status: ReportStatus }) {
  return <Tag color={REPORT_STATUS_COLORS[status]}>{status}</Tag>;
}

export function ReviewStateTag({ state }: { state: ReviewState }) {
  return <Tag color={REVIEW_STATE_COLORS[state]}>{state}</Tag>;
}

export function ExtensionStateTag({ state }: { state: ExtensionState }) {
  return <Tag color={EXTENSION_STATE_COLORS[state]}>{state}</Tag>;
}
