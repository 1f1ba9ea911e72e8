// A spreadsheet (an .xlsx sheet or a .csv file) as blocks. A task table someone keeps has a few
// title rows ("2025年工作任务分解表", merged across), then a header row (序号 | 重点任务 | 具体措施 |
// 牵头单位 | 完成时限), then the tasks. The header is found by what its cells mean, not by its
// place: rows above it become paragraphs (so the pipeline finds the plan's title) and the rest a
// table whose merged cells say what they cover.

import { type ColumnKind, headerKind } from "../columns.js";
import type { DocBlock, DocCell, DocParagraph, DocTable } from "../document.js";

/** A cell range merged into one, 0-based and inclusive. */
export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface SheetGrid {
  /** rows[r][c]: the cell's text as it should read ("" when empty); rows may be ragged. */
  rows: readonly (readonly string[])[];
  merges: readonly Merge[];
}


/** A task table has hundreds of rows; a sheet with more than this is not one, and reading stops. */
export const MAX_SHEET_ROWS = 20_000;
/** Columns read; cells further right are ignored (a task table has about ten). */
export const MAX_COLUMNS = 256;

/** Rows searched for the header: a task table's header sits under at most a few title rows. */
const HEADER_SEARCH_ROWS = 30;
/** Distinct meaningful kinds a header row must name (序号 + 工作任务, 工作任务 + 责任单位, …). */
const HEADER_MIN_KINDS = 2;

/** A column heading the lists do not know ("推进情况", "责任领导及电话"): a short label, no sentence. */
const UNKNOWN_LABEL = /^[^。,;:!?\d]{1,10}$/;
/** At most this share of a header row's headings may be unknown labels. */
const MAX_UNKNOWN_SHARE = 1 / 3;

/**
 * Kinds of a row's cells when the row reads as headings: every filled cell a header word or a
 * short label, and few of them unknown. Null otherwise. Unknown labels count as "other".
 */
function headerKinds(row: readonly string[]): ColumnKind[] | null {
  const kinds: ColumnKind[] = [];
  let filled = 0;
  let unknown = 0;
  for (const text of row) {
    const trimmed = text.trim();
    if (!trimmed) {
      kinds.push("other");
      continue;
    }
    filled++;
    const kind = headerKind(trimmed);
    if (kind === null) {
      if (!UNKNOWN_LABEL.test(trimmed.replace(/\s+/g, ""))) return null;
      unknown++;
    }
    kinds.push(kind ?? "other");
  }
  return filled && unknown <= filled * MAX_UNKNOWN_SHARE ? kinds : null;
}

/** Index of the header row among `rows`, or -1 when no row reads as one. */
export function findHeaderRow(rows: readonly (readonly string[])[]): number {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < limit; r++) {
    const kinds = headerKinds(rows[r] as readonly string[]);
    if (kinds && namesTaskColumns(kinds)) return r;
  }
  return -1;
}

/** A header names what a task table is about: a task, measure or unit column, and one more meaningful column. */
function namesTaskColumns(kinds: readonly ColumnKind[]): boolean {
  const meaningful = new Set(kinds.filter((k) => k !== "other"));
  const names = meaningful.has("task") || meaningful.has("measure") || meaningful.has("unit");
  return names && meaningful.size >= HEADER_MIN_KINDS;
}

/** The row under the header is its second row when it holds only headings and no unknown ones. */
function isSubHeader(row: readonly string[] | undefined): boolean {
  if (!row) return false;
  const filled = row.filter((t) => t.trim());
  return filled.length > 0 && filled.every((t) => headerKind(t) !== null);
}

