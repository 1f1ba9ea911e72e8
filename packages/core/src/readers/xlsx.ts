// An .xlsx workbook: a task table someone already keeps. Visible sheets in workbook order, each
// read into a grid of the texts Excel would show (shared and inline strings, numbers, booleans,
// formulas' cached values, dates written out in Chinese so the deadline extractor reads them),
// with its merged cells; sheet.ts then finds the header and makes the blocks.
//
// A sheet is hostile input too: its rows are counted before any is read, so a sheet of a million
// rows is refused (SHEET_TOO_LONG) without building them, and a cell address far out to the right
// or bottom does not make the grid that large.

import type { DocBlock, ReadDocument } from "../document.js";
import { diagnostic } from "../diagnostics.js";
import type { Diagnostic } from "../types.js";
import { MAX_COLUMNS, MAX_SHEET_ROWS, type Merge, sheetBlocks } from "./sheet.js";
import { childElements, decodeXml, localName, parseXml, SKIP, walkXml, type XmlElement } from "./xml.js";
import { readZip } from "./zip.js";

/** Most bytes one part (a sheet, the shared strings) may inflate to, and all parts together. */
const MAX_PART_BYTES = 32 * 1024 * 1024;
const MAX_TOTAL_BYTES = 128 * 1024 * 1024;
/** FILE_CORRUPT's name for the file. */
const KIND = "Excel 表格";

const WORKBOOK = "xl/workbook.xml";
const WORKBOOK_RELS = "xl/_rels/workbook.xml.rels";
const SHARED_STRINGS = "xl/sharedStrings.xml";
const STYLES = "xl/styles.xml";

export function readXlsx(bytes: Uint8Array): ReadDocument {
  const fail = (d: Diagnostic): ReadDocument => ({ format: "xlsx", blocks: [], meta: {}, diagnostics: [d] });
  const corrupt = () => fail(diagnostic("FILE_CORRUPT", { kind: KIND }));
  const parts = new Set([WORKBOOK, WORKBOOK_RELS, SHARED_STRINGS, STYLES]);
  const zip = readZip(bytes, { want: (n) => parts.has(n), maxEntry: MAX_PART_BYTES, maxTotal: MAX_TOTAL_BYTES, kind: KIND });
  if (!zip.ok) return fail(zip.diagnostic);
  const workbookXml = zip.entries.get(WORKBOOK);
  const workbook = workbookXml ? readWorkbook(decodeXml(workbookXml), zip.entries.get(WORKBOOK_RELS)) : null;
  if (!workbook) return corrupt();
  const sharedXml = zip.entries.get(SHARED_STRINGS);
  const strings = sharedXml ? readSharedStrings(decodeXml(sharedXml)) : [];
  if (!strings) return corrupt();
  const stylesXml = zip.entries.get(STYLES);
  const styles = stylesXml ? readStyles(decodeXml(stylesXml)) : [];
  if (!styles) return corrupt();

  let budget = MAX_TOTAL_BYTES - [...zip.entries.values()].reduce((s, e) => s + e.length, 0);
  const blocks: DocBlock[] = [];
  for (const sheet of workbook.sheets) {
    if (!zip.names.includes(sheet.path)) return corrupt();
    const part = readZip(bytes, { want: (n) => n === sheet.path, maxEntry: Math.min(MAX_PART_BYTES, budget), maxTotal: budget, kind: KIND });
    if (!part.ok) return fail(part.diagnostic);
    const data = part.entries.get(sheet.path) as Uint8Array;
    budget -= data.length;
    const tooLong = () => fail(diagnostic("SHEET_TOO_LONG", { sheet: sheet.name, limit: MAX_SHEET_ROWS }));
    if (countRows(data, MAX_SHEET_ROWS + 1) > MAX_SHEET_ROWS) return tooLong();
    const grid = readSheet(decodeXml(data), { strings, styles, date1904: workbook.date1904 });
    if (grid === TOO_LONG) return tooLong();
    if (!grid) return corrupt();
    blocks.push(...sheetBlocks(grid));
  }
  return { format: "xlsx", blocks, meta: {}, diagnostics: [] };
}

// ---------------------------------------------------------------------------------------------
// The workbook: which sheets, in which order, in which part

interface Workbook {
  sheets: { name: string; path: string }[];
  /** Dates count from 1904-01-01 (old Mac workbooks) rather than 1899-12-30. */
  date1904: boolean;
}

