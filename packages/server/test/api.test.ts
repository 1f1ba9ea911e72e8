// The API as a whole: authorization on every route (a table that must cover every registered
// route), the OpenAPI document (every route, structurally valid), and errors: always the one
// shape with a catalogued code, never a stack trace.
import { readFileSync } from "node:fs";
import type { InjectOptions, LightMyRequestResponse, RouteOptions } from "fastify";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { expect, test } from "vitest";
import type { Database } from "@taizhang/store";
import { createChannel, recordNotice } from "@taizhang/store";
import { SESSION_COOKIE, TEST_SCRYPT, buildApp, errorCatalogue } from "../src/index.js";
import { PASSWORD, describeEngines, errorCode, makeWorld, multipartUpload, seedFile, type World } from "./helpers.js";

type Role = "anonymous" | "admin" | "leader" | "ownReporter" | "foreignReporter";
const ROLES: readonly Role[] = ["anonymous", "foreignReporter", "leader", "ownReporter", "admin"];

interface Fixture {
  world: World;
  taskId: number;
  planId: number;
  /** The task's current version (edits move it). */
  version(): Promise<number>;
  db: Kysely<Database>;
}

interface RouteCase {
  method: string;
  url: string;
  request(fixture: Fixture, serial: number): Promise<InjectOptions> | InjectOptions;
  /** Status per role, with the error code when it is a refusal. */
  expect: Record<Role, number | [number, string]>;
}

const UNAUTH: [number, string] = [401, "UNAUTHENTICATED"];
const FORBID: [number, string] = [403, "FORBIDDEN"];
const HIDDEN: [number, string] = [404, "TASK_NOT_FOUND"];
const NO_NOTIFICATION: [number, string] = [404, "NOTIFICATION_NOT_FOUND"];

/** A notice on task 5 as the scheduler records one: a reminder to 市财政局, or the office's escalation with its 督办单. */
async function recordedNotice(f: Fixture, serial: number, audience: "unit" | "office"): Promise<number> {
  const lead = { id: String(f.world.units.finance.id), name: "市财政局" };
  const draft = { year: 2025, issuedOn: "2025-03-03", level: "office", task: { id: String(f.taskId), number: "5", title: "提升队伍素质" }, units: { lead, co: [] }, dueDate: "2025-03-01", period: null, overdueDays: 2, requirement: "请书面反馈。", replyBy: "2025-03-06" };
  const recorded = await recordNotice(f.db, {
    organisationId: f.world.organisationId,
    at: new Date(),
    notice: {
      taskId: f.taskId,
      kind: audience === "unit" ? "due_reminder" : "escalation_office",
      audience,
      stage: audience === "unit" ? "7d" : "overdue:4",
      dedupeKey: `api-${serial}`,
      unitIds: [f.world.units.finance.id],
      dueDate: "2025-03-01",
      period: null,
      overdueDays: 0,
      title: "提醒",
      body: "提醒",
      supervision: audience === "office" ? { year: 2025, draft } : null,
    },
  });
  if (!recorded) throw new Error("the notice was not recorded");
  return recorded.notice.id;
}

/** A webhook channel to a closed port: a test message fails fast, and that is an answer (200). */
async function webhookChannel(f: Fixture, serial: number): Promise<number> {
  const channel = await createChannel(f.db, { organisationId: f.world.organisationId, name: `渠道${serial}`, kind: "webhook", settings: { url: "http://127.0.0.1:1/hook" }, actorId: null });
  return channel.id;
}

