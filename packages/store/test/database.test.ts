import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { StoreError, inTransaction, migrate, openDatabase, optionsFromEnv } from "../src/index.js";
import { POSTGRES_URL, databaseUrl, describeEngines } from "./engines.js";

/** The state letter in /proc/PID/stat ("R", "S", "Z"…); "" when there is no such process. */
async function processState(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return /\) (\S)/.exec(stat.slice(stat.lastIndexOf(")")))?.[1] ?? "";
}

// A pid no process has: Linux pids stop at 2^22.
const DEAD_PID = 4_194_304 + 1;
const OPEN_TIMEOUT_MS = 60_000;

describe("openDatabase on a data folder (PGlite)", () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "taizhang-store-"));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test("keeps data across close and reopen; one opener at a time", async () => {
    const dataDir = join(folder, "data");
    const first = await openDatabase({ dataDir });
    expect(first.engine).toBe("pglite");
    await migrate(first.db);
    await first.db.insertInto("organisations").values({ name: "衡阳市教育局" }).execute();
    expect(await readFile(join(dataDir, "taizhang.lock"), "utf8")).toBe(String(process.pid));

    const second = await openDatabase({ dataDir }).catch((error: unknown) => error);
    expect((second as StoreError).code).toBe("DATA_DIR_IN_USE");

    await first.close();
    const reopened = await openDatabase({ dataDir });
    const rows = await reopened.db.selectFrom("organisations").select("name").execute();
    expect(rows).toEqual([{ name: "衡阳市教育局" }]);
    expect(await migrate(reopened.db)).toEqual({ applied: [] });
    await reopened.close();
  }, OPEN_TIMEOUT_MS);

  test("a lock left by a killed process is taken over", async () => {
    const dataDir = join(folder, "data");
    await openDatabase({ dataDir }).then((handle) => handle.close());
    await writeFile(join(dataDir, "taizhang.lock"), String(DEAD_PID));
    const handle = await openDatabase({ dataDir });
    expect(await readFile(join(dataDir, "taizhang.lock"), "utf8")).toBe(String(process.pid));
    await handle.close();
  }, OPEN_TIMEOUT_MS);

  // After SIGKILL the dead server stays a zombie until its parent reaps it (an init that reaps
  // slowly, or never); signal 0 still reaches a zombie, yet it will never touch the folder again.
  test.skipIf(process.platform !== "linux")("a lock left by a killed process not yet reaped (a zombie) is taken over", async () => {
    const dataDir = join(folder, "data");
    await openDatabase({ dataDir }).then((handle) => handle.close());
    // `sleep 0` exits at once; its parent becomes `sleep 30`, which never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()))));
      await expect.poll(async () => processState(zombie)).toBe("Z");
      await writeFile(join(dataDir, "taizhang.lock"), String(zombie));
      const handle = await openDatabase({ dataDir });
      expect(await readFile(join(dataDir, "taizhang.lock"), "utf8")).toBe(String(process.pid));
      await handle.close();
    } finally {
      parent.kill("SIGKILL");
    }
  }, OPEN_TIMEOUT_MS);

  test("a data folder that cannot be made is a clerk's message, not a stack trace", async () => {
    const file = join(folder, "a-file");
    await writeFile(file, "");
    const error = await openDatabase({ dataDir: join(file, "data") }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("DATA_DIR_NOT_WRITABLE");
    expect((error as StoreError).message).toBe("无法写入数据文件夹");
    expect((error as StoreError).fix).toContain("TAIZHANG_DATA");
  });

  test("a data folder holding a database it cannot start is refused and released", async () => {
    const dataDir = join(folder, "data");
    await mkdir(join(dataDir, "pgdata"), { recursive: true });
    await writeFile(join(dataDir, "pgdata", "PG_VERSION"), "99\n");
    const error = await openDatabase({ dataDir }).catch((caught: unknown) => caught);
    expect((error as StoreError).code).toBe("DATA_DIR_UNUSABLE");
    expect(await readdir(dataDir)).toEqual(["pgdata"]);
  }, OPEN_TIMEOUT_MS);
});