function readWorkbook(xml: string, relsBytes: Uint8Array | undefined): Workbook | null {
  const root = parseXml(xml);
  const rels = relsBytes ? parseXml(decodeXml(relsBytes)) : null;
  if (!root || !rels) return null;
  const targets = new Map<string, string>();
  for (const rel of childElements(rels)) {
    if (localName(rel.name) !== "Relationship" || !rel.attrs.Id || !rel.attrs.Target) continue;
    if (!/\/worksheet$/.test(rel.attrs.Type ?? "")) continue; // chart and dialog sheets hold no cells
    targets.set(rel.attrs.Id, partPath(rel.attrs.Target));
  }
  const sheetsElement = childNamed(root, "sheets");
  const properties = childNamed(root, "workbookPr");
  const date1904 = /^(?:1|true)$/.test(properties?.attrs.date1904 ?? "");
  const sheets: Workbook["sheets"] = [];
  for (const sheet of sheetsElement ? childElements(sheetsElement) : []) {
    if (localName(sheet.name) !== "sheet") continue;
    if (sheet.attrs.state === "hidden" || sheet.attrs.state === "veryHidden") continue;
    const id = Object.entries(sheet.attrs).find(([k]) => localName(k) === "id")?.[1];
    const path = id ? targets.get(id) : undefined;
    if (path) sheets.push({ name: sheet.attrs.name ?? "", path });
  }
  return { sheets, date1904 };
}

/** The first child element with this local name, whatever its prefix ("x:sheets" or "sheets"). */
function childNamed(element: XmlElement, local: string): XmlElement | undefined {
  return childElements(element).find((c) => localName(c.name) === local);
}

/** A relationship target as a part name: "worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml". */
function partPath(target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : `xl/${target}`).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p && p !== ".") out.push(p);
  }
  return out.join("/");
}

// ---------------------------------------------------------------------------------------------
// Shared strings and styles

/** The shared strings, rich-text runs joined and phonetic guides (<rPh>) left out; null when unreadable. */
function readSharedStrings(xml: string): string[] | null {
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  const ok = walkXml(xml, {
    open(name) {
      const local = localName(name);
      if (local === "si") current = [];
      else if (local === "rPh" || local === "phoneticPr") return SKIP;
      else if (local === "t") inText = true;
      return undefined;
    },
    close(name) {
      const local = localName(name);
      if (local === "t") inText = false;
      else if (local === "si" && current) {
        strings.push(unescapeOoxml(current.join("")));
        current = null;
      }
    },
    text(text) {
      if (inText && current) current.push(text);
    },
  });
  return ok ? strings : null;
}

interface DateDisplay {
  kind: "date";
  year: boolean;
  month: boolean;
  day: boolean;
}
/** How a cell's number is shown, by its style index. */
type Display = DateDisplay | { kind: "time" } | { kind: "percent"; decimals: number } | { kind: "number" };

const NUMBER: Display = { kind: "number" };
const FULL_DATE: DateDisplay = { kind: "date", year: true, month: true, day: true };
const YEAR_MONTH: Display = { kind: "date", year: true, month: true, day: false };
const MONTH_DAY: Display = { kind: "date", year: false, month: true, day: true };
const TIME: Display = { kind: "time" };

/**
 * Built-in number formats that show a date or a time (ECMA-376 18.8.30, and the ids 27–58 that
 * Chinese Excel uses for "yyyy年m月d日" and the like).
 */
const BUILT_IN: ReadonlyMap<number, Display> = new Map<number, Display>([
  [9, { kind: "percent", decimals: 0 }],
  [10, { kind: "percent", decimals: 2 }],
  [14, FULL_DATE], [15, FULL_DATE], [16, MONTH_DAY], [17, YEAR_MONTH], [22, FULL_DATE],
  [18, TIME], [19, TIME], [20, TIME], [21, TIME], [45, TIME], [46, TIME], [47, TIME],
  [27, YEAR_MONTH], [28, MONTH_DAY], [29, MONTH_DAY], [30, FULL_DATE], [31, FULL_DATE], [36, YEAR_MONTH],
  [32, TIME], [33, TIME], [34, TIME], [35, TIME],
  [50, YEAR_MONTH], [51, MONTH_DAY], [52, YEAR_MONTH], [53, MONTH_DAY], [54, MONTH_DAY], [57, YEAR_MONTH], [58, MONTH_DAY],
  [55, TIME], [56, TIME],
]);

/** The display of each cell style (cellXfs, by index); null when the part is not well-formed. */
function readStyles(xml: string): Display[] | null {
  const root = parseXml(xml);
  if (!root) return null;
  const custom = new Map<number, Display>();
  const numFmts = childNamed(root, "numFmts");
  for (const fmt of numFmts ? childElements(numFmts) : []) {
    const id = Number(fmt.attrs.numFmtId);
    if (Number.isInteger(id)) custom.set(id, displayOf(fmt.attrs.formatCode ?? ""));
  }
  const xfs = childNamed(root, "cellXfs");
  return (xfs ? childElements(xfs) : []).map((xf) => {
    const id = Number(xf.attrs.numFmtId ?? 0);
    return custom.get(id) ?? BUILT_IN.get(id) ?? NUMBER;
  });
}


