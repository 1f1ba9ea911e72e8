import { expect, test } from "vitest";
import { StoreError, createUser, getTask, importPlan, isUniqueViolation, listReports, listTasks, submitReport, type SubmitReportInput } from "../src/index.js";
import { describeEngines } from "./engines.js";
import { loadSeed, seedBureau } from "./seeds.js";

const SEED = loadSeed("002");

describeEngines("reports", (context) => {
  async function reportable() {
    const { db } = context;
    const bureau = await seedBureau(db);
    const plan = SEED.plans[0];
    if (!plan) throw new Error("seed has no plan");
    await importPlan(db, { organisationId: bureau.organisationId, plan, sourceText: SEED.text, sourceBytesHash: SEED.hash, format: "text", actorId: bureau.admin.id });
    const rows = await listTasks(db, { organisationId: bureau.organisationId });
    const withKpi = rows.find((row) => row.kpiCount > 0);
    const task = withKpi && (await getTask(db, { organisationId: bureau.organisationId, taskId: withKpi.id }));
    if (!task) throw new Error("no task with a target");
    const unitId = task.units[0]?.unitId ?? null;
    const reporter = await createUser(db, { organisationId: bureau.organisationId, unitId, login: "reporter", displayName: "报送员", passwordHash: "scrypt$x", role: "reporter", actorId: bureau.admin.id });
    const input: SubmitReportInput = {
      organisationId: bureau.organisationId,
      taskId: task.id,
      period: "2023-07",
      periodEnd: "2023-07-31",
      status: "正常推进",
      percent: 40,
      narrative: "已完成体育课时调整",
      kpiValues: [{ kpiId: task.kpis[0]?.id ?? 0, value: 60 }],
      submittedBy: reporter.id,
      idempotencyKey: "7f1c1c8e-retry-me",
    };
    return { bureau, task, reporter, input };
  }

  test("a retried submission returns the first report instead of adding one", async () => {
    const { db } = context;
    const { bureau, task, input } = await reportable();
    const first = await submitReport(db, input);
    const retry = await submitReport(db, { ...input, percent: 41 });
    expect(first.created).toBe(true);
    expect(retry).toEqual({ report: first.report, created: false });
    const concurrent = await Promise.all([1, 2, 3].map(() => submitReport(db, { ...input, idempotencyKey: "same-at-once" })));
    expect(concurrent.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(concurrent.map((result) => result.report.id)).size).toBe(1);
    const reports = await listReports(db, { organisationId: bureau.organisationId, taskId: task.id });
    expect(reports).toHaveLength(2);
    const values = await db.selectFrom("kpi_values").select(["report_id", "kpi_id", "value"]).where("report_id", "=", first.report.id).execute();
    expect(values).toEqual([{ report_id: first.report.id, kpi_id: task.kpis[0]?.id, value: 60 }]);
  });

  test("the idempotency key is unique per submitter in the database itself", async () => {
    const { db } = context;
    const { bureau, task, reporter, input } = await reportable();
    const row = { task_id: task.id, period: "2023-08", period_end: "2023-08-31", status: "正常推进" as const, percent: 50, submitted_by: reporter.id, idempotency_key: "raw-key" };
    await db.insertInto("reports").values(row).execute();
    const duplicate = await db.insertInto("reports").values(row).execute().catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate, "reports_idempotency_key")).toBe(true);
    // Another user's report under the same key is a different report: keys never cross users.
    const other = await createUser(db, { organisationId: bureau.organisationId, unitId: reporter.unitId, login: "reporter2", displayName: "报送员二", passwordHash: "scrypt$y", role: "reporter", actorId: null });
    const mine = await submitReport(db, { ...input, idempotencyKey: "raw-key" });
    const theirs = await submitReport(db, { ...input, idempotencyKey: "raw-key", submittedBy: other.id });
    expect(theirs.created).toBe(true);
    expect(theirs.report.id).not.toBe(mine.report.id);
  });

  test("submittedAt (the app's clock) and final are stored as given; by default the database's clock and not final", async () => {
    const { db } = context;
    const { bureau, task, input } = await reportable();
    const at = new Date("2023-07-28T02:30:00.000Z");
    const final = await submitReport(db, { ...input, idempotencyKey: "final", status: "已完成", percent: 100, submittedAt: at, final: true });
    expect(final.report).toMatchObject({ submittedAt: at, final: true, status: "已完成" });
    const before = Date.now();
    const plain = await submitReport(db, { ...input, idempotencyKey: "plain" });
    expect(plain.report.final).toBe(false);
    expect(Math.abs(plain.report.submittedAt.getTime() - before)).toBeLessThan(60_000);
    // A retry returns what the first one stored, whatever it says this time.
    const retry = await submitReport(db, { ...input, idempotencyKey: "final", submittedAt: new Date(), final: false });
    expect(retry).toEqual({ report: final.report, created: false });
    const listed = await listReports(db, { organisationId: bureau.organisationId, taskId: task.id });
    expect(listed.map((report) => [report.submittedAt, report.final])).toEqual([
      [at, true],
      [plain.report.submittedAt, false],
    ]);
  });

  test("a KPI of another task and a task of another organisation are refused", async () => {
    const { db } = context;
    const { input } = await reportable();
    const wrongKpi = await submitReport(db, { ...input, idempotencyKey: "k2", kpiValues: [{ kpiId: 999_999, value: 1 }] }).catch((error: unknown) => error);
    expect((wrongKpi as StoreError).code).toBe("KPI_NOT_FOUND");
    const other = await seedBureau(db, "另一个教育局");
    const wrongOrg = await submitReport(db, { ...input, idempotencyKey: "k3", organisationId: other.organisationId }).catch((error: unknown) => error);
    expect((wrongOrg as StoreError).code).toBe("TASK_NOT_FOUND");
    expect(await db.selectFrom("reports").select("id").execute()).toEqual([]);
  });
});
