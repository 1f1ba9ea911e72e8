// The import wizard: preview a plan file (the extraction, its source text and the units its names
// match, nothing written), then confirm the plans as the clerk corrected them. A confirm is
// imported as /import imports a file, and is refused unless it holds together with its source.
import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { expect, test } from "vitest";
import type { Plan } from "@taizhang/core";
import { createOrganisation, createUnit, type Database } from "@taizhang/store";
import { errorCatalogue } from "../src/index.js";
import { describeEngines, errorCode, formatFile, makeWorld, multipartUpload, seedFile, type Client } from "./helpers.js";

interface Preview {
  fileName: string;
  format: string;
  source: string;
  sha256: string;
  plans: Plan[];
  diagnostics: { code: string; severity: string; message: string }[];
  units: { name: string; unitId: number | null }[];
}

interface Summary {
  source: string;
  format: string;
  plans: { planId: number; versionId: number; version: number; title: string; sections: number; tasks: number; taskUnits: number; milestones: number; kpis: number; unmatchedUnitNames: string[] }[];
  taskCount: number;
  unmatchedUnitNames: string[];
}

interface LedgerItem {
  id: number;
  path: string;
  number: string;
  title: string;
  dueDate: string | null;
  leadUnitId: number | null;
  units: { unitId: number | null; name: string; role: string }[];
}

interface Confirmation {
  fileName: string;
  sha256: string;
  source: string;
  format?: string;
  plans: unknown[];
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A name or title as written may be broken across table lines in the source. */
function unbroken(text: string): string {
  return text.replace(/\s+/g, "");
}

async function preview(client: Client, file: { name: string; bytes: Buffer }): Promise<Preview> {
  const response = await client.request({ ...multipartUpload(file.name, file.bytes), url: "/api/plans/preview" });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Preview;
}

function confirm(client: Client, body: Confirmation) {
  return client.request({ method: "POST", url: "/api/plans/confirm", payload: body });
}

/** What the preview gave, to send back as it is. */
function unchanged(previewed: Preview): Confirmation {
  return { fileName: previewed.fileName, sha256: previewed.sha256, source: previewed.source, format: previewed.format, plans: previewed.plans };
}

async function ledger(client: Client, planId: number): Promise<LedgerItem[]> {
  const response = await client.request({ method: "GET", url: `/api/tasks?plan=${planId}&limit=100` });
  return (response.json() as { items: LedgerItem[] }).items;
}

/** Rows in every table: what "writes nothing" means. */
async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ count: string | number }>`select count(*) as count from ${sql.table(name)}`.execute(db);
    counts[name] = Number(result.rows[0]?.count);
  }
  return counts;
}

