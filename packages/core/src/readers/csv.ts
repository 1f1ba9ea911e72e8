// A .csv (or .tsv) task table: what Excel writes when a ledger is saved as CSV, on a Chinese
// Windows in GB18030 (decode.ts has turned it into text before it gets here). Fields follow RFC
// 4180: a quoted field may hold the delimiter, doubled quotes and line breaks (a 具体措施 cell with
// (1)(2) on separate lines). The delimiter is told from the text. The rows then go through the same
// header detection as an .xlsx sheet (sheet.ts).

import type { ReadDocument } from "../document.js";
import { diagnostic } from "../diagnostics.js";
import { findHeaderRow, MAX_SHEET_ROWS, sheetBlocks } from "./sheet.js";

/** Name the SHEET_TOO_LONG message gives a CSV file, which has no sheets. */
const CSV_SHEET_NAME = "CSV";

const DELIMITERS = [",", "\t", ";"] as const;
type Delimiter = (typeof DELIMITERS)[number];

/** Records read to tell the delimiter and whether the text is a table at all. */
const SNIFF_RECORDS = 60;
/** Share of the sniffed records that must have the commonest field count. */
const CONSISTENT_SHARE = 0.8;
/** Fewest records (header included) for text under another name to be taken as a table. */
const MIN_TABLE_RECORDS = 3;

/**
 * The text is a comma-, tab- or semicolon-separated table: the file name ends .csv/.tsv, or the
 * text itself is one (nearly every record has the same number of fields, and a header row of task
 * table words). Chinese plans are full of commas, so a name other than .csv needs both.
 */
export function looksLikeCsv(text: string, fileName: string): boolean {
  if (/\.(?:csv|tsv)$/i.test(fileName)) return true;
  const delimiter = sniffDelimiter(text);
  if (!delimiter) return false;
  const records = parseRecords(text, delimiter, SNIFF_RECORDS).rows;
  return records.length >= MIN_TABLE_RECORDS && findHeaderRow(records) >= 0;
}

export function readCsv(text: string): ReadDocument {
  const delimiter = sniffDelimiter(text) ?? ",";
  const { rows, stopped } = parseRecords(text, delimiter, MAX_SHEET_ROWS);
  if (stopped) {
    return { format: "csv", blocks: [], meta: {}, diagnostics: [diagnostic("SHEET_TOO_LONG", { sheet: CSV_SHEET_NAME, limit: MAX_SHEET_ROWS })] };
  }
  return { format: "csv", blocks: sheetBlocks({ rows, merges: [] }), meta: {}, diagnostics: [] };
}

/**
 * The delimiter whose split gives the most records the same number of fields (more than one), or
 * null when none does: the text is not a table.
 */
function sniffDelimiter(text: string): Delimiter | null {
  let best: { delimiter: Delimiter; fields: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const rows = parseRecords(text, delimiter, SNIFF_RECORDS).rows.filter((r) => r.some((f) => f.trim()));
    if (rows.length < 2) continue;
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    const [fields, times] = [...counts].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] > a[0]) ? b : a));
    if (fields < 2 || times / rows.length < CONSISTENT_SHARE) continue;
    if (!best || fields > best.fields) best = { delimiter, fields };
  }
  return best?.delimiter ?? null;
}

interface Parsed {
  rows: string[][];
  /** More records followed the last one read. */
  stopped: boolean;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * RFC 4180 records, at most `limit` of them. Lenient where Excel and hand edits are: a quote inside
 * an unquoted field is kept as a character, text after a closing quote is kept, and a quoted field
 * left open runs to the end of the text.
 */
export function parseRecords(text: string, delimiter: string, limit: number): Parsed {
  const rows: string[][] = [];
  const sep = delimiter.charCodeAt(0);
  let row: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (rows.length >= limit) return { rows, stopped: true };
    const code = text.charCodeAt(i);
    if (code === QUOTE && field === "") {
      // A quoted field: up to the quote that is not doubled.
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          field += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      continue;
    }
    if (code === sep) {
      row.push(field);
      field = "";
      i++;
      continue;
    }
    if (code === CR || code === LF) {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += code === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      continue;
    }
    // Unquoted run: up to the next delimiter or line end.
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === sep || c === CR || c === LF) break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  if (field !== "" || row.length) {
    if (rows.length >= limit) return { rows, stopped: true };
    row.push(field);
    rows.push(row);
  }
  return { rows, stopped: false };
}
