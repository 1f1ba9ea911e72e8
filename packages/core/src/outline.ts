// Stage 5: a plan's lines → a tree of numbered headings. A marker (numbering.ts) becomes a heading
// only when its number continues the sequence at its level, so body sentences that start with a
// number stay body text. A table flattened to text (a PDF 任务分解表 copied out line by line) is
// rebuilt here too: repeated column headers are dropped, a heading broken into cell fragments
// ("1.强化" / "德智体" / "美劳“五" / "育”并举") is joined again, a section cell that lost its label
// gets its place in the sequence, and a section cell repeated after a page break is one section.

import { chineseOrdinal } from "./chinese.js";
import { headingWords } from "./columns.js";
import { lineMarker, type Marker, RANK } from "./numbering.js";
import type { Line } from "./read.js";
import type { TableTask } from "./table-outline.js";
import { looksLikeUnitName } from "./units.js";

export interface OutlineNode {
  marker: Marker;
  /** The heading line (for an implicit section: its first fragment). */
  line: Line;
  /** Offsets of the heading's own words in the normalized text (fragments included). */
  titleStart: number;
  titleEnd: number;
  /** The heading's words, fragments joined; a fused body ("标题。正文…") is cut at the first 。. */
  title: string;
  /** Lines under the heading that are not headings themselves. */
  lines: Line[];
  children: OutlineNode[];
  /** End of the node's last line, children included. */
  end: number;
  /** A section whose label was lost with its table cell. */
  implicit: boolean;
  /** The office this section is named for (【办公室】, "基教科:", "一、办公室"), which answers for its items. */
  block: Block | null;
  /** A task read from a row of a reader's table: its cells by column (table-outline.ts). */
  task?: TableTask;
}

/** An office heading that groups items: every item under it is that office's. */
export interface Block {
  name: string;
  start: number;
  end: number;
}

export interface Outline {
  roots: OutlineNode[];
  /** Lines before the first heading (an introduction, or a news report's lead). */
  preamble: Line[];
  /** The plan is a table flattened to text. */
  table: boolean;
  /** The table's column headings, in order ("序号", "重点任务", "牵头单位", …). */
  columns: string[];
}

/** Column headings of a 任务分解表, possibly broken ("责任" / "单位"). */
const HEADER_CELL = new RegExp(`^(?:${headingWords().join("|")})$`);
/** The first cell of a line is a header cell (HEADER_CELL, /^…$/, applied to the line's first word). */
const HEADER_FIRST = new RegExp(`^\\s*(?:${HEADER_CELL.source.replace(/^\^|\$$/g, "")})(?:\\s|$)`, HEADER_CELL.flags);
/** An office heading on its own line: "【安保科】", "基教科:", "[办公室]". */
const BLOCK_LINE = /^(?:【\s*([^】]{2,24}?)\s*】|\[\s*([^\]]{2,24}?)\s*\]|([^\s:。;,]{2,24}):)$/;

/** A table cell fragment: a few characters, no sentence punctuation. */
const FRAGMENT_MAX = 10;
const HAS_SPACE = /\s/;
/** How far a number may jump and still continue its sequence (a missing item, a typo). */
const MAX_GAP = 3;

export function isHeaderCell(text: string): boolean {
  // Speed: nearly every line fails on its first cell, tested without splitting the line.
  if (!HEADER_FIRST.test(text)) return false;
  const cells = text.split(/\s+/).filter(Boolean);
  return cells.length > 0 && cells.every((c) => HEADER_CELL.test(c));
}

/** How far into the next line a heading broken mid-word may end ("7.深化课堂教学改" / "革。开展…"). */
const WRAP_TAIL = 4;
/** The longest tail of a heading broken before its body ("(二)提升义务教育" / "办学质量"). */
const WRAP_LINE = 8;

/**
 * The rest of a heading that a page width broke onto the next line: a few characters and then the
 * 。 that ends the title, or a short line with nothing after it but the next heading.
 */
function wrappedTail(lines: readonly Line[], i: number): Line | null {
  const next = lines[i + 1];
  if (!next || lineMarker(next) || isHeaderCell(next.text)) return null;
  const stop = next.text.indexOf("。");
  if (stop > 0 && stop <= WRAP_TAIL) return next;
  const after = lines[i + 2];
  const short = next.text.length <= WRAP_LINE && !/[,。;:、()]/.test(next.text) && !looksLikeUnitName(next.text);
  return short && (!after || lineMarker(after)) ? next : null;
}

/** A line that can be the words of a heading written on the line after its number. */
function isTitleLine(line: Line): boolean {
  return lineMarker(line) === null && !isHeaderCell(line.text);
}

