// The append-only trail of who changed what: one row per change, with the entity before and
// after as JSON. Written in the same transaction as the change, so neither exists without the
// other; the database refuses UPDATE and DELETE on the table.
import type { Kysely, Selectable } from "kysely";
import type { AuditLogTable, Database, JsonValue } from "./schema-types.js";

export interface AuditEntry {
  organisationId: number | null;
  /** null for the system itself (a migration, the scheduler). */
  actorId: number | null;
  /** What happened, e.g. "plan.import", "task.update". */
  action: string;
  /** The table name of the thing changed. */
  entity: string;
  entityId: number | null;
  before?: JsonValue;
  after?: JsonValue;
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  at: Date;
}

export async function writeAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      organisation_id: entry.organisationId,
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

/** The trail of one entity, oldest first. */
export async function listAudit(db: Kysely<Database>, query: { entity: string; entityId: number }): Promise<AuditRecord[]> {
  const rows = await db
    .selectFrom("audit_log")
    .selectAll()
    .where("entity", "=", query.entity)
    .where("entity_id", "=", query.entityId)
    .orderBy("at")
    .orderBy("id")
    .execute();
  return rows.map(toAuditRecord);
}

export function toAuditRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    actorId: row.actor_id,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
    at: row.at,
  };
}

/** One task's trail and that of its reports, oldest first, within the organisation; at most `limit` rows. */
export async function listTaskAudit(db: Kysely<Database>, query: { organisationId: number; taskId: number; limit: number }): Promise<Omit<AuditRecord, "organisationId">[]> {
  const { taskId } = query;
  const rows = await db
    .selectFrom("audit_log")
    .select(["id", "actor_id", "action", "entity", "entity_id", "before", "after", "at"])
    .where("organisation_id", "=", query.organisationId)
    .where((eb) =>
      eb.or([
        eb.and([eb("entity", "=", "tasks"), eb("entity_id", "=", taskId)]),
        eb.and([eb("entity", "=", "reports"), eb("entity_id", "in", eb.selectFrom("reports").select("reports.id").where("reports.task_id", "=", taskId))]),
        eb.and([eb("entity", "=", "evidence"), eb("entity_id", "in", eb.selectFrom("evidence").select("evidence.id").where("evidence.task_id", "=", taskId))]),
        eb.and([eb("entity", "=", "comments"), eb("entity_id", "in", eb.selectFrom("comments").select("comments.id").where("comments.task_id", "=", taskId))]),
      ]),
    )
    .orderBy("at")
    .orderBy("id")
    .limit(query.limit)
    .execute();
  return rows.map((row) => ({ id: row.id, actorId: row.actor_id, action: row.action, entity: row.entity, entityId: row.entity_id, before: row.before, after: row.after, at: row.at }));
}
