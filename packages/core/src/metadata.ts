// A plan's header: title, issuing body, 文号, year and date, read from the notice that wraps it,
// its signature, its title, or (for a news report) the body named in its lead paragraph.

import { parseChineseNumeral } from "./chinese.js";
import type { Line } from "./read.js";
import { looksLikeUnitName } from "./unit-names.js";

export interface Metadata {
  issuer: string | null;
  doc_number: string | null;
  year: number | null;
  date: string | null;
}

export interface MetadataInput {
  title: string;
  /** Whether the title is a plan title (false for a news headline). */
  titled: boolean;
  /** Wrapper lines before the title: notice header, 文号, addressees, signature. */
  wrapper: readonly Line[];
  /** Lines after the title and before the first heading. */
  intro: readonly Line[];
  /** Lines after the body, where a signature may stand. */
  tail: readonly Line[];
  /** The body, for the year its dates speak of when nothing else gives one. */
  body: readonly Line[];
  /** Page chrome (发布时间:…). */
  chrome: readonly Line[];
}

/** 文号: an issuer code, the year in brackets, a serial and 号 ("衡政办函〔2023〕21号", "营教发【2024】12号"). */
const DOC_NUMBER = /^[\u4e00-\u9fff]{1,12}\s*[〔【\[(]\s*(?:19|20)\d{2}\s*[〕】\])]\s*第?\s*\d{1,4}\s*号/;
/** The words of a notice that issues a plan: "关于印发《…》的通知". */
const ISSUING = "关于(?:印发|下发|转发)";
/** A line of such a notice (its header or its last words). */
export const NOTICE_LINE = new RegExp(`${ISSUING}|的通知$`);
/** The plan a notice issues, inside its 《》. */
export const ISSUED_TITLE = new RegExp(`${ISSUING}[^《]{0,20}《([^》]{4,80})》`);
/** Words a plan's own title never has. */
export const NOT_IN_TITLE = new RegExp(`的通知|${ISSUING}`);
const NOTICE_HEADER = new RegExp(`^(.{2,40}?)\\s*${ISSUING}`);
/** A signing date alone on its line: "2024年6月3日". */
const DATE_LINE = /^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;

export function isDateLine(text: string): boolean {
  return DATE_LINE.test(text);
}
const PUBLISHED = /(?:发布时间|发布日期|成文日期)\s*:\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})/;
/** A bureau named at the start of a title: "市教育局2024年工作要点". */
const TITLE_ISSUER = new RegExp(`^([\\u4e00-\\u9fff]{0,10}?(?:教育和体育局|教育体育局|教体局|教育局|教育厅|教育委员会|教委|人民政府办公室|人民政府))`);
/** A bureau named in a news report's lead: "哈尔滨市教育局将…". */
const NAMED_BUREAU = /([\u4e00-\u9fff]{1,6}[省市县区州旗](?:教育和体育局|教育体育局|教体局|教育局|教育厅|教委))/;

export function readMetadata(input: MetadataInput): Metadata {
  const wrapper = [...input.wrapper, ...input.intro.slice(0, 2)];
  const doc_number = findDocNumber(wrapper);
  const signature = findSignature([...input.wrapper, ...input.tail]);
  const issuer =
    signature?.issuer ??
    findNoticeIssuer(input.wrapper) ??
    TITLE_ISSUER.exec(input.title)?.[1] ??
    (input.titled ? null : findNamedBureau(input.intro));
  const date = signature?.date ?? findPublished(input.chrome);
  const year =
    findYear(input.title) ?? findYear(doc_number ?? "") ?? (date ? Number(date.slice(0, 4)) : null) ?? commonYear(input.body);
  return { issuer, doc_number, year, date };
}

function findDocNumber(lines: readonly Line[]): string | null {
  for (const line of lines) {
    const m = DOC_NUMBER.exec(line.text);
    if (m) return m[0].replace(/\s+/g, "");
  }
  return null;
}

/** Bodies on one line (separated by spaces) followed by the signing date. */
function findSignature(lines: readonly Line[]): { issuer: string; date: string } | null {
  for (let i = 0; i + 1 < lines.length; i++) {
    const date = DATE_LINE.exec((lines[i + 1] as Line).text);
    if (!date) continue;
    const names = signatureNames((lines[i] as Line).text);
    if (!names) continue;
    return { issuer: names.join("、"), date: isoDate(date[1], date[2], date[3]) };
  }
  return null;
}

/** The bodies of a signature line ("营口市教育局   营口市财政局"), or null when it is not one. */
export function signatureNames(text: string): string[] | null {
  const names = text.split(/\s+/).filter(Boolean);
  return names.length > 0 && names.length <= MAX_SIGNERS && names.every((n) => looksLikeUnitName(n)) ? names : null;
}

const MAX_SIGNERS = 6;

function findNoticeIssuer(lines: readonly Line[]): string | null {
  for (const line of lines) {
    const m = NOTICE_HEADER.exec(line.text);
    const name = m?.[1]?.trim();
    if (name && looksLikeUnitName(name)) return name;
  }
  return null;
}

function findNamedBureau(lines: readonly Line[]): string | null {
  for (const line of lines) {
    const m = NAMED_BUREAU.exec(line.text);
    if (m) return m[1] as string;
  }
  return null;
}

function findPublished(lines: readonly Line[]): string | null {
  for (const line of lines) {
    const m = PUBLISHED.exec(line.text);
    if (m) return isoDate(m[1], m[2], m[3]);
  }
  return null;
}

function findYear(text: string): number | null {
  // "2024—2025学年第一学期": a school year is named for the year it starts in.
  const m = /((?:19|20)\d{2})\s*(?:年|[〕】\])]|[-—–~至]\s*(?:19|20)\d{2}\s*学年)/.exec(text);
  if (m) return Number(m[1]);
  const cn = /([一二][〇零一二三四五六七八九]{3})年/.exec(text); // 二〇二四年
  const year = cn ? parseChineseNumeral(cn[1] as string) : null;
  return year !== null && year >= 1900 && year < 2100 ? year : null;
}

/** The year the body names most often, when at least two of its dates agree on it. */
function commonYear(lines: readonly Line[]): number | null {
  const counts = new Map<number, number>();
  for (const line of lines) {
    for (const m of line.text.matchAll(/(?<![\d-])((?:19|20)\d{2})\s*年/g)) {
      const y = Number(m[1]);
      counts.set(y, (counts.get(y) ?? 0) + 1);
    }
  }
  let best: number | null = null;
  let most = 1;
  for (const [y, n] of counts) if (n > most) [best, most] = [y, n];
  return best;
}

function isoDate(y?: string, m?: string, d?: string): string {
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
