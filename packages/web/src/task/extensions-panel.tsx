// 延期申请: the task's requests and their decisions, and the form a unit asks with (a later due
// date and why). Leaders decide with the buttons of task-actions.
import { DatePicker, Empty, Flex, Form, Input, Modal, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect } from "react";
import type { Extension } from "../api-types.js";
import { ExtensionStateTag } from "../components/status-tag.js";
import { formatInstant } from "../format.js";

export function ExtensionsPanel({ extensions }: { extensions: Extension[] }) {
  if (extensions.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有延期申请" />;
  return (
    <Flex vertical gap={12}>
      {[...extensions].reverse().map((extension) => (
        <div key={extension.requestedAt} style={{ borderInlineStart: "3px solid #f0f0f0", paddingInlineStart: 12 }}>
          <Flex justify="space-between" gap={8} wrap>
            <Typography.Text strong>
              {extension.previousDueDate} → {extension.requestedDate}
            </Typography.Text>
            <ExtensionStateTag state={extension.state} />
          </Flex>
          <Typography.Paragraph style={{ margin: "4px 0" }}>{extension.reason}</Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            申请于 {formatInstant(extension.requestedAt)}
            {extension.decidedAt ? `,${extension.state}于 ${formatInstant(extension.decidedAt)}` : ""}
          </Typography.Text>
          {extension.decisionNote && (
            <Typography.Paragraph type="secondary" style={{ margin: "4px 0 0" }}>
              意见:{extension.decisionNote}
            </Typography.Paragraph>
          )}
        </div>
      ))}
    </Flex>
  );
}

interface ExtensionRequestModalProps {
  open: boolean;
  dueDate: string | null;
  busy?: boolean;
  onSubmit(dueDate: string, reason: string): void;
  onCancel(): void;
}

export function ExtensionRequestModal({ open, dueDate, busy, onSubmit, onCancel }: ExtensionRequestModalProps) {
  const [form] = Form.useForm<{ dueDate: Dayjs; reason: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async () => {
    const values = await form.validateFields();
    onSubmit(values.dueDate.format("YYYY-MM-DD"), values.reason.trim());
  };
  return (
    <Modal open={open} title="申请延期" okText="提交申请" cancelText="取消" onOk={submit} onCancel={onCancel} confirmLoading={busy} destroyOnHidden>
      <Typography.Paragraph type="secondary">当前办理期限:{dueDate ?? "—"}。延期须在期限届满前申请,由分管领导审批。</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="dueDate" label="申请延至" rules={[{ required: true, message: "请选择新的办理期限" }]}>
          <DatePicker style={{ width: "100%" }} disabledDate={(day) => dueDate !== null && day.format("YYYY-MM-DD") <= dueDate} />
        </Form.Item>
        <Form.Item name="reason" label="延期理由" rules={[{ required: true, whitespace: true, message: "请填写延期理由" }]}>
          <Input.TextArea rows={4} maxLength={5000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
