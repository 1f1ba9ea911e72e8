// The 任务分解表 of `taizhang extract --format xlsx`: one worksheet per plan, laid out the way
// bureaus print them (title, header, section bands, one row per task), ready for A4 landscape.
import type { Plan, Task } from "@taizhang/core";
import { RESERVED_SHEET_NAMES, SECTION_FILL, addTableSheet, newWorkbook, sheetName as legalSheetName, workbookBytes, type SheetColumn, type TableSheet } from "@taizhang/server";
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

const COLUMNS: readonly SheetColumn[] = [
  { header: "序号", width: 10, align: "center" },
  { header: "工作任务", width: 36, align: "left" },
  // Only the count of sub-items is known, so the cell stays a number and the format says "项".
  { header: "具体措施", width: 10, align: "center", numFmt: '0"项"' },
  { header: "责任单位", width: 30, align: "left" },
  { header: "牵头单位", width: 20, align: "left" },
  { header: "完成时限", width: 18, align: "center" },
  { header: "量化目标", width: 40, align: "left" },
];
const NO_PLANS_SHEET = "无计划";

/** The workbook as .xlsx bytes. */
export async function planToXlsx(plans: Plan[]): Promise<Buffer> {
  const workbook = newWorkbook();
  const used = new Set(RESERVED_SHEET_NAMES);
  for (const plan of plans) {
    const title = inline(plan.title) || UNTITLED;
    fillSheet(addTableSheet(workbook, sheetName(title, used), title, COLUMNS), plan);
  }
  // A workbook without sheets does not open in Excel.
  if (plans.length === 0) addTableSheet(workbook, NO_PLANS_SHEET, NO_PLANS_SHEET, COLUMNS).band(NO_PLANS);
  return workbookBytes(workbook);
}

/** A legal sheet name: forbidden characters dropped, at most 31 units, unique ignoring case. */
export function sheetName(title: string, used: Set<string>): string {
  return legalSheetName(title, used, UNTITLED);
}

function fillSheet(table: TableSheet, plan: Plan): void {
  for (const row of planOutline(plan)) {
    if (row.kind === "task") taskRow(table, row.task);
    else table.band(sectionLabel(row.section), { bold: true, fill: SECTION_FILL, indent: row.depth - 1 });
  }
  if (plan.tasks.length === 0) table.band(NO_TASKS);
}

function taskRow(table: TableSheet, task: Task): void {
  table.row([
    task.path,
    inline(task.title),
    task.measures > 0 ? task.measures : null,
    task.units.map(inline).join(LIST_JOIN),
    task.lead_units.map(inline).join(LIST_JOIN),
    // The same due date stated under several measures is one date to a reader.
    [...new Set(task.deadlines.map((d) => formatChineseDate(d.date)))].join(LIST_JOIN),
    task.targets.map((t) => inline(t.quote)).join(ENTRY_JOIN),
  ]);
}
