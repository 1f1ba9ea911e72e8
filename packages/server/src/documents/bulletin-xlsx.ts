// The bulletin as a workbook, in the layout every taizhang sheet shares (workbook.ts): the units'
// table with all the counts behind the rates, the red items with their reasons, and the evidence:
// every task, reporting period and KPI each rate counted, and whether it went into the numerator.
//
// exceljs writes no charts, so the close rate gets Excel's in-cell data bars (0–100%) instead of a
// chart object; Excel, WPS and LibreOffice all draw them.
import type ExcelJS from "exceljs";
import { INDICATORS, LIGHT_REASONS, MEASURE_KEYS, type Bulletin, type Measure, type MeasureKey, type UnitStanding } from "@taizhang/core";
import { addTableSheet, newWorkbook, SECTION_FILL, workbookBytes, type SheetColumn, type TableSheet } from "../workbook.js";
import { typeset, type BulletinText } from "./bulletin-wording.js";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const PERCENT_FORMAT = "0.0%";
export const NOT_APPLICABLE = "—";
const TOTAL_FILL = "FFF2F2F2";
const BAR_COLOUR = "FF5B9BD5";

const STANDING_COLUMNS: readonly SheetColumn[] = [
  { header: "排名", width: 7, align: "center" },
  { header: "单位", width: 22, align: "left" },
  { header: "任务数", width: 9, align: "center" },
  { header: "已办结", width: 9, align: "center" },
  { header: "办结率", width: 14, align: "center", numFmt: PERCENT_FORMAT },
  { header: "应办结", width: 9, align: "center" },
  { header: "按期办结", width: 10, align: "center" },
  { header: "按时办结率", width: 12, align: "center", numFmt: PERCENT_FORMAT },
  { header: "逾期未办结", width: 12, align: "center" },
  { header: "红灯事项", width: 10, align: "center" },
  { header: "应报送(次)", width: 12, align: "center" },
  { header: "按时报送(次)", width: 13, align: "center" },
  { header: "报送及时率", width: 12, align: "center", numFmt: PERCENT_FORMAT },
  { header: "已报指标", width: 10, align: "center" },
  { header: "指标达成率", width: 12, align: "center", numFmt: PERCENT_FORMAT },
];
const CLOSE_RATE_COLUMN = 5;

const RED_COLUMNS: readonly SheetColumn[] = [
  { header: "序号", width: 7, align: "center" },
  { header: "牵头单位", width: 18, align: "left" },
  { header: "计划", width: 26, align: "left" },
  { header: "编号", width: 8, align: "center" },
  { header: "工作任务", width: 44, align: "left" },
  { header: "亮红灯原因", width: 50, align: "left" },
];

const EVIDENCE_COLUMNS: readonly SheetColumn[] = [
  { header: "单位", width: 18, align: "left" },
  { header: "指标", width: 12, align: "center" },
  { header: "计划", width: 24, align: "left" },
  { header: "编号", width: 8, align: "center" },
  { header: "工作任务", width: 40, align: "left" },
  { header: "报送周期/量化指标", width: 22, align: "left" },
  { header: "计入", width: 10, align: "center" },
  { header: "计入值", width: 9, align: "center", numFmt: "0.00" },
  { header: "说明", width: 44, align: "left" },
];

export async function bulletinXlsx(bulletin: Bulletin, text: BulletinText): Promise<Buffer> {
  const workbook = newWorkbook();
  const table = addTableSheet(workbook, "各单位推进情况", text.title, STANDING_COLUMNS);
  for (const unit of bulletin.units) table.row(standingRow(unit));
  table.row(standingRow(bulletin.totals), { bold: true, fill: TOTAL_FILL });
  addCloseRateBars(table.sheet, bulletin.units.length);
  for (const note of text.notes) addNote(table, STANDING_COLUMNS, note);
  if (bulletin.stopped.length > 0) addNote(table, STANDING_COLUMNS, typeset(`另有${bulletin.stopped.length}项任务已中止,不纳入统计。`));

  const red = addTableSheet(workbook, "红灯事项", typeset(`${text.title}:红灯事项`), RED_COLUMNS);
  bulletin.totals.redItems.forEach((item, index) => {
    const reasons = item.reasons.filter((reason) => LIGHT_REASONS[reason.code].light === "red").map((reason) => reason.message);
    red.row([index + 1, item.unitName, item.task.planTitle, item.task.number, item.task.title, typeset(reasons.join(""))]);
  });
  if (bulletin.totals.redItems.length === 0) red.band("没有亮红灯的事项。");

  addEvidenceSheet(workbook, "计算依据", typeset(`${text.title}:计算依据`), bulletin.units.map(evidenceOf));
  return workbookBytes(workbook);
}

