// Deadlines: the explicit time nodes one task states ("6月底前完成", "到2024年底", "第三季度"),
// each normalized to the last day of the period it names (SCHEMA.md, "Deadlines").
//
// One compiled pattern finds every candidate; small checks on its surroundings then drop what
// only looks like a date: restatements of the plan year, comparison bases, recurring dates,
// festival days, appointments with an hour, starts ("起"), and anything inside a 《title》.

import { charTable, parseChineseNumeral } from "./chinese.js";
import type { DeadlineHit } from "./types.js";

/** Words before a time node that make it a target date: "到2025年", "确保2025年", "力争年底". */
const LEAD = String.raw`(?<lead>截至|截止到?|确保到?|力争到?|争取到?|(?<!达)到|(?<![甚以乃])至)`;

/** A written year: "2024" or "二〇二四". */
const YEAR_NUM = String.raw`\d{4}|[〇零一二三四五六七八九]{4}`;

/**
 * A month number. Chinese numerals only where no other Chinese character runs into them, so
 * "统一月考" is no January; digits not after a digit or a decimal point.
 */
const MONTH_NUM = String.raw`(?:(?<!\d|\d\.)(?:1[0-2]|0?[1-9])|(?:(?<![\u4e00-\u9fff])|(?<=[年到至于在、和及]))(?:十[一二]?|[一二三四五六七八九]))`;

const DAY_NUM = String.raw`(?:3[01]|[12]\d|0?[1-9])(?!\d)`;

/** Part of a month: "底", "末", "中旬"; "初" only where it ends the phrase (not "初步"). */
const MONTH_PART = String.raw`底|末|上中旬|中下旬|上旬|中旬|下旬|第[一二三四1-4]周|初(?=[前完,。;、 )\n]|$)`;

/** Range separators: "5月至2023年2月", "3-6月", "9月—12月", "3月至年底". */
const RANGE_SEP = String.raw`(?:—{1,2}|[-–~～至到])`;

const MONTH_EXPR =
  String.raw`(?<mlist>(?:${MONTH_NUM} *月 *[、和及] *)+)?` +
  String.raw`(?:${MONTH_NUM} *${RANGE_SEP} *)?` +
  String.raw`(?<m>${MONTH_NUM}) *月份?` +
  String.raw`(?: *(?<d>${DAY_NUM}) *[日号]|(?<mp>${MONTH_PART}))?` +
  String.raw`(?: *${RANGE_SEP} *(?:(?:(?<y5>\d{4}) *年)?(?<m2>${MONTH_NUM}) *月份?(?: *(?<d2>${DAY_NUM}) *[日号]|(?<mp2>${MONTH_PART}))?|(?<d3>${DAY_NUM}) *[日号]|(?<ye2>年底|年末)))?`;

/** "第三季度", "一季度末", "2024年第1季度"; a bare Chinese ordinal must not be the tail of a word ("统一季度"). */
const QUARTER_EXPR = String.raw`(?:第|(?<![\u4e00-\u9fff])|(?<=[年到至于在]))(?<q>[一二三四1-4]) *季度末?`;

const HALF_EXPR = String.raw`(?<h>[上下])半年末?`;

/** "秋季开学前": the start of a term as a due date (only with 前: "秋季开学全员心理测评" names a topic). */
const SEASON_EXPR = String.raw`(?<season>秋季|春季|新学年)(?:学期)? *开学`;

const YEAR_PREFIX = String.raw`(?:(?<!\d)(?<y1>${YEAR_NUM}) *年|(?<r1>今|本|明)年)`;

const BOUNDARY = String.raw`(?<b>之前|以前|前(?![后期一二两三四五六七八九十\d]))`;

/** The characters a time node can start with: a lookahead up front makes a wrong start fail at once. */
const NODE_START_CHARS = "截确力争到至0123456789〇零一二三四五六七八九十今本明年第上下秋春新贯全";
const START_CHARS = `(?=[${NODE_START_CHARS}])`;

