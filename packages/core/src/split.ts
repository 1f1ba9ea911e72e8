// Stage 4: one document → the plans in it. A file may hold one plan wrapped in its notice
// (关于印发…的通知 + 附件), a news report, or a compilation of several plans with a table of
// contents and even a heading-only outline of every plan before the bodies. Plans are told apart by
// their title lines and by the top-level numbering starting again at 一; a stretch that has
// headings but no body text is an outline or table of contents, not a plan.

import { charTable } from "./chinese.js";
import { diagnostic } from "./diagnostics.js";
import type { RenderedTable } from "./document.js";
import { isDateLine, NOT_IN_TITLE, NOTICE_LINE, signatureNames } from "./metadata.js";
import { noiseKind, stripPageMark } from "./noise.js";
import { lineMarker, markerOf } from "./numbering.js";
import { isHeaderCell } from "./outline.js";
import type { Line } from "./read.js";
import { taskTableBody } from "./table-outline.js";
import type { Diagnostic } from "./types.js";

export interface PartSlice {
  /** The plan's title line, if it has one. */
  title: Line | null;
  /** The body: lines after the title, noise removed. */
  lines: Line[];
  /** Lines before the title that belong to this plan's wrapper (notice, signature, 文号). */
  preamble: Line[];
  /** Lines after the body: signature, date, 抄送, 印发. */
  closing: Line[];
}

export interface SplitResult {
  parts: PartSlice[];
  /** Page chrome kept aside for metadata (发布时间). */
  chrome: Line[];
  /** Titles listed in a table of contents, in order. */
  listed: string[];
  diagnostics: Diagnostic[];
}

/** How plan titles end ("2024年全市教育工作要点", "…任务分解方案", "…任务清单"). */
const TITLE_END =
  /(?:要点|清单|方案|计划|工作安排|实施意见|意见|分工|责任分解|任务分解|重点任务|工作任务|工作思路|规划|台账|(?:分解|分工|任务|清单|台账|一览|推进|责任|安排|进度|目标|督办)表)$/;
/** "附件2:" before an annex's title. */
const ANNEX_LABEL = /^附\s*件\s*(?:\d{1,2}(?=\s*[:、]|\s))?\s*[:、]?\s*/;
/** Drafting marks after a title. */
const TITLE_SUFFIX = /\s*[(\[](?:征求意见稿|试行|讨论稿|送审稿|草案|修订稿|第\s*\d+\s*(?:\/\s*\d+\s*)?页)[)\]]\s*$/;
/** A title names a year, a place or a body. */
const TITLE_ANCHOR = /(?:19|20)\d{2}|年度|[市县区省州盟旗局委厅校]/;
/** "目录" or "目 录". */
const TOC_HEAD = /^目\s*录$/;
/** A TOC entry: optional number, a title, a page number ("2.2024年全市教育和体育工作要点15"). */
const TOC_ENTRY = /^(?:\d{1,2}\s*[.、]\s*|[一二三四五六七八九十]{1,3}\s*、\s*)?(.+?)[\s.…·]*(\d{1,4})$/;
const TOC_NUMBER_ONLY = /^\d{1,2}\s*[.、]$/;
const TOC_HEAD_START = "目".charCodeAt(0);
/** What ends an official document after its body, besides its date line: 抄送, 印发, 主题词. */
const CLOSING = [
  /^抄\s*送\s*:/,
  /^主\s*题\s*词\s*:/,
  // A note under a table or plan about all of it: "注:各责任单位于每季度末报送进展。"
  /^(?:注|备注|说明|督办要求|工作要求|有关要求|其他要求|相关要求)\s*\d?\s*:/,
  // A closing charge to every unit about the whole plan: "各处室要对照本要点制定任务清单,于…报送".
  /^各[^,。]{0,20}(?:要|应|须|务必)[^。]{0,40}本(?:要点|方案|计划|清单|意见|通知|安排)/,
  // The form fields under a ledger: "填报单位:…  填报时间:2025年2月10日".
  /^(?:填报单位|填报人|填表人|填报时间|填表时间|联系人|联系电话|审核人|审核)\s*:/,
  /(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发$/,
];

/** Longest title or TOC entry considered; longer lines are prose, and are not run through the patterns. */
const MAX_TITLE_LENGTH = 80;

/**
 * Speed: the last characters TITLE_END can end on. Stripping an annex label changes only a title's
 * start, so a line that ends on none of these (nor on a bracket or space a drafting mark might
 * leave) cannot be a title, and is ruled out before any pattern runs.
 */
const TITLE_LAST = charTable("点单案划排见工解务路表账");
const MAY_END_WITH_SUFFIX = charTable(")]");

export function isPlanTitle(text: string): boolean {
  if (text.length > MAX_TITLE_LENGTH) return false;
  const last = text.charCodeAt(text.length - 1);
  if (TITLE_LAST[last] !== 1 && MAY_END_WITH_SUFFIX[last] !== 1 && !/\s/.test(text.charAt(text.length - 1))) return false;
  const t = stripSuffix(text.replace(ANNEX_LABEL, ""));
  if (t.length < 6 || t.length > 60) return false;
  // Speed: the ending rules out most lines, so it is tested first.
  if (!TITLE_END.test(t)) return false;
  if (/[。;:!?《》]/.test(t) || NOT_IN_TITLE.test(t)) return false;
  if (markerOf(t)) return false;
  return TITLE_ANCHOR.test(t);
}

/** The title as it should be shown: page and drafting marks removed. */
export function cleanTitle(text: string): string {
  return stripSuffix(stripPageMark(text.replace(ANNEX_LABEL, ""))).trim();
}

function stripSuffix(text: string): string {
  return /[)\]]\s*$/.test(text) ? text.replace(TITLE_SUFFIX, "") : text;
}

