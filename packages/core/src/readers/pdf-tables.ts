// The PDF reader's tables: bordered tables from the ruling lines drawn on a page (cells from the
// grid, a merge where a rule is missing), borderless ones from column alignment, and a table that
// runs on over the next page joined to it (its repeated header dropped, a row cut by the page
// break rejoined), then laid out as a DocTable.

import type { DocCell, DocTable } from "../document.js";
import {
  COLUMN_GAP,
  type Frame,
  LIST_START,
  type Line,
  type PageContent,
  type Rule,
  type TextRun,
  groupLines,
  makeLine,
  median,
  paragraphs,
} from "./pdf-lines.js";
// ---------------------------------------------------------------------------------------------
// Tables during layout

/** A table cell during layout: its box and its lines (paragraphs are made once pages are joined). */
interface LCell {
  left: number;
  right: number;
  lines: Line[];
  /** Lines that open a new page inside the cell (a cell continued across a page break). */
  pageBreaks: Set<Line>;
}

/** A table during layout: its column edges and, for each row, the cell covering each column. */
export interface LTable {
  /** Column edges, left to right. */
  xs: number[];
  top: number;
  /** slots[row][column]: the same cell object wherever a cell spans. */
  slots: LCell[][];
  headerRows: number;
  pageWidth: number;
}

const newCell = (left: number, right: number): LCell => ({ left, right, lines: [], pageBreaks: new Set() });
/** The cell at (r, c) starts there: it is not the one above (a vertical merge) or to the left (a span). */
const startsAt = (slots: readonly LCell[][], r: number, c: number) =>
  (r === 0 || slots[r - 1]?.[c] !== slots[r]?.[c]) && (c === 0 || slots[r]?.[c - 1] !== slots[r]?.[c]);
const cellKey = (cell: LCell) => cell.lines.map((l) => l.text).join("");

// ---------------------------------------------------------------------------------------------
// Bordered tables: the grid from the ruling lines

/** Grid lines closer than this are one line (page units). */
const GRID_SNAP = 2;
/** A rule this close to another's end still meets it (page units). */
const JOIN_SLACK = 3;
/** More rules than this on one page is a drawing, not a table. */
const MAX_RULES = 4000;
/** How far above its baseline a run's middle is, as a share of its size. */
const MIDDLE = 0.35;

interface Segment {
  at: number;
  from: number;
  to: number;
}

