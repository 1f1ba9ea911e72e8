// Asks for the words an action needs: a reason to return a report, to stop a task, to reject an
// extension; an optional note to approve one.
import { Form, Input, Modal } from "antd";
import { useEffect } from "react";

interface ReasonModalProps {
  open: boolean;
  title: string;
  label: string;
  okText: string;
  required?: boolean;
  busy?: boolean;
  danger?: boolean;
  onSubmit(text: string): void;
  onCancel(): void;
}

const MAX_LENGTH = 5000;

export function ReasonModal({ open, title, label, okText, required = true, busy, danger, onSubmit, onCancel }: ReasonModalProps) {
  const [form] = Form.useForm<{ text: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async () => {
    const { text } = await form.validateFields();
    onSubmit((text ?? "").trim());
  };
  return (
    <Modal open={open} title={title} okText={okText} cancelText="取消" okButtonProps={{ danger }} onOk={submit} onCancel={onCancel} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="text" label={label} rules={required ? [{ required: true, whitespace: true, message: `请填写${label}` }] : []}>
          <Input.TextArea rows={4} maxLength={MAX_LENGTH} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
