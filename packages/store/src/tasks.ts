// Tasks as the ledger shows them, and the one way to change a task: with the version the editor
// saw (optimistic locking), in a transaction that writes the audit row beside the change.
import type { ExpressionBuilder, Kysely, Selectable, Updateable } from "kysely";
import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import { StoreError } from "./errors.js";
import type { CachedLight, LightKey } from "./light-cache.js";
import { attainment } from "@taizhang/core";
import type { Database, JsonValue, KpiDirection, ReviewState, TargetBound, TaskStatus, TasksTable, UnitRole } from "./schema-types.js";
import { taskScope, type TaskScope } from "./task-scope.js";

export interface TaskUnit {
  /** null when the name as written matched no unit. */
  unitId: number | null;
  name: string;
  role: UnitRole;
}

/** One line of the ledger table. */
export interface LedgerRow {
  id: number;
  planId: number;
  planTitle: string;
  sectionPath: string | null;
  sectionTitle: string | null;
  ordinal: number;
  number: string;
  path: string;
  title: string;
  measures: number;
  status: TaskStatus;
  dueDate: string | null;
  /** The earliest milestone not yet completed. */
  nextMilestone: string | null;
  leadUnitId: number | null;
  units: TaskUnit[];
  kpiCount: number;
  /** For optimistic locking: send it back with an edit. */
  version: number;
  updatedAt: Date;
  /** The workflow's instants (the app's clock) and the stop reason; null until they happen. */
  dispatchedAt: Date | null;
  signedAt: Date | null;
  closedAt: Date | null;
  stoppedAt: Date | null;
  stopReason: string | null;
}

export interface LedgerQuery extends TaskScope {
  limit?: number;
  offset?: number;
  /**
   * Read each task's remembered light valid for this key (migration 0004) into `cached`; a task
   * whose light is not remembered for it gets null (the caller computes it).
   */
  lights?: LightKey;
  /** Only tasks whose remembered light (for `lights`) is this one. */
  light?: CachedLight;
}

/** A ledger row with the light remembered for the query's key (null: compute it). */
export interface CachedLedgerRow extends LedgerRow {
  cached: { light: CachedLight; reasons: JsonValue } | null;
}

export interface Milestone {
  id: number;
  dueDate: string;
  quote: string;
  start: number | null;
  end: number | null;
  completedAt: Date | null;
}

/** A value a report gave for a KPI. */
export interface KpiActual {
  reportId: number;
  period: string;
  periodEnd: string;
  value: number;
  submittedAt: Date;
  reviewState: ReviewState;
}

export interface Kpi {
  id: number;
  quote: string;
  value: number;
  valueMax: number | null;
  unit: string;
  bound: TargetBound;
  direction: KpiDirection;
  start: number | null;
  end: number | null;
  /** Every value reported, in period order. */
  actuals: KpiActual[];
  /** The latest value of a report not returned; null before any. */
  latest: number | null;
  /** How far `latest` reaches the target (core's attainment); null when it cannot be said. */
  attainment: number | null;
}

export interface TaskDetail extends LedgerRow {
  planVersionId: number;
  previousTaskId: number | null;
  start: number;
  end: number;
  line: number;
  titleStart: number;
  titleEnd: number;
  unitRefs: (TaskUnit & { start: number | null; end: number | null })[];
  milestones: Milestone[];
  kpis: Kpi[];
}

export const DEFAULT_LEDGER_LIMIT = 200;
export const MAX_LEDGER_LIMIT = 1000;

