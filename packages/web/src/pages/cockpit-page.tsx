// 领导驾驶舱: the whole ledger at a glance for leaders and the office — totals with their lights,
// completion and lights by unit and by section, the red list, KPI attainment, when open tasks
// fall due, and every plan on one timeline. Every number opens the tasks behind it (the ledger
// with the same filters the server counted by). The plan filter lives in the address.
//
// When every chart has drawn, the page sets data-charts-ready="true" and the performance mark
// "cockpit-charts-ready" (what bench/cockpit.mjs measures the time to interactive by).
import { ReloadOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Col, Empty, Flex, Row, Select, Skeleton, Statistic, Table, Typography, type TableColumnsType } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes, type ReactNode } from "react";
import { api } from "../api.js";
import type { Cockpit, LedgerRow } from "../api-types.js";
import { calendarChart, calendarWindow, completion, ganttChart, kpiChart, ledgerLink, percent, sectionChart, unitChart, type ChartOption, type Linked } from "../cockpit/cockpit-charts.js";
import { LazyChart, type ChartClick } from "../components/lazy-chart.js";
import { LightTag } from "../components/light-tag.js";
import { bureauToday, formatDate, formatInstant } from "../format.js";
import { LIGHT_COLORS, LIGHT_HINTS } from "../labels.js";
import { Link, navigate, pathWithQuery, useLocation } from "../router.js";
import { useLoad } from "../use-load.js";
import { leadUnitName, useUnits } from "../use-units.js";

const READY_MARK = "cockpit-charts-ready";
const RED_PAGE = 8;
const KPI_HEIGHT = 290;

type ChartId = "unit" | "section" | "gantt" | "calendar" | "kpi";

/** The ?plan= of an address, when it names a plan. */
function planOf(query: URLSearchParams): number | undefined {
  const plan = Number(query.get("plan"));
  return Number.isInteger(plan) && plan > 0 ? plan : undefined;
}

// The numbers and the charts' library are asked for as soon as this page's code arrives, not
// when the page first renders: React shows a lazy page's fallback for a moment (up to 300 ms)
// before it mounts, and the counting on the server is the longest wait of the screen.
let early: { plan: number | undefined; cockpit: Promise<Cockpit> } | undefined =
  window.location.pathname === "/cockpit" ? { plan: planOf(new URLSearchParams(window.location.search)), cockpit: api.cockpit.get(planOf(new URLSearchParams(window.location.search))) } : undefined;
// A refusal is shown when the page takes the answer, not as an unhandled rejection before.
early?.cockpit.catch(() => undefined);
void import("../components/load-echarts.js");

/** The answer asked for early, once, when it is for the plan the page shows. */
function cockpitFor(plan: number | undefined): Promise<Cockpit> {
  const taken = early;
  early = undefined;
  return taken && taken.plan === plan ? taken.cockpit : api.cockpit.get(plan);
}

function openLink(event: ChartClick): void {
  const link = (event.data as Linked | undefined)?.link;
  if (link) navigate(link);
}

