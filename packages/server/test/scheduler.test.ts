// The supervision scheduler on a real database with a fixed clock: the reminders, 催办 and
// escalations core's rules call for, recorded once, shown in the message centre to the right
// people only, numbered as 督办单 without gaps, and delivered once over real receivers on
// loopback (an SMTP sink, HTTP endpoints that answer as robots and fail as told), also with two
// app instances ticking at once on one database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { createChannel, createUser, listDeliveries, listNotices, migrate, claimDeliveries, type DeliveryRecord } from "@taizhang/store";
import type { RetryClock, RetryPolicy } from "../src/delivery/retry.js";
import { DEMO_PASSWORD, ServeConfigError, TEST_SCRYPT, buildApp, seedDemo, serve, serveOptionsFromEnv } from "../src/index.js";
import { createScheduler, dueNotices, type Scheduler } from "../src/scheduler.js";
import { PASSWORD, describeEngines, errorCode, makeWorld, type Client, type World } from "./helpers.js";
import { decodeHeader, parseMessage, receiver, smtpSink, type ReceivedRequest } from "./receivers.js";

/** 09:00 in Beijing on a bureau day. */
function morning(date: string): Date {
  return new Date(`${date}T09:00:00+08:00`);
}

/** Waits that cost no time: the retry loop's clock moves only when it sleeps. */
function instantRetries(): RetryClock {
  let time = Date.parse("2025-07-01T00:00:00Z");
  return { now: () => new Date(time), sleep: async (ms) => void (time += ms), random: () => 0.5 };
}

const RUN_RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 60_000 };
const REDELIVERY: RetryPolicy = { maxAttempts: 2, initialDelayMs: 5 * 60_000, multiplier: 3, maxDelayMs: 6 * 60 * 60_000 };

function scheduler(world: { db: Parameters<typeof createScheduler>[0]["db"] }, instance: string): Scheduler {
  return createScheduler({ db: world.db, instance, runRetry: RUN_RETRY, redelivery: REDELIVERY, retryClock: instantRetries(), webhookTimeoutMs: 2000, smtpTimeoutMs: 2000 });
}

interface Notification {
  id: number;
  taskId: number;
  kind: string;
  audience: string;
  stage: string;
  title: string;
  body: string;
  supervisionNumber: string | null;
  readAt: string | null;
}

async function notifications(client: Client): Promise<{ items: Notification[]; unread: number }> {
  const response = await client.request({ method: "GET", url: "/api/notifications" });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Notification[]; unread: number };
}

/** Dispatches task `number` of seed 002 as the office, led by `leadUnitId`, due `dueDate`. */
async function dispatch(world: World, ids: Map<string, number>, number: string, leadUnitId: number, dueDate: string): Promise<number> {
  const admin = await world.login(world.users.admin);
  const taskId = ids.get(number) ?? 0;
  const response = await admin.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { type: "dispatch", version: 1, leadUnitId, dueDate } });
  expect(response.statusCode, response.body).toBe(200);
  return taskId;
}

/** A generic webhook endpoint that fails each notice's first two requests (HTTP 500), then takes it. */
async function flakyEndpoint(): Promise<{ url: string; requests: ReceivedRequest[]; byNotice(): Map<string, number[]> }> {
  const seen = new Map<string, number>();
  const endpoint = await receiver((request) => {
    const key = noticeKey(request);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count <= 2 ? { status: 500, body: "busy" } : { status: 200, body: "" };
  });
  return {
    ...endpoint,
    // The statuses each notice got, in order.
    byNotice: () => {
      const statuses = new Map<string, number[]>();
      for (const request of endpoint.requests) {
        const key = noticeKey(request);
        const earlier = statuses.get(key) ?? [];
        statuses.set(key, [...earlier, earlier.length < 2 ? 500 : 200]);
      }
      return statuses;
    },
  };
}

