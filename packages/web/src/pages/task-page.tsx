// 任务详情: one task in full. The plan's own words for it, its units, deadlines and milestones,
// its KPIs against their targets, the unit's reports (with evidence and KPI values), comments,
// extension requests, the workflow buttons the user may press, and the audit trail.
import { Alert, Card, Col, Descriptions, Empty, Flex, Result, Row, Skeleton, Space, Tag, Typography } from "antd";
import { useMemo, useState, type ReactNode } from "react";
import { ApiError, api } from "../api.js";
import type { TaskDetail } from "../api-types.js";
import { LightTag } from "../components/light-tag.js";
import { StatusTag } from "../components/status-tag.js";
import { bureauToday, dueIn, formatDate, formatInstant } from "../format.js";
import { ReportDrawer } from "../report/report-drawer.js";
import type { PageProps } from "../routes.js";
import { Link } from "../router.js";
import { useSession } from "../session.js";
import { AuditPanel } from "../task/audit-panel.js";
import { CommentsPanel } from "../task/comments-panel.js";
import { ExtensionsPanel } from "../task/extensions-panel.js";
import { KpiPanel } from "../task/kpi-panel.js";
import { ReportTimeline } from "../task/report-timeline.js";
import { TaskActions } from "../task/task-actions.js";
import { taskButtons } from "../task/task-rules.js";
import { useTaskAction } from "../task/use-task-action.js";
import { useLoad } from "../use-load.js";
import { useNarrow } from "../use-narrow.js";
import { leadUnitName, useUnits } from "../use-units.js";

export default function TaskPage({ params }: PageProps) {
  const taskId = Number(params.id);
  const session = useSession();
  const narrow = useNarrow();
  const units = useUnits();
  const task = useLoad(() => api.tasks.get(taskId), [taskId], { quiet: true });
  const actions = useTaskAction(task.data, task.reload);
  const [reporting, setReporting] = useState(false);
  const today = bureauToday();
  const buttons = useMemo(() => (task.data ? taskButtons(task.data, session.role, today) : new Set<never>()), [task.data, session.role, today]);

  if (!Number.isInteger(taskId) || taskId <= 0) return <Result status="404" title="任务不存在" />;
  if (task.error !== undefined && task.data === undefined) {
    const missing = task.error instanceof ApiError && task.error.status === 404;
    return (
      <Result
        status={missing ? "404" : "error"}
        title={missing ? "任务不存在或不属于您的单位" : "任务没有读取成功"}
        subTitle={task.error instanceof ApiError ? task.error.fix : undefined}
        extra={<Link to="/tasks">回到任务台账</Link>}
      />
    );
  }
  if (!task.data) return <Skeleton active paragraph={{ rows: 12 }} />;
  const detail = task.data;
  const section = (title: string, children: ReactNode, extra?: ReactNode) => (
    <Card title={title} extra={extra} size="small" styles={{ body: { padding: narrow ? 12 : 16 } }}>
      {children}
    </Card>
  );

  return (
    <Flex vertical gap={16}>
      <Card styles={{ body: { padding: narrow ? 12 : 20 } }}>
        <Flex vertical gap={10}>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            <Link to={`/tasks?plan=${detail.planId}`}>{detail.planTitle}</Link>
            {detail.sectionPath ? ` / ${detail.sectionPath} ${detail.sectionTitle ?? ""}` : ""}
          </Typography.Text>
          <Typography.Title level={narrow ? 5 : 4} style={{ margin: 0 }}>
            {detail.number}. {detail.title}
          </Typography.Title>
          <Space size={[12, 6]} wrap>
            <StatusTag status={detail.status} />
            <LightTag light={detail.light} />
            <Typography.Text type="secondary">
              办理期限 {formatDate(detail.dueDate)}
              {detail.status !== "已办结" && detail.status !== "中止" && dueIn(detail.dueDate, today) ? `(${dueIn(detail.dueDate, today)})` : ""}
            </Typography.Text>
          </Space>
          {detail.light.reasons.length > 0 && detail.light.light !== "green" && detail.light.light !== "grey" && (
            <Alert type={detail.light.light === "red" ? "error" : "warning"} showIcon title={detail.light.reasons.map((reason) => reason.message).join(" ")} />
          )}
          <TaskActions task={detail} buttons={buttons} actions={actions} onReport={() => setReporting(true)} />
        </Flex>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            {section(
              "计划原文",
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0, background: "#fafafa", borderInlineStart: "3px solid #91caff", padding: "8px 12px", overflowWrap: "anywhere" }}>
                {detail.quote || "(原文不可用)"}
              </Typography.Paragraph>,
            )}
            {section("量化指标", <KpiPanel kpis={detail.kpis} />)}
            {section(
              "报送记录",
              <ReportTimeline reports={detail.reports} kpis={detail.kpis} canReview={session.role === "admin"} actions={actions} />,
              detail.reports.length > 0 ? <Typography.Text type="secondary">{detail.reports.length} 次</Typography.Text> : undefined,
            )}
            {section("批示意见", <CommentsPanel taskId={detail.id} />)}
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            {section(
              "基本信息",
              <Descriptions column={1} size="small" styles={{ label: { width: 84 } }} items={infoItems(detail, leadUnitName(units, detail))} />,
            )}
            {section(
              "时间节点",
              detail.milestones.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="计划没有写明时间节点" />
              ) : (
                <Flex vertical gap={8}>
                  {detail.milestones.map((milestone) => (
                    <div key={milestone.id}>
                      <Space size={6}>
                        <Typography.Text strong>{milestone.dueDate}</Typography.Text>
                        {milestone.completedAt ? <Tag color="green">已完成</Tag> : milestone.dueDate < today ? <Tag color="red">已过期</Tag> : null}
                      </Space>
                      <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }} ellipsis={{ rows: 3, expandable: true, symbol: "展开" }}>
                        {milestone.quote}
                      </Typography.Paragraph>
                    </div>
                  ))}
                </Flex>
              ),
            )}
            {section("延期申请", <ExtensionsPanel extensions={detail.extensions} />)}
          </Flex>
        </Col>
      </Row>

      <AuditPanel taskId={detail.id} />

      <ReportDrawer
        task={detail}
        open={reporting}
        onClose={() => setReporting(false)}
        onSubmitted={() => {
          setReporting(false);
          void task.reload();
        }}
      />
    </Flex>
  );
}