export function isFragment(line: Line): boolean {
  const t = line.text.replace(/\s+/g, "");
  return t.length <= FRAGMENT_MAX && !/[。;,:]/.test(t) && lineMarker(line) === null && !isCellValue(t);
}

/** A 责任单位 or 完成时限 cell, which follows a title cell but is no part of it. */
function isCellValue(text: string): boolean {
  return looksLikeUnitName(text) || /(?:19|20)\d{2}年|\d{1,2}月|季度|全年|长期|持续推进|^—+$/.test(text);
}

/** Cuts a one-row-a-line table row into its cells, with their offsets. */
function splitCells(line: Line): Line[] {
  if (!/\t| {2,}/.test(line.text)) return [line];
  const cells: Line[] = [];
  const re = /[^\t ]+(?: [^\t ]+)*/g;
  for (let m = re.exec(line.text); m; m = re.exec(line.text)) {
    cells.push({ start: line.start + m.index, end: line.start + m.index + m[0].length, text: m[0], index: line.index });
  }
  return cells;
}

/** Removes the spaces a PDF puts between Chinese characters ("全面 发展  素质" → "全面发展素质"). */
export function squeeze(text: string): string {
  if (!HAS_SPACE.test(text)) return text; // speed: most headings have no space to remove
  return text.replace(/([^\x00-\x7f])\s+(?=[^\x00-\x7f])/g, "$1").trim();
}

export function outline(input: readonly Line[]): Outline {
  const table = hasHeaderRun(input);
  // A table pasted with one row a line: its cells are split by tabs or runs of spaces.
  const lines = table && input.some((l) => isHeaderCell(l.text) && splitCells(l).length >= 3) ? input.flatMap(splitCells) : input;
  const numbered = lines.some((l) => {
    const m = lineMarker(l);
    return m !== null && m.kind !== "cn-is" && m.rank <= RANK.num;
  });
  const roots: OutlineNode[] = [];
  const preamble: Line[] = [];
  const stack: OutlineNode[] = [];
  const lastAt = new Map<number, number>();
  /** Fragments seen after a table header, waiting to learn whether they are a section cell. */
  let loose: Line[] = [];
  let afterHeader = false;
  /** A repeated section cell after a page break: its fragments are swallowed. */
  let swallowing = false;
  let blocks = 0;
  const columns: string[] = [];
  let columnsDone = false;

  const attach = (line: Line) => {
    const top = stack[stack.length - 1];
    if (top) top.lines.push(line);
    else preamble.push(line);
  };
  const flushLoose = () => {
    for (const l of loose) attach(l);
    loose = [];
  };
  const open = (node: OutlineNode) => {
    while (stack.length && (stack[stack.length - 1] as OutlineNode).marker.rank >= node.marker.rank) stack.pop();
    const parent = stack[stack.length - 1];
    (parent ? parent.children : roots).push(node);
    stack.push(node);
    lastAt.set(node.marker.rank, node.marker.ordinal);
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (table && isHeaderCell(line.text)) {
      if (!columnsDone) for (const cell of line.text.split(/\s+/)) if (cell) columns.push(cell);
      flushLooseAsUnits();
      afterHeader = true;
      swallowing = false;
      continue;
    }
    if (columns.length) columnsDone = true;
    const found = lineMarker(line);
    const marker = found && found.kind === "cn-is" && numbered ? null : found;
    const office = marker ? null : blockOf(line);
    if (office) {
      // An office heading is a section too, numbered by its position.
      flushLoose();
      blocks++;
      open(blockSection(line, office, blocks));
      continue;
    }
    const verdict = marker ? judge(marker, line, stack, lastAt, table) : "text";
    if (verdict === "repeat") {
      swallowing = true;
      afterHeader = false;
      continue;
    }
    if (verdict === "text" || !marker) {
      if (marker && line.text.length === marker.contentStart) continue; // a page number
      if (swallowing && isFragment(line)) continue;
      swallowing = false;
      if (table && afterHeader && isFragment(line)) {
        loose.push(line);
        continue;
      }
      flushLoose();
      afterHeader = false;
      attach(line);
      continue;
    }
    swallowing = false;
    afterHeader = false;
    if (table && loose.length && marker.rank > RANK.cn && !loose.some((l) => looksLikeUnitName(l.text))) {
      open(implicitSection(loose, lastAt));
      loose = [];
    } else {
      flushLoose();
    }
    const fragments: Line[] = [];
    const bare = line.text.length === marker.contentStart;
    if (bare) {
      const next = lines[i + 1];
      // "一、" or a 序号 cell alone, its words on the next line; with no words it is a page number.
      if (!next || !isTitleLine(next)) continue;
      fragments.push(next);
      i++;
    }
    if (!table && !bare && marker.rank <= RANK.num && !/[。;:]/.test(line.text)) {
      const wrap = wrappedTail(lines, i);
      if (wrap) {
        fragments.push(wrap);
        i++;
      }
    }
    if (table && !/[。;]/.test((fragments[0] ?? line).text)) {
      while (i + 1 < lines.length && isFragment(lines[i + 1] as Line) && !isHeaderCell((lines[i + 1] as Line).text)) {
        if (marker.rank >= RANK["num-paren"]) break;
        fragments.push(lines[++i] as Line);
      }
    }
    const node = headingNode(marker, line, fragments);
    if (marker.rank <= RANK["cn-paren"] && looksLikeUnitName(node.title)) {
      // "一、办公室": a section named for an office is a block too.
      node.block = { name: node.title, start: node.titleStart, end: node.titleEnd };
    }
    open(node);
  }
  flushLoose();
  for (const root of roots) closeEnd(root);
  return { roots, preamble, table, columns: joinBrokenHeadings(columns) };

  function flushLooseAsUnits() {
    flushLoose();
  }
}

