// The intermediate every reader produces: a document as blocks (paragraphs and tables of rows and
// cells), whatever format it arrived in. `renderDocument` lays the blocks out as text, one
// paragraph a line and one cell paragraph a line, row by row: the shape a table takes when it is
// copied out of a PDF, which the outline stage already rebuilds. So a .docx, .pdf, .html or .xlsx
// plan goes through the same split → outline → extract path as a .txt plan, and every offset in
// the result points into the rendered text, which is kept as the plan's source text.

import { type ColumnKind, headerKind } from "./columns.js";
import type { Diagnostic } from "./types.js";

export type DocumentFormat = "text" | "docx" | "pdf" | "html" | "xlsx" | "csv";

export interface DocParagraph {
  kind: "paragraph";
  /** The paragraph's text, its list number included ("一、", "(1)"); "\n" only for a hard line break. */
  text: string;
  /** Heading level from the source's own markup (Word 标题 1 / <h2>), when it has one. */
  heading?: number;
}

export interface DocCell {
  /** The cell's text; its paragraphs joined by "\n". */
  text: string;
  /** The cell continues the one above it (a vertical merge): its text is that cell's, not repeated. */
  continued?: boolean;
  /** Number of grid columns the cell spans (1 when absent). */
  span?: number;
}

export interface DocTable {
  kind: "table";
  /** Rows of cells, left to right; a header row repeated on every page appears once. */
  rows: DocCell[][];
  /** How many leading rows are the header (0 when the table has none the reader could tell). */
  headerRows: number;
}

export type DocBlock = DocParagraph | DocTable;

/** What a page says about itself outside the plan's text (an HTML page's <title>, 发布时间, 文号). */
export interface DocumentMeta {
  title?: string;
  /** ISO date (YYYY-MM-DD) the page or file says it was published. */
  date?: string;
  docNumber?: string;
  issuer?: string;
}

export interface ReadDocument {
  format: DocumentFormat;
  blocks: DocBlock[];
  meta: DocumentMeta;
  diagnostics: Diagnostic[];
}

/** A table cell's place in the rendered text. */
export interface RenderedCell {
  start: number;
  end: number;
  /** Index of the table among the document's tables, of the row, of the grid column. */
  table: number;
  row: number;
  column: number;
  /**
   * Index of the cell's first line among the text's lines (blank ones counted), and how many lines
   * it has: the text path reads lines, and normalizing the text never adds or removes a line break
   * from a rendering (it has no CR), so the indexes hold for the normalized text too.
   */
  line: number;
  lines: number;
}

/** What a grid column of a table holds, as its heading says. */
export interface TableColumn {
  /** The header words over the column ("" when the table has no header, or none over this column). */
  heading: string;
  /** The heading's meaning (columns.ts); null when the words are no heading we know. */
  kind: ColumnKind | null;
  /** Grid column where the heading's cell starts: columns under one heading cell share it. */
  headingStart: number;
}

/** A cell's place on the grid, its text aside (that is in `RenderedDocument.cells`). */
export interface GridCell {
  column: number;
  span: number;
  /** The cell continues the one above it (a vertical merge). */
  continued: boolean;
}

/** A table's shape, for reading its rows and columns back from the lines of the rendering. */
export interface RenderedTable {
  headerRows: number;
  columns: TableColumn[];
  /** Every row's cells, header rows included, as they lie on the grid. */
  rows: GridCell[][];
}

export interface RenderedDocument {
  text: string;
  cells: RenderedCell[];
  tables: RenderedTable[];
}

/** What the text path needs to know of a rendering's tables besides its text. */
export type DocumentLayout = Pick<RenderedDocument, "cells" | "tables">;

/** Lays a document out as text (see the file comment). Blank lines separate blocks and rows. */
export function renderDocument(doc: Pick<ReadDocument, "blocks">): RenderedDocument {
  const out: string[] = [];
  const cells: RenderedCell[] = [];
  const tables: RenderedTable[] = [];
  let length = 0;
  let lines = 0;
  const push = (text: string, breaks: number) => {
    out.push(text);
    length += text.length;
    lines += breaks;
  };
  for (const block of doc.blocks) {
    if (block.kind === "paragraph") {
      const text = oneLine(block.text);
      if (text) push(`${text}\n\n`, lineBreaks(text) + 2);
      continue;
    }
    const rows: GridCell[][] = [];
    for (const [r, row] of block.rows.entries()) {
      const grid: GridCell[] = [];
      let column = 0;
      for (const cell of row) {
        const span = cell.span ?? 1;
        const text = cell.continued ? "" : oneLine(cell.text);
        if (text) {
          const breaks = lineBreaks(text);
          cells.push({ start: length, end: length + text.length, table: tables.length, row: r, column, line: lines, lines: breaks + 1 });
          push(`${text}\n\n`, breaks + 2);
        }
        grid.push({ column, span, continued: cell.continued === true });
        column += span;
      }
      rows.push(grid);
    }
    tables.push({ headerRows: block.headerRows, columns: tableColumns(block), rows });
  }
  return { text: out.join(""), cells, tables };
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) n++;
  return n;
}

/**
 * Each grid column's heading: the lowest header cell over it whose words we know (under a
 * 责任单位 spanning two columns, 牵头单位 and 配合单位 name them), else the lowest with any words.
 */
function tableColumns(table: DocTable): TableColumn[] {
  const width = table.rows.reduce((w, row) => Math.max(w, row.reduce((n, c) => n + (c.span ?? 1), 0)), 0);
  const columns: TableColumn[] = Array.from({ length: width }, (_, c) => ({ heading: "", kind: null, headingStart: c }));
  for (const row of table.rows.slice(0, table.headerRows)) {
    let column = 0;
    for (const cell of row) {
      const span = cell.span ?? 1;
      const heading = cell.continued ? "" : oneLine(cell.text).replace(/\s+/g, "");
      const kind = heading ? headerKind(heading) : null;
      for (let c = column; c < column + span && c < width; c++) {
        const known = columns[c] as TableColumn;
        if (heading && (kind !== null || known.kind === null)) columns[c] = { heading, kind, headingStart: column };
      }
      column += span;
    }
  }
  return columns;
}

/** A paragraph's hard line breaks stay line breaks; other whitespace runs become one space. */
function oneLine(text: string): string {
  return text
    .split("\n")
    .map((l) => l.replace(/[\t\r\f\v ]+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}
