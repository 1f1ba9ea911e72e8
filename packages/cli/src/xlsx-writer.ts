// The 任务分解表 of `taizhang extract --format xlsx`: one worksheet per plan, laid out the way
// bureaus print them (title, header, section bands, one row per task), ready for A4 landscape.
import ExcelJS from "exceljs";
import type { Plan, Task } from "@taizhang/core";
import {
  ENTRY_JOIN,
  LIST_JOIN,
  NO_PLANS,
  NO_TASKS,
  UNTITLED,
  formatChineseDate,
  inline,
  planOutline,
  sectionLabel,
} from "./markdown-writer.js";

/** Widths in Excel character units; a Chinese character takes about two. */
const COLUMNS = [
  { header: "序号", width: 10, align: "center" },
  { header: "工作任务", width: 36, align: "left" },
  { header: "具体措施", width: 10, align: "center" },
  { header: "责任单位", width: 30, align: "left" },
  { header: "牵头单位", width: 20, align: "left" },
  { header: "完成时限", width: 18, align: "center" },
  { header: "量化目标", width: 40, align: "left" },
] as const;
const MEASURES_COLUMN = 3;
/** Only the count of sub-items is known, so the cell stays a number and the format says "项". */
const MEASURES_FORMAT = '0"项"';

const TITLE_ROW = 1;
const HEADER_ROW = 2;
const FONT_NAME = "宋体";
const TITLE_FONT_SIZE = 16;
const TITLE_ROW_HEIGHT = 32;
const HEADER_FILL = "FFD9D9D9";
const SECTION_FILL = "FFDDEBF7";
const A4_PAPER = 9;

/** Excel's limits on a sheet name; "History" is reserved by Excel itself. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/g;
const RESERVED_SHEET_NAMES = ["history"];
const NO_PLANS_SHEET = "无计划";

const THIN = { style: "thin" } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** The workbook as .xlsx bytes. */
export async function planToXlsx(plans: Plan[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "taizhang";
  const used = new Set(RESERVED_SHEET_NAMES);
  for (const plan of plans) {
    const title = inline(plan.title) || UNTITLED;
    fillSheet(addSheet(workbook, sheetName(title, used), title), plan);
  }
  // A workbook without sheets does not open in Excel.
  if (plans.length === 0) noteRow(addSheet(workbook, NO_PLANS_SHEET, NO_PLANS_SHEET), NO_PLANS);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A legal sheet name: forbidden characters dropped, at most 31 units, unique ignoring case. */
export function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(SHEET_NAME_FORBIDDEN, "").replace(/^'+|'+$/g, "").trim() || UNTITLED;
  let name = truncate(base, SHEET_NAME_MAX);
  for (let n = 2; used.has(name.toLowerCase()); n++) {
    const suffix = `(${n})`;
    name = truncate(base, SHEET_NAME_MAX - suffix.length) + suffix;
  }
  used.add(name.toLowerCase());
  return name;
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

function addSheet(workbook: ExcelJS.Workbook, name: string, title: string): ExcelJS.Worksheet {
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
  sheet.columns = COLUMNS.map((c) => ({ width: c.width }));
  titleRow(sheet, title);
  headerRow(sheet);
  return sheet;
}

function fillSheet(sheet: ExcelJS.Worksheet, plan: Plan): void {
  for (const row of planOutline(plan)) {
    if (row.kind === "task") taskRow(sheet, row.task);
    else bandRow(sheet, sectionLabel(row.section), { bold: true, fill: SECTION_FILL, indent: row.depth - 1 });
  }
  if (plan.tasks.length === 0) noteRow(sheet, NO_TASKS);
}

function titleRow(sheet: ExcelJS.Worksheet, title: string): void {
  const row = sheet.getRow(TITLE_ROW);
  row.height = TITLE_ROW_HEIGHT;
  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, COLUMNS.length);
  const cell = row.getCell(1);
  cell.value = title;
  cell.font = { name: FONT_NAME, bold: true, size: TITLE_FONT_SIZE };
  cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
}

function headerRow(sheet: ExcelJS.Worksheet): void {
  const row = sheet.getRow(HEADER_ROW);
  COLUMNS.forEach((column, i) => {
    const cell = row.getCell(i + 1);
    cell.value = column.header;
    cell.font = { name: FONT_NAME, bold: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: HEADER_FILL } };
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    cell.border = BORDER;
  });
}

function taskRow(sheet: ExcelJS.Worksheet, task: Task): void {
  const row = sheet.addRow([
    task.path,
    inline(task.title),
    task.measures > 0 ? task.measures : null,
    task.units.map(inline).join(LIST_JOIN),
    task.lead_units.map(inline).join(LIST_JOIN),
    // The same due date stated under several measures is one date to a reader.
    [...new Set(task.deadlines.map((d) => formatChineseDate(d.date)))].join(LIST_JOIN),
    task.targets.map((t) => inline(t.quote)).join(ENTRY_JOIN),
  ]);
  COLUMNS.forEach((column, i) => {
    const cell = row.getCell(i + 1);
    cell.font = { name: FONT_NAME };
    cell.alignment = { horizontal: column.align, vertical: "middle", wrapText: true };
    cell.border = BORDER;
  });
  row.getCell(MEASURES_COLUMN).numFmt = MEASURES_FORMAT;
}

interface BandStyle {
  bold: boolean;
  fill?: string;
  indent: number;
}

/** A full-width merged row: a section heading or a notice. */
function bandRow(sheet: ExcelJS.Worksheet, text: string, style: BandStyle): void {
  const row = sheet.addRow([text]);
  sheet.mergeCells(row.number, 1, row.number, COLUMNS.length);
  const cell = row.getCell(1);
  cell.font = { name: FONT_NAME, bold: style.bold };
  cell.alignment = { horizontal: "left", vertical: "middle", wrapText: true, indent: style.indent };
  cell.border = BORDER;
  if (style.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: style.fill } };
}

function noteRow(sheet: ExcelJS.Worksheet, text: string): void {
  bandRow(sheet, text, { bold: false, indent: 0 });
}
