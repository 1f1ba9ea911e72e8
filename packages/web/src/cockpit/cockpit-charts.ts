// The cockpit's charts as ECharts options, built from GET /api/cockpit. Every clickable item
// carries `link`: the ledger filtered to the tasks behind it (the same filters the server counted
// by), or the task itself. Animation is off: the screen is read for its numbers, is redrawn on
// every plan switch, and "drawn" then means drawn (the page reports when all charts are).
import type { Cockpit, IsoDate, LightCounts, TaskFilters } from "../api-types.js";
import { LIGHT_COLORS } from "../labels.js";
import { pathWithQuery } from "../router.js";

export type ChartOption = Record<string, unknown>;

/** Where a click on a chart item goes. */
export interface Linked {
  link?: string;
}

/** The ledger with these filters (the status filter for 已办结). */
export function ledgerLink(filters: TaskFilters): string {
  return pathWithQuery("/tasks", { ...filters });
}

/** The segments of a bar of lights: 已办结 apart from the other grey tasks, so completion shows. */
export const SEGMENTS = [
  { key: "red", name: "红灯", color: LIGHT_COLORS.red, count: (c: LightCounts) => c.red, filter: { light: "red" } },
  { key: "yellow", name: "黄灯", color: LIGHT_COLORS.yellow, count: (c: LightCounts) => c.yellow, filter: { light: "yellow" } },
  { key: "green", name: "绿灯", color: LIGHT_COLORS.green, count: (c: LightCounts) => c.green, filter: { light: "green" } },
  { key: "closed", name: "已办结", color: "#1677ff", count: (c: LightCounts) => c.closed, filter: { status: "已办结" } },
  // Grey is 已办结 or 中止 (core's lights): what is grey and not closed was stopped.
  { key: "grey", name: "已中止", color: LIGHT_COLORS.grey, count: (c: LightCounts) => Math.max(0, c.grey - c.closed), filter: { light: "grey" } },
] as const satisfies readonly { key: string; name: string; color: string; count(c: LightCounts): number; filter: TaskFilters }[];

export function completion(counts: LightCounts): number {
  return counts.tasks === 0 ? 0 : counts.closed / counts.tasks;
}

export const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Worst first: red, then yellow, then size. */
function byConcern(a: LightCounts, b: LightCounts): number {
  return b.red - a.red || b.yellow - a.yellow || b.tasks - a.tasks;
}

const BASE: ChartOption = { animation: false, grid: { left: 8, right: 36, top: 36, bottom: 8, containLabel: true } };
const LEGEND = { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 12 } };
/** Bars in view at once; a slider scrolls through the rest (a bureau may have a thousand units). */
const ROWS_IN_VIEW = 12;

function scroller(rows: number, axis: "yAxisIndex" | "xAxisIndex" = "yAxisIndex"): ChartOption[] {
  if (rows <= ROWS_IN_VIEW) return [];
  return [
    { type: "slider", [axis]: 0, startValue: 0, endValue: ROWS_IN_VIEW - 1, width: 12, right: 4, showDetail: false, brushSelect: false, zoomLock: true },
    { type: "inside", [axis]: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true, moveOnMouseMove: false },
  ];
}

interface Row {
  label: string;
  counts: LightCounts;
  /** The filters behind the whole row; a segment adds its own. */
  filters: TaskFilters | null;
  tip: string;
}

function stackedLights(rows: Row[], categoryWidth: number): ChartOption {
  return {
    ...BASE,
    legend: { ...LEGEND, data: SEGMENTS.map((segment) => segment.name) },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      // The row's numbers, with its completion rate, whichever segment the pointer is on.
      formatter: (items: { dataIndex: number }[]) => {
        const row = rows[items[0]?.dataIndex ?? 0];
        if (!row) return "";
        const lines = SEGMENTS.map((segment) => `<span style="color:${segment.color}">●</span> ${segment.name} ${segment.count(row.counts)}`);
        return [`<b>${escapeHtml(row.tip)}</b>`, `任务 ${row.counts.tasks} 项,完成率 ${percent(completion(row.counts))}`, ...lines].join("<br/>");
      },
    },
    xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { type: "dashed" } } },
    yAxis: { type: "category", inverse: true, data: rows.map((row) => row.label), axisLabel: { width: categoryWidth, overflow: "truncate" }, axisTick: { show: false } },
    dataZoom: scroller(rows.length),
    series: SEGMENTS.map((segment) => ({
      name: segment.name,
      type: "bar",
      stack: "lights",
      barMaxWidth: 18,
      itemStyle: { color: segment.color },
      emphasis: { focus: "series" },
      data: rows.map((row) => ({ value: segment.count(row.counts), link: row.filters ? ledgerLink({ ...row.filters, ...segment.filter }) : undefined })),
    })),
  };
}

