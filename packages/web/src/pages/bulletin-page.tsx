// 通报与考核: a period's bulletin as the office will issue it (title, opening, each lead unit's
// numbers and rank, the red items by unit, the requirements), with a chart of completion by unit
// and the .docx/.xlsx the office sends out; and the period's 考核 scores with their evidence.
// The period and the tab live in the address (?period=2026-Q3&tab=assessment).
import { DownloadOutlined, ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Result, Skeleton, Table, Tabs, Tag, Typography, type TableColumnsType } from "antd";
import { useMemo, type HTMLAttributes } from "react";
import { api, assessmentXlsxUrl, bulletinUrl } from "../api.js";
import type { Bulletin, UnitStanding } from "../api-types.js";
import { AssessmentTable } from "../components/assessment-table.js";
import { LazyChart, type ChartOption } from "../components/lazy-chart.js";
import { PeriodPicker, currentMonth } from "../components/period-picker.js";
import { bureauToday, formatInstant } from "../format.js";
import { LIGHT_COLORS } from "../labels.js";
import { describeError } from "../notify.js";
import { Link, navigate, pathWithQuery, useLocation } from "../router.js";
import { useLoad } from "../use-load.js";

type Tab = "bulletin" | "assessment";
const PERIOD_PATTERN = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;
const ROWS_IN_VIEW = 15;
const PARAGRAPH = { textIndent: "2em", fontSize: 15, lineHeight: 1.9, margin: "0 0 8px" } as const;

const rate = (value: number | null) => (value === null ? "—" : `${Math.round(value * 1000) / 10}%`);
/** A rate with what it is made of: "80%(4/5)". */
const rateOf = (measure: { numerator: number; denominator: number; rate: number | null }) => (measure.denominator === 0 ? "—" : `${rate(measure.rate)}(${measure.numerator}/${measure.denominator})`);

export default function BulletinPage() {
  const location = useLocation();
  const today = bureauToday();
  const asked = location.query.get("period") ?? "";
  const period = PERIOD_PATTERN.test(asked) ? asked : currentMonth(today);
  const tab: Tab = location.query.get("tab") === "assessment" ? "assessment" : "bulletin";
  const go = (next: { period?: string; tab?: Tab }) =>
    navigate(pathWithQuery(location.pathname, { period: next.period ?? period, tab: (next.tab ?? tab) === "assessment" ? "assessment" : undefined }), { replace: true });

  // Each tab asks for its own numbers, when it is shown.
  const bulletin = useLoad(() => (tab === "bulletin" ? api.bulletins.get(period) : Promise.resolve(undefined)), [period, tab], { quiet: true });
  const assessment = useLoad(() => (tab === "assessment" ? api.assessment.get(period) : Promise.resolve(undefined)), [period, tab], { quiet: true });
  const shown = tab === "bulletin" ? bulletin : assessment;

  const downloads =
    tab === "bulletin" ? (
      <Flex gap={8}>
        <Button icon={<DownloadOutlined />} href={bulletinUrl(period, "docx")} download>
          下载通报(Word)
        </Button>
        <Button icon={<DownloadOutlined />} href={bulletinUrl(period, "xlsx")} download>
          下载数据(Excel)
        </Button>
      </Flex>
    ) : (
      <Button icon={<DownloadOutlined />} href={assessmentXlsxUrl(period)} download>
        下载考核表(Excel)
      </Button>
    );

  const failed = shown.error !== undefined && !shown.loading;
  return (
    <Flex vertical gap={16} data-testid="bulletin-page" data-period={period}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          通报与考核
        </Typography.Title>
        <Flex gap={8} wrap align="center">
          <PeriodPicker value={period} today={today} onChange={(next) => go({ period: next })} />
          <Button icon={<ReloadOutlined />} onClick={() => void shown.reload()} aria-label="刷新" />
        </Flex>
      </Flex>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => go({ tab: key as Tab })}
          tabBarExtraContent={downloads}
          items={[
            { key: "bulletin", label: "通报" },
            { key: "assessment", label: "考核" },
          ]}
        />
        {failed ? (
          <Result status="warning" title={describeError(shown.error).message} subTitle={describeError(shown.error).fix} extra={<Button onClick={() => void shown.reload()}>重试</Button>} />
        ) : tab === "bulletin" ? (
          bulletin.data && !bulletin.loading ? <BulletinView bulletin={bulletin.data} /> : <Skeleton active paragraph={{ rows: 12 }} />
        ) : (
          <Flex vertical gap={12}>
            {assessment.data && (
              <Typography.Text type="secondary">
                {assessment.data.period.label} · 数据截至 {formatInstant(assessment.data.cutOff)} · 得分 = Σ 分值 × 完成率;某项没有需要计算的事项时不计分,其分值按比例分给其他指标。展开一行可查看每项指标的计算依据。
              </Typography.Text>
            )}
            <AssessmentTable assessment={assessment.data} loading={assessment.loading} />
          </Flex>
        )}
      </Card>
    </Flex>
  );
}