type Verdict = "heading" | "repeat" | "text";

function judge(
  marker: Marker,
  line: Line,
  stack: readonly OutlineNode[],
  lastAt: Map<number, number>,
  table: boolean,
): Verdict {
  const open = [...stack].reverse().find((n) => n.marker.rank === marker.rank);
  if (open && open.marker.ordinal === marker.ordinal && marker.rank <= RANK.cn && !open.implicit) {
    return "repeat";
  }
  const last = lastAt.get(marker.rank);
  if (marker.kind === "cn-is") return marker.ordinal === (last ?? 0) + 1 ? "heading" : "text";
  if (marker.loose && table) return marker.ordinal === (last ?? 0) + 1 ? "heading" : "text";
  if (marker.loose) {
    if (/[。;]/.test(line.text) && last === undefined) return "text";
    if (last === undefined) return marker.ordinal === 1 && line.text.length <= 50 ? "heading" : "text";
    return marker.ordinal === last + 1 ? "heading" : "text";
  }
  if (last === undefined) return "heading";
  if (marker.ordinal > last && marker.ordinal <= last + MAX_GAP) return "heading";
  // A task number written twice by mistake ("6." and again "6.") is still a new task, when its
  // line is a task of its own (words and a sentence end), not a table's repeated cell.
  if (marker.ordinal === last && marker.rank === RANK.num && !table && /[。;]/.test(line.text.slice(marker.contentStart))) {
    return "heading";
  }
  // Numbering may start again at 1 (under a new section, or a new list).
  return marker.ordinal === 1 ? "heading" : "text";
}

export function headingNode(marker: Marker, line: Line, fragments: readonly Line[]): OutlineNode {
  let words = line.text.slice(marker.contentStart);
  // A bare number's words start on the next line.
  const contentStart = words.length === 0 && fragments[0] ? fragments[0].start : line.start + marker.contentStart;
  let titleEnd = line.end;
  const stop = titleStop(words);
  if (stop >= 0) {
    words = words.slice(0, stop);
    titleEnd = contentStart + stop;
  } else {
    // The words go on over the fragment lines, up to a 。 if one comes.
    for (const f of fragments) {
      const k = f.text.indexOf("。");
      words += k >= 0 ? f.text.slice(0, k) : f.text;
      titleEnd = k >= 0 ? f.start + k : f.end;
      if (k >= 0) break;
    }
  }
  const last = fragments[fragments.length - 1];
  return {
    marker,
    line,
    titleStart: contentStart,
    titleEnd,
    title: cleanHeading(words),
    lines: [],
    children: [],
    end: Math.max(last ? last.end : line.end, titleEnd),
    implicit: false,
    block: null,
  };
}