/** Every route, and what each kind of user gets: task 5 is the own reporter's (市财政局), not the foreign one's (市卫健委). */
const ROUTES: readonly RouteCase[] = [
  { method: "POST", url: "/api/login", request: () => ({ method: "POST", url: "/api/login", payload: { login: "admin", password: PASSWORD } }), expect: { anonymous: 200, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  { method: "POST", url: "/api/logout", request: () => ({ method: "POST", url: "/api/logout" }), expect: { anonymous: UNAUTH, admin: 204, leader: 204, ownReporter: 204, foreignReporter: 204 } },
  { method: "GET", url: "/api/session", request: () => ({ method: "GET", url: "/api/session" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  { method: "GET", url: "/api/units", request: () => ({ method: "GET", url: "/api/units" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  {
    method: "POST",
    url: "/api/units",
    request: (_f, serial) => ({ method: "POST", url: "/api/units", payload: { name: `单位${serial}`, kind: "学校" } }),
    expect: { anonymous: UNAUTH, admin: 201, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  { method: "GET", url: "/api/users", request: () => ({ method: "GET", url: "/api/users" }), expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID } },
  {
    method: "POST",
    url: "/api/users",
    request: (_f, serial) => ({ method: "POST", url: "/api/users", payload: { login: `user${serial}`, displayName: "新用户", password: "long-enough-1", role: "leader" } }),
    expect: { anonymous: UNAUTH, admin: 201, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  { method: "GET", url: "/api/plans", request: () => ({ method: "GET", url: "/api/plans" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  // Both reporters have a task in the plan; plans.test.ts covers a unit without one (404).
  { method: "GET", url: "/api/plans/:id", request: (f) => ({ method: "GET", url: `/api/plans/${f.planId}` }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  { method: "GET", url: "/api/plans/:id/source", request: (f) => ({ method: "GET", url: `/api/plans/${f.planId}/source` }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/tasks", request: () => ({ method: "GET", url: "/api/tasks" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  { method: "GET", url: "/api/tasks/:id", request: (f) => ({ method: "GET", url: `/api/tasks/${f.taskId}` }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: HIDDEN } },
  {
    method: "PATCH",
    url: "/api/tasks/:id",
    request: async (f, serial) => ({ method: "PATCH", url: `/api/tasks/${f.taskId}`, payload: { version: await f.version(), title: `标题${serial}` } }),
    expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  {
    // Signing a task not yet dispatched: the unit may sign, but not now; the office and leaders never.
    method: "POST",
    url: "/api/tasks/:id/actions",
    request: async (f) => ({ method: "POST", url: `/api/tasks/${f.taskId}/actions`, payload: { type: "sign", version: await f.version() } }),
    expect: { anonymous: UNAUTH, admin: [403, "NOT_ALLOWED"], leader: [403, "NOT_ALLOWED"], ownReporter: [409, "INVALID_TRANSITION"], foreignReporter: HIDDEN },
  },
  {
    method: "POST",
    url: "/api/tasks/:id/reports",
    request: (f, serial) => ({ method: "POST", url: `/api/tasks/${f.taskId}/reports`, headers: { "idempotency-key": `k${serial}` }, payload: { period: "2025-03", status: "正常推进", percent: 10 } }),
    expect: { anonymous: UNAUTH, admin: FORBID, leader: FORBID, ownReporter: [409, "INVALID_TRANSITION"], foreignReporter: HIDDEN },
  },
  { method: "GET", url: "/api/tasks/export.xlsx", request: () => ({ method: "GET", url: "/api/tasks/export.xlsx" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  { method: "GET", url: "/api/cockpit", request: (f) => ({ method: "GET", url: `/api/cockpit?plan=${f.planId}` }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/reviews", request: () => ({ method: "GET", url: "/api/reviews" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/tasks/:id/audit", request: (f) => ({ method: "GET", url: `/api/tasks/${f.taskId}/audit` }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: HIDDEN } },
  {
    method: "POST",
    url: "/api/plans/preview",
    request: () => {
      const seed = seedFile("002");
      return { ...multipartUpload(seed.name, seed.bytes), url: "/api/plans/preview" };
    },
    expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  {
    // A plan of its own (a new file name each time), so the plan the rows above use stays as it is.
    method: "POST",
    url: "/api/plans/confirm",
    request: async (_f, serial) => {
      const { createHash } = await import("node:crypto");
      const source = "授权测试计划\n1.开展测试工作。\n";
      const title = "开展测试工作";
      const at = source.indexOf(title);
      const task = { path: "1", number: "1", title, measures: 0, units: [], lead_units: [], deadlines: [], targets: [], start: at - 2, end: at + title.length + 1, line: 2, title_start: at, title_end: at + title.length, unit_refs: [] };
      const fileName = `授权测试${serial}.txt`;
      const plan = { source: fileName, part: 1, title: "授权测试计划", issuer: null, doc_number: null, year: null, date: null, sections: [], tasks: [task], start: 0, end: source.length };
      return { method: "POST", url: "/api/plans/confirm", payload: { fileName, sha256: createHash("sha256").update(source).digest("hex"), source, plans: [plan] } };
    },
    expect: { anonymous: UNAUTH, admin: 201, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  {
    method: "PUT",
    url: "/api/plans/:id/cadence",
    request: (f) => ({ method: "PUT", url: `/api/plans/${f.planId}/cadence`, payload: { cadence: { kind: "monthly" } } }),
    expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  {
    method: "PUT",
    url: "/api/tasks/:id/cadence",
    request: async (f) => ({ method: "PUT", url: `/api/tasks/${f.taskId}/cadence`, payload: { version: await f.version(), cadence: { kind: "quarterly" } } }),
    expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  { method: "GET", url: "/api/tasks/:id/comments", request: (f) => ({ method: "GET", url: `/api/tasks/${f.taskId}/comments` }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: HIDDEN } },
  {
    method: "POST",
    url: "/api/tasks/:id/comments",
    request: (f, serial) => ({ method: "POST", url: `/api/tasks/${f.taskId}/comments`, payload: { body: `意见${serial}` } }),
    expect: { anonymous: UNAUTH, admin: 201, leader: 201, ownReporter: 201, foreignReporter: HIDDEN },
  },
  { method: "GET", url: "/api/tasks/:id/evidence", request: (f) => ({ method: "GET", url: `/api/tasks/${f.taskId}/evidence` }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: HIDDEN } },
  {
    method: "POST",
    url: "/api/tasks/:id/evidence",
    request: (f, serial) => ({ ...multipartUpload(`佐证${serial}.txt`, Buffer.from(`佐证材料 ${serial}`)), url: `/api/tasks/${f.taskId}/evidence` }),
    expect: { anonymous: UNAUTH, admin: 201, leader: FORBID, ownReporter: 201, foreignReporter: HIDDEN },
  },
  {
    // A file of the task, uploaded by the office for each request.
    method: "GET",
    url: "/api/evidence/:id",
    request: async (f, serial) => {
      const admin = await f.world.login(f.world.users.admin);
      const uploaded = await admin.request({ ...multipartUpload(`下载${serial}.txt`, Buffer.from(`下载 ${serial}`)), url: `/api/tasks/${f.taskId}/evidence` });
      return { method: "GET", url: `/api/evidence/${(uploaded.json() as { id: number }).id}` };
    },
    expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: [404, "EVIDENCE_NOT_FOUND"] },
  },
  { method: "GET", url: "/api/bulletins/:period", request: () => ({ method: "GET", url: "/api/bulletins/2025-03" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/bulletins/:period/docx", request: () => ({ method: "GET", url: "/api/bulletins/2025-03/docx" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/bulletins/:period/xlsx", request: () => ({ method: "GET", url: "/api/bulletins/2025-03/xlsx" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/assessment/:period", request: () => ({ method: "GET", url: "/api/assessment/2025-03" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/assessment/:period/xlsx", request: () => ({ method: "GET", url: "/api/assessment/2025-03/xlsx" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  { method: "GET", url: "/api/notifications", request: () => ({ method: "GET", url: "/api/notifications" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: 200, foreignReporter: 200 } },
  {
    // A reminder to 市财政局: only its reporters are shown it, so only they may mark it read.
    method: "POST",
    url: "/api/notifications/:id/read",
    request: async (f, serial) => ({ method: "POST", url: `/api/notifications/${await recordedNotice(f, serial, "unit")}/read` }),
    expect: { anonymous: UNAUTH, admin: NO_NOTIFICATION, leader: NO_NOTIFICATION, ownReporter: 200, foreignReporter: NO_NOTIFICATION },
  },
  { method: "GET", url: "/api/supervision-notices", request: () => ({ method: "GET", url: "/api/supervision-notices" }), expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID } },
  {
    method: "GET",
    url: "/api/supervision-notices/:id",
    request: async (f, serial) => ({ method: "GET", url: `/api/supervision-notices/${await recordedNotice(f, serial, "office")}` }),
    expect: { anonymous: UNAUTH, admin: 200, leader: 200, ownReporter: FORBID, foreignReporter: FORBID },
  },
  { method: "GET", url: "/api/channels", request: () => ({ method: "GET", url: "/api/channels" }), expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID } },
  {
    method: "POST",
    url: "/api/channels",
    request: (_f, serial) => ({ method: "POST", url: "/api/channels", payload: { name: `渠道${serial}`, kind: "wecom", settings: { url: "http://127.0.0.1:1/cgi-bin/webhook/send?key=k" } } }),
    expect: { anonymous: UNAUTH, admin: 201, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  {
    method: "PATCH",
    url: "/api/channels/:id",
    request: async (f, serial) => ({ method: "PATCH", url: `/api/channels/${await webhookChannel(f, serial)}`, payload: { enabled: false } }),
    expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  {
    method: "POST",
    url: "/api/channels/:id/test",
    request: async (f, serial) => ({ method: "POST", url: `/api/channels/${await webhookChannel(f, serial)}/test` }),
    expect: { anonymous: UNAUTH, admin: 200, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
  // Last: a new version of the plan replaces the tasks the rows above use.
  {
    method: "POST",
    url: "/api/plans/import",
    request: () => {
      const seed = seedFile("002");
      return multipartUpload(seed.name, seed.bytes);
    },
    expect: { anonymous: UNAUTH, admin: 201, leader: FORBID, ownReporter: FORBID, foreignReporter: FORBID },
  },
];

/** The routes an app registers under /api (HEAD twins and the docs left out), as "METHOD /path". */
function collectRoutes(app: ReturnType<typeof buildApp>): string[] {
  const routes: string[] = [];
  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD" || !route.url.startsWith("/api") || route.url.startsWith("/api/docs")) continue;
      routes.push(`${method} ${route.url}`);
    }
  });
  return routes;
}

const STACK_TRACE = /\n\s+at |\bat \S+ \(|node_modules|\.ts:\d+|\.js:\d+/;

function expectCleanError(response: LightMyRequestResponse): void {
  expect(response.body).not.toMatch(STACK_TRACE);
  const body = response.json() as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(["error"]);
  const code = errorCode(response);
  expect(errorCatalogue()[code]?.status, code).toBe(response.statusCode);
}

describeEngines("api", (context) => {
  async function fixture(): Promise<Fixture> {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const taskId = ids.get("5") ?? 0;
    const plan = await context.db.selectFrom("tasks").select("plan_id").where("id", "=", taskId).executeTakeFirstOrThrow();
    const version = async () => (await context.db.selectFrom("tasks").select("version").where("id", "=", taskId).executeTakeFirstOrThrow()).version;
    return { world, taskId, planId: plan.plan_id, version, db: context.db };
  }

  test("every route checks authorization: the table covers every registered route", async () => {
    const app = buildApp({ db: context.db, passwordParams: TEST_SCRYPT });
    const registered = collectRoutes(app);
    await app.ready();
    await app.close();
    expect(new Set(registered)).toEqual(new Set(ROUTES.map((route) => `${route.method} ${route.url}`)));

    const f = await fixture();
    const users = { admin: f.world.users.admin, leader: f.world.users.leader, ownReporter: f.world.users.financeReporter, foreignReporter: f.world.users.healthReporter };
    let serial = 0;
    for (const route of ROUTES) {
      for (const role of ROLES) {
        const options = await route.request(f, ++serial);
        const response = role === "anonymous" ? await f.world.app.inject(options) : await (await f.world.login(users[role])).request(options);
        const expected = route.expect[role];
        const label = `${route.method} ${route.url} as ${role}: ${response.body.slice(0, 200)}`;
        if (Array.isArray(expected)) {
          expect([response.statusCode, errorCode(response)], label).toEqual(expected);
          expectCleanError(response);
        } else {
          expect(response.statusCode, label).toBe(expected);
        }
      }
    }
  });

  test("the OpenAPI document lists every route and is structurally valid OpenAPI 3.1", async () => {
    const world = await makeWorld(context);
    const response = await world.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as OpenApiDocument;
    expect(doc.openapi).toBe("3.1.0");
    expect(typeof doc.info.title).toBe("string");
    expect(typeof doc.info.version).toBe("string");
    const listed = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(new Set(listed)).toEqual(new Set(ROUTES.map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, "{$1}")}`)));
    expect(validateOpenApi(doc)).toEqual([]);
    // The UI is served too.
    const ui = await world.app.inject({ method: "GET", url: "/api/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers["content-type"]).toContain("text/html");
  });

  test("bad input gets a 4xx with a code and a Chinese message, never a 500 or a stack trace", async () => {
    const world = await makeWorld(context);
    await world.importSeed();
    const admin = await world.login(world.users.admin);
    const reporter = await world.login(world.users.financeReporter);
    const huge = JSON.stringify({ login: "admin", password: "x".repeat(2 * 1024 * 1024) });
    const cases: [Promise<LightMyRequestResponse>, number, string][] = [
      [world.app.inject({ method: "GET", url: "/api/nope" }), 404, "ROUTE_NOT_FOUND"],
      [world.app.inject({ method: "DELETE", url: "/api/tasks/1" }), 404, "ROUTE_NOT_FOUND"],
      [world.app.inject({ method: "POST", url: "/api/login", headers: { "content-type": "application/json" }, payload: "{bad json" }), 400, "INVALID_JSON"],
      [world.app.inject({ method: "POST", url: "/api/login", headers: { "content-type": "application/json" }, payload: huge }), 413, "BODY_TOO_LARGE"],
      [world.app.inject({ method: "POST", url: "/api/login", headers: { "content-type": "text/plain" }, payload: "admin" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
      [world.app.inject({ method: "POST", url: "/api/login", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "login=admin&password=x" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
      [world.app.inject({ method: "POST", url: "/api/login", payload: { login: "admin' OR '1'='1", password: "' OR '1'='1" } }), 401, "LOGIN_FAILED"],
      [world.app.inject({ method: "POST", url: "/api/login", payload: { login: { $ne: null }, password: "x" } }), 400, "VALIDATION_FAILED"],
      [world.app.inject({ method: "POST", url: "/api/login", headers: { "content-type": "application/json" }, payload: '{"login":"admin","password":"x","__proto__":{"role":"admin"}}' }), 400, "INVALID_JSON"],
      [admin.request({ method: "GET", url: "/api/tasks?limit=abc" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks?limit=100000" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks?status=%27%20OR%201%3D1%20--" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks?unit=1;drop%20table%20tasks" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks?sort=id" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks/99999999999" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks/-1" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks/1.5" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks/%27%20or%201=1" }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "GET", url: "/api/tasks/2147483647" }), 404, "TASK_NOT_FOUND"],
      [admin.request({ method: "POST", url: "/api/tasks/1/actions", headers: { "content-type": "application/json" }, payload: '"not an object"' }), 400, "VALIDATION_FAILED"],
      [admin.request({ method: "POST", url: "/api/tasks/1/actions", payload: "sign" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
      [admin.request({ method: "POST", url: "/api/tasks/1/actions", payload: [] }), 400, "VALIDATION_FAILED"],
      [reporter.request({ method: "POST", url: "/api/tasks/1/reports", headers: { "idempotency-key": "k" }, payload: { period: "x", status: "正常推进", percent: 101 } }), 400, "VALIDATION_FAILED"],
      [reporter.request({ method: "POST", url: "/api/tasks/1/reports", headers: { "idempotency-key": "k" }, payload: { period: "x", status: "正常推进", percent: 50, kpiValues: [{ kpiId: "一", value: 1 }] } }), 400, "VALIDATION_FAILED"],
      [reporter.request({ method: "POST", url: "/api/tasks/1/reports", headers: { "idempotency-key": "k".repeat(500) }, payload: { period: "x", status: "正常推进", percent: 50 } }), 400, "VALIDATION_FAILED"],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      expect([response.statusCode, errorCode(response)], response.body).toEqual([status, code]);
      expectCleanError(response);
      expect((response.json() as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const limit = await admin.request({ method: "GET", url: "/api/tasks?limit=abc" });
    expect((limit.json() as { error: { message: string } }).error.message).toBe("“每页条数”应为整数。");

    // SQL in a name is only a name.
    const named = await admin.request({ method: "POST", url: "/api/units", payload: { name: "'); drop table tasks; --", kind: "其他" } });
    expect(named.statusCode).toBe(201);
    expect(((await admin.request({ method: "GET", url: "/api/tasks" })).json() as { items: unknown[] }).items).toHaveLength(17);
  });

  test("an unexpected error is a generic 500 with the details in the log only", async () => {
    const world = await makeWorld(context);
    const app = buildApp({ db: context.db, passwordParams: TEST_SCRYPT, logger: { level: "error", stream: { write: (line: string) => void world.logs.push(line) } } });
    app.get("/api/boom", { config: { access: { public: true } } }, async () => {
      throw new Error("secret detail: connection string postgres://user:pw@db");
    });
    try {
      const response = await app.inject({ method: "GET", url: "/api/boom" });
      expect([response.statusCode, errorCode(response)]).toEqual([500, "INTERNAL_ERROR"]);
      expect(response.body).not.toContain("secret detail");
      expectCleanError(response);
      expect(world.logs.join("\n")).toContain("secret detail");
    } finally {
      await app.close();
    }
  });

  test("a database that cannot be reached is 503 DATABASE_UNREACHABLE", async () => {
    // A pool pointed at a port nobody listens on: what the app sees when PostgreSQL goes away.
    const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 2000 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const app = buildApp({ db, passwordParams: TEST_SCRYPT });
    try {
      const login = await app.inject({ method: "POST", url: "/api/login", payload: { login: "admin", password: PASSWORD } });
      expect([login.statusCode, errorCode(login)]).toEqual([503, "DATABASE_UNREACHABLE"]);
      expectCleanError(login);
      const session = await app.inject({ method: "GET", url: "/api/tasks", cookies: { [SESSION_COOKIE]: "some-token" } });
      expect([session.statusCode, errorCode(session)]).toEqual([503, "DATABASE_UNREACHABLE"]);
    } finally {
      await app.close();
      await db.destroy();
    }
  });

  test("every error code is documented in the README, with a Chinese message and a fix", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const [code, entry] of Object.entries(errorCatalogue())) {
      expect(readme, code).toContain(`\`${code}\``);
      expect(entry.message, code).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.fix.length, code).toBeGreaterThan(0);
      expect(entry.status >= 400 && entry.status < 600, code).toBe(true);
    }
  });
});

// ---- a structural OpenAPI check (no validator package in the workspace) -----------------------

interface OpenApiDocument {
  openapi: string;
  info: { title: unknown; version: unknown };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}
interface Operation {
  responses?: Record<string, { description?: unknown; content?: Record<string, { schema?: unknown }> }>;
  parameters?: { name?: unknown; in?: unknown; required?: unknown; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  security?: Record<string, unknown>[];
  summary?: unknown;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const PARAMETER_LOCATIONS = new Set(["path", "query", "header", "cookie"]);

/** The problems found; empty when the document holds together. */
function validateOpenApi(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  const schemas = doc.components?.schemas ?? {};
  const schemes = doc.components?.securitySchemes ?? {};
  const refs: string[] = [];
  const collectRefs = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collectRefs);
    else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "$ref" && typeof inner === "string") refs.push(inner);
        else collectRefs(inner);
      }
    }
  };
  collectRefs(doc);
  for (const ref of refs) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    if (name === undefined || !(name in schemas)) problems.push(`unresolved $ref ${ref}`);
  }
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith("/")) problems.push(`path ${path} does not start with /`);
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    for (const [method, operation] of Object.entries(operations)) {
      const where = `${method} ${path}`;
      if (!HTTP_METHODS.has(method)) problems.push(`${where}: not an HTTP method`);
      if (typeof operation.summary !== "string") problems.push(`${where}: no summary`);
      const responses = Object.entries(operation.responses ?? {});
      if (responses.length === 0) problems.push(`${where}: no responses`);
      for (const [status, response] of responses) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: bad status key ${status}`);
        if (typeof response.description !== "string") problems.push(`${where} ${status}: no description`);
      }
      if (!responses.some(([status]) => status === "4XX")) problems.push(`${where}: errors undocumented`);
      for (const parameter of operation.parameters ?? []) {
        if (typeof parameter.name !== "string" || !PARAMETER_LOCATIONS.has(String(parameter.in)) || parameter.schema === undefined) problems.push(`${where}: bad parameter ${JSON.stringify(parameter)}`);
        if (parameter.in === "path" && parameter.required !== true) problems.push(`${where}: path parameter ${String(parameter.name)} not required`);
      }
      for (const name of templated) {
        if (!(operation.parameters ?? []).some((parameter) => parameter.in === "path" && parameter.name === name)) problems.push(`${where}: path parameter ${name} undeclared`);
      }
      for (const requirement of operation.security ?? []) {
        for (const scheme of Object.keys(requirement)) if (!(scheme in schemes)) problems.push(`${where}: unknown security scheme ${scheme}`);
      }
      if (operation.requestBody && Object.keys(operation.requestBody.content ?? {}).length === 0) problems.push(`${where}: empty requestBody`);
    }
  }
  return problems;
}
