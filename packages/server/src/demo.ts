// Demo data for a first run: on a database without any organisation, creates 示例市教育局 with
// its units and accounts, imports seed plans 002 and 004, and plays ten weeks of supervision on
// them (dispatch, sign, reports, a return and resubmission, an extension request, two closings),
// so a newcomer opens a ledger with red, yellow and green lights.
//
// Only the organisation and its first admin are written through the store (no route creates
// them); everything else goes through the public API with app.inject(), so the demo exercises
// the real routes, schemas, workflow and audit trail. The app runs on a clock the demo moves
// through the past weeks; what it records is what the API would have recorded on those days.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { addDays, bureauDay, startOfBureauDay, type IsoDate, type Light } from "@taizhang/core";
import { sql } from "kysely";
import { createOrganisation, createUser, inTransaction, listOrganisations } from "@taizhang/store";
import { buildApp } from "./app.js";
import { CSRF_HEADER, SESSION_COOKIE } from "./auth.js";
import type { Db } from "./context.js";
import {
  DEMO_ACCOUNTS,
  DEMO_ORGANISATION,
  DEMO_PASSWORD,
  DEMO_PLANS,
  DEMO_UNITS,
  HISTORY_START_DAY,
  SCENARIOS,
  type DemoAccount,
  type DemoUnit,
  type Step,
} from "./demo-data.js";
import { hashPassword, type ScryptParams } from "./passwords.js";

export { DEMO_ACCOUNTS, DEMO_ORGANISATION, DEMO_PASSWORD, type DemoAccount } from "./demo-data.js";

/** The repository's seed plans, next to this module in the source tree (src/ and dist/ alike). */
export const DEMO_SEEDS_DIR = fileURLToPath(new URL("../../core/test/fixtures/seeds/", import.meta.url));

const HOUR_MS = 60 * 60 * 1000;
/** Sessions idle out after two hours; the demo signs in again after a shorter pause. */
const SESSION_REUSE_MS = HOUR_MS;
const LEDGER_PAGE = 500;
const ADMIN = "admin";
/** Advisory lock key of the demo's loading ("demo" in ASCII). */
const DEMO_LOCK_KEY = 0x64656d6f;

export interface DemoOptions {
  /** Today, as the demo's history ends; default the system clock. */
  now?: Date;
  /** Where the seed plans are; default the repository's fixtures. */
  seedsDir?: string;
  /** scrypt cost of the demo passwords (tests lower it). */
  passwordParams?: ScryptParams;
}

export type DemoOutcome =
  | { seeded: false; organisations: string[] }
  | {
      seeded: true;
      organisationId: number;
      accounts: readonly DemoAccount[];
      password: string;
      plans: { title: string; tasks: number }[];
      /** What a newcomer should know about the data (deadlines moved, a seed missing). */
      notes: string[];
      lights: Record<Light, number>;
    };

interface TaskRow {
  id: number;
  number: string;
  version: number;
  dueDate: string | null;
  leadUnitId: number | null;
  light: { light: Light };
}

/**
 * Loads the demo when the database has no organisation yet; otherwise leaves it alone. All or
 * nothing: the whole demo is one transaction (the app it drives runs on it), so a first start
 * interrupted half-way leaves an empty database and the next start loads the demo afresh.
 */
export async function seedDemo(db: Db, options: DemoOptions = {}): Promise<DemoOutcome> {
  return inTransaction(db, async (trx) => {
    // Two first starts at once on one PostgreSQL: the second waits here, then finds the demo.
    await sql`select pg_advisory_xact_lock(${DEMO_LOCK_KEY})`.execute(trx);
    return seedIn(trx, options);
  });
}

