// The PDF reader's text geometry: runs placed on a page → lines (by baseline, left to right) →
// paragraphs (lines rejoined when they run to the margin), and the running headers, footers and
// page numbers that stand in the same place on most pages. Page units, y growing downwards; a
// run's y is its baseline.

import { looksLikeUnitName } from "../unit-names.js";

export interface TextRun {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  width: number;
  /** Font size (the glyphs' height). */
  size: number;
  /** The producer ended a line after this run. */
  eol?: boolean;
}

/** A ruling line: horizontal or vertical. */
export interface Rule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PageContent {
  width: number;
  height: number;
  runs: TextRun[];
  rules: Rule[];
}

/** A line of text: runs on one baseline, left to right. */
export interface Line {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  runs: TextRun[];
}

// ---------------------------------------------------------------------------------------------
// Text: characters that are written without spaces between them.

/** Han, kana, CJK punctuation and full-width forms: no space is ever wanted beside them. */
const WIDE_CLASS = "[\\u2e80-\\u9fff\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef]";
const WIDE = new RegExp(WIDE_CLASS);
/** One space (not two) beside a Chinese character: justification or a producer's spacing. */
const WIDE_SPACE = new RegExp(`(?<!\\s)\\s(?=${WIDE_CLASS})|(?<=${WIDE_CLASS})\\s(?!\\s)`, "g");

/**
 * A run's text with the single spaces a justified line or a PDF producer puts beside Chinese
 * characters removed ("1. 强 化" → "1.强化"); a wider space, typed to separate ("市教育局  市委网信办"),
 * stays as one.
 */
export function cleanRunText(text: string): string {
  return text.replace(WIDE_SPACE, "").replace(/\s+/g, " ");
}

/** Joins two pieces of one line or paragraph: a space only between two Latin words. */
function joinText(a: string, b: string): string {
  if (!a || !b) return a + b;
  const last = a.at(-1) as string;
  const first = b[0] as string;
  return WIDE.test(last) || WIDE.test(first) || /\s/.test(last) || /\s/.test(first) || last === "-" ? a + b : `${a} ${b}`;
}

// ---------------------------------------------------------------------------------------------
// Lines

/** Runs whose baselines differ by less than this share a line (× the font size). */
const BASELINE_TOLERANCE = 0.35;
/** A gap wider than this between two Latin runs is a word space (× the font size). */
const WORD_GAP = 0.15;
/** A run drawn again at (nearly) the same place is fake bold, not more text (page units). */
const OVERPRINT = 1;

/** A space run at least this wide (× the font size) was typed to separate ("市教育局  市委网信办"). */
const TYPED_SPACE = 0.5;

/** Groups runs into lines by baseline and orders them top to bottom, each left to right. */
export function groupLines(runs: readonly TextRun[]): Line[] {
  const sorted = runs.filter((r) => r.text).sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: TextRun[][] = [];
  let baseline = Number.NEGATIVE_INFINITY;
  let size = 0;
  for (const run of sorted) {
    const current = groups.at(-1);
    if (current && Math.abs(run.y - baseline) <= BASELINE_TOLERANCE * Math.max(size, run.size)) {
      current.push(run);
      size = Math.max(size, run.size);
    } else {
      groups.push([run]);
      baseline = run.y;
      size = run.size;
    }
  }
  return groups.flatMap((g) => (g.some((r) => r.text.trim()) ? [makeLine(g)] : []));
}