function noticeKey(request: ReceivedRequest): string {
  const body = request.body as { title?: string; body?: string; markdown?: { title?: string; text?: string } };
  return body.markdown ? `${body.markdown.title}|${body.markdown.text}` : `${body.title}|${body.body}`;
}

describeEngines("scheduler", (context) => {
  test("reminders 7, 3 and 1 days before, each stage once, to the reporters of the task's units only", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    // Task 7 names 市教育局, 市财政局 and 市人社局: 市财政局 leads, the other two are co-units.
    const taskId = await dispatch(world, ids, "7", world.units.finance.id, "2025-06-30");
    const runner = scheduler(context, "a");

    expect((await runner.tick(morning("2025-06-22"))).recorded).toBe(0);
    expect((await runner.tick(morning("2025-06-23"))).recorded).toBe(2);
    expect((await runner.tick(morning("2025-06-23"))).recorded).toBe(0);
    for (const day of ["2025-06-24", "2025-06-25", "2025-06-26"]) expect((await runner.tick(morning(day))).recorded, day).toBe(0);
    expect((await runner.tick(morning("2025-06-27"))).recorded).toBe(2);
    expect((await runner.tick(morning("2025-06-29"))).recorded).toBe(2);
    expect((await runner.tick(morning("2025-06-30"))).recorded).toBe(0);

    const notices = await listNotices(context.db, { organisationId: world.organisationId, taskId });
    expect(notices.map((notice) => [notice.kind, notice.stage, notice.audience, notice.unitIds])).toEqual([
      ["due_reminder", "7d", "unit", [world.units.finance.id]],
      ["due_reminder", "7d", "unit", [world.units.bureau.id, world.units.labour.id]],
      ["due_reminder", "3d", "unit", [world.units.finance.id]],
      ["due_reminder", "3d", "unit", [world.units.bureau.id, world.units.labour.id]],
      ["due_reminder", "1d", "unit", [world.units.finance.id]],
      ["due_reminder", "1d", "unit", [world.units.bureau.id, world.units.labour.id]],
    ]);
    expect(notices.every((notice) => notice.supervisionNumber === null)).toBe(true);

    world.clock.set(morning("2025-06-30"));
    const finance = await world.login(world.users.financeReporter);
    const lead = await notifications(finance);
    expect(lead.unread).toBe(3);
    // Newest first, in the words of the bureau.
    expect(lead.items.map((item) => item.stage)).toEqual(["1d", "3d", "7d"]);
    // Seed 002's task 7 as the extractor titles it.
    const title = "保障教师待";
    expect(lead.items[2]?.title).toBe(`到期提醒:${title}`);
    expect(lead.items[2]?.body).toBe(`你单位牵头的“${title}”任务将于2025年6月30日到期(还有7天),请抓紧推进并按时报送办理情况。`);
    const labour = await notifications(await world.login(world.users.labourReporter));
    expect(labour.items.map((item) => [item.stage, item.body.startsWith("你单位配合的")])).toEqual([["1d", true], ["3d", true], ["7d", true]]);
    // A unit not on the task, the leader and the office hear nothing of reminders.
    for (const user of [world.users.healthReporter, world.users.leader, world.users.admin]) {
      expect((await notifications(await world.login(user))).items, user.login).toEqual([]);
    }

    const first = lead.items[0] as Notification;
    const read = await finance.request({ method: "POST", url: `/api/notifications/${first.id}/read` });
    expect(read.json()).toEqual({ id: first.id, readAt: morning("2025-06-30").toISOString() });
    world.clock.advance(60_000);
    // Reading again keeps the first time; another unit cannot read (or learn of) it.
    expect((await finance.request({ method: "POST", url: `/api/notifications/${first.id}/read` })).json()).toEqual({ id: first.id, readAt: morning("2025-06-30").toISOString() });
    const health = await world.login(world.users.healthReporter);
    const foreign = await health.request({ method: "POST", url: `/api/notifications/${first.id}/read` });
    expect([foreign.statusCode, errorCode(foreign)]).toEqual([404, "NOTIFICATION_NOT_FOUND"]);
    const after = await notifications(finance);
    expect(after.unread).toBe(2);
    expect(after.items[0]?.readAt).toBe(morning("2025-06-30").toISOString());
    const unreadOnly = (await finance.request({ method: "GET", url: "/api/notifications?unread=true&limit=1" })).json() as { items: Notification[]; hasMore: boolean };
    expect(unreadOnly.items.map((item) => item.stage)).toEqual(["3d"]);
    expect(unreadOnly.hasMore).toBe(true);
  });

  test("overdue: 催办 to the units, then the unit's leader, then the office, each escalation a numbered 督办单", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const taskId = await dispatch(world, ids, "7", world.units.finance.id, "2025-06-30");
    const runner = scheduler(context, "a");

    expect((await runner.tick(morning("2025-07-01"))).recorded).toBe(2);
    const leaderDay = await runner.tick(morning("2025-07-02"));
    expect(leaderDay).toMatchObject({ recorded: 1, supervisionNotices: 1 });
    expect((await runner.tick(morning("2025-07-03"))).recorded).toBe(0);
    expect(await runner.tick(morning("2025-07-04"))).toMatchObject({ recorded: 1, supervisionNotices: 1 });
    // The office's stage stays in force while the task is late: recorded once all the same.
    expect((await runner.tick(morning("2025-07-20"))).recorded).toBe(0);

    const notices = await listNotices(context.db, { organisationId: world.organisationId, taskId });
    expect(notices.map((notice) => [notice.kind, notice.stage, notice.audience, notice.supervisionNumber])).toEqual([
      ["overdue", "overdue:1", "unit", null],
      ["overdue", "overdue:1", "unit", null],
      ["escalation_leader", "overdue:2", "unit_leader", "督办〔2025〕第1号"],
      ["escalation_office", "overdue:4", "office", "督办〔2025〕第2号"],
    ]);

    world.clock.set(morning("2025-07-04"));
    const finance = await notifications(await world.login(world.users.financeReporter));
    expect(finance.items.map((item) => item.kind)).toEqual(["overdue"]);
    // The leader has no unit: with no leader of 市财政局, every leader hears it.
    expect((await notifications(await world.login(world.users.leader))).items.map((item) => [item.kind, item.supervisionNumber])).toEqual([["escalation_leader", "督办〔2025〕第1号"]]);
    expect((await notifications(await world.login(world.users.admin))).items.map((item) => [item.kind, item.supervisionNumber])).toEqual([["escalation_office", "督办〔2025〕第2号"]]);
    expect((await notifications(await world.login(world.users.healthReporter))).items).toEqual([]);

    // A leader of 市财政局 joins: the escalation is now theirs alone; a leader of another unit does not see it.
    const { hashPassword } = await import("../src/passwords.js");
    const hash = await hashPassword(PASSWORD, TEST_SCRYPT);
    const own = await createUser(context.db, { organisationId: world.organisationId, login: "finance-leader", displayName: "财政局领导", passwordHash: hash, role: "leader", unitId: world.units.finance.id, actorId: null });
    const other = await createUser(context.db, { organisationId: world.organisationId, login: "labour-leader", displayName: "人社局领导", passwordHash: hash, role: "leader", unitId: world.units.labour.id, actorId: null });
    expect((await notifications(await world.login(own))).items.map((item) => item.kind)).toEqual(["escalation_leader"]);
    expect((await notifications(await world.login(other))).items).toEqual([]);
    expect((await notifications(await world.login(world.users.leader))).items).toEqual([]);

    // The 督办单 list and one for printing; reporters may not see them.
    const leader = await world.login(world.users.leader);
    const list = (await leader.request({ method: "GET", url: "/api/supervision-notices" })).json() as { items: { id: number; number: string; level: string; leadUnit: string; overdueDays: number; replyBy: string }[] };
    expect(list.items.map((item) => [item.number, item.level, item.leadUnit, item.overdueDays])).toEqual([
      ["督办〔2025〕第2号", "office", "市财政局", 4],
      ["督办〔2025〕第1号", "unit_leader", "市财政局", 2],
    ]);
    const detail = await leader.request({ method: "GET", url: `/api/supervision-notices/${list.items[1]?.id}` });
    expect(detail.statusCode).toBe(200);
    const printed = detail.json() as { number: string; replyBy: string; requirement: string; lines: string[]; units: { lead: { name: string }; co: { name: string }[] } };
    expect(printed).toMatchObject({ number: "督办〔2025〕第1号", replyBy: "2025-07-07", units: { lead: { name: "市财政局" } } });
    expect(printed.units.co.map((unit) => unit.name)).toEqual(["市教育局", "市人社局"]);
    expect(printed.lines.slice(0, 2)).toEqual(["督办单", "督办〔2025〕第1号"]);
    expect(printed.lines).toContain("反馈时限:2025年7月7日前");
    expect(printed.lines.at(-1)).toBe("督查室 2025年7月2日");
    const reporter = await world.login(world.users.financeReporter);
    expect(errorCode(await reporter.request({ method: "GET", url: "/api/supervision-notices" }))).toBe("FORBIDDEN");
    const overdue = notices[0]?.id ?? 0;
    expect(errorCode(await leader.request({ method: "GET", url: `/api/supervision-notices/${overdue}` }))).toBe("SUPERVISION_NOTICE_NOT_FOUND");
  });

  test("deliveries: each notice once per channel of its audience, a receiver failing twice gets three attempts, all recorded", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    await dispatch(world, ids, "7", world.units.finance.id, "2025-06-30");
    const flaky = await flakyEndpoint();
    const robot = await receiver(() => ({ status: 200, body: JSON.stringify({ errcode: 0, errmsg: "ok" }) }));
    const sink = await smtpSink();
    const admin = await world.login(world.users.admin);
    const add = async (payload: Record<string, unknown>) => {
      const response = await admin.request({ method: "POST", url: "/api/channels", payload });
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: number; settings: Record<string, unknown> };
    };
    const webhook = await add({ name: "督查平台", kind: "webhook", settings: { url: flaky.url } });
    const dingtalk = await add({ name: "督查室钉钉群", kind: "dingtalk", settings: { url: robot.url, secret: "SECabc" }, audiences: ["unit"] });
    const email = await add({ name: "督查室邮箱", kind: "smtp", settings: { host: "127.0.0.1", port: sink.port, from: "督查室 <duban@jyj.test>", to: ["leader@jyj.test"] }, audiences: ["unit_leader", "office"] });
    // Secrets do not come back: the robot's token and 加签 key are masked.
    expect(dingtalk.settings).toEqual({ url: robot.url.replace("access_token=tok", "access_token=******"), secret: "******" });

    const runner = scheduler(context, "a");
    expect(await runner.tick(morning("2025-07-01"))).toMatchObject({ recorded: 2, sent: 4, failed: 0, retrying: 0 });
    expect(await runner.tick(morning("2025-07-02"))).toMatchObject({ recorded: 1, sent: 2 });
    expect(await runner.tick(morning("2025-07-02"))).toMatchObject({ recorded: 0, sent: 0 });

    // Three notices on the webhook, each failed twice then taken; the two 催办 on the robot; the 督办 by email.
    expect([...flaky.byNotice().values()]).toEqual([[500, 500, 200], [500, 500, 200], [500, 500, 200]]);
    expect(robot.requests.map((request) => (request.body as { markdown: { title: string } }).markdown.title.slice(0, 3))).toEqual(["催办:", "催办:"]);
    expect(sink.mails).toHaveLength(1);
    const mail = parseMessage(sink.mails[0]?.data ?? "");
    expect(decodeHeader(mail.headers.get("subject") ?? "")).toMatch(/^督办:/);
    expect(sink.mails[0]?.to).toEqual(["leader@jyj.test"]);

    const deliveries = await listDeliveries(context.db, { organisationId: world.organisationId });
    expect(deliveries).toHaveLength(6);
    expect(deliveries.every((delivery) => delivery.state === "sent" && delivery.sentAt !== null)).toBe(true);
    const onWebhook = deliveries.filter((delivery) => delivery.channelId === webhook.id);
    for (const delivery of onWebhook) {
      expect(delivery.attempts.map((attempt) => [attempt.attempt, attempt.ok, attempt.code, attempt.instance])).toEqual([
        [1, false, "WEBHOOK_HTTP_STATUS", "a"],
        [2, false, "WEBHOOK_HTTP_STATUS", "a"],
        [3, true, null, "a"],
      ]);
    }
    expect(deliveries.filter((delivery) => delivery.channelId === email.id).map((delivery) => delivery.attempts.length)).toEqual([1]);
  });

  test("a run whose attempts all fail leaves the delivery for a later run, with backoff; a final refusal fails at once", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    await dispatch(world, ids, "7", world.units.finance.id, "2025-06-30");
    const down = await receiver(() => ({ status: 503, body: "maintenance" }));
    const gone = await receiver(() => ({ status: 404, body: "no such hook" }));
    const maintenance = await createChannel(context.db, { organisationId: world.organisationId, name: "维护中", kind: "webhook", settings: { url: down.url }, audiences: ["unit_leader"], actorId: null });
    const removed = await createChannel(context.db, { organisationId: world.organisationId, name: "已删除", kind: "webhook", settings: { url: gone.url }, audiences: ["unit_leader"], actorId: null });
    const deliveryOn = async (channelId: number): Promise<DeliveryRecord | undefined> =>
      (await listDeliveries(context.db, { organisationId: world.organisationId })).find((delivery) => delivery.channelId === channelId);
    const runner = scheduler(context, "a");

    const day = morning("2025-07-02");
    expect(await runner.tick(day)).toMatchObject({ recorded: 1, sent: 0, failed: 1, retrying: 1 });
    expect(down.requests).toHaveLength(3);
    expect(gone.requests).toHaveLength(1);
    const waiting = await deliveryOn(maintenance.id);
    expect(await deliveryOn(removed.id)).toMatchObject({ state: "failed", lastCode: "WEBHOOK_HTTP_STATUS", attempts: [{ attempt: 1, ok: false, retryable: false }] });
    // 5 minutes, half of it jitter (random 0.5): the next run after 3¾ minutes.
    expect(waiting).toMatchObject({ state: "pending", nextAttemptAt: new Date(day.getTime() + 225_000) });
    expect((waiting as DeliveryRecord).attempts).toHaveLength(3);

    expect(await runner.tick(new Date(day.getTime() + 60_000))).toMatchObject({ sent: 0, failed: 0, retrying: 0 });
    expect(down.requests).toHaveLength(3);
    // The second run is the last one the policy allows: failed for good, all six attempts kept.
    expect(await runner.tick(new Date(day.getTime() + 225_000))).toMatchObject({ failed: 1, retrying: 0 });
    const final = await deliveryOn(maintenance.id);
    expect(final?.state).toBe("failed");
    expect(final?.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(down.requests).toHaveLength(6);
  });

  test("a delivery leased by an instance that stopped is left alone until its lease runs out", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    await dispatch(world, ids, "7", world.units.finance.id, "2025-06-30");
    const endpoint = await receiver(() => ({ status: 200, body: "" }));
    await createChannel(context.db, { organisationId: world.organisationId, name: "平台", kind: "webhook", settings: { url: endpoint.url }, audiences: ["unit_leader"], actorId: null });
    const day = morning("2025-07-02");
    const recorder = scheduler(context, "recorder");
    expect(await recorder.record(day)).toEqual({ recorded: 1, supervisionNotices: 1 });
    // An instance claims the delivery and stops before sending it.
    expect(await claimDeliveries(context.db, { instance: "crashed", now: day, leaseMs: 10 * 60_000, limit: 10 })).toHaveLength(1);
    const other = scheduler(context, "other");
    expect(await other.tick(new Date(day.getTime() + 5 * 60_000))).toMatchObject({ recorded: 0, sent: 0 });
    expect(endpoint.requests).toHaveLength(0);
    expect(await other.tick(new Date(day.getTime() + 10 * 60_000))).toMatchObject({ recorded: 0, sent: 1 });
    expect(await other.tick(new Date(day.getTime() + 30 * 60_000))).toMatchObject({ sent: 0 });
    expect(endpoint.requests).toHaveLength(1);
    const [delivery] = await listDeliveries(context.db, { organisationId: world.organisationId });
    expect(delivery?.attempts.map((attempt) => attempt.instance)).toEqual(["other"]);
  });

  test("two app instances ticking at once on one database: each notice recorded once, each delivery sent once, 督办单 numbers without gaps", async () => {
    const [first, second] = await context.emptyDatabase(2);
    if (!first || !second) throw new Error("no database");
    await migrate(first.db);
    const world = await makeWorld({ engine: context.engine, db: first.db, emptyDatabase: context.emptyDatabase });
    const ids = await world.importSeed();
    const { finance, labour, health } = world.units;
    await dispatch(world, ids, "5", finance.id, "2025-06-30");
    await dispatch(world, ids, "7", finance.id, "2025-06-27");
    await dispatch(world, ids, "6", labour.id, "2025-06-26");
    await dispatch(world, ids, "10", health.id, "2025-07-02");
    await dispatch(world, ids, "12", labour.id, "2025-06-20");
    const flaky = await flakyEndpoint();
    const sink = await smtpSink();
    await createChannel(first.db, { organisationId: world.organisationId, name: "督查平台", kind: "webhook", settings: { url: flaky.url }, actorId: null });
    await createChannel(first.db, { organisationId: world.organisationId, name: "督查室邮箱", kind: "smtp", settings: { host: "127.0.0.1", port: sink.port, from: "督查室 <duban@jyj.test>", to: ["duban@jyj.test"] }, audiences: ["unit_leader", "office"], actorId: null });

    // Two instances, each with its own connections (on PGlite, the one connection they share).
    const instances = [scheduler(first, "a"), scheduler(second, "b")];
    const appB = buildApp({ db: second.db, now: world.clock.now, passwordParams: TEST_SCRYPT });
    let expectedNotices = 0;
    for (const day of ["2025-06-30", "2025-07-01"]) {
      const expected = await dueNotices(second.db, world.organisationId, morning(day));
      expect(expected.length, day).toBeGreaterThan(0);
      expectedNotices += expected.length;
      const results = await Promise.all([...instances, ...instances].map((instance) => instance.tick(morning(day))));
      expect(results.reduce((sum, result) => sum + result.recorded, 0), day).toBe(expected.length);
      expect(results.reduce((sum, result) => sum + result.failed + result.retrying, 0)).toBe(0);
    }

    const notices = await listNotices(second.db, { organisationId: world.organisationId });
    expect(notices).toHaveLength(expectedNotices);
    expect(new Set(notices.map((notice) => notice.dedupeKey)).size).toBe(notices.length);
    const numbered = notices.filter((notice) => notice.supervisionSequence !== null).map((notice) => notice.supervisionSequence).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(numbered).toEqual([1, 2, 3, 4]);

    // The webhook: every notice exactly three requests, one taken. Email: each escalation once.
    const perNotice = flaky.byNotice();
    expect(perNotice.size).toBe(notices.length);
    for (const statuses of perNotice.values()) expect(statuses).toEqual([500, 500, 200]);
    expect(sink.mails).toHaveLength(numbered.length);
    expect(new Set(sink.mails.map((mail) => parseMessage(mail.data).headers.get("subject"))).size).toBe(numbered.length);
    const deliveries = await listDeliveries(first.db, { organisationId: world.organisationId });
    expect(deliveries).toHaveLength(notices.length + numbered.length);
    for (const delivery of deliveries) {
      expect(delivery.state).toBe("sent");
      // One instance made all of a delivery's attempts.
      expect(new Set(delivery.attempts.map((attempt) => attempt.instance)).size).toBe(1);
      expect(delivery.attempts.filter((attempt) => attempt.ok)).toHaveLength(1);
    }

    // Instance B's API shows the same centre as A's.
    const login = await appB.inject({ method: "POST", url: "/api/login", payload: { login: "admin", password: PASSWORD } });
    const cookie = login.cookies.find((c) => c.name === "taizhang_session")?.value ?? "";
    const viaB = (await appB.inject({ method: "GET", url: "/api/notifications", cookies: { taizhang_session: cookie } })).json() as { items: Notification[] };
    const viaA = await notifications(await world.login(world.users.admin));
    expect(viaB.items.map((item) => item.id)).toEqual(viaA.items.map((item) => item.id));
    expect(viaA.items.length).toBeGreaterThan(0);
    await appB.close();
  });

  test("channels: admin only, secrets masked, kept when sent back masked, settings checked, a test message sent once", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const robot = await receiver(() => ({ status: 200, body: JSON.stringify({ errcode: 0, errmsg: "ok" }) }));
    const sink = await smtpSink({ account: { user: "duban", pass: "口令-2025" } });
    const created = await admin.request({
      method: "POST",
      url: "/api/channels",
      payload: { name: "邮件", kind: "smtp", settings: { host: "127.0.0.1", port: sink.port, user: "duban", pass: "口令-2025", from: "督查室 <duban@jyj.test>", to: ["a@jyj.test"] } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const channel = created.json() as { id: number; settings: Record<string, unknown>; audiences: string[]; enabled: boolean };
    expect(channel).toMatchObject({ audiences: ["unit", "unit_leader", "office"], enabled: true, settings: { pass: "******", user: "duban" } });
    expect(created.body).not.toContain("口令");

    // The masked password sent back with a new recipient keeps the real one: the test mail logs in.
    const patched = await admin.request({ method: "PATCH", url: `/api/channels/${channel.id}`, payload: { settings: { ...channel.settings, to: ["b@jyj.test"] } } });
    expect(patched.statusCode, patched.body).toBe(200);
    const tested = await admin.request({ method: "POST", url: `/api/channels/${channel.id}/test` });
    expect(tested.json()).toMatchObject({ ok: true });
    expect(sink.mails.map((mail) => [mail.to, mail.login])).toEqual([[["b@jyj.test"], "duban"]]);
    const wrong = await admin.request({ method: "PATCH", url: `/api/channels/${channel.id}`, payload: { settings: { pass: "wrong" } } });
    expect(wrong.statusCode).toBe(200);
    expect((await admin.request({ method: "POST", url: `/api/channels/${channel.id}/test` })).json()).toMatchObject({ ok: false, code: "SMTP_AUTH" });

    const bad = await admin.request({ method: "POST", url: "/api/channels", payload: { name: "钉钉", kind: "dingtalk", settings: { url: "oapi.dingtalk.com/robot" } } });
    expect([bad.statusCode, errorCode(bad)]).toEqual([400, "CHANNEL_SETTINGS_INVALID"]);
    const noRecipient = await admin.request({ method: "PATCH", url: `/api/channels/${channel.id}`, payload: { settings: { to: [] } } });
    expect([noRecipient.statusCode, errorCode(noRecipient)]).toEqual([400, "CHANNEL_SETTINGS_INVALID"]);
    const robotChannel = (await admin.request({ method: "POST", url: "/api/channels", payload: { name: "钉钉", kind: "dingtalk", settings: { url: robot.url } } })).json() as { id: number };
    expect((await admin.request({ method: "POST", url: `/api/channels/${robotChannel.id}/test` })).json()).toMatchObject({ ok: true });
    expect(robot.requests).toHaveLength(1);
    const disabled = await admin.request({ method: "PATCH", url: `/api/channels/${robotChannel.id}`, payload: { enabled: false } });
    expect(disabled.json()).toMatchObject({ enabled: false });
    expect(errorCode(await admin.request({ method: "PATCH", url: "/api/channels/999999", payload: { enabled: false } }))).toBe("CHANNEL_NOT_FOUND");

    const list = await admin.request({ method: "GET", url: "/api/channels" });
    expect(list.body).not.toContain("access_token=tok");
    expect(list.body).not.toContain("wrong");
    const reporter = await world.login(world.users.financeReporter);
    expect(errorCode(await reporter.request({ method: "GET", url: "/api/channels" }))).toBe("FORBIDDEN");
  });
});