async function seedIn(db: Db, options: DemoOptions): Promise<DemoOutcome> {
  const existing = await listOrganisations(db);
  if (existing.length > 0) return { seeded: false, organisations: existing.map((organisation) => organisation.name) };

  const now = options.now ?? new Date();
  const today = bureauDay(now);
  const clock = { at: instant(today, HISTORY_START_DAY, 8) };
  const app = buildApp({ db, now: () => clock.at, logger: false, ...(options.passwordParams && { passwordParams: options.passwordParams }) });
  await app.ready();
  try {
    const organisation = await createOrganisation(db, { name: DEMO_ORGANISATION, actorId: null });
    const passwordHash = await hashPassword(DEMO_PASSWORD, options.passwordParams);
    const [first, ...others] = DEMO_ACCOUNTS;
    if (first?.role !== "admin") throw new Error("demo: the first account must be the admin");
    await createUser(db, { organisationId: organisation.id, login: first.login, displayName: first.displayName, role: "admin", passwordHash, actorId: null });
    const api = new DemoClient(app, clock);

    const unitIds = new Map<string, number>();
    await addUnits(api, DEMO_UNITS, null, unitIds);
    // In parallel: hashing a password is the slow part, and it runs on libuv's thread pool.
    await Promise.all(
      others.map((account) => {
        const unitId = account.unit === undefined ? null : (unitIds.get(account.unit) ?? null);
        return api.send(ADMIN, { method: "POST", url: "/api/users", payload: { login: account.login, displayName: account.displayName, password: DEMO_PASSWORD, role: account.role, unitId } });
      }),
    );

    const notes: string[] = [];
    const plans: { title: string; tasks: number }[] = [];
    const steps: TimedStep[] = [];
    let shifted = 0;
    for (const seed of DEMO_PLANS) {
      const file = await findSeed(options.seedsDir ?? DEMO_SEEDS_DIR, seed.prefix);
      if (!file) {
        notes.push(`未找到示例计划 ${seed.prefix}_*.txt(${options.seedsDir ?? DEMO_SEEDS_DIR}),跳过导入。`);
        continue;
      }
      const summary = (await api.send(ADMIN, upload(file.name, file.bytes))) as { plans: { planId: number; title: string; tasks: number }[] };
      for (const plan of summary.plans) {
        plans.push({ title: plan.title, tasks: plan.tasks });
        const rows = await ledger(api, `/api/tasks?plan=${plan.planId}&limit=${LEDGER_PAGE}`);
        for (const row of rows) {
          // The seeds are from 2023: a deadline already past moves by whole years to after today.
          if (row.dueDate !== null && row.dueDate <= today) {
            const dueDate = shiftPastToday(row.dueDate, today);
            const patched = (await api.send(ADMIN, { method: "PATCH", url: `/api/tasks/${row.id}`, payload: { version: row.version, dueDate } })) as TaskRow;
            Object.assign(row, patched);
            shifted++;
          }
          const story = seed.tasks[row.number];
          if (story) steps.push(...taskSteps(row, story.lead === undefined ? row.leadUnitId : (unitIds.get(story.lead) ?? null), SCENARIOS[story.scenario], today));
        }
      }
    }
    if (shifted > 0) notes.push(`演示数据:时限已顺延到本年度(${shifted} 项任务的原定时限按整年顺延到今天以后)。`);

    await playHistory(api, steps, unitIds, today);
    clock.at = now;
    const lights: Record<Light, number> = { red: 0, yellow: 0, green: 0, grey: 0 };
    for (const row of await ledger(api, `/api/tasks?limit=${LEDGER_PAGE}`)) lights[row.light.light]++;
    return { seeded: true, organisationId: organisation.id, accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD, plans, notes, lights };
  } finally {
    await app.close();
  }
}

async function addUnits(api: DemoClient, units: readonly DemoUnit[], parentId: number | null, ids: Map<string, number>): Promise<void> {
  for (const [index, unit] of units.entries()) {
    const created = (await api.send(ADMIN, {
      method: "POST",
      url: "/api/units",
      payload: { name: unit.name, kind: unit.kind, parentId, aliases: unit.aliases ?? [], sortOrder: index },
    })) as { id: number };
    ids.set(unit.name, created.id);
    await addUnits(api, unit.children ?? [], created.id, ids);
  }
}

