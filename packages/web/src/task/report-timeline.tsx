// 报送记录: the unit's reports, newest first, each with its period, how it is going, the percent,
// the narrative, the KPI values and evidence files sent with it, and the office's review. The
// office reviews a waiting report right here (通过 / 退回重办).
import { PaperClipOutlined } from "@ant-design/icons";
import { Button, Empty, Flex, Popconfirm, Progress, Space, Timeline, Typography } from "antd";
import { useState } from "react";
import { evidenceUrl } from "../api.js";
import type { Kpi, Report } from "../api-types.js";
import { ReasonModal } from "../components/reason-modal.js";
import { ReportStatusTag, ReviewStateTag } from "../components/status-tag.js";
import { formatInstant, formatNumber, formatSize } from "../format.js";
import { monthLabel } from "../report/report-periods.js";
import type { TaskActionRunner } from "./use-task-action.js";

interface ReportTimelineProps {
  reports: Report[];
  kpis: Kpi[];
  /** The office may review waiting reports. */
  canReview: boolean;
  actions: TaskActionRunner;
}

const REVIEW_COLORS = { 待审核: "blue", 已通过: "green", 已退回: "red" } as const;

export function ReportTimeline({ reports, kpis, canReview, actions }: ReportTimelineProps) {
  const [returning, setReturning] = useState<Report | null>(null);
  if (reports.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有报送" />;
  const kpiById = new Map(kpis.map((kpi) => [kpi.id, kpi]));
  const newestFirst = [...reports].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));

  return (
    <>
      <Timeline
        items={newestFirst.map((report) => ({
          key: report.id,
          color: REVIEW_COLORS[report.reviewState],
          content: (
            <div data-report-id={report.id} data-period={report.period}>
              <Space size={6} wrap style={{ marginBottom: 4 }}>
                <Typography.Text strong>{monthLabel(report.period)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatInstant(report.submittedAt)} 报送
                </Typography.Text>
              </Space>
              <br />
              <Space size={[6, 4]} wrap style={{ marginBottom: 6 }}>
                <ReportStatusTag status={report.status} />
                <ReviewStateTag state={report.reviewState} />
                {report.final && <Typography.Text type="secondary">完成报告(申请销号)</Typography.Text>}
              </Space>
              <Progress percent={report.percent} size="small" style={{ maxWidth: 320 }} />
              {report.narrative && <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: "6px 0" }}>{report.narrative}</Typography.Paragraph>}
              {(report.kpiValues ?? []).length > 0 && (
                <Flex vertical gap={2} style={{ margin: "6px 0" }}>
                  {(report.kpiValues ?? []).map((value) => {
                    const kpi = kpiById.get(value.kpiId);
                    return (
                      <Typography.Text key={value.kpiId} style={{ fontSize: 13 }}>
                        <Typography.Text type="secondary">指标</Typography.Text> {kpi ? kpi.quote : `#${value.kpiId}`}:
                        <Typography.Text strong>
                          {formatNumber(value.value)}
                          {kpi?.unit ?? ""}
                        </Typography.Text>
                      </Typography.Text>
                    );
                  })}
                </Flex>
              )}
              {(report.evidence ?? []).length > 0 && (
                <Flex vertical gap={2} style={{ margin: "6px 0" }}>
                  {(report.evidence ?? []).map((file) => (
                    <a key={file.id} href={evidenceUrl(file.id)} download={file.fileName} style={{ overflowWrap: "anywhere" }}>
                      <PaperClipOutlined /> {file.fileName}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {" "}
                        ({formatSize(file.size)})
                      </Typography.Text>
                    </a>
                  ))}
                </Flex>
              )}
              {report.reviewState !== "待审核" && report.reviewedAt && (
                <Typography.Text type={report.reviewState === "已退回" ? "danger" : "secondary"} style={{ fontSize: 13, display: "block" }}>
                  {report.reviewState === "已退回" ? "退回意见" : "审核通过"}({formatInstant(report.reviewedAt)}){report.reviewNote ? `:${report.reviewNote}` : ""}
                </Typography.Text>
              )}
              {canReview && report.reviewState === "待审核" && (
                <Space style={{ marginTop: 6 }}>
                  {!report.final && (
                    <Popconfirm title={`通过 ${monthLabel(report.period)} 的报送?`} okText="通过" cancelText="取消" onConfirm={() => void actions.run({ type: "accept_report", period: report.period }, "报送已审核通过")}>
                      <Button size="small" type="primary" loading={actions.busy === "accept_report"}>
                        审核通过
                      </Button>
                    </Popconfirm>
                  )}
                  <Button size="small" danger onClick={() => setReturning(report)}>
                    退回重办
                  </Button>
                </Space>
              )}
            </div>
          ),
        }))}
      />
      <ReasonModal
        open={returning !== null}
        title={returning ? `退回 ${monthLabel(returning.period)} 的报送` : "退回报送"}
        label="退回理由"
        okText="退回"
        danger
        busy={actions.busy === "return_report"}
        onSubmit={(reason) => {
          if (!returning) return;
          void actions.run({ type: "return_report", period: returning.period, reason }, "已退回,承办单位将重新报送").then((ok) => ok && setReturning(null));
        }}
        onCancel={() => setReturning(null)}
      />
    </>
  );
}