/** A line from runs on one baseline (at least one of them with text). */
export function makeLine(runs: readonly TextRun[]): Line {
  const ordered = [...runs].sort((a, b) => a.x - b.x);
  const kept: TextRun[] = [];
  let text = "";
  let typedSpace = false;
  for (const run of ordered) {
    if (!run.text.trim()) {
      typedSpace ||= kept.length > 0 && run.width >= TYPED_SPACE * run.size;
      continue;
    }
    const prev = kept.at(-1);
    if (prev && prev.text === run.text && Math.abs(prev.x - run.x) <= OVERPRINT && Math.abs(prev.y - run.y) <= OVERPRINT) continue;
    const piece = cleanRunText(run.text);
    const gap = prev ? run.x - (prev.x + prev.width) : 0;
    // A column's width apart is two things on one line (a name and a date): keep them apart.
    if (prev && (typedSpace || gap >= COLUMN_GAP * run.size)) text = `${text.trimEnd()} ${piece.trimStart()}`;
    else if (prev && (gap > WORD_GAP * run.size || prev.eol)) text = joinText(text.trimEnd(), piece.trimStart());
    else text += piece;
    typedSpace = false;
    kept.push(run);
  }
  const first = kept[0] as TextRun;
  return {
    text: text.trim(),
    x: first.x,
    right: Math.max(...kept.map((r) => r.x + r.width)),
    y: median(kept.map((r) => r.y)),
    size: Math.max(...kept.map((r) => r.size)),
    runs: kept,
  };
}

// ---------------------------------------------------------------------------------------------
// Paragraphs

/** A list or heading number that opens a paragraph: 一、 (一) 1. 1、 (1) ① 第一条. */
export const LIST_START = /^(?:[一二三四五六七八九十百]+、|[((][一二三四五六七八九十百]+[))]|\d{1,3}(?:[、．]|\.(?!\d))|[((]\d{1,3}[))]|[\u2460-\u2473\u2776-\u277f]|第[一二三四五六七八九十百\d]+[条章节部分])/;
/**
 * A sentence's end. A full line ending so ends its paragraph where paragraphs are not indented;
 * not a ; or : — a full line ends mid-paragraph on those too often ("…防护网。(责任单位:" / "安保科、…").
 */
const CLOSING = /[。!?!?]$/;
/** Punctuation that may not open a line, so a line breaks one character early to keep it company. */
const NO_LINE_START = /^.[,。、;:!?)》」』”’,.;:!?)\]]+/;
/** Lines further apart than this are separate paragraphs (× the font size, baseline to baseline). */
const PARAGRAPH_GAP = 2;
/** Fonts of different size by more than this are different paragraphs (a title over its text). */
const SIZE_CHANGE = 0.15;
/** A line starting this far right of the text's left edge is indented (× the font size). */
export const INDENT = 1.5;

/** Where the text of a region (the page body, or a table cell) runs between. */
export interface Frame {
  left: number;
  right: number;
  /** Paragraphs here open with a first-line indent, so a full line ending in 。 goes on. */
  indented: boolean;
  /** Lines are centred: a short line is not an indent. */
  centred?: boolean;
  /** A table cell, which may list body names one a paragraph (a 责任单位 cell). */
  cell?: boolean;
}

/** What opens a body's name: a new name, not the rest of the one before ("办公室"). */
const NAME_START = /^(?:市|县|区|省|州|盟|旗|镇|乡|各|中共|共青团|国家|自治区)/;

/**
 * A full line in a narrow cell that is a whole body's name, followed by the start of another
 * ("市教育局" / "各县市区" / "人民政府"): the lines fit the column exactly, so only the names tell
 * that a new paragraph began.
 */
function nextName(paragraph: string, next: Line): boolean {
  if (!PLAIN_NAME.test(paragraph) || !looksLikeUnitName(paragraph)) return false;
  return NAME_START.test(next.text) || !looksLikeUnitName(paragraph + next.text);
}
/** A body's name is Chinese characters (an aside in brackets at most): no number, no sentence. */
const PLAIN_NAME = /^[\u4e00-\u9fff()()]+$/;

