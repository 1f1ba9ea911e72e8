// 督办单: every escalation the scheduler numbered (督办〔年〕第N号), newest first, for the office and
// leaders; each opens as the printable 督办单.
import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Table, Tag, Typography, type TableColumnsType } from "antd";
import { useState, type HTMLAttributes } from "react";
import { api } from "../api.js";
import type { SupervisionNoticeSummary } from "../api-types.js";
import { formatDate } from "../format.js";
import { LIGHT_COLORS, SUPERVISION_LEVEL_LABELS } from "../labels.js";
import { Link } from "../router.js";
import { useLoad } from "../use-load.js";

const PAGE = 20;

export default function SupervisionNoticesPage() {
  const [page, setPage] = useState(1);
  const offset = (page - 1) * PAGE;
  const notices = useLoad(() => api.supervisionNotices.list({ limit: PAGE, offset }), [offset]);
  const items = notices.data?.items ?? [];
  // The API says whether there is a next page, not how many: the pager knows one page ahead.
  const total = offset + items.length + (notices.data?.hasMore ? 1 : 0);

  const columns: TableColumnsType<SupervisionNoticeSummary> = [
    { title: "编号", dataIndex: "number", width: 180, render: (number: string, row) => <Link to={`/supervision-notices/${row.id}`}>{number}</Link> },
    {
      title: "督办事项",
      key: "task",
      ellipsis: true,
      render: (_, row) => (
        <Link to={`/tasks/${row.taskId}`}>
          {row.taskNumber ? `第 ${row.taskNumber} 项 ` : ""}
          {row.taskTitle}
        </Link>
      ),
    },
    { title: "牵头单位", dataIndex: "leadUnit", width: 140, ellipsis: true, render: (name?: string) => name || "—" },
    { title: "办理期限", dataIndex: "dueDate", width: 104, render: (due?: string) => formatDate(due) },
    {
      title: "逾期",
      dataIndex: "overdueDays",
      width: 84,
      render: (days?: number) => (days !== undefined && days > 0 ? <span style={{ color: LIGHT_COLORS.red }}>{days} 天</span> : "—"),
    },
    { title: "级别", dataIndex: "level", width: 150, render: (level: SupervisionNoticeSummary["level"]) => <Tag color={level === "office" ? "red" : "orange"}>{SUPERVISION_LEVEL_LABELS[level]}</Tag> },
    { title: "印发日期", dataIndex: "issuedOn", width: 104, render: (day: string) => formatDate(day) },
    { title: "反馈时限", dataIndex: "replyBy", width: 104, render: (day: string) => formatDate(day) },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          督办单
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void notices.reload()} aria-label="刷新" />
      </Flex>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<SupervisionNoticeSummary>
          rowKey="id"
          size="middle"
          loading={notices.loading}
          columns={columns}
          dataSource={items}
          scroll={{ x: 1000 }}
          pagination={{ current: page, pageSize: PAGE, total, onChange: setPage, hideOnSinglePage: true, showSizeChanger: false }}
          onRow={(row) => ({ "data-notice-id": row.id }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: "还没有督办单:任务逾期未办且催办无果时,系统按督办规则自动编号生成" }}
          data-testid="supervision-notices"
        />
      </Card>
    </Flex>
  );
}
