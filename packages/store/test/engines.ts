// Runs a store test suite on every engine: PGlite always, and a real PostgreSQL server when
// TEST_DATABASE_URL is set (scripts/postgres-test-server.sh starts one). Each test gets a fresh
// copy of a database migrated once per file: a PGlite restored from a dump of the migrated one,
// or a PostgreSQL database created from the migrated one as template. Nothing is mocked.
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import { createPGlite, migrate, openDatabase, wrapPGlite, type Database, type DatabaseHandle, type Engine } from "../src/index.js";

export const POSTGRES_URL = process.env.TEST_DATABASE_URL;
export const ENGINES: readonly Engine[] = POSTGRES_URL ? ["pglite", "postgres"] : ["pglite"];

// Starting PGlite runs initdb in WASM (seconds); per-file setup gets room for a busy machine.
const SETUP_TIMEOUT_MS = 120_000;

export interface EngineContext {
  readonly engine: Engine;
  /** This test's migrated database. */
  readonly db: Kysely<Database>;
  /**
   * A database with no tables yet, reached through `connections` handles: separate pools on
   * PostgreSQL (as separate app instances would be), the one PGlite on PGlite. Closed after the test.
   */
  emptyDatabase(connections?: number): Promise<DatabaseHandle[]>;
}

interface EngineFixture {
  setup(): Promise<void>;
  fresh(): Promise<DatabaseHandle>;
  empty(connections: number): Promise<DatabaseHandle[]>;
  teardownTest(): Promise<void>;
  teardown(): Promise<void>;
}

export function describeEngines(title: string, body: (context: EngineContext) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, () => {
      const fixture = engine === "pglite" ? pgliteFixture() : postgresFixture(POSTGRES_URL ?? "");
      let current: DatabaseHandle | undefined;
      beforeAll(() => fixture.setup(), SETUP_TIMEOUT_MS);
      afterAll(() => fixture.teardown(), SETUP_TIMEOUT_MS);
      beforeEach(async () => {
        current = await fixture.fresh();
      }, SETUP_TIMEOUT_MS);
      afterEach(async () => {
        await current?.close();
        current = undefined;
        await fixture.teardownTest();
      }, SETUP_TIMEOUT_MS);
      body({
        engine,
        get db() {
          if (!current) throw new Error("the database exists only inside a test");
          return current.db;
        },
        emptyDatabase: (connections = 1) => fixture.empty(connections),
      });
    });
  }
}

function pgliteFixture(): EngineFixture {
  let emptyDump: Blob | undefined;
  let migratedDump: Blob | undefined;
  const opened: DatabaseHandle[] = [];
  return {
    async setup() {
      const base = await createPGlite();
      emptyDump = await base.dumpDataDir("none");
      const handle = wrapPGlite(base);
      await migrate(handle.db);
      migratedDump = await base.dumpDataDir("none");
      await handle.close();
    },
    async fresh() {
      return wrapPGlite(await createPGlite({ loadDataDir: migratedDump }));
    },
    async empty(connections) {
      const handle = wrapPGlite(await createPGlite({ loadDataDir: emptyDump }));
      opened.push(handle);
      return Array.from({ length: connections }, () => handle);
    },
    async teardownTest() {
      await Promise.all(opened.splice(0).map((handle) => handle.close()));
    },
    async teardown() {},
  };
}

function postgresFixture(url: string): EngineFixture {
  const prefix = `taizhang_test_${randomBytes(4).toString("hex")}`;
  const template = `${prefix}_template`;
  /** Databases made for the running test, dropped after it. */
  const perTest: string[] = [];
  const opened: DatabaseHandle[] = [];
  let admin: pg.Client | undefined;
  let counter = 0;

  const createDatabase = async (from?: string): Promise<string> => {
    const name = `${prefix}_${++counter}`;
    await admin?.query(`create database ${name}${from ? ` template ${from}` : ""}`);
    perTest.push(name);
    return name;
  };
  const dropDatabase = async (name: string): Promise<void> => {
    await admin?.query(`drop database if exists ${name} with (force)`);
  };

  return {
    async setup() {
      admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database ${template}`);
      const handle = await openDatabase({ url: databaseUrl(url, template) });
      await migrate(handle.db);
      // A template must have no open connections when a database is created from it.
      await handle.close();
    },
    async fresh() {
      return openDatabase({ url: databaseUrl(url, await createDatabase(template)) });
    },
    async empty(connections) {
      const name = await createDatabase();
      const handles = await Promise.all(Array.from({ length: connections }, () => openDatabase({ url: databaseUrl(url, name) })));
      opened.push(...handles);
      return handles;
    },
    async teardownTest() {
      await Promise.all(opened.splice(0).map((handle) => handle.close()));
      for (const name of perTest.splice(0)) await dropDatabase(name);
    },
    async teardown() {
      await dropDatabase(template);
      await admin?.end();
    },
  };
}

/** The same server and credentials, another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