export default function CockpitPage() {
  const location = useLocation();
  const plan = planOf(location.query);
  const cockpit = useLoad(() => cockpitFor(plan), [plan]);
  const plans = useLoad(() => api.plans.list(), []);
  const units = useUnits();
  const today = bureauToday();
  const data = cockpit.data;

  const options = useMemo(() => {
    if (!data) return null;
    const window = calendarWindow(data, today);
    return {
      window,
      unit: unitChart(data, plan),
      section: sectionChart(data, plan),
      kpi: kpiChart(data),
      calendar: calendarChart(data, plan, window, today),
      gantt: ganttChart(data, today),
    };
  }, [data, plan, today]);

  const shown = useMemo(() => {
    const charts = new Set<ChartId>();
    if (!data) return charts;
    if (data.byUnit.length > 0) charts.add("unit");
    if (data.bySection.length > 0) charts.add("section");
    if (data.byPlan.some((row) => row.firstDue !== null)) charts.add("gantt");
    if (data.dueCalendar.length > 0) charts.add("calendar");
    if (data.kpis.some((kpi) => kpi.attainment !== null)) charts.add("kpi");
    return charts;
  }, [data]);

  // Which charts have drawn the current data; the page is ready when all shown ones have.
  const [drawn, setDrawn] = useState<ReadonlySet<ChartId>>(new Set());
  useEffect(() => setDrawn(new Set()), [data]);
  const markedCharts = useRef(new Set<ChartId>());
  useEffect(() => markedCharts.current.clear(), [data]);
  const finished = useCallback((id: ChartId) => {
    // Each chart's own moment, for the benchmark's breakdown (the first drawing of this data only).
    if (!markedCharts.current.has(id)) {
      markedCharts.current.add(id);
      performance.mark(`${READY_MARK}:${id}`);
    }
    setDrawn((current) => (current.has(id) ? current : new Set(current).add(id)));
  }, []);
  const ready = data !== undefined && [...shown].every((id) => drawn.has(id));
  const marked = useRef<unknown>(undefined);
  useEffect(() => {
    if (ready && marked.current !== data) {
      marked.current = data;
      performance.mark(READY_MARK);
    }
  }, [ready, data]);

  const setPlan = (next?: number) => navigate(pathWithQuery(location.pathname, { plan: next }), { replace: true });

  const header = (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Flex align="baseline" gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          领导驾驶舱
        </Typography.Title>
        {data && <Typography.Text type="secondary">数据截至 {formatInstant(data.asOf)}</Typography.Text>}
      </Flex>
      <Flex gap={8}>
        <Select
          aria-label="计划"
          placeholder="全部计划"
          allowClear
          style={{ width: 320 }}
          value={plan}
          options={(plans.data ?? []).map((version) => ({ value: version.planId, label: version.title }))}
          onChange={(next?: number) => setPlan(next)}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void cockpit.reload()} aria-label="刷新" />
      </Flex>
    </Flex>
  );

  const totals = data?.totals;
  const count = (value: number | undefined) => value ?? 0;
  const totalCards: { key: string; title: string; value: number; color?: string; link: string; suffix?: ReactNode; hint?: string }[] = [
    { key: "tasks", title: "任务总数", value: count(totals?.tasks), link: ledgerLink({ plan }) },
    {
      key: "closed",
      title: "已办结",
      value: count(totals?.closed),
      color: "#1677ff",
      link: ledgerLink({ plan, status: "已办结" }),
      suffix: totals && <Typography.Text type="secondary" style={{ fontSize: 13 }}>完成率 {percent(completion(totals))}</Typography.Text>,
    },
    { key: "red", title: "红灯", value: count(totals?.red), color: LIGHT_COLORS.red, link: ledgerLink({ plan, light: "red" }), hint: LIGHT_HINTS.red },
    { key: "yellow", title: "黄灯", value: count(totals?.yellow), color: LIGHT_COLORS.yellow, link: ledgerLink({ plan, light: "yellow" }), hint: LIGHT_HINTS.yellow },
    { key: "green", title: "绿灯", value: count(totals?.green), color: LIGHT_COLORS.green, link: ledgerLink({ plan, light: "green" }), hint: LIGHT_HINTS.green },
    { key: "grey", title: "灰灯", value: count(totals?.grey), color: LIGHT_COLORS.grey, link: ledgerLink({ plan, light: "grey" }), hint: LIGHT_HINTS.grey },
  ];

  const redColumns: TableColumnsType<LedgerRow> = [
    { title: "编号", dataIndex: "number", width: 56 },
    { title: "任务", key: "title", ellipsis: true, render: (_, row) => <Link to={`/tasks/${row.id}`}>{row.title}</Link> },
    { title: "牵头单位", key: "lead", width: 110, ellipsis: true, render: (_, row) => leadUnitName(units, row) },
    { title: "办理期限", dataIndex: "dueDate", width: 100, render: (due: string | null) => formatDate(due) },
    { title: "灯色", key: "light", width: 76, render: (_, row) => <LightTag light={row.light} /> },
  ];

  // Every card keeps its height while the numbers load: nothing moves (and no chart is drawn
  // twice for a scrollbar appearing) when they arrive.
  const chartCard = (id: ChartId, title: string, height: number, option: ChartOption | undefined, extra?: ReactNode, empty = "暂无数据") => (
    <Card size="small" title={title} extra={extra} styles={{ body: { padding: 12 } }} data-chart={id}>
      {!data || !option ? (
        <div style={{ height }}>
          <Skeleton active paragraph={{ rows: Math.max(2, Math.floor(height / 48)) }} />
        </div>
      ) : shown.has(id) ? (
        <LazyChart option={option} height={height} ariaLabel={title} onItemClick={openLink} onFinished={() => finished(id)} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} style={{ height, margin: 0, paddingTop: 24, boxSizing: "border-box" }} />
      )}
    </Card>
  );

  const window = options?.window;
  const kpisWithout = data ? data.kpis.filter((kpi) => kpi.attainment === null).length : 0;
  const ganttRows = data ? data.byPlan.filter((row) => row.firstDue !== null).length : 2;
  return (
    <Flex vertical gap={16} data-charts-ready={ready ? "true" : "false"} data-testid="cockpit">
      {header}
      <Row gutter={[12, 12]}>
        {totalCards.map((card) => (
          <Col key={card.key} xs={12} md={8} xl={4}>
            <Link to={card.link} aria-label={`${card.title} ${card.value} 项`} title={card.hint} data-total={card.key}>
              <Card size="small" hoverable>
                <Statistic
                  loading={!data}
                  title={
                    <Typography.Text type="secondary" ellipsis style={{ fontSize: 13 }}>
                      {card.color && <Badge color={card.color} style={{ marginInlineEnd: 6 }} />}
                      {card.title}
                    </Typography.Text>
                  }
                  value={card.value}
                  suffix={card.suffix}
                  styles={{ content: { color: card.key === "red" && card.value > 0 ? LIGHT_COLORS.red : undefined } }}
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          {chartCard("unit", "各单位完成情况与灯色(按牵头单位)", 380, options?.unit)}
        </Col>
        <Col xs={24} xl={12}>
          {chartCard("section", "各章节完成情况与灯色", 380, options?.section)}
        </Col>
      </Row>

      {chartCard("gantt", "计划时间轴(首个至最后一个办理期限,蓝色为已办结比例)", Math.max(140, Math.min(12, ganttRows) * 40 + 50), options?.gantt)}

      {chartCard(
        "calendar",
        "到期分布(未办结任务的办理期限)",
        230,
        options?.calendar,
        window && (
          <Flex gap={12}>
            {window.before > 0 && (
              <Link to={ledgerLink({ plan, due_before: dayBefore(window.start) })}>
                {window.start} 前到期 {window.before} 项
              </Link>
            )}
            {window.after > 0 && (
              <Link to={ledgerLink({ plan, due_after: dayAfter(window.end) })}>
                {window.end} 后到期 {window.after} 项
              </Link>
            )}
          </Flex>
        ),
        "没有未办结且有期限的任务",
      )}

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={`红灯任务(${count(totals?.red)})`} extra={<Link to={ledgerLink({ plan, light: "red" })}>在台账中查看</Link>} styles={{ body: { padding: 0 } }} data-testid="red-list">
            <Table<LedgerRow>
              rowKey="id"
              size="small"
              loading={!data}
              columns={redColumns}
              dataSource={data?.red ?? []}
              pagination={{ pageSize: RED_PAGE, hideOnSinglePage: true, size: "small" }}
              onRow={(row) => ({ "data-task-id": row.id }) as HTMLAttributes<HTMLElement>}
              locale={{ emptyText: "没有红灯任务" }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          {chartCard(
            "kpi",
            "指标达成(达成度低的在前)",
            KPI_HEIGHT,
            options?.kpi,
            kpisWithout > 0 ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>另有 {kpisWithout} 项尚未报送实际值</Typography.Text> : undefined,
            "尚未报送指标实际值",
          )}
        </Col>
      </Row>
    </Flex>
  );
}

const DAY_MS = 86_400_000;
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