test("TAIZHANG_SCHEDULER and TAIZHANG_SCHEDULER_INTERVAL: off, or every N seconds; nonsense is refused", () => {
  expect(serveOptionsFromEnv({}).scheduler).toBeUndefined();
  expect(serveOptionsFromEnv({ TAIZHANG_SCHEDULER: "off" }).scheduler).toEqual({ enabled: false });
  expect(serveOptionsFromEnv({ TAIZHANG_SCHEDULER_INTERVAL: "60" }).scheduler).toEqual({ enabled: true, intervalMs: 60_000 });
  for (const interval of ["0", "5", "1e3", "ten", "100000"]) expect(() => serveOptionsFromEnv({ TAIZHANG_SCHEDULER_INTERVAL: interval }), interval).toThrow(ServeConfigError);
  expect(() => serveOptionsFromEnv({ TAIZHANG_SCHEDULER: "sometimes" })).toThrow(/TAIZHANG_SCHEDULER/);
});

test("serve runs the scheduler on its interval and stops it cleanly on close", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "taizhang-scheduler-"));
  try {
    // The demo's history runs up to today: some of its tasks are overdue now, so a run has work.
    const server = await serve({ port: 0, host: "127.0.0.1", dataDir, print: () => undefined, logger: false, signals: [], prepare: (db) => seedDemo(db, { passwordParams: TEST_SCRYPT }).then(() => undefined), scheduler: { intervalMs: 50 } });
    let office: unknown[] = [];
    try {
      const login = await fetch(`${server.url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "admin", password: DEMO_PASSWORD }) });
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      for (let waited = 0; office.length === 0 && waited < 20_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        office = ((await (await fetch(`${server.url}/api/notifications`, { headers: { cookie } })).json()) as { items: unknown[] }).items;
      }
    } finally {
      await server.close();
    }
    expect(office.length).toBeGreaterThan(0);
    // Closed with its runs finished: the data folder opens again, and no run is left writing to it.
    const again = await serve({ port: 0, host: "127.0.0.1", dataDir, print: () => undefined, logger: false, signals: [], scheduler: { enabled: false } });
    await again.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

describeEngines("scheduler and lights", (context) => {
  test("a run brings every task's remembered light up to date for its day, so the morning's first filter does not wait", async () => {
    const world = await makeWorld(context);
    await world.importSeed();
    const scheduler = createScheduler({ db: context.db });
    await scheduler.tick(world.clock.now());
    const tasks = await context.db.selectFrom("tasks").select(["id", "version"]).where("deleted_at", "is", null).execute();
    const lights = await context.db.selectFrom("task_lights").select(["task_id", "task_version", "day"]).execute();
    expect(lights.map((row) => [row.task_id, row.task_version]).sort()).toEqual(tasks.map((row) => [row.id, row.version]).sort());
    expect(new Set(lights.map((row) => String(row.day)))).toEqual(new Set(["2025-03-03"]));
  });
});
