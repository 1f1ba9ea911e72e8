// The assessment (考核) as a workbook: the score sheet (each indicator's rate and points, the total
// and the rank), the scoring model as the bureau set it, and the evidence behind every number.
import { INDICATORS, formatPercent, type Assessment } from "@taizhang/core";
import { addTableSheet, newWorkbook, workbookBytes, type SheetColumn } from "../workbook.js";
import { NOT_APPLICABLE, PERCENT_FORMAT, addEvidenceSheet, addNote, rateCell } from "./bulletin-xlsx.js";
import { typeset } from "./bulletin-wording.js";

const POINTS_FORMAT = "0.00";

export function assessmentTitle(organisation: string, assessment: Assessment): string {
  return `${organisation}${assessment.period.label}重点工作考核得分表`;
}

export async function assessmentXlsx(assessment: Assessment, options: { organisation: string; asOf: string }): Promise<Buffer> {
  const workbook = newWorkbook();
  const title = assessmentTitle(options.organisation, assessment);
  const { indicators, fullMarks } = assessment.model;
  const columns: SheetColumn[] = [
    { header: "排名", width: 7, align: "center" },
    { header: "单位", width: 22, align: "left" },
    ...indicators.flatMap((indicator): SheetColumn[] => [
      { header: `${INDICATORS[indicator.key].label}`, width: 12, align: "center", numFmt: PERCENT_FORMAT },
      { header: `得分(${indicator.weight}分)`, width: 12, align: "center", numFmt: POINTS_FORMAT },
    ]),
    { header: `总分(${fullMarks}分)`, width: 12, align: "center", numFmt: POINTS_FORMAT },
  ];
  const scores = addTableSheet(workbook, "考核得分", title, columns);
  for (const unit of assessment.units) {
    scores.row([
      unit.rank ?? NOT_APPLICABLE,
      unit.name,
      ...unit.indicators.flatMap((indicator) => [rateCell(indicator.rate), indicator.points ?? NOT_APPLICABLE]),
      unit.score ?? NOT_APPLICABLE,
    ]);
  }
  if (assessment.units.length === 0) scores.band("没有可考核的单位。");
  addNote(scores, columns, typeset(`数据截至${options.asOf}。得分 = 分值 × 完成率;某项指标没有需要计算的事项(如本期无应报送进展)的,该项不计分,其分值按比例分配给该单位的其他指标。`));
  addNote(scores, columns, typeset("按牵头单位考核:一项任务由多个单位承办的,只计入牵头单位;未明确牵头单位的任务不参加考核。"));

  const model = addTableSheet(workbook, "评分办法", typeset(`${title}:评分办法`), [
    { header: "考核指标", width: 16, align: "center" },
    { header: "分值", width: 10, align: "center" },
    { header: "计算方法", width: 80, align: "left" },
  ]);
  for (const indicator of indicators) model.row([INDICATORS[indicator.key].label, indicator.weight, typeset(INDICATORS[indicator.key].definition)]);
  model.row(["合计", fullMarks, ""], { bold: true });

  const evidence = assessment.units.map((unit) => ({ name: unit.name, measures: unit.indicators.map((indicator) => ({ key: indicator.key, measure: indicator.measure })) }));
  addEvidenceSheet(workbook, "计分依据", typeset(`${title}:计分依据`), evidence);
  return workbookBytes(workbook);
}

/** "71.88分(办结率 75.0%…)": a unit's score in one line, for the command line. */
export function scoreLine(unit: Assessment["units"][number]): string {
  const parts = unit.indicators.map((indicator) => `${indicator.label} ${formatPercent(indicator.rate)}`);
  return `${unit.rank ?? NOT_APPLICABLE}. ${unit.name} ${unit.score === null ? "不计分" : `${unit.score}分`}(${parts.join(",")})`;
}