test("the environment chooses the engine; empty variables count as unset", () => {
  expect(optionsFromEnv({ DATABASE_URL: "postgres://db/ledger", TAIZHANG_DATA: "/srv/data" })).toEqual({ url: "postgres://db/ledger", dataDir: "/srv/data" });
  expect(optionsFromEnv({ DATABASE_URL: " ", TAIZHANG_DATA: "" })).toEqual({});
});

describe("openDatabase on a server", () => {
  test("a server that is not there is reported unreachable", async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const error = await openDatabase({ url: "postgres://postgres@127.0.0.1:1/postgres" }).catch((caught: unknown) => caught);
    expect((error as StoreError).code).toBe("DATABASE_UNREACHABLE");
    expect((error as StoreError).message).toBe("无法连接数据库服务器");
  });

  test("a malformed URL is named as such", async () => {
    for (const url of ["not a url", "mysql://x@127.0.0.1/db", "postgres://u@127.0.0.1:notaport/db"]) {
      const error = await openDatabase({ url }).catch((caught: unknown) => caught);
      expect((error as StoreError).code, url).toBe("DATABASE_URL_INVALID");
    }
  });

  test.runIf(POSTGRES_URL)("a database that does not exist is named as such", async () => {
    const error = await openDatabase({ url: databaseUrl(POSTGRES_URL ?? "", "taizhang_no_such_database") }).catch((caught: unknown) => caught);
    expect((error as StoreError).code).toBe("DATABASE_NOT_FOUND");
  });
});

describeEngines("values and transactions", (context) => {
  test("both engines read values the same way", async () => {
    const result = await sql<{ day: unknown; days: unknown; instant: unknown; count: unknown; doc: unknown; bytes: unknown; real: unknown }>`
      select '2024-07-31'::date as day,
             array['2024-03-31'::date, '2024-12-31'::date] as days,
             '2024-07-31T08:00:00Z'::timestamptz as instant,
             count(*) as count,
             '{"a": [1, "二"]}'::jsonb as doc,
             '\\x0102'::bytea as bytes,
             1.5::float8 as real
      from (values (1), (2)) as t(x)`.execute(context.db);
    const row = result.rows[0];
    expect(row?.day).toBe("2024-07-31");
    expect(row?.days).toEqual(["2024-03-31", "2024-12-31"]);
    expect(row?.instant).toEqual(new Date("2024-07-31T08:00:00Z"));
    expect(row?.count).toBe(2);
    expect(row?.doc).toEqual({ a: [1, "二"] });
    expect([...(row?.bytes as Uint8Array)]).toEqual([1, 2]);
    expect(row?.real).toBe(1.5);
  });

  test("a failed transaction leaves nothing; concurrent transactions do not lose updates", async () => {
    const { db } = context;
    const failed = db.transaction().execute(async (trx) => {
      await trx.insertInto("organisations").values({ name: "半途" }).execute();
      throw new Error("stop");
    });
    await expect(failed).rejects.toThrow("stop");
    expect(await db.selectFrom("organisations").selectAll().execute()).toEqual([]);

    const { id } = await db.insertInto("organisations").values({ name: "计数" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("units").values({ organisation_id: id, name: "计数器", kind: "其他" }).execute();
    const increments = 10;
    // Read-then-write in each transaction: interleaved without isolation, increments would be lost.
    await Promise.all(
      Array.from({ length: increments }, () =>
        inTransaction(db, async (trx) => {
          const unit = await trx.selectFrom("units").select(["id", "sort_order"]).where("organisation_id", "=", id).forUpdate().executeTakeFirstOrThrow();
          await trx.updateTable("units").set({ sort_order: unit.sort_order + 1 }).where("id", "=", unit.id).execute();
        }),
      ),
    );
    const unit = await db.selectFrom("units").select("sort_order").where("organisation_id", "=", id).executeTakeFirstOrThrow();
    expect(unit.sort_order).toBe(increments);
  });

  test("a savepoint rolls back part of a transaction", async () => {
    const { db } = context;
    const trx = await db.startTransaction().execute();
    await trx.insertInto("organisations").values({ name: "保留" }).execute();
    const attempt = await trx.savepoint("attempt").execute();
    await attempt.insertInto("organisations").values({ name: "撤回" }).execute();
    await attempt.rollbackToSavepoint("attempt").execute();
    await trx.commit().execute();
    const names = await db.selectFrom("organisations").select("name").execute();
    expect(names).toEqual([{ name: "保留" }]);
  });
});
