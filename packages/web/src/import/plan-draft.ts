// The import wizard's working copy of a preview: the extracted plans as the clerk corrects them,
// which unit of the tree each written unit name stands for, what deserves a second look first,
// and the spans of the source text every field came from. Pure data: the pages draw it, the
// confirm sends `correctedPlans` of it.
//
// No DOM here: also type-checked with the Node types of the repository's test configuration.
import type { PlanDeadline, PlanJson, PlanPreview, PlanTarget, PlanTaskJson, PlanUnitRef, SourceSpan } from "../api-types.js";

/** Which unit of the tree each unit name the plans write stands for (null: none chosen yet). */
export type UnitMapping = ReadonlyMap<string, number | null>;

export interface PlanDraft {
  plans: PlanJson[];
  mapping: UnitMapping;
}

export function draftOf(preview: PlanPreview): PlanDraft {
  // A deep copy: the preview stays as the server gave it (the wizard can start over from it).
  const plans = structuredClone(preview.plans);
  return { plans, mapping: new Map(preview.units.map((unit) => [unit.name, unit.unitId])) };
}

/** Where a task sits: plan index and task index in the draft. */
export interface TaskRef {
  plan: number;
  task: number;
}

export type FieldKind = "title" | "unit" | "deadline" | "target";

/** A field of a task, by position: the key the source view and the editor agree on. */
export function fieldKey(ref: TaskRef, kind: FieldKind, index = 0): string {
  return `${ref.plan}/${ref.task}/${kind}/${index}`;
}

export function parseFieldKey(key: string): (TaskRef & { kind: FieldKind; index: number }) | null {
  const [plan, task, kind, index] = key.split("/");
  if (kind !== "title" && kind !== "unit" && kind !== "deadline" && kind !== "target") return null;
  return { plan: Number(plan), task: Number(task), kind, index: Number(index) };
}

/** The unit a reference of a task stands for: chosen on the task itself, else the name's mapping. */
export function unitOf(ref: PlanUnitRef, mapping: UnitMapping): number | null {
  return ref.unitId !== undefined ? ref.unitId : (mapping.get(ref.name) ?? null);
}

// ---- highlights -------------------------------------------------------------------------------

export interface Highlight extends SourceSpan {
  key: string;
  kind: FieldKind;
  /** A unit name no unit of the tree stands for (drawn in red). */
  problem: boolean;
}

