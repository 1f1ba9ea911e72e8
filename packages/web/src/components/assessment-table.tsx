// 考核: each lead unit's score under the scoring model, one column per indicator; a row opens to
// the evidence behind every indicator (which tasks counted, which did not, and why), so a unit
// that disputes its score can be shown the tasks.
import { Flex, Table, Tag, Typography, type TableColumnsType } from "antd";
import type { AssessedIndicator, AssessedUnit, Assessment, EvidenceItem } from "../api-types.js";
import { formatNumber } from "../format.js";
import { Link } from "../router.js";

const rate = (value: number | null) => (value === null ? "—" : `${Math.round(value * 1000) / 10}%`);
const points = (value: number | null) => (value === null ? "不计分" : formatNumber(value));

export function AssessmentTable({ assessment, loading }: { assessment: Assessment | undefined; loading: boolean }) {
  const model = assessment?.model;
  const labels = new Map<string, string>();
  for (const unit of assessment?.units ?? []) for (const indicator of unit.indicators) labels.set(indicator.key, indicator.label);

  const columns: TableColumnsType<AssessedUnit> = [
    { title: "排名", dataIndex: "rank", width: 64, align: "center", render: (rank: number | null) => rank ?? "—" },
    { title: "单位", dataIndex: "name", width: 180, ellipsis: true },
    {
      title: `得分(满分 ${formatNumber(model?.fullMarks)})`,
      dataIndex: "score",
      width: 130,
      align: "right",
      render: (score: number | null) => <Typography.Text strong>{score === null ? "—" : formatNumber(score)}</Typography.Text>,
    },
    ...(model?.indicators ?? []).map((indicator) => ({
      title: `${labels.get(indicator.key) ?? indicator.key}(${formatNumber(indicator.weight)} 分)`,
      key: indicator.key,
      width: 150,
      align: "right" as const,
      render: (_: unknown, unit: AssessedUnit) => {
        const found = unit.indicators.find((candidate) => candidate.key === indicator.key);
        if (!found) return "—";
        return (
          <span title={`完成率 ${rate(found.rate)}`}>
            {points(found.points)}
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
              {rate(found.rate)}
            </Typography.Text>
          </span>
        );
      },
    })),
  ];

  return (
    <Table<AssessedUnit>
      rowKey="unitId"
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={assessment?.units ?? []}
      pagination={false}
      scroll={{ x: 960 }}
      expandable={{ expandedRowRender: (unit) => <UnitEvidence unit={unit} />, rowExpandable: (unit) => unit.indicators.length > 0 }}
      locale={{ emptyText: "本统计期没有可考核的牵头单位" }}
      data-testid="assessment-table"
    />
  );
}

function UnitEvidence({ unit }: { unit: AssessedUnit }) {
  return (
    <Flex vertical gap={16} style={{ padding: "4px 8px" }} data-evidence-unit={unit.unitId}>
      {unit.indicators.map((indicator) => (
        <IndicatorEvidence key={indicator.key} indicator={indicator} />
      ))}
    </Flex>
  );
}

const evidenceColumns: TableColumnsType<EvidenceItem & { key: number }> = [
  {
    title: "任务",
    key: "task",
    ellipsis: true,
    render: (_, item) => (
      <Link to={`/tasks/${item.task.id}`}>
        第 {item.task.number} 项 {item.task.title}
      </Link>
    ),
  },
  { title: "计入", dataIndex: "counted", width: 72, render: (counted: boolean) => (counted ? <Tag color="green">计入</Tag> : <Tag>不计</Tag>) },
  { title: "值", dataIndex: "value", width: 72, align: "right", render: (value: number) => formatNumber(value) },
  { title: "说明", dataIndex: "note", ellipsis: true },
];

function IndicatorEvidence({ indicator }: { indicator: AssessedIndicator }) {
  const { measure } = indicator;
  // A task may stand twice in one indicator (two periods' reports): the row's place is its key.
  const rows = [...measure.items, ...measure.excluded].map((item, index) => ({ ...item, key: index }));
  return (
    <div>
      <Flex gap={12} wrap align="baseline" style={{ marginBottom: 6 }}>
        <Typography.Text strong>{indicator.label}</Typography.Text>
        <Typography.Text type="secondary">
          {formatNumber(measure.numerator)} / {measure.denominator} = {rate(indicator.rate)}
        </Typography.Text>
        <Typography.Text type="secondary">
          分值 {formatNumber(indicator.weight)}
          {indicator.appliedWeight !== indicator.weight ? `(按比例计 ${formatNumber(indicator.appliedWeight)})` : ""} · 得分 {points(indicator.points)}
        </Typography.Text>
      </Flex>
      <Table<EvidenceItem & { key: number }>
        rowKey="key"
        size="small"
        columns={evidenceColumns}
        dataSource={rows}
        pagination={rows.length > 10 ? { pageSize: 10, size: "small" } : false}
        locale={{ emptyText: "没有需要计算的事项(该项不计分)" }}
      />
    </div>
  );
}