const DEADLINE_SOURCE =
  `${START_CHARS}(?:${LEAD} *)?(?:` +
  `(?:${YEAR_PREFIX} *)?(?:${MONTH_EXPR}|${QUARTER_EXPR}|${HALF_EXPR}|${SEASON_EXPR})` +
  String.raw`|(?:(?<!\d)(?<y2>${YEAR_NUM}) *|(?<r2>今|本|明))?年年?(?<ye>底|末|内)` +
  String.raw`|(?:(?<!\d)(?<y4>${YEAR_NUM}) *年)?(?<thru>贯穿)?(?<full>全年)` +
  String.raw`|(?<!\d)(?<y3>${YEAR_NUM}) *年(?<yr> *${RANGE_SEP} *\d{4} *年)?` +
  `)${BOUNDARY}?(?:完成)?`;
/**
 * Tried only at the places a node can start (see ANCHORS below): sticky, so one attempt is
 * exactly the attempt a left-to-right scan would make there.
 */
const DEADLINE_AT = new RegExp(DEADLINE_SOURCE, "uy");

/**
 * Speed: every node holds 月, 年 or 季 (季度, 秋季), and what the pattern can read before the first
 * of them is a run of the BEFORE_ANCHOR_CHARS (leads, numerals, range signs, 第, 上/下半, 秋/春,
 * 新学, 贯穿全, spaces). So a node starts in that run right before an anchor, and a text with no
 * anchor holds none: the pattern runs only there, not at every 一 or 上 of the text. Keep the list
 * in step with the pattern: a character it can read before its first anchor that is missing here
 * would lose nodes.
 */
const ANCHORS = ["月", "年", "季"] as const;
const BEFORE_ANCHOR_CHARS = "截至止到确保力争取 0123456789〇零一二三四五六七八九十今本明—-–~～第上下半秋春新学贯穿全";
const BEFORE_ANCHOR = charTable(BEFORE_ANCHOR_CHARS);
const CAN_START = charTable(NODE_START_CHARS);

/** Characters before a bare "年底/年末/年内" that make it a span or another kind of year ("三年内", "学年末", "每年年底"). */
const NOT_CALENDAR_YEAR_BEFORE = /[\d零〇一二两三四五六七八九十百千几多数学全每当近往去历前后周半同该]/;

/** Recurring dates: "每年4月第三周", "每学期末". Spaces occur inside table cells ("每  年"). */
const RECURRING_BEFORE = /每 *(?:年|学年|学期|月)? *$/;
/** Comparison bases: "较2023年", "比2023年底". */
const COMPARISON_BEFORE = /(?:较|比|相较于?|对比) *$/;
const COMPARISON_AFTER = /^ *(?:相比|比较|同期)/;
/** Starts, pasts and ages rather than due dates: "9月1日起", "2023年以来", "6月龄". */
const NOT_DUE_AFTER = /^ *(?:起|以来|开始|以后|之后|后|至今|龄)/;
/** An hour makes a day an appointment ("3月21日10时拍卖"), unless it is itself bounded ("15时前"). */
const HOUR_AFTER = /^ *(?:\d{1,2}|[零一二两三四五六七八九十]{1,3}) *(?:时|点|:\d\d)(?<b> *前)?/;
/**
 * A named day right after a date is a festival or observance, not a due date: "6月26日国际禁毒日",
 * "9月10日教师节前后", "结合5月12日全国防灾减灾日组织演练". The name runs straight on from the date
 * and ends in 日 or 节; a date followed by 前 or by the work to do is a due date.
 */
const NAMED_DAY_AFTER =
  /^(?!前|之前|以前|完成|召开|举办|开展)[“”"\u4e00-\u9fff]{0,14}?[\u4e00-\u9fff][”"]?(?:日|节)(?:前后|期间|当天|之际|(?![前后内]))/;
