// Plans into the ledger, in one step or two. POST /api/plans/import extracts a file and imports
// what it finds; the import wizard first previews the extraction (writing nothing), lets the
// clerk correct it, then confirms the corrected Plan JSON. Both end in importPlans, so a confirmed
// plan is stored exactly as an imported one. A confirm brings its source text and that text's
// sha-256 back: every offset is checked against that very text, so no stored field points outside
// what is stored, and the hash a version records is the hash of the text it holds.
import { createHash } from "node:crypto";
import { isIsoDate, parseDocument, type Diagnostic, type DocumentFormat, type DocumentResult, type Plan } from "@taizhang/core";
import { importPlan, inTransaction, listUnits, unitMatcher, type ImportPlanInput, type ImportPlanResult, type User } from "@taizhang/store";
import type { Db } from "./context.js";
import { apiError } from "./errors.js";

/** A plan as the wizard sends it back: Plan JSON whose unit references may name the unit chosen. */
export type CorrectedPlan = ImportPlanInput["plan"];

/** What is imported: the plans, the text their offsets index into, and where that text came from. */
export interface PlanSource {
  fileName: string;
  format: string;
  encoding: string | null;
  text: string;
  /** sha-256 (hex) of the file's bytes, or of the text when only the text came (a confirm). */
  hash: string;
  plans: readonly CorrectedPlan[];
  diagnostics: Diagnostic[];
}

interface ImportedPlan extends ImportPlanResult {
  title: string;
}

/** The review summary of an import: what each plan became and what a clerk should look at. */
export interface ImportSummary {
  source: string;
  format: string;
  encoding: string | null;
  sourceHash: string;
  plans: ImportedPlan[];
  taskCount: number;
  unmatchedUnitNames: string[];
  diagnostics: Diagnostic[];
}

export interface PlanPreview {
  fileName: string;
  format: string;
  /** The text the plans' offsets index into: what GET /api/plans/:id/source gives after the import. */
  source: string;
  sha256: string;
  plans: Plan[];
  diagnostics: Diagnostic[];
  /** Each unit name the plans write, with the unit of the tree it matches (null: none). */
  units: { name: string; unitId: number | null }[];
}

export interface PlanConfirmation {
  fileName: string;
  sha256: string;
  source: string;
  format?: DocumentFormat;
  plans: CorrectedPlan[];
}

