// The intermediate every reader produces: a document as blocks (paragraphs and tables of rows and
// cells), whatever format it arrived in. `renderDocument` lays the blocks out as text, one
// paragraph a line and one cell paragraph a line, row by row: the shape a table takes when it is
// copied out of a PDF, which the outline stage already rebuilds. So a .docx, .pdf, .html or .xlsx
// plan goes through the same split → outline → extract path as a .txt plan, and every offset in
// the result points into the rendered text, which is kept as the plan's source text.

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
}

export interface RenderedDocument {
  text: string;
  cells: RenderedCell[];
}

/** Lays a document out as text (see the file comment). Blank lines separate blocks and rows. */
export function renderDocument(doc: Pick<ReadDocument, "blocks">): RenderedDocument {
  const out: string[] = [];
  const cells: RenderedCell[] = [];
  let length = 0;
  const push = (text: string) => {
    out.push(text);
    length += text.length;
  };
  let tableIndex = 0;
  for (const block of doc.blocks) {
    if (block.kind === "paragraph") {
      const text = oneLine(block.text);
      if (text) push(`${text}\n\n`);
      continue;
    }
    for (const [r, row] of block.rows.entries()) {
      let column = 0;
      for (const cell of row) {
        const text = cell.continued ? "" : oneLine(cell.text);
        if (text) {
          cells.push({ start: length, end: length + text.length, table: tableIndex, row: r, column });
          push(`${text}\n\n`);
        }
        column += cell.span ?? 1;
      }
    }
    tableIndex++;
  }
  return { text: out.join(""), cells };
}

/** A paragraph's hard line breaks stay line breaks; other whitespace runs become one space. */
function oneLine(text: string): string {
  return text
    .split("\n")
    .map((l) => l.replace(/[\t\r\f\v ]+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}
