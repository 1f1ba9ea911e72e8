import { sql } from "kysely";
import { expect, test } from "vitest";
import { MIGRATIONS, StoreError, appliedMigrations, migrate } from "../src/index.js";
import { describeEngines } from "./engines.js";

const ALL = MIGRATIONS.map((migration) => migration.name);

describeEngines("migrations", (context) => {
  test("apply in order on an empty database, then a second run applies nothing", async () => {
    const [handle] = await context.emptyDatabase();
    if (!handle) throw new Error("no database");
    expect(await appliedMigrations(handle.db)).toEqual([]);
    expect(await migrate(handle.db)).toEqual({ applied: ALL });
    expect(await appliedMigrations(handle.db)).toEqual(ALL);
    expect(await migrate(handle.db)).toEqual({ applied: [] });
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(handle.db);
    expect(tables.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(["organisations", "units", "users", "plans", "plan_versions", "sections", "tasks", "task_units", "milestones", "kpis", "cadences", "reports", "kpi_values", "evidence_blobs", "evidence", "comments", "extension_requests", "audit_log", "schema_migrations"]),
    );
  });

  test("two instances migrating at once: one applies, the other finds it done", async () => {
    const [first, second] = await context.emptyDatabase(2);
    if (!first || !second) throw new Error("no database");
    const results = await Promise.all([migrate(first.db), migrate(second.db)]);
    expect(results.map((result) => result.applied).sort()).toEqual([[], ALL]);
    const rows = await sql<{ count: number }>`select count(*) as count from schema_migrations`.execute(first.db);
    expect(rows.rows[0]?.count).toBe(ALL.length);
  });

  test("a database migrated by a newer release is refused, untouched", async () => {
    const [handle] = await context.emptyDatabase();
    if (!handle) throw new Error("no database");
    await migrate(handle.db);
    await handle.db.insertInto("schema_migrations").values({ name: "9999-from-the-future" }).execute();
    const error = await migrate(handle.db).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("DATABASE_TOO_NEW");
  });

  test("a failing migration leaves nothing behind and says which one", async () => {
    const [handle] = await context.emptyDatabase();
    if (!handle) throw new Error("no database");
    // Make 0001 fail half-way: a table it creates later already exists.
    await sql`create table comments (id integer)`.execute(handle.db);
    const error = await migrate(handle.db).catch((caught: unknown) => caught);
    expect((error as StoreError).code).toBe("MIGRATION_FAILED");
    expect((error as StoreError).message).toContain("0001-initial");
    const tasks = await sql<{ found: string | null }>`select to_regclass('tasks')::text as found`.execute(handle.db);
    expect(tasks.rows[0]?.found).toBeNull();
    expect(await appliedMigrations(handle.db)).toEqual([]);
  });
});