/**
 * What a custom format code shows: a date when it has y or d (or m that is not minutes), a time
 * when it has only h/m/s, a percentage when it has %. Quoted literals ("年"), escapes (\年) and
 * bracketed parts ([$-804], [Red]) say nothing.
 */
export function displayOf(formatCode: string): Display {
  const first = formatCode.split(";")[0] ?? "";
  const code = first
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[([hms])+\]/gi, "$1") // elapsed time: [h]:mm
    .replace(/\[[^\]]*\]/g, "")
    .replace(/[_*]./g, "")
    .toLowerCase()
    .replace(/general|am\/pm|a\/p/g, "");
  // "m" next to h or s is minutes, not the month.
  const month = /m/.test(code.replace(/h+[^a-z]*m+|m+[^a-z]*s/g, ""));
  const year = /[ye]/.test(code);
  const day = /d/.test(code);
  if (year || day || (month && !/[hs]/.test(code))) return { kind: "date", year, month: month || (year && day), day };
  if (/[hs]/.test(code)) return TIME;
  if (code.includes("%")) return { kind: "percent", decimals: (/\.(0+)/.exec(code)?.[1] ?? "").length };
  return NUMBER;
}

// ---------------------------------------------------------------------------------------------
// A sheet

const TOO_LONG = Symbol("too long");

interface CellContext {
  strings: readonly string[];
  styles: readonly Display[];
  date1904: boolean;
}

/**
 * Row elements in a sheet part, counted up to `stop` on the bytes themselves, so that a sheet too
 * long to read is refused before it is decoded. A prefixed <x:row> counts too. UTF-16 parts (rare)
 * are counted on their text.
 */
function countRows(bytes: Uint8Array, stop: number): number {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) {
    const re = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g;
    const xml = decodeXml(bytes);
    let count = 0;
    while (count < stop && re.exec(xml)) count++;
    return count;
  }
  let count = 0;
  for (let lt = bytes.indexOf(LT); lt >= 0 && count < stop; lt = bytes.indexOf(LT, lt + 1)) {
    let at = lt + 1;
    // Skip a namespace prefix ("x:").
    let colon = at;
    while (colon < bytes.length && colon - at < MAX_PREFIX && isNameByte(bytes[colon] as number)) colon++;
    if (bytes[colon] === COLON) at = colon + 1;
    if (bytes[at] === R && bytes[at + 1] === O && bytes[at + 2] === W && isRowEnd(bytes[at + 3])) count++;
  }
  return count;
}

const LT = 0x3c;
const COLON = 0x3a;
const R = 0x72;
const O = 0x6f;
const W = 0x77;
/** Longest namespace prefix looked at ("x", "ss", "main"). */
const MAX_PREFIX = 16;
const isNameByte = (b: number) => (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x5f || b === 0x2d || b === 0x2e;
/** What may follow "<row": a space, ">" or "/". */
const isRowEnd = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x3e || b === 0x2f;

interface SheetGridBuild {
  rows: string[][];
  merges: Merge[];
}

/** The sheet's cells as the texts Excel shows, with its merges; null when the part is not well-formed XML. */
function readSheet(xml: string, ctx: CellContext): SheetGridBuild | null | typeof TOO_LONG {
  const rows: string[][] = [];
  const merges: Merge[] = [];
  let rowIndex = -1;
  let column = -1;
  let cell: { type: string; style: number; value: string[]; inline: string[] } | null = null;
  let inValue = false;
  let inInlineText = false;
  let tooLong = false;
  const ok = walkXml(xml, {
    open(name, attrs) {
      switch (localName(name)) {
        case "row": {
          const r = Number(attrs.r);
          rowIndex = Number.isInteger(r) && r > rowIndex ? r - 1 : rowIndex + 1;
          column = -1;
          if (rowIndex >= MAX_SHEET_ROWS) tooLong = true;
          return tooLong ? SKIP : undefined;
        }
        case "c": {
          const at = attrs.r ? cellAddress(attrs.r) : null;
          column = at && at.column > column ? at.column : column + 1;
          cell = { type: attrs.t ?? "n", style: Number(attrs.s ?? 0), value: [], inline: [] };
          return undefined;
        }
        case "v":
          inValue = true;
          return undefined;
        case "rPh":
          return SKIP;
        case "t":
          inInlineText = cell !== null;
          return undefined;
        case "mergeCell": {
          const merge = attrs.ref ? mergeRange(attrs.ref) : null;
          if (merge) merges.push(merge);
          return undefined;
        }
        default:
          return undefined;
      }
    },
    close(name) {
      switch (localName(name)) {
        case "v":
          inValue = false;
          break;
        case "t":
          inInlineText = false;
          break;
        case "c":
          if (cell && rowIndex >= 0 && column < MAX_COLUMNS) {
            const text = cellText(cell.type, cell.value.join(""), cell.inline.join(""), ctx.styles[cell.style] ?? NUMBER, ctx);
            if (text) setCell(rows, rowIndex, column, text);
          }
          cell = null;
          break;
        default:
          break;
      }
    },
    text(text) {
      if (!cell) return;
      if (inValue) cell.value.push(text);
      else if (inInlineText) cell.inline.push(text);
    },
  });
  if (tooLong) return TOO_LONG;
  // A sheet cut short would lose tasks without a word: the clerk is told the file is damaged.
  if (!ok) return null;
  return { rows: rows.map((r) => r ?? []), merges };
}

function setCell(rows: string[][], r: number, c: number, text: string): void {
  while (rows.length <= r) rows.push([]);
  const row = rows[r] as string[];
  while (row.length < c) row.push("");
  row[c] = text;
}

/** "AB12" → row 11, column 27 (0-based); null when it is no address. */
export function cellAddress(ref: string): { row: number; column: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) return null;
  let column = 0;
  for (const ch of (m[1] as string).toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, column: column - 1 };
}

