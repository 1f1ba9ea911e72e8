import { sql } from "kysely";
import { expect, test } from "vitest";
import { StoreError, applyWorkflow, archivePlan, getTask, importPlan, listAudit, listTasks, loadWorkflowTasks, updateTask, type Database } from "../src/index.js";
import { describeEngines } from "./engines.js";
import { loadSeed, seedBureau } from "./seeds.js";

const SEED = loadSeed("002");

describeEngines("tasks", (context) => {
  async function importedTask() {
    const bureau = await seedBureau(context.db);
    const plan = SEED.plans[0];
    if (!plan) throw new Error("seed has no plan");
    const imported = await importPlan(context.db, { organisationId: bureau.organisationId, plan, sourceText: SEED.text, sourceBytesHash: SEED.hash, format: "text", actorId: bureau.admin.id });
    const [task] = await listTasks(context.db, { organisationId: bureau.organisationId });
    if (!task) throw new Error("no task imported");
    return { bureau, imported, task };
  }

  test("an edit with the version read bumps the version; a stale one is a conflict and changes nothing", async () => {
    const { db } = context;
    const { bureau, task } = await importedTask();
    const unitId = bureau.units.get("市教育局")?.id ?? null;
    const updated = await updateTask(db, {
      organisationId: bureau.organisationId,
      taskId: task.id,
      version: task.version,
      changes: { status: "已交办", leadUnitId: unitId, dueDate: "2023-12-31" },
      actorId: bureau.admin.id,
      action: "task.assign",
    });
    expect(updated).toMatchObject({ status: "已交办", leadUnitId: unitId, dueDate: "2023-12-31", version: task.version + 1 });

    const stale = await updateTask(db, { organisationId: bureau.organisationId, taskId: task.id, version: task.version, changes: { status: "中止" }, actorId: bureau.admin.id }).catch((error: unknown) => error);
    expect((stale as StoreError).code).toBe("TASK_VERSION_CONFLICT");
    expect((await getTask(db, { organisationId: bureau.organisationId, taskId: task.id }))?.status).toBe("已交办");

    const trail = await listAudit(db, { entity: "tasks", entityId: task.id });
    expect(trail.map((entry) => [entry.action, entry.before, entry.after])).toEqual([
      [
        "task.assign",
        { status: "待交办", dueDate: task.dueDate, leadUnitId: null, title: task.title, version: 1 },
        { status: "已交办", dueDate: "2023-12-31", leadUnitId: unitId, title: task.title, version: 2 },
      ],
    ]);
  });

  test("two editors with the same version at once: exactly one wins", async () => {
    const { db } = context;
    const { bureau, task } = await importedTask();
    const attempts = await Promise.allSettled(
      (["已交办", "中止"] as const).map((status) => updateTask(db, { organisationId: bureau.organisationId, taskId: task.id, version: task.version, changes: { status }, actorId: bureau.admin.id })),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(1);
    const rejected = attempts.find((attempt): attempt is PromiseRejectedResult => attempt.status === "rejected");
    expect((rejected?.reason as StoreError).code).toBe("TASK_VERSION_CONFLICT");
    expect((await getTask(db, { organisationId: bureau.organisationId, taskId: task.id }))?.version).toBe(task.version + 1);
  });

  test("applyWorkflow writes the workflow's facts with the status, its audit row and the events' rows, in one go", async () => {
    const { db } = context;
    const { bureau, task } = await importedTask();
    const unitId = bureau.units.get("市教育局")?.id ?? null;
    expect(task).toMatchObject({ dispatchedAt: null, signedAt: null, closedAt: null, stoppedAt: null, stopReason: null });
    const at = new Date("2025-03-03T01:00:00.000Z");
    const row = await applyWorkflow(db, {
      organisationId: bureau.organisationId,
      taskId: task.id,
      version: task.version,
      actorId: bureau.admin.id,
      at,
      action: "task.dispatch",
      changes: { status: "已交办", leadUnitId: unitId, dispatchedAt: at },
      effects: [],
      events: [{ type: "task.dispatched", detail: { type: "task.dispatched", at: at.toISOString() } }],
    });
    expect(row).toMatchObject({ status: "已交办", leadUnitId: unitId, dispatchedAt: at, version: task.version + 1 });
    const stoppedAt = new Date("2025-03-10T05:00:00.000Z");
    await applyWorkflow(db, {
      organisationId: bureau.organisationId,
      taskId: task.id,
      version: row.version,
      actorId: bureau.admin.id,
      at: stoppedAt,
      action: "task.stop",
      changes: { status: "中止", stoppedAt, stopReason: "上级文件已废止" },
      effects: [],
      events: [{ type: "task.stopped", detail: { type: "task.stopped", reason: "上级文件已废止" } }],
    });
    const detail = await getTask(db, { organisationId: bureau.organisationId, taskId: task.id });
    expect(detail).toMatchObject({ status: "中止", dispatchedAt: at, signedAt: null, closedAt: null, stoppedAt, stopReason: "上级文件已废止", version: task.version + 2 });
    expect((await loadWorkflowTasks(db, bureau.organisationId, [task.id])).get(task.id)).toMatchObject({ status: "中止", dispatchedAt: at, stoppedAt, stopReason: "上级文件已废止" });
    const trail = await listAudit(db, { entity: "tasks", entityId: task.id });
    expect(trail.map((entry) => entry.action)).toEqual(["task.dispatch", "task.dispatched", "task.stop", "task.stopped"]);
    expect(trail[2]?.after).toMatchObject({ status: "中止", stoppedAt: stoppedAt.toISOString(), stopReason: "上级文件已废止" });

    // A stale version changes nothing, not even the events' rows.
    const stale = await applyWorkflow(db, {
      organisationId: bureau.organisationId,
      taskId: task.id,
      version: row.version,
      actorId: bureau.admin.id,
      at,
      action: "task.close",
      changes: { status: "已办结", closedAt: at },
      effects: [],
      events: [{ type: "task.closed", detail: {} }],
    }).catch((error: unknown) => error);
    expect((stale as StoreError).code).toBe("TASK_VERSION_CONFLICT");
    expect(await listAudit(db, { entity: "tasks", entityId: task.id })).toHaveLength(4);
  });

  test("another organisation's task is not found, even with its id", async () => {
    const { db } = context;
    const { task } = await importedTask();
    const other = await seedBureau(db, "另一个教育局");
    expect(await getTask(db, { organisationId: other.organisationId, taskId: task.id })).toBeUndefined();
    const error = await updateTask(db, { organisationId: other.organisationId, taskId: task.id, version: task.version, changes: { status: "中止" }, actorId: other.admin.id }).catch((caught: unknown) => caught);
    expect((error as StoreError).code).toBe("TASK_NOT_FOUND");
    expect(await listTasks(db, { organisationId: other.organisationId })).toEqual([]);
  });

  test("the ledger filters by status and pages", async () => {
    const { db } = context;
    const { bureau, imported, task } = await importedTask();
    await updateTask(db, { organisationId: bureau.organisationId, taskId: task.id, version: task.version, changes: { status: "办理中" }, actorId: null });
    const doing = await listTasks(db, { organisationId: bureau.organisationId, status: "办理中" });
    expect(doing.map((row) => row.id)).toEqual([task.id]);
    const page = await listTasks(db, { organisationId: bureau.organisationId, limit: 5, offset: 5 });
    const all = await listTasks(db, { organisationId: bureau.organisationId });
    expect(all).toHaveLength(imported.tasks);
    expect(page.map((row) => row.id)).toEqual(all.slice(5, 10).map((row) => row.id));
  });

  test("nothing is hard-deleted: DELETE is refused on every table, the audit log refuses UPDATE", async () => {
    const { db } = context;
    const { bureau, imported } = await importedTask();
    const tables: (keyof Database)[] = [
      "organisations", "units", "users", "plans", "plan_versions", "sections", "tasks", "task_units", "milestones", "kpis",
      "cadences", "reports", "kpi_values", "evidence_blobs", "evidence", "comments", "extension_requests", "audit_log",
    ];
    for (const table of tables) {
      await expect(sql`delete from ${sql.table(table)}`.execute(db), table).rejects.toThrow(/不可删除|只能追加/);
    }
    await expect(sql`update audit_log set action = 'forged'`.execute(db)).rejects.toThrow("只能追加");
    expect((await db.selectFrom("tasks").select("id").execute()).length).toBe(imported.tasks);

    // Archiving is how a plan leaves the ledger: its rows stay, marked.
    await archivePlan(db, { organisationId: bureau.organisationId, planId: imported.planId, actorId: bureau.admin.id });
    expect(await listTasks(db, { organisationId: bureau.organisationId })).toEqual([]);
    const plan = await db.selectFrom("plans").select("deleted_at").where("id", "=", imported.planId).executeTakeFirstOrThrow();
    expect(plan.deleted_at).toBeInstanceOf(Date);
    expect((await db.selectFrom("tasks").select("id").execute()).length).toBe(imported.tasks);
    expect((await listAudit(db, { entity: "plans", entityId: imported.planId })).map((entry) => entry.action)).toEqual(["plan.import", "plan.archive"]);
  });
});