/** Tasks of the current versions of the organisation's live plans, in plan order. */
export async function listTasks(db: Kysely<Database>, query: LedgerQuery): Promise<CachedLedgerRow[]> {
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LEDGER_LIMIT), MAX_LEDGER_LIMIT);
  const { lights, light } = query;
  if (light !== undefined && lights === undefined) throw new RangeError("a light filter needs the light key");
  // The page's ids first, then its columns: the per-row subqueries (units, milestones, KPIs) run
  // for the rows shown, not for every row an OFFSET skips.
  const page = await db
    .selectFrom("tasks")
    .$if(light !== undefined && lights !== undefined, (qb) =>
      qb
        .innerJoin("task_lights", (join) =>
          join
            .onRef("task_lights.task_id", "=", "tasks.id")
            .onRef("task_lights.task_version", "=", "tasks.version")
            .on("task_lights.day", "=", lights?.day ?? "")
            .on("task_lights.settings_key", "=", lights?.settingsKey ?? ""),
        )
        .where("task_lights.light", "=", light ?? "grey"),
    )
    .select("tasks.id")
    .where((eb) => taskScope(eb, query))
    .orderBy("tasks.plan_id")
    .orderBy("tasks.ordinal")
    .orderBy("tasks.id")
    .limit(limit)
    .offset(query.offset ?? 0)
    .execute();
  if (page.length === 0) return [];
  const rows = await ledgerQuery(db, query.organisationId)
    .leftJoin("task_lights", (join) =>
      lights === undefined
        ? join.on(sql<boolean>`false`)
        : join
            .onRef("task_lights.task_id", "=", "tasks.id")
            .onRef("task_lights.task_version", "=", "tasks.version")
            .on("task_lights.day", "=", lights.day)
            .on("task_lights.settings_key", "=", lights.settingsKey),
    )
    .select(["task_lights.light as cached_light", "task_lights.reasons as cached_reasons"])
    .where(
      "tasks.id",
      "in",
      page.map((row) => row.id),
    )
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return page.flatMap(({ id }) => {
    const row = byId.get(id);
    // Archived between the two reads: left out, as it would be a moment later.
    if (!row) return [];
    return [{ ...toLedgerRow(row), cached: row.cached_light === null ? null : { light: row.cached_light, reasons: row.cached_reasons } }];
  });
}

/** Refuses (TASK_NOT_FOUND) a task that is not a live task of the organisation. */
export async function requireTask(db: Kysely<Database>, organisationId: number, taskId: number): Promise<void> {
  const task = await db
    .selectFrom("tasks")
    .select("id")
    .where("id", "=", taskId)
    .where("organisation_id", "=", organisationId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!task) throw new StoreError("TASK_NOT_FOUND");
}

/** Who a task belongs to: enough to decide whether a user may see it, in one light query. */
export interface TaskAccess {
  id: number;
  leadUnitId: number | null;
  units: { unitId: number | null }[];
}

/** The task's lead and named units, if it is a live task of the organisation (as the ledger lists them). */
export async function getTaskAccess(db: Kysely<Database>, query: { organisationId: number; taskId: number }): Promise<TaskAccess | undefined> {
  const row = await db
    .selectFrom("tasks")
    .innerJoin("plans", (join) => join.onRef("plans.id", "=", "tasks.plan_id").onRef("plans.current_version_id", "=", "tasks.plan_version_id"))
    .select(["tasks.id", "tasks.lead_unit_id"])
    .select((eb) =>
      jsonArrayFrom(
        eb.selectFrom("task_units").select("task_units.unit_id as unitId").whereRef("task_units.task_id", "=", "tasks.id").where("task_units.deleted_at", "is", null),
      ).as("units"),
    )
    .where("tasks.id", "=", query.taskId)
    .where("tasks.organisation_id", "=", query.organisationId)
    .where("tasks.deleted_at", "is", null)
    .where("plans.deleted_at", "is", null)
    .executeTakeFirst();
  return row ? { id: row.id, leadUnitId: row.lead_unit_id, units: row.units } : undefined;
}