/** Every plan of a file, or PLAN_FILE_UNREADABLE with the reason the reader gave. */
async function extractPlans(fileName: string, bytes: Uint8Array): Promise<DocumentResult> {
  const parsed = await parseDocument(bytes, { source: fileName });
  if (parsed.plans.length === 0) {
    const reason = parsed.diagnostics.find((diagnostic) => diagnostic.severity === "error") ?? parsed.diagnostics[0];
    throw apiError("PLAN_FILE_UNREADABLE", reason ? { message: reason.message } : {});
  }
  return parsed;
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Imports every plan of the source together: all or none. */
async function importPlans(db: Db, user: User, source: PlanSource): Promise<ImportSummary> {
  const plans = await inTransaction(db, async (trx) => {
    const imported: ImportedPlan[] = [];
    for (const plan of source.plans) {
      const result = await importPlan(trx, { organisationId: user.organisationId, plan, sourceText: source.text, sourceBytesHash: source.hash, format: source.format, actorId: user.id });
      imported.push({ ...result, title: plan.title });
    }
    return imported;
  });
  return {
    source: source.fileName,
    format: source.format,
    encoding: source.encoding,
    sourceHash: source.hash,
    plans,
    taskCount: plans.reduce((sum, plan) => sum + plan.tasks, 0),
    unmatchedUnitNames: [...new Set(plans.flatMap((plan) => plan.unmatchedUnitNames))],
    diagnostics: source.diagnostics,
  };
}

/** Extracts every plan of a file and imports them (POST /api/plans/import). */
export async function importFile(db: Db, user: User, fileName: string, bytes: Uint8Array): Promise<ImportSummary> {
  const parsed = await extractPlans(fileName, bytes);
  return importPlans(db, user, {
    fileName,
    format: parsed.format ?? "text",
    encoding: parsed.encoding,
    text: parsed.text,
    hash: sha256Hex(bytes),
    plans: parsed.plans,
    diagnostics: parsed.diagnostics,
  });
}

/** The extraction of a file with the units its names match; reads the unit tree, writes nothing. */
export async function previewPlans(db: Db, user: User, fileName: string, bytes: Uint8Array): Promise<PlanPreview> {
  const parsed = await extractPlans(fileName, bytes);
  const match = unitMatcher(await listUnits(db, user.organisationId));
  const names = new Set(parsed.plans.flatMap((plan) => plan.tasks.flatMap((task) => task.unit_refs.map((ref) => ref.name))));
  return {
    fileName,
    format: parsed.format ?? "text",
    source: parsed.text,
    sha256: sha256Hex(parsed.text),
    plans: parsed.plans,
    diagnostics: parsed.diagnostics,
    units: [...names].map((name) => ({ name, unitId: match(name) })),
  };
}

/** Imports the plans a clerk corrected, once they hold together with their source text. */
export async function confirmPlans(db: Db, user: User, confirmation: PlanConfirmation): Promise<ImportSummary> {
  checkConfirmation(confirmation);
  return importPlans(db, user, {
    fileName: confirmation.fileName,
    format: confirmation.format ?? "text",
    encoding: null,
    text: confirmation.source,
    hash: confirmation.sha256,
    plans: confirmation.plans,
    diagnostics: [],
  });
}

/**
 * What the body schema cannot say: the hash is the text's, every offset lies in the text, titles
 * are not blank, dates are real days, and a task's unit lists agree with its unit references
 * (the store reads a unit's place and chosen unit from the reference of the same name).
 */
function checkConfirmation(confirmation: PlanConfirmation): void {
  const { source, plans } = confirmation;
  if (sha256Hex(source) !== confirmation.sha256) throw apiError("SOURCE_HASH_MISMATCH");
  const parts = new Set<number>();
  plans.forEach((plan, p) => {
    const where = plans.length > 1 ? `第 ${p + 1} 份计划` : "计划";
    if (plan.source !== confirmation.fileName) invalid(`${where}的文件名(source)应与 fileName 一致`);
    if (parts.has(plan.part)) invalid(`${where}的序号(part)与另一份计划重复`);
    parts.add(plan.part);
    if (plan.title.trim() === "") invalid(`${where}的标题不能为空`);
    if (plan.date !== null && !isIsoDate(plan.date)) invalid(`${where}的成文日期“${plan.date}”不是有效的日期`);
    within(source, plan, `${where}的正文`);
    for (const section of plan.sections) within(source, section, `${where}章节“${section.path}”`);
    for (const task of plan.tasks) {
      const named = `${plans.length > 1 ? `${where}的` : ""}任务“${task.path}”`;
      if (task.title.trim() === "") invalid(`${named}的标题不能为空`);
      within(source, task, `${named}的范围`);
      within(source, { start: task.title_start, end: task.title_end }, `${named}的标题`);
      const refNames = task.unit_refs.map((ref) => ref.name);
      if (new Set(refNames).size !== refNames.length) invalid(`${named}的责任单位有重名`);
      if (!sameList(task.units, refNames)) invalid(`${named}的 units 应与 unit_refs 的名称一一对应`);
      if (!sameList(task.lead_units, task.unit_refs.filter((ref) => ref.lead).map((ref) => ref.name))) invalid(`${named}的 lead_units 应是 unit_refs 中标为牵头(lead)的单位`);
      for (const ref of task.unit_refs) {
        if (ref.name.trim() === "") invalid(`${named}的单位名称不能为空`);
        within(source, ref, `${named}的单位“${ref.name}”`);
      }
      for (const deadline of task.deadlines) {
        if (!isIsoDate(deadline.date)) invalid(`${named}的完成时限“${deadline.date}”不是有效的日期`);
        within(source, deadline, `${named}的完成时限“${deadline.quote}”`);
      }
      for (const target of task.targets) within(source, target, `${named}的目标“${target.quote}”`);
    }
  });
}

function within(source: string, span: { start: number; end: number }, what: string): void {
  if (span.start < 0 || span.start > span.end || span.end > source.length) {
    throw apiError("OFFSET_OUT_OF_SOURCE", { message: `${what}的位置(${span.start}–${span.end})不在原文之内。` });
  }
}

function invalid(message: string): never {
  throw apiError("VALIDATION_FAILED", { message: `${message}。` });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