/**
 * `tables`: a reader's tables, whose cells the lines are tagged with. The body of a task table is
 * one block to the splitter: its cells are never a plan's title, a running header or a closing
 * line, and never start a plan of their own; a stretch holding one is a plan's body.
 */
export function split(lines: readonly Line[], tables: readonly RenderedTable[] = []): SplitResult {
  const diagnostics: Diagnostic[] = [];
  const chrome: Line[] = [];
  const kept: Line[] = [];
  let inTrailer = false;
  let trailerLine = -1;
  const tableBody = taskTableBody(lines, tables);
  const headers = runningHeaders(tableBody.size ? lines.filter((l) => !tableBody.has(l)) : lines);
  const headersSeen = new Set<string>();
  for (const line of lines) {
    // A plan's title printed at the top of every page is its title the first time only.
    const repeated = headers.size > 0 && headers.has(line.text) && !tableBody.has(line);
    const header = repeated && (headersSeen.has(line.text) || !isPlanTitle(line.text));
    if (repeated) headersSeen.add(line.text);
    const kind = header ? "chrome" : noiseKind(line);
    if (kind === "trailer") {
      inTrailer = true;
      if (trailerLine < 0) trailerLine = line.index;
    }
    if (inTrailer && kind !== "trailer" && isPlanTitle(line.text)) inTrailer = false;
    if (kind === "chrome" || inTrailer) chrome.push(line);
    else kept.push(line);
  }
  if (trailerLine >= 0) diagnostics.push(diagnostic("TRAILER_REMOVED", { line: trailerLine + 1 }));

  const { toc, listed } = findToc(kept);
  const segments = segment(kept.filter((l) => !toc.has(l)), tableBody);

  const parts: PartSlice[] = [];
  let pending: Line[] = [];
  let pendingTitle: Line | null = null;
  const kinds = segments.map((seg) => (holdsTaskRows(seg.lines, tableBody) ? "body" : classify(seg.lines)));
  // A notice with numbered points of its own (一、提高认识…) wraps the titled plan after it.
  let titledBodyLater = false;
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i] as Segment;
    if (kinds[i] === "body" && !seg.title && titledBodyLater && seg.lines.some((l) => NOTICE_LINE.test(l.text))) kinds[i] = "other";
    if (seg.title && kinds[i] === "body") titledBodyLater = true;
  }
  for (const [i, seg] of segments.entries()) {
    const kind = kinds[i];
    if (kind === "body") {
      const title = seg.title ?? pendingTitle;
      const { body, closing } = cutClosing(seg.lines, tableBody);
      parts.push({ title, lines: body, preamble: pending, closing });
      pending = [];
      pendingTitle = null;
    } else if (kind === "outline") {
      const first = seg.title ?? seg.lines[0];
      if (first) diagnostics.push(diagnostic("TOC_SKIPPED", { line: first.index + 1 }));
    } else {
      if (seg.title) pendingTitle = seg.title;
      if (seg.title) pending.push(seg.title);
      for (const l of seg.lines) pending.push(l);
    }
  }

  for (const title of missingBodies(listed, parts)) diagnostics.push(diagnostic("LISTED_PLAN_MISSING", { title }));
  return { parts, chrome, listed, diagnostics };
}

interface Segment {
  title: Line | null;
  lines: Line[];
}

/** Cuts at every plan title and wherever the top-level numbering starts again (never inside a task table). */
function segment(lines: readonly Line[], tableBody: ReadonlySet<Line>): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { title: null, lines: [] };
  let topRank = Infinity;
  let topSeen = 0;
  const start = (title: Line | null) => {
    if (current.title || current.lines.length) segments.push(current);
    current = { title, lines: [] };
    topRank = Infinity;
    topSeen = 0;
  };
  for (const line of lines) {
    if (tableBody.size && tableBody.has(line)) {
      current.lines.push(line);
      continue;
    }
    if (isPlanTitle(line.text)) {
      start(line);
      continue;
    }
    const m = lineMarker(line);
    if (m && !m.loose && m.rank <= 2) {
      if (m.rank < topRank) {
        topRank = m.rank;
        topSeen = 0;
      }
      if (m.rank === topRank) {
        if (m.ordinal === 1 && topSeen > 0) start(null);
        topRank = m.rank;
        topSeen++;
      }
    }
    current.lines.push(line);
  }
  start(null);
  return segments;
}

