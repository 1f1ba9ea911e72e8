// An HTML article → blocks: paragraphs in document order (block elements, <br> as a line break,
// list numbers as a browser shows them) and tables (data tables with their row and column spans;
// layout tables read as text, the 信息公开 info table left to meta).

import type { AnyNode, Element, ParentNode } from "domhandler";
import type { DocBlock, DocCell, DocTable } from "../document.js";
import {
  type Page,
  BLOCK_TAGS,
  fold,
  isChromeElement,
  isChromeText,
  isElement,
  isText,
  isTrailer,
  MAX_SMALL_SUBTREE,
  numberOf,
  spaced,
  statsOf,
  subtreeSize,
} from "./html-page.js";

// ---------------------------------------------------------------------------------------------
// Blocks: paragraphs and tables in document order

/** Lists and boxes of links (menus, 相关链接, 友情链接) are not text, whatever their markup. */
const LINK_BOXES = new Set(["ul", "ol", "dl", "div", "table", "tr", "td", "section"]);
const LINK_BOX_SHARE = 0.7;
const LINK_BOX_MIN_LINKS = 3;
/**
 * Beyond this depth a subtree is read as plain lines, without recursion: a sloppy page that never
 * closes its <font> tags nests two deeper with every paragraph.
 */
const MAX_DEPTH = 500;

interface Walk {
  page: Page;
  blocks: DocBlock[];
  pieces: string[];
  heading: number | undefined;
  /** The number an <ol> item shows on screen, not in its text. */
  listNumber: string | undefined;
  pre: boolean;
  /** A 相关链接 list began: the article is over. */
  ended: boolean;
}

export function readBlocks(root: ParentNode, page: Page): DocBlock[] {
  const w = newWalk(page);
  walkChildren(root, w, 0);
  flush(w);
  return w.blocks;
}

const newWalk = (page: Page): Walk => ({ page, blocks: [], pieces: [], heading: undefined, listNumber: undefined, pre: false, ended: false });

function walkChildren(node: ParentNode, w: Walk, depth: number): void {
  const ordered = isElement(node) && node.name === "ol";
  let item = ordered ? clampInt((node as Element).attribs["start"], 1, Number.MAX_SAFE_INTEGER) - 1 : 0;
  for (const child of node.children) {
    if (w.ended) return;
    if (ordered && isElement(child) && child.name === "li") w.listNumber = `${++item}.`;
    walk(child, w, depth + 1);
  }
}

function walk(node: AnyNode, w: Walk, depth: number): void {
  if (isText(node)) {
    w.pieces.push(rawText(node.data, w.pre));
    return;
  }
  if (!isElement(node) || !w.page.index.has(node) || isChromeElement(w.page, node)) return;
  if (isLinkBox(node, w.page)) return;
  if (node.name === "br") {
    w.pieces.push("\n");
    return;
  }
  if (depth > MAX_DEPTH) {
    flush(w);
    for (const line of plainLines(node, w.page)) emit(w, line, undefined);
    return;
  }
  if (node.name === "table") {
    flush(w);
    readTable(node, w, depth);
    return;
  }
  if (!BLOCK_TAGS.has(node.name)) {
    walkChildren(node, w, depth);
    return;
  }
  flush(w);
  const heading = /^h([1-6])$/.exec(node.name);
  if (heading) w.heading = Number(heading[1]);
  const pre = w.pre;
  w.pre = pre || node.name === "pre";
  walkChildren(node, w, depth);
  flush(w);
  w.pre = pre;
  if (node.name === "li") w.listNumber = undefined;
}

function isLinkBox(el: Element, page: Page): boolean {
  if (!LINK_BOXES.has(el.name)) return false;
  const s = statsOf(page, el);
  return s.links >= LINK_BOX_MIN_LINKS && s.linkChars >= LINK_BOX_SHARE * (s.chars + s.linkChars);
}

/** Source line breaks become a mark that cleanLine drops between Chinese characters. */
const SEGMENT_BREAK = "\r";

export function rawText(data: string, pre: boolean): string {
  const t = data.replace(/[\u0000\u200b-\u200d\u2060\ufeff]/g, "");
  return t.replace(/\r\n?|\n/g, pre ? "\n" : SEGMENT_BREAK);
}

