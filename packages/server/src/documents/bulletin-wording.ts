// The words of a bulletin (通报), in the register of the bureau's own: title, 文号, 主送, an opening
// with the totals, the four sections, 落款 and date. One text for the .docx, the .xlsx and the web
// page, so the three say the same thing.
import { LIGHT_REASONS, bureauDay, chineseDate, formatPercent, type Bulletin, type IsoDate, type RedItem, type TaskRef, type UnitStanding } from "@taizhang/core";

export interface BulletinText {
  /** The red 发文机关标志 of the 版头. */
  issuer: string;
  docNumber: string;
  title: string;
  /** The title as printed: broken between its parts, never inside a word (标题回行不拆词). */
  titleLines: string[];
  salutation: string;
  opening: string;
  headings: { overall: string; units: string; problems: string; next: string };
  overall: string[];
  unitsIntro: string;
  /** The red items, unit by unit, each unit under a "(一)" heading. */
  problems: { unit: string; heading: string; items: string[] }[];
  problemsIntro: string;
  requirements: string[];
  /** How the numbers are counted (统计口径). */
  notes: string[];
  signature: string;
  date: string;
}

export interface WordingOptions {
  organisation: string;
  /** The day of issue (成文日期). */
  issuedOn: IsoDate;
  /** 发文字号 as the office registered it; default a number left blank to fill in. */
  docNumber?: string;
}

export const SALUTATION = "各科室、各直属单位、各县市区教育局:";
/** 全角 spaces: the serial number is written in by hand when the bulletin is registered. */
const BLANK_SERIAL = "\u3000\u3000";
const ENUMERATION = "、";
const TOP_UNITS = 3;
const SUBJECT = "重点工作推进情况的通报";
/** 2号 type on a 156 mm line. */
const TITLE_LINE_CHARS = 20;

const REQUIREMENTS = [
  "(一)提高思想认识。各单位要把重点工作任务落实作为检验工作作风和执行力的重要标尺,主要负责同志要亲自研究、亲自调度,确保各项任务按时保质完成。",
  "(二)加快推进进度。对亮红灯和逾期未办结的事项,责任单位要认真分析原因,逐项制定整改措施、明确完成时限,于本通报印发后5个工作日内将整改情况报局督查室。",
  "(三)按时报送进展。各单位要严格按照规定的报送周期,如实报送工作进展和佐证材料;对未按时报送或报送内容不实的,将在下期通报中予以点名。",
  "(四)强化督查问效。局督查室将持续跟踪督办,定期通报推进情况,督查结果纳入年度目标管理考核。",
] as const;

export function bulletinText(bulletin: Bulletin, options: WordingOptions): BulletinText {
  return typesetAll(draft(bulletin, options));
}

function draft(bulletin: Bulletin, options: WordingOptions): BulletinText {
  const { period, totals } = bulletin;
  const organisation = options.organisation || "教育局";
  const asOf = chineseDate(cutOffDay(bulletin));
  const year = period.end.slice(0, 4);
  return {
    issuer: organisation,
    docNumber: options.docNumber ?? `${abbreviation(organisation)}教督通〔${year}〕${BLANK_SERIAL}号`,
    title: `${organisation}关于${period.label}${SUBJECT}`,
    titleLines: titleLines([`${organisation}关于`, period.label, SUBJECT]),
    salutation: SALUTATION,
    opening: `为推动年度重点工作落地见效,根据督查督办工作安排,局督查室对${period.label}重点工作推进情况进行了调度统计(数据截至${asOf})。现将有关情况通报如下:`,
    headings: { overall: "一、总体情况", units: "二、各单位推进情况", problems: "三、存在的问题", next: "四、下一步要求" },
    overall: overall(bulletin, asOf),
    unitsIntro: "各单位推进情况见下表(按办结率、按时办结率、红灯事项数、逾期未办结数排序)。",
    problemsIntro: totals.red === 0 ? "截至统计时点,没有亮红灯的事项。" : `从调度情况看,部分工作推进不够理想,共有${totals.red}项任务亮红灯,具体如下:`,
    problems: problems(bulletin),
    requirements: [...REQUIREMENTS],
    notes: notes(bulletin),
    signature: organisation,
    date: chineseDate(options.issuedOn),
  };
}

