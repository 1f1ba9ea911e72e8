// Stage 3: normalized text → blocks. A plain-text plan is a list of non-blank lines; the readers
// for other formats (docx, pdf, html, xlsx) produce the same blocks, so the later stages are one
// code path. Offsets are into the normalized text.

import type { RenderedCell } from "./document.js";
import type { Marker } from "./numbering.js";

/** Which cell of a reader's table a line was rendered from. */
export interface CellPlace {
  /** Index of the table among the document's tables, of its row, of its grid column. */
  table: number;
  row: number;
  column: number;
}

export interface Line {
  /** Offsets of the trimmed content in the normalized text. */
  start: number;
  end: number;
  /** The trimmed content. */
  text: string;
  /** 0-based index among all lines of the document (blank ones included), for diagnostics. */
  index: number;
  /** The line's heading number, once numbering.ts has read it (undefined: not read yet). */
  marker?: Marker | null;
  /** The table cell the line was rendered from; absent for a paragraph and for any plain-text line. */
  cell?: CellPlace;
}

export function readLines(text: string): Line[] {
  const lines: Line[] = [];
  let index = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf("\n", from);
    if (to < 0) to = text.length;
    let s = from;
    let e = to;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) lines.push({ start: s, end: e, text: text.slice(s, e), index });
    index++;
    from = to + 1;
  }
  return lines;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c;
}

/**
 * Tags the lines rendered from table cells with their cell. `cells` are in text order, as
 * renderDocument lists them, and `lines` in line order; a cell line normalizing left blank has no
 * Line, and is skipped.
 */
export function placeCells(lines: readonly Line[], cells: readonly RenderedCell[]): void {
  let k = 0;
  for (const cell of cells) {
    const place: CellPlace = { table: cell.table, row: cell.row, column: cell.column };
    for (let index = cell.line; index < cell.line + cell.lines; index++) {
      while (k < lines.length && (lines[k] as Line).index < index) k++;
      const line = lines[k];
      if (line && line.index === index) line.cell = place;
    }
  }
}