/** "全年" is a period in "全年引进企业不低于5家"; a node only in a note, a cell, or after a time label. */
const TIME_LABEL_BEFORE = /(?:时限|时间|节点|期限) *: *$/;

/** How far the context checks look; Chinese phrasing puts the deciding word right next to the date. */
const CONTEXT_WINDOW = 6;
const NAMED_DAY_WINDOW = 16;

const MONTHS_PER_QUARTER = 3;
const SEASON_END: Readonly<Record<string, number>> = { 秋季: 8, 新学年: 8, 春季: 2 };
const DAY_OF_MONTH_PART: Readonly<Record<string, number>> = {
  初: 10,
  上旬: 10,
  中旬: 20,
  上中旬: 20,
  // "9月第二周前": the last day of that week, counting whole weeks from the 1st.
  第一周: 7,
  第1周: 7,
  第二周: 14,
  第2周: 14,
  第三周: 21,
  第3周: 21,
  第四周: 28,
  第4周: 28,
};

type Groups = Record<string, string | undefined>;
type TitleSpan = [start: number, end: number];

/** Every explicit time node stated in one task's text, in order of appearance. */
export function findDeadlines(text: string, year: number | null): DeadlineHit[] {
  const hits: DeadlineHit[] = [];
  let titles: TitleSpan[] | null = null;
  let titleIndex = 0;
  // A rejected match is skipped whole: its tail ("12月" of a rejected "较2023年12月") must not
  // come back as a date of its own. `scanFrom` is where a left-to-right scan would go on.
  let scanFrom = 0;
  const next = [0, 0, 0];
  for (let k = 0; k < ANCHORS.length; k++) next[k] = text.indexOf(ANCHORS[k] as string);
  let prevAnchor = -1;
  for (;;) {
    const anchor = nextAnchor(text, next);
    if (anchor < 0) break;
    const floor = Math.max(scanFrom, prevAnchor + 1);
    prevAnchor = anchor;
    if (anchor < floor) continue;
    let from = anchor;
    while (from > floor && BEFORE_ANCHOR[text.charCodeAt(from - 1)] === 1) from--;
    for (let at = from; at <= anchor; at++) {
      if (CAN_START[text.charCodeAt(at)] !== 1) continue;
      DEADLINE_AT.lastIndex = at;
      const m = DEADLINE_AT.exec(text);
      if (m === null) continue;
      scanFrom = at + m[0].length;
      titles ??= titleSpans(text);
      while (titleIndex < titles.length && (titles[titleIndex] as TitleSpan)[1] <= at) titleIndex++;
      const hit = titleIndex < titles.length && (titles[titleIndex] as TitleSpan)[0] < at ? null : hitOf(text, m, year);
      if (hit !== null) for (const date of hit.dates) hits.push({ quote: hit.quote, date, start: at, end: hit.end });
      break; // the match runs past this anchor
    }
  }
  return numericDates(text, hits);
}

/** A date written with dots, slashes or dashes, as table cells do: "2025.8.31", "2025/6/30", "2025-06-30". */
const NUMERIC_DATE = /(?<![\d.\/-])((?:19|20)\d{2})([./-])(\d{1,2})\2(\d{1,2})(?:日)?(?:前|之前|以前)?(?![\d.\/-])/g;

/** Adds the numeric dates to the hits, in order; these have no 年/月 for the anchored scan to find. */
function numericDates(text: string, hits: DeadlineHit[]): DeadlineHit[] {
  if (!/(?:19|20)\d{2}[./-]\d/.test(text)) return hits;
  const found: DeadlineHit[] = [];
  NUMERIC_DATE.lastIndex = 0;
  for (let m = NUMERIC_DATE.exec(text); m; m = NUMERIC_DATE.exec(text)) {
    const day = Number(m[4]);
    const date = day >= 1 ? validDate(Number(m[1]), Number(m[3]), day) : null;
    if (date === null || hits.some((h) => h.start <= m!.index && m!.index < h.end)) continue;
    for (const d of date) found.push({ quote: m[0], date: d, start: m.index, end: m.index + m[0].length });
  }
  return found.length === 0 ? hits : [...hits, ...found].sort((a, b) => a.start - b.start);
}

