// Backup and restore of the whole ledger database, engine to engine (PGlite or PostgreSQL).
//
// A backup is JSON lines: a header (format, the migrations applied, each table's columns and row
// count), then one line per row as PostgreSQL's own row_to_json wrote it (timestamps to the
// microsecond, bytea as hex, arrays and jsonb as JSON), then an end line with the total, so a
// truncated file is told apart from a complete one. Every table is read in one read-only
// repeatable-read transaction: one snapshot, however long it takes.
//
// Restore goes into an empty database of the same schema, in one transaction, with
// json_populate_recordset, so each value is parsed back by the column's own type. Tables are
// written parents first (foreign keys); a key that points to the same table or forward in that
// order (units.parent_id, plans.current_version_id) is written as null and filled in at the end.
// Identity sequences then continue after the largest id.
import { sql, type Kysely, type Transaction } from "kysely";
import { MIGRATIONS, appliedMigrations, migrate, type Database } from "@taizhang/store";

export const BACKUP_FORMAT = "taizhang-backup";
export const BACKUP_VERSION = 1;
/** Always read in full and compared, never restored row by row: migrate() owns it. */
const MIGRATIONS_TABLE = "schema_migrations";
const PAGE_ROWS = 1000;
const BATCH_ROWS = 500;
const BATCH_CHARS = 4 * 1024 * 1024;

type Db = Kysely<Database>;

/** A backup that cannot be made or restored for a reason the person can act on; the message is Chinese. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

export interface TableShape {
  name: string;
  columns: string[];
  rows: number;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  migrations: string[];
  tables: TableShape[];
}

interface TableInfo {
  name: string;
  columns: string[];
  nullable: Set<string>;
  key: string;
  identity: string[];
}

interface ForeignKey {
  table: string;
  references: string;
  columns: string[];
}

interface Plan {
  tables: TableInfo[];
  /** Per table, the columns written as null first and filled in after every table is in. */
  deferred: Map<string, string[]>;
}

// ---- backup ---------------------------------------------------------------------------------