/** Every field of every task at its place in the source, in source order. */
export function highlightsOf(draft: PlanDraft): Highlight[] {
  const spans: Highlight[] = [];
  draft.plans.forEach((plan, p) =>
    plan.tasks.forEach((task, t) => {
      const ref = { plan: p, task: t };
      spans.push({ key: fieldKey(ref, "title"), kind: "title", start: task.title_start, end: task.title_end, problem: false });
      task.unit_refs.forEach((unit, i) => spans.push({ key: fieldKey(ref, "unit", i), kind: "unit", start: unit.start, end: unit.end, problem: unitOf(unit, draft.mapping) === null }));
      task.deadlines.forEach((deadline, i) => spans.push({ key: fieldKey(ref, "deadline", i), kind: "deadline", start: deadline.start, end: deadline.end, problem: false }));
      task.targets.forEach((target, i) => spans.push({ key: fieldKey(ref, "target", i), kind: "target", start: target.start, end: target.end, problem: false }));
    }),
  );
  return spans.filter((span) => span.end > span.start).sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The span a field key points at, if the field still exists. */
export function spanOf(draft: PlanDraft, key: string): SourceSpan | null {
  const field = parseFieldKey(key);
  const task = field ? draft.plans[field.plan]?.tasks[field.task] : undefined;
  if (!field || !task) return null;
  if (field.kind === "title") return { start: task.title_start, end: task.title_end };
  const list: SourceSpan[] = field.kind === "unit" ? task.unit_refs : field.kind === "deadline" ? task.deadlines : task.targets;
  return list[field.index] ?? null;
}

// ---- what to look at first ------------------------------------------------------------------------

export type Level = "error" | "warning" | "info";

export interface ReviewItem {
  key: string;
  level: Level;
  message: string;
  /** Where to look in the source. */
  span?: SourceSpan;
  /** The task it is about. */
  task?: TaskRef;
  /** An unmatched unit name: the wizard offers the unit picker right there. */
  unitName?: string;
}

const LEVEL_ORDER: Record<Level, number> = { error: 0, warning: 1, info: 2 };
/** A deadline this many years away from the plan's year is more likely a misread than a plan. */
const FAR_YEARS = 2;

/**
 * What the clerk should check before confirming, most important first. The extractor gives no
 * confidence scores; these are the fields that are wrong most often or cost most when wrong:
 * a unit name the tree does not know (the task would have no one to dispatch to), the
 * extractor's own diagnostics, a task without any unit or deadline, a deadline far from the
 * plan's year.
 */
export function reviewItems(draft: PlanDraft, diagnostics: PlanPreview["diagnostics"]): ReviewItem[] {
  const items: ReviewItem[] = [];
  const unmatched = new Map<string, { count: number; first: { task: TaskRef; span: SourceSpan } }>();
  draft.plans.forEach((plan, p) =>
    plan.tasks.forEach((task, t) => {
      for (const unit of task.unit_refs) {
        if (unitOf(unit, draft.mapping) !== null) continue;
        const seen = unmatched.get(unit.name);
        if (seen) seen.count++;
        else unmatched.set(unit.name, { count: 1, first: { task: { plan: p, task: t }, span: unit } });
      }
    }),
  );
  for (const [name, { count, first }] of unmatched) {
    items.push({
      key: `unit:${name}`,
      level: "error",
      message: `单位“${name}”在单位树中没有对应的单位(${count} 项任务),请选择它指的单位`,
      unitName: name,
      task: first.task,
      span: first.span,
    });
  }
  diagnostics.forEach((diagnostic, i) => {
    items.push({ key: `diagnostic:${i}`, level: diagnostic.severity, message: diagnostic.message, span: diagnostic.place });
  });
  draft.plans.forEach((plan, p) =>
    plan.tasks.forEach((task, t) => {
      const ref = { plan: p, task: t };
      const where = taskLabel(draft, ref);
      if (task.unit_refs.length === 0) items.push({ key: `nounit:${p}/${t}`, level: "warning", message: `${where}没有识别出责任单位,交办时需指定牵头单位`, task: ref, span: { start: task.title_start, end: task.title_end } });
      if (task.deadlines.length === 0) items.push({ key: `nodate:${p}/${t}`, level: "info", message: `${where}没有识别出完成时限,交办时可设定办理期限`, task: ref, span: { start: task.title_start, end: task.title_end } });
      task.deadlines.forEach((deadline, i) => {
        const year = Number(deadline.date.slice(0, 4));
        if (plan.year !== null && Math.abs(year - plan.year) >= FAR_YEARS) {
          items.push({ key: `faryear:${p}/${t}/${i}`, level: "warning", message: `${where}的时限“${deadline.quote}”换算为 ${deadline.date},与计划年度 ${plan.year} 相差较远,请核对`, task: ref, span: deadline });
        }
      });
    }),
  );
  // Stable: within a level the order above (units, diagnostics, tasks in document order) stays.
  return items.map((item, i) => ({ item, i })).sort((a, b) => LEVEL_ORDER[a.item.level] - LEVEL_ORDER[b.item.level] || a.i - b.i).map(({ item }) => item);
}

/** "第 二/4 项任务“完善作业考试辅导”" */
export function taskLabel(draft: PlanDraft, ref: TaskRef): string {
  const task = draft.plans[ref.plan]?.tasks[ref.task];
  return task ? `任务 ${task.path.replaceAll("/", ".")}“${task.title}”` : "任务";
}

// ---- corrections ------------------------------------------------------------------------------------

export function withMapping(draft: PlanDraft, name: string, unitId: number | null): PlanDraft {
  const mapping = new Map(draft.mapping);
  mapping.set(name, unitId);
  return { ...draft, mapping };
}

export function withPlanTitle(draft: PlanDraft, plan: number, title: string): PlanDraft {
  return { ...draft, plans: draft.plans.map((candidate, p) => (p === plan ? { ...candidate, title } : candidate)) };
}

/** A copy of the draft with one task changed. */
export function withTask(draft: PlanDraft, ref: TaskRef, change: (task: PlanTaskJson) => PlanTaskJson): PlanDraft {
  return {
    ...draft,
    plans: draft.plans.map((plan, p) => (p !== ref.plan ? plan : { ...plan, tasks: plan.tasks.map((task, t) => (t === ref.task ? change(task) : task)) })),
  };
}

export const setTitle = (title: string) => (task: PlanTaskJson): PlanTaskJson => ({ ...task, title });

/** The unit this task's reference stands for, on this task only (undefined: back to the name's mapping). */
export const setTaskUnit = (index: number, unitId: number | null | undefined) => (task: PlanTaskJson): PlanTaskJson => ({
  ...task,
  unit_refs: task.unit_refs.map((ref, i) => {
    if (i !== index) return ref;
    const { unitId: _previous, ...rest } = ref;
    return unitId === undefined ? rest : { ...rest, unitId };
  }),
});

/** Drops a unit the extractor took for responsible by mistake; the name lists follow (the server checks they agree). */
export const removeUnit = (index: number) => (task: PlanTaskJson): PlanTaskJson => {
  const removed = task.unit_refs[index];
  if (!removed) return task;
  const unit_refs = task.unit_refs.filter((_, i) => i !== index);
  return {
    ...task,
    unit_refs,
    units: task.units.filter((name) => name !== removed.name || unit_refs.some((ref) => ref.name === name)),
    lead_units: task.lead_units.filter((name) => name !== removed.name || unit_refs.some((ref) => ref.name === name && ref.lead)),
  };
};

export const setDeadline = (index: number, change: Partial<PlanDeadline>) => (task: PlanTaskJson): PlanTaskJson => ({
  ...task,
  deadlines: task.deadlines.map((deadline, i) => (i === index ? { ...deadline, ...change } : deadline)),
});

export const removeDeadline = (index: number) => (task: PlanTaskJson): PlanTaskJson => ({ ...task, deadlines: task.deadlines.filter((_, i) => i !== index) });

export const setTarget = (index: number, change: Partial<PlanTarget>) => (task: PlanTaskJson): PlanTaskJson => ({
  ...task,
  targets: task.targets.map((target, i) => {
    if (i !== index) return target;
    const next = { ...target, ...change };
    // Only a range has an upper value; the schema takes no null for it.
    if (next.bound !== "range" || next.value_max === undefined || next.value_max === null) delete next.value_max;
    return next;
  }),
});

export const removeTarget = (index: number) => (task: PlanTaskJson): PlanTaskJson => ({ ...task, targets: task.targets.filter((_, i) => i !== index) });

/** The plans to confirm: every unit reference carries the unit chosen for it, when one is. */
export function correctedPlans(draft: PlanDraft): PlanJson[] {
  return draft.plans.map((plan) => ({
    ...plan,
    title: plan.title.trim(),
    tasks: plan.tasks.map((task) => ({
      ...task,
      title: task.title.trim(),
      unit_refs: task.unit_refs.map((ref) => {
        const { unitId: _own, ...rest } = ref;
        const unitId = unitOf(ref, draft.mapping);
        return unitId === null ? rest : { ...rest, unitId };
      }),
    })),
  }));
}

/** Unit names no unit is chosen for, over all plans (after the clerk's choices). */
export function unmatchedNames(draft: PlanDraft): string[] {
  const names = new Set<string>();
  for (const plan of draft.plans) for (const task of plan.tasks) for (const ref of task.unit_refs) if (unitOf(ref, draft.mapping) === null) names.add(ref.name);
  return [...names];
}