/** Rows of a task table's body the stretch holds: two make it a plan's body, numbered or not. */
function holdsTaskRows(lines: readonly Line[], tableBody: ReadonlySet<Line>): boolean {
  if (!tableBody.size) return false;
  let first: Line | null = null;
  for (const line of lines) {
    if (!tableBody.has(line)) continue;
    if (!first) first = line;
    else if (line.cell?.table !== first.cell?.table || line.cell?.row !== first.cell?.row) return true;
  }
  return false;
}

/** A body has headings and text; an outline has only headings; anything else is a wrapper. */
function classify(lines: readonly Line[]): "body" | "outline" | "other" {
  let headings = 0;
  let prose = 0;
  for (const line of lines) {
    const isHeading = lineMarker(line) !== null;
    if (isHeading) headings++;
    if (line.text.length > 50 || /[。;]/.test(line.text)) prose++;
  }
  if (headings >= 2 && (prose > 0 || lines.some((l) => isHeaderCell(l.text)))) return "body";
  if (headings >= 3) return "outline";
  return "other";
}

/** Last characters of a body's name ("市教育局", "教研室"): such a line is a table cell, not a header. */
const BODY_LAST = charTable("局委办科室府心校院会组");
/** A running header repeats on every page; three times is no coincidence for a line like this. */
const MIN_HEADER_REPEATS = 3;

/**
 * Lines printed at the top of every page ("栖凤县教育体育局2024年工作要点汇编"): the same short
 * line three times or more. Table cells repeat too ("市教育局", "2024年12月底前", "工作任务"), so
 * headings, unit names, lists and dates are never taken for one.
 */
function runningHeaders(lines: readonly Line[]): Set<string> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const t = line.text;
    // Speed: a line ending like a body's name is never taken (see below), so it is not counted.
    if (t.length < 8 || t.length > 40 || BODY_LAST[t.charCodeAt(t.length - 1)] === 1) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const headers = new Set<string>();
  for (const [t, n] of counts) {
    if (n < MIN_HEADER_REPEATS || /[。;,、:]/.test(t)) continue;
    if (/\d{1,2}月|季度|全年/.test(t) || markerOf(t) !== null || isHeaderCell(t)) continue;
    headers.add(t);
  }
  return headers;
}

/** Splits the signature, date and distribution lines off the end of a body (a table's last cell is none of them). */
function cutClosing(lines: readonly Line[], tableBody: ReadonlySet<Line>): { body: Line[]; closing: Line[] } {
  let end = lines.length;
  let sawDate = false;
  while (end > 0) {
    if (tableBody.size && tableBody.has(lines[end - 1] as Line)) break;
    const t = (lines[end - 1] as Line).text;
    if (isDateLine(t) || CLOSING.some((re) => re.test(t))) {
      sawDate ||= /日$/.test(t);
      end--;
    } else if (sawDate && t.length <= 60 && signatureNames(t)) {
      end--;
    } else {
      break;
    }
  }
  return { body: lines.slice(0, end), closing: lines.slice(end) };
}

/** Table-of-contents lines, and the titles they list (from the longest run). */
function findToc(lines: readonly Line[]): { toc: Set<Line>; listed: string[] } {
  const toc = new Set<Line>();
  let best: string[] = [];
  let run: string[] = [];
  let runLines: Line[] = [];
  const close = () => {
    if (run.length >= 2 || (runLines.length > 0 && runLines.some((l) => TOC_HEAD.test(l.text)))) {
      for (const l of runLines) toc.add(l);
      if (run.length > best.length) best = run;
    }
    // (Speed: most lines close an empty run, which can be kept.)
    if (run.length > 0) run = [];
    if (runLines.length > 0) runLines = [];
  };
  for (const line of lines) {
    const t = line.text;
    // Speed: both patterns need the line to start with 目 or a digit, which few lines do.
    const first = t.charCodeAt(0);
    if ((first === TOC_HEAD_START || isAsciiDigit(first)) && (TOC_HEAD.test(t) || TOC_NUMBER_ONLY.test(t))) {
      runLines.push(line);
      continue;
    }
    const m = t.length <= MAX_TITLE_LENGTH && isAsciiDigit(t.charCodeAt(t.length - 1)) ? TOC_ENTRY.exec(t) : null;
    const title = m ? (m[1] as string).trim() : "";
    if (m && isPlanTitle(title)) {
      run.push(title);
      runLines.push(line);
      continue;
    }
    close();
  }
  close();
  return { toc, listed: best };
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Listed titles with no body, matched in order on their spelling. */
function missingBodies(listed: readonly string[], parts: readonly PartSlice[]): string[] {
  const key = (s: string) => cleanTitle(s).replace(/\s+/g, "");
  const bodies = parts.map((p) => (p.title ? key(p.title.text) : ""));
  const missing: string[] = [];
  let from = 0;
  for (const title of listed) {
    const at = bodies.indexOf(key(title), from);
    if (at >= 0) from = at + 1;
    else missing.push(title);
  }
  return missing;
}
