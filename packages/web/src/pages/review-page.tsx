// 审核待办: what waits for the office — period reports to accept or return (退回 needs a reason),
// completion reports to close out (销号: closing accepts the final report, see core's workflow),
// and extension requests, which leaders decide. Leaders see the reports read-only; the office sees
// the extension requests read-only. Each decision carries the task's version: a task changed
// meanwhile is refused (409) with the server's message, and the queue reloads either way.
import { ReloadOutlined } from "@ant-design/icons";
import { App, Alert, Button, Card, Descriptions, Empty, Flex, Progress, Skeleton, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from "antd";
import { useState, type HTMLAttributes } from "react";
import { api, evidenceUrl } from "../api.js";
import type { PendingExtension, Report, ReviewTaskRef, TaskAction } from "../api-types.js";
import { ReasonModal } from "../components/reason-modal.js";
import { ReportStatusTag } from "../components/status-tag.js";
import { formatDate, formatInstant, formatNumber, formatSize, kpiTarget } from "../format.js";
import { ACTION_LABELS } from "../labels.js";
import { notifyError, notifySuccess } from "../notify.js";
import { Link } from "../router.js";
import { useSession } from "../session.js";
import { useLoad } from "../use-load.js";
import { leadUnitName, useUnits } from "../use-units.js";

type ReportItem = { report: Report; task: ReviewTaskRef };
type ExtensionItem = { extension: PendingExtension; task: ReviewTaskRef };

/** What the reason dialog is open for. */
type Asking =
  | { kind: "return"; item: ReportItem }
  | { kind: "approve"; item: ExtensionItem }
  | { kind: "reject"; item: ExtensionItem };

const isFinal = (report: Report) => report.final === true;

function unitNames(task: ReviewTaskRef): string {
  const lead = task.units.filter((unit) => unit.role === "牵头");
  return (lead.length > 0 ? lead : task.units).map((unit) => unit.name).join("、") || "—";
}

export default function ReviewPage() {
  const session = useSession();
  const { modal } = App.useApp();
  const queue = useLoad(() => api.reviews.pending(), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const isAdmin = session.role === "admin";
  const isLeader = session.role === "leader";

  const act = async (key: string, task: ReviewTaskRef, action: TaskAction, done: string): Promise<void> => {
    setBusy(key);
    try {
      await api.tasks.act(task.id, task.version, action);
      notifySuccess(done);
      setAsking(null);
    } catch (error) {
      // A 409 (someone changed the task meanwhile, or it is no longer waiting) says so in Chinese.
      notifyError(error, `${ACTION_LABELS[action.type]}没有完成`);
    } finally {
      setBusy(null);
      await queue.reload();
    }
  };

  const closeOut = (item: ReportItem) => {
    void modal.confirm({
      title: `办结销号:第 ${item.task.number} 项 ${item.task.title}`,
      content: "销号即审核通过这份完成报告(及该任务其他待审核的报送),任务转为“已办结”,不能再报送。",
      okText: "办结销号",
      cancelText: "取消",
      onOk: () => act(`close:${item.report.id}`, item.task, { type: "close" }, "已办结销号"),
    });
  };

  const reports = queue.data?.reports ?? [];
  const periodic = reports.filter((item) => !isFinal(item.report));
  const finals = reports.filter((item) => isFinal(item.report));
  const extensions = queue.data?.extensions ?? [];

  const taskColumn = {
    title: "任务",
    key: "task",
    render: (_: unknown, item: { task: ReviewTaskRef }) => (
      <Flex vertical gap={2}>
        <Link to={`/tasks/${item.task.id}`}>
          {item.task.number}. {item.task.title}
        </Link>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 320 }}>
          {item.task.planTitle}
        </Typography.Text>
      </Flex>
    ),
  };
  // The queue names the units the plan lists; the unit it was dispatched to is in the row's detail.
  const unitColumn = { title: "计划责任单位", key: "units", width: 150, ellipsis: true, render: (_: unknown, item: { task: ReviewTaskRef }) => unitNames(item.task) };

  const reportColumns = (final: boolean): TableColumnsType<ReportItem> => [
    taskColumn,
    unitColumn,
    { title: "报送周期", key: "period", width: 96, render: (_, item) => item.report.period },
    { title: "状态", key: "status", width: 96, render: (_, item) => <ReportStatusTag status={item.report.status} /> },
    { title: "进度", key: "percent", width: 120, render: (_, item) => <Progress percent={item.report.percent} size="small" /> },
    { title: "报送时间", key: "submittedAt", width: 140, render: (_, item) => formatInstant(item.report.submittedAt) },
    {
      title: "操作",
      key: "actions",
      width: final ? 190 : 150,
      render: (_, item) =>
        isAdmin ? (
          <Space size={4}>
            {final ? (
              <Button type="primary" size="small" loading={busy === `close:${item.report.id}`} onClick={() => closeOut(item)}>
                办结销号
              </Button>
            ) : (
              <Button
                type="primary"
                size="small"
                loading={busy === `accept:${item.report.id}`}
                onClick={() => void act(`accept:${item.report.id}`, item.task, { type: "accept_report", period: item.report.period }, "已审核通过")}
              >
                通过
              </Button>
            )}
            <Button size="small" danger onClick={() => setAsking({ kind: "return", item })}>
              退回
            </Button>
          </Space>
        ) : (
          <Typography.Text type="secondary">督查室审核</Typography.Text>
        ),
    },
  ];

  const extensionColumns: TableColumnsType<ExtensionItem> = [
    taskColumn,
    unitColumn,
    { title: "原期限", key: "previous", width: 110, render: (_, item) => formatDate(item.extension.previousDueDate) },
    { title: "申请延至", key: "requested", width: 110, render: (_, item) => <Typography.Text strong>{formatDate(item.extension.requestedDate)}</Typography.Text> },
    { title: "理由", key: "reason", ellipsis: true, render: (_, item) => item.extension.reason },
    { title: "申请时间", key: "requestedAt", width: 140, render: (_, item) => formatInstant(item.extension.requestedAt) },
    {
      title: "操作",
      key: "actions",
      width: 150,
      render: (_, item) =>
        isLeader ? (
          <Space size={4}>
            <Button type="primary" size="small" onClick={() => setAsking({ kind: "approve", item })}>
              批准
            </Button>
            <Button size="small" danger onClick={() => setAsking({ kind: "reject", item })}>
              驳回
            </Button>
          </Space>
        ) : (
          <Typography.Text type="secondary">由领导审批</Typography.Text>
        ),
    },
  ];

  const reportTable = (items: ReportItem[], final: boolean) =>
    items.length === 0 ? (
      <Empty description={final ? "没有待销号的任务" : "没有待审核的报送"} />
    ) : (
      <div data-queue={final ? "finals" : "reports"}>
      <Table<ReportItem>
        rowKey={(item) => item.report.id}
        size="middle"
        columns={reportColumns(final)}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(item) => ({ "data-report-id": item.report.id }) as HTMLAttributes<HTMLElement>}
        expandable={{ expandedRowRender: (item) => <ReportDetail item={item} />, rowExpandable: () => true }}
      />
      </div>
    );

  const asked = asking?.kind === "return" ? "退回报送" : asking?.kind === "approve" ? "批准延期" : "驳回延期";
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          审核待办
        </Typography.Title>
      }
      extra={<Button icon={<ReloadOutlined />} onClick={() => void queue.reload()} aria-label="刷新" />}
    >
      {isLeader && <Alert type="info" showIcon style={{ marginBottom: 16 }} title="报送的审核和销号由督查室办理;延期申请由您审批。" />}
      {queue.loading && !queue.data ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Tabs
          items={[
            { key: "reports", label: `待审核报送(${periodic.length})`, children: reportTable(periodic, false) },
            { key: "finals", label: `申请销号(${finals.length})`, children: reportTable(finals, true) },
            {
              key: "extensions",
              label: `延期申请(${extensions.length})`,
              children:
                extensions.length === 0 ? (
                  <Empty description="没有待审批的延期申请" />
                ) : (
                  <Table<ExtensionItem>
                    rowKey={(item) => item.extension.id}
                    size="middle"
                    columns={extensionColumns}
                    dataSource={extensions}
                    pagination={{ pageSize: 20, hideOnSinglePage: true }}
                    onRow={(item) => ({ "data-extension-id": item.extension.id }) as HTMLAttributes<HTMLElement>}
                  />
                ),
            },
          ]}
        />
      )}
      <ReasonModal
        open={asking !== null}
        title={asking ? `${asked}:第 ${asking.item.task.number} 项 ${asking.item.task.title}` : ""}
        label={asking?.kind === "return" ? "退回理由" : asking?.kind === "approve" ? "审批意见" : "驳回理由"}
        okText={asking?.kind === "return" ? "退回" : asking?.kind === "approve" ? "批准" : "驳回"}
        required={asking?.kind !== "approve"}
        danger={asking?.kind !== "approve"}
        busy={busy !== null}
        onCancel={() => setAsking(null)}
        onSubmit={(text) => {
          if (!asking) return;
          if (asking.kind === "return") {
            void act(`return:${asking.item.report.id}`, asking.item.task, { type: "return_report", period: asking.item.report.period, reason: text }, "已退回");
          } else if (asking.kind === "approve") {
            void act(`approve:${asking.item.extension.id}`, asking.item.task, text ? { type: "approve_extension", note: text } : { type: "approve_extension" }, "已批准延期");
          } else {
            void act(`reject:${asking.item.extension.id}`, asking.item.task, { type: "reject_extension", reason: text }, "已驳回延期申请");
          }
        }}
      />
    </Card>
  );
}