/** The next anchor in the text (smallest of the three pending indexes), advancing past it. */
function nextAnchor(text: string, next: number[]): number {
  let best = -1;
  let which = -1;
  for (let k = 0; k < next.length; k++) {
    const i = next[k] as number;
    if (i >= 0 && (best < 0 || i < best)) {
      best = i;
      which = k;
    }
  }
  if (which >= 0) next[which] = text.indexOf(ANCHORS[which] as string, best + 1);
  return best;
}

/** A matched time node that its surroundings confirm as a due date, with its dates; else null. */
function hitOf(text: string, m: RegExpExecArray, year: number | null): { quote: string; dates: string[]; end: number } | null {
  const start = m.index;
  let end = start + m[0].length;
  const g = m.groups as Groups;
  if (!passesContext(text, start, end, g)) return null;
  if (g.d !== undefined && g.b === undefined) {
    const hour = HOUR_AFTER.exec(text.slice(end, end + CONTEXT_WINDOW));
    if (hour !== null && hour.groups?.b === undefined) return null;
    if (hour !== null) end += hour[0].length;
  }
  const dates = datesOf(g, year);
  if (dates === null) return null;
  return { quote: text.slice(start, end), dates, end };
}

/** Spans of 《…》, in order: a year in a document title is never a deadline of the task. */
function titleSpans(text: string): TitleSpan[] {
  const spans: TitleSpan[] = [];
  let open = -1;
  let depth = 0;
  for (let i = text.indexOf("《"); i !== -1 && i < text.length; i++) {
    const c = text[i];
    if (c === "《") {
      if (depth++ === 0) open = i;
    } else if (c === "》" && depth > 0) {
      if (--depth === 0) spans.push([open, i + 1]);
    } else if (c === "\n") {
      depth = 0; // an unclosed 《 does not swallow the rest of the task
    }
  }
  return spans;
}

/** Surroundings that make a date something other than a due date of this task. */
function passesContext(text: string, start: number, end: number, g: Groups): boolean {
  const before = text.slice(Math.max(0, start - CONTEXT_WINDOW), start);
  const after = text.slice(end, end + CONTEXT_WINDOW);
  if (RECURRING_BEFORE.test(before) || NOT_DUE_AFTER.test(after)) return false;
  if (COMPARISON_BEFORE.test(before) || COMPARISON_AFTER.test(after)) return false;
  if (g.ye !== undefined && g.y2 === undefined && g.r2 === undefined && g.lead === undefined) {
    if (NOT_CALENDAR_YEAR_BEFORE.test(before.slice(-1))) return false;
  }
  if (g.y3 !== undefined) {
    // A bare year restates the plan year or names a period ("2024年支持2所…", "2023年—2025年");
    // it is a node only with a lead or a boundary ("到2025年", "2025年前").
    if (g.yr !== undefined || (g.lead === undefined && g.b === undefined)) return false;
  }
  if (g.h !== undefined && isBothHalves(text, start, end, g.h)) return false;
  if (g.season !== undefined && g.b === undefined) return false; // "秋季开学全员心理测评" names a topic
  if (g.m !== undefined && g.mp === undefined && g.b === undefined && !isRange(g)) {
    if (NAMED_DAY_AFTER.test(text.slice(end, end + NAMED_DAY_WINDOW))) return false;
  }
  if (g.full !== undefined) return isStatedFullYear(text, start, end, g, before);
  return true;
}

function isRange(g: Groups): boolean {
  return g.m2 !== undefined || g.d3 !== undefined || g.ye2 !== undefined;
}

/** "贯穿全年", or "全年" standing alone as a note "(全年)", a table cell, or after "完成时限:". */
function isStatedFullYear(text: string, start: number, end: number, g: Groups, before: string): boolean {
  if (g.thru !== undefined) return true;
  if (text[start - 1] === "(" && text[end] === ")") return true;
  if (TIME_LABEL_BEFORE.test(before)) return true;
  return lineIsOnly(text, start, end);
}