function flush(w: Walk): void {
  const text = cleanText(w.pieces.join(""));
  w.pieces = [];
  const heading = w.heading;
  w.heading = undefined;
  if (!text) return;
  const listNumber = w.listNumber;
  w.listNumber = undefined;
  emit(w, listNumber && !LIST_NUMBER_RE.test(fold(text)) ? `${listNumber}${text}` : text, heading);
}

function emit(w: Walk, text: string, heading: number | undefined): void {
  if (w.ended) return;
  if (isTrailer(text)) {
    w.ended = true;
    return;
  }
  if (isChromeText(text)) return;
  w.blocks.push(heading ? { kind: "paragraph", text, heading } : { kind: "paragraph", text });
}
const LIST_NUMBER_RE = /^\(?[\d一二三四五六七八九十]+[、.)]/;

function cleanText(raw: string): string {
  return raw.split("\n").map(cleanLine).filter(Boolean).join("\n");
}

/**
 * Whitespace runs (&nbsp; and full-width spaces too) become one space; a source line break between
 * Chinese characters goes, as a browser renders it.
 */
export function cleanLine(line: string): string {
  return line
    .replace(/\s+/g, (run: string, at: number, s: string) =>
      SOURCE_BREAK_RE.test(run) && isWide(s[at - 1]) && isWide(s[at + run.length]) ? "" : " ",
    )
    .trim();
}
/** A run of plain whitespace holding a source line break (an &nbsp; or a full-width space is meant). */
const SOURCE_BREAK_RE = /^[ \t\f\r]*\r[ \t\f\r]*$/;
const WIDE_RE = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7]/;
const isWide = (ch: string | undefined) => ch !== undefined && WIDE_RE.test(ch);

/** Every visible text under an element, one line per block, without recursion. */
export function plainLines(root: ParentNode, page: Page): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  const breakLine = () => {
    const text = cleanText(line.join(""));
    if (text) lines.push(text);
    line = [];
  };
  const stack: Array<AnyNode | null> = [...root.children].reverse();
  while (stack.length) {
    const node = stack.pop();
    if (node === null || node === undefined) breakLine();
    else if (isText(node)) line.push(rawText(node.data, false));
    else if (isElement(node) && page.index.has(node)) {
      const block = BLOCK_TAGS.has(node.name) || node.name === "br";
      if (block) breakLine();
      if (block) stack.push(null);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
    }
  }
  breakLine();
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Tables: data tables become DocTables; layout tables and info tables do not

const INFO_LABELS = ["索引号", "发文机关", "发布机构", "发文单位", "文号", "发文字号", "成文日期", "发布日期", "生效日期", "主题分类", "主题词", "公开方式", "有效性", "体裁分类", "组配分类", "名称"];
const INFO_LABEL_RE = new RegExp(`^(?:${spaced(INFO_LABELS)})\\s*:?`);
const MAX_COLSPAN = 100;
/** An info table's label cell is short ("发文字号:"); its value may share the cell. */
const MAX_LABEL_CELL = 40;
/** An info table is a few rows; its labels are looked for there. */
const MAX_INFO_ROWS = 8;

interface TableRow {
  cells: Element[];
  head: boolean;
}

function readTable(table: Element, w: Walk, depth: number): void {
  const rows = tableRows(table, w.page);
  // The 信息公开 table (索引号 | 发文机关 | 文号 | 成文日期) is what the page says about the document.
  if (isInfoTable(rows, w.page)) return;
  if (isLayoutTable(table, rows, w.page)) {
    for (const row of rows) for (const cell of row.cells) walk(cell, w, depth + 1);
    return;
  }
  const cells = rows.flatMap((r) => r.cells);
  const cellText = new Map(cells.map((c) => [c, readCell(c, w.page, depth)] as const));
  const caption = table.children.find((c): c is Element => isElement(c) && c.name === "caption");
  if (caption) {
    walkChildren(caption, w, depth);
    flush(w);
  }
  const grid = toGrid(rows, cellText);
  if (grid.rows.length) w.blocks.push(grid);
}

