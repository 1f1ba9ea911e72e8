// The API under test: a bureau with units and one user of each kind on a real, freshly migrated
// database (PGlite in-process, and PostgreSQL when TEST_DATABASE_URL is set, through the store's
// engine helper), a fixed clock the test can move, and signed-in clients that carry their
// session cookie and CSRF token the way a browser would.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { onTestFinished } from "vitest";
import { createOrganisation, createUnit, createUser, type Unit, type User } from "@taizhang/store";
import { CSRF_HEADER, SESSION_COOKIE, TEST_SCRYPT, buildApp, hashPassword } from "../src/index.js";
import type { EngineContext } from "../../store/test/engines.js";

export { describeEngines } from "../../store/test/engines.js";

export const PASSWORD = "correct-horse-9";
/** Monday 3 March 2025, 09:00 in Beijing. */
export const START = new Date("2025-03-03T09:00:00+08:00");
export const DAY_MS = 24 * 60 * 60 * 1000;

const SEEDS_DIR = fileURLToPath(new URL("../../core/test/fixtures/seeds/", import.meta.url));
const FORMATS_DIR = fileURLToPath(new URL("../../core/test/fixtures/formats/", import.meta.url));

export function seedFile(prefix: string): { name: string; bytes: Buffer } {
  const name = readdirSync(SEEDS_DIR).find((file) => file.startsWith(`${prefix}_`) && file.endsWith(".txt"));
  if (!name) throw new Error(`no seed ${prefix}_*.txt`);
  return { name, bytes: readFileSync(join(SEEDS_DIR, name)) };
}

export function formatFile(name: string): { name: string; bytes: Buffer } {
  return { name, bytes: readFileSync(join(FORMATS_DIR, name)) };
}

export interface Clock {
  now(): Date;
  advance(ms: number): void;
  set(at: Date): void;
}

export function fixedClock(start: Date = START): Clock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
    set: (at) => {
      current = at;
    },
  };
}

export interface Client {
  user: User;
  cookie: string;
  csrf: string;
  /** inject with this client's cookie (and CSRF token, unless the test overrides headers). */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface World {
  app: FastifyInstance;
  clock: Clock;
  organisationId: number;
  units: { bureau: Unit; finance: Unit; labour: Unit; health: Unit };
  users: { admin: User; leader: User; financeReporter: User; labourReporter: User; healthReporter: User };
  login(user: User, options?: { ip?: string; password?: string }): Promise<Client>;
  /** Imports seed 002 as admin; returns the task ids by number ("1"…"17"). */
  importSeed(): Promise<Map<string, number>>;
  logs: string[];
}

/** Builds the world in the test's fresh database; the app is closed after the test. */
export async function makeWorld(context: EngineContext): Promise<World> {
  const { db } = context;
  const clock = fixedClock();
  const { id: organisationId } = await createOrganisation(db, { name: "衡阳市教育局", actorId: null });
  const unit = (name: string, parentId: number | null = null) => createUnit(db, { organisationId, name, kind: parentId === null ? "科室" : "其他", parentId, actorId: null });
  const bureau = await unit("市教育局");
  // Names as seed 002 writes them, so imported tasks are matched to these units.
  const finance = await unit("市财政局", bureau.id);
  const labour = await unit("市人社局", bureau.id);
  const health = await unit("市卫健委", bureau.id);
  const hash = await hashPassword(PASSWORD, TEST_SCRYPT);
  const user = (login: string, role: User["role"], unitId: number | null = null) =>
    createUser(db, { organisationId, login, displayName: login, passwordHash: hash, role, unitId, actorId: null });
  const users = {
    admin: await user("admin", "admin"),
    leader: await user("leader", "leader"),
    financeReporter: await user("finance", "reporter", finance.id),
    labourReporter: await user("labour", "reporter", labour.id),
    healthReporter: await user("health", "reporter", health.id),
  };
  const logs: string[] = [];
  const app = buildApp({
    db,
    now: clock.now,
    passwordParams: TEST_SCRYPT,
    logger: { level: "info", stream: { write: (line: string) => void logs.push(line) } },
  });
  onTestFinished(async () => {
    await app.close();
  });
  await app.ready();

  const login = async (who: User, options: { ip?: string; password?: string } = {}): Promise<Client> => {
    const response = await app.inject({
      method: "POST",
      url: "/api/login",
      payload: { login: who.login, password: options.password ?? PASSWORD },
      ...(options.ip ? { remoteAddress: options.ip } : {}),
    });
    if (response.statusCode !== 200) throw new Error(`login ${who.login}: ${response.statusCode} ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
    const csrf = (response.json() as { csrfToken: string }).csrfToken;
    if (!cookie) throw new Error("no session cookie");
    return {
      user: who,
      cookie,
      csrf,
      request: (options) =>
        app.inject({
          ...options,
          cookies: { [SESSION_COOKIE]: cookie, ...options.cookies },
          headers: { [CSRF_HEADER]: csrf, ...options.headers },
        }),
    };
  };

  const importSeed = async (): Promise<Map<string, number>> => {
    const admin = await login(users.admin);
    const seed = seedFile("002");
    const response = await admin.request(multipartUpload(seed.name, seed.bytes));
    if (response.statusCode !== 201) throw new Error(`import: ${response.statusCode} ${response.body}`);
    const list = await admin.request({ method: "GET", url: "/api/tasks" });
    const items = (list.json() as { items: { id: number; number: string }[] }).items;
    return new Map(items.map((item) => [item.number, item.id]));
  };

  return { app, clock, organisationId, units: { bureau, finance, labour, health }, users, login, importSeed, logs };
}

const BOUNDARY = "----taizhang-test-boundary";

/** A multipart/form-data POST of one file to the import route, as a browser form sends it. */
export function multipartUpload(fileName: string, bytes: Buffer, field = "file"): InjectOptions {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    "utf8",
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`, "utf8");
  return {
    method: "POST",
    url: "/api/plans/import",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([head, bytes, tail]),
  };
}

/** The error code of a response, asserting it has the one error shape and nothing else. */
export function errorCode(response: LightMyRequestResponse): string {
  const body = response.json() as { error?: { code?: unknown; message?: unknown } };
  if (typeof body.error?.code !== "string" || typeof body.error.message !== "string") throw new Error(`not an error body: ${response.body}`);
  return body.error.code;
}