describeEngines("import wizard", (context) => {
  test("preview of seed 002: 17 tasks, the source their offsets index, the units their names match; nothing is written", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const before = await rowCounts(context.db);
    expect(before).toHaveProperty("tasks", 0);
    expect(before).toHaveProperty("plan_versions", 0);

    const seed = seedFile("002");
    const previewed = await preview(admin, seed);
    expect(await rowCounts(context.db)).toEqual(before);

    expect(previewed).toMatchObject({ fileName: seed.name, format: "text" });
    expect(previewed.source).toBe(seed.bytes.toString("utf8"));
    expect(previewed.sha256).toBe(sha256(previewed.source));
    expect(previewed.plans).toHaveLength(1);
    const plan = previewed.plans[0];
    expect(plan?.title).toBe("衡阳市进一步提高义务教育质量任务清单");
    expect(plan?.tasks).toHaveLength(17);
    for (const task of plan?.tasks ?? []) {
      expect(unbroken(previewed.source.slice(task.title_start, task.title_end))).toBe(unbroken(task.title));
      for (const ref of task.unit_refs) expect(unbroken(previewed.source.slice(ref.start, ref.end))).toContain(unbroken(ref.name));
      for (const target of task.targets) expect(previewed.source.slice(target.start, target.end)).toBe(target.quote);
    }
    expect(Array.isArray(previewed.diagnostics)).toBe(true);
    // Every name once, with the unit of the tree it matches or null.
    const names = new Set(plan?.tasks.flatMap((task) => task.units));
    expect(previewed.units.map((unit) => unit.name).sort()).toEqual([...names].sort());
    expect(previewed.units).toContainEqual({ name: "市财政局", unitId: world.units.finance.id });
    expect(previewed.units).toContainEqual({ name: "市委编办", unitId: null });
  });

  test("confirm with one unit corrected (new name, unit chosen from the tree) imports it; the task shows the correction", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const seed = seedFile("002");
    const previewed = await preview(admin, seed);
    const plan = previewed.plans[0] as Plan;
    const index = plan.tasks.findIndex((task) => task.units.includes("市委编办"));
    const task = plan.tasks[index];
    if (!task) throw new Error("seed 002 has no task naming 市委编办");
    const written = task.unit_refs.find((ref) => ref.name === "市委编办");
    const correctedName = "市委机构编制委员会办公室";
    const rename = (name: string) => (name === "市委编办" ? correctedName : name);
    const corrected = {
      ...task,
      units: task.units.map(rename),
      lead_units: task.lead_units.map(rename),
      unit_refs: task.unit_refs.map((ref) => (ref.name === "市委编办" ? { ...ref, name: correctedName, unitId: world.units.labour.id } : ref)),
    };
    const plans = [{ ...plan, tasks: plan.tasks.map((other, i) => (i === index ? corrected : other)) }];

    const response = await confirm(admin, { ...unchanged(previewed), plans });
    expect(response.statusCode, response.body).toBe(201);
    const summary = response.json() as Summary;
    expect(summary).toMatchObject({ source: seed.name, format: "text", taskCount: 17 });
    expect(summary.plans[0]).toMatchObject({ title: plan.title, tasks: 17, version: 1 });
    expect(summary.unmatchedUnitNames).not.toContain(correctedName);
    expect(summary.unmatchedUnitNames).toContain("各县市区人民政府");

    const planId = summary.plans[0]?.planId ?? 0;
    const row = (await ledger(admin, planId)).find((item) => item.path === task.path);
    const detail = await admin.request({ method: "GET", url: `/api/tasks/${row?.id}` });
    const refs = (detail.json() as { unitRefs: { unitId: number | null; name: string; start: number | null; end: number | null }[] }).unitRefs;
    expect(refs).toContainEqual(expect.objectContaining({ unitId: world.units.labour.id, name: correctedName, start: written?.start, end: written?.end }));
    expect(refs.map((ref) => ref.name)).not.toContain("市委编办");
    // The reporter of the unit chosen sees the task.
    const labour = await world.login(world.users.labourReporter);
    expect((await labour.request({ method: "GET", url: `/api/tasks/${row?.id}` })).statusCode).toBe(200);

    // The source stored is the one previewed, so the offsets still index it.
    const source = await admin.request({ method: "GET", url: `/api/plans/${planId}/source` });
    expect((source.json() as { text: string }).text).toBe(previewed.source);
  });

  test("an unchanged preview, confirmed, is imported as /import imports the file: the next version, the same ledger", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const seed = seedFile("002");
    const imported = (await admin.request(multipartUpload(seed.name, seed.bytes))).json() as Summary;
    const planId = imported.plans[0]?.planId ?? 0;
    const rows = await ledger(admin, planId);

    const response = await confirm(admin, unchanged(await preview(admin, seed)));
    expect(response.statusCode, response.body).toBe(201);
    const confirmed = response.json() as Summary;
    const { versionId: _v1, version: _n1, ...first } = imported.plans[0] ?? {};
    expect(confirmed.plans[0]).toMatchObject({ ...first, planId, version: 2 });
    // What was imported, not when or under which id.
    const content = (items: LedgerItem[]) => items.map(({ path, number, title, dueDate, leadUnitId, units }) => ({ path, number, title, dueDate, leadUnitId, units }));
    expect(content(await ledger(admin, planId))).toEqual(content(rows));
  });

  test("preview of the Word table of seed 002: the offsets index the rendered text, which a confirm stores", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const docx = formatFile("002-table.docx");
    const previewed = await preview(admin, docx);
    expect(previewed).toMatchObject({ fileName: docx.name, format: "docx" });
    expect(previewed.sha256).toBe(sha256(previewed.source));
    expect(previewed.plans[0]?.tasks).toHaveLength(17);
    for (const task of previewed.plans[0]?.tasks ?? []) expect(unbroken(previewed.source.slice(task.title_start, task.title_end))).toBe(unbroken(task.title));

    const response = await confirm(admin, unchanged(previewed));
    expect(response.statusCode, response.body).toBe(201);
    const summary = response.json() as Summary;
    expect(summary).toMatchObject({ format: "docx", taskCount: 17 });
    const plan = await admin.request({ method: "GET", url: `/api/plans/${summary.plans[0]?.planId}` });
    expect(plan.json()).toMatchObject({ current: { format: "docx", sourceHash: previewed.sha256 } });
    const source = await admin.request({ method: "GET", url: `/api/plans/${summary.plans[0]?.planId}/source` });
    expect((source.json() as { text: string }).text).toBe(previewed.source);
  });

  test("a confirm that does not hold together with its source is refused with a code and writes nothing", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const previewed = await preview(admin, seedFile("002"));
    const plan = previewed.plans[0] as Plan;
    const good = unchanged(previewed);
    const firstTask = plan.tasks[0];
    if (!firstTask) throw new Error("no task");
    const withTask = (change: (task: Plan["tasks"][number]) => object): Confirmation => ({ ...good, plans: [{ ...plan, tasks: [change(firstTask), ...plan.tasks.slice(1)] }] });
    const { id: otherOrganisation } = await createOrganisation(context.db, { name: "另一市教育局", actorId: null });
    const foreignUnit = await createUnit(context.db, { organisationId: otherOrganisation, name: "市委编办", kind: "其他", actorId: null });
    const before = await rowCounts(context.db);

    const unitNotFound: [number, string] = [errorCatalogue().UNIT_NOT_FOUND?.status ?? 0, "UNIT_NOT_FOUND"];
    const cases: [string, Confirmation, [number, string]][] = [
      ["a tampered sha256", { ...good, sha256: sha256(`${previewed.source}x`) }, [400, "SOURCE_HASH_MISMATCH"]],
      ["a source changed under its sha256", { ...good, source: `${previewed.source}x` }, [400, "SOURCE_HASH_MISMATCH"]],
      ["a sha256 that is not one", { ...good, sha256: "not-a-hash" }, [400, "VALIDATION_FAILED"]],
      ["a task ending beyond the source", withTask((task) => ({ ...task, end: previewed.source.length + 1 })), [400, "OFFSET_OUT_OF_SOURCE"]],
      ["a title starting after it ends", withTask((task) => ({ ...task, title_start: task.title_end + 1 })), [400, "OFFSET_OUT_OF_SOURCE"]],
      ["a unit beyond the source", withTask((task) => ({ ...task, unit_refs: task.unit_refs.map((ref) => ({ ...ref, start: previewed.source.length + 5, end: previewed.source.length + 9 })) })), [400, "OFFSET_OUT_OF_SOURCE"]],
      ["a plan body beyond the source", { ...good, plans: [{ ...plan, end: previewed.source.length + 1 }] }, [400, "OFFSET_OUT_OF_SOURCE"]],
      ["a negative offset", withTask((task) => ({ ...task, start: -1 })), [400, "VALIDATION_FAILED"]],
      ["a blank task title", withTask((task) => ({ ...task, title: "   " })), [400, "VALIDATION_FAILED"]],
      ["an empty plan title", { ...good, plans: [{ ...plan, title: "" }] }, [400, "VALIDATION_FAILED"]],
      ["a title too long", withTask((task) => ({ ...task, title: "很".repeat(1001) })), [400, "VALIDATION_FAILED"]],
      ["a day that does not exist", withTask((task) => ({ ...task, deadlines: [{ quote: "2月底前", date: "2024-02-30", start: task.start, end: task.start + 1 }] })), [400, "VALIDATION_FAILED"]],
      ["a unit role outside the set", withTask((task) => ({ ...task, unit_refs: task.unit_refs.map((ref) => ({ ...ref, via: "boss" })) })), [400, "VALIDATION_FAILED"]],
      ["a renamed unit reference the unit list does not follow", withTask((task) => ({ ...task, unit_refs: task.unit_refs.map((ref, i) => (i === 0 ? { ...ref, name: "改过的名称" } : ref)) })), [400, "VALIDATION_FAILED"]],
      ["too many units on a task", withTask((task) => ({ ...task, units: Array.from({ length: 201 }, (_, i) => `单位${i}`) })), [400, "VALIDATION_FAILED"]],
      ["a NUL in a title", withTask((task) => ({ ...task, title: "标题\u0000" })), [400, "VALIDATION_FAILED"]],
      ["half a surrogate pair in a unit name", withTask((task) => ({ ...task, units: ["单位\ud800", ...task.units.slice(1)], unit_refs: task.unit_refs.map((ref, i) => (i === 0 ? { ...ref, name: "单位\ud800" } : ref)) })), [400, "VALIDATION_FAILED"]],
      ["a field Plan JSON does not have", withTask((task) => ({ ...task, status: "已办结" })), [400, "VALIDATION_FAILED"]],
      ["a plan of another file", { ...good, plans: [{ ...plan, source: "另一个文件.txt" }] }, [400, "VALIDATION_FAILED"]],
      ["no plans", { ...good, plans: [] }, [400, "VALIDATION_FAILED"]],
      ["a unit of another organisation", withTask((task) => ({ ...task, unit_refs: task.unit_refs.map((ref, i) => (i === 0 ? { ...ref, unitId: foreignUnit.id } : ref)) })), unitNotFound],
    ];
    for (const [what, body, expected] of cases) {
      const response = await confirm(admin, body);
      expect([response.statusCode, errorCode(response)], `${what}: ${response.body}`).toEqual(expected);
      expect((response.json() as { error: { message: string } }).error.message, what).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await rowCounts(context.db)).toEqual(before);
    // The untouched confirmation goes through: the refusals above were for what they changed.
    expect((await confirm(admin, good)).statusCode).toBe(201);
  });

  test("only the office previews and confirms; a file with no plan is refused at preview", async () => {
    const world = await makeWorld(context);
    const seed = seedFile("002");
    const admin = await world.login(world.users.admin);
    const previewed = await preview(admin, seed);
    for (const who of [world.users.leader, world.users.financeReporter]) {
      const client = await world.login(who);
      const refusedPreview = await client.request({ ...multipartUpload(seed.name, seed.bytes), url: "/api/plans/preview" });
      expect([refusedPreview.statusCode, errorCode(refusedPreview)]).toEqual([403, "FORBIDDEN"]);
      const refusedConfirm = await confirm(client, unchanged(previewed));
      expect([refusedConfirm.statusCode, errorCode(refusedConfirm)]).toEqual([403, "FORBIDDEN"]);
    }
    expect((await admin.request({ method: "GET", url: "/api/plans" })).json()).toEqual([]);

    const prose = await admin.request({ ...multipartUpload("note.txt", Buffer.from("今天天气很好,我们去公园散步。", "utf8")), url: "/api/plans/preview" });
    expect([prose.statusCode, errorCode(prose)]).toEqual([400, "PLAN_FILE_UNREADABLE"]);
  });
});
