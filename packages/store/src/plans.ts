// Plans in the ledger: importing an extracted Plan (with its source, so every field keeps its
// place in the text), its versions, and reading a plan back. Importing the same source again
// adds a version beside the old one; nothing that was imported is overwritten.
import type { Plan, Target, Task as ExtractedTask, UnitRef } from "@taizhang/core";
import { sql, type Insertable, type Kysely, type Selectable } from "kysely";
import { writeAudit } from "./audit.js";
import { insertBatches } from "./batches.js";
import { inTransaction } from "./database.js";
import { StoreError } from "./errors.js";
import type {
  Database,
  KpiDirection,
  KpisTable,
  MilestonesTable,
  PlanStatus,
  PlanVersionsTable,
  SectionsTable,
  TargetBound,
  TaskUnitsTable,
  TasksTable,
  UnitRole,
} from "./schema-types.js";
import { listUnits, unitMatcher } from "./units.js";

export interface ImportPlanInput {
  organisationId: number;
  /** One plan as the extractor produced it (or a clerk corrected it); `plan.source` is kept as the source file name. */
  plan: ImportablePlan;
  /** The text the plan's offsets index into (the decoded file, or a reader's rendering of it). */
  sourceText: string;
  /** sha-256 of the file's bytes (of the text, when only the text came back: the import wizard), lower-case hex: the same bytes re-imported are the same source. */
  sourceBytesHash: string;
  /** What the file was: "text", "docx", "xlsx", "pdf", "html", "csv". */
  format: string;
  actorId: number | null;
}

/** A unit as the plan names it; `unitId`, a unit of the organisation a clerk chose, wins over matching the name. */
export interface ImportUnitRef extends UnitRef {
  unitId?: number | null;
}

export interface ImportTask extends ExtractedTask {
  unit_refs: ImportUnitRef[];
}

/** An extracted Plan, whose unit references may carry the unit a clerk chose for them. */
export interface ImportablePlan extends Plan {
  tasks: ImportTask[];
}

export interface ImportPlanResult {
  planId: number;
  versionId: number;
  version: number;
  sections: number;
  tasks: number;
  taskUnits: number;
  milestones: number;
  kpis: number;
  /** Unit names as written that matched no unit of the organisation, for a clerk to map. */
  unmatchedUnitNames: string[];
}

export interface PlanVersion {
  id: number;
  planId: number;
  version: number;
  title: string;
  issuer: string | null;
  docNumber: string | null;
  year: number | null;
  date: string | null;
  sourceName: string;
  sourceHash: string;
  format: string;
  bodyStart: number;
  bodyEnd: number;
  status: PlanStatus;
  createdBy: number | null;
  createdAt: Date;
}

export interface PlanSection {
  id: number;
  ordinal: number;
  path: string;
  title: string;
  start: number;
  end: number;
  line: number;
}

export interface PlanDetail {
  id: number;
  organisationId: number;
  sourceName: string;
  part: number;
  /** The version the ledger shows: the latest import. */
  current: PlanVersion;
  /** Every import, oldest first. */
  versions: PlanVersion[];
  sections: PlanSection[];
  taskCount: number;
}

/** Imports from one organisation take turns (second key of the advisory lock: its id). */
const PLAN_IMPORT_LOCK_KEY = 0x706c616e; // "plan"

// How progress on a target is judged, from how the plan binds the number; a plain level ("新增
// 50所") is a floor in practice: reaching more is not a failure.
const DIRECTION_OF_BOUND: Record<TargetBound, KpiDirection> = {
  floor: "at_least",
  level: "at_least",
  ceiling: "at_most",
  range: "within",
};

export const PATH_SEPARATOR = "/";

