// The workflow buttons of a task for the signed-in user (see task-rules.ts), with the dialogs
// that collect what an action needs. Report reviews are on the report itself (report-timeline).
import { Button, Popconfirm, Space } from "antd";
import { useState } from "react";
import type { TaskDetail } from "../api-types.js";
import { DispatchModal } from "../components/dispatch-modal.js";
import { ReasonModal } from "../components/reason-modal.js";
import { ACTION_LABELS } from "../labels.js";
import { ExtensionRequestModal } from "./extensions-panel.js";
import type { TaskButton } from "./task-rules.js";
import type { TaskActionRunner } from "./use-task-action.js";

interface TaskActionsProps {
  task: TaskDetail;
  buttons: Set<TaskButton>;
  actions: TaskActionRunner;
  onReport(): void;
}

type Dialog = "dispatch" | "stop" | "extension" | "reject_extension" | "approve_extension" | null;

export function TaskActions({ task, buttons, actions, onReport }: TaskActionsProps) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const busy = actions.busy;
  const after = (ok: boolean) => ok && close();

  return (
    <Space wrap>
      {buttons.has("dispatch") && (
        <Button type="primary" onClick={() => setDialog("dispatch")}>
          {ACTION_LABELS.dispatch}
        </Button>
      )}
      {buttons.has("sign") && (
        <Button type="primary" loading={busy === "sign"} onClick={() => void actions.run({ type: "sign" }, "已签收任务")}>
          {ACTION_LABELS.sign}
        </Button>
      )}
      {buttons.has("start") && (
        <Button type="primary" loading={busy === "start"} onClick={() => void actions.run({ type: "start" }, "已开始办理")}>
          {ACTION_LABELS.start}
        </Button>
      )}
      {buttons.has("submit_report") && (
        <Button type="primary" onClick={onReport}>
          {ACTION_LABELS.submit_report}
        </Button>
      )}
      {buttons.has("close") && (
        <Popconfirm title="确认办结销号?" description="将通过完成报告,任务办结后不再报送。" okText="办结销号" cancelText="取消" onConfirm={() => void actions.run({ type: "close" }, "任务已办结销号")}>
          <Button type="primary" loading={busy === "close"}>
            {ACTION_LABELS.close}
          </Button>
        </Popconfirm>
      )}
      {buttons.has("request_extension") && <Button onClick={() => setDialog("extension")}>{ACTION_LABELS.request_extension}</Button>}
      {buttons.has("withdraw_extension") && (
        <Popconfirm title="撤回延期申请?" okText="撤回" cancelText="取消" onConfirm={() => void actions.run({ type: "withdraw_extension" }, "延期申请已撤回")}>
          <Button loading={busy === "withdraw_extension"}>{ACTION_LABELS.withdraw_extension}</Button>
        </Popconfirm>
      )}
      {buttons.has("approve_extension") && (
        <Button type="primary" onClick={() => setDialog("approve_extension")}>
          {ACTION_LABELS.approve_extension}
        </Button>
      )}
      {buttons.has("reject_extension") && (
        <Button danger onClick={() => setDialog("reject_extension")}>
          {ACTION_LABELS.reject_extension}
        </Button>
      )}
      {buttons.has("stop") && (
        <Button danger onClick={() => setDialog("stop")}>
          {ACTION_LABELS.stop}
        </Button>
      )}

      <DispatchModal
        open={dialog === "dispatch"}
        count={1}
        initialLeadUnitId={task.leadUnitId}
        requireLead={task.leadUnitId === null}
        busy={busy === "dispatch"}
        onSubmit={(values) => void actions.run({ type: "dispatch", ...values }, "任务已交办").then(after)}
        onCancel={close}
      />
      <ReasonModal
        open={dialog === "stop"}
        title="中止任务"
        label="中止理由"
        okText="中止"
        danger
        busy={busy === "stop"}
        onSubmit={(reason) => void actions.run({ type: "stop", reason }, "任务已中止").then(after)}
        onCancel={close}
      />
      <ReasonModal
        open={dialog === "approve_extension"}
        title="批准延期"
        label="批准意见(可不填)"
        okText="批准"
        required={false}
        busy={busy === "approve_extension"}
        onSubmit={(note) => void actions.run(note ? { type: "approve_extension", note } : { type: "approve_extension" }, "已批准延期").then(after)}
        onCancel={close}
      />
      <ReasonModal
        open={dialog === "reject_extension"}
        title="驳回延期申请"
        label="驳回理由"
        okText="驳回"
        danger
        busy={busy === "reject_extension"}
        onSubmit={(reason) => void actions.run({ type: "reject_extension", reason }, "已驳回延期申请").then(after)}
        onCancel={close}
      />
      <ExtensionRequestModal
        open={dialog === "extension"}
        dueDate={task.dueDate}
        busy={busy === "request_extension"}
        onSubmit={(dueDate, reason) => void actions.run({ type: "request_extension", dueDate, reason }, "延期申请已提交,等待领导审批").then(after)}
        onCancel={close}
      />
    </Space>
  );
}
