// `taizhang backup FILE` and `taizhang restore FILE`: the whole ledger to one file and back.
// The backup is written through a temporary file and renamed, so FILE is either the previous
// one or a complete new backup; the restore is one transaction into an empty database.
import path from "node:path";
import { BackupError, dumpDatabase, restoreDatabase } from "./backup.js";
import type { Io } from "./extract-command.js";
import { formatBytes, readLines, writeAtomicStream } from "./files.js";
import { CliError, withLedger, type Env } from "./ledger.js";

export async function runBackup(file: string, io: Io, env: Env): Promise<number> {
  return withLedger(env, async (db) => {
    let bytes = 0;
    const header = await writeAtomicStream(file, (write) =>
      dumpDatabase(db, async (line) => {
        bytes += Buffer.byteLength(line);
        await write(line);
      }),
    );
    const rows = header.tables.reduce((sum, table) => sum + table.rows, 0);
    const count = (name: string): number => header.tables.find((table) => table.name === name)?.rows ?? 0;
    io.stdout(
      `已备份到 ${path.resolve(file)}(${formatBytes(bytes)}):${header.tables.length} 张表,${rows} 行` +
        `(单位体系 ${count("organisations")},用户 ${count("users")},计划 ${count("plans")},任务 ${count("tasks")},报送 ${count("reports")})。\n`,
    );
    return 0;
  });
}

export async function runRestore(file: string, io: Io, env: Env): Promise<number> {
  const lines = await readLines(file);
  return withLedger(
    env,
    async (db) => {
      try {
        const { rows, upgraded } = await restoreDatabase(db, lines);
        const upgrade = upgraded.length > 0 ? `备份来自较早的版本,已升级数据库结构(${upgraded.join("、")})。` : "";
        io.stdout(`已从 ${path.resolve(file)} 恢复 ${rows} 行数据。${upgrade}\n`);
        return 0;
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message);
        throw error;
      }
    },
    { migrate: false },
  );
}
