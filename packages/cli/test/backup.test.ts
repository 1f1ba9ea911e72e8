// Backup and restore in-process, on every engine (PGlite, and PostgreSQL when TEST_DATABASE_URL
// is set): the demo ledger (units with parents, plans ⇄ versions, reports, the audit log) goes
// out and back in without losing a value, and the restored database keeps numbering.
import { expect, test } from "vitest";
import { sql } from "kysely";
import { createUnit, migrate } from "@taizhang/store";
import { TEST_SCRYPT, seedDemo } from "../../server/src/index.js";
import { describeEngines } from "../../store/test/engines.js";
import { BACKUP_FORMAT, BackupError, dumpDatabase, restoreDatabase, type BackupHeader } from "../src/backup.js";

const NOW = new Date("2026-11-20T09:00:00+08:00");

async function dump(db: Parameters<typeof dumpDatabase>[0]): Promise<{ header: BackupHeader; lines: string[] }> {
  const lines: string[] = [];
  const header = await dumpDatabase(db, async (line) => void lines.push(line));
  return { header, lines };
}

async function* iterate(lines: readonly string[]): AsyncIterable<string> {
  for (const line of lines) yield line.replace(/\n$/, "");
}

describeEngines("backup and restore", (context) => {
  test("the demo ledger round-trips exactly, sequences continue, and a second restore is refused", async () => {
    const outcome = await seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT });
    expect(outcome.seeded).toBe(true);
    const first = await dump(context.db);
    expect(first.header.format).toBe(BACKUP_FORMAT);
    const rows = (name: string): number => first.header.tables.find((table) => table.name === name)?.rows ?? 0;
    expect(rows("units")).toBeGreaterThan(20);
    expect(rows("reports")).toBeGreaterThan(20);
    expect(rows("audit_log")).toBeGreaterThan(100);
    // Parents before children, and the tables a foreign key points to before the ones pointing.
    const order = first.header.tables.map((table) => table.name);
    expect(order.indexOf("organisations")).toBeLessThan(order.indexOf("units"));
    expect(order.indexOf("plans")).toBeLessThan(order.indexOf("plan_versions"));
    expect(order.indexOf("tasks")).toBeLessThan(order.indexOf("reports"));

    const [target] = await context.emptyDatabase();
    if (!target) throw new Error("no database");
    await migrate(target.db);
    const restored = await restoreDatabase(target.db, iterate(first.lines));
    expect(restored).toEqual({ rows: first.header.tables.reduce((sum, table) => sum + table.rows, 0), upgraded: [] });
    const second = await dump(target.db);
    expect(second.lines.slice(1)).toEqual(first.lines.slice(1));
    expect({ ...second.header, createdAt: "" }).toEqual({ ...first.header, createdAt: "" });

    const maxUnit = Math.max(...first.lines.slice(1).filter((line) => line.startsWith('{"t":"units"')).map((line) => (JSON.parse(line) as { r: { id: number } }).r.id));
    const unit = await createUnit(target.db, { organisationId: 1, name: "新增科室", kind: "科室", actorId: null });
    expect(unit.id).toBe(maxUnit + 1);

    await expect(restoreDatabase(target.db, iterate(first.lines))).rejects.toThrow(BackupError);
    await expect(restoreDatabase(target.db, iterate(first.lines))).rejects.toThrow(/目标数据库中已有数据/);
  }, 120_000);

  test("a damaged backup changes nothing: the restore is one transaction", async () => {
    await seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT });
    const { lines } = await dump(context.db);
    const [target] = await context.emptyDatabase();
    if (!target) throw new Error("no database");
    await migrate(target.db);
    // A row in the wrong table's place: found only after earlier tables were written.
    const broken = [...lines.slice(0, -2), '{"t":"organisations","r":{"id":99,"name":"x","created_at":"2026-01-01T00:00:00+00:00","deleted_at":null}}', ...lines.slice(-2)];
    await expect(restoreDatabase(target.db, iterate(broken))).rejects.toThrow(/备份文件已损坏/);
    const count = await target.db.selectFrom("organisations").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    expect((await restoreDatabase(target.db, iterate(lines))).rows).toBeGreaterThan(0);
  }, 120_000);

  test("a backup made before the light cache (schema 0003) restores into a new database and is upgraded", async () => {
    await seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT });
    const current = await dump(context.db);
    // What the release before migration 0004 wrote: the tables of schema 0003, three migrations.
    const [reference] = await context.emptyDatabase();
    if (!reference) throw new Error("no database");
    await migrate(reference.db, { through: "0003-workflow-facts" });
    const old0003 = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(reference.db);
    const kept = new Set(old0003.rows.map((row) => row.name));
    const migrations = current.header.migrations.slice(0, 3);
    expect(migrations.at(-1)).toBe("0003-workflow-facts");
    const table = (line: string) => (JSON.parse(line) as { t: string }).t;
    const body = current.lines
      .slice(1, -1)
      .filter((line) => kept.has(table(line)))
      .filter((line) => table(line) !== "schema_migrations" || migrations.some((name) => line.includes(`"${name}"`)));
    const header: BackupHeader = {
      ...current.header,
      migrations,
      tables: current.header.tables.filter((entry) => kept.has(entry.name)).map((entry) => ({ ...entry, rows: body.filter((line) => table(line) === entry.name).length })),
    };
    const rows = header.tables.reduce((sum, entry) => sum + entry.rows, 0);
    const old = [`${JSON.stringify(header)}\n`, ...body, `${JSON.stringify({ end: true, rows })}\n`];

    // Into a database that is already on the newest schema: refused with what to do instead.
    const [migrated] = await context.emptyDatabase();
    const [fresh] = await context.emptyDatabase();
    if (!migrated || !fresh) throw new Error("no database");
    await migrate(migrated.db);
    await expect(restoreDatabase(migrated.db, iterate(old))).rejects.toThrow(/新的空数据目录/);

    // Into a new database: built as it was, filled, then upgraded.
    expect(await restoreDatabase(fresh.db, iterate(old))).toEqual({ rows, upgraded: ["0004-light-cache", "0005-supervision"] });
    const again = await dump(fresh.db);
    expect(again.header.migrations).toEqual(current.header.migrations);
    const same = (line: string) => kept.has(table(line)) && table(line) !== "schema_migrations";
    expect(again.lines.slice(1, -1).filter(same)).toEqual(body.filter(same));
  }, 120_000);
});