/** Writes the backup through `write` (one call per line, newline included); returns the header. */
export async function dumpDatabase(db: Db, write: (line: string) => Promise<void>): Promise<BackupHeader> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => {
      await fixOutputSettings(trx);
      const { tables } = await schemaPlan(trx);
      const shapes: TableShape[] = [];
      for (const table of tables) {
        const counted = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table.name)}`.execute(trx);
        shapes.push({ name: table.name, columns: table.columns, rows: counted.rows[0]?.n ?? 0 });
      }
      const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), migrations: await appliedMigrations(trx), tables: shapes };
      await write(`${JSON.stringify(header)}\n`);
      let total = 0;
      for (const table of tables) {
        // Keyset pages in key order: the same rows in the same order every time.
        let after: unknown = null;
        for (;;) {
          const page: { rows: { k: unknown; j: string }[] } = await sql<{ k: unknown; j: string }>`
            select ${sql.ref(`t.${table.key}`)} as k, row_to_json(t)::text as j from ${sql.table(table.name)} as t
            where ${after === null ? sql`true` : sql`${sql.ref(`t.${table.key}`)} > ${after}`}
            order by ${sql.ref(`t.${table.key}`)} limit ${PAGE_ROWS}`.execute(trx);
          for (const row of page.rows) await write(`{"t":${JSON.stringify(table.name)},"r":${row.j}}\n`);
          total += page.rows.length;
          if (page.rows.length < PAGE_ROWS) break;
          after = page.rows.at(-1)?.k;
        }
      }
      await write(`${JSON.stringify({ end: true, rows: total })}\n`);
      return header;
    });
}

// ---- restore --------------------------------------------------------------------------------

/**
 * Restores the backup whose lines `lines` yields into `db`, which must hold no data. All or
 * nothing: one transaction. A backup made by an older release is restored into the schema it was
 * made with (a database not yet migrated is migrated that far first), and the migrations since are
 * applied after, exactly as an upgrade would apply them to that data. Returns the rows restored.
 */
export async function restoreDatabase(db: Db, lines: AsyncIterable<string>): Promise<{ rows: number; upgraded: string[] }> {
  const iterator = lines[Symbol.asyncIterator]();
  const header = parseHeader(await nextLine(iterator));
  const known = MIGRATIONS.map((migration) => migration.name);
  const older = header.migrations.length > 0 && header.migrations.every((name, index) => known[index] === name);
  const current = await appliedMigrations(db);
  // A fresh database goes only as far as the backup's schema; the rest runs on the restored data.
  if (older && current.length === 0) await migrate(db, { through: header.migrations.at(-1) ?? "" });
  const migrations = await appliedMigrations(db);
  if (header.migrations.join("\n") !== migrations.join("\n")) {
    const newer = header.migrations.some((name) => !known.includes(name));
    throw new BackupError(
      newer
        ? `备份来自更新版本的台账程序(数据库版本 ${header.migrations.at(-1) ?? "?"}),请升级台账程序后再恢复。`
        : `备份的数据库版本(${header.migrations.at(-1) ?? "无"})与目标数据库(${migrations.at(-1) ?? "无"})不同:请恢复到一个新的空数据目录(TAIZHANG_DATA)或空的 PostgreSQL 数据库,程序会先建成备份时的结构,恢复后再自动升级。`,
    );
  }
  const rows = await restoreRows(db, header, iterator);
  const { applied } = await migrate(db);
  return { rows, upgraded: applied };
}

async function restoreRows(db: Db, header: BackupHeader, iterator: AsyncIterator<string>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const plan = await schemaPlan(trx);
    checkShapes(header, plan);
    await refuseData(trx, plan);
    await sql`delete from ${sql.table(MIGRATIONS_TABLE)}`.execute(trx);

    const byName = new Map(plan.tables.map((table) => [table.name, table]));
    const later = new Map<string, string[]>();
    const counts = new Map<string, number>();
    let batch: { table: TableInfo; rows: string[]; chars: number } | undefined;
    const flush = async (): Promise<void> => {
      if (batch && batch.rows.length > 0) await insertRows(trx, batch.table, plan.deferred.get(batch.table.name) ?? [], batch.rows);
      batch = undefined;
    };
    let order = 0;
    let total: number | undefined;
    for (let line = await iterator.next(); !line.done; line = await iterator.next()) {
      if (line.value.trim() === "") continue;
      if (total !== undefined) throw damaged("结束标记之后还有内容");
      const entry = parseEntry(line.value);
      if ("end" in entry) {
        total = entry.rows;
        continue;
      }
      const table = byName.get(entry.t);
      if (!table) throw damaged(`未知的表 ${entry.t}`);
      // Rows come table by table in the header's order.
      while (header.tables[order]?.name !== entry.t) {
        if (++order >= header.tables.length) throw damaged(`表 ${entry.t} 的行不在应有的位置`);
      }
      if (batch?.table !== table) await flush();
      const text = JSON.stringify(entry.r);
      batch ??= { table, rows: [], chars: 0 };
      batch.rows.push(text);
      batch.chars += text.length;
      counts.set(table.name, (counts.get(table.name) ?? 0) + 1);
      if ((plan.deferred.get(table.name) ?? []).some((column) => entry.r[column] !== null && entry.r[column] !== undefined)) {
        later.set(table.name, [...(later.get(table.name) ?? []), text]);
      }
      if (batch.rows.length >= BATCH_ROWS || batch.chars >= BATCH_CHARS) await flush();
    }
    await flush();
    if (total === undefined) throw damaged("文件不完整(没有结束标记),可能在写入或复制时被截断");
    const restored = [...counts.values()].reduce((sum, n) => sum + n, 0);
    if (restored !== total) throw damaged(`应有 ${total} 行,文件中有 ${restored} 行`);
    for (const shape of header.tables) {
      if ((counts.get(shape.name) ?? 0) !== shape.rows) throw damaged(`表 ${shape.name} 应有 ${shape.rows} 行,文件中有 ${counts.get(shape.name) ?? 0} 行`);
    }
    for (const [name, rows] of later) {
      const table = byName.get(name) as TableInfo;
      for (let from = 0; from < rows.length; from += BATCH_ROWS) await fillDeferred(trx, table, plan.deferred.get(name) ?? [], rows.slice(from, from + BATCH_ROWS));
    }
    for (const table of plan.tables) await resetSequences(trx, table);
    return restored;
  });
}

async function insertRows(trx: Transaction<Database>, table: TableInfo, deferred: readonly string[], rows: readonly string[]): Promise<void> {
  const columns = sql.join(table.columns.map((column) => sql.ref(column)));
  const values = sql.join(table.columns.map((column) => (deferred.includes(column) ? sql`null` : sql.ref(`s.${column}`))));
  const overriding = table.identity.length > 0 ? sql`overriding system value` : sql``;
  await sql`insert into ${sql.table(table.name)} (${columns}) ${overriding}
    select ${values} from json_populate_recordset(null::${sql.table(table.name)}, ${`[${rows.join(",")}]`}::json) as s`.execute(trx);
}

async function fillDeferred(trx: Transaction<Database>, table: TableInfo, deferred: readonly string[], rows: readonly string[]): Promise<void> {
  const assignments = sql.join(deferred.map((column) => sql`${sql.ref(column)} = ${sql.ref(`s.${column}`)}`));
  await sql`update ${sql.table(table.name)} as t set ${assignments}
    from json_populate_recordset(null::${sql.table(table.name)}, ${`[${rows.join(",")}]`}::json) as s
    where ${sql.ref(`t.${table.key}`)} = ${sql.ref(`s.${table.key}`)}`.execute(trx);
}

async function resetSequences(trx: Transaction<Database>, table: TableInfo): Promise<void> {
  for (const column of table.identity) {
    await sql`select setval(pg_get_serial_sequence(${quoteIdent(table.name)}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table.name)}`.execute(trx);
  }
}

async function refuseData(trx: Transaction<Database>, plan: Plan): Promise<void> {
  const filled: string[] = [];
  for (const table of plan.tables) {
    if (table.name === MIGRATIONS_TABLE) continue;
    const found = await sql<{ found: boolean }>`select exists (select 1 from ${sql.table(table.name)}) as found`.execute(trx);
    if (found.rows[0]?.found) filled.push(table.name);
  }
  if (filled.length > 0) {
    throw new BackupError(
      `目标数据库中已有数据(${filled.slice(0, 4).join("、")}${filled.length > 4 ? " 等" : ""}),恢复只能写入空数据库,以免覆盖或混入现有台账。` +
        "请换一个新的数据文件夹(TAIZHANG_DATA)或新建一个空的 PostgreSQL 数据库后再恢复。",
    );
  }
}

function checkShapes(header: BackupHeader, plan: Plan): void {
  const expected = plan.tables.map((table) => `${table.name}(${[...table.columns].sort().join(",")})`);
  const found = header.tables.map((table) => `${table.name}(${[...table.columns].sort().join(",")})`);
  if (expected.join(" ") !== found.join(" ")) throw new BackupError("备份文件中的表结构与本程序的数据库结构不一致,无法恢复。请用生成备份的同一版本台账程序恢复。");
}

function parseHeader(line: string | undefined): BackupHeader {
  let header: Partial<BackupHeader> | undefined;
  try {
    header = line === undefined ? undefined : (JSON.parse(line) as Partial<BackupHeader>);
  } catch {
    header = undefined;
  }
  if (header?.format !== BACKUP_FORMAT) throw new BackupError("这不是台账备份文件(应由 taizhang backup 生成)。");
  if (header.version !== BACKUP_VERSION) throw new BackupError(`备份文件格式版本 ${String(header.version)} 不受支持,请升级台账程序。`);
  if (!Array.isArray(header.migrations) || !Array.isArray(header.tables)) throw damaged("文件头不完整");
  return header as BackupHeader;
}

function parseEntry(line: string): { t: string; r: Record<string, unknown> } | { end: true; rows: number } {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    throw damaged("有一行不是有效的 JSON");
  }
  if (typeof entry === "object" && entry !== null) {
    if ("end" in entry && "rows" in entry && typeof entry.rows === "number") return { end: true, rows: entry.rows };
    if ("t" in entry && "r" in entry && typeof entry.t === "string" && typeof entry.r === "object" && entry.r !== null) return { t: entry.t, r: entry.r as Record<string, unknown> };
  }
  throw damaged("有一行格式不正确");
}

function damaged(detail: string): BackupError {
  return new BackupError(`备份文件已损坏:${detail}。数据库未做任何改动。`);
}

async function nextLine(iterator: AsyncIterator<string>): Promise<string | undefined> {
  for (let line = await iterator.next(); !line.done; line = await iterator.next()) if (line.value.trim() !== "") return line.value;
  return undefined;
}

// ---- the schema, read from the catalog --------------------------------------------------------

/** Output that reads the same on every engine and every server setting. */
async function fixOutputSettings(trx: Transaction<Database>): Promise<void> {
  await sql`set local time zone 'UTC'`.execute(trx);
  await sql`set local extra_float_digits = 1`.execute(trx);
  await sql`set local bytea_output = 'hex'`.execute(trx);
}

/** Every table of the schema, parents before children, and the columns written late. */
async function schemaPlan(trx: Transaction<Database>): Promise<Plan> {
  const columns = await sql<{ table_name: string; column_name: string; is_nullable: string; is_identity: string }>`
    select c.table_name, c.column_name, c.is_nullable, c.is_identity
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(trx);
  const keys = await sql<{ table_name: string; column_name: string }>`
    select cl.relname as table_name, a.attname as column_name
    from pg_index i
    join pg_class cl on cl.oid = i.indrelid
    join pg_namespace n on n.oid = cl.relnamespace
    join pg_attribute a on a.attrelid = cl.oid and a.attnum = any (i.indkey)
    where i.indisprimary and n.nspname = current_schema()`.execute(trx);
  const foreign = await sql<{ table_name: string; references: string; column_name: string }>`
    select cl.relname as table_name, ref.relname as references, a.attname as column_name
    from pg_constraint k
    join pg_class cl on cl.oid = k.conrelid
    join pg_class ref on ref.oid = k.confrelid
    join pg_namespace n on n.oid = cl.relnamespace
    join pg_attribute a on a.attrelid = cl.oid and a.attnum = any (k.conkey)
    where k.contype = 'f' and n.nspname = current_schema()
    order by k.conname, a.attnum`.execute(trx);

  const tables = new Map<string, TableInfo>();
  for (const row of columns.rows) {
    const table = tables.get(row.table_name) ?? { name: row.table_name, columns: [], nullable: new Set<string>(), key: "", identity: [] };
    table.columns.push(row.column_name);
    if (row.is_nullable === "YES") table.nullable.add(row.column_name);
    if (row.is_identity === "YES") table.identity.push(row.column_name);
    tables.set(row.table_name, table);
  }
  const keyColumns = new Map<string, string[]>();
  for (const row of keys.rows) keyColumns.set(row.table_name, [...(keyColumns.get(row.table_name) ?? []), row.column_name]);
  for (const table of tables.values()) {
    const key = keyColumns.get(table.name) ?? [];
    // Every table of ours has a one-column primary key; the backup pages and matches rows by it.
    if (key.length !== 1) throw new Error(`backup: table ${table.name} needs a one-column primary key`);
    table.key = key[0] as string;
  }
  const constraints = new Map<string, ForeignKey>();
  for (const row of foreign.rows) {
    const id = `${row.table_name}→${row.references}`;
    const fk = constraints.get(id) ?? { table: row.table_name, references: row.references, columns: [] };
    if (!fk.columns.includes(row.column_name)) fk.columns.push(row.column_name);
    constraints.set(id, fk);
  }
  return orderTables([...tables.values()].sort((a, b) => a.name.localeCompare(b.name)), [...constraints.values()]);
}

