// The lights the server computed, kept so the ledger can filter and count by light in SQL (see
// migration 0004). The store never decides a light: it hands out the tasks whose remembered
// light no longer holds and keeps what the server computed for them. A row holds for the
// task's version, the bureau day and the settings it was computed with, nothing longer.
import { sql, type Kysely } from "kysely";
import type { Database, JsonValue } from "./schema-types.js";
import { taskScope, type TaskScope } from "./task-scope.js";

export type CachedLight = "green" | "yellow" | "red" | "grey";

/** Advisory lock class for light refreshes ("lite" in ASCII); the organisation is the other key. */
const LIGHT_REFRESH_LOCK = 0x6c697465;

/** What a remembered light is valid for. */
export interface LightKey {
  /** The bureau day, YYYY-MM-DD. */
  day: string;
  /** Identifies the light settings (due-soon window, lag margin, calendar). */
  settingsKey: string;
}

export interface ComputedLight {
  taskId: number;
  /** The version the light was computed from: a later edit makes the row stale by itself. */
  taskVersion: number;
  light: CachedLight;
  reasons: JsonValue;
}

/**
 * Live tasks in the scope (ids above `afterId`, and changed at or after `changedSince` when given)
 * whose remembered light is missing or no longer holds, by id.
 */
export async function staleLightTaskIds(
  db: Kysely<Database>,
  scope: TaskScope,
  key: LightKey,
  limit: number,
  afterId = 0,
  changedSince?: Date,
): Promise<number[]> {
  const rows = await db
    .selectFrom("tasks")
    .leftJoin("task_lights", "task_lights.task_id", "tasks.id")
    .select("tasks.id")
    .where("tasks.id", ">", afterId)
    .$if(changedSince !== undefined, (qb) => qb.where("tasks.updated_at", ">=", changedSince ?? new Date(0)))
    .where((eb) => taskScope(eb, scope))
    .where((eb) =>
      eb.or([
        eb("task_lights.task_id", "is", null),
        eb("task_lights.task_version", "<>", eb.ref("tasks.version")),
        eb("task_lights.day", "<>", key.day),
        eb("task_lights.settings_key", "<>", key.settingsKey),
      ]),
    )
    .orderBy("tasks.id")
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Refreshes of one organisation's lights take turns (a transaction-level advisory lock). */
export async function lockLightRefresh(trx: Kysely<Database>, organisationId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LIGHT_REFRESH_LOCK}, ${organisationId})`.execute(trx);
}

/**
 * When the organisation's lights were last all refreshed for this day and settings: tasks changed
 * before then are remembered correctly. Undefined when they never were (today, with these settings).
 */
export async function lastLightRefresh(db: Kysely<Database>, organisationId: number, key: LightKey): Promise<Date | undefined> {
  const row = await db
    .selectFrom("light_refreshes")
    .select("since")
    .where("organisation_id", "=", organisationId)
    .where("settings_key", "=", key.settingsKey)
    .where("day", "=", key.day)
    .executeTakeFirst();
  return row?.since;
}

/**
 * The instant a refresh starting now may later say it covered: the database's clock (the one
 * updated_at is written with), less a margin for transactions that began before and commit after.
 */
export async function refreshHorizon(db: Kysely<Database>): Promise<Date> {
  const row = await sql<{ since: Date }>`select clock_timestamp() - interval '5 minutes' as since`.execute(db);
  const since = row.rows[0]?.since;
  if (!since) throw new Error("the database did not tell its time");
  return new Date(since);
}

export async function markLightsRefreshed(db: Kysely<Database>, organisationId: number, key: LightKey, since: Date): Promise<void> {
  await db
    .insertInto("light_refreshes")
    .values({ organisation_id: organisationId, settings_key: key.settingsKey, day: key.day, since })
    .onConflict((conflict) => conflict.columns(["organisation_id", "settings_key"]).doUpdateSet({ day: key.day, since }))
    .execute();
}

/** Remembers computed lights (one statement); a row already there is replaced. */
export async function saveLights(db: Kysely<Database>, organisationId: number, key: LightKey, lights: readonly ComputedLight[]): Promise<void> {
  if (lights.length === 0) return;
  await db
    .insertInto("task_lights")
    .values(
      lights.map((entry) => ({
        task_id: entry.taskId,
        organisation_id: organisationId,
        task_version: entry.taskVersion,
        day: key.day,
        settings_key: key.settingsKey,
        light: entry.light,
        reasons: JSON.stringify(entry.reasons),
      })),
    )
    .onConflict((conflict) =>
      conflict.column("task_id").doUpdateSet((eb) => ({
        task_version: eb.ref("excluded.task_version"),
        day: eb.ref("excluded.day"),
        settings_key: eb.ref("excluded.settings_key"),
        light: eb.ref("excluded.light"),
        reasons: eb.ref("excluded.reasons"),
        computed_at: sql<Date>`now()`,
      })),
    )
    .execute();
}