/** The sheet as blocks: title rows as paragraphs, then the table. */
export function sheetBlocks(sheet: SheetGrid): DocBlock[] {
  const grid = trimmed(sheet);
  if (!grid.rows.length) return [];
  const header = findHeaderRow(grid.rows);
  const cells = withMerges(grid);
  const blocks: DocBlock[] = [];
  for (let r = 0; r < Math.max(header, 0); r++) {
    const paragraph = rowParagraph(cells[r] as DocCell[]);
    if (paragraph) blocks.push(paragraph);
  }
  const from = Math.max(header, 0);
  let headerRows = 0;
  if (header >= 0) {
    headerRows = 1;
    const next = grid.rows[header + 1];
    if (isSubHeader(next)) headerRows = 2;
  }
  const kinds = header >= 0 ? columnKinds(grid.rows, header, headerRows) : [];
  const body = cells.slice(from);
  if (headerRows === 2) {
    body.splice(0, 2, oneHeaderRow(grid.rows[header] as string[], grid.rows[header + 1] as string[]));
    headerRows = 1;
  }
  const tail = trailingNotes(body, headerRows, grid.width);
  const rows = body.slice(0, body.length - tail.length).filter((row) => row.some((c) => c.text || c.continued));
  continueGroups(rows, headerRows, kinds);
  if (rows.length > headerRows || headerRows === 0) blocks.push({ kind: "table", rows, headerRows } satisfies DocTable);
  for (const row of tail) {
    const paragraph = rowParagraph(row);
    if (paragraph) blocks.push(paragraph);
  }
  return blocks;
}

interface Trimmed {
  rows: string[][];
  merges: Merge[];
  width: number;
}

/** Drops empty rows and columns around the content (a sheet often starts at B3), keeping merges aligned. */
function trimmed(sheet: SheetGrid): Trimmed {
  const filled = (r: number) => (sheet.rows[r] ?? []).some((t) => t.trim() !== "");
  let top = 0;
  let bottom = sheet.rows.length - 1;
  while (top <= bottom && !filled(top)) top++;
  while (bottom >= top && !filled(bottom)) bottom--;
  if (top > bottom) return { rows: [], merges: [], width: 0 };
  let left = Infinity;
  let right = -1;
  for (let r = top; r <= bottom; r++) {
    const row = sheet.rows[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      if ((row[c] as string).trim() === "") continue;
      left = Math.min(left, c);
      right = Math.max(right, c);
    }
  }
  right = Math.min(right, left + MAX_COLUMNS - 1);
  const width = right - left + 1;
  const rows: string[][] = [];
  for (let r = top; r <= bottom; r++) {
    const row = sheet.rows[r] ?? [];
    rows.push(Array.from({ length: width }, (_, c) => cleanCell(row[left + c] ?? "")));
  }
  const merges: Merge[] = [];
  for (const m of sheet.merges) {
    const cut = {
      top: Math.max(m.top, top) - top,
      bottom: Math.min(m.bottom, bottom) - top,
      left: Math.max(m.left, left) - left,
      right: Math.min(m.right, right) - left,
    };
    // A merge starting outside the content (a blank banner) is clipped; its text, if any, is gone.
    if (cut.top > cut.bottom || cut.left > cut.right || m.top < top || m.left < left) continue;
    if (cut.top === cut.bottom && cut.left === cut.right) continue;
    merges.push(cut);
  }
  return { rows, merges, width };
}

/** A cell's text with its line breaks kept and each line trimmed. */
function cleanCell(text: string): string {
  if (!text) return text;
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");
}

/** The rows as DocCells: a merge's first cell spans its columns, the rows below it continue it. */
function withMerges(grid: Trimmed): DocCell[][] {
  // covered[r][c]: 0 free, 1 hidden inside a horizontal span, 2 the first column of a continued row.
  const covered = grid.rows.map((row) => new Uint8Array(row.length));
  const spans = new Map<number, number>();
  const key = (r: number, c: number) => r * grid.width + c;
  // Merges never overlap in a sheet Excel wrote, so together they cover at most the grid; past
  // that they are hostile, and ignored.
  let budget = grid.rows.length * grid.width;
  for (const m of grid.merges) {
    const span = m.right - m.left + 1;
    const area = span * (m.bottom - m.top + 1);
    if (area > budget) continue;
    budget -= area;
    for (let r = m.top; r <= m.bottom; r++) {
      for (let c = m.left; c <= m.right; c++) (covered[r] as Uint8Array)[c] = c === m.left ? (r === m.top ? 0 : 2) : 1;
      if (span > 1) spans.set(key(r, m.left), span);
    }
  }
  return grid.rows.map((row, r) => {
    const out: DocCell[] = [];
    for (let c = 0; c < row.length; c++) {
      const state = (covered[r] as Uint8Array)[c];
      if (state === 1) continue;
      const cell: DocCell = state === 2 ? { text: "", continued: true } : { text: row[c] as string };
      const span = spans.get(key(r, c));
      if (span) cell.span = span;
      out.push(cell);
    }
    return out;
  });
}

