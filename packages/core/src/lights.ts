// Status lights (红黄绿灯), computed from dates and reports and never typed by hand, and the
// lateness history behind them: a task that was red keeps showing it after it recovers.
//
// The light is a function of one instant. History replays it: on each day at 00:00 (when dates
// pass) and at every instant inside the day where a fact changed (a report submitted or returned,
// an extension decided, the task closed), and keeps the worst light of the day. So a report
// handed in at 10:00 the day after its due date leaves that day red, and an extension approved on
// the 3rd clears the light from that moment only: the days before stay red.
import { addDays, bureauDay, dayNumber, daysBetween, NO_HOLIDAYS, startOfBureauDay, type IsoDate, type WorkCalendar } from "./calendar.js";
import { isPeriodLate, periodsBetween, reportCounts, type Period, type ReportFact } from "./periods.js";
import type { TaskState } from "./task-state.js";

export type Light = "green" | "yellow" | "red" | "grey";

/** Each reason's light and its message; {placeholders} are filled per task. */
export const LIGHT_REASONS = {
  OVERDUE: { light: "red", message: "已超过办理期限 {due} {days} 天,尚未办结。" },
  PERIOD_REPORT_LATE: { light: "red", message: "{label}进展应于 {due} 前报送,至今没有报送(或已被退回)。" },
  DUE_TODAY: { light: "yellow", message: "今天是办理期限 {due}。" },
  DUE_SOON: { light: "yellow", message: "距办理期限 {due} 还有 {days} 天。" },
  PROGRESS_LAG: { light: "yellow", message: "报送进度 {percent}%,落后于时间进度 {elapsed}%。" },
  AWAITING_CLOSE: { light: "green", message: "已提交完成报告,等待督查室审核销号。" },
  CLOSED: { light: "grey", message: "已办结销号。" },
  STOPPED: { light: "grey", message: "已中止{reason}。" },
} as const satisfies Record<string, { light: Light; message: string }>;

export type LightReasonCode = keyof typeof LIGHT_REASONS;

export interface LightReason {
  code: LightReasonCode;
  message: string;
  /** The period a PERIOD_REPORT_LATE is about. */
  period?: string;
}

export interface LightResult {
  light: Light;
  /** Why, worst first; empty for a plain green. */
  reasons: LightReason[];
}

export interface LightSettings {
  /** Yellow when the due date is this many days away or fewer (0 = only on the day itself). */
  dueSoonDays: number;
  /** Yellow when reported percent trails the share of time elapsed by more than this many points. */
  progressLagPoints: number;
  /** For cadences due on the last working day. */
  calendar: WorkCalendar;
}

export const DEFAULT_LIGHT_SETTINGS: Readonly<LightSettings> = Object.freeze({ dueSoonDays: 7, progressLagPoints: 20, calendar: NO_HOLIDAYS });

/** The part of a task the lights read. */
export type LightTask = Pick<TaskState, "status" | "dueDate" | "cadence" | "dispatchedAt" | "closedAt" | "stoppedAt" | "stopReason" | "extensions">;

export interface DayLight {
  date: IsoDate;
  /** The worst light the task showed at any moment of the day. */
  light: Light;
  reasons: LightReason[];
}

export interface LightHistory {
  days: DayLight[];
  everRed: boolean;
  redDays: number;
  /** Runs of consecutive red days, both ends included. */
  redSpans: { start: IsoDate; end: IsoDate; days: number }[];
  /** Days the task itself was past its due date (as it stood that day). */
  overdueDays: number;
  /** Periods that were late on at least one day, with how many days. */
  latePeriods: { period: string; label: string; due: IsoDate; daysLate: number }[];
}

const LIGHT_RANK: { readonly [L in Light]: number } = { grey: 0, green: 1, yellow: 2, red: 3 };
const PERCENT = 100;

/** The light at `now`. */
export function lightOf(task: LightTask, reports: readonly ReportFact[], now: Date, settings: LightSettings = DEFAULT_LIGHT_SETTINGS): LightResult {
  checkSettings(settings);
  const { light, reasons } = evaluate(task, reports, now, settings, periodLister(task, settings));
  return { light, reasons };
}

/**
 * The due date in force at `at`: an approved extension counts from the moment it was approved,
 * so replaying the past uses the deadline the unit had then.
 */
