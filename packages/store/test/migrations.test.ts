import { createTask, transition, type Action, type Actor, type TaskState } from "@taizhang/core";
import { sql, type Kysely } from "kysely";
import { expect, test } from "vitest";
import {
  MIGRATIONS,
  StoreError,
  appliedMigrations,
  createUser,
  getTask,
  importPlan,
  migrate,
  writeAudit,
  type Database,
  type JsonValue,
  type ReportStatus,
} from "../src/index.js";
import { describeEngines } from "./engines.js";
import { loadSeed, seedBureau } from "./seeds.js";

const SEED = loadSeed("002");

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

// 0003 gives the workflow's facts columns and fills them from the events the server wrote to
// audit_log before it had them. The events here are core's own, written as the server wrote them
// (action = event type, entity 'tasks', after = the event as JSON), each action in its
// transaction, a report inserted beside its report.submitted event.
describeEngines("migration 0003-workflow-facts", (context) => {
  /** Applies the migrations up to and including `last`, as `migrate` would have then. */
  async function migrateTo(db: Kysely<Database>, last: string): Promise<void> {
    await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(db);
    for (const migration of MIGRATIONS) {
      await db.transaction().execute(async (trx) => {
        await migration.up(trx);
        await trx.insertInto("schema_migrations").values({ name: migration.name }).execute();
      });
      if (migration.name === last) return;
    }
  }

  test("adds the columns, nullable (tasks) and false by default (reports)", async () => {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>`
      select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
      where table_schema = 'public' and ((table_name = 'tasks' and column_name in ('dispatched_at', 'signed_at', 'closed_at', 'stopped_at', 'stop_reason'))
        or (table_name = 'reports' and column_name = 'final'))
      order by table_name, column_name`.execute(context.db);
    expect(columns.rows).toEqual([
      { table_name: "reports", column_name: "final", data_type: "boolean", is_nullable: "NO", column_default: "false" },
      ...["closed_at", "dispatched_at", "signed_at"].map((name) => ({ table_name: "tasks", column_name: name, data_type: "timestamp with time zone", is_nullable: "YES", column_default: null })),
      { table_name: "tasks", column_name: "stop_reason", data_type: "text", is_nullable: "YES", column_default: null },
      { table_name: "tasks", column_name: "stopped_at", data_type: "timestamp with time zone", is_nullable: "YES", column_default: null },
    ]);
  });

  test("fills them from the workflow events of a database used before", async () => {
    const [handle] = await context.emptyDatabase();
    if (!handle) throw new Error("no database");
    const { db } = handle;
    await migrateTo(db, "0002-sessions");
    expect(await appliedMigrations(db)).toEqual(["0001-initial", "0002-sessions"]);

    const bureau = await seedBureau(db);
    const plan = SEED.plans[0];
    if (!plan) throw new Error("seed has no plan");
    await importPlan(db, { organisationId: bureau.organisationId, plan, sourceText: SEED.text, sourceBytesHash: SEED.hash, format: "text", actorId: bureau.admin.id });
    const ids = (await db.selectFrom("tasks").select("id").orderBy("id").execute()).map((row) => row.id);
    const [closedId, stoppedId, untouchedId, pendingId] = ids;
    if (closedId === undefined || stoppedId === undefined || untouchedId === undefined || pendingId === undefined) throw new Error("too few tasks");
    const unit = bureau.units.get("市教育局")?.id;
    if (unit === undefined) throw new Error("no unit");
    const reporter = await createUser(db, { organisationId: bureau.organisationId, unitId: unit, login: "reporter", displayName: "报送员", passwordHash: "scrypt$x", role: "reporter", actorId: null });
    const office: Actor = { role: "admin", unitIds: [] };
    const lead: Actor = { role: "reporter", unitIds: [String(unit)] };

    /** Runs core's transition and writes what the server wrote, in one transaction; returns the new state. */
    async function act(state: TaskState, action: Action, actor: Actor, at: string, report?: { status: ReportStatus; key: string }): Promise<TaskState> {
      const outcome = transition(state, action, actor, new Date(at));
      if (!outcome.ok) throw new Error(`workflow refused ${action.type}: ${outcome.error.code}`);
      const taskId = Number(state.id);
      await db.transaction().execute(async (trx) => {
        if (report && action.type === "submit_report") {
          const inserted = await trx
            .insertInto("reports")
            .values({ task_id: taskId, period: action.period, period_end: "2025-04-30", status: report.status, percent: 100, submitted_by: reporter.id, idempotency_key: report.key })
            .returning("id")
            .executeTakeFirstOrThrow();
          await writeAudit(trx, { organisationId: bureau.organisationId, actorId: reporter.id, action: "report.submit", entity: "reports", entityId: inserted.id, after: { taskId, period: action.period } });
          await trx.updateTable("reports").set({ submitted_at: new Date(at) }).where("id", "=", inserted.id).execute();
        }
        await trx.updateTable("tasks").set({ status: outcome.task.status, version: outcome.task.version }).where("id", "=", taskId).execute();
        for (const event of outcome.events) {
          await writeAudit(trx, { organisationId: bureau.organisationId, actorId: bureau.admin.id, action: event.type, entity: "tasks", entityId: taskId, after: JSON.parse(JSON.stringify(event)) as JsonValue });
        }
      });
      return outcome.task;
    }

    let closed = createTask({ id: String(closedId), leadUnitId: String(unit) });
    closed = await act(closed, { type: "dispatch", expectedVersion: closed.version, dueDate: "2025-12-31" }, office, "2025-03-03T01:00:00.000Z");
    closed = await act(closed, { type: "sign", expectedVersion: closed.version }, lead, "2025-03-04T02:00:00.000Z");
    closed = await act(closed, { type: "start", expectedVersion: closed.version }, lead, "2025-03-05T02:00:00.000Z");
    closed = await act(closed, { type: "submit_report", expectedVersion: closed.version, period: "2025-04", final: true }, lead, "2025-04-28T03:00:00.000Z", { status: "已完成", key: "final" });
    closed = await act(closed, { type: "close", expectedVersion: closed.version }, office, "2025-04-30T04:00:00.000Z");

    let stopped = createTask({ id: String(stoppedId), leadUnitId: String(unit) });
    stopped = await act(stopped, { type: "dispatch", expectedVersion: stopped.version }, office, "2025-03-03T01:00:00.000Z");
    stopped = await act(stopped, { type: "stop", expectedVersion: stopped.version, reason: " 上级文件已废止 " }, office, "2025-03-10T05:00:00.000Z");

    // A progress report, then one filed as final whose status says otherwise: the event decides.
    let pending = createTask({ id: String(pendingId), leadUnitId: String(unit) });
    pending = await act(pending, { type: "dispatch", expectedVersion: pending.version }, office, "2025-03-03T01:00:00.000Z");
    pending = await act(pending, { type: "sign", expectedVersion: pending.version }, lead, "2025-03-04T01:00:00.000Z");
    pending = await act(pending, { type: "start", expectedVersion: pending.version }, lead, "2025-03-05T01:00:00.000Z");
    pending = await act(pending, { type: "submit_report", expectedVersion: pending.version, period: "2025-03" }, lead, "2025-03-28T03:00:00.000Z", { status: "正常推进", key: "progress" });
    pending = await act(pending, { type: "accept_report", expectedVersion: pending.version, period: "2025-03" }, office, "2025-03-29T03:00:00.000Z");
    pending = await act(pending, { type: "submit_report", expectedVersion: pending.version, period: "2025-04", final: true }, lead, "2025-04-28T03:00:00.000Z", { status: "正常推进", key: "odd-final" });
    // A report with no event beside it (written by hand): final by its status, as the server read it.
    await db.insertInto("reports").values({ task_id: untouchedId, period: "2025-05", period_end: "2025-05-31", status: "已完成", percent: 100, submitted_by: reporter.id, idempotency_key: "by-hand" }).execute();

    expect(await migrate(db)).toEqual({ applied: ["0003-workflow-facts", "0004-light-cache", "0005-supervision"] });
    const tasks = await db
      .selectFrom("tasks")
      .select(["id", "dispatched_at", "signed_at", "closed_at", "stopped_at", "stop_reason"])
      .where("id", "in", [closedId, stoppedId, untouchedId, pendingId])
      .orderBy("id")
      .execute();
    const facts = (id: number) => tasks.find((row) => row.id === id);
    expect(facts(closedId)).toEqual({
      id: closedId,
      dispatched_at: new Date("2025-03-03T01:00:00.000Z"),
      signed_at: new Date("2025-03-04T02:00:00.000Z"),
      closed_at: new Date("2025-04-30T04:00:00.000Z"),
      stopped_at: null,
      stop_reason: null,
    });
    expect(facts(stoppedId)).toEqual({ id: stoppedId, dispatched_at: new Date("2025-03-03T01:00:00.000Z"), signed_at: null, closed_at: null, stopped_at: new Date("2025-03-10T05:00:00.000Z"), stop_reason: "上级文件已废止" });
    expect(facts(untouchedId)).toEqual({ id: untouchedId, dispatched_at: null, signed_at: null, closed_at: null, stopped_at: null, stop_reason: null });
    expect(facts(pendingId)?.dispatched_at).toEqual(new Date("2025-03-03T01:00:00.000Z"));

    const reports = await db.selectFrom("reports").select(["idempotency_key", "final"]).orderBy("id").execute();
    expect(reports).toEqual([
      { idempotency_key: "final", final: true },
      { idempotency_key: "progress", final: false },
      { idempotency_key: "odd-final", final: true },
      { idempotency_key: "by-hand", final: true },
    ]);
    // The task rows read back through the repositories with their history.
    const detail = await getTask(db, { organisationId: bureau.organisationId, taskId: closedId });
    expect(detail).toMatchObject({ status: "已办结", dispatchedAt: new Date("2025-03-03T01:00:00.000Z"), closedAt: new Date("2025-04-30T04:00:00.000Z"), stopReason: null });
  });
});
