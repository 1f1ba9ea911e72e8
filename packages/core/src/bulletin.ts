// The numbers of a bulletin (通报) for a period, per lead unit: tasks, closed, closed on time,
// overdue and still open, red items, reports due in the period and filed on time, and how far the
// quantified targets are reached. Every rate keeps the tasks (or periods, or KPIs) behind its
// numerator and denominator, so a unit that disputes a number can be shown where it comes from;
// the assessment (assessment.ts) scores these same measures.
//
// Counting rules, the same in every document:
// - A task counts once, for its lead unit (牵头单位); co-units (配合单位) are not credited.
// - The figures are as they stood at the cut-off: the end of the period, or now if the period is
//   still running. Tasks are counted cumulatively (累计): every task dispatched by the cut-off;
//   tasks stopped (中止) by then are left out.
// - The due date is the one in force at the moment that matters (an approved extension counts
//   from its approval), as the lights read it.
import { attainment, type KpiTarget } from "./attainment.js";
import { addDays, bureauDay, chineseDate, isIsoDate, startOfBureauDay, type IsoDate } from "./calendar.js";
import { DEFAULT_LIGHT_SETTINGS, dueDateAt, lightOf, type LightReason, type LightResult, type LightSettings } from "./lights.js";
import { isPeriodLate, periodsBetween, reportCounts, type Period, type ReportFact } from "./periods.js";
import type { TaskState } from "./task-state.js";

export interface BulletinPeriod {
  /** "2025-03", "2025-Q1", "2025", or "2025-03-01~2025-03-15". */
  id: string;
  kind: "month" | "quarter" | "year" | "range";
  /** "2025年3月", "2025年第一季度", "2025年", "2025年3月1日至2025年3月15日". */
  label: string;
  start: IsoDate;
  end: IsoDate;
}

/** The forms of a bulletin period id, for a route's schema (the dates are checked by parseBulletinPeriod). */
export const BULLETIN_PERIOD_PATTERN = "^(\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?|\\d{4}-\\d{2}-\\d{2}~\\d{4}-\\d{2}-\\d{2})$";
const RANGE_SEPARATOR = "~";

/** The period an id names; null when it names none (a bad date, a range ending before it starts). */
export function parseBulletinPeriod(id: string): BulletinPeriod | null {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(id);
  if (month) return fromCadence(id, "month", `${id}-01`, "monthly");
  const quarter = /^(\d{4})-Q([1-4])$/.exec(id);
  if (quarter) {
    const first = (Number(quarter[2]) - 1) * 3 + 1;
    return fromCadence(id, "quarter", `${quarter[1]}-${String(first).padStart(2, "0")}-01`, "quarterly");
  }
  if (/^\d{4}$/.test(id)) return { id, kind: "year", label: `${id}年`, start: `${id}-01-01`, end: `${id}-12-31` };
  const [start, end, ...rest] = id.split(RANGE_SEPARATOR);
  if (start === undefined || end === undefined || rest.length > 0 || !isIsoDate(start) || !isIsoDate(end) || end < start) return null;
  return { id, kind: "range", label: `${chineseDate(start)}至${chineseDate(end)}`, start, end };
}

/** Months and quarters are the reporting periods' own spans and labels. */
function fromCadence(id: string, kind: "month" | "quarter", first: IsoDate, cadence: "monthly" | "quarterly"): BulletinPeriod | null {
  const [period] = periodsBetween({ kind: cadence }, first, first);
  return period && period.id === id ? { id, kind, label: period.label, start: period.start, end: period.end } : null;
}

/** When the figures are taken: the first instant after the period, or now while it runs. */
export function bulletinCutOff(period: BulletinPeriod, now: Date): Date {
  const end = startOfBureauDay(addDays(period.end, 1));
  return end.getTime() < now.getTime() ? end : now;
}

/** A bulletin for a period that has not begun has nothing to say. */
export function periodHasBegun(period: BulletinPeriod, now: Date): boolean {
  return startOfBureauDay(period.start).getTime() <= now.getTime();
}

/** A value a report gave for a KPI, with what the report's review says about it. */
export interface KpiValueFact {
  value: number;
  period: string;
  periodEnd: IsoDate;
  submittedAt: Date;
  reviewState: ReportFact["reviewState"];
  reviewedAt: Date | null;
}

export interface BulletinKpi {
  id: string;
  quote: string;
  target: KpiTarget;
  values: readonly KpiValueFact[];
}

export interface BulletinTask {
  id: string;
  number: string;
  title: string;
  planTitle: string;
  leadUnit: { id: string; name: string } | null;
  state: TaskState;
  reports: readonly ReportFact[];
  kpis: readonly BulletinKpi[];
}

export interface TaskRef {
  id: string;
  number: string;
  title: string;
  planTitle: string;
}