export function dueDateAt(task: Pick<TaskState, "dueDate" | "extensions">, at: Date): IsoDate | null {
  const approved = task.extensions
    .filter((request) => request.state === "已批准" && request.decidedAt !== null)
    .sort((a, b) => (a.decidedAt?.getTime() ?? 0) - (b.decidedAt?.getTime() ?? 0));
  const first = approved[0];
  if (first === undefined) return task.dueDate;
  const inForce = approved.filter((request) => (request.decidedAt?.getTime() ?? 0) <= at.getTime()).at(-1);
  return inForce ? inForce.requestedDate : first.previousDueDate;
}

/** Day by day from `from` to `to` (both included), and what that adds up to. */
export function lightHistory(
  task: LightTask,
  reports: readonly ReportFact[],
  from: IsoDate,
  to: IsoDate,
  settings: LightSettings = DEFAULT_LIGHT_SETTINGS,
): LightHistory {
  checkSettings(settings);
  dayNumber(from);
  dayNumber(to);
  const listPeriods = periodLister(task, settings);
  const instants = changeInstants(task, reports);
  const days: DayLight[] = [];
  const lateDays = new Map<string, { period: Period; days: number }>();
  let overdueDays = 0;
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const dayStart = startOfBureauDay(date).getTime();
    const dayEnd = startOfBureauDay(addDays(date, 1)).getTime();
    const moments = [dayStart, ...instants.filter((time) => time > dayStart && time < dayEnd)].map((time) => new Date(time));
    const evaluations = moments.map((moment) => evaluate(task, reports, moment, settings, listPeriods));
    const worst = evaluations.reduce((a, b) => (LIGHT_RANK[b.light] > LIGHT_RANK[a.light] ? b : a));
    days.push({ date, light: worst.light, reasons: worst.reasons });
    if (evaluations.some((evaluation) => evaluation.overdue)) overdueDays++;
    const lateToday = new Map<string, Period>();
    for (const evaluation of evaluations) for (const period of evaluation.late) lateToday.set(period.id, period);
    for (const period of lateToday.values()) lateDays.set(period.id, { period, days: (lateDays.get(period.id)?.days ?? 0) + 1 });
  }
  const redDates = days.filter((day) => day.light === "red").map((day) => day.date);
  return {
    days,
    everRed: redDates.length > 0,
    redDays: redDates.length,
    redSpans: spans(redDates),
    overdueDays,
    latePeriods: [...lateDays.values()].map(({ period, days: daysLate }) => ({ period: period.id, label: period.label, due: period.due, daysLate })),
  };
}

interface Evaluation extends LightResult {
  overdue: boolean;
  late: Period[];
}

type PeriodLister = (start: IsoDate, end: IsoDate) => Period[];

function evaluate(task: LightTask, reports: readonly ReportFact[], at: Date, settings: LightSettings, listPeriods: PeriodLister): Evaluation {
  const ended = endedReason(task, at);
  if (ended) return { light: "grey", reasons: [ended], overdue: false, late: [] };
  const standing = reports.filter((report) => reportCounts(report, at));
  // Once the unit says it is done, waiting for 销号 is the office's part, not the unit's lateness.
  if (standing.some((report) => report.final)) return { light: "green", reasons: [reason("AWAITING_CLOSE")], overdue: false, late: [] };
  const today = bureauDay(at);
  const due = dueDateAt(task, at);
  const start = task.dispatchedAt !== null && task.dispatchedAt.getTime() <= at.getTime() ? bureauDay(task.dispatchedAt) : null;
  const late = start !== null && task.cadence !== null ? listPeriods(start, due ?? today).filter((period) => isPeriodLate(period, reports, at, today)) : [];
  const reasons = [
    ...dueReasons(due, today, settings),
    ...late.map((period) => ({ ...reason("PERIOD_REPORT_LATE", { label: period.label, due: period.due }), period: period.id })),
    ...lagReasons(start, due, today, latestPercent(standing), settings),
  ].sort((a, b) => LIGHT_RANK[LIGHT_REASONS[b.code].light] - LIGHT_RANK[LIGHT_REASONS[a.code].light]);
  const light = reasons[0] ? LIGHT_REASONS[reasons[0].code].light : "green";
  return { light, reasons, overdue: reasons.some((r) => r.code === "OVERDUE"), late };
}