/** The table's own rows (a nested table's are its own), with whether each is a header row. */
export function tableRows(table: Element, page: Page): TableRow[] {
  const rows: TableRow[] = [];
  const visit = (parent: Element, head: boolean) => {
    for (const child of parent.children) {
      if (!isElement(child) || !page.index.has(child)) continue;
      if (child.name === "tr") {
        const cells = child.children.filter((c): c is Element => isElement(c) && (c.name === "td" || c.name === "th") && page.index.has(c));
        rows.push({ cells, head: head || (cells.length > 0 && cells.every((c) => c.name === "th")) });
      } else if (child.name === "thead" || child.name === "tbody" || child.name === "tfoot") visit(child, child.name === "thead");
    }
  };
  visit(table, false);
  return rows;
}

function readCell(cell: Element, page: Page, depth: number): string {
  const w = newWalk(page);
  walkChildren(cell, w, depth);
  flush(w);
  return w.blocks
    .flatMap((b) => (b.kind === "paragraph" ? [b.text] : b.rows.flat().filter((c) => !c.continued).map((c) => c.text)))
    .filter(Boolean)
    .join("\n");
}

/**
 * The 信息公开 table: a few rows of label and value cells. A data table's header row may hold the
 * same words ("名称 | 文号"), but in one row and without the colon.
 */
export function isInfoTable(rows: readonly TableRow[], page: Page): boolean {
  if (rows.length > MAX_INFO_ROWS) return false;
  let labels = 0;
  let colon = false;
  const labelRows = new Set<number>();
  for (const [r, row] of rows.entries()) {
    for (const cell of row.cells) {
      const s = statsOf(page, cell);
      if (s.chars + s.linkChars > MAX_LABEL_CELL || subtreeSize(page, cell) > MAX_SMALL_SUBTREE) continue;
      const text = fold(plainLines(cell, page).join(""));
      if (!INFO_LABEL_RE.test(text)) continue;
      labels++;
      labelRows.add(r);
      colon ||= text.includes(":");
    }
  }
  return labels >= 2 && (colon || labelRows.size >= 2);
}

/** A table that lays out the page (or one box of it) rather than holding rows of data. */
function isLayoutTable(table: Element, rows: readonly TableRow[], page: Page): boolean {
  const role = table.attribs["role"];
  if (role === "presentation" || role === "none" || page.hasTable[numberOf(page, table)] === 1) return true;
  const filled = (cell: Element) => {
    const s = statsOf(page, cell);
    return s.chars + s.linkChars > 0;
  };
  // A data table has rows of several filled cells; a box of the page has one filled cell a row.
  const wide = rows.filter((r) => r.cells.filter(filled).length >= 2).length;
  return wide < 2;
}

function toGrid(rows: readonly TableRow[], cellText: Map<Element, string>): DocTable {
  const out: DocCell[][] = [];
  // Columns still covered by a cell above: its span and how many more rows it covers.
  const carry = new Map<number, { span: number; left: number }>();
  for (const [r, row] of rows.entries()) {
    const cells: DocCell[] = [];
    let column = 0;
    const takeCarried = () => {
      for (let c = carry.get(column); c && c.left > 0; c = carry.get(column)) {
        cells.push(c.span > 1 ? { text: "", continued: true, span: c.span } : { text: "", continued: true });
        c.left--;
        if (c.left === 0) carry.delete(column);
        column += c.span;
      }
    };
    for (const el of row.cells) {
      takeCarried();
      const span = clampInt(el.attribs["colspan"], 1, MAX_COLSPAN);
      const down = rowspan(el.attribs["rowspan"], rows.length - r);
      const text = cellText.get(el) ?? "";
      cells.push(span > 1 ? { text, span } : { text });
      if (down > 1) carry.set(column, { span, left: down - 1 });
      column += span;
    }
    // Cells carried down past the row's own end.
    for (const c of [...carry.keys()].sort((a, b) => a - b)) {
      if (c < column) continue;
      if (c > column) cells.push(c - column > 1 ? { text: "", span: c - column } : { text: "" });
      column = c;
      takeCarried();
    }
    if (cells.length) out.push(cells);
  }
  let headerRows = 0;
  while (headerRows < rows.length && rows[headerRows]?.head) headerRows++;
  return { kind: "table", rows: out, headerRows };
}

function clampInt(value: string | undefined, min: number, max: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

/** rowspan="0" runs to the end of the table; no span runs past it. */
function rowspan(value: string | undefined, remaining: number): number {
  const n = Number.parseInt(value ?? "", 10);
  if (n === 0) return remaining;
  return Number.isFinite(n) ? Math.min(remaining, Math.max(1, n)) : 1;
}
