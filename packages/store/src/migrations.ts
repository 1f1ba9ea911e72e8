// Brings a database up to the schema this code expects. Migrations are listed here in order (no
// folder scanning: a bundled or compiled app finds them the same way) and the pending ones run
// in one transaction under a transaction-level advisory lock, so two app instances starting at
// once on one PostgreSQL take turns: the second finds the work done and applies nothing.
import { sql, type Kysely, type QueryExecutorProvider } from "kysely";
import * as initial from "./migrations/0001-initial.js";
import * as sessions from "./migrations/0002-sessions.js";
import * as workflowFacts from "./migrations/0003-workflow-facts.js";
import * as lightCache from "./migrations/0004-light-cache.js";
import * as supervision from "./migrations/0005-supervision.js";
import { StoreError } from "./errors.js";
import type { Database } from "./schema-types.js";

export interface Migration {
  /** Sorts in the order it must run; recorded in schema_migrations once applied. */
  readonly name: string;
  /** Gets only a way to run SQL: a migration is plain SQL, frozen in time. */
  up(db: QueryExecutorProvider): Promise<void>;
}

/** Append-only: never edit or reorder a migration that has shipped; add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { name: "0001-initial", up: initial.up },
  { name: "0002-sessions", up: sessions.up },
  { name: "0003-workflow-facts", up: workflowFacts.up },
  { name: "0004-light-cache", up: lightCache.up },
  { name: "0005-supervision", up: supervision.up },
];

/** Advisory lock key for migrations: any constant of our own; "taiz" in ASCII. */
const MIGRATION_LOCK_KEY = 0x7461697a;

export interface MigrationResult {
  /** Names applied by this call, in order; empty when the database was up to date. */
  applied: string[];
}

export interface MigrateOptions {
  /** Stop after this migration (restoring a backup made by an older release); default: all. */
  through?: string;
}

export async function migrate(db: Kysely<Database>, options: MigrateOptions = {}): Promise<MigrationResult> {
  const last = options.through === undefined ? MIGRATIONS.length - 1 : MIGRATIONS.findIndex((migration) => migration.name === options.through);
  if (last < 0) throw new StoreError("DATABASE_TOO_NEW", { detail: options.through ?? "" });
  // One transaction under the lock for every pending migration: an instance starting at the same
  // time waits, then finds them all applied (never a share of them), and a failure leaves the
  // database as it was before this call.
  let current = "";
  try {
    const applied = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      await sql`create table if not exists schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`.execute(trx);
      const done = await trx.selectFrom("schema_migrations").select("name").execute();
      const names = new Set(done.map((row) => row.name));
      refuseUnknownMigrations(names);
      const ran: string[] = [];
      for (const migration of MIGRATIONS.slice(0, last + 1)) {
        if (names.has(migration.name)) continue;
        current = migration.name;
        await migration.up(trx);
        await trx.insertInto("schema_migrations").values({ name: migration.name }).execute();
        ran.push(migration.name);
      }
      return ran;
    });
    return { applied };
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError("MIGRATION_FAILED", { detail: current, cause: error });
  }
}

/** Names of the migrations recorded in the database, in order. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const exists = await sql<{ found: string | null }>`select to_regclass('schema_migrations')::text as found`.execute(db);
  if (!exists.rows[0]?.found) return [];
  const rows = await db.selectFrom("schema_migrations").select("name").orderBy("name").execute();
  return rows.map((row) => row.name);
}

// A database migrated by a newer release has tables this code does not know how to keep
// consistent; opening it would risk writing half-understood rows.
function refuseUnknownMigrations(names: Set<string>): void {
  const known = new Set(MIGRATIONS.map((migration) => migration.name));
  const unknown = [...names].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new StoreError("DATABASE_TOO_NEW", { detail: unknown.join("、") });
}