/** A report in full: what the unit wrote, its KPI values against the targets, its files, earlier reviews of the period. */
function ReportDetail({ item }: { item: ReportItem }) {
  const units = useUnits();
  const detail = useLoad(() => api.tasks.get(item.task.id), [item.task.id, item.task.version]);
  if (!detail.data) return <Skeleton active paragraph={{ rows: 2 }} />;
  const task = detail.data;
  const full = task.reports.find((report) => report.id === item.report.id);
  const earlier = task.reports.filter((report) => report.period === item.report.period && report.id !== item.report.id && report.reviewState === "已退回");
  const kpis = new Map(task.kpis.map((kpi) => [kpi.id, kpi]));
  return (
    <Descriptions
      size="small"
      column={1}
      data-report-detail={item.report.id}
      items={[
        { key: "lead", label: "牵头单位", children: `${leadUnitName(units, task)}(办理期限 ${formatDate(task.dueDate)})` },
        { key: "narrative", label: "工作进展", children: <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{item.report.narrative || "—"}</Typography.Paragraph> },
        {
          key: "kpis",
          label: "指标实际值",
          children:
            (full?.kpiValues ?? []).length === 0
              ? "—"
              : (full?.kpiValues ?? []).map((value) => {
                  const kpi = kpis.get(value.kpiId);
                  return (
                    <div key={value.kpiId}>
                      {kpi ? `${kpi.quote}(目标 ${kpiTarget(kpi)}):` : `指标 ${value.kpiId}:`}
                      <Typography.Text strong>
                        {formatNumber(value.value)}
                        {kpi?.unit ?? ""}
                      </Typography.Text>
                    </div>
                  );
                }),
        },
        {
          key: "evidence",
          label: "佐证材料",
          children:
            (full?.evidence ?? []).length === 0 ? (
              "—"
            ) : (
              <Flex gap={8} wrap>
                {(full?.evidence ?? []).map((file) => (
                  <a key={file.id} href={evidenceUrl(file.id)} download>
                    {file.fileName}({formatSize(file.size)})
                  </a>
                ))}
              </Flex>
            ),
        },
        ...(earlier.length > 0
          ? [
              {
                key: "earlier",
                label: "此前退回",
                children: earlier.map((report) => (
                  <div key={report.id}>
                    <Tag color="red">已退回</Tag>
                    {formatInstant(report.reviewedAt)} {report.reviewNote}
                  </div>
                )),
              },
            ]
          : []),
      ]}
    />
  );
}