/** A note inside a heading: "(责任单位:…)", "[完成时限:…]". */
const HEADING_NOTE = /[(\[【]\s*(?:责任|牵头|配合|协办|主责|完成|时间|时限)/;
/** A title longer than this inside a fused paragraph is a sentence; its lead phrase ends at the first comma. */
const LONG_TITLE = 30;

/** HEADING_NOTE searched from a given place (a note starts at one of NOTE_OPENERS). */
const HEADING_NOTE_FROM = new RegExp(HEADING_NOTE.source, "g");
const NOTE_OPENERS = ["(", "[", "【"];
const COLONS = [":", ";"];

/** Where the first of `chars` occurs in `text`, or -1. */
function firstOf(text: string, chars: readonly string[]): number {
  let first = -1;
  for (const c of chars) {
    const at = text.indexOf(c);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/**
 * Where a heading's own words end: at the first 。 or colon ("3.深化教育评价改革:…"), before a
 * note, or — in a paragraph whose first sentence runs long — at the first comma. -1: the whole line.
 */
function titleStop(words: string): number {
  // Speed: a heading fused with its body is a long line, and this runs on every heading. Only what
  // comes before the stop found so far can move it, so each later search reads just that head
  // (indexOf reads it faster than a character class does); the note pattern is run only from a
  // bracket a note can open with.
  const full = words.indexOf("。");
  let stop = full >= 0 ? full : words.length;
  let head = words.slice(0, stop);
  for (const c of COLONS) {
    const at = head.indexOf(c);
    if (at >= 0) {
      stop = at;
      head = head.slice(0, at);
    }
  }
  const opener = firstOf(head, NOTE_OPENERS);
  if (opener >= 0) {
    HEADING_NOTE_FROM.lastIndex = opener;
    const note = HEADING_NOTE_FROM.exec(words);
    if (note && note.index < stop) stop = note.index;
  }
  if (full >= 0 && stop > LONG_TITLE) {
    const comma = words.indexOf(",");
    if (comma > 0 && comma < stop) stop = comma;
  }
  // Every place found lies inside the words, so a stop at their end means none was found.
  return stop < words.length ? stop : -1;
}

function implicitSection(fragments: readonly Line[], lastAt: Map<number, number>): OutlineNode {
  const ordinal = (lastAt.get(RANK.cn) ?? 0) + 1;
  const first = fragments[0] as Line;
  const last = fragments[fragments.length - 1] as Line;
  const label = chineseOrdinal(ordinal);
  return {
    marker: { kind: "cn", rank: RANK.cn, label, ordinal, contentStart: 0, loose: false },
    line: first,
    titleStart: first.start,
    titleEnd: last.end,
    title: cleanHeading(fragments.map((f) => f.text).join("")),
    lines: [],
    children: [],
    end: last.end,
    implicit: true,
    block: null,
  };
}

/** A heading's words as a title: no stray spaces between Chinese characters, no trailing punctuation. */
export function cleanHeading(text: string): string {
  const words = squeeze(text.includes("\n") ? text.replace(/\s*\n\s*/g, "") : text);
  // Speed: only a title whose last character is trailing punctuation has any to remove.
  return TRAILING_PUNCTUATION.test(words.slice(-1)) ? words.replace(TRAILING_PUNCTUATION, "") : words;
}

const TRAILING_PUNCTUATION = /[。;,:、\s]+$/;

/** Rank of an office block: above every numbered level. */
const BLOCK_RANK = 0;

function blockSection(line: Line, office: Block, ordinal: number): OutlineNode {
  return {
    marker: { kind: "cn", rank: BLOCK_RANK, label: chineseOrdinal(ordinal), ordinal, contentStart: 0, loose: false },
    line,
    titleStart: office.start,
    titleEnd: office.end,
    title: office.name,
    lines: [],
    children: [],
    end: line.end,
    implicit: true,
    block: office,
  };
}

function blockOf(line: Line): Block | null {
  if (line.text.length > 30) return null;
  const m = BLOCK_LINE.exec(line.text);
  const name = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  if (!m || !name || !looksLikeUnitName(name)) return null;
  const start = line.start + line.text.indexOf(name);
  return { name, start, end: start + name.length };
}

/** "责任" + "单位" written as two lines of one heading cell. */
function joinBrokenHeadings(cells: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of cells) {
    const prev = out[out.length - 1];
    if (prev && /^(?:单位|部门|科室|时限|措施|任务)$/.test(c) && /^(?:责任|牵头|配合|完成|具体|工作|重点)$/.test(prev)) out[out.length - 1] = prev + c;
    else out.push(c);
  }
  return out;
}

function hasHeaderRun(lines: readonly Line[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] as Line).text;
    if (!isHeaderCell(t)) continue;
    if (t.split(/\s+/).length >= 2) return true;
    const next = lines[i + 1];
    if (next && isHeaderCell(next.text)) return true;
  }
  return false;
}

export function closeEnd(node: OutlineNode): number {
  let end = node.end;
  for (const l of node.lines) end = Math.max(end, l.end);
  for (const c of node.children) end = Math.max(end, closeEnd(c));
  node.end = end;
  return end;
}