function BulletinView({ bulletin }: { bulletin: Bulletin }) {
  const { text } = bulletin;
  const chart = useMemo(() => completionChart(bulletin.units), [bulletin]);
  const withRed = bulletin.units.filter((unit) => unit.redItems.length > 0);
  const heading = (title: string) => (
    <Typography.Title level={5} style={{ margin: "20px 0 8px" }}>
      {title}
    </Typography.Title>
  );

  const columns: TableColumnsType<UnitStanding> = [
    { title: "排名", dataIndex: "rank", width: 60, align: "center", fixed: "left", render: (rank: number | null) => rank ?? "—" },
    { title: "牵头单位", dataIndex: "name", width: 140, fixed: "left", ellipsis: true },
    { title: "任务数", dataIndex: "tasks", width: 68, align: "right" },
    { title: "已办结", dataIndex: "closed", width: 68, align: "right" },
    { title: "本期办结", dataIndex: "closedInPeriod", width: 80, align: "right" },
    { title: "按时办结", dataIndex: "closedOnTime", width: 80, align: "right" },
    { title: "逾期未办结", dataIndex: "overdueOpen", width: 92, align: "right", render: (count: number) => (count > 0 ? <span style={{ color: LIGHT_COLORS.red }}>{count}</span> : count) },
    { title: "红灯", dataIndex: "red", width: 56, align: "right", render: (count: number) => (count > 0 ? <span style={{ color: LIGHT_COLORS.red }}>{count}</span> : count) },
    { title: "办结率", key: "closeRate", width: 104, align: "right", render: (_, unit) => rateOf(unit.measures.closeRate) },
    { title: "按时办结率", key: "onTimeRate", width: 104, align: "right", render: (_, unit) => rateOf(unit.measures.onTimeRate) },
    { title: "按时报送率", key: "reportTimeliness", width: 104, align: "right", render: (_, unit) => rateOf(unit.measures.reportTimeliness) },
    { title: "指标达成率", key: "kpiAttainment", width: 104, align: "right", render: (_, unit) => rateOf(unit.measures.kpiAttainment) },
  ];

  return (
    <div style={{ maxWidth: 1200, margin: "0 auto" }} data-testid="bulletin">
      <div style={{ textAlign: "center", padding: "12px 0 4px" }}>
        {text.docNumber && <Typography.Text type="secondary">{text.docNumber}</Typography.Text>}
        <Typography.Title level={3} style={{ margin: "8px 0", color: "#c00", lineHeight: 1.5 }}>
          {text.titleLines.length > 0
            ? text.titleLines.map((line) => (
                <span key={line} style={{ display: "block" }}>
                  {line}
                </span>
              ))
            : text.title}
        </Typography.Title>
        <Typography.Text type="secondary">
          {bulletin.period.label}({bulletin.period.start} 至 {bulletin.period.end})· 数据截至 {formatInstant(bulletin.cutOff)}
        </Typography.Text>
      </div>
      {text.salutation && <p style={{ ...PARAGRAPH, textIndent: 0 }}>{text.salutation}</p>}
      <p style={PARAGRAPH}>{text.opening}</p>

      {heading(text.headings.overall)}
      {text.overall.map((paragraph) => (
        <p key={paragraph} style={PARAGRAPH}>
          {paragraph}
        </p>
      ))}

      {heading(text.headings.units)}
      {text.unitsIntro && <p style={PARAGRAPH}>{text.unitsIntro}</p>}
      <Table<UnitStanding>
        rowKey={(unit) => unit.unitId ?? "none"}
        size="small"
        bordered
        columns={columns}
        dataSource={bulletin.units}
        pagination={false}
        scroll={{ x: 1060 }}
        onRow={(unit) => ({ "data-unit-name": unit.name }) as HTMLAttributes<HTMLElement>}
        summary={() => (
          <Table.Summary.Row style={{ fontWeight: 600 }}>
            <Table.Summary.Cell index={0} colSpan={2}>
              合计
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">{bulletin.totals.tasks}</Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">{bulletin.totals.closed}</Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">{bulletin.totals.closedInPeriod}</Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">{bulletin.totals.closedOnTime}</Table.Summary.Cell>
            <Table.Summary.Cell index={6} align="right">{bulletin.totals.overdueOpen}</Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">{bulletin.totals.red}</Table.Summary.Cell>
            <Table.Summary.Cell index={8} align="right">{rateOf(bulletin.totals.measures.closeRate)}</Table.Summary.Cell>
            <Table.Summary.Cell index={9} align="right">{rateOf(bulletin.totals.measures.onTimeRate)}</Table.Summary.Cell>
            <Table.Summary.Cell index={10} align="right">{rateOf(bulletin.totals.measures.reportTimeliness)}</Table.Summary.Cell>
            <Table.Summary.Cell index={11} align="right">{rateOf(bulletin.totals.measures.kpiAttainment)}</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
        locale={{ emptyText: "本统计期没有任务" }}
      />
      <Card size="small" title="各单位办结率" style={{ marginTop: 16 }} styles={{ body: { padding: 12 } }}>
        {bulletin.units.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无数据" />
        ) : (
          <LazyChart option={chart.option} height={chart.height} ariaLabel="各单位办结率" />
        )}
      </Card>

      {heading(text.headings.problems)}
      {text.problemsIntro && <p style={PARAGRAPH}>{text.problemsIntro}</p>}
      {withRed.length === 0 ? (
        <p style={PARAGRAPH}>本期没有红灯事项。</p>
      ) : (
        <Flex vertical gap={12} data-testid="red-items">
          {withRed.map((unit) => (
            <div key={unit.unitId ?? "none"} data-red-unit={unit.name}>
              <Typography.Text strong>
                {unit.name}({unit.redItems.length} 项)
              </Typography.Text>
              <ol style={{ margin: "6px 0 0", paddingInlineStart: 28, lineHeight: 1.8 }}>
                {unit.redItems.map((item) => (
                  <li key={item.task.id}>
                    <Link to={`/tasks/${item.task.id}`}>
                      第 {item.task.number} 项 {item.task.title}
                    </Link>
                    <span style={{ marginInlineStart: 8 }}>
                      {item.reasons.map((reason) => (
                        <Tag key={`${reason.code}:${reason.period ?? ""}`} color="red" style={{ marginBlock: 2 }}>
                          {reason.message}
                        </Tag>
                      ))}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </Flex>
      )}

      {heading(text.headings.next)}
      {text.requirements.map((paragraph) => (
        <p key={paragraph} style={PARAGRAPH}>
          {paragraph}
        </p>
      ))}
      {text.notes.map((note) => (
        <p key={note} style={{ ...PARAGRAPH, color: "rgba(0,0,0,0.55)", fontSize: 13 }}>
          {note}
        </p>
      ))}
      <div style={{ textAlign: "right", lineHeight: 1.9, fontSize: 15, marginTop: 16 }}>
        <div>{text.signature}</div>
        <div>{text.date}</div>
      </div>
    </div>
  );
}

/** Completion (办结率) by lead unit, in the bulletin's order (its ranking); a slider past 15 units. */
function completionChart(units: UnitStanding[]): { option: ChartOption; height: number } {
  const rows = units.filter((unit) => unit.tasks > 0);
  const names = rows.map((unit) => unit.name);
  const values = rows.map((unit) => (unit.measures.closeRate.rate === null ? 0 : Math.round(unit.measures.closeRate.rate * 1000) / 10));
  const height = Math.max(160, Math.min(rows.length, ROWS_IN_VIEW) * 30 + 50);
  const scroll =
    rows.length > ROWS_IN_VIEW
      ? [
          { type: "slider", yAxisIndex: 0, startValue: 0, endValue: ROWS_IN_VIEW - 1, width: 12, right: 4, showDetail: false, brushSelect: false, zoomLock: true },
          { type: "inside", yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true, moveOnMouseMove: false },
        ]
      : [];
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (value: unknown) => `${String(value)}%` },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    // The first ranked at the top.
    yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 140, overflow: "truncate" } },
    dataZoom: scroll,
    series: [{ type: "bar", name: "办结率", data: values, barMaxWidth: 18, itemStyle: { color: "#1677ff" }, label: { show: true, position: "right", formatter: "{c}%" } }],
  };
  return { option, height };
}
