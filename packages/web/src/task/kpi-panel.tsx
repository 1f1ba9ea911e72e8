// 指标: each KPI the plan sets for the task, its target, the latest reported value and how far
// it is reached, and (once values come in) a chart of the values period by period against the
// target. ECharts loads only when there is such a chart.
import { Empty, Flex, Progress, Typography } from "antd";
import { useMemo } from "react";
import type { Kpi } from "../api-types.js";
import { LazyChart, type ChartOption } from "../components/lazy-chart.js";
import { formatAttainment, formatNumber, kpiTarget } from "../format.js";
import { monthLabel } from "../report/report-periods.js";

export function KpiPanel({ kpis }: { kpis: Kpi[] }) {
  if (kpis.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="计划没有为这项任务设定量化指标" />;
  return (
    <Flex vertical gap={20}>
      {kpis.map((kpi) => (
        <KpiBlock key={kpi.id} kpi={kpi} />
      ))}
    </Flex>
  );
}

function KpiBlock({ kpi }: { kpi: Kpi }) {
  const attainment = kpi.attainment ?? null;
  const percent = attainment === null ? 0 : Math.min(100, Math.round(attainment * 100));
  const actuals = kpi.actuals ?? [];
  return (
    <div data-kpi-id={kpi.id}>
      <Typography.Paragraph style={{ marginBottom: 8 }}>{kpi.quote}</Typography.Paragraph>
      <Flex gap={24} wrap align="center">
        <Stat label="目标" value={kpiTarget(kpi)} />
        <Stat label="最新实际值" value={kpi.latest === null || kpi.latest === undefined ? "尚未报送" : `${formatNumber(kpi.latest)}${kpi.unit}`} />
        <div style={{ minWidth: 160, flex: "1 1 160px" }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            达成率 {formatAttainment(attainment)}
          </Typography.Text>
          <Progress percent={percent} size="small" status={attainment === null ? "normal" : attainment >= 1 ? "success" : "active"} showInfo={false} />
        </div>
      </Flex>
      {actuals.length > 0 && <KpiChart kpi={kpi} />}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: "block" }}>
        {label}
      </Typography.Text>
      <Typography.Text strong>{value}</Typography.Text>
    </div>
  );
}

function KpiChart({ kpi }: { kpi: Kpi }) {
  const option = useMemo<ChartOption>(() => {
    const actuals = kpi.actuals ?? [];
    return {
      grid: { left: 48, right: 16, top: 28, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: actuals.map((actual) => monthLabel(actual.period)) },
      yAxis: { type: "value", name: kpi.unit, nameTextStyle: { align: "right" } },
      series: [
        {
          name: "实际值",
          type: "bar",
          barMaxWidth: 32,
          data: actuals.map((actual) => ({ value: actual.value, itemStyle: { color: actual.reviewState === "已退回" ? "#d9d9d9" : "#1677ff" } })),
          markLine: { symbol: "none", lineStyle: { color: "#fa541c", type: "dashed" }, label: { position: "insideEndTop", formatter: `目标 ${formatNumber(kpi.value)}${kpi.unit}` }, data: [{ yAxis: kpi.value }] },
        },
      ],
    };
  }, [kpi]);
  return <LazyChart option={option} height={200} ariaLabel={`指标“${kpi.quote}”各期实际值与目标`} style={{ marginTop: 8 }} />;
}
