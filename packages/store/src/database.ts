// Opens the ledger's database: a real PostgreSQL server when a URL is given, else PGlite (the
// same PostgreSQL, compiled to WASM, in-process) on a data folder. Both come back as the same
// Kysely<Database>, with values read the same way, so nothing above this module knows which.
import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { StoreError, classifyConnectionError, classifyDataDirError } from "./errors.js";
import { PGliteDialect } from "./pglite-dialect.js";
import type { Database } from "./schema-types.js";
import type { Transaction } from "kysely";

export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** Waits for work in flight, then closes the pool or PGlite and releases the data folder. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… : use that server. Wins over dataDir. */
  url?: string;
  /** The data folder for PGlite (default ./data); "memory://" keeps everything in memory. */
  dataDir?: string;
  /** Most connections the pool opens to a PostgreSQL server. */
  poolSize?: number;
}

export const DEFAULT_DATA_DIR = "./data";
export const MEMORY_DATA_DIR = "memory://";
const DEFAULT_POOL_SIZE = 10;
/** A server that does not answer in this time is reported unreachable rather than waited on. */
const CONNECT_TIMEOUT_MS = 10_000;
// Inside the data folder: PostgreSQL's own files, and our lock beside them.
const PGDATA_SUBDIR = "pgdata";
const LOCK_FILE = "taizhang.lock";

// PostgreSQL type ids whose default parsing differs between pg and PGlite.
// Widened to number: pg's typings list only scalar built-ins and would refuse the array ids.
const TYPE_OID: Record<"int8" | "date" | "dateArray" | "textArray", number> = { int8: 20, date: 1082, dateArray: 1182, textArray: 1009 };

/**
 * What the environment asks for: DATABASE_URL (a server) and TAIZHANG_DATA (the data folder).
 * An empty variable counts as unset. The caller passes `process.env`, so this module reads none.
 */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>>): OpenOptions {
  const url = env.DATABASE_URL?.trim();
  const dataDir = env.TAIZHANG_DATA?.trim();
  return { ...(url ? { url } : {}), ...(dataDir ? { dataDir } : {}) };
}

/** Opens the server at `url` when given, else PGlite on `dataDir`. */
export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options.poolSize ?? DEFAULT_POOL_SIZE) : openDataDir(options.dataDir ?? DEFAULT_DATA_DIR);
}

// ---- PostgreSQL server -------------------------------------------------------------------

// Calendar days stay strings ("2024-07-31"): pg's default makes them local-midnight Dates, which
// shift a day in any timezone west of UTC. int8 (count(*)) becomes a number as PGlite does;
// our counts and ids stay far below 2^53.
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
    if (oid === TYPE_OID.date) return (value: string) => value;
    if (oid === TYPE_OID.int8) return (value: string) => Number(value);
    if (oid === TYPE_OID.dateArray) return pg.types.getTypeParser(TYPE_OID.textArray, format ?? "text");
    return pg.types.getTypeParser(oid, format ?? "text");
  },
} as pg.CustomTypesConfig;

// pg reads the URL only when it first connects, and reads a malformed one as a host name; a
// typo in DATABASE_URL should say so, not "server unreachable".
const URL_PROTOCOLS = new Set(["postgres:", "postgresql:", "socket:"]);

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  if (!URL.canParse(url) || !URL_PROTOCOLS.has(new URL(url).protocol)) throw new StoreError("DATABASE_URL_INVALID");
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types: pgTypes });
  // An idle client whose server went away emits "error"; unhandled it would end the process.
  // The next query takes a fresh client and reports the failure where it can be handled.
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw classifyConnectionError(error) ?? new StoreError("DATABASE_UNREACHABLE", { cause: error });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: "postgres", close: () => db.destroy() };
}

// ---- PGlite on a data folder ---------------------------------------------------------------

// Same-process guard: a lock file naming our own pid could also be a stale one from a killed
// process that had our pid (pid 1 in a container), so we remember which locks are ours.
const heldLocks = new Set<string>();

/** PGlite options that make it read values as the pg pool above does. */
export const PGLITE_PARSERS = {
  [TYPE_OID.date]: (value: string) => value,
  [TYPE_OID.int8]: (value: string) => Number(value),
};

async function openDataDir(dataDir: string): Promise<DatabaseHandle> {
  if (dataDir === MEMORY_DATA_DIR) return wrapPGlite(await startPGlite(MEMORY_DATA_DIR));
  const folder = resolve(dataDir);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw classifyDataDirError(error) ?? new StoreError("DATA_DIR_NOT_WRITABLE", { detail: folder, cause: error });
  }
  const lockPath = join(folder, LOCK_FILE);
  await takeLock(lockPath);
  try {
    const pglite = await startPGlite(join(folder, PGDATA_SUBDIR));
    return wrapPGlite(pglite, () => releaseLock(lockPath));
  } catch (error) {
    await releaseLock(lockPath);
    throw error;
  }
}

async function startPGlite(pgdata: string): Promise<PGlite> {
  try {
    return await PGlite.create(pgdata, { parsers: PGLITE_PARSERS });
  } catch (error) {
    throw classifyDataDirError(error) ?? new StoreError("DATA_DIR_UNUSABLE", { cause: error });
  }
}

/** A handle over a PGlite the caller created (tests use it for clones); close() closes the PGlite. */
export function wrapPGlite(pglite: PGlite, onClose?: () => Promise<void>): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: "pglite",
    close: async () => {
      try {
        await db.destroy();
      } finally {
        await onClose?.();
      }
    },
  };
}

/** Creates a PGlite with the store's parsers: `loadDataDir` restores a dumpDataDir() tarball. */
export async function createPGlite(options: { loadDataDir?: Blob | File } = {}): Promise<PGlite> {
  return PGlite.create({ parsers: PGLITE_PARSERS, ...options });
}

// PGlite does not stop two processes from opening one folder, and two PostgreSQL backends on
// one PGDATA corrupt it. The lock holds our pid; a lock whose process is gone (killed) is stale.
async function takeLock(lockPath: string): Promise<void> {
  if (heldLocks.has(lockPath)) throw new StoreError("DATA_DIR_IN_USE", { detail: "本程序已打开" });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lockPath, "wx");
      await file.writeFile(String(process.pid));
      await file.close();
      heldLocks.add(lockPath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw classifyDataDirError(error) ?? new StoreError("DATA_DIR_NOT_WRITABLE", { cause: error });
      }
    }
    const owner = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
    if (Number.isInteger(owner) && owner !== process.pid && (await isAlive(owner))) {
      throw new StoreError("DATA_DIR_IN_USE", { detail: `进程 ${owner}` });
    }
    await unlink(lockPath).catch(() => undefined);
  }
  throw new StoreError("DATA_DIR_IN_USE");
}

async function releaseLock(lockPath: string): Promise<void> {
  heldLocks.delete(lockPath);
  await unlink(lockPath).catch(() => undefined);
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means the folder is in use.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !(await isZombie(pid));
}

// A killed server stays in the process table as a zombie until its parent reaps it, which an
// init that reaps slowly (or never, in some containers) delays: signal 0 still reaches it, but
// it will never touch the folder again. Linux says so in /proc; elsewhere we cannot tell.
async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // "pid (command) state …": the command may itself hold spaces and parentheses.
  const state = stat.slice(stat.lastIndexOf(")") + 1).trim()[0];
  return state === "Z" || state === "X";
}

/**
 * Runs `work` in a transaction, or in the caller's when `db` already is one (Kysely cannot nest
 * them), so a repository function is atomic on its own and composes inside a larger change.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