function lineIsOnly(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && text[i] === " ") i--;
  if (i >= 0 && text[i] !== "\n") return false;
  let j = end;
  while (j < text.length && text[j] === " ") j++;
  return j === text.length || text[j] === "\n";
}

/** "上、下半年两次检测" and "上半年、下半年各一次" name both halves: a frequency, not a node. */
function isBothHalves(text: string, start: number, end: number, half: string): boolean {
  if (half === "下") return /上(?:半年)? *[、和及与] *$/.test(text.slice(Math.max(0, start - 4), start));
  return /^ *[、和及与] *下半年/.test(text.slice(end, end + 6));
}

/** The ISO dates a match stands for (two for "3月、9月底前"), or null when it cannot be dated. */
function datesOf(g: Groups, planYear: number | null): string[] | null {
  const writtenYear = g.y1 ?? g.y2 ?? g.y3 ?? g.y4;
  const written = writtenYear === undefined ? null : numeral(writtenYear);
  const relative = g.r1 ?? g.r2;
  const startYear = written ?? (planYear === null ? null : planYear + (relative === "明" ? 1 : 0));
  if (startYear === null) return null;
  if (planYear !== null && startYear < planYear && g.y5 === undefined) return null; // the past, not a due date

  if (g.m !== undefined) return monthDates(g, startYear, planYear);
  if (g.q !== undefined) return [iso(startYear, (numeral(g.q) as number) * MONTHS_PER_QUARTER, 0)];
  if (g.h !== undefined) return [iso(startYear, g.h === "上" ? 6 : 12, 0)];
  if (g.season !== undefined) return [iso(startYear, SEASON_END[g.season] as number, 0)];
  return [iso(startYear, 12, 0)];
}

function monthDates(g: Groups, startYear: number, planYear: number | null): string[] | null {
  if (isRange(g)) {
    // A dated phase ends on its last day: "2022年5月至2023年2月" → 2023-02-28.
    const endYear = g.y5 === undefined ? startYear : Number(g.y5);
    if (planYear !== null && endYear < planYear) return null;
    if (g.ye2 !== undefined) return [iso(endYear, 12, 0)];
    const month = numeral(g.m2 ?? (g.m as string));
    const day = g.d3 !== undefined ? Number(g.d3) : dayOf(g.d2, g.mp2);
    return validDate(endYear, month, day);
  }
  const months = [...monthsIn(g.mlist ?? ""), numeral(g.m as string)];
  const day = dayOf(g.d, g.mp);
  const dates: string[] = [];
  for (const month of months) {
    const date = validDate(startYear, month, day);
    if (date === null) return null;
    dates.push(...date);
  }
  return dates;
}

/** Day 0 means the last day of the month. */
function dayOf(day: string | undefined, part: string | undefined): number {
  if (day !== undefined) return Number(day);
  return part === undefined ? 0 : DAY_OF_MONTH_PART[part] ?? 0;
}

function validDate(year: number, month: number | null, day: number): string[] | null {
  if (month === null || month < 1 || month > 12) return null;
  if (day > daysInMonth(year, month)) return null;
  return [iso(year, month, day)];
}

function monthsIn(list: string): Array<number | null> {
  const months: Array<number | null> = [];
  for (const m of list.matchAll(/([\d十一二三四五六七八九]+) *月/g)) months.push(numeral(m[1] as string));
  return months;
}

/** Years, months and quarters in digits or Chinese ("2024", "二〇二四", "十二", "三"). */
function numeral(s: string): number | null {
  return /^\d+$/.test(s) ? Number(s) : parseChineseNumeral(s);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** ISO date; day 0 is the month's last day. */
function iso(year: number, month: number, day: number): string {
  const d = day === 0 ? daysInMonth(year, month) : day;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