/** One task of the organisation with everything the detail view shows; undefined if not there. */
export async function getTask(db: Kysely<Database>, query: { organisationId: number; taskId: number }): Promise<TaskDetail | undefined> {
  const row = await ledgerQuery(db, query.organisationId)
    .select(["tasks.plan_version_id", "tasks.previous_task_id", "tasks.start_offset", "tasks.end_offset", "tasks.line", "tasks.title_start", "tasks.title_end"])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("task_units")
          .select(["task_units.unit_id as unitId", "task_units.name", "task_units.role", "task_units.start_offset as start", "task_units.end_offset as end"])
          .whereRef("task_units.task_id", "=", "tasks.id")
          .where("task_units.deleted_at", "is", null)
          .orderBy("task_units.id"),
      ).as("unit_refs"),
      jsonArrayFrom(
        eb
          .selectFrom("milestones")
          .select([
            "milestones.id",
            "milestones.due_date as dueDate",
            "milestones.quote",
            "milestones.start_offset as start",
            "milestones.end_offset as end",
            "milestones.completed_at as completedAt",
          ])
          .whereRef("milestones.task_id", "=", "tasks.id")
          .where("milestones.deleted_at", "is", null)
          .orderBy("milestones.due_date")
          .orderBy("milestones.id"),
      ).as("milestones"),
      jsonArrayFrom(
        eb
          .selectFrom("kpis")
          .select([
            "kpis.id",
            "kpis.quote",
            "kpis.value",
            "kpis.value_max as valueMax",
            "kpis.unit",
            "kpis.bound",
            "kpis.direction",
            "kpis.start_offset as start",
            "kpis.end_offset as end",
          ])
          .select((inner) => [
            jsonArrayFrom(
              inner
                .selectFrom("kpi_values")
                .innerJoin("reports", "reports.id", "kpi_values.report_id")
                .select([
                  "reports.id as reportId",
                  "reports.period",
                  "reports.period_end as periodEnd",
                  "kpi_values.value",
                  "reports.submitted_at as submittedAt",
                  "reports.review_state as reviewState",
                ])
                .whereRef("kpi_values.kpi_id", "=", "kpis.id")
                .orderBy("reports.period_end")
                .orderBy("reports.submitted_at")
                .orderBy("reports.id"),
            ).as("actuals"),
          ])
          .whereRef("kpis.task_id", "=", "tasks.id")
          .where("kpis.deleted_at", "is", null)
          .orderBy("kpis.id"),
      ).as("kpis"),
    ])
    .where("tasks.id", "=", query.taskId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...toLedgerRow(row),
    planVersionId: row.plan_version_id,
    previousTaskId: row.previous_task_id,
    start: row.start_offset,
    end: row.end_offset,
    line: row.line,
    titleStart: row.title_start,
    titleEnd: row.title_end,
    unitRefs: row.unit_refs,
    // json_agg has no Date: timestamps come back as ISO text.
    milestones: row.milestones.map((milestone) => ({ ...milestone, completedAt: milestone.completedAt === null ? null : new Date(milestone.completedAt) })),
    kpis: row.kpis.map((kpi) => {
      const actuals = kpi.actuals.map((actual) => ({ ...actual, submittedAt: new Date(actual.submittedAt) }));
      const target = { value: kpi.value, valueMax: kpi.valueMax, direction: kpi.direction };
      // The latest value that stands: a returned report's value is not the unit's word any more.
      const latest = actuals.filter((actual) => actual.reviewState !== "已退回").at(-1)?.value ?? null;
      return { ...kpi, actuals, latest, attainment: attainment(target, latest) };
    }),
  };
}

export interface TaskChanges {
  status?: TaskStatus;
  dueDate?: string | null;
  leadUnitId?: number | null;
  title?: string;
  /** The workflow's facts, written with the status change they come with. */
  dispatchedAt?: Date | null;
  signedAt?: Date | null;
  closedAt?: Date | null;
  stoppedAt?: Date | null;
  stopReason?: string | null;
}

export interface UpdateTaskInput {
  organisationId: number;
  taskId: number;
  /** The version the editor saw; a different current version means someone else changed it. */
  version: number;
  changes: TaskChanges;
  actorId: number | null;
  /** What the change was, for the audit log ("task.update", "task.assign", "task.close"…). */
  action?: string;
}

