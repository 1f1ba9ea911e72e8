import { expect, test } from "vitest";
import { StoreError, getPlan, getPlanSource, getTask, importPlan, listAudit, listTasks, type ImportPlanInput } from "../src/index.js";
import { describeEngines } from "./engines.js";
import { loadSeed, seedBureau, type Bureau, type Seed } from "./seeds.js";

const SEED_002 = loadSeed("002");
const SEED_004 = loadSeed("004");

/** A name or title as written may be broken across table lines in the source. */
function unbroken(text: string): string {
  return text.replace(/\s+/g, "");
}

function importInput(bureau: Bureau, seed: Seed, part = 0): ImportPlanInput {
  const plan = seed.plans[part];
  if (!plan) throw new Error("seed has no such plan");
  return { organisationId: bureau.organisationId, plan, sourceText: seed.text, sourceBytesHash: seed.hash, format: "text", actorId: bureau.admin.id };
}

describeEngines("importPlan", (context) => {
  test("stores every section, task, unit, milestone and target of seed 002, each at its place in the source", async () => {
    const { db } = context;
    const bureau = await seedBureau(db);
    const input = importInput(bureau, SEED_002);
    const plan = input.plan;
    const result = await importPlan(db, input);

    expect(result.version).toBe(1);
    expect(result.sections).toBe(plan.sections.length);
    expect(result.tasks).toBe(plan.tasks.length);
    expect(result.taskUnits).toBe(plan.tasks.reduce((sum, task) => sum + task.units.length, 0));
    expect(result.milestones).toBe(plan.tasks.reduce((sum, task) => sum + task.deadlines.length, 0));
    expect(result.kpis).toBe(plan.tasks.reduce((sum, task) => sum + task.targets.length, 0));
    expect(result.kpis).toBeGreaterThan(0);

    const source = await getPlanSource(db, { organisationId: bureau.organisationId, versionId: result.versionId });
    expect(source).toBe(SEED_002.text);
    const detail = await getPlan(db, { organisationId: bureau.organisationId, planId: result.planId });
    expect(detail?.current).toMatchObject({ title: plan.title, issuer: plan.issuer, docNumber: plan.doc_number, year: plan.year, date: plan.date, status: "草稿" });
    expect(detail?.sections.map((section) => [section.path, section.title, section.start, section.end])).toEqual(
      plan.sections.map((section) => [section.path, section.title, section.start, section.end]),
    );
    expect(detail?.taskCount).toBe(plan.tasks.length);

    const rows = await listTasks(db, { organisationId: bureau.organisationId, planId: result.planId });
    expect(rows.map((row) => row.path)).toEqual(plan.tasks.map((task) => task.path));
    for (const [index, row] of rows.entries()) {
      const task = plan.tasks[index];
      if (!task) throw new Error("task missing");
      const stored = await getTask(db, { organisationId: bureau.organisationId, taskId: row.id });
      expect(stored).toMatchObject({ number: task.number, title: task.title, measures: task.measures, start: task.start, end: task.end, line: task.line, status: "待交办", version: 1 });
      expect(unbroken(SEED_002.text.slice(stored?.titleStart, stored?.titleEnd))).toBe(unbroken(task.title));
      expect(stored?.sectionPath).toBe(task.path.split("/").slice(0, -1).join("/"));
      expect(stored?.unitRefs.map((ref) => [ref.name, ref.role, ref.start, ref.end])).toEqual(
        task.units.map((name) => {
          const ref = task.unit_refs.find((candidate) => candidate.name === name);
          return [name, "责任", ref?.start, ref?.end];
        }),
      );
      expect(stored?.kpis.map((kpi) => [kpi.quote, kpi.value, kpi.valueMax, kpi.unit, kpi.bound])).toEqual(
        task.targets.map((target) => [target.quote, target.value, target.value_max ?? null, target.unit, target.bound]),
      );
      for (const kpi of stored?.kpis ?? []) expect(SEED_002.text.slice(kpi.start ?? 0, kpi.end ?? 0)).toBe(kpi.quote);
      expect(stored?.milestones.map((milestone) => [milestone.dueDate, milestone.quote])).toEqual(task.deadlines.map((deadline) => [deadline.date, deadline.quote]));
    }
  });

  test("seed 004: lead units are 牵头 and targets are KPIs with a direction", async () => {
    const { db } = context;
    const bureau = await seedBureau(db, "某市教育局");
    const input = importInput(bureau, SEED_004);
    const result = await importPlan(db, input);
    const rows = await listTasks(db, { organisationId: bureau.organisationId, planId: result.planId });
    const withLead = input.plan.tasks.findIndex((task) => task.lead_units.length > 0);
    expect(withLead).toBeGreaterThanOrEqual(0);
    const leadTask = input.plan.tasks[withLead];
    const row = rows[withLead];
    expect(row?.units.filter((unit) => unit.role === "牵头").map((unit) => unit.name)).toEqual(leadTask?.lead_units);
    expect(row?.units.filter((unit) => unit.role === "配合").map((unit) => unit.name)).toEqual(leadTask?.units.filter((name) => !leadTask.lead_units.includes(name)));
    expect(result.kpis).toBe(input.plan.tasks.reduce((sum, task) => sum + task.targets.length, 0));
    const kpis = (await Promise.all(rows.map((task) => getTask(db, { organisationId: bureau.organisationId, taskId: task.id })))).flatMap((task) => task?.kpis ?? []);
    for (const kpi of kpis) expect(kpi.direction).toBe({ floor: "at_least", level: "at_least", ceiling: "at_most", range: "within" }[kpi.bound]);
  });

  test("unit names match the unit tree by exact name or alias; the rest stay as written", async () => {
    const { db } = context;
    const bureau = await seedBureau(db);
    const result = await importPlan(db, importInput(bureau, SEED_002));
    const rows = await listTasks(db, { organisationId: bureau.organisationId, planId: result.planId });
    const first = rows[0];
    // "市教育局" is a unit's name; "各县市区人民政府" is an alias of "县市区政府".
    expect(first?.units).toEqual([
      { unitId: bureau.units.get("市教育局")?.id, name: "市教育局", role: "责任" },
      { unitId: bureau.units.get("县市区政府")?.id, name: "各县市区人民政府", role: "责任" },
    ]);
    const named = new Set(SEED_002.plans[0]?.tasks.flatMap((task) => task.units));
    const known = new Set(["市教育局", "各县市区人民政府"]);
    expect(result.unmatchedUnitNames.sort()).toEqual([...named].filter((name) => !known.has(name)).sort());

    const mine = await listTasks(db, { organisationId: bureau.organisationId, unitId: bureau.units.get("县市区政府")?.id ?? 0 });
    expect(mine.length).toBe(SEED_002.plans[0]?.tasks.filter((task) => task.units.includes("各县市区人民政府")).length);
    const none = await listTasks(db, { organisationId: bureau.organisationId, unitId: bureau.units.get("基础教育科")?.id ?? 0 });
    expect(none).toEqual([]);
  });

  test("re-importing the same source makes version 2 beside version 1", async () => {
    const { db } = context;
    const bureau = await seedBureau(db);
    const first = await importPlan(db, importInput(bureau, SEED_002));
    const second = await importPlan(db, importInput(bureau, SEED_002));
    expect(second.planId).toBe(first.planId);
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.versionId).not.toBe(first.versionId);

    const detail = await getPlan(db, { organisationId: bureau.organisationId, planId: first.planId });
    expect(detail?.versions.map((version) => version.version)).toEqual([1, 2]);
    expect(detail?.current.id).toBe(second.versionId);
    // Version 1's rows are all still there; the ledger shows version 2's, linked to their forebears.
    const v1Tasks = await db.selectFrom("tasks").select(["id", "path"]).where("plan_version_id", "=", first.versionId).orderBy("ordinal").execute();
    expect(v1Tasks.length).toBe(first.tasks);
    const ledger = await listTasks(db, { organisationId: bureau.organisationId });
    expect(ledger.length).toBe(second.tasks);
    const v2 = await getTask(db, { organisationId: bureau.organisationId, taskId: ledger[0]?.id ?? 0 });
    expect(v2?.previousTaskId).toBe(v1Tasks[0]?.id);
    expect(v2?.planVersionId).toBe(second.versionId);

    // The same bytes under another file name are the same source too.
    const renamed = importInput(bureau, SEED_002);
    const third = await importPlan(db, { ...renamed, plan: { ...renamed.plan, source: "重新上传.txt" } });
    expect([third.planId, third.version]).toEqual([first.planId, 3]);
  });

  test("every import is in the audit log, and concurrent imports number versions without gaps", async () => {
    const { db } = context;
    const bureau = await seedBureau(db);
    const results = await Promise.all([1, 2, 3].map(() => importPlan(db, importInput(bureau, SEED_002))));
    expect(results.map((result) => result.version).sort()).toEqual([1, 2, 3]);
    const trail = await listAudit(db, { entity: "plans", entityId: results[0]?.planId ?? 0 });
    expect(trail.map((entry) => [entry.action, entry.actorId])).toEqual([
      ["plan.import", bureau.admin.id],
      ["plan.import", bureau.admin.id],
      ["plan.import", bureau.admin.id],
    ]);
    expect(trail[0]?.after).toMatchObject({ title: SEED_002.plans[0]?.title, tasks: SEED_002.plans[0]?.tasks.length, sourceHash: SEED_002.hash });
  });

  test("importing into an organisation that does not exist is refused and leaves nothing", async () => {
    const { db } = context;
    const bureau = await seedBureau(db);
    const error = await importPlan(db, { ...importInput(bureau, SEED_002), organisationId: bureau.organisationId + 1000 }).catch((caught: unknown) => caught);
    expect((error as StoreError).code).toBe("ORGANISATION_NOT_FOUND");
    expect(await db.selectFrom("plans").selectAll().execute()).toEqual([]);
  });

  test("a unit a clerk chose for a name wins over matching the name; a unit of another organisation is refused", async () => {
    const { db } = context;
    const bureau = await seedBureau(db, "某市教育局");
    const chosen = bureau.units.get("基础教育科")?.id ?? 0;
    const input = importInput(bureau, SEED_004);
    const index = input.plan.tasks.findIndex((task) => task.lead_units.length > 0);
    const task = input.plan.tasks[index];
    const lead = task?.lead_units[0];
    if (!task || lead === undefined) throw new Error("seed 004 has no task with a lead unit");
    // The clerk corrects the lead unit's name to one the tree does not know, and picks the unit.
    const rename = (name: string) => (name === lead ? "基教科(更正)" : name);
    const corrected = {
      ...task,
      units: task.units.map(rename),
      lead_units: task.lead_units.map(rename),
      unit_refs: task.unit_refs.map((ref) => (ref.name === lead ? { ...ref, name: rename(ref.name), unitId: chosen } : ref)),
    };
    const plan = { ...input.plan, tasks: input.plan.tasks.map((other, i) => (i === index ? corrected : other)) };

    const result = await importPlan(db, { ...input, plan });
    expect(result.unmatchedUnitNames).not.toContain("基教科(更正)");
    const row = (await listTasks(db, { organisationId: bureau.organisationId, planId: result.planId }))[index];
    expect(row?.leadUnitId).toBe(chosen);
    expect(row?.units).toContainEqual({ unitId: chosen, name: "基教科(更正)", role: "牵头" });

    const other = await seedBureau(db, "另一市教育局");
    const foreign = other.units.get("基础教育科")?.id ?? 0;
    const stranger = { ...corrected, unit_refs: corrected.unit_refs.map((ref) => (ref.name === "基教科(更正)" ? { ...ref, unitId: foreign } : ref)) };
    const before = await db.selectFrom("plan_versions").select("id").execute();
    const error = await importPlan(db, { ...input, plan: { ...plan, tasks: plan.tasks.map((t, i) => (i === index ? stranger : t)) } }).catch((caught: unknown) => caught);
    expect((error as StoreError).code).toBe("UNIT_NOT_FOUND");
    expect(await db.selectFrom("plan_versions").select("id").execute()).toEqual(before);
  });
});