/** Closed or stopped by `at`; a record without the instant (older data) is taken as always so. */
function endedReason(task: LightTask, at: Date): LightReason | null {
  if (task.closedAt !== null ? task.closedAt.getTime() <= at.getTime() : task.status === "已办结") return reason("CLOSED");
  if (task.stoppedAt !== null ? task.stoppedAt.getTime() <= at.getTime() : task.status === "中止") {
    return reason("STOPPED", { reason: task.stopReason ? `:${task.stopReason}` : "" });
  }
  return null;
}

/** Red the day after the due date; yellow from `dueSoonDays` before it through the day itself. */
function dueReasons(due: IsoDate | null, today: IsoDate, settings: LightSettings): LightReason[] {
  if (due === null) return [];
  const daysLeft = daysBetween(today, due);
  if (daysLeft < 0) return [reason("OVERDUE", { due, days: String(-daysLeft) })];
  if (daysLeft === 0) return [reason("DUE_TODAY", { due })];
  if (daysLeft <= settings.dueSoonDays) return [reason("DUE_SOON", { due, days: String(daysLeft) })];
  return [];
}

/**
 * Time elapsed runs from the dispatch day (0%) to the due date (100%). No report yet reads as
 * 0%: a unit that says nothing for a third of the time is behind. Integer arithmetic keeps the
 * boundary exact: lag > margin ⇔ elapsedDays·100 − percent·totalDays > margin·totalDays.
 */
function lagReasons(start: IsoDate | null, due: IsoDate | null, today: IsoDate, percent: number, settings: LightSettings): LightReason[] {
  if (start === null || due === null) return [];
  const total = Math.max(daysBetween(start, due), 1);
  const elapsed = Math.min(Math.max(daysBetween(start, today), 0), total);
  if (elapsed * PERCENT - percent * total <= settings.progressLagPoints * total) return [];
  return [reason("PROGRESS_LAG", { percent: String(percent), elapsed: String(Math.round((elapsed * PERCENT) / total)) })];
}

/** The percent of the most recently submitted report that still stands; 0 when there is none. */
function latestPercent(standing: readonly ReportFact[]): number {
  let latest: ReportFact | undefined;
  for (const report of standing) {
    if (latest === undefined || report.submittedAt.getTime() >= latest.submittedAt.getTime()) latest = report;
  }
  return latest?.percent ?? 0;
}

/** The cadence's periods, listed once per span within one call (history asks for the same span daily). */
function periodLister(task: LightTask, settings: LightSettings): PeriodLister {
  const cache = new Map<string, Period[]>();
  return (start, end) => {
    if (task.cadence === null) return [];
    const key = `${start}/${end}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const periods = periodsBetween(task.cadence, start, end, settings.calendar);
    cache.set(key, periods);
    return periods;
  };
}

/** Every instant at which a fact the light reads changes, ascending. */
function changeInstants(task: LightTask, reports: readonly ReportFact[]): number[] {
  const dates = [
    task.dispatchedAt,
    task.closedAt,
    task.stoppedAt,
    ...task.extensions.map((request) => request.decidedAt),
    ...reports.flatMap((report) => [report.submittedAt, report.reviewedAt]),
  ];
  const times = dates.filter((date): date is Date => date !== null).map((date) => date.getTime());
  return [...new Set(times)].sort((a, b) => a - b);
}

function spans(dates: readonly IsoDate[]): LightHistory["redSpans"] {
  const result: LightHistory["redSpans"] = [];
  for (const date of dates) {
    const last = result.at(-1);
    if (last && addDays(last.end, 1) === date) {
      last.end = date;
      last.days++;
    } else {
      result.push({ start: date, end: date, days: 1 });
    }
  }
  return result;
}

function reason(code: LightReasonCode, params: Readonly<Record<string, string>> = {}): LightReason {
  const message = LIGHT_REASONS[code].message.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? `{${key}}`);
  return { code, message };
}

function checkSettings(settings: LightSettings): void {
  if (!Number.isInteger(settings.dueSoonDays) || settings.dueSoonDays < 0) throw new RangeError(`dueSoonDays must be a whole number ≥ 0, got ${settings.dueSoonDays}`);
  if (!(settings.progressLagPoints >= 0)) throw new RangeError(`progressLagPoints must be ≥ 0, got ${settings.progressLagPoints}`);
}
