// The column headings of a 任务分解表 / 台账 and what each says its column holds. One vocabulary for
// every reader: the spreadsheet readers find a sheet's header row with it, and the outline stage
// finds the header cells of a table flattened to text ("序号" / "工作任务" / "责任" / "单位").

/** What a header cell says its column holds. */
export type ColumnKind = "index" | "task" | "measure" | "unit" | "deadline" | "other";

// Each list holds the words as they are written in a header cell, whitespace removed.
export const COLUMN_WORDS: Readonly<Record<ColumnKind, readonly string[]>> = {
  index: ["序号", "编号", "序"],
  task: [
    "工作任务", "重点任务", "任务内容", "工作内容", "主要任务", "重点工作", "任务名称", "工作事项", "任务",
    "目标任务", "工作项目", "项目名称", "主要内容", "具体内容", "工作重点", "重点工作任务",
  ],
  measure: [
    "具体措施", "工作措施", "主要措施", "措施", "推进措施", "工作举措", "具体举措", "主要举措", "实施步骤",
    "工作要求", "目标要求", "具体工作措施",
  ],
  unit: [
    "责任单位", "牵头单位", "配合单位", "协办单位", "责任科室", "责任部门", "牵头部门", "配合部门", "牵头科室",
    "配合科室", "责任领导", "分管领导", "责任人", "具体责任人", "承办单位", "主责单位", "责任股室", "牵头股室",
    "责任处室", "牵头处室", "联系人", "单位", "部门",
  ],
  deadline: [
    "完成时限", "时间节点", "完成时间", "时限", "时间安排", "进度安排", "完成期限", "计划完成时间", "时限要求",
    "完成时限要求",
  ],
  // Headings that name a column without saying much about the task.
  other: [
    "类别", "分类", "类型", "板块", "领域", "项目", "备注", "说明", "量化目标", "目标", "工作目标", "预期目标",
    "指标", "考核指标", "完成情况", "进展情况", "推进情况", "目标值",
  ],
};

/**
 * Halves of two-character-wide headings that a PDF table breaks over two lines ("责任" / "单位",
 * "完成" / "时限"): header cells only in a flattened table, never column names of their own.
 */
export const HEADING_HALVES: readonly string[] = ["责任", "牵头", "配合", "协办", "具体", "完成"];

const KIND_OF = new Map<string, ColumnKind>(
  Object.entries(COLUMN_WORDS).flatMap(([kind, words]) => words.map((w) => [w, kind as ColumnKind] as const)),
);

/** What a column heading means, or null when the words are no heading we know. */
export function columnKind(word: string): ColumnKind | null {
  return KIND_OF.get(word) ?? null;
}

/** Every heading word and half, for a pattern that matches any of them. */
export function headingWords(): string[] {
  return [...KIND_OF.keys(), ...HEADING_HALVES].sort((a, b) => b.length - a.length);
}

/** A header cell may carry a note: "完成时限(2025年)", "责任单位(牵头单位放首位)". */
const CELL_NOTE = /[((【\[].*$/;
/** Cells that name two columns at once: "牵头单位/责任人", "责任单位、责任人". */
const CELL_PARTS = /[//、]/;

/** What a header cell means (its words, a note in brackets and a trailing colon aside), or null when it is no heading we know. */
export function headerKind(text: string): ColumnKind | null {
  const squeezed = text.replace(/\s+/g, "").replace(CELL_NOTE, "").replace(/[::]$/, "");
  if (!squeezed) return null;
  const parts = squeezed.split(CELL_PARTS).filter(Boolean);
  let found: ColumnKind | null = null;
  for (const part of parts) {
    const kind = columnKind(part);
    if (kind === null) return null;
    if (found === null || found === "other") found = kind;
  }
  return found;
}