/** Stores one extracted plan as a new plan, or as the next version of the plan it came from. */
export async function importPlan(db: Kysely<Database>, input: ImportPlanInput): Promise<ImportPlanResult> {
  const { plan, organisationId } = input;
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${PLAN_IMPORT_LOCK_KEY}, ${organisationId})`.execute(trx);
    const organisation = await trx.selectFrom("organisations").select("id").where("id", "=", organisationId).where("deleted_at", "is", null).executeTakeFirst();
    if (!organisation) throw new StoreError("ORGANISATION_NOT_FOUND");

    const existing = await findSamePlan(trx, input);
    const planId =
      existing?.id ??
      (await trx
        .insertInto("plans")
        .values({ organisation_id: organisationId, source_name: plan.source, part: plan.part, created_by: input.actorId })
        .returning("id")
        .executeTakeFirstOrThrow()).id;
    const previous = existing?.current_version_id ?? null;
    const last = await trx.selectFrom("plan_versions").select((eb) => eb.fn.max("version").as("version")).where("plan_id", "=", planId).executeTakeFirst();
    const version = (last?.version ?? 0) + 1;

    const { id: versionId } = await trx
      .insertInto("plan_versions")
      .values(versionRow(input, planId, version))
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.updateTable("plans").set({ current_version_id: versionId, updated_at: sql`now()` }).where("id", "=", planId).execute();

    const sectionIds = await insertSections(trx, versionId, plan);
    const units = await listUnits(trx, organisationId);
    checkChosenUnits(plan, new Set(units.map((unit) => unit.id)));
    const match = unitMatcher(units);
    const previousTaskIds = previous === null ? new Map<string, number>() : await taskIdsByPath(trx, previous);

    const taskRows = plan.tasks.map((task, ordinal): Insertable<TasksTable> => ({
      organisation_id: organisationId,
      plan_id: planId,
      plan_version_id: versionId,
      section_id: sectionOf(task.path, sectionIds),
      previous_task_id: previousTaskIds.get(task.path) ?? null,
      ordinal,
      number: task.number,
      path: task.path,
      title: task.title,
      measures: task.measures,
      start_offset: task.start,
      end_offset: task.end,
      line: task.line,
      title_start: task.title_start,
      title_end: task.title_end,
      lead_unit_id: leadUnitId(task, unitResolver(task, match)),
      due_date: dueDate(task),
    }));
    const taskIds = new Map<number, number>();
    for (const batch of insertBatches(taskRows)) {
      for (const row of await trx.insertInto("tasks").values(batch).returning(["id", "ordinal"]).execute()) taskIds.set(row.ordinal, row.id);
    }

    const unmatched = new Set<string>();
    const unitRows: Insertable<TaskUnitsTable>[] = [];
    const milestoneRows: Insertable<MilestonesTable>[] = [];
    const kpiRows: Insertable<KpisTable>[] = [];
    plan.tasks.forEach((task, ordinal) => {
      const taskId = taskIds.get(ordinal);
      if (taskId === undefined) throw new Error(`task ${ordinal} was not inserted`);
      for (const row of taskUnitRows(task, taskId, unitResolver(task, match))) {
        if (row.unit_id === null) unmatched.add(row.name);
        unitRows.push(row);
      }
      for (const deadline of task.deadlines) {
        milestoneRows.push({ task_id: taskId, due_date: deadline.date, quote: deadline.quote, start_offset: deadline.start, end_offset: deadline.end });
      }
      for (const target of task.targets) kpiRows.push(kpiRow(target, taskId));
    });
    for (const batch of insertBatches(unitRows)) await trx.insertInto("task_units").values(batch).execute();
    for (const batch of insertBatches(milestoneRows)) await trx.insertInto("milestones").values(batch).execute();
    for (const batch of insertBatches(kpiRows)) await trx.insertInto("kpis").values(batch).execute();

    const result: ImportPlanResult = {
      planId,
      versionId,
      version,
      sections: sectionIds.size,
      tasks: taskRows.length,
      taskUnits: unitRows.length,
      milestones: milestoneRows.length,
      kpis: kpiRows.length,
      unmatchedUnitNames: [...unmatched],
    };
    await writeAudit(trx, {
      organisationId,
      actorId: input.actorId,
      action: "plan.import",
      entity: "plans",
      entityId: planId,
      before: previous === null ? null : { versionId: previous },
      after: { ...result, title: plan.title, sourceName: plan.source, sourceHash: input.sourceBytesHash },
    });
    return result;
  });
}

// The same source is the same file name, or the same bytes under another name; `part` tells
// the plans of one compilation file apart.
async function findSamePlan(db: Kysely<Database>, input: ImportPlanInput): Promise<{ id: number; current_version_id: number | null } | undefined> {
  return db
    .selectFrom("plans")
    .select(["id", "current_version_id"])
    .where("organisation_id", "=", input.organisationId)
    .where("part", "=", input.plan.part)
    .where("deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("source_name", "=", input.plan.source),
        eb.exists(eb.selectFrom("plan_versions").select("plan_versions.id").whereRef("plan_versions.plan_id", "=", "plans.id").where("plan_versions.source_hash", "=", input.sourceBytesHash)),
      ]),
    )
    .orderBy("id", "desc")
    .executeTakeFirst();
}

function versionRow(input: ImportPlanInput, planId: number, version: number): Insertable<PlanVersionsTable> {
  const { plan } = input;
  return {
    plan_id: planId,
    version,
    title: plan.title,
    issuer: plan.issuer,
    doc_number: plan.doc_number,
    year: plan.year,
    date: plan.date,
    source_name: plan.source,
    source_text: input.sourceText,
    source_hash: input.sourceBytesHash,
    format: input.format,
    body_start: plan.start,
    body_end: plan.end,
    created_by: input.actorId,
  };
}

/** Inserts the sections; returns section id by path. */
async function insertSections(db: Kysely<Database>, versionId: number, plan: Plan): Promise<Map<string, number>> {
  const rows = plan.sections.map((section, ordinal): Insertable<SectionsTable> => ({
    plan_version_id: versionId,
    ordinal,
    path: section.path,
    title: section.title,
    start_offset: section.start,
    end_offset: section.end,
    line: section.line,
  }));
  const ids = new Map<string, number>();
  for (const batch of insertBatches(rows)) {
    const inserted = await db.insertInto("sections").values(batch).returning(["id", "path"]).execute();
    // A path repeated (a section restated after a page break) keeps its first row.
    for (const row of inserted) if (!ids.has(row.path)) ids.set(row.path, row.id);
  }
  return ids;
}

/** The deepest section whose path the task's path extends: "三/(一)/2" → "三/(一)", else "三". */
function sectionOf(taskPath: string, sectionIds: Map<string, number>): number | null {
  const parts = taskPath.split(PATH_SEPARATOR);
  for (let length = parts.length - 1; length > 0; length--) {
    const id = sectionIds.get(parts.slice(0, length).join(PATH_SEPARATOR));
    if (id !== undefined) return id;
  }
  return null;
}

async function taskIdsByPath(db: Kysely<Database>, versionId: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom("tasks").select(["id", "path"]).where("plan_version_id", "=", versionId).orderBy("ordinal").execute();
  const ids = new Map<string, number>();
  for (const row of rows) if (!ids.has(row.path)) ids.set(row.path, row.id);
  return ids;
}

/** A unit a clerk chose must be one of the organisation's: an id from elsewhere would hand work to another bureau. */
function checkChosenUnits(plan: ImportablePlan, known: ReadonlySet<number>): void {
  for (const task of plan.tasks) {
    for (const ref of task.unit_refs) {
      if (ref.unitId != null && !known.has(ref.unitId)) throw new StoreError("UNIT_NOT_FOUND", { detail: ref.name });
    }
  }
}

/** The unit a name of the task stands for: the one chosen for it, else the tree's match for the name. */
function unitResolver(task: ImportTask, match: (name: string) => number | null): (name: string) => number | null {
  return (name) => task.unit_refs.find((ref) => ref.name === name)?.unitId ?? match(name);
}

function leadUnitId(task: ExtractedTask, match: (name: string) => number | null): number | null {
  for (const name of task.lead_units) {
    const id = match(name);
    if (id !== null) return id;
  }
  return null;
}

/** The task is due when its last time node falls (ISO dates sort as strings). */
function dueDate(task: ExtractedTask): string | null {
  return task.deadlines.reduce<string | null>((latest, deadline) => (latest === null || deadline.date > latest ? deadline.date : latest), null);
}

/** One row per unit named, in the plan's order, at the place it is first named. */
function taskUnitRows(task: ExtractedTask, taskId: number, match: (name: string) => number | null): Insertable<TaskUnitsTable>[] {
  const leads = new Set(task.lead_units);
  return task.units.map((name) => {
    const ref = task.unit_refs.find((candidate) => candidate.name === name);
    const role: UnitRole = leads.size === 0 ? "责任" : leads.has(name) ? "牵头" : "配合";
    return {
      task_id: taskId,
      unit_id: match(name),
      name,
      role,
      via: ref?.via ?? "note",
      start_offset: ref?.start ?? null,
      end_offset: ref?.end ?? null,
    };
  });
}

function kpiRow(target: Target, taskId: number): Insertable<KpisTable> {
  return {
    task_id: taskId,
    quote: target.quote,
    value: target.value,
    value_max: target.value_max ?? null,
    unit: target.unit,
    bound: target.bound,
    direction: DIRECTION_OF_BOUND[target.bound],
    start_offset: target.start,
    end_offset: target.end,
  };
}

/** A plan of the organisation with its current version, every version and the current sections. */
export async function getPlan(db: Kysely<Database>, query: { organisationId: number; planId: number }): Promise<PlanDetail | undefined> {
  const plan = await db
    .selectFrom("plans")
    .selectAll()
    .where("id", "=", query.planId)
    .where("organisation_id", "=", query.organisationId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!plan) return undefined;
  const versionRows = await db.selectFrom("plan_versions").select(VERSION_COLUMNS).where("plan_id", "=", plan.id).orderBy("version").execute();
  const versions = versionRows.map(toPlanVersion);
  const current = versions.find((version) => version.id === plan.current_version_id);
  if (!current) return undefined;
  const sections = await db.selectFrom("sections").selectAll().where("plan_version_id", "=", current.id).orderBy("ordinal").execute();
  const count = await db
    .selectFrom("tasks")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("plan_version_id", "=", current.id)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return {
    id: plan.id,
    organisationId: plan.organisation_id,
    sourceName: plan.source_name,
    part: plan.part,
    current,
    versions,
    sections: sections.map(toPlanSection),
    taskCount: Number(count.count),
  };
}

/** The organisation's plans (current versions), newest first. */
export async function listPlans(db: Kysely<Database>, organisationId: number): Promise<PlanVersion[]> {
  const rows = await db
    .selectFrom("plans")
    .innerJoin("plan_versions", "plan_versions.id", "plans.current_version_id")
    .select(VERSION_COLUMNS.map((column) => `plan_versions.${column}` as const))
    .where("plans.organisation_id", "=", organisationId)
    .where("plans.deleted_at", "is", null)
    .orderBy("plans.id", "desc")
    .execute();
  return rows.map(toPlanVersion);
}

/** The source text a version was imported from, for highlighting a field at its offsets. */
/** Source texts recently read, per database handle (a version's text never changes once written). */
const recentSources = new WeakMap<object, Map<string, string>>();
const RECENT_SOURCES = 16;

export async function getPlanSource(db: Kysely<Database>, query: { organisationId: number; versionId: number }): Promise<string | undefined> {
  // Task details quote a few lines of a text that may be hundreds of KB: keep the last few read.
  let recent = recentSources.get(db);
  if (!recent) recentSources.set(db, (recent = new Map()));
  const key = `${query.organisationId}:${query.versionId}`;
  const hit = recent.get(key);
  if (hit !== undefined) {
    recent.delete(key);
    recent.set(key, hit);
    return hit;
  }
  const source = await readPlanSource(db, query);
  if (source !== undefined) {
    recent.set(key, source);
    for (const oldest of recent.keys()) {
      if (recent.size <= RECENT_SOURCES) break;
      recent.delete(oldest);
    }
  }
  return source;
}

async function readPlanSource(db: Kysely<Database>, query: { organisationId: number; versionId: number }): Promise<string | undefined> {
  const row = await db
    .selectFrom("plan_versions")
    .innerJoin("plans", "plans.id", "plan_versions.plan_id")
    .select("plan_versions.source_text")
    .where("plan_versions.id", "=", query.versionId)
    .where("plans.organisation_id", "=", query.organisationId)
    .executeTakeFirst();
  return row?.source_text;
}

/** Takes a plan out of the ledger (its tasks with it); the rows stay, marked deleted. */
export async function archivePlan(db: Kysely<Database>, input: { organisationId: number; planId: number; actorId: number | null }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const archived = await trx
      .updateTable("plans")
      .set({ deleted_at: sql`now()`, updated_at: sql`now()` })
      .where("id", "=", input.planId)
      .where("organisation_id", "=", input.organisationId)
      .where("deleted_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!archived) throw new StoreError("PLAN_NOT_FOUND");
    await writeAudit(trx, {
      organisationId: input.organisationId,
      actorId: input.actorId,
      action: "plan.archive",
      entity: "plans",
      entityId: input.planId,
      before: { deleted: false },
      after: { deleted: true },
    });
  });
}

// Everything but source_text, which can be large and is read on its own (getPlanSource).
const VERSION_COLUMNS = [
  "id", "plan_id", "version", "title", "issuer", "doc_number", "year", "date", "source_name", "source_hash",
  "format", "body_start", "body_end", "status", "created_by", "created_at",
] as const satisfies readonly (keyof PlanVersionsTable)[];

type PlanVersionRow = Pick<Selectable<PlanVersionsTable>, (typeof VERSION_COLUMNS)[number]>;

export function toPlanVersion(row: PlanVersionRow): PlanVersion {
  return {
    id: row.id,
    planId: row.plan_id,
    version: row.version,
    title: row.title,
    issuer: row.issuer,
    docNumber: row.doc_number,
    year: row.year,
    date: row.date,
    sourceName: row.source_name,
    sourceHash: row.source_hash,
    format: row.format,
    bodyStart: row.body_start,
    bodyEnd: row.body_end,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function toPlanSection(row: Selectable<SectionsTable>): PlanSection {
  return { id: row.id, ordinal: row.ordinal, path: row.path, title: row.title, start: row.start_offset, end: row.end_offset, line: row.line };
}

/** Plans (ids) of the organisation with at least one current task the unit leads or is named on. */
export async function planIdsOfUnit(db: Kysely<Database>, query: { organisationId: number; unitId: number }): Promise<Set<number>> {
  const { unitId } = query;
  const rows = await db
    .selectFrom("tasks")
    .innerJoin("plans", (join) => join.onRef("plans.id", "=", "tasks.plan_id").onRef("plans.current_version_id", "=", "tasks.plan_version_id"))
    .select("tasks.plan_id")
    .distinct()
    .where("tasks.organisation_id", "=", query.organisationId)
    .where("tasks.deleted_at", "is", null)
    .where("plans.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("tasks.lead_unit_id", "=", unitId),
        eb.exists(
          eb
            .selectFrom("task_units")
            .select("task_units.id")
            .whereRef("task_units.task_id", "=", "tasks.id")
            .where("task_units.unit_id", "=", unitId)
            .where("task_units.deleted_at", "is", null),
        ),
      ]),
    )
    .execute();
  return new Set(rows.map((row) => row.plan_id));
}