async function ledger(api: DemoClient, url: string): Promise<TaskRow[]> {
  return ((await api.send(ADMIN, { method: "GET", url })) as { items: TaskRow[] }).items;
}

interface TimedStep {
  at: Date;
  task: TaskRow;
  leadUnitId: number | null;
  step: Step | { by: "admin"; action: { type: "dispatch"; dueDate: IsoDate | null } };
}

/** The dispatch and the scenario's steps of one task, each at its moment. */
function taskSteps(task: TaskRow, leadUnitId: number | null, script: (typeof SCENARIOS)[keyof typeof SCENARIOS], today: IsoDate): TimedStep[] {
  if (script.dispatchDay === null || leadUnitId === null) return [];
  const dueDate = task.dueDate === null && script.due !== null ? addDays(today, script.due) : null;
  return [
    { at: instant(today, script.dispatchDay, 10), task, leadUnitId, step: { by: "admin", action: { type: "dispatch", dueDate } } },
    ...script.steps.map((step) => ({ at: instant(today, step.day, step.hour), task, leadUnitId, step })),
  ];
}

/** Runs every step in time order, each as the account that would take it, on the app's clock. */
async function playHistory(api: DemoClient, steps: readonly TimedStep[], unitIds: Map<string, number>, today: IsoDate): Promise<void> {
  const reporterOf = new Map<number | undefined, string>(DEMO_ACCOUNTS.filter((account) => account.unit !== undefined).map((account) => [unitIds.get(account.unit ?? ""), account.login]));
  // Report periods are months here (the demo sets no cadence); a resubmission after a return
  // is for the period that was returned.
  const periods = new Map<string, string>();
  const returned = new Map<number, string>();
  const ordered = steps.map((step, index) => ({ ...step, index })).sort((a, b) => a.at.getTime() - b.at.getTime() || a.index - b.index);
  const actorOf = (step: TimedStep): string | undefined => (step.step.by === "admin" ? ADMIN : reporterOf.get(step.leadUnitId ?? undefined));
  let signedInDay: IsoDate | undefined;
  for (const [index, timed] of ordered.entries()) {
    const { at, task, leadUnitId, step } = timed;
    api.clock.at = at;
    // Everyone acting today signs in at once (the password checks run in parallel).
    if (bureauDay(at) !== signedInDay) {
      signedInDay = bureauDay(at);
      const today = ordered.slice(index).filter((later) => bureauDay(later.at) === signedInDay);
      await api.signIn(new Set(today.map(actorOf).filter((login) => login !== undefined)));
    }
    // A unit without an account here (a body outside the bureau) takes no steps of its own.
    const who = actorOf(timed);
    if (who === undefined) continue;
    const action = step.action;
    const actions = `/api/tasks/${task.id}/actions`;
    let result: { task: TaskRow };
    switch (action.type) {
      case "dispatch":
        result = await api.act(who, actions, { type: "dispatch", version: task.version, leadUnitId, ...(action.dueDate !== null && { dueDate: action.dueDate }) });
        break;
      case "sign":
      case "start":
      case "close":
        result = await api.act(who, actions, { type: action.type, version: task.version });
        break;
      case "report": {
        const day = bureauDay(at);
        const period = returned.get(task.id) ?? day.slice(0, 7);
        returned.delete(task.id);
        periods.set(`${task.id}@${day}`, period);
        result = (await api.send(who, {
          method: "POST",
          url: `/api/tasks/${task.id}/reports`,
          headers: { "idempotency-key": `demo-${task.id}-${day}` },
          payload: { period, status: action.status, percent: action.percent, narrative: action.narrative, version: task.version },
        })) as { task: TaskRow };
        break;
      }
      case "accept":
      case "return": {
        const period = periods.get(`${task.id}@${addDays(today, action.reportDay)}`);
        if (period === undefined) throw new Error(`demo: task ${task.id} has no report on day ${action.reportDay}`);
        if (action.type === "return") returned.set(task.id, period);
        result = await api.act(
          who,
          actions,
          action.type === "accept" ? { type: "accept_report", version: task.version, period } : { type: "return_report", version: task.version, period, reason: action.reason },
        );
        break;
      }
      case "request_extension":
        result = await api.act(who, actions, { type: "request_extension", version: task.version, dueDate: addDays(today, action.dueDay), reason: action.reason });
        break;
    }
    task.version = result.task.version;
  }
}

