// Reporting periods: a task's cadence (每周, 每月, 双月调度, 每季度, or a list of dates) turns into
// the periods it must report for, each with its id (what a report is filed under), a Chinese
// label, its calendar span and its due date. Everything is calendar days in the bureau's time
// zone (calendar.ts); the clock is a parameter.
import {
  addDays,
  bureauDay,
  chineseDate,
  dayNumber,
  firstOfMonth,
  isIsoDate,
  isoWeekday,
  isWorkingDay,
  lastOfMonth,
  monthOf,
  NO_HOLIDAYS,
  yearOf,
  type IsoDate,
  type IsoWeekday,
  type WorkCalendar,
} from "./calendar.js";

/** When a weekly report is due: a day of the period's own week, or its last working day. */
export type WeeklyDue = { kind: "weekday"; weekday: IsoWeekday } | { kind: "lastWorkingDay" };

/**
 * When a monthly, bimonthly or quarterly report is due: the Nth day of the month after the
 * period ("每月5日前报送上月进展"; clamped to that month's length), or the period's last working day.
 */
export type MonthlyDue = { kind: "dayOfNextMonth"; day: number } | { kind: "lastWorkingDay" };

export type Cadence =
  | { kind: "weekly"; due?: WeeklyDue }
  | { kind: "monthly" | "bimonthly" | "quarterly"; due?: MonthlyDue }
  /** Each date closes a period that began the day after the previous date, and is its due date. */
  | { kind: "custom"; dates: readonly IsoDate[] };

export type CadenceKind = Cadence["kind"];

/** Friday of the week: most bureaus collect the week's progress before the weekend. */
export const DEFAULT_WEEKLY_DUE: Readonly<WeeklyDue> = Object.freeze({ kind: "weekday", weekday: 5 });
/** The 5th of the next month: "每月5日前报送上月工作进展" is the usual wording. */
export const DEFAULT_MONTHLY_DUE: Readonly<MonthlyDue> = Object.freeze({ kind: "dayOfNextMonth", day: 5 });

export interface Period {
  /** What a report is filed under: "2025-W14", "2025-03", "2025-B2", "2025-Q2", "2025-03-15". */
  id: string;
  /** "2025年第14周", "2025年3月", "2025年3—4月", "2025年第二季度", "截至2025年3月15日". */
  label: string;
  start: IsoDate;
  end: IsoDate;
  due: IsoDate;
}

/** A progress report as the rules see it (a subset of the store's report row). */
export interface ReportFact {
  period: string;
  submittedAt: Date;
  percent: number;
  /** The completion report (申请销号): the unit says the task is done. */
  final: boolean;
  reviewState: "待审核" | "已通过" | "已退回";
  /** When the review happened; a returned report stops counting from this instant. */
  reviewedAt: Date | null;
}

export interface Schedule {
  periods: Period[];
  /** The period today falls in, if the task has one. */
  current: Period | null;
  /** Periods whose due date has passed with no report that counts. */
  overdue: Period[];
}

const QUARTER_NAMES = ["一", "二", "三", "四"] as const;
const MONTHS_PER_BIMONTH = 2;
const MONTHS_PER_QUARTER = 3;
const FIRST_DAY_OF_MONTH = 1;
const LAST_POSSIBLE_DAY_OF_MONTH = 31;
/**
 * A week or month with no working day at all (a long Spring Festival week): the report falls due
 * on the next working day instead. The official calendar never has a break longer than this.
 */
const MAX_DAYS_TO_NEXT_WORKING_DAY = 31;
/** ISO 8601: week 1 is the week with the year's first Thursday, so a week belongs to its Thursday's year. */
const THURSDAY_OFFSET = 3;

/**
 * The periods of a cadence that overlap [start, end] (both included), oldest first. A period is
 * its whole calendar span even when the task starts or ends inside it: "2025-03" is all of March.
 */
export function periodsBetween(cadence: Cadence, start: IsoDate, end: IsoDate, calendar: WorkCalendar = NO_HOLIDAYS): Period[] {
  if (dayNumber(end) < dayNumber(start)) return [];
  if (cadence.kind === "custom") return customPeriods(cadence.dates, start, end);
  const periods: Period[] = [];
  let span = spanContaining(cadence.kind, start);
  while (dayNumber(span.start) <= dayNumber(end)) {
    periods.push({ ...span, due: dueDate(cadence, span, calendar) });
    span = spanContaining(cadence.kind, addDays(span.end, 1));
  }
  return periods;
}

/**
 * A task's reporting schedule at `now`: its periods from `start` through the due date (through
 * today's period when the task has no due date), the current one, and the overdue ones.
 */
export function reportingSchedule(
  cadence: Cadence,
  dates: { start: IsoDate; due: IsoDate | null },
  reports: readonly ReportFact[],
  now: Date,
  calendar: WorkCalendar = NO_HOLIDAYS,
): Schedule {
  const today = bureauDay(now);
  const periods = periodsBetween(cadence, dates.start, dates.due ?? today, calendar);
  const current = periods.find((period) => period.start <= today && today <= period.end) ?? null;
  const overdue = periods.filter((period) => isPeriodLate(period, reports, now));
  return { periods, current, overdue };
}

/** Late at `at` (whose bureau day is `today`: callers asking for many periods say it once). */
export function isPeriodLate(period: Period, reports: readonly ReportFact[], at: Date, today: IsoDate = bureauDay(at)): boolean {
  return today > period.due && !reports.some((report) => report.period === period.id && reportCounts(report, at));
}