function infoItems(detail: TaskDetail, lead: string): { key: string; label: string; children: ReactNode }[] {
  const items = [
    { key: "lead", label: "牵头单位", children: lead },
    {
      key: "units",
      label: "责任单位",
      children:
        detail.units.length === 0 ? (
          "—"
        ) : (
          <Space size={[4, 4]} wrap>
            {detail.units.map((unit) => (
              <Tag key={`${unit.name}-${unit.role}`} color={unit.role === "牵头" ? "blue" : undefined}>
                {unit.name}
                {unit.role !== "责任" ? `(${unit.role})` : ""}
              </Tag>
            ))}
          </Space>
        ),
    },
    { key: "dispatched", label: "交办时间", children: formatInstant(detail.dispatchedAt) },
    { key: "signed", label: "签收时间", children: formatInstant(detail.signedAt) },
    { key: "cadence", label: "报送周期", children: cadenceLabel(detail) },
  ];
  if (detail.closedAt) items.push({ key: "closed", label: "办结时间", children: formatInstant(detail.closedAt) });
  if (detail.stoppedAt) items.push({ key: "stopped", label: "中止", children: `${formatInstant(detail.stoppedAt)} ${detail.stopReason ?? ""}` });
  if (detail.lateness?.everRed) {
    const late = detail.lateness.latePeriods.length;
    items.push({ key: "late", label: "迟报记录", children: `亮红灯 ${detail.lateness.redDays} 天${late > 0 ? `,迟报 ${late} 期` : ""}` });
  }
  return items;
}

const CADENCE_LABELS = { weekly: "每周", monthly: "每月", bimonthly: "每两月", quarterly: "每季度", custom: "按指定日期" } as const;

function cadenceLabel(task: TaskDetail): string {
  if (!task.cadence) return "未设定(按月报送)";
  const label = CADENCE_LABELS[task.cadence.kind];
  return task.cadence.kind === "custom" ? `${label}:${task.cadence.dates.join("、")}` : label;
}