/** The last day the figures cover: the period's end, or the day of the cut-off while it runs. */
function cutOffDay(bulletin: Bulletin): IsoDate {
  const day = bureauDay(new Date(bulletin.cutOff.getTime() - 1));
  return day < bulletin.period.end ? day : bulletin.period.end;
}

function overall(bulletin: Bulletin, asOf: string): string[] {
  const { totals, period } = bulletin;
  if (totals.tasks === 0) return [`截至${asOf},没有已交办的重点工作任务。`];
  const { onTimeRate, reportTimeliness, kpiAttainment } = totals.measures;
  const sentences = [
    `截至${asOf},纳入督办的重点工作任务共${totals.tasks}项,已办结${totals.closed}项,办结率${formatPercent(totals.measures.closeRate.rate)}`,
    period.kind === "year" ? "" : `,其中${period.label}办结${totals.closedInPeriod}项`,
    "。",
    onTimeRate.denominator > 0 ? `应办结的${onTimeRate.denominator}项任务中,按期办结${totals.closedOnTime}项,按时办结率${formatPercent(onTimeRate.rate)}` : "尚无到期应办结的任务",
    totals.overdueOpen > 0 ? `;仍有${totals.overdueOpen}项任务超过办理期限未办结` : "",
    totals.red > 0 ? `,${totals.red}项任务亮红灯。` : "。",
  ];
  const second: string[] = [];
  if (reportTimeliness.denominator > 0) {
    second.push(`${period.label}各单位应报送工作进展${reportTimeliness.denominator}次,按时报送${reportTimeliness.numerator}次,报送及时率${formatPercent(reportTimeliness.rate)}。`);
  }
  if (kpiAttainment.denominator > 0) second.push(`已报送数值的量化指标${kpiAttainment.denominator}项,平均达成率${formatPercent(kpiAttainment.rate)}。`);
  const ranked = bulletin.units.filter((unit) => unit.rank !== null);
  const leaders = ranked.filter((unit) => unit.rank !== null && unit.rank <= TOP_UNITS && (unit.measures.closeRate.rate ?? 0) > 0);
  if (leaders.length > 0) second.push(`从各单位看,${names(leaders)}办结率位居前列。`);
  const lagging = ranked.filter((unit) => unit.red > 0);
  if (lagging.length > 0) second.push(`${names(lagging)}存在红灯事项,需重点关注。`);
  if (bulletin.stopped.length > 0) second.push(`另有${bulletin.stopped.length}项任务已中止,不纳入统计。`);
  return [sentences.join(""), ...(second.length > 0 ? [second.join("")] : [])];
}

function names(units: readonly UnitStanding[]): string {
  return units.map((unit) => unit.name).join(ENUMERATION);
}

function problems(bulletin: Bulletin): BulletinText["problems"] {
  const byUnit = new Map<string, RedItem[]>();
  for (const unit of bulletin.units) if (unit.redItems.length > 0) byUnit.set(unit.name, unit.redItems);
  // The red reasons only: a red item's lag behind schedule is not what makes it red.
  const why = (item: RedItem) => item.reasons.filter((reason) => LIGHT_REASONS[reason.code].light === "red").map((reason) => reason.message);
  return [...byUnit].map(([unit, items], index) => ({
    unit,
    heading: `(${chineseOrdinal(index + 1)})${unit}`,
    items: items.map((item, number) => `${number + 1}.${taskName(item.task)}:${why(item).join("")}`),
  }));
}

/** "“完善…机制”(《2025年工作要点》第4项)": a number alone is ambiguous across plans. */
export function taskName(task: TaskRef): string {
  return `“${task.title}”(《${task.planTitle}》第${task.number}项)`;
}