/**
 * Whether a report stands at `at`: it has been submitted, and it has not been returned
 * (退回) by then. A report waiting for review counts: the unit has done its part.
 */
export function reportCounts(report: ReportFact, at: Date): boolean {
  if (report.submittedAt.getTime() > at.getTime()) return false;
  if (report.reviewState !== "已退回") return true;
  return report.reviewedAt !== null && report.reviewedAt.getTime() > at.getTime();
}

type SpanKind = Exclude<CadenceKind, "custom">;
type Span = Omit<Period, "due">;

function spanContaining(kind: SpanKind, day: IsoDate): Span {
  switch (kind) {
    case "weekly":
      return weekContaining(day);
    case "monthly":
      return monthsContaining(day, 1);
    case "bimonthly":
      return monthsContaining(day, MONTHS_PER_BIMONTH);
    case "quarterly":
      return monthsContaining(day, MONTHS_PER_QUARTER);
  }
}

function weekContaining(day: IsoDate): Span {
  const monday = addDays(day, 1 - isoWeekday(day));
  const weekYear = yearOf(addDays(monday, THURSDAY_OFFSET));
  const firstThursday = firstThursdayOf(weekYear);
  const week = (dayNumber(addDays(monday, THURSDAY_OFFSET)) - dayNumber(firstThursday)) / 7 + 1;
  return {
    id: `${weekYear}-W${String(week).padStart(2, "0")}`,
    label: `${weekYear}年第${week}周`,
    start: monday,
    end: addDays(monday, 6),
  };
}

function firstThursdayOf(year: number): IsoDate {
  const januaryFirst = firstOfMonth(year, 1);
  const thursday = THURSDAY_OFFSET + 1;
  return addDays(januaryFirst, (thursday - isoWeekday(januaryFirst) + 7) % 7);
}

/** A block of `size` months aligned on January: months, 双月 (1—2月, 3—4月…), quarters. */
function monthsContaining(day: IsoDate, size: number): Span {
  const year = yearOf(day);
  const index = Math.floor((monthOf(day) - 1) / size);
  const first = index * size + 1;
  const last = first + size - 1;
  return { id: blockId(year, index, size), label: blockLabel(year, index, size), start: firstOfMonth(year, first), end: lastOfMonth(year, last) };
}

function blockId(year: number, index: number, size: number): string {
  if (size === MONTHS_PER_QUARTER) return `${year}-Q${index + 1}`;
  if (size === MONTHS_PER_BIMONTH) return `${year}-B${index + 1}`;
  return `${year}-${String(index + 1).padStart(2, "0")}`;
}

function blockLabel(year: number, index: number, size: number): string {
  if (size === MONTHS_PER_QUARTER) return `${year}年第${QUARTER_NAMES[index] ?? index + 1}季度`;
  const first = index * size + 1;
  // A range of months is written with an em dash in official documents: "3—4月".
  if (size === MONTHS_PER_BIMONTH) return `${year}年${first}—${first + 1}月`;
  return `${year}年${first}月`;
}

function dueDate(cadence: Exclude<Cadence, { kind: "custom" }>, span: Span, calendar: WorkCalendar): IsoDate {
  const rule = cadence.due ?? (cadence.kind === "weekly" ? DEFAULT_WEEKLY_DUE : DEFAULT_MONTHLY_DUE);
  switch (rule.kind) {
    case "weekday":
      return addDays(span.start, rule.weekday - 1);
    case "lastWorkingDay":
      return lastWorkingDay(span, calendar);
    case "dayOfNextMonth":
      return dayOfNextMonth(span.end, rule.day);
  }
}

function dayOfNextMonth(end: IsoDate, day: number): IsoDate {
  if (!Number.isInteger(day) || day < FIRST_DAY_OF_MONTH || day > LAST_POSSIBLE_DAY_OF_MONTH) {
    throw new RangeError(`dayOfNextMonth must be 1–31, got ${day}`);
  }
  const year = yearOf(end);
  const month = monthOf(end) + 1;
  const daysInMonth = Number(lastOfMonth(year, month).slice(8, 10));
  // "每月31日" in a 30-day month means its last day.
  return addDays(firstOfMonth(year, month), Math.min(day, daysInMonth) - 1);
}

function lastWorkingDay(span: Span, calendar: WorkCalendar): IsoDate {
  for (let day = span.end; day >= span.start; day = addDays(day, -1)) {
    if (isWorkingDay(day, calendar)) return day;
  }
  for (let step = 1; step <= MAX_DAYS_TO_NEXT_WORKING_DAY; step++) {
    const day = addDays(span.end, step);
    if (isWorkingDay(day, calendar)) return day;
  }
  return span.end;
}

function customPeriods(dates: readonly IsoDate[], start: IsoDate, end: IsoDate): Period[] {
  for (const date of dates) {
    if (!isIsoDate(date)) throw new RangeError(`custom cadence date is not an ISO date: ${JSON.stringify(date)}`);
  }
  const sorted = [...new Set(dates)].sort();
  const periods: Period[] = [];
  sorted.forEach((date, index) => {
    const previous = sorted[index - 1];
    // The first period has no previous date to start after: it starts with the task.
    const periodStart = previous === undefined ? start : addDays(previous, 1);
    if (periodStart <= end && date >= start) {
      periods.push({ id: date, label: `截至${chineseDate(date)}`, start: periodStart, end: date, due: date });
    }
  });
  return periods;
}