/** One thing a measure considered: a task, a reporting period of a task, or a KPI. */
export interface EvidenceItem {
  task: TaskRef;
  /** The period id or the KPI's wording; null for the task itself. */
  ref: string | null;
  /** In the numerator. */
  counted: boolean;
  /** What it adds to the numerator: 1 or 0, or a KPI's attainment. */
  value: number;
  note: string;
}

export interface Measure {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator; null when nothing is there to count. */
  rate: number | null;
  /** Everything in the denominator. */
  items: EvidenceItem[];
  /** Looked at and left out of both (a KPI with no value yet), and why. */
  excluded: EvidenceItem[];
}

export const MEASURE_KEYS = ["closeRate", "onTimeRate", "kpiAttainment", "reportTimeliness"] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

export interface RedItem {
  task: TaskRef;
  unitId: string | null;
  unitName: string;
  reasons: LightReason[];
}

export interface UnitStanding {
  /** null: tasks with no lead unit (and the totals). */
  unitId: string | null;
  name: string;
  tasks: number;
  closed: number;
  /** Closed within the period itself. */
  closedInPeriod: number;
  closedOnTime: number;
  overdueOpen: number;
  red: number;
  measures: Record<MeasureKey, Measure>;
  redItems: RedItem[];
  /** By the bulletin's order (close rate, on-time rate, fewer red and overdue); null: not ranked. */
  rank: number | null;
}

export interface Bulletin {
  period: BulletinPeriod;
  cutOff: Date;
  /** Ranked units first (best first), then tasks without a lead unit, if any. */
  units: UnitStanding[];
  totals: UnitStanding;
  /** Stopped by the cut-off: left out of every figure. */
  stopped: TaskRef[];
}

export interface BulletinInput {
  period: BulletinPeriod;
  tasks: readonly BulletinTask[];
  now: Date;
  settings?: LightSettings;
  /** Unit ids in the bureau's own order: ties are listed in it. */
  unitOrder?: readonly string[];
}

export const NO_LEAD_UNIT_NAME = "未明确牵头单位";
export const TOTALS_NAME = "合计";
/** A target exceeded counts as reached: one KPI overshot must not hide another one missed. */
const MAX_ATTAINMENT = 1;

interface TaskFigures {
  ref: TaskRef;
  unitId: string | null;
  unitName: string;
  closed: boolean;
  closedInPeriod: boolean;
  light: LightResult;
  closeItem: EvidenceItem;
  onTimeItem: EvidenceItem | null;
  overdueOpen: boolean;
  reportItems: EvidenceItem[];
  kpiItems: EvidenceItem[];
  kpiExcluded: EvidenceItem[];
}

export function computeBulletin(input: BulletinInput): Bulletin {
  const { period, now } = input;
  if (!periodHasBegun(period, now)) throw new RangeError(`period ${period.id} has not begun`);
  const settings = input.settings ?? DEFAULT_LIGHT_SETTINGS;
  const cutOff = bulletinCutOff(period, now);
  const stopped: TaskRef[] = [];
  const groups = new Map<string, { unitId: string | null; name: string; figures: TaskFigures[] }>();
  for (const task of input.tasks) {
    if (!dispatchedBy(task.state, cutOff)) continue;
    if (stoppedBy(task.state, cutOff)) {
      stopped.push(refOf(task));
      continue;
    }
    const key = task.leadUnit?.id ?? "";
    const group = groups.get(key) ?? { unitId: task.leadUnit?.id ?? null, name: task.leadUnit?.name ?? NO_LEAD_UNIT_NAME, figures: [] };
    group.figures.push(taskFigures(task, period, cutOff, settings));
    groups.set(key, group);
  }
  const order = new Map((input.unitOrder ?? []).map((id, index) => [id, index]));
  const listed = [...groups.values()].map((group) => standing(group.unitId, group.name, group.figures));
  const ranked = rank(
    listed.filter((unit) => unit.unitId !== null),
    compareStandings,
    (unit) => order.get(unit.unitId ?? "") ?? Number.MAX_SAFE_INTEGER,
  );
  const unassigned = listed.filter((unit) => unit.unitId === null);
  const all = [...groups.values()].flatMap((group) => group.figures);
  return { period, cutOff, units: [...ranked, ...unassigned], totals: standing(null, TOTALS_NAME, all), stopped };
}

/**
 * Sorted by `compare` (negative: a before b), ties sharing a rank (1, 2, 2, 4) and listed by
 * `tieOrder`; items that are not `rankable` come last, unranked.
 */