/** Width of what the next line opens with, which would have fitted on the line before if it could. */
function openingWidth(line: Line): number {
  const run = line.runs[0] as TextRun;
  const perChar = run.text.length ? run.width / run.text.length : line.size;
  const m = /^[A-Za-z0-9'’\-]+/.exec(line.text);
  const kept = NO_LINE_START.exec(line.text);
  const chars = m ? m[0].length : kept ? kept[0].length : 1;
  return Math.min(chars * perChar, line.right - line.x);
}

/**
 * The next line starts a new paragraph rather than continuing `paragraph`, whose last line is
 * `prev`.
 */
function startsParagraph(prev: Line, next: Line, frame: Frame, samePage = true, paragraph = prev.text): boolean {
  if (LIST_START.test(next.text)) return true;
  if (Math.abs(prev.size - next.size) > SIZE_CHANGE * Math.max(prev.size, next.size)) return true;
  if (samePage && next.y - prev.y > PARAGRAPH_GAP * Math.max(prev.size, next.size)) return true;
  if (!frame.centred && next.x - frame.left >= INDENT * next.size) return true;
  const room = frame.right - prev.right;
  if (room >= openingWidth(next) - 0.2 * next.size) return true;
  if (frame.cell && nextName(paragraph, next)) return true;
  return !frame.indented && CLOSING.test(prev.text);
}

/** Rejoins lines into paragraphs. */
export function paragraphs(lines: readonly Line[], frame: Frame, pageBreaks: ReadonlySet<Line> = new Set()): string[] {
  const out: string[] = [];
  let prev: Line | null = null;
  for (const line of lines) {
    if (!prev || startsParagraph(prev, line, frame, !pageBreaks.has(line), out.at(-1))) out.push(line.text);
    else out[out.length - 1] = joinText(out.at(-1) as string, line.text);
    prev = line;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Page headers and footers

/** Share of the page height at the top and bottom where running headers and footers sit. */
const MARGIN_ZONE = 0.12;
/** Page numbers (spaces removed): 第2页共5页, -3-, 3/5, Page3of5, a bare number. */
const PAGE_NUMBER = /^(?:第\d+页(?:[,,]?共\d+页)?|共\d+页第\d+页|[-—–~·•]*\d{1,4}[-—–~·•]*|\d{1,4}\/\d{1,4}|page\d+(?:of\d+)?)$/i;
/** How close a running header must sit to where it sat on the other pages (page units). */
const SAME_PLACE = 4;

interface MarginLine {
  line: Line;
  /** The text with its numbers masked, so "第 2 页" and "第 3 页" are the same header. */
  key: string;
  /** Distance from the page edge it sits near. */
  offset: number;
  zone: "top" | "bottom";
}

function marginLines(lines: readonly Line[], height: number): MarginLine[] {
  const out: MarginLine[] = [];
  for (const line of lines) {
    const key = line.text.replace(/\s+/g, "").replace(/\d+/g, "#");
    if (line.y - line.size < MARGIN_ZONE * height) out.push({ line, key, offset: line.y, zone: "top" });
    else if (line.y > (1 - MARGIN_ZONE) * height) out.push({ line, key, offset: height - line.y, zone: "bottom" });
  }
  return out;
}

/**
 * Lines that are page furniture: a page number in the top or bottom margin (a bare number only
 * as the page's first or last line), or text repeated at the same place on most pages.
 */
export function pageChrome(pages: readonly { lines: readonly Line[]; height: number }[]): Set<Line> {
  const chrome = new Set<Line>();
  const margins = pages.map((p) => marginLines(p.lines, p.height));
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  for (const [i, page] of margins.entries()) {
    const lines = pages[i]?.lines ?? [];
    const outermost = new Set([lines[0], lines.at(-1)]);
    for (const m of page) {
      const squeezed = m.line.text.replace(/\s+/g, "");
      if (PAGE_NUMBER.test(squeezed) && (outermost.has(m.line) || !/^\d+$/.test(squeezed))) {
        chrome.add(m.line);
        continue;
      }
      const repeated = margins.filter((other) => other.some((o) => o.zone === m.zone && o.key === m.key && Math.abs(o.offset - m.offset) <= SAME_PLACE));
      if (repeated.length >= needed) chrome.add(m.line);
    }
  }
  return chrome;
}

/** A gap this wide between runs on one line separates two cells (× the font size). */
export const COLUMN_GAP = 2;

/** The most common value, rounded to a point; ties to the smaller. */
export function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(Math.round(v), (counts.get(Math.round(v)) ?? 0) + 1);
  let best = values[0] ?? 0;
  let bestCount = 0;
  for (const [v, n] of [...counts].sort((a, b) => a[0] - b[0])) if (n > bestCount) [best, bestCount] = [v, n];
  return best;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
