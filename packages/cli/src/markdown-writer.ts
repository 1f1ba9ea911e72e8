// The readable outline of `taizhang extract --format markdown`: headings for sections, one list item
// per task with its units, deadlines, targets and measure count. It also owns the pieces the xlsx
// writer shares (document-order outline, section labels, Chinese dates) so both formats agree.
import type { Plan, Section, Target, Task } from "@taizhang/core";

export type OutlineRow =
  | { kind: "section"; section: Section; depth: number }
  | { kind: "task"; task: Task };

// Human-facing text uses Chinese punctuation, whatever the normalized input used. The notices stand
// in for what was not found, so an empty result still reads as a result.
export const UNTITLED = "未命名计划";
export const NO_TASKS = "（未识别出任务）";
export const NO_PLANS = "（未识别出计划）";
export const LIST_JOIN = "、";
export const ENTRY_JOIN = "；";
const LEAD_MARK = "（牵头）";
const MAX_HEADING_LEVEL = 6;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2024-07-31" → "2024年7月31日"; anything else is shown as given. */
export function formatChineseDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Nesting depth of a section: "三" is 1, "三/(一)" is 2. */
export function sectionDepth(section: Section): number {
  return section.path.split("/").length;
}

/** "三/(一)" + "实施扩优提质工程" → "(一) 实施扩优提质工程": the parents are the headings above it. */
export function sectionLabel(section: Section): string {
  const own = section.path.split("/").pop() ?? "";
  return [own, inline(section.title)].filter((s) => s !== "").join(" ");
}

/**
 * Sections and tasks in document order, judged by paths alone so a plan read back from Plan JSON
 * (without offsets) lays out the same: each section comes just before the first task under it;
 * a section with nothing under it keeps its place among its siblings.
 */
export function planOutline(plan: Plan): OutlineRow[] {
  const rows: OutlineRow[] = [];
  let next = 0;
  const emitSectionsThrough = (last: number): void => {
    for (; next <= last; next++) {
      const section = plan.sections[next] as Section;
      rows.push({ kind: "section", section, depth: sectionDepth(section) });
    }
  };
  for (const task of plan.tasks) {
    let last = -1;
    for (let i = next; i < plan.sections.length; i++) {
      if (task.path.startsWith(`${(plan.sections[i] as Section).path}/`)) last = i;
    }
    emitSectionsThrough(last);
    rows.push({ kind: "task", task });
  }
  emitSectionsThrough(plan.sections.length - 1);
  return rows;
}

/** The whole outline, one "#" block per plan; deterministic and ending in a newline. */
export function planToMarkdown(plans: Plan[]): string {
  if (plans.length === 0) return NO_PLANS + "\n";
  return plans.map((plan) => planBlocks(plan).join("\n\n") + "\n").join("\n");
}

function planBlocks(plan: Plan): string[] {
  const blocks = [`# ${inline(plan.title) || UNTITLED}`];
  const meta = metadataLine(plan);
  if (meta !== "") blocks.push(meta);
  // Consecutive tasks form one list block; a heading closes it.
  let listOpen = false;
  for (const row of planOutline(plan)) {
    if (row.kind === "section") {
      const level = Math.min(row.depth + 1, MAX_HEADING_LEVEL);
      blocks.push(`${"#".repeat(level)} ${sectionLabel(row.section)}`);
      listOpen = false;
    } else if (listOpen) {
      blocks[blocks.length - 1] += "\n" + taskLines(row.task).join("\n");
    } else {
      blocks.push(taskLines(row.task).join("\n"));
      listOpen = true;
    }
  }
  if (plan.tasks.length === 0) blocks.push(NO_TASKS);
  return blocks;
}

function metadataLine(plan: Plan): string {
  const fields: [string, string | number | null][] = [
    ["发文机关", plan.issuer],
    ["文号", plan.doc_number],
    ["年度", plan.year],
  ];
  return fields
    .filter((f): f is [string, string | number] => f[1] !== null && f[1] !== "")
    .map(([label, value]) => `${label}：${inline(String(value))}`)
    .join(ENTRY_JOIN);
}

function taskLines(task: Task): string[] {
  const details: [string, string][] = [
    ["责任单位", unitList(task)],
    ["完成时限", task.deadlines.map((d) => `${formatChineseDate(d.date)}（${inline(d.quote)}）`).join(ENTRY_JOIN)],
    ["量化目标", task.targets.map((t) => `${inline(t.quote)} → ${targetValue(t)}`).join(ENTRY_JOIN)],
    ["措施", task.measures > 0 ? `${task.measures}项` : ""],
  ];
  const label = inline(task.number) || inline(task.path);
  return [
    `- **${label}** ${inline(task.title)}`.trimEnd(),
    ...details.filter(([, text]) => text !== "").map(([name, text]) => `  - ${name}：${text}`),
  ];
}

/** Units in order of appearance, leads marked; a lead named only as lead is still listed. */
function unitList(task: Task): string {
  const names = [...task.units, ...task.lead_units.filter((u) => !task.units.includes(u))];
  return names.map((u) => inline(u) + (task.lead_units.includes(u) ? LEAD_MARK : "")).join(LIST_JOIN);
}

/** "50所", "3-5个百分点", "95%". */
export function targetValue(target: Pick<Target, "value" | "value_max" | "unit">): string {
  const range = target.value_max === undefined ? `${target.value}` : `${target.value}-${target.value_max}`;
  return range + target.unit;
}

/** One line of text: inner line breaks and runs of spaces become one space, ends trimmed. */
export function inline(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
