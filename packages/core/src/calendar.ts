// Calendar days of the bureau. Every date the ledger shows or compares is a day in Asia/Shanghai
// written "YYYY-MM-DD". Arithmetic runs on day numbers (days since 1970-01-01), so no instant,
// host time zone or daylight saving rule can shift a due date by one; an instant (`now`, a
// submission time) becomes a day exactly once, through `bureauDay`.

/** An ISO calendar date, "2025-03-31". */
export type IsoDate = string;

/** Monday = 1 … Sunday = 7, as ISO 8601 numbers weekdays. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * China has kept UTC+8 all year since 1991 (no daylight saving), so the bureau's day is a fixed
 * offset: no time zone database needed, and the answer does not depend on the host's ICU data.
 */
const BUREAU_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;
const MS_PER_DAY = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Day number 0 (1970-01-01) was a Thursday. */
const EPOCH_ISO_WEEKDAY = 4;
const DAYS_PER_WEEK = 7;

/** The bureau's working week without holidays: Monday to Friday. */
const FIRST_WEEKEND_DAY: IsoWeekday = 6;

/**
 * The official holiday calendar (国务院办公厅 publishes it each year): days off that fall on a
 * weekday, and weekend days that are working days in exchange (调休上班).
 */
export interface WorkCalendar {
  holidays: readonly IsoDate[];
  workdays: readonly IsoDate[];
}

export const NO_HOLIDAYS: WorkCalendar = Object.freeze({ holidays: Object.freeze([]), workdays: Object.freeze([]) });

/** Whether `text` is a real calendar date in ISO form (2025-02-29 is not). */
export function isIsoDate(text: string): boolean {
  return parseParts(text) !== null;
}

/** Days since 1970-01-01. Throws on a malformed date: callers validate user input first. */
export function dayNumber(date: IsoDate): number {
  const parts = parseParts(date);
  if (parts === null) throw new RangeError(`not an ISO calendar date: ${JSON.stringify(date)}`);
  return Date.UTC(parts.year, parts.month - 1, parts.day) / MS_PER_DAY;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, "YYYY-MM-DD".length);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** `to` minus `from` in days: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** The bureau's calendar day at an instant. */
export function bureauDay(instant: Date): IsoDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date");
  return fromDayNumber(Math.floor((ms + BUREAU_UTC_OFFSET_MS) / MS_PER_DAY));
}

/** The instant the bureau's day begins (00:00 in Beijing time). */
export function startOfBureauDay(date: IsoDate): Date {
  return new Date(dayNumber(date) * MS_PER_DAY - BUREAU_UTC_OFFSET_MS);
}

export function isoWeekday(date: IsoDate): IsoWeekday {
  const offset = (((dayNumber(date) + EPOCH_ISO_WEEKDAY - 1) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK;
  return (offset + 1) as IsoWeekday;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** 1–12. */
export function monthOf(date: IsoDate): number {
  return Number(date.slice(5, 7));
}

/** The first day of a month; `month` may run past 12 or below 1 and carries into the year. */
export function firstOfMonth(year: number, month: number): IsoDate {
  return fromDayNumber(Date.UTC(year, month - 1, 1) / MS_PER_DAY);
}

/** The last day of a month; `month` may run past 12 and carries into the year. */
export function lastOfMonth(year: number, month: number): IsoDate {
  // Day 0 of the next month is the last day of this one.
  return fromDayNumber(Date.UTC(year, month, 0) / MS_PER_DAY);
}

/** "2025年3月5日", the way a bureau writes a date. */
export function chineseDate(date: IsoDate): string {
  return `${yearOf(date)}年${monthOf(date)}月${Number(date.slice(8, 10))}日`;
}

export function isWorkingDay(date: IsoDate, calendar: WorkCalendar = NO_HOLIDAYS): boolean {
  if (calendar.workdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  return isoWeekday(date) < FIRST_WEEKEND_DAY;
}

function parseParts(text: string): { year: number; month: number; day: number } | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // Date.UTC rolls 02-30 over into March, and maps years below 100 to 19xx: a round trip
  // through it catches both.
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}
