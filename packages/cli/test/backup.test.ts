// Backup and restore in-process, on every engine (PGlite, and PostgreSQL when TEST_DATABASE_URL
// is set): the demo ledger (units with parents, plans ⇄ versions, reports, the audit log) goes
// out and back in without losing a value, and the restored database keeps numbering.
import { expect, test } from "vitest";
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
    expect(restored).toBe(first.header.tables.reduce((sum, table) => sum + table.rows, 0));
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
    expect(await restoreDatabase(target.db, iterate(lines))).toBeGreaterThan(0);
  }, 120_000);
});