function standingRow(unit: UnitStanding): (string | number | null)[] {
  const { closeRate, onTimeRate, reportTimeliness, kpiAttainment } = unit.measures;
  return [
    unit.rank ?? NOT_APPLICABLE,
    unit.name,
    unit.tasks,
    unit.closed,
    rateCell(closeRate.rate),
    onTimeRate.denominator,
    unit.closedOnTime,
    rateCell(onTimeRate.rate),
    unit.overdueOpen,
    unit.red,
    reportTimeliness.denominator,
    reportTimeliness.numerator,
    rateCell(reportTimeliness.rate),
    kpiAttainment.denominator,
    rateCell(kpiAttainment.rate),
  ];
}

/** A Chinese character is about two of Excel's width units; a wrapped line of 宋体 11 about 15 pt. */
const UNITS_PER_CHARACTER = 2;
const LINE_HEIGHT_PT = 15;

/** A note across the table, its row as tall as its wrapped text (Excel does not grow merged rows). */
export function addNote(table: TableSheet, columns: readonly SheetColumn[], text: string): void {
  table.band(text);
  const perLine = Math.max(1, Math.floor(columns.reduce((sum, column) => sum + column.width, 0) / UNITS_PER_CHARACTER) - 1);
  const row = table.sheet.lastRow;
  if (row) row.height = Math.ceil([...text].length / perLine) * LINE_HEIGHT_PT;
}

export function rateCell(rate: number | null): number | string {
  return rate === null ? NOT_APPLICABLE : rate;
}

/** In-cell bars on the units' close rates, scaled 0–100% (not to the best unit's rate). */
function addCloseRateBars(sheet: ExcelJS.Worksheet, units: number): void {
  if (units === 0) return;
  const column = sheet.getColumn(CLOSE_RATE_COLUMN).letter;
  const first = sheet.rowCount - units;
  const rule = {
    type: "dataBar",
    priority: 1,
    gradient: false,
    color: { argb: BAR_COLOUR },
    cfvo: [
      { type: "num", value: 0 },
      { type: "num", value: 1 },
    ],
  } as ExcelJS.ConditionalFormattingRule;
  sheet.addConditionalFormatting({ ref: `${column}${first}:${column}${sheet.rowCount - 1}`, rules: [rule] });
}

/** A unit's measures, as the evidence sheet lists them. */
export interface EvidenceUnit {
  name: string;
  measures: readonly { key: MeasureKey; measure: Measure }[];
}

export function evidenceOf(unit: UnitStanding): EvidenceUnit {
  return { name: unit.name, measures: MEASURE_KEYS.map((key) => ({ key, measure: unit.measures[key] })) };
}

/**
 * Every item each measure considered, unit by unit and measure by measure: what a unit that
 * disputes a rate is shown. Items left out (a KPI with no value) are listed as 不计入.
 */
export function addEvidenceSheet(workbook: ExcelJS.Workbook, name: string, title: string, units: readonly EvidenceUnit[]): void {
  const sheet = addTableSheet(workbook, name, title, EVIDENCE_COLUMNS);
  for (const unit of units) {
    sheet.band(unit.name, { bold: true, fill: SECTION_FILL });
    for (const { key, measure } of unit.measures) {
      const label = INDICATORS[key].label;
      if (measure.items.length === 0 && measure.excluded.length === 0) {
        sheet.row([unit.name, label, "", "", "", "", NOT_APPLICABLE, null, typeset("没有需要计算的事项,该项不计")]);
        continue;
      }
      for (const item of measure.items) {
        sheet.row([unit.name, label, item.task.planTitle, item.task.number, item.task.title, item.ref ?? "", item.counted ? "计入分子" : "仅计入分母", item.value, typeset(item.note)]);
      }
      for (const item of measure.excluded) {
        sheet.row([unit.name, label, item.task.planTitle, item.task.number, item.task.title, item.ref ?? "", "不计入", null, typeset(item.note)]);
      }
    }
  }
  if (units.length === 0) sheet.band("没有纳入统计的任务。");
}
