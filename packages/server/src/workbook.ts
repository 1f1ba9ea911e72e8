// Tables as bureaus print them, in .xlsx: a merged title row, a grey header row repeated on every
// printed page, bands for sections, thin borders, 宋体, A4 landscape fitted to the width. The
// extraction's 任务分解表, the ledger export, the bulletin and the assessment all use this one
// layout, so every sheet taizhang hands out looks alike.
import ExcelJS from "exceljs";

export interface SheetColumn {
  header: string;
  /** Excel character units; a Chinese character takes about two. */
  width: number;
  align: "left" | "center" | "right";
  /** An Excel number format for the column's cells ('0"项"', "0.0%"). */
  numFmt?: string;
}

export interface TableSheet {
  sheet: ExcelJS.Worksheet;
  /** One bordered row; `fill` paints the whole row (ARGB). */
  row(values: readonly (string | number | null)[], style?: { fill?: string; bold?: boolean }): ExcelJS.Row;
  /** A full-width merged row: a section heading or a notice. */
  band(text: string, style?: { bold?: boolean; fill?: string; indent?: number }): void;
}

export const FONT_NAME = "宋体";
export const SECTION_FILL = "FFDDEBF7";
const TITLE_ROW = 1;
const HEADER_ROW = 2;
const TITLE_FONT_SIZE = 16;
const TITLE_ROW_HEIGHT = 32;
const HEADER_FILL = "FFD9D9D9";
const A4_PAPER = 9;
const THIN = { style: "thin" } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Excel's limits on a sheet name; "History" is reserved by Excel itself. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/g;
export const RESERVED_SHEET_NAMES: readonly string[] = ["history"];

export function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "taizhang";
  return workbook;
}

export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A legal sheet name: forbidden characters dropped, at most 31 units, unique ignoring case. */
export function sheetName(title: string, used: Set<string>, fallback: string): string {
  const base = title.replace(SHEET_NAME_FORBIDDEN, "").replace(/^'+|'+$/g, "").trim() || fallback;
  let name = truncate(base, SHEET_NAME_MAX);
  for (let n = 2; used.has(name.toLowerCase()); n++) {
    const suffix = `(${n})`;
    name = truncate(base, SHEET_NAME_MAX - suffix.length) + suffix;
  }
  used.add(name.toLowerCase());
  return name;
}

/** A sheet with the title and header rows in place, frozen below the header. */
export function addTableSheet(workbook: ExcelJS.Workbook, name: string, title: string, columns: readonly SheetColumn[]): TableSheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: "frozen", ySplit: HEADER_ROW }],
    pageSetup: {
      paperSize: A4_PAPER,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${TITLE_ROW}:${HEADER_ROW}`,
    },
  });
  sheet.columns = columns.map((column) => ({ width: column.width }));

  const titleRow = sheet.getRow(TITLE_ROW);
  titleRow.height = TITLE_ROW_HEIGHT;
  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, columns.length);
  const titleCell = titleRow.getCell(1);
  titleCell.value = title;
  titleCell.font = { name: FONT_NAME, bold: true, size: TITLE_FONT_SIZE };
  titleCell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };

  const headerRow = sheet.getRow(HEADER_ROW);
  columns.forEach((column, i) => {
    const cell = headerRow.getCell(i + 1);
    cell.value = column.header;
    cell.font = { name: FONT_NAME, bold: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: HEADER_FILL } };
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    cell.border = BORDER;
  });

  return {
    sheet,
    row(values, style = {}) {
      const row = sheet.addRow([...values]);
      columns.forEach((column, i) => {
        const cell = row.getCell(i + 1);
        cell.font = { name: FONT_NAME, ...(style.bold && { bold: true }) };
        cell.alignment = { horizontal: column.align, vertical: "middle", wrapText: true };
        cell.border = BORDER;
        if (column.numFmt) cell.numFmt = column.numFmt;
        if (style.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: style.fill } };
      });
      return row;
    },
    band(text, style = {}) {
      const row = sheet.addRow([text]);
      sheet.mergeCells(row.number, 1, row.number, columns.length);
      const cell = row.getCell(1);
      cell.font = { name: FONT_NAME, bold: style.bold ?? false };
      cell.alignment = { horizontal: "left", vertical: "middle", wrapText: true, indent: style.indent ?? 0 };
      cell.border = BORDER;
      if (style.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: style.fill } };
    },
  };
}

/** Cut to `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}
