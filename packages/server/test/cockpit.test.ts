// The leaders' screen and the office's queue against the ledger they summarise: every count must
// be the number of tasks the ledger's own filters find, and every pending item must be actionable.
import { expect, test } from "vitest";
import { DAY_MS, describeEngines, makeWorld, type Client } from "./helpers.js";

interface Counts {
  tasks: number;
  closed: number;
  green: number;
  yellow: number;
  red: number;
  grey: number;
  unknown: number;
}
interface Cockpit {
  totals: Counts;
  byUnit: (Counts & { unitId: number | null; name: string })[];
  bySection: (Counts & { planId: number; sectionPath: string; sectionTitle: string })[];
  byPlan: (Counts & { planId: number; title: string })[];
  red: { id: number }[];
  dueCalendar: { date: string; count: number }[];
  kpis: { taskId: number; kpiId: number; latest: number | null; attainment: number | null; target: number }[];
}
interface Row {
  id: number;
  version: number;
  status: string;
  dueDate: string | null;
  leadUnitId: number | null;
  sectionPath: string | null;
  light: { light: string };
}
interface Detail extends Row {
  kpis: { id: number; value: number; actuals: { value: number; period: string; reviewState: string }[]; latest: number | null; attainment: number | null }[];
}

async function get<T>(client: Client, url: string): Promise<T> {
  const response = await client.request({ method: "GET", url });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return response.json() as T;
}

const ledger = async (client: Client, query = "") => (await get<{ items: Row[] }>(client, `/api/tasks?limit=500${query}`)).items;