/**
 * Parents before children. A key to the same table, or one that closes a cycle, is deferred:
 * its nullable columns are written as null and filled in last (a null in a composite foreign key
 * switches the check off for that row).
 */
function orderTables(tables: TableInfo[], keys: ForeignKey[]): Plan {
  const deferred = new Map<string, string[]>();
  const defer = (fk: ForeignKey): void => {
    const table = tables.find((candidate) => candidate.name === fk.table) as TableInfo;
    const columns = fk.columns.filter((column) => table.nullable.has(column));
    if (columns.length === 0) throw new Error(`backup: cannot defer ${fk.table} → ${fk.references}`);
    deferred.set(fk.table, [...new Set([...(deferred.get(fk.table) ?? []), ...columns])]);
  };
  let pending = keys.filter((fk) => {
    if (fk.table !== fk.references) return true;
    defer(fk);
    return false;
  });
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.find((table) => !placed.has(table.name) && !pending.some((fk) => fk.table === table.name && !placed.has(fk.references)));
    if (ready) {
      ordered.push(ready);
      placed.add(ready.name);
      continue;
    }
    // Prefer a key that closes a two-table cycle (plans ⇄ plan_versions) over any other.
    const candidates = pending.filter((fk) => !placed.has(fk.table) && !placed.has(fk.references) && fk.columns.some((column) => tables.find((t) => t.name === fk.table)?.nullable.has(column)));
    const breaker = candidates.find((fk) => pending.some((back) => back.table === fk.references && back.references === fk.table)) ?? candidates[0];
    if (!breaker) throw new Error("backup: a cycle of foreign keys without a nullable column");
    defer(breaker);
    pending = pending.filter((fk) => fk !== breaker);
  }
  return { tables: ordered, deferred };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
