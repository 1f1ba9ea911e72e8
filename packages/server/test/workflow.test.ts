import { expect, test } from "vitest";
import { describeEngines, errorCode, makeWorld, type Client, type World } from "./helpers.js";

const HOUR_MS = 60 * 60 * 1000;

interface TaskRow {
  id: number;
  status: string;
  version: number;
  dueDate: string | null;
  light: { light: string; reasons: { code: string }[] };
}
interface ActionResult {
  task: TaskRow;
  events: { type: string; from: string; to: string }[];
}
interface ReportResult {
  report: { id: number; period: string; periodEnd: string; status: string; reviewState: string; submittedAt: string };
  created: boolean;
  task: TaskRow;
}

describeEngines("workflow", (context) => {
  /** Seed 002 imported; task 5 (named: 市教育局, 市财政局) dispatched to 市财政局, due 30 June. */
  async function dispatched(): Promise<{ world: World; admin: Client; finance: Client; taskId: number; act: (client: Client, body: Record<string, unknown>) => Promise<ActionResult & { status: number; code?: string }> }> {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const taskId = ids.get("5") ?? 0;
    const admin = await world.login(world.users.admin);
    const finance = await world.login(world.users.financeReporter);
    const act = async (client: Client, body: Record<string, unknown>) => {
      const response = await client.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: body });
      const json = response.json() as ActionResult & { error?: { code: string } };
      return { ...json, status: response.statusCode, ...(json.error && { code: json.error.code }) };
    };
    const result = await act(admin, { type: "dispatch", version: 1, leadUnitId: world.units.finance.id, dueDate: "2025-06-30" });
    expect(result.status).toBe(200);
    expect(result.task).toMatchObject({ status: "已交办", version: 2, dueDate: "2025-06-30" });
    expect(result.events).toEqual([expect.objectContaining({ type: "task.dispatched", from: "待交办", to: "已交办" })]);
    return { world, admin, finance, taskId, act };
  }

  function report(client: Client, taskId: number, key: string | undefined, body: Record<string, unknown>) {
    return client.request({ method: "POST", url: `/api/tasks/${taskId}/reports`, headers: key === undefined ? {} : { "idempotency-key": key }, payload: body });
  }

  test("dispatch → sign → start → report → accept → final report → close, through the API", async () => {
    const { world, admin, finance, taskId, act } = await dispatched();
    expect((await act(finance, { type: "sign", version: 2 })).task.status).toBe("已签收");
    expect((await act(finance, { type: "start", version: 3 })).task.status).toBe("办理中");

    world.clock.advance(HOUR_MS);
    const submitted = await report(finance, taskId, "key-march", { period: "2025-03", status: "正常推进", percent: 30, narrative: "已拨付第一批资金" });
    expect(submitted.statusCode).toBe(201);
    const first = submitted.json() as ReportResult;
    expect(first).toMatchObject({ created: true, report: { period: "2025-03", reviewState: "待审核", submittedAt: world.clock.now().toISOString(), final: false }, task: { status: "待审核", version: 5 } });

    const accepted = await act(admin, { type: "accept_report", version: 5, period: "2025-03" });
    expect(accepted.task.status).toBe("办理中");
    const final = (await report(finance, taskId, "key-final", { period: "2025-04", status: "已完成", percent: 100 })).json() as ReportResult;
    expect(final.task.status).toBe("待审核");
    expect(final.report).toMatchObject({ final: true, submittedAt: world.clock.now().toISOString() });
    const closed = await act(admin, { type: "close", version: final.task.version });
    expect(closed.task).toMatchObject({ status: "已办结", light: { light: "grey" }, closedAt: world.clock.now().toISOString(), stoppedAt: null });

    const again = await act(admin, { type: "stop", version: closed.task.version, reason: "重复" });
    expect([again.status, again.code]).toEqual([409, "INVALID_TRANSITION"]);

    const detail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}` })).json() as { reports: { reviewState: string; final: boolean }[]; closedAt: string; dispatchedAt: string; signedAt: string };
    expect(detail.reports.map((r) => [r.reviewState, r.final])).toEqual([["已通过", false], ["已通过", true]]);
    expect(detail.closedAt).toBe(world.clock.now().toISOString());
    expect(detail.dispatchedAt).toBeTruthy();
    const trail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}/audit` })).json() as { action: string }[];
    expect(trail.map((entry) => entry.action)).toEqual([
      "task.dispatch", "task.dispatched",
      "task.sign", "task.signed",
      "task.start", "task.started",
      "report.submit", "task.submit-report", "report.submitted",
      "task.accept-report", "report.accepted",
      "report.submit", "task.submit-report", "report.submitted",
      "task.close", "report.accepted", "task.closed",
    ]);
  });

  test("a retried report with the same Idempotency-Key returns the first report, never a second one", async () => {
    const { finance, taskId, act, admin } = await dispatched();
    await act(finance, { type: "sign", version: 2 });
    await act(finance, { type: "start", version: 3 });
    const body = { period: "2025-03", status: "正常推进", percent: 30 };
    const first = await report(finance, taskId, "retry-me", body);
    const retry = await report(finance, taskId, "retry-me", { ...body, percent: 99 });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect((retry.json() as ReportResult).created).toBe(false);
    expect((retry.json() as ReportResult).report).toEqual((first.json() as ReportResult).report);
    // Sent at the same moment: one report, one transition.
    const twins = await Promise.all([1, 2, 3].map(() => report(finance, taskId, "twins", { ...body, period: "2025-04" })));
    expect(twins.map((response) => response.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(twins.map((response) => (response.json() as ReportResult).report.id)).size).toBe(1);
    const detail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}` })).json() as { reports: unknown[]; version: number };
    expect(detail.reports).toHaveLength(2);
    expect(detail.version).toBe(6);

    const missing = await report(finance, taskId, undefined, body);
    expect([missing.statusCode, errorCode(missing)]).toEqual([400, "IDEMPOTENCY_KEY_REQUIRED"]);
  });

  test("a key already used on another task is refused", async () => {
    const { world, finance, taskId, act, admin } = await dispatched();
    await act(finance, { type: "sign", version: 2 });
    await act(finance, { type: "start", version: 3 });
    await report(finance, taskId, "one-key", { period: "2025-03", status: "正常推进", percent: 30 });
    const ids = await (async () => {
      const list = (await admin.request({ method: "GET", url: "/api/tasks" })).json() as { items: { id: number; number: string }[] };
      return new Map(list.items.map((item) => [item.number, item.id]));
    })();
    const other = ids.get("14") ?? 0;
    const dispatch = await admin.request({ method: "POST", url: `/api/tasks/${other}/actions`, payload: { type: "dispatch", version: 1, leadUnitId: world.units.finance.id } });
    expect(dispatch.statusCode).toBe(200);
    await finance.request({ method: "POST", url: `/api/tasks/${other}/actions`, payload: { type: "sign", version: 2 } });
    await finance.request({ method: "POST", url: `/api/tasks/${other}/actions`, payload: { type: "start", version: 3 } });
    const reused = await report(finance, other, "one-key", { period: "2025-03", status: "正常推进", percent: 10 });
    expect([reused.statusCode, errorCode(reused)]).toEqual([409, "IDEMPOTENCY_KEY_REUSED"]);
  });

  test("invalid transitions and stale versions are refused with the workflow's code", async () => {
    const { world, admin, finance, taskId, act } = await dispatched();
    const cases: [Client, Record<string, unknown>, number, string][] = [
      [finance, { type: "start", version: 2 }, 409, "INVALID_TRANSITION"],
      [finance, { type: "sign", version: 1 }, 409, "TASK_VERSION_CONFLICT"],
      [admin, { type: "sign", version: 2 }, 403, "NOT_ALLOWED"],
      [admin, { type: "dispatch", version: 2 }, 409, "INVALID_TRANSITION"],
      [admin, { type: "close", version: 2 }, 409, "INVALID_TRANSITION"],
      [admin, { type: "stop", version: 2, reason: "" }, 400, "REASON_REQUIRED"],
      [admin, { type: "accept_report", version: 2 }, 400, "VALIDATION_FAILED"],
      [admin, { type: "fly", version: 2 }, 400, "VALIDATION_FAILED"],
    ];
    for (const [client, body, status, code] of cases) {
      const result = await act(client, body);
      expect([result.status, result.code], JSON.stringify(body)).toEqual([status, code]);
    }
    // Reports before the work has started are refused by the workflow too.
    const early = await report(finance, taskId, "early", { period: "2025-03", status: "正常推进", percent: 5 });
    expect([early.statusCode, errorCode(early)]).toEqual([409, "INVALID_TRANSITION"]);

    const leader = await world.login(world.users.leader);
    const byLeader = await act(leader, { type: "sign", version: 2 });
    expect([byLeader.status, byLeader.code]).toEqual([403, "NOT_ALLOWED"]);
    const leaderReport = await report(leader, taskId, "leader", { period: "2025-03", status: "正常推进", percent: 5 });
    expect([leaderReport.statusCode, errorCode(leaderReport)]).toEqual([403, "FORBIDDEN"]);
    const stopped = await act(admin, { type: "stop", version: 2, reason: "任务调整" });
    expect(stopped.task).toMatchObject({ status: "中止", light: { light: "grey" } });
  });

  test("dispatch needs a lead unit and a due date not in the past", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const admin = await world.login(world.users.admin);
    const url = `/api/tasks/${ids.get("1")}/actions`;
    const noLead = await admin.request({ method: "POST", url, payload: { type: "dispatch", version: 1 } });
    expect([noLead.statusCode, errorCode(noLead)]).toEqual([400, "NO_LEAD_UNIT"]);
    const past = await admin.request({ method: "POST", url, payload: { type: "dispatch", version: 1, leadUnitId: world.units.bureau.id, dueDate: "2025-01-31" } });
    expect([past.statusCode, errorCode(past)]).toEqual([400, "DATE_IN_PAST"]);
    const unknown = await admin.request({ method: "POST", url, payload: { type: "dispatch", version: 1, leadUnitId: 999999 } });
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([400, "UNIT_NOT_FOUND"]);
  });

  test("return a report (退回重办), then an extension: the unit asks, the leader approves, the due date moves", async () => {
    const { world, admin, finance, taskId, act } = await dispatched();
    await act(finance, { type: "sign", version: 2 });
    await act(finance, { type: "start", version: 3 });
    const submitted = (await report(finance, taskId, "k1", { period: "2025-03", status: "进度滞后", percent: 10 })).json() as ReportResult;
    const noReason = await act(admin, { type: "return_report", version: submitted.task.version, period: "2025-03" });
    expect([noReason.status, noReason.code]).toEqual([400, "REASON_REQUIRED"]);
    const returned = await act(admin, { type: "return_report", version: submitted.task.version, period: "2025-03", reason: "数据不全" });
    expect(returned.task.status).toBe("办理中");

    const requested = await act(finance, { type: "request_extension", version: returned.task.version, dueDate: "2025-08-31", reason: "资金到位推迟" });
    expect(requested.task).toMatchObject({ status: "办理中", dueDate: "2025-06-30" });
    const twice = await act(finance, { type: "request_extension", version: requested.task.version, dueDate: "2025-09-30", reason: "再延" });
    expect([twice.status, twice.code]).toEqual([409, "EXTENSION_PENDING"]);
    const byAdmin = await act(admin, { type: "approve_extension", version: requested.task.version });
    expect([byAdmin.status, byAdmin.code]).toEqual([403, "NOT_ALLOWED"]);
    const leader = await world.login(world.users.leader);
    const approved = await act(leader, { type: "approve_extension", version: requested.task.version, note: "同意" });
    expect(approved.task).toMatchObject({ dueDate: "2025-08-31", status: "办理中" });

    const detail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}` })).json() as { reports: { reviewState: string; reviewNote: string }[]; extensions: { state: string; decisionNote: string }[] };
    expect(detail.reports).toEqual([expect.objectContaining({ reviewState: "已退回", reviewNote: "数据不全" })]);
    expect(detail.extensions).toEqual([expect.objectContaining({ state: "已批准", decisionNote: "同意", requestedDate: "2025-08-31", previousDueDate: "2025-06-30" })]);
  });

  test("lights follow the clock: yellow near the due date, red after it, and the red days are remembered", async () => {
    const { world, admin, finance, taskId, act } = await dispatched();
    await act(finance, { type: "sign", version: 2 });
    await act(finance, { type: "start", version: 3 });
    await report(finance, taskId, "k1", { period: "2025-03", status: "正常推进", percent: 90 });
    await act(admin, { type: "accept_report", version: 5, period: "2025-03" });
    // Months pass between the looks: each one signs in afresh.
    const light = async () => {
      const office = await world.login(world.users.admin);
      return (await office.request({ method: "GET", url: `/api/tasks/${taskId}` })).json() as TaskRow & { lateness: { everRed: boolean; redDays: number; overdueDays: number } };
    };

    expect((await light()).light.light).toBe("green");
    world.clock.set(new Date("2025-06-27T09:00:00+08:00"));
    expect((await light()).light).toMatchObject({ light: "yellow", reasons: [expect.objectContaining({ code: "DUE_SOON" })] });
    world.clock.set(new Date("2025-07-03T09:00:00+08:00"));
    const overdue = await light();
    expect(overdue.light).toMatchObject({ light: "red", reasons: [expect.objectContaining({ code: "OVERDUE" })] });
    expect(overdue.lateness).toMatchObject({ everRed: true, redDays: 3, overdueDays: 3 });
    const office = await world.login(world.users.admin);
    const reds = (await office.request({ method: "GET", url: "/api/tasks?light=red" })).json() as { items: { id: number }[] };
    expect(reds.items.map((item) => item.id)).toEqual([taskId]);
    const unit = await world.login(world.users.financeReporter);
    const financeReds = (await unit.request({ method: "GET", url: "/api/tasks?light=red" })).json() as { items: { id: number }[] };
    expect(financeReds.items.map((item) => item.id)).toEqual([taskId]);
  });

  test("with a monthly cadence a report is filed under one of the task's periods, its end taken from the period", async () => {
    const { world, finance, taskId, act } = await dispatched();
    const planId = (await context.db.selectFrom("tasks").select("plan_id").where("id", "=", taskId).executeTakeFirstOrThrow()).plan_id;
    await context.db.insertInto("cadences").values({ organisation_id: world.organisationId, plan_id: planId, kind: "monthly" }).execute();
    await act(finance, { type: "sign", version: 2 });
    await act(finance, { type: "start", version: 3 });
    const unknown = await report(finance, taskId, "k0", { period: "三月", status: "正常推进", percent: 10 });
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([400, "UNKNOWN_PERIOD"]);
    const early = await report(finance, taskId, "k1", { period: "2025-05", status: "正常推进", percent: 10 });
    expect([early.statusCode, errorCode(early)]).toEqual([400, "PERIOD_NOT_STARTED"]);
    const ok = (await report(finance, taskId, "k2", { period: "2025-03", status: "正常推进", percent: 10, periodEnd: "2025-12-31" })).json() as ReportResult;
    expect(ok.report).toMatchObject({ period: "2025-03", periodEnd: "2025-03-31" });
    const detail = (await finance.request({ method: "GET", url: `/api/tasks/${taskId}` })).json() as { cadence: { kind: string }; periods: { id: string; due: string }[] };
    expect(detail.cadence).toEqual({ kind: "monthly" });
    expect(detail.periods[0]).toMatchObject({ id: "2025-03", due: "2025-04-05" });
  });
});
