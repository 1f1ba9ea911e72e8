import { expect, test } from "vitest";
import { describeEngines, errorCode, makeWorld } from "./helpers.js";

interface Row {
  id: number;
  number: string;
  status: string;
  version: number;
  dueDate: string | null;
  leadUnitId: number | null;
  title: string;
  light: { light: string; reasons: { code: string }[] };
}
interface Page {
  items: Row[];
  limit: number;
  offset: number;
  hasMore: boolean;
}

describeEngines("tasks", (context) => {
  test("the ledger lists every task for the office and leaders, and only its own unit's for a reporter", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const admin = await world.login(world.users.admin);
    const all = (await admin.request({ method: "GET", url: "/api/tasks" })).json() as Page;
    expect(all.items).toHaveLength(17);
    expect(all.items[0]).toMatchObject({ number: "1", status: "待交办", version: 1, light: { light: "green" } });
    const leader = await world.login(world.users.leader);
    expect(((await leader.request({ method: "GET", url: "/api/tasks" })).json() as Page).items).toHaveLength(17);

    const finance = await world.login(world.users.financeReporter);
    const own = (await finance.request({ method: "GET", url: "/api/tasks" })).json() as Page;
    expect(own.items.map((row) => row.number)).toEqual(["5", "6", "7", "13", "14", "15"]);
    const health = await world.login(world.users.healthReporter);
    expect(((await health.request({ method: "GET", url: "/api/tasks" })).json() as Page).items.map((row) => row.number)).toEqual(["10"]);
    // Asking for another unit's tasks gives none, not theirs.
    const other = (await finance.request({ method: "GET", url: `/api/tasks?unit=${world.units.health.id}` })).json() as Page;
    expect(other.items).toEqual([]);
    const same = (await finance.request({ method: "GET", url: `/api/tasks?unit=${world.units.finance.id}` })).json() as Page;
    expect(same.items).toHaveLength(6);

    // Filters and paging.
    const byUnit = (await admin.request({ method: "GET", url: `/api/tasks?unit=${world.units.labour.id}` })).json() as Page;
    expect(byUnit.items.map((row) => row.number)).toEqual(["6", "7", "12", "15"]);
    const page = (await admin.request({ method: "GET", url: "/api/tasks?limit=5&offset=5" })).json() as Page;
    expect(page).toMatchObject({ limit: 5, offset: 5, hasMore: true });
    expect(page.items.map((row) => row.number)).toEqual(["6", "7", "8", "9", "10"]);
    const last = (await admin.request({ method: "GET", url: "/api/tasks?limit=5&offset=15" })).json() as Page;
    expect(last).toMatchObject({ hasMore: false });
    expect(last.items).toHaveLength(2);
    const waiting = (await admin.request({ method: "GET", url: "/api/tasks?status=待交办&light=green&limit=3" })).json() as Page;
    expect(waiting).toMatchObject({ hasMore: true });
    expect(waiting.items).toHaveLength(3);
    const red = (await admin.request({ method: "GET", url: "/api/tasks?light=red" })).json() as Page;
    expect(red.items).toEqual([]);
    const planId = ((await admin.request({ method: "GET", url: "/api/plans" })).json() as { planId: number }[])[0]?.planId;
    expect(((await admin.request({ method: "GET", url: `/api/tasks?plan=${planId}` })).json() as Page).items).toHaveLength(17);
    expect(((await admin.request({ method: "GET", url: `/api/tasks?plan=${(planId ?? 0) + 1}` })).json() as Page).items).toHaveLength(0);
    expect(ids.size).toBe(17);
  });

  test("a task in full: units, milestones, KPIs, reports, light, its own text", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const admin = await world.login(world.users.admin);
    const response = await admin.request({ method: "GET", url: `/api/tasks/${ids.get("13")}` });
    expect(response.statusCode).toBe(200);
    const task = response.json() as Record<string, unknown> & { units: { name: string; unitId: number | null }[]; milestones: { dueDate: string }[]; kpis: unknown[]; quote: string };
    expect(task).toMatchObject({ number: "13", status: "待交办", dueDate: "2025-12-31", reports: [], light: { light: "green" }, dispatchedAt: null });
    expect(task.units.find((unit) => unit.name === "市财政局")?.unitId).toBe(world.units.finance.id);
    expect(task.milestones.map((milestone) => milestone.dueDate)).toEqual(["2025-12-31"]);
    expect(task.kpis).toHaveLength(1);
    // The task's own text in the source (the table cell keeps its line breaks).
    expect(task.quote.startsWith("13.")).toBe(true);
    expect(task.quote.replace(/\s/g, "")).toContain(task.title as string);
  });

  test("a reporter of one unit gets 404 on another unit's task, on every task route", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const health = await world.login(world.users.healthReporter);
    const foreign = ids.get("5");
    const refusals = [
      await health.request({ method: "GET", url: `/api/tasks/${foreign}` }),
      await health.request({ method: "GET", url: `/api/tasks/${foreign}/audit` }),
      await health.request({ method: "POST", url: `/api/tasks/${foreign}/actions`, payload: { type: "sign", version: 1 } }),
      await health.request({ method: "POST", url: `/api/tasks/${foreign}/reports`, headers: { "idempotency-key": "k" }, payload: { period: "2025-03", status: "正常推进", percent: 10 } }),
    ];
    for (const response of refusals) expect([response.statusCode, errorCode(response)]).toEqual([404, "TASK_NOT_FOUND"]);
    // Exactly what a task that does not exist gets.
    const missing = await health.request({ method: "GET", url: "/api/tasks/999999" });
    expect(missing.json()).toEqual(refusals[0]?.json());
    // Its own task is there.
    expect((await health.request({ method: "GET", url: `/api/tasks/${ids.get("10")}` })).statusCode).toBe(200);
    expect((await health.request({ method: "GET", url: `/api/tasks/${ids.get("10")}/audit` })).statusCode).toBe(200);
  });

  test("an edit with a stale version is 409 and changes nothing; edits are the office's", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const admin = await world.login(world.users.admin);
    const url = `/api/tasks/${ids.get("1")}`;
    const first = await admin.request({ method: "PATCH", url, payload: { version: 1, dueDate: "2025-09-30", leadUnitId: world.units.bureau.id } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 2, dueDate: "2025-09-30", leadUnitId: world.units.bureau.id, light: { light: "green" } });
    const stale = await admin.request({ method: "PATCH", url, payload: { version: 1, title: "改过的标题" } });
    expect([stale.statusCode, errorCode(stale)]).toEqual([409, "TASK_VERSION_CONFLICT"]);
    expect(((await admin.request({ method: "GET", url })).json() as Row).title).not.toBe("改过的标题");

    const bad = [
      await admin.request({ method: "PATCH", url, payload: { version: 2 } }),
      await admin.request({ method: "PATCH", url, payload: { version: 2, status: "已办结" } }),
      await admin.request({ method: "PATCH", url, payload: { version: 2, dueDate: "2025-02-30" } }),
      await admin.request({ method: "PATCH", url, payload: { version: "二", title: "x" } }),
      await admin.request({ method: "PATCH", url, payload: { version: 2, title: "   " } }),
    ];
    for (const response of bad) expect([response.statusCode, errorCode(response)]).toEqual([400, "VALIDATION_FAILED"]);
    const unknownUnit = await admin.request({ method: "PATCH", url, payload: { version: 2, leadUnitId: 999999 } });
    expect([unknownUnit.statusCode, errorCode(unknownUnit)]).toEqual([400, "UNIT_NOT_FOUND"]);
    const missing = await admin.request({ method: "PATCH", url: "/api/tasks/999999", payload: { version: 1, title: "x" } });
    expect([missing.statusCode, errorCode(missing)]).toEqual([404, "TASK_NOT_FOUND"]);

    for (const who of [world.users.leader, world.users.financeReporter]) {
      const client = await world.login(who);
      const refused = await client.request({ method: "PATCH", url, payload: { version: 2, title: "x" } });
      expect([refused.statusCode, errorCode(refused)]).toEqual([403, "FORBIDDEN"]);
    }

    const audit = (await admin.request({ method: "GET", url: `${url}/audit` })).json() as { action: string; before: { version: number }; after: { dueDate: string } }[];
    expect(audit.map((entry) => entry.action)).toEqual(["task.edit"]);
    expect(audit[0]).toMatchObject({ before: { version: 1 }, after: { dueDate: "2025-09-30" } });
  });
});