/** A row above the header, as one paragraph: its cells' texts in order, each once. */
function rowParagraph(row: readonly DocCell[]): DocParagraph | null {
  const texts = row.filter((c) => !c.continued && c.text).map((c) => c.text.replace(/\n+/g, " "));
  return texts.length ? { kind: "paragraph", text: texts.join(" ") } : null;
}

/** The kind of each grid column, read from the header row (and the row under it, for a two-row header). */
function columnKinds(rows: readonly (readonly string[])[], header: number, headerRows: number): ColumnKind[] {
  const kinds = (headerKinds(rows[header] as readonly string[]) ?? []).slice();
  if (headerRows > 1) {
    const sub = headerKinds(rows[header + 1] as readonly string[]) ?? [];
    sub.forEach((k, c) => {
      if (k !== "other") kinds[c] = k;
    });
  }
  return kinds;
}

/**
 * A two-row header (责任单位 over 牵头单位 | 配合单位) as one row of the words that name each column:
 * the lower cell where it has one, else the upper. The text path reads column headings one to a
 * line, and a 牵头单位 heading must not sit under a 责任单位 heading it belongs to.
 */
function oneHeaderRow(upper: readonly string[], lower: readonly string[]): DocCell[] {
  return upper.map((text, c) => ({ text: (lower[c] ?? "").trim() ? (lower[c] as string) : text }));
}

/**
 * Rows after the table that are one cell across its width ("注:牵头单位列第一位", "填表人:…"):
 * notes under the table, read as paragraphs.
 */
function trailingNotes(rows: readonly DocCell[][], headerRows: number, width: number): DocCell[][] {
  let from = rows.length;
  while (from > headerRows + 1) {
    const row = rows[from - 1] as DocCell[];
    const filled = row.filter((c) => c.text);
    const across = row.length === 1 && (row[0]?.span ?? 1) === width && width > 1;
    if (!(filled.length === 1 && (across || /^(?:注|备注|说明|填表|审核|制表)/.test(filled[0]?.text ?? "")))) break;
    from--;
  }
  return rows.slice(from);
}

/**
 * Columns left of the task column named for no field (类别, 板块) group the tasks. When a sheet
 * repeats the group's name on every row instead of merging the cells (as CSV must), the repeats
 * continue the first. A 责任科室 column there keeps its repeats: each row's unit is its own.
 */
function continueGroups(rows: DocCell[][], headerRows: number, kinds: readonly ColumnKind[]): void {
  const first = kinds.findIndex((k) => k === "task" || k === "measure");
  if (first <= 0) return;
  for (let c = 0; c < first; c++) {
    if (kinds[c] !== "other") continue;
    let above = "";
    for (let r = headerRows; r < rows.length; r++) {
      const cell = cellAt(rows[r] as DocCell[], c);
      if (!cell) {
        above = "";
        continue;
      }
      if (cell.continued) continue;
      if (cell.text && cell.text === above) {
        cell.text = "";
        cell.continued = true;
      } else {
        above = cell.text;
      }
    }
  }
}

/** The cell that starts at grid column `column` of a row, if one does. */
function cellAt(row: DocCell[], column: number): DocCell | null {
  let at = 0;
  for (const cell of row) {
    if (at === column) return cell;
    at += cell.span ?? 1;
    if (at > column) return null;
  }
  return null;
}
