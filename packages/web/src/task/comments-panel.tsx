// 批示意见: what leaders and the office wrote on the task, oldest first, and a box to add one.
// Anyone who can see the task may comment.
import { Button, Empty, Flex, Form, Input, Typography } from "antd";
import { useState } from "react";
import { api } from "../api.js";
import type { Comment } from "../api-types.js";
import { formatInstant } from "../format.js";
import { notifyError, notifySuccess } from "../notify.js";
import { useLoad } from "../use-load.js";

const MAX_COMMENT = 5000;

export function CommentsPanel({ taskId }: { taskId: number }) {
  const comments = useLoad(() => api.tasks.comments(taskId), [taskId], { quiet: true });
  const [form] = Form.useForm<{ body: string }>();
  const [sending, setSending] = useState(false);

  const send = async ({ body }: { body: string }) => {
    setSending(true);
    try {
      await api.tasks.comment(taskId, body.trim());
      form.resetFields();
      notifySuccess("意见已发表");
      await comments.reload();
    } catch (error) {
      notifyError(error, "意见没有发表");
    } finally {
      setSending(false);
    }
  };

  return (
    <Flex vertical gap={12}>
      {comments.error !== undefined ? (
        <Typography.Text type="secondary">批示意见暂时无法读取。</Typography.Text>
      ) : (comments.data ?? []).length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={comments.loading ? "读取中…" : "还没有批示意见"} />
      ) : (
        (comments.data ?? []).map((comment: Comment) => (
          <div key={comment.id} data-comment-id={comment.id} style={{ borderInlineStart: "3px solid #e6f4ff", paddingInlineStart: 12 }}>
            <Flex justify="space-between" gap={8} wrap>
              <Typography.Text strong>{comment.authorName}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatInstant(comment.createdAt)}
              </Typography.Text>
            </Flex>
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: "4px 0 0" }}>{comment.body}</Typography.Paragraph>
          </div>
        ))
      )}
      <Form form={form} onFinish={send} layout="vertical">
        <Form.Item name="body" rules={[{ required: true, whitespace: true, message: "请填写意见" }]} style={{ marginBottom: 8 }}>
          <Input.TextArea rows={3} maxLength={MAX_COMMENT} placeholder="写下批示或意见" aria-label="批示意见" />
        </Form.Item>
        <Flex justify="flex-end">
          <Button type="primary" htmlType="submit" loading={sending}>
            发表意见
          </Button>
        </Flex>
      </Form>
    </Flex>
  );
}
