// How often progress is reported (报送周期): a plan's default, and a task's own, which wins over
// it (loadWorkflowTasks reads them that way). A cadence is never edited in place: the one in
// force is marked deleted and the new one inserted, so the history stays in the table and in
// the audit trail.
//
// Lights and reporting periods are computed from the cadence, and whatever remembers a light
// does so per task version: so changing a cadence bumps the version of every task it applies to.
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import { StoreError } from "./errors.js";
import type { Database, JsonValue } from "./schema-types.js";
import { getTask, type LedgerRow } from "./tasks.js";
import type { WorkflowCadence } from "./workflow.js";

export interface SetPlanCadenceInput {
  organisationId: number;
  planId: number;
  /** null: the plan has no default any more (tasks without their own have no periods). */
  cadence: WorkflowCadence | null;
  actorId: number | null;
}

export interface SetTaskCadenceInput {
  organisationId: number;
  taskId: number;
  /** The version the editor saw; another one now is TASK_VERSION_CONFLICT. */
  version: number;
  /** null: the task follows its plan's default again. */
  cadence: WorkflowCadence | null;
  actorId: number | null;
}

/** The plan's default cadence; PLAN_NOT_FOUND for a plan the organisation does not have. */
export async function getPlanCadence(db: Kysely<Database>, query: { organisationId: number; planId: number }): Promise<WorkflowCadence | null> {
  const plan = await db.selectFrom("plans").select("id").where("id", "=", query.planId).where("organisation_id", "=", query.organisationId).where("deleted_at", "is", null).executeTakeFirst();
  if (!plan) throw new StoreError("PLAN_NOT_FOUND");
  const row = await db.selectFrom("cadences").select(["kind", "custom_dates"]).where("plan_id", "=", plan.id).where("deleted_at", "is", null).executeTakeFirst();
  return row ? { kind: row.kind, customDates: row.custom_dates } : null;
}

/** Replaces the plan's default and bumps every live task of the plan, with one audit row. */
export async function setPlanCadence(db: Kysely<Database>, input: SetPlanCadenceInput): Promise<WorkflowCadence | null> {
  const cadence = input.cadence && normalized(input.cadence);
  return inTransaction(db, async (trx) => {
    // The plan's row lock serializes two offices setting the default at once (else the second
    // insert would meet the first's row in the unique index).
    const plan = await trx
      .selectFrom("plans")
      .select("id")
      .where("id", "=", input.planId)
      .where("organisation_id", "=", input.organisationId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!plan) throw new StoreError("PLAN_NOT_FOUND");
    const before = await replaceCadence(trx, { organisationId: input.organisationId, target: { planId: plan.id }, cadence, actorId: input.actorId });
    const bumped = await trx
      .updateTable("tasks")
      .set((eb) => ({ version: eb("version", "+", 1), updated_at: sql<Date>`now()` }))
      .where("plan_id", "=", plan.id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    await writeAudit(trx, {
      organisationId: input.organisationId,
      actorId: input.actorId,
      action: "plan.cadence",
      entity: "plans",
      entityId: plan.id,
      before: { cadence: cadenceJson(before) },
      after: { cadence: cadenceJson(cadence), tasksUpdated: Number(bumped.numUpdatedRows) },
    });
    return cadence;
  });
}

/** Sets the task's own cadence if the task is still at `version`; bumps the version, one audit row. */
export async function setTaskCadence(db: Kysely<Database>, input: SetTaskCadenceInput): Promise<LedgerRow> {
  return inTransaction(db, async (trx) => {
    // FOR UPDATE: a concurrent editor with the same version waits here, then sees ours and fails.
    const task = await trx
      .selectFrom("tasks")
      .select(["id", "version"])
      .where("id", "=", input.taskId)
      .where("organisation_id", "=", input.organisationId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!task) throw new StoreError("TASK_NOT_FOUND");
    if (task.version !== input.version) throw new StoreError("TASK_VERSION_CONFLICT");
    await trx.updateTable("tasks").set({ version: task.version + 1, updated_at: sql<Date>`now()` }).where("id", "=", task.id).execute();
    await replaceTaskCadence(trx, { ...input, versions: { before: task.version, after: task.version + 1 } });
    const row = await getTask(trx, { organisationId: input.organisationId, taskId: task.id });
    if (!row) throw new StoreError("TASK_NOT_FOUND");
    return row;
  });
}

/**
 * Replaces the task's own cadence and writes its audit row, without touching the version: for a
 * caller that holds the task's row lock and bumps the version itself in the same transaction
 * (a dispatch that sets the cadence).
 */
export async function replaceTaskCadence(
  trx: Kysely<Database>,
  input: { organisationId: number; taskId: number; cadence: WorkflowCadence | null; actorId: number | null; versions?: { before: number; after: number } },
): Promise<void> {
  const cadence = input.cadence && normalized(input.cadence);
  const before = await replaceCadence(trx, { organisationId: input.organisationId, target: { taskId: input.taskId }, cadence, actorId: input.actorId });
  const versions = input.versions;
  await writeAudit(trx, {
    organisationId: input.organisationId,
    actorId: input.actorId,
    action: "task.cadence",
    entity: "tasks",
    entityId: input.taskId,
    before: { cadence: cadenceJson(before), ...(versions && { version: versions.before }) },
    after: { cadence: cadenceJson(cadence), ...(versions && { version: versions.after }) },
  });
}

/** Marks the cadence in force for the target deleted and inserts the new one; returns the old one. */
async function replaceCadence(
  trx: Kysely<Database>,
  input: { organisationId: number; target: { planId: number } | { taskId: number }; cadence: WorkflowCadence | null; actorId: number | null },
): Promise<WorkflowCadence | null> {
  const { target } = input;
  const old = await trx
    .updateTable("cadences")
    .set({ deleted_at: sql<Date>`now()` })
    .where("organisation_id", "=", input.organisationId)
    .where("deleted_at", "is", null)
    .$if("planId" in target, (qb) => qb.where("plan_id", "=", "planId" in target ? target.planId : 0))
    .$if("taskId" in target, (qb) => qb.where("task_id", "=", "taskId" in target ? target.taskId : 0))
    .returning(["kind", "custom_dates"])
    .executeTakeFirst();
  if (input.cadence) {
    await trx
      .insertInto("cadences")
      .values({
        organisation_id: input.organisationId,
        plan_id: "planId" in target ? target.planId : null,
        task_id: "taskId" in target ? target.taskId : null,
        kind: input.cadence.kind,
        custom_dates: input.cadence.customDates,
        created_by: input.actorId,
      })
      .execute();
  }
  return old ? { kind: old.kind, customDates: old.custom_dates } : null;
}

/** Custom dates in order, each once; other kinds carry none. */
function normalized(cadence: WorkflowCadence): WorkflowCadence {
  return { kind: cadence.kind, customDates: cadence.kind === "custom" ? [...new Set(cadence.customDates)].sort() : [] };
}

function cadenceJson(cadence: WorkflowCadence | null): JsonValue {
  if (cadence === null) return null;
  return cadence.kind === "custom" ? { kind: cadence.kind, dates: cadence.customDates } : { kind: cadence.kind };
}