/** Applies `changes` if the task is still at `version`; bumps the version and writes the audit row. */
export async function updateTask(db: Kysely<Database>, input: UpdateTaskInput): Promise<LedgerRow> {
  return inTransaction(db, async (trx) => {
    // FOR UPDATE: a concurrent editor with the same version waits here, then sees ours and fails.
    const before = await trx
      .selectFrom("tasks")
      .selectAll()
      .where("id", "=", input.taskId)
      .where("organisation_id", "=", input.organisationId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new StoreError("TASK_NOT_FOUND");
    if (before.version !== input.version) throw new StoreError("TASK_VERSION_CONFLICT");

    const { changes } = input;
    const set: Updateable<TasksTable> = {
      version: before.version + 1,
      ...(changes.status !== undefined && { status: changes.status }),
      ...(changes.dueDate !== undefined && { due_date: changes.dueDate }),
      ...(changes.leadUnitId !== undefined && { lead_unit_id: changes.leadUnitId }),
      ...(changes.title !== undefined && { title: changes.title }),
      ...(changes.dispatchedAt !== undefined && { dispatched_at: changes.dispatchedAt }),
      ...(changes.signedAt !== undefined && { signed_at: changes.signedAt }),
      ...(changes.closedAt !== undefined && { closed_at: changes.closedAt }),
      ...(changes.stoppedAt !== undefined && { stopped_at: changes.stoppedAt }),
      ...(changes.stopReason !== undefined && { stop_reason: changes.stopReason }),
    };
    const after = await trx
      .updateTable("tasks")
      .set({ ...set, updated_at: sql<Date>`now()` })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();

    await writeAudit(trx, {
      organisationId: input.organisationId,
      actorId: input.actorId,
      action: input.action ?? "task.update",
      entity: "tasks",
      entityId: before.id,
      before: editableFields(before),
      after: editableFields(after),
    });
    const row = await ledgerQuery(trx, input.organisationId).where("tasks.id", "=", before.id).executeTakeFirstOrThrow();
    return toLedgerRow(row);
  });
}

/** The audit snapshot: what an edit or the workflow may change; the workflow's facts only once set. */
function editableFields(row: Selectable<TasksTable>): { [key: string]: JsonValue } {
  return {
    status: row.status,
    dueDate: row.due_date,
    leadUnitId: row.lead_unit_id,
    title: row.title,
    version: row.version,
    ...(row.dispatched_at !== null && { dispatchedAt: row.dispatched_at.toISOString() }),
    ...(row.signed_at !== null && { signedAt: row.signed_at.toISOString() }),
    ...(row.closed_at !== null && { closedAt: row.closed_at.toISOString() }),
    ...(row.stopped_at !== null && { stoppedAt: row.stopped_at.toISOString() }),
    ...(row.stop_reason !== null && { stopReason: row.stop_reason }),
  };
}

/** The units named on the task (lead, co-units, as written), in the order they were added. */
export function namedUnits(eb: ExpressionBuilder<Database, "tasks">) {
  return jsonArrayFrom(
    eb
      .selectFrom("task_units")
      .select(["task_units.unit_id as unitId", "task_units.name", "task_units.role"])
      .whereRef("task_units.task_id", "=", "tasks.id")
      .where("task_units.deleted_at", "is", null)
      .orderBy("task_units.id"),
  );
}

// The ledger's columns, over live tasks of the current version of live plans.
function ledgerQuery(db: Kysely<Database>, organisationId: number) {
  return db
    .selectFrom("tasks")
    .innerJoin("plans", (join) => join.onRef("plans.id", "=", "tasks.plan_id").onRef("plans.current_version_id", "=", "tasks.plan_version_id"))
    .innerJoin("plan_versions", "plan_versions.id", "tasks.plan_version_id")
    .leftJoin("sections", "sections.id", "tasks.section_id")
    .select([
      "tasks.id",
      "tasks.plan_id",
      "plan_versions.title as plan_title",
      "sections.path as section_path",
      "sections.title as section_title",
      "tasks.ordinal",
      "tasks.number",
      "tasks.path",
      "tasks.title",
      "tasks.measures",
      "tasks.status",
      "tasks.due_date",
      "tasks.lead_unit_id",
      "tasks.version",
      "tasks.updated_at",
      "tasks.dispatched_at",
      "tasks.signed_at",
      "tasks.closed_at",
      "tasks.stopped_at",
      "tasks.stop_reason",
    ])
    .select((eb) => [
      namedUnits(eb).as("units"),
      eb
        .selectFrom("milestones")
        .select((inner) => inner.fn.min("milestones.due_date").as("next"))
        .whereRef("milestones.task_id", "=", "tasks.id")
        .where("milestones.completed_at", "is", null)
        .where("milestones.deleted_at", "is", null)
        .as("next_milestone"),
      eb
        .selectFrom("kpis")
        .select((inner) => inner.fn.countAll<number>().as("count"))
        .whereRef("kpis.task_id", "=", "tasks.id")
        .where("kpis.deleted_at", "is", null)
        .as("kpi_count"),
    ])
    .where("tasks.organisation_id", "=", organisationId)
    .where("tasks.deleted_at", "is", null)
    .where("plans.deleted_at", "is", null);
}

type LedgerQueryRow = Awaited<ReturnType<ReturnType<typeof ledgerQuery>["executeTakeFirstOrThrow"]>>;

export function toLedgerRow(row: LedgerQueryRow): LedgerRow {
  return {
    id: row.id,
    planId: row.plan_id,
    planTitle: row.plan_title,
    sectionPath: row.section_path,
    sectionTitle: row.section_title,
    ordinal: row.ordinal,
    number: row.number,
    path: row.path,
    title: row.title,
    measures: row.measures,
    status: row.status,
    dueDate: row.due_date,
    nextMilestone: row.next_milestone ?? null,
    leadUnitId: row.lead_unit_id,
    units: row.units,
    kpiCount: Number(row.kpi_count ?? 0),
    version: row.version,
    updatedAt: row.updated_at,
    dispatchedAt: row.dispatched_at,
    signedAt: row.signed_at,
    closedAt: row.closed_at,
    stoppedAt: row.stopped_at,
    stopReason: row.stop_reason,
  };
}
