// The PDF reader's geometry, apart from pdfjs so that it can be tested on made-up pages: text runs
// placed on a page (and the ruling lines drawn on it) → the document's paragraphs and tables.
//
//   page runs ─┬─ ruling lines → bordered tables (cells from the grid, merges where a rule is missing)
//              ├─ runs in a cell → that cell's lines
//              └─ the rest → lines → page headers/footers dropped → tables told by column alignment
//   pages → tables continued on the next page merged (repeated header dropped, split row rejoined)
//         → lines rejoined into paragraphs (page text and each cell alike)
//
// Coordinates are page units with y growing downwards; a run's y is its baseline.

import type { DocBlock } from "../document.js";
import {
  type Frame,
  INDENT,
  type Line,
  type PageContent,
  groupLines,
  mode,
  pageChrome,
  paragraphs,
} from "./pdf-lines.js";
import {
  type LTable,
  MIN_TABLE_LINES,
  alignedTables,
  borderedTables,
  continues,
  joinPages,
  toDocTable,
} from "./pdf-tables.js";

export { cleanRunText, groupLines, type PageContent, type Rule, type TextRun } from "./pdf-lines.js";
export { hasColumns } from "./pdf-tables.js";

// ---------------------------------------------------------------------------------------------
// Pages → blocks

type Item = { y: number; line: Line; table?: undefined } | { y: number; table: LTable; line?: undefined };

interface PageFlow {
  items: Item[];
  width: number;
}

/** Where the body text of pages of one width runs: the commonest left and right edges of its lines. */
function bodyFrame(lines: readonly Line[]): Frame {
  if (!lines.length) return { left: 0, right: 0, indented: false };
  const left = mode(lines.map((l) => l.x));
  const widest = Math.max(...lines.map((l) => l.right));
  const long = lines.filter((l) => l.right > left + (widest - left) / 2).map((l) => l.right);
  const right = long.length >= MIN_TABLE_LINES ? mode(long) : widest;
  const indents = lines.filter((l) => l.x - left >= INDENT * l.size && l.x - left <= 3 * l.size).length;
  return { left, right, indented: indents >= 2 };
}


/** Pages of runs and rules → the document's paragraphs and tables, in reading order. */
export function layoutPages(pages: readonly PageContent[]): DocBlock[] {
  const read = pages.map((page) => {
    const { tables, rest } = borderedTables(page);
    return { page, tables, lines: groupLines(rest) };
  });
  const chrome = pageChrome(read.map((r) => ({ lines: r.lines, height: r.page.height })));
  const flows: PageFlow[] = read.map(({ page, tables, lines }) => {
    const body = lines.filter((l) => !chrome.has(l));
    const aligned = alignedTables(body, page.width);
    const items: Item[] = [...tables.map((table) => ({ y: table.top, table })), ...aligned.tables.map(({ table, y }) => ({ y, table })), ...aligned.rest.map((line) => ({ y: line.y, line }))];
    return { items: items.sort((a, b) => a.y - b.y), width: page.width };
  });
  const frames = new Map<number, Frame>();
  for (const width of new Set(flows.map((f) => Math.round(f.width)))) {
    const lines = flows.filter((f) => Math.round(f.width) === width).flatMap((f) => f.items.flatMap((i) => (i.line ? [i.line] : [])));
    frames.set(width, bodyFrame(lines));
  }
  return assemble(flows, frames);
}

function assemble(flows: readonly PageFlow[], frames: ReadonlyMap<number, Frame>): DocBlock[] {
  const blocks: DocBlock[] = [];
  let lines: Line[] = [];
  let frame: Frame | null = null;
  const pageBreaks = new Set<Line>();
  /** The open table: its part on each page so far. */
  let table: LTable[] = [];
  const flushLines = () => {
    if (lines.length && frame) for (const text of paragraphs(lines, frame, pageBreaks)) blocks.push({ kind: "paragraph", text });
    lines = [];
  };
  const flushTable = () => {
    if (table.length) blocks.push(toDocTable(joinPages(table)));
    table = [];
  };
  for (const flow of flows) {
    const pageFrame = frames.get(Math.round(flow.width)) as Frame;
    if (frame && frame !== pageFrame) flushLines();
    frame = pageFrame;
    for (const [i, item] of flow.items.entries()) {
      if (item.table) {
        flushLines();
        const open = table.at(-1);
        if (!(open && i === 0 && continues(open, item.table))) flushTable();
        table.push(item.table);
        continue;
      }
      flushTable();
      if (i === 0) pageBreaks.add(item.line);
      lines.push(item.line);
    }
    // A table still open goes on only if the page ended with it.
    if (flow.items.at(-1)?.line) flushTable();
  }
  flushLines();
  flushTable();
  return blocks;
}