/** "A1:H1" → the merge; cut to the rows and columns read. */
function mergeRange(ref: string): Merge | null {
  const [a, b] = ref.split(":");
  const from = a ? cellAddress(a) : null;
  const to = b ? cellAddress(b) : null;
  if (!from || !to) return null;
  const top = Math.min(from.row, to.row);
  const left = Math.min(from.column, to.column);
  if (top >= MAX_SHEET_ROWS || left >= MAX_COLUMNS) return null;
  return {
    top,
    left,
    bottom: Math.min(Math.max(from.row, to.row), MAX_SHEET_ROWS - 1),
    right: Math.min(Math.max(from.column, to.column), MAX_COLUMNS - 1),
  };
}

// ---------------------------------------------------------------------------------------------
// A cell's text

function cellText(type: string, value: string, inline: string, display: Display, ctx: CellContext): string {
  switch (type) {
    case "s": {
      const index = Number(value);
      return Number.isInteger(index) ? (ctx.strings[index] ?? "") : "";
    }
    case "inlineStr":
      return unescapeOoxml(inline);
    case "str":
      return unescapeOoxml(value);
    case "b":
      return value.trim() === "1" ? "TRUE" : value.trim() === "0" ? "FALSE" : "";
    case "e":
      return ""; // #N/A, #REF!: nothing a clerk wrote
    case "d":
      return isoDateText(value.trim(), display);
    default:
      return numberText(value.trim(), display, ctx.date1904);
  }
}

function numberText(value: string, display: Display, date1904: boolean): string {
  if (!value) return "";
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  if (display.kind === "date") {
    const day = serialToDate(n, date1904);
    return day ? chineseDate(day, display) : plainNumber(n);
  }
  if (display.kind === "time") return timeText(n);
  if (display.kind === "percent") return `${plainNumber(Number((n * 100).toFixed(display.decimals)))}%`;
  return plainNumber(n);
}

/** A number as Excel's General format shows it: at most 11 significant digits, no float noise. */
function plainNumber(n: number): string {
  return String(Number(n.toPrecision(GENERAL_DIGITS)));
}
const GENERAL_DIGITS = 11;

const MS_PER_DAY = 86_400_000;
/** Serial 0 of the 1900 system is 1899-12-31, but Excel counts a 1900-02-29 that never was. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
const FAKE_LEAP_DAY = 60;
/** Serials outside these years are no dates a plan means. */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

interface Day {
  year: number;
  month: number;
  day: number;
}

function serialToDate(serial: number, date1904: boolean): Day | null {
  if (serial < 0) return null;
  const whole = Math.floor(serial);
  const ms = date1904 ? EPOCH_1904 + whole * MS_PER_DAY : whole < FAKE_LEAP_DAY ? EPOCH_1900 + (whole + 1) * MS_PER_DAY : EPOCH_1900 + whole * MS_PER_DAY;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  return { year, month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "2025年8月31日" (or the parts the format shows): the way the plan text writes a deadline. */
function chineseDate(d: Day, display: DateDisplay): string {
  return `${display.year ? `${d.year}年` : ""}${display.month ? `${d.month}月` : ""}${display.day ? `${d.day}日` : ""}`;
}

/** A t="d" cell holds an ISO 8601 date. */
function isoDateText(value: string, display: Display): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return chineseDate(day, display.kind === "date" ? display : FULL_DATE);
}

function timeText(serial: number): string {
  const minutes = Math.round((serial - Math.floor(serial)) * 24 * 60);
  const h = Math.floor(minutes / 60) % 24;
  return `${h}:${String(minutes % 60).padStart(2, "0")}`;
}

/** OOXML writes control characters as _xHHHH_ ("_x000D_" for a carriage return). */
function unescapeOoxml(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