export function unitChart(data: Cockpit, plan: number | undefined): ChartOption {
  const rows = [...data.byUnit].sort(byConcern).map((unit) => ({
    label: unit.name,
    counts: unit,
    filters: unit.unitId === null ? null : { plan, lead_unit: unit.unitId },
    tip: unit.unitId === null ? `${unit.name}(尚未交办到单位)` : unit.name,
  }));
  return stackedLights(rows, 120);
}

export function sectionChart(data: Cockpit, plan: number | undefined): ChartOption {
  const plans = new Map(data.byPlan.map((candidate, index) => [candidate.planId, { title: candidate.title, index }]));
  const several = new Set(data.bySection.map((section) => section.planId)).size > 1;
  const rows = [...data.bySection].sort(byConcern).map((section) => {
    const owner = plans.get(section.planId);
    const own = `${section.sectionPath}、${section.sectionTitle}`;
    return {
      label: several && owner ? `${shortTitle(owner.title)}·${own}` : own,
      counts: section,
      filters: { plan: plan ?? section.planId, section: section.sectionPath },
      tip: owner ? `${owner.title} ${own}` : own,
    };
  });
  return stackedLights(rows, 150);
}

/** Bars stop here (a target exceeded ninety-fold would flatten every other bar); labels say the truth. */
const KPI_AXIS_CAP = 150;

/**
 * A plan's name short enough to tell plans apart in a label: what 《》 quote in a 关于印发《…》的通知,
 * without the year every plan of the year starts with.
 */
export function shortTitle(title: string): string {
  const quoted = /《([^》]+)》/.exec(title)?.[1] ?? title;
  return quoted.replace(/^\d{4}年(度)?/, "").slice(0, 6);
}

/** KPIs least attained first (the API's order), those with a value only. */
export function kpiChart(data: Cockpit): ChartOption {
  const rows = data.kpis.filter((kpi) => kpi.attainment !== null).map((kpi) => ({ ...kpi, shown: Math.round((kpi.attainment ?? 0) * 100) }));
  return {
    ...BASE,
    grid: { ...(BASE.grid as object), top: 8, right: 48 },
    tooltip: {
      trigger: "item",
      formatter: (item: { dataIndex: number }) => {
        const kpi = rows[item.dataIndex];
        return kpi ? `<b>第 ${escapeHtml(kpi.taskNumber)} 项 ${escapeHtml(kpi.taskTitle)}</b><br/>${escapeHtml(kpi.quote)}<br/>最新 ${kpi.latest ?? "—"}${escapeHtml(kpi.unit)},达成 ${kpi.shown}%` : "";
      },
    },
    xAxis: { type: "value", min: 0, max: KPI_AXIS_CAP, interval: 50, axisLabel: { formatter: "{value}%" }, splitLine: { lineStyle: { type: "dashed" } } },
    yAxis: { type: "category", inverse: true, data: rows.map((kpi) => `${kpi.taskNumber}. ${kpi.quote}`), axisLabel: { width: 170, overflow: "truncate" }, axisTick: { show: false } },
    dataZoom: scroller(rows.length),
    series: [
      {
        type: "bar",
        barMaxWidth: 16,
        label: { show: true, position: "right", fontSize: 11, formatter: (item: { dataIndex: number }) => `${rows[item.dataIndex]?.shown ?? ""}%` },
        data: rows.map((kpi) => ({
          value: Math.min(kpi.shown, KPI_AXIS_CAP),
          link: `/tasks/${kpi.taskId}`,
          itemStyle: { color: kpi.shown >= 100 ? LIGHT_COLORS.green : kpi.shown >= 60 ? LIGHT_COLORS.yellow : LIGHT_COLORS.red },
        })),
        markLine: { silent: true, symbol: "none", lineStyle: { color: "#8c8c8c", type: "dashed" }, label: { show: false }, data: [{ xAxis: 100 }] },
      },
    ],
  };
}

// ---- the deadline calendar ---------------------------------------------------------------------

export interface CalendarWindow {
  start: IsoDate;
  end: IsoDate;
  /** Open tasks due before the window (long overdue) and after it. */
  before: number;
  after: number;
}

/** Twelve months from two months ago: what is overdue lately and what comes this year. */
export function calendarWindow(data: Cockpit, today: IsoDate): CalendarWindow {
  const [year, month] = today.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 1 - 2, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 12, 0));
  const start = first.toISOString().slice(0, 10);
  const end = last.toISOString().slice(0, 10);
  let before = 0;
  let after = 0;
  for (const day of data.dueCalendar) {
    if (day.date < start) before += day.count;
    else if (day.date > end) after += day.count;
  }
  return { start, end, before, after };
}