export function rank<T extends { rank: number | null }>(
  items: readonly T[],
  compare: (a: T, b: T) => number,
  tieOrder: (item: T) => number,
  rankable: (item: T) => boolean = () => true,
): T[] {
  const ranked = items.filter(rankable).sort((a, b) => compare(a, b) || tieOrder(a) - tieOrder(b));
  const others = items.filter((item) => !rankable(item)).sort((a, b) => tieOrder(a) - tieOrder(b));
  return [
    ...ranked.map((item) => ({ ...item, rank: ranked.findIndex((other) => compare(other, item) === 0) + 1 })),
    ...others.map((item) => ({ ...item, rank: null })),
  ];
}

/** Higher close rate, then higher on-time rate, then fewer red items, then fewer overdue. */
function compareStandings(a: UnitStanding, b: UnitStanding): number {
  return (
    byRate(a.measures.closeRate.rate, b.measures.closeRate.rate) ||
    byRate(a.measures.onTimeRate.rate, b.measures.onTimeRate.rate) ||
    a.red - b.red ||
    a.overdueOpen - b.overdueOpen
  );
}

/** Descending, a rate that cannot be said after any that can. */
function byRate(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

function standing(unitId: string | null, name: string, figures: readonly TaskFigures[]): UnitStanding {
  const closeRate = measure(figures.map((figure) => figure.closeItem));
  return {
    unitId,
    name,
    tasks: figures.length,
    closed: closeRate.numerator,
    closedInPeriod: figures.filter((figure) => figure.closedInPeriod).length,
    closedOnTime: figures.filter((figure) => figure.onTimeItem?.counted === true).length,
    overdueOpen: figures.filter((figure) => figure.overdueOpen).length,
    red: figures.filter((figure) => figure.light.light === "red").length,
    measures: {
      closeRate,
      onTimeRate: measure(figures.flatMap((figure) => (figure.onTimeItem ? [figure.onTimeItem] : []))),
      kpiAttainment: measure(
        figures.flatMap((figure) => figure.kpiItems),
        figures.flatMap((figure) => figure.kpiExcluded),
      ),
      reportTimeliness: measure(figures.flatMap((figure) => figure.reportItems)),
    },
    redItems: figures
      .filter((figure) => figure.light.light === "red")
      .map((figure) => ({ task: figure.ref, unitId: figure.unitId, unitName: figure.unitName, reasons: figure.light.reasons })),
    rank: null,
  };
}

function measure(items: EvidenceItem[], excluded: EvidenceItem[] = []): Measure {
  const numerator = items.reduce((sum, item) => sum + item.value, 0);
  return { numerator, denominator: items.length, rate: items.length === 0 ? null : numerator / items.length, items, excluded };
}

function taskFigures(task: BulletinTask, period: BulletinPeriod, cutOff: Date, settings: LightSettings): TaskFigures {
  const { state } = task;
  const ref = refOf(task);
  const item = (counted: boolean, note: string): EvidenceItem => ({ task: ref, ref: null, counted, value: counted ? 1 : 0, note });
  const { closedAt } = state;
  // A record without the instant (older data) is closed as its status says, at an unknown day.
  const closed = closedAt !== null ? closedAt.getTime() <= cutOff.getTime() : state.status === "已办结";
  const closedDay = closed && closedAt !== null ? bureauDay(closedAt) : null;
  const closedInPeriod = closedDay !== null && closedDay >= period.start;
  const dueNow = dueDateAt(state, cutOff);
  const overdueOpen = !closed && dueNow !== null && dueNow < bureauDay(cutOff);

  let closeItem: EvidenceItem;
  let onTimeItem: EvidenceItem | null = null;
  if (closedDay !== null && closedAt !== null) {
    const dueAtClose = dueDateAt(state, closedAt);
    const onTime = dueAtClose === null || closedDay <= dueAtClose;
    closeItem = item(true, `${closedDay} 办结${closedInPeriod ? "(本期办结)" : ""}`);
    onTimeItem = item(onTime, dueAtClose === null ? `${closedDay} 办结,未设办理期限` : `办理期限 ${dueAtClose},${closedDay} 办结${onTime ? "" : ",逾期办结"}`);
  } else if (closed) {
    closeItem = item(true, "已办结(办结时间不详)");
    onTimeItem = item(true, "已办结,办结时间不详,按按时办结计");
  } else {
    closeItem = item(false, dueNow === null ? "未办结,未设办理期限" : `未办结,办理期限 ${dueNow}`);
    if (overdueOpen) onTimeItem = item(false, `办理期限 ${dueNow},逾期未办结`);
  }
  // A closed task is grey whatever its history: the bulletin's red items are the open ones.
  const light: LightResult = closed ? { light: "grey", reasons: [] } : lightOf(state, task.reports, cutOff, settings);
  const kpis = kpiItems(task, ref, cutOff);
  const unitId = task.leadUnit?.id ?? null;
  const unitName = task.leadUnit?.name ?? NO_LEAD_UNIT_NAME;
  return { ref, unitId, unitName, closed, closedInPeriod, light, closeItem, onTimeItem, overdueOpen, reportItems: reportItems(task, ref, period, cutOff, settings), kpiItems: kpis.items, kpiExcluded: kpis.excluded };
}

/**
 * The task's reporting periods due within the bulletin's period, whose due day is over by the
 * cut-off and which the unit still owed then (not closed, stopped or reported complete first);
 * each filed on time when a report for it stood at the end of its due day.
 */
function reportItems(task: BulletinTask, ref: TaskRef, period: BulletinPeriod, cutOff: Date, settings: LightSettings): EvidenceItem[] {
  const { cadence, dispatchedAt } = task.state;
  if (cadence === null || dispatchedAt === null) return [];
  const due = dueDateAt(task.state, cutOff);
  const periods = periodsBetween(cadence, bureauDay(dispatchedAt), due ?? bureauDay(cutOff), settings.calendar);
  return periods
    .filter((reporting) => reporting.due >= period.start && reporting.due <= period.end)
    .flatMap((reporting) => {
      const deadline = startOfBureauDay(addDays(reporting.due, 1));
      if (deadline.getTime() > cutOff.getTime() || !owed(task, deadline)) return [];
      const late = isPeriodLate(reporting, task.reports, deadline);
      return [{ task: ref, ref: reporting.id, counted: !late, value: late ? 0 : 1, note: reportNote(reporting, task.reports, late) }];
    });
}

function reportNote(reporting: Period, reports: readonly ReportFact[], late: boolean): string {
  if (!late) return `${reporting.label}进展应于 ${reporting.due} 前报送,已按时报送`;
  const filed = reports.filter((report) => report.period === reporting.id && report.reviewState !== "已退回").map((report) => bureauDay(report.submittedAt));
  return `${reporting.label}进展应于 ${reporting.due} 前报送,${filed.length > 0 ? `${filed.sort()[0]} 补报` : "未报送(或被退回)"}`;
}

/** Whether the unit still owed reports at `at`: not closed, not stopped, no completion report standing. */
function owed(task: BulletinTask, at: Date): boolean {
  const { closedAt, stoppedAt } = task.state;
  if (closedAt !== null && closedAt.getTime() < at.getTime()) return false;
  if (stoppedAt !== null && stoppedAt.getTime() < at.getTime()) return false;
  return !task.reports.some((report) => report.final && reportCounts(report, at));
}

/** Each KPI's standing value at the cut-off (the latest period's value still standing) and how far it reaches. */
function kpiItems(task: BulletinTask, ref: TaskRef, cutOff: Date): { items: EvidenceItem[]; excluded: EvidenceItem[] } {
  const items: EvidenceItem[] = [];
  const excluded: EvidenceItem[] = [];
  for (const kpi of task.kpis) {
    const standing = kpi.values
      .filter((fact) => reportCounts({ period: fact.period, submittedAt: fact.submittedAt, percent: 0, final: false, reviewState: fact.reviewState, reviewedAt: fact.reviewedAt }, cutOff))
      .reduce<KpiValueFact | null>((latest, fact) => (latest === null || later(fact, latest) ? fact : latest), null);
    const reached = attainment(kpi.target, standing?.value ?? null);
    if (standing === null || reached === null) {
      excluded.push({ task: ref, ref: kpi.quote, counted: false, value: 0, note: standing === null ? "截至统计时点未报送数值,不计入" : `报送值 ${standing.value} 无法计算达成度,不计入` });
      continue;
    }
    const capped = Math.min(reached, MAX_ATTAINMENT);
    const percent = formatPercent(reached);
    items.push({ task: ref, ref: kpi.quote, counted: true, value: capped, note: `${standing.period} 报送 ${standing.value},达成 ${percent}${reached > MAX_ATTAINMENT ? "(超额按100%计)" : ""}` });
  }
  return { items, excluded };
}

function later(a: KpiValueFact, b: KpiValueFact): boolean {
  if (a.periodEnd !== b.periodEnd) return a.periodEnd > b.periodEnd;
  return a.submittedAt.getTime() >= b.submittedAt.getTime();
}

/** Dispatched by `at`; older records without the instant count from their status. */
function dispatchedBy(state: TaskState, at: Date): boolean {
  if (state.dispatchedAt !== null) return state.dispatchedAt.getTime() <= at.getTime();
  return state.status !== "待交办";
}

function stoppedBy(state: TaskState, at: Date): boolean {
  if (state.stoppedAt !== null) return state.stoppedAt.getTime() <= at.getTime();
  return state.status === "中止";
}

function refOf(task: BulletinTask): TaskRef {
  return { id: task.id, number: task.number, title: task.title, planTitle: task.planTitle };
}

/** "66.7%": one decimal, as bulletins print rates; "—" for a rate that cannot be said. */
export function formatPercent(rate: number | null): string {
  if (rate === null) return "—";
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}