function notes(bulletin: Bulletin): string[] {
  return [
    "统计口径:按牵头单位统计,一项任务由多个单位承办的,只计入牵头单位,配合单位不重复计算;已中止的任务不纳入统计。",
    `办结率为截至统计时点累计已办结任务数占已交办任务数的比例;按时办结率为在办理期限(含经批准延期后的期限)内办结的任务数占应办结任务数(已办结的,加上已超过期限仍未办结的)的比例;报送及时率按${bulletin.period.label}内到期的报送次数计算;指标达成率为已报送数值的量化指标达成度的平均值,超额完成的按100%计。`,
  ];
}

/** "示例市教育局" → "示例": the place name that starts a 发文字号. */
function abbreviation(organisation: string): string {
  const place = organisation.replace(/(人民政府)?教育(局|体育局|委员会|厅)$/, "").replace(/[省市县区旗]$/, "");
  return place || organisation;
}

/** The parts packed into as few lines as fit; a part longer than a line gets a line of its own. */
function titleLines(parts: readonly string[]): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.at(-1);
    if (last !== undefined && [...last, ...part].length <= TITLE_LINE_CHARS) lines[lines.length - 1] = last + part;
    else lines.push(part);
  }
  return lines;
}

const CN_DIGITS = "零一二三四五六七八九";
const TEN = 10;

/** 1 → "一", 10 → "十", 12 → "十二", 25 → "二十五" (headings go no further than 99). */
export function chineseOrdinal(n: number): string {
  if (n < TEN) return CN_DIGITS[n] ?? String(n);
  const tens = Math.floor(n / TEN);
  const ones = n % TEN;
  return `${tens === 1 ? "" : (CN_DIGITS[tens] ?? "")}十${ones === 0 ? "" : (CN_DIGITS[ones] ?? "")}`;
}

/**
 * Official documents set Chinese text with full-width punctuation (GB/T 15834). Texts in the
 * ledger are normalized to ASCII punctuation (core's normalize), and the lights' messages are
 * written so: a mark next to a Chinese character becomes its full-width form; one between ASCII
 * characters (10:30, 2,000, 33.3%) stays.
 */
export function typeset(text: string): string {
  const chars = [...text];
  const wide = (index: number) => WIDE.test(chars[index] ?? "");
  const open: number[] = [];
  chars.forEach((char, index) => {
    if (char === "(") open.push(index);
    else if (char === ")") {
      // A pair turns together, by what it encloses or what it follows: "(一)", "(《计划》第4项)".
      const start = open.pop();
      if (start !== undefined && (wide(start - 1) || wide(start + 1) || wide(index - 1))) {
        chars[start] = FULL_WIDTH["("] ?? "(";
        chars[index] = FULL_WIDTH[")"] ?? ")";
      }
    } else if (char in FULL_WIDTH && (wide(index - 1) || wide(index + 1))) {
      chars[index] = FULL_WIDTH[char] ?? char;
    }
  });
  return chars.join("");
}

const WIDE = /[\u2014\u2018\u2019\u201C\u201D\u2E80-\uFFEF]/;
const FULL_WIDTH: Readonly<Record<string, string>> = { ",": "\uFF0C", ":": "\uFF1A", ";": "\uFF1B", "!": "\uFF01", "?": "\uFF1F", "(": "\uFF08", ")": "\uFF09" };

function typesetAll(text: BulletinText): BulletinText {
  const all = (lines: readonly string[]) => lines.map(typeset);
  return {
    ...text,
    docNumber: typeset(text.docNumber),
    title: typeset(text.title),
    titleLines: all(text.titleLines),
    salutation: typeset(text.salutation),
    opening: typeset(text.opening),
    overall: all(text.overall),
    unitsIntro: typeset(text.unitsIntro),
    problemsIntro: typeset(text.problemsIntro),
    problems: text.problems.map((group) => ({ ...group, heading: typeset(group.heading), items: all(group.items) })),
    requirements: all(text.requirements),
    notes: all(text.notes),
  };
}