export function calendarChart(data: Cockpit, plan: number | undefined, window: CalendarWindow, today: IsoDate): ChartOption {
  const days = data.dueCalendar.filter((day) => day.date >= window.start && day.date <= window.end);
  const most = days.reduce((max, day) => Math.max(max, day.count), 1);
  return {
    animation: false,
    tooltip: { formatter: (item: { value: [string, number] }) => `${item.value[0]}<br/>到期未办结 ${item.value[1]} 项${item.value[0] < today ? "(已过期)" : ""}` },
    visualMap: {
      min: 1,
      max: most,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      itemWidth: 10,
      text: [`${most} 项`, "1 项"],
      textStyle: { fontSize: 11 },
      inRange: { color: ["#ffe7ba", "#ffa940", "#d4380d"] },
    },
    calendar: {
      range: [window.start, window.end],
      top: 28,
      left: 36,
      right: 12,
      cellSize: ["auto", 15],
      dayLabel: { firstDay: 1, nameMap: "ZH", fontSize: 10 },
      monthLabel: { nameMap: "ZH", fontSize: 11 },
      yearLabel: { show: false },
      itemStyle: { borderColor: "#fff", borderWidth: 1, color: "#fafafa" },
      splitLine: { lineStyle: { color: "#d9d9d9" } },
    },
    series: [
      {
        type: "heatmap",
        coordinateSystem: "calendar",
        data: days.map((day) => ({ value: [day.date, day.count], link: ledgerLink({ plan, due_after: day.date, due_before: day.date }) })),
      },
    ],
  };
}

// ---- the timeline across plans -----------------------------------------------------------------

const DAY_MS = 86_400_000;

/** Each plan from its first to its last due date, the completed share filled in, today marked. */
export function ganttChart(data: Cockpit, today: IsoDate): ChartOption {
  const plans = data.byPlan.filter((plan) => plan.firstDue !== null && plan.lastDue !== null);
  const time = (day: string) => Date.parse(`${day}T00:00:00Z`);
  return {
    animation: false,
    grid: { left: 8, right: 48, top: 24, bottom: 22, containLabel: true },
    tooltip: {
      formatter: (item: { dataIndex: number }) => {
        const plan = plans[item.dataIndex];
        return plan ? `<b>${escapeHtml(plan.title)}</b><br/>${plan.firstDue} 至 ${plan.lastDue}<br/>任务 ${plan.tasks} 项,已办结 ${plan.closed} 项(${percent(completion(plan))}),红灯 ${plan.red} 项` : "";
      },
    },
    xAxis: { type: "time", position: "top", splitLine: { show: true, lineStyle: { type: "dashed" } }, axisLabel: { formatter: "{yyyy}-{MM}", fontSize: 11 } },
    yAxis: { type: "category", inverse: true, data: plans.map((plan) => plan.title), axisLabel: { width: 180, overflow: "truncate" }, axisTick: { show: false } },
    dataZoom: scroller(plans.length),
    series: [
      {
        type: "custom",
        clip: true,
        encode: { x: [1, 2], y: 0 },
        data: plans.map((plan, index) => ({
          value: [index, time(plan.firstDue as string), time(plan.lastDue as string) + DAY_MS, completion(plan), plan.red],
          link: ledgerLink({ plan: plan.planId }),
        })),
        renderItem: (_params: unknown, api: GanttApi) => {
          const row = api.value(0);
          const from = api.coord([api.value(1), row]);
          const to = api.coord([api.value(2), row]);
          const height = Math.min(18, api.size([0, 1])[1] * 0.55);
          const width = Math.max(4, to[0] - from[0]);
          const top = from[1] - height / 2;
          const done = api.value(3);
          return {
            type: "group",
            children: [
              { type: "rect", shape: { x: from[0], y: top, width, height, r: 3 }, style: { fill: api.value(4) > 0 ? "#fff1f0" : "#e6f4ff", stroke: api.value(4) > 0 ? LIGHT_COLORS.red : "#91caff" } },
              { type: "rect", shape: { x: from[0], y: top, width: width * done, height, r: 3 }, style: { fill: "#1677ff" } },
              { type: "text", style: { x: from[0] + width + 6, y: from[1], text: percent(done), verticalAlign: "middle", fill: "#595959", fontSize: 11 } },
            ],
          };
        },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: LIGHT_COLORS.red, type: "solid" },
          label: { formatter: "今天", position: "end", fontSize: 11 },
          data: [{ xAxis: time(today) }],
        },
      },
    ],
  };
}

/** What ECharts hands a custom series' renderItem (the part used here). */
interface GanttApi {
  value(dimension: number): number;
  coord(point: [number, number]): [number, number];
  size(range: [number, number]): [number, number];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