describeEngines("cockpit and review queue", (context) => {
  test("every count is what the ledger's filters find; a reported KPI value shows with its attainment", async () => {
    const world = await makeWorld(context);
    await world.importSeed();
    const admin = await world.login(world.users.admin);
    const all = await ledger(admin);
    // The first task with a KPI goes to 市财政局, which reports on it.
    let kpiTask: Detail | undefined;
    for (const row of all) {
      const detail = await get<Detail>(admin, `/api/tasks/${row.id}`);
      if (detail.kpis.length > 0) {
        kpiTask = detail;
        break;
      }
    }
    if (!kpiTask) throw new Error("seed 002 has a task with a target");
    const act = async (client: Client, taskId: number, body: Record<string, unknown>) => {
      const version = (await get<Row>(client, `/api/tasks/${taskId}`)).version;
      const response = await client.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { version, ...body } });
      expect(response.statusCode, response.body).toBe(200);
    };
    await act(admin, kpiTask.id, { type: "dispatch", leadUnitId: world.units.finance.id, dueDate: "2025-06-30" });
    const [soon, later] = all.filter((row) => row.id !== kpiTask.id);
    await act(admin, soon?.id ?? 0, { type: "dispatch", leadUnitId: world.units.labour.id, dueDate: "2025-03-04" });
    await act(admin, later?.id ?? 0, { type: "dispatch", leadUnitId: world.units.health.id, dueDate: "2025-03-07" });
    const finance = await world.login(world.users.financeReporter);
    await act(finance, kpiTask.id, { type: "sign" });
    await act(finance, kpiTask.id, { type: "start" });
    const kpi = kpiTask.kpis[0];
    if (!kpi) throw new Error("a KPI");
    const half = kpi.value / 2;
    const submitted = await finance.request({
      method: "POST",
      url: `/api/tasks/${kpiTask.id}/reports`,
      headers: { "idempotency-key": "cockpit-1" },
      payload: { period: "2025-03", status: "正常推进", percent: 40, kpiValues: [{ kpiId: kpi.id, value: half }] },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    world.clock.advance(2 * DAY_MS);

    const office = await world.login(world.users.admin);
    const leader = await world.login(world.users.leader);
    const cockpit = await get<Cockpit>(leader, "/api/cockpit").catch((error: unknown) => {
      throw new Error(`${String(error)}\n${world.logs.filter((line) => line.includes('"level":50')).join("\n")}`);
    });
    const rows = await ledger(office);
    const byLight = (light: string) => rows.filter((row) => row.light.light === light).length;
    expect(cockpit.totals).toEqual({
      tasks: rows.length,
      closed: rows.filter((row) => row.status === "已办结").length,
      green: byLight("green"),
      yellow: byLight("yellow"),
      red: byLight("red"),
      grey: byLight("grey"),
      unknown: 0,
    });
    expect(cockpit.totals.red).toBeGreaterThan(0);
    // Each unit's numbers are the ledger's for tasks that unit leads; together they are the whole.
    for (const unit of cockpit.byUnit) {
      const led = rows.filter((row) => row.leadUnitId === unit.unitId);
      expect(unit.tasks, unit.name).toBe(led.length);
      expect(unit.red, unit.name).toBe(led.filter((row) => row.light.light === "red").length);
    }
    expect(cockpit.byUnit.reduce((sum, unit) => sum + unit.tasks, 0)).toBe(rows.length);
    for (const section of cockpit.bySection) {
      const inIt = await ledger(office, `&plan=${section.planId}&section=${encodeURIComponent(section.sectionPath)}`);
      expect(section.tasks, section.sectionPath).toBe(inIt.length);
      expect(section.yellow, section.sectionPath).toBe(inIt.filter((row) => row.light.light === "yellow").length);
    }
    expect(cockpit.byPlan.reduce((sum, plan) => sum + plan.tasks, 0)).toBe(rows.length);
    expect(cockpit.red.map((row) => row.id)).toEqual((await ledger(office, "&light=red")).map((row) => row.id));
    const open = rows.filter((row) => row.dueDate !== null && row.status !== "已办结" && row.status !== "中止");
    expect(cockpit.dueCalendar.reduce((sum, day) => sum + day.count, 0)).toBe(open.length);
    for (const day of cockpit.dueCalendar) expect(day.count, day.date).toBe(open.filter((row) => row.dueDate === day.date).length);

    // The KPI: its value over time in the task, its attainment on the screen.
    const detail = await get<Detail>(office, `/api/tasks/${kpiTask.id}`);
    const withValue = detail.kpis.find((entry) => entry.id === kpi.id);
    expect(withValue?.actuals).toEqual([expect.objectContaining({ value: half, period: "2025-03", reviewState: "待审核" })]);
    expect(withValue?.latest).toBe(half);
    const onScreen = cockpit.kpis.find((entry) => entry.kpiId === kpi.id);
    expect(onScreen).toMatchObject({ taskId: kpiTask.id, latest: half });
    expect(onScreen?.attainment).toBe(withValue?.attainment);

    // A plan's cockpit counts that plan only.
    const planId = cockpit.byPlan[0]?.planId ?? 0;
    expect((await get<Cockpit>(leader, `/api/cockpit?plan=${planId}`)).totals.tasks).toBe(rows.filter((row) => (row as Row & { planId: number }).planId === planId).length);
  });

  test("the queue holds what waits for the office, oldest first, and lets it go once decided", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const admin = await world.login(world.users.admin);
    const finance = await world.login(world.users.financeReporter);
    const taskIds = [ids.get("5") ?? 0, ids.get("6") ?? 0];
    const version = async (taskId: number) => (await get<Row>(admin, `/api/tasks/${taskId}`)).version;
    const act = async (client: Client, taskId: number, body: Record<string, unknown>) => {
      const response = await client.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { version: await version(taskId), ...body } });
      expect(response.statusCode, response.body).toBe(200);
    };
    for (const taskId of taskIds) {
      await act(admin, taskId, { type: "dispatch", leadUnitId: world.units.finance.id, dueDate: "2025-06-30" });
      await act(finance, taskId, { type: "sign" });
      await act(finance, taskId, { type: "start" });
    }
    for (const [index, taskId] of taskIds.entries()) {
      world.clock.advance(60_000);
      const response = await finance.request({ method: "POST", url: `/api/tasks/${taskId}/reports`, headers: { "idempotency-key": `q${index}` }, payload: { period: "2025-03", status: "正常推进", percent: 20 } });
      expect(response.statusCode, response.body).toBe(201);
    }
    const queue = await get<{ reports: { report: { period: string; taskId: number }; task: { id: number; version: number } }[]; extensions: unknown[] }>(admin, "/api/reviews");
    expect(queue.reports.map((item) => item.task.id)).toEqual(taskIds);
    expect(queue.extensions).toEqual([]);
    const first = queue.reports[0];
    if (!first) throw new Error("a report waits");
    const accepted = await admin.request({ method: "POST", url: `/api/tasks/${first.task.id}/actions`, payload: { type: "accept_report", version: first.task.version, period: first.report.period } });
    expect(accepted.statusCode, accepted.body).toBe(200);

    await act(finance, taskIds[0] ?? 0, { type: "request_extension", dueDate: "2025-08-31", reason: "资金下达推迟" });
    const after = await get<{ reports: { task: { id: number } }[]; extensions: { extension: { requestedDate: string; reason: string; state: string }; task: { id: number } }[] }>(
      await world.login(world.users.leader),
      "/api/reviews",
    );
    expect(after.reports.map((item) => item.task.id)).toEqual([taskIds[1]]);
    expect(after.extensions).toEqual([expect.objectContaining({ extension: expect.objectContaining({ requestedDate: "2025-08-31", reason: "资金下达推迟", state: "待审批" }), task: expect.objectContaining({ id: taskIds[0] }) })]);
  });
});