/**
 * Signed-in demo accounts over app.inject(), with their cookie and CSRF token. A session is
 * reused while the clock has moved less than its idle timeout, else the account signs in again.
 */
class DemoClient {
  readonly #sessions = new Map<string, { cookie: string; csrf: string; lastUsed: number }>();

  constructor(
    readonly app: FastifyInstance,
    readonly clock: { at: Date },
  ) {}

  async send(login: string, request: InjectOptions): Promise<unknown> {
    const session = await this.#session(login);
    const response = await this.app.inject({ ...request, cookies: { [SESSION_COOKIE]: session.cookie }, headers: { [CSRF_HEADER]: session.csrf, ...request.headers } });
    session.lastUsed = this.clock.at.getTime();
    return expectOk(request, response);
  }

  act(login: string, url: string, payload: Record<string, unknown>): Promise<{ task: TaskRow }> {
    return this.send(login, { method: "POST", url, payload }) as Promise<{ task: TaskRow }>;
  }

  async signIn(logins: Iterable<string>): Promise<void> {
    await Promise.all([...logins].map((login) => this.#session(login)));
  }

  async #session(login: string): Promise<{ cookie: string; csrf: string; lastUsed: number }> {
    const now = this.clock.at.getTime();
    const known = this.#sessions.get(login);
    if (known && now >= known.lastUsed && now - known.lastUsed < SESSION_REUSE_MS) return known;
    const request: InjectOptions = { method: "POST", url: "/api/login", payload: { login, password: DEMO_PASSWORD } };
    const response = await this.app.inject(request);
    const body = expectOk(request, response) as { csrfToken: string };
    const cookie = response.cookies.find((candidate) => candidate.name === SESSION_COOKIE)?.value;
    if (cookie === undefined) throw new Error("demo: login set no session cookie");
    const session = { cookie, csrf: body.csrfToken, lastUsed: now };
    this.#sessions.set(login, session);
    return session;
  }
}

/** The demo is our own script: a refusal is a bug in it (or in the API), not a user's mistake. */
function expectOk(request: InjectOptions, response: LightMyRequestResponse): unknown {
  if (response.statusCode >= 300) throw new Error(`demo: ${request.method} ${request.url} → ${response.statusCode} ${response.body}`);
  return response.body === "" ? undefined : response.json();
}

/** `hour` o'clock (Beijing) on the day `day` days from `today`. */
function instant(today: IsoDate, day: number, hour: number): Date {
  return new Date(startOfBureauDay(addDays(today, day)).getTime() + hour * HOUR_MS);
}

/** The date moved by the fewest whole years that put it after `today` (29 February → 28th). */
export function shiftPastToday(date: IsoDate, today: IsoDate): IsoDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  for (let years = 1; ; years++) {
    const target = year + years;
    const lastDay = new Date(Date.UTC(target, month, 0)).getUTCDate();
    const moved = `${target}-${String(month).padStart(2, "0")}-${String(Math.min(day, lastDay)).padStart(2, "0")}`;
    if (moved > today) return moved;
  }
}

async function findSeed(dir: string, prefix: string): Promise<{ name: string; bytes: Buffer } | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const name = names.find((candidate) => candidate.startsWith(`${prefix}_`) && candidate.endsWith(".txt"));
  return name === undefined ? undefined : { name, bytes: await readFile(join(dir, name)) };
}

const BOUNDARY = "----taizhang-demo";

/** The import route's multipart form with one file, as a browser sends it. */
function upload(fileName: string, bytes: Buffer): InjectOptions {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    method: "POST",
    url: "/api/plans/import",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([Buffer.from(head, "utf8"), bytes, Buffer.from(`\r\n--${BOUNDARY}--\r\n`, "utf8")]),
  };
}
