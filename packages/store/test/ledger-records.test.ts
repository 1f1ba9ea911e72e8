// The records around a task: its 报送周期 (the plan's default and its own), its co-units, its
// supporting files (stored once per content) and the comments on it. Every change writes its
// audit row; nothing is deleted, only marked.
import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import {
  StoreError,
  addComment,
  addEvidence,
  createUser,
  evidenceLinkProblems,
  getEvidence,
  getPlanCadence,
  getTask,
  importPlan,
  inTransaction,
  listAudit,
  listComments,
  listEvidence,
  listReportDetails,
  listTasks,
  loadWorkflowTasks,
  readEvidenceBytes,
  replaceCoUnits,
  setPlanCadence,
  setTaskCadence,
  submitReport,
} from "../src/index.js";
import { describeEngines } from "./engines.js";
import { loadSeed, seedBureau } from "./seeds.js";

const SEED = loadSeed("002");

describeEngines("ledger records", (context) => {
  async function imported() {
    const { db } = context;
    const bureau = await seedBureau(db);
    const plan = SEED.plans[0];
    if (!plan) throw new Error("seed has no plan");
    const { planId } = await importPlan(db, { organisationId: bureau.organisationId, plan, sourceText: SEED.text, sourceBytesHash: SEED.hash, format: "text", actorId: bureau.admin.id });
    const rows = await listTasks(db, { organisationId: bureau.organisationId });
    const withKpi = rows.find((row) => row.kpiCount > 0);
    const [first, second] = rows;
    if (!withKpi || !first || !second) throw new Error("the seed should give tasks, one with a target");
    const unit = (name: string): number => {
      const found = bureau.units.get(name);
      if (!found) throw new Error(`no unit ${name}`);
      return found.id;
    };
    return { db, bureau, organisationId: bureau.organisationId, planId, rows, withKpi, first, second, unit };
  }

  async function cadenceOf(organisationId: number, taskId: number) {
    return (await loadWorkflowTasks(context.db, organisationId, [taskId])).get(taskId)?.cadence;
  }

  test("the plan's cadence applies to its tasks, a task's own wins, and setting either moves the versions", async () => {
    const { db, bureau, organisationId, planId, rows, first, second } = await imported();
    expect(await getPlanCadence(db, { organisationId, planId })).toBeNull();

    const set = await setPlanCadence(db, { organisationId, planId, cadence: { kind: "monthly", customDates: ["2025-01-01"] }, actorId: bureau.admin.id });
    expect(set).toEqual({ kind: "monthly", customDates: [] });
    expect(await cadenceOf(organisationId, first.id)).toEqual({ kind: "monthly", customDates: [] });
    // Every task of the plan has a new version: whatever remembered its light must look again.
    const after = await listTasks(db, { organisationId });
    expect(after.map((row) => row.version)).toEqual(rows.map((row) => row.version + 1));

    const own = await setTaskCadence(db, { organisationId, taskId: first.id, version: first.version + 1, cadence: { kind: "custom", customDates: ["2025-06-30", "2025-03-31", "2025-06-30"] }, actorId: bureau.admin.id });
    expect(own.version).toBe(first.version + 2);
    expect(await cadenceOf(organisationId, first.id)).toEqual({ kind: "custom", customDates: ["2025-03-31", "2025-06-30"] });
    expect(await cadenceOf(organisationId, second.id)).toEqual({ kind: "monthly", customDates: [] });

    // A new plan default does not override the task's own.
    await setPlanCadence(db, { organisationId, planId, cadence: { kind: "quarterly", customDates: [] }, actorId: bureau.admin.id });
    expect(await cadenceOf(organisationId, first.id)).toMatchObject({ kind: "custom" });
    expect(await cadenceOf(organisationId, second.id)).toEqual({ kind: "quarterly", customDates: [] });

    // A stale version changes nothing; null hands the task back to its plan.
    const stale = await setTaskCadence(db, { organisationId, taskId: first.id, version: first.version, cadence: null, actorId: bureau.admin.id }).catch((error: unknown) => error);
    expect((stale as StoreError).code).toBe("TASK_VERSION_CONFLICT");
    expect(await cadenceOf(organisationId, first.id)).toMatchObject({ kind: "custom" });
    const current = (await getTask(db, { organisationId, taskId: first.id }))?.version ?? 0;
    await setTaskCadence(db, { organisationId, taskId: first.id, version: current, cadence: null, actorId: bureau.admin.id });
    expect(await cadenceOf(organisationId, first.id)).toEqual({ kind: "quarterly", customDates: [] });

    // Replaced rows are kept, marked deleted; at most one is in force per plan and per task.
    const kept = await db.selectFrom("cadences").select(["plan_id", "task_id", "kind", "deleted_at"]).orderBy("id").execute();
    expect(kept.map((row) => [row.plan_id === null ? "task" : "plan", row.kind, row.deleted_at === null ? "in force" : "replaced"])).toEqual([
      ["plan", "monthly", "replaced"],
      ["task", "custom", "replaced"],
      ["plan", "quarterly", "in force"],
    ]);

    const planTrail = await listAudit(db, { entity: "plans", entityId: planId });
    expect(planTrail.filter((entry) => entry.action === "plan.cadence").map((entry) => [entry.before, entry.after])).toEqual([
      [{ cadence: null }, { cadence: { kind: "monthly" }, tasksUpdated: rows.length }],
      [{ cadence: { kind: "monthly" } }, { cadence: { kind: "quarterly" }, tasksUpdated: rows.length }],
    ]);
    const taskTrail = await listAudit(db, { entity: "tasks", entityId: first.id });
    expect(taskTrail.filter((entry) => entry.action === "task.cadence").map((entry) => entry.after)).toEqual([
      { cadence: { kind: "custom", dates: ["2025-03-31", "2025-06-30"] }, version: first.version + 2 },
      { cadence: null, version: current + 1 },
    ]);
  });

  test("a plan of another organisation is not found, and nothing is written", async () => {
    const { db, planId } = await imported();
    const other = await seedBureau(db, "另一个教育局");
    const refused = await setPlanCadence(db, { organisationId: other.organisationId, planId, cadence: { kind: "weekly", customDates: [] }, actorId: other.admin.id }).catch((error: unknown) => error);
    expect((refused as StoreError).code).toBe("PLAN_NOT_FOUND");
    expect(await db.selectFrom("cadences").select("id").execute()).toEqual([]);
  });

  test("replacing co-units keeps the lead and unmatched names, marks the others deleted, adds by hand; an unknown unit changes nothing", async () => {
    const { db, bureau, organisationId, first, unit } = await imported();
    const lead = unit("市教育局");
    const basic = unit("基础教育科");
    const counties = unit("县市区政府");
    await inTransaction(db, async (trx) => {
      await trx.updateTable("tasks").set({ lead_unit_id: lead }).where("id", "=", first.id).execute();
      await replaceCoUnits(trx, { organisationId, taskId: first.id, unitIds: [basic, lead, basic], actorId: bureau.admin.id });
    });
    const named = async () => (await getTask(db, { organisationId, taskId: first.id }))?.unitRefs.filter((ref) => ref.unitId !== null).map((ref) => [ref.unitId, ref.role]);
    const once = await named();
    expect(once).toContainEqual([basic, "配合"]);
    expect(once?.filter(([unitId]) => unitId === basic)).toHaveLength(1);

    const unknown = await inTransaction(db, (trx) => replaceCoUnits(trx, { organisationId, taskId: first.id, unitIds: [counties, 99_999_999], actorId: bureau.admin.id })).catch((error: unknown) => error);
    expect((unknown as StoreError).code).toBe("UNIT_NOT_FOUND");
    expect(await named()).toEqual(once);

    await inTransaction(db, (trx) => replaceCoUnits(trx, { organisationId, taskId: first.id, unitIds: [counties], actorId: bureau.admin.id }));
    const twice = await named();
    expect(twice).toContainEqual([counties, "配合"]);
    expect(twice?.map(([unitId]) => unitId)).not.toContain(basic);
    const rows = await db.selectFrom("task_units").select(["unit_id", "via", "deleted_at"]).where("task_id", "=", first.id).where("unit_id", "=", basic).execute();
    expect(rows).toEqual([{ unit_id: basic, via: "manual", deleted_at: expect.any(Date) }]);
    const trail = await listAudit(db, { entity: "tasks", entityId: first.id });
    expect(trail.filter((entry) => entry.action === "task.co-units").map((entry) => (entry.after as { coUnitIds: number[] }).coUnitIds)).toEqual([[basic], [counties]]);
  });

  test("the same file twice is one blob and two evidence rows; only the organisation reads them", async () => {
    const { db, bureau, organisationId, first, second } = await imported();
    const bytes = new TextEncoder().encode("会议纪要:已完成体育课时调整。");
    const hash = createHash("sha256").update(bytes).digest("hex");
    const one = await addEvidence(db, { organisationId, taskId: first.id, fileName: "纪要.txt", mime: "text/plain", bytes, uploadedBy: bureau.admin.id });
    const two = await addEvidence(db, { organisationId, taskId: second.id, fileName: "同一份.txt", mime: "text/plain", bytes, uploadedBy: bureau.admin.id });
    expect(one).toMatchObject({ taskId: first.id, reportId: null, hash, fileName: "纪要.txt", size: bytes.byteLength, mime: "text/plain", uploadedBy: bureau.admin.id });
    expect(two.hash).toBe(hash);
    expect(await db.selectFrom("evidence_blobs").select(["hash", "size"]).execute()).toEqual([{ hash, size: bytes.byteLength }]);
    expect(Buffer.from((await readEvidenceBytes(db, hash)) ?? []).toString("utf8")).toBe("会议纪要:已完成体育课时调整。");
    expect(await listEvidence(db, { organisationId, taskId: first.id })).toEqual([one]);
    expect(await getEvidence(db, { organisationId, evidenceId: one.id })).toEqual(one);

    const other = await seedBureau(db, "另一个教育局");
    expect(await getEvidence(db, { organisationId: other.organisationId, evidenceId: one.id })).toBeUndefined();
    expect(await listEvidence(db, { organisationId: other.organisationId, taskId: first.id })).toEqual([]);
    const foreign = await addEvidence(db, { organisationId: other.organisationId, taskId: first.id, fileName: "x", mime: "text/plain", bytes, uploadedBy: other.admin.id }).catch((error: unknown) => error);
    expect((foreign as StoreError).code).toBe("TASK_NOT_FOUND");

    const trail = await listAudit(db, { entity: "evidence", entityId: two.id });
    expect(trail.map((entry) => [entry.action, entry.after])).toEqual([["evidence.upload", { taskId: second.id, fileName: "同一份.txt", hash, size: bytes.byteLength, mime: "text/plain", stored: false }]]);
  });

  test("a report cites evidence of its task once; the detail lists its files and KPI values", async () => {
    const { db, bureau, organisationId, withKpi, first } = await imported();
    const task = await getTask(db, { organisationId, taskId: withKpi.id });
    const kpiId = task?.kpis[0]?.id ?? 0;
    const reporter = await createUser(db, { organisationId, unitId: bureau.units.get("市教育局")?.id ?? null, login: "reporter", displayName: "报送员", passwordHash: "scrypt$x", role: "reporter", actorId: null });
    const file = (name: string, taskId = withKpi.id) => addEvidence(db, { organisationId, taskId, fileName: name, mime: "application/pdf", bytes: new TextEncoder().encode(name), uploadedBy: reporter.id });
    const scan = await file("扫描件.pdf");
    const photo = await file("照片.pdf");
    const elsewhere = await file("别的任务.pdf", withKpi.id === first.id ? (await listTasks(db, { organisationId }))[1]?.id : first.id);

    expect(await evidenceLinkProblems(db, { taskId: withKpi.id, evidenceIds: [scan.id, elsewhere.id, 99_999_999] })).toEqual({ notInTask: [elsewhere.id, 99_999_999], linked: [] });
    const base = { organisationId, taskId: withKpi.id, periodEnd: "2025-03-31", status: "正常推进" as const, percent: 30, submittedBy: reporter.id };
    const { report } = await submitReport(db, { ...base, period: "2025-03", idempotencyKey: "k1", kpiValues: [{ kpiId, value: 42.5 }], evidenceIds: [scan.id, photo.id, scan.id] });
    expect(await evidenceLinkProblems(db, { taskId: withKpi.id, evidenceIds: [scan.id] })).toEqual({ notInTask: [], linked: [scan.id] });
    await submitReport(db, { ...base, period: "2025-04", periodEnd: "2025-04-30", idempotencyKey: "k2" });

    const details = await listReportDetails(db, { organisationId, taskId: withKpi.id });
    expect(details.map((detail) => [detail.period, detail.evidence, detail.kpiValues])).toEqual([
      ["2025-03", [scan, photo].map(({ id, fileName, size, mime }) => ({ id, fileName, size, mime })), [{ kpiId, value: 42.5 }]],
      ["2025-04", [], []],
    ]);
    const trail = await listAudit(db, { entity: "reports", entityId: report.id });
    expect(trail[0]?.after).toMatchObject({ evidenceIds: [scan.id, photo.id] });
    // Another organisation sees none of it.
    const other = await seedBureau(db, "另一个教育局");
    expect(await listReportDetails(db, { organisationId: other.organisationId, taskId: withKpi.id })).toEqual([]);
  });

  test("comments: oldest first with the author's name, about a report of the task or none; a report of another task is refused", async () => {
    const { db, bureau, organisationId, first, second } = await imported();
    const leader = await createUser(db, { organisationId, login: "leader", displayName: "分管领导", passwordHash: "scrypt$x", role: "leader", actorId: null });
    const { report } = await submitReport(db, { organisationId, taskId: second.id, period: "2025-03", periodEnd: "2025-03-31", status: "正常推进", percent: 10, submittedBy: bureau.admin.id, idempotencyKey: "c1" });

    const refused = await addComment(db, { organisationId, taskId: first.id, reportId: report.id, authorId: leader.id, body: "请抓紧" });
    expect(refused).toEqual({ ok: false, refusal: "report_not_in_task" });
    expect(await db.selectFrom("comments").select("id").execute()).toEqual([]);

    const one = await addComment(db, { organisationId, taskId: second.id, reportId: report.id, authorId: leader.id, body: "  请抓紧推进,月底前报结果。\n" });
    const two = await addComment(db, { organisationId, taskId: second.id, authorId: bureau.admin.id, body: "已转办。" });
    if (!one.ok || !two.ok) throw new Error("comments refused");
    expect(one.comment).toMatchObject({ taskId: second.id, reportId: report.id, authorId: leader.id, authorName: "分管领导", body: "请抓紧推进,月底前报结果。" });
    expect(await listComments(db, { organisationId, taskId: second.id })).toEqual([one.comment, two.comment]);
    expect(await listComments(db, { organisationId, taskId: first.id })).toEqual([]);
    const other = await seedBureau(db, "另一个教育局");
    expect(await listComments(db, { organisationId: other.organisationId, taskId: second.id })).toEqual([]);
    const foreign = await addComment(db, { organisationId: other.organisationId, taskId: second.id, authorId: other.admin.id, body: "x" }).catch((error: unknown) => error);
    expect((foreign as StoreError).code).toBe("TASK_NOT_FOUND");

    const trail = await listAudit(db, { entity: "comments", entityId: one.comment.id });
    expect(trail.map((entry) => [entry.action, entry.actorId, entry.after])).toEqual([["comment.add", leader.id, { taskId: second.id, reportId: report.id, body: "请抓紧推进,月底前报结果。" }]]);
  });
});