/** Merges collinear rules that touch or overlap. */
function mergeSegments(segments: readonly Segment[]): Segment[] {
  const sorted = [...segments].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Segment[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && Math.abs(last.at - s.at) <= GRID_SNAP && s.from <= last.to + JOIN_SLACK) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** Values closer than `tolerance` to their neighbour become one (their mean). */
function cluster(values: readonly number[], tolerance: number): number[] {
  const groups: number[][] = [];
  for (const v of [...values].sort((a, b) => a - b)) {
    const last = groups.at(-1);
    if (last && v - (last.at(-1) as number) <= tolerance) last.push(v);
    else groups.push([v]);
  }
  return groups.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

interface RuleGroup {
  h: Segment[];
  v: Segment[];
}

/** Horizontal and vertical rules that meet, grouped: each group with two of each is a bordered table. */
function ruleGroups(rules: readonly Rule[]): RuleGroup[] {
  const flat = (r: Rule) => Math.abs(r.y1 - r.y2) <= 1 && Math.abs(r.x1 - r.x2) > 1;
  const upright = (r: Rule) => Math.abs(r.x1 - r.x2) <= 1 && Math.abs(r.y1 - r.y2) > 1;
  const h = mergeSegments(rules.filter(flat).map((r) => ({ at: (r.y1 + r.y2) / 2, from: Math.min(r.x1, r.x2), to: Math.max(r.x1, r.x2) })));
  const v = mergeSegments(rules.filter(upright).map((r) => ({ at: (r.x1 + r.x2) / 2, from: Math.min(r.y1, r.y2), to: Math.max(r.y1, r.y2) })));
  const parent = Array.from({ length: h.length + v.length }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  for (const [i, a] of h.entries()) {
    for (const [j, b] of v.entries()) {
      const meet = b.at >= a.from - JOIN_SLACK && b.at <= a.to + JOIN_SLACK && a.at >= b.from - JOIN_SLACK && a.at <= b.to + JOIN_SLACK;
      if (meet) parent[find(i)] = find(h.length + j);
    }
  }
  const groups = new Map<number, RuleGroup>();
  const groupOf = (i: number) => {
    const root = find(i);
    const g = groups.get(root) ?? { h: [], v: [] };
    groups.set(root, g);
    return g;
  };
  h.forEach((s, i) => groupOf(i).h.push(s));
  v.forEach((s, j) => groupOf(h.length + j).v.push(s));
  return [...groups.values()].filter((g) => g.h.length >= 2 && g.v.length >= 2);
}

const covers = (segments: readonly Segment[], at: number, from: number, to: number) =>
  segments.some((s) => Math.abs(s.at - at) <= GRID_SNAP && s.from <= from && s.to >= to);

interface Grid {
  table: LTable;
  /** Row edges on the page. */
  ys: number[];
}

/** A bordered table's grid: two grid slots are one cell where the rule between them is missing. */
function gridTable(group: RuleGroup, pageWidth: number): Grid | null {
  const xs = cluster(group.v.map((s) => s.at), GRID_SNAP);
  const ys = cluster(group.h.map((s) => s.at), GRID_SNAP);
  const rows = ys.length - 1;
  const cols = xs.length - 1;
  if (rows < 1 || cols < 1) return null;
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  const join = (a: number, b: number) => (parent[find(a)] = find(b));
  for (let r = 0; r < rows; r++) {
    const [y0, y1] = [ys[r] as number, ys[r + 1] as number];
    for (let c = 0; c < cols; c++) {
      const [x0, x1] = [xs[c] as number, xs[c + 1] as number];
      // A rule counts when it covers the middle half of the slot's side.
      if (c + 1 < cols && !covers(group.v, x1, y0 + (y1 - y0) / 4, y1 - (y1 - y0) / 4)) join(r * cols + c, r * cols + c + 1);
      if (r + 1 < rows && !covers(group.h, y1, x0 + (x1 - x0) / 4, x1 - (x1 - x0) / 4)) join(r * cols + c, (r + 1) * cols + c);
    }
  }
  const cells = new Map<number, LCell>();
  const slots = Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => {
      const root = find(r * cols + c);
      const cell = cells.get(root) ?? newCell(xs[c] as number, xs[c + 1] as number);
      cells.set(root, cell);
      cell.right = Math.max(cell.right, xs[c + 1] as number);
      return cell;
    }),
  );
  if (cells.size < 2) return null;
  return { table: { xs, top: ys[0] as number, slots, headerRows: 0, pageWidth }, ys };
}

/** Index of the slot between `edges` that holds `v`. */
function slotIndex(edges: readonly number[], v: number): number {
  for (let i = 1; i < edges.length - 1; i++) if (v < (edges[i] as number)) return i - 1;
  return edges.length - 2;
}

/** Bordered tables on a page; the runs inside them go to their cells and are left out of `rest`. */
export function borderedTables(page: PageContent): { tables: LTable[]; rest: TextRun[] } {
  if (page.rules.length > MAX_RULES) return { tables: [], rest: [...page.runs] };
  const grids = ruleGroups(page.rules)
    .map((g) => gridTable(g, page.width))
    .filter((g): g is Grid => g !== null);
  const rest: TextRun[] = [];
  const inCell = new Map<LCell, TextRun[]>();
  for (const run of page.runs) {
    const cx = run.x + run.width / 2;
    const cy = run.y - MIDDLE * run.size;
    const grid = grids.find(({ table, ys }) => cx >= (table.xs[0] as number) && cx <= (table.xs.at(-1) as number) && cy >= (ys[0] as number) && cy <= (ys.at(-1) as number));
    const cell = grid?.table.slots[slotIndex(grid.ys, cy)]?.[slotIndex(grid.table.xs, cx)];
    if (!cell) rest.push(run);
    else if (inCell.has(cell)) inCell.get(cell)?.push(run);
    else inCell.set(cell, [run]);
  }
  for (const [cell, runs] of inCell) cell.lines = groupLines(runs);
  return { tables: grids.map((g) => g.table), rest };
}

// ---------------------------------------------------------------------------------------------
// Tables without borders: columns of text aligned down several lines

/** Lines with two or more cells needed before aligned text is taken for a table. */
export const MIN_TABLE_LINES = 3;
/** A cell starting within this of a column's start is in that column (× the font size). */
const COLUMN_SNAP = 1;
/** Lines further apart than this end an aligned table (× the font size). */
const TABLE_LINE_GAP = 3;

/** A line cut where a wide gap separates its runs. */
function cells(line: Line): Line[] {
  const parts: TextRun[][] = [];
  for (const run of line.runs) {
    const part = parts.at(-1);
    const prev = part?.at(-1);
    if (part && prev && run.x - (prev.x + prev.width) < COLUMN_GAP * run.size) part.push(run);
    else parts.push([run]);
  }
  return parts.map(makeLine);
}

/**
 * Some line holds text in two columns (a wide gap between runs on one baseline). A page without
 * one has no table of two or more columns, so its drawing need not be looked at for borders.
 */
export function hasColumns(runs: readonly TextRun[]): boolean {
  return groupLines(runs).some((line) => cells(line).length >= 2);
}

/** Tables told by column alignment among a page's lines; the other lines are returned as they were. */
export function alignedTables(lines: readonly Line[], pageWidth: number): { tables: { table: LTable; y: number }[]; rest: Line[] } {
  const split = lines.map(cells);
  const tables: { table: LTable; y: number }[] = [];
  const rest: Line[] = [];
  for (let i = 0; i < lines.length; ) {
    const end = (split[i]?.length ?? 0) >= 2 ? alignedRegionEnd(lines, split, i) : i;
    const multi = split.slice(i, end + 1).filter((s) => s.length >= 2).length;
    if (multi < MIN_TABLE_LINES) {
      rest.push(lines[i] as Line);
      i++;
      continue;
    }
    tables.push({ table: alignedTable(split.slice(i, end + 1), lines.slice(i, end + 1), pageWidth), y: (lines[i] as Line).y - (lines[i] as Line).size });
    i = end + 1;
  }
  return { tables, rest };
}

/** The last line of an aligned table that starts at line `start`. */
function alignedRegionEnd(lines: readonly Line[], split: readonly Line[][], start: number): number {
  const starts = (split[start] as Line[]).map((c) => c.x);
  const size = (lines[start] as Line).size;
  const near = (x: number) => starts.findIndex((s) => Math.abs(s - x) <= COLUMN_SNAP * size);
  let last = start;
  for (let j = start + 1; j < lines.length; j++) {
    const line = lines[j] as Line;
    if (line.y - (lines[j - 1] as Line).y > TABLE_LINE_GAP * size) break;
    const parts = split[j] as Line[];
    if (parts.length >= 2) {
      for (const p of parts) if (near(p.x) < 0) starts.push(p.x);
      last = j;
      continue;
    }
    // One cell alone: a wrapped line of a cell, if it sits in a column a paragraph would not start in.
    const column = near(line.x);
    if (column > 0 && starts[column] !== Math.min(...starts)) last = j;
    else if (column < 0 || j - last > 1) break;
  }
  return last;
}

function alignedTable(split: readonly Line[][], lines: readonly Line[], pageWidth: number): LTable {
  const size = median(lines.map((l) => l.size));
  const starts = cluster(split.flat().map((c) => c.x), COLUMN_SNAP * size);
  const columnOf = (x: number) => Math.max(0, starts.findLastIndex((s) => s <= x + COLUMN_SNAP * size));
  const rights = starts.map((_, c) => Math.max(...split.flat().filter((p) => columnOf(p.x) === c).map((p) => p.right), (starts[c] as number) + size));
  const xs = [...starts, Math.max(...rights)];
  const slots: LCell[][] = [];
  for (const parts of split) {
    const opensRow = !slots.length || parts.some((p) => columnOf(p.x) === 0);
    if (opensRow) slots.push(starts.map((s, c) => newCell(s, rights[c] as number)));
    const row = slots.at(-1) as LCell[];
    for (const p of parts) row[columnOf(p.x)]?.lines.push(p);
  }
  return { xs, top: (lines[0] as Line).y - (lines[0] as Line).size, slots, headerRows: 0, pageWidth };
}

// ---------------------------------------------------------------------------------------------
// A table continued on the next page

/** Column edges this close on two pages are the same columns (page units). */
const SAME_COLUMN = 3;
/** Share of the rows in which a column has text of its own, for it to be a column every row fills. */
const FILLED = 0.8;
/** The most header rows a table repeats on each page. */
const MAX_HEADER_ROWS = 3;

export function continues(t: LTable, u: LTable): boolean {
  return Math.abs(t.pageWidth - u.pageWidth) <= SAME_COLUMN && t.xs.length === u.xs.length && t.xs.every((x, i) => Math.abs(x - (u.xs[i] as number)) <= SAME_COLUMN);
}

const rowKey = (slots: readonly LCell[][], r: number) =>
  (slots[r] ?? []).map((cell, c) => (startsAt(slots, r, c) ? cellKey(cell) : "^")).join("|");

/** How many of the continuation's first rows repeat the table's header. */
function repeatedHeader(t: LTable, u: LTable): number {
  for (let k = Math.min(MAX_HEADER_ROWS, t.slots.length - 1, u.slots.length); k > 0; k--) {
    let same = true;
    for (let r = 0; r < k && same; r++) same = rowKey(t.slots, r) === rowKey(u.slots, r) && rowKey(t.slots, r).replace(/[|^]/g, "") !== "";
    if (same) return k;
  }
  return 0;
}

/** What the pages of one table say about its columns, read before any page is joined. */
interface ColumnFacts {
  /** Columns in which nearly every row has text of its own (a task, its measures). */
  filled: Set<number>;
  /** Columns with a cell merged down over rows on some page (a category). */
  merged: Set<number>;
  /** Filled columns whose cells open with a number ("4.", "(1)"): the task, its measures. */
  numbered: Set<number>;
}

/**
 * Column facts over every page of a table (each page's body rows: its header and, past the first
 * page, the row a page break may have split are left out), so that a category column whose first
 * rows happen to each have their own text is still known by its merges further on.
 */
function columnFacts(parts: readonly { slots: readonly LCell[][]; skip: number }[]): ColumnFacts {
  const filled = new Set<number>();
  const merged = new Set<number>();
  const numbered = new Set<number>();
  const width = parts[0]?.slots[0]?.length ?? 0;
  for (let c = 0; c < width; c++) {
    let rows = 0;
    let own = 0;
    let listed = 0;
    for (const { slots, skip } of parts) {
      for (let r = skip; r < slots.length; r++) {
        rows++;
        if (r > skip && slots[r]?.[c] === slots[r - 1]?.[c]) merged.add(c);
        const first = slots[r]?.[c]?.lines[0];
        if (!startsAt(slots, r, c) || !first) continue;
        own++;
        if (LIST_START.test(first.text)) listed++;
      }
    }
    if (rows < 2 || own < FILLED * rows || merged.has(c)) continue;
    filled.add(c);
    if (listed >= FILLED * own) numbered.add(c);
  }
  return { filled, merged, numbered };
}

/**
 * The first row on a page is the rest of a row the page break cut: empty where every row has text,
 * or not opening with a number where every row's cell does ("4.完善作业考试" / "辅导").
 */
function isSplitRow(row: readonly LCell[], facts: ColumnFacts): boolean {
  const opening = (c: number) => row[c]?.lines[0]?.text;
  if ([...facts.filled].some((c) => opening(c) === undefined)) return true;
  return [...facts.numbered].some((c) => {
    const text = opening(c);
    return text !== undefined && !LIST_START.test(text);
  });
}

/** The continuation's cell goes on in `anchor`, the cell above it on the page before. */
function alias(rows: LCell[][], cell: LCell, anchor: LCell): void {
  for (const row of rows) for (const [c, slot] of row.entries()) if (slot === cell) row[c] = anchor;
  if (cell.lines[0]) anchor.pageBreaks.add(cell.lines[0]);
  for (const l of cell.pageBreaks) anchor.pageBreaks.add(l);
  anchor.lines.push(...cell.lines);
}

/**
 * Joins a table's continuation on the next page: the repeated header rows are dropped; a row split
 * by the page break (see `split`) is rejoined; an empty cell that runs on
 * (spanning rows itself, in a column with merged cells, or among the row's leading empty cells, as
 * a category does) continues the cell above.
 */
function mergeContinuation(t: LTable, u: LTable, k: number, facts: ColumnFacts): LTable {
  const body = u.slots.slice(k).map((row) => [...row]);
  const last = t.slots.at(-1);
  const first = body[0];
  if (!last || !first) return t;
  const split = isSplitRow(first, facts);
  let leading = true;
  for (const [c, cell] of first.entries()) {
    if (c > 0 && first[c - 1] === cell) continue;
    const empty = cell.lines.length === 0;
    leading &&= empty;
    const anchor = last[c];
    const runsOn = empty && (body[1]?.[c] === cell || facts.merged.has(c) || leading);
    if (anchor && (split || runsOn)) alias(body, cell, anchor);
  }
  return { ...t, slots: [...t.slots, ...(split ? body.slice(1) : body)] };
}

/** A table and its continuations on the following pages → one table. */
export function joinPages(parts: readonly LTable[]): LTable {
  const [head, ...rest] = parts;
  if (!head) throw new Error("joinPages needs a table");
  const repeats = rest.map((u) => repeatedHeader(head, u));
  const headerRows = Math.max(head.headerRows, ...repeats);
  const facts = columnFacts([{ slots: head.slots, skip: headerRows }, ...rest.map((u, i) => ({ slots: u.slots, skip: (repeats[i] as number) + 1 }))]);
  return rest.reduce((t, u, i) => mergeContinuation(t, u, repeats[i] as number, facts), { ...head, headerRows });
}

// ---------------------------------------------------------------------------------------------
// Tables → document tables

/** A header row: every cell a short label. */
const LABEL_MAX = 12;

function looksLikeHeader(t: LTable): boolean {
  const row = t.slots[0] ?? [];
  const own = row.filter((_, c) => startsAt(t.slots, 0, c));
  return t.slots.length > 1 && own.length >= 2 && own.every((cell) => {
    const text = cellKey(cell);
    return text.length > 0 && text.length <= LABEL_MAX && !/[。;,,;]/.test(text);
  });
}

/** Where a cell's text runs: its box less the padding its column keeps on the left. */
function cellFrames(t: LTable): Map<LCell, Frame> {
  const padding = new Map<number, number>();
  t.slots.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (!startsAt(t.slots, r, c) || !cell.lines.length) return;
      const pad = Math.max(0, Math.min(...cell.lines.map((l) => l.x)) - cell.left);
      padding.set(c, Math.min(padding.get(c) ?? pad, pad));
    }),
  );
  const frames = new Map<LCell, Frame>();
  t.slots.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (!startsAt(t.slots, r, c)) return;
      const pad = Math.min(padding.get(c) ?? 0, (cell.right - cell.left) / 4);
      const left = cell.left + pad;
      const right = cell.right - pad;
      const centre = (left + right) / 2;
      const centred = cell.lines.some((l) => l.x - left > l.size) && cell.lines.every((l) => Math.abs((l.x + l.right) / 2 - centre) < l.size);
      frames.set(cell, { left, right, indented: false, centred, cell: true });
    }),
  );
  return frames;
}

export function toDocTable(t: LTable): DocTable {
  const frames = cellFrames(t);
  const rows: DocCell[][] = [];
  let headerRows = t.headerRows || (looksLikeHeader(t) ? 1 : 0);
  t.slots.forEach((row, r) => {
    const out: DocCell[] = [];
    let hasText = false;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c] as LCell;
      if (c > 0 && row[c - 1] === cell) continue;
      let span = 1;
      while (row[c + span] === cell) span++;
      const continued = r > 0 && t.slots[r - 1]?.[c] === cell;
      const text = continued ? "" : paragraphs(cell.lines, frames.get(cell) as Frame, cell.pageBreaks).join("\n");
      hasText ||= text !== "";
      out.push({ text, ...(continued ? { continued: true } : {}), ...(span > 1 ? { span } : {}) });
    }
    if (hasText) rows.push(out);
    else if (r < t.headerRows) headerRows--;
  });
  return { kind: "table", rows, headerRows: Math.max(0, headerRows) };
}
