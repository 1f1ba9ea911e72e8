// A task as a card: how the ledger and 我的任务 show tasks on a phone, where a table would need
// sideways scrolling. The title opens the task; `extra` holds the card's buttons.
import { Card, Flex, Space, Typography } from "antd";
import type { ReactNode } from "react";
import type { LedgerRow } from "../api-types.js";
import { bureauToday, dueIn, formatDate } from "../format.js";
import { Link } from "../router.js";
import { LightTag } from "./light-tag.js";
import { StatusTag } from "./status-tag.js";

interface TaskCardProps {
  task: LedgerRow;
  leadUnit?: string;
  /** A line under the title (what is due). */
  note?: ReactNode;
  actions?: ReactNode;
}

export function TaskCard({ task, leadUnit, note, actions }: TaskCardProps) {
  const due = dueIn(task.dueDate, bureauToday());
  return (
    <Card size="small" styles={{ body: { padding: 12 } }} data-task-id={task.id}>
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="start" gap={8}>
          <Link to={`/tasks/${task.id}`} style={{ fontWeight: 500, minWidth: 0, overflowWrap: "anywhere" }}>
            {task.number}. {task.title}
          </Link>
          <LightTag light={task.light} />
        </Flex>
        <Space size={[8, 4]} wrap>
          <StatusTag status={task.status} />
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            期限 {formatDate(task.dueDate)}
            {due && task.status !== "已办结" && task.status !== "中止" ? `(${due})` : ""}
          </Typography.Text>
          {leadUnit && (
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {leadUnit}
            </Typography.Text>
          )}
        </Space>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
          {task.planTitle}
        </Typography.Text>
        {note}
        {actions && <Flex gap={8} wrap justify="flex-end">{actions}</Flex>}
      </Flex>
    </Card>
  );
}
