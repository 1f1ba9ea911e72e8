// The ledger's filters on a real database: by light (read from the remembered lights, which must
// agree with the lights computed afresh for each task, whatever the day, the edits and the
// settings), by section, words, due dates, and their combination with a reporter's own unit.
import ExcelJS from "exceljs";
import { DEFAULT_LIGHT_SETTINGS } from "@taizhang/core";
import { expect, test } from "vitest";
import { SESSION_COOKIE, TEST_SCRYPT, buildApp } from "../src/index.js";
import { DAY_MS, PASSWORD, describeEngines, makeWorld, type Client } from "./helpers.js";

interface Row {
  id: number;
  number: string;
  title: string;
  sectionPath: string | null;
  dueDate: string | null;
  version: number;
  light: { light: string; reasons: { code: string }[] };
}

const LIGHTS = ["green", "yellow", "red", "grey"] as const;

async function list(client: Client, query: string): Promise<Row[]> {
  const response = await client.request({ method: "GET", url: `/api/tasks?limit=500${query === "" ? "" : `&${query}`}` });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Row[] }).items;
}

/** Every task's light as the detail view computes it from the facts, by task id. */
async function freshLights(client: Client, rows: readonly Row[]): Promise<Map<number, string>> {
  const lights = new Map<number, string>();
  for (const row of rows) {
    const detail = (await client.request({ method: "GET", url: `/api/tasks/${row.id}` })).json() as Row;
    lights.set(row.id, detail.light.light);
  }
  return lights;
}

describeEngines("ledger filters", (context) => {
  test("the light filter agrees with the lights computed afresh, day after day and edit after edit", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const admin = await world.login(world.users.admin);
    const act = async (taskId: number, body: Record<string, unknown>) => {
      const version = (await list(admin, "")).find((row) => row.id === taskId)?.version;
      const response = await admin.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { ...body, version } });
      expect(response.statusCode, response.body).toBe(200);
    };
    // 3 March: one task due in three days (yellow), one due in June (green), one due tomorrow.
    await act(ids.get("1") ?? 0, { type: "dispatch", leadUnitId: world.units.finance.id, dueDate: "2025-03-06" });
    await act(ids.get("2") ?? 0, { type: "dispatch", leadUnitId: world.units.labour.id, dueDate: "2025-06-30" });
    await act(ids.get("3") ?? 0, { type: "dispatch", leadUnitId: world.units.health.id, dueDate: "2025-03-04" });
    await act(ids.get("4") ?? 0, { type: "dispatch", leadUnitId: world.units.labour.id, dueDate: "2025-07-31" });

    const check = async (client: Client) => {
      const all = await list(client, "");
      const fresh = await freshLights(client, all);
      for (const light of LIGHTS) {
        const filtered = await list(client, `light=${light}`);
        const expected = all.filter((row) => fresh.get(row.id) === light).map((row) => row.id);
        expect(filtered.map((row) => row.id), light).toEqual(expected);
        for (const row of filtered) expect(row.light.light).toBe(light);
      }
      // The unfiltered list shows the same lights as the detail.
      expect(new Map(all.map((row) => [row.id, row.light.light]))).toEqual(fresh);
      return fresh;
    };

    const day0 = await check(admin);
    expect(day0.get(ids.get("1") ?? 0)).toBe("yellow");
    expect(day0.get(ids.get("2") ?? 0)).toBe("green");

    // Two days later the task due tomorrow is overdue: the remembered lights of yesterday are stale.
    world.clock.advance(2 * DAY_MS);
    const day2 = await check(await world.login(world.users.admin));
    expect(day2.get(ids.get("3") ?? 0)).toBe("red");

    // An edit changes the version: the task's remembered light no longer holds.
    const office = await world.login(world.users.admin);
    const task2 = (await list(office, "")).find((row) => row.id === ids.get("2"));
    const patched = await office.request({ method: "PATCH", url: `/api/tasks/${ids.get("2")}`, payload: { version: task2?.version, dueDate: "2025-03-01" } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await list(office, "light=red")).map((row) => row.id)).toContain(ids.get("2"));
    await check(office);

    // A reporter's light filter stays within the unit.
    const health = await world.login(world.users.healthReporter);
    const healthAll = await list(health, "");
    const healthReds = await list(health, "light=red");
    expect(healthReds.map((row) => row.id)).toEqual(healthAll.filter((row) => row.light.light === "red").map((row) => row.id));
    expect(healthReds.map((row) => row.id)).toContain(ids.get("3"));
    expect(healthReds.map((row) => row.id)).not.toContain(ids.get("2"));

    // Other settings on the same database: another key, so nothing remembered under the old ones is read.
    const strict = buildApp({ db: context.db, now: world.clock.now, passwordParams: TEST_SCRYPT, lightSettings: { ...DEFAULT_LIGHT_SETTINGS, dueSoonDays: 200 } });
    try {
      const login = await strict.inject({ method: "POST", url: "/api/login", payload: { login: "admin", password: PASSWORD } });
      const cookie = login.cookies.find((entry) => entry.name === SESSION_COOKIE)?.value ?? "";
      const get = async (url: string) => (await strict.inject({ method: "GET", url, cookies: { [SESSION_COOKIE]: cookie } })).json() as { items: Row[] } & Row;
      const yellows = (await get("/api/tasks?light=yellow&limit=500")).items.map((row) => row.id);
      const expected: number[] = [];
      for (const row of await list(office, "")) if ((await get(`/api/tasks/${row.id}`)).light.light === "yellow") expected.push(row.id);
      expect(yellows).toEqual(expected);
      // Due at the end of July is "soon" under a 200-day window, not under the default seven days.
      expect(yellows).toContain(ids.get("4"));
      expect((await list(office, "light=yellow")).map((row) => row.id)).not.toContain(ids.get("4"));
    } finally {
      await strict.close();
    }
  });

  test("section, words and due dates narrow the ledger; combined with a unit they all apply", async () => {
    const world = await makeWorld(context);
    await world.importSeed();
    const admin = await world.login(world.users.admin);
    const all = await list(admin, "");
    expect(all.length).toBe(17);

    const sectioned = all.filter((row) => row.sectionPath !== null);
    const first = sectioned[0];
    if (first?.sectionPath) {
      const top = first.sectionPath.split("/")[0] ?? "";
      const inSection = await list(admin, `section=${encodeURIComponent(top)}`);
      expect(inSection.map((row) => row.id)).toEqual(all.filter((row) => row.sectionPath === top || row.sectionPath?.startsWith(`${top}/`)).map((row) => row.id));
      expect(inSection.length).toBeGreaterThan(0);
    }

    const word = all[4]?.title.slice(2, 6) ?? "";
    const byWord = await list(admin, `q=${encodeURIComponent(word)}`);
    expect(byWord.map((row) => row.id)).toEqual(all.filter((row) => row.title.includes(word)).map((row) => row.id));
    expect((await list(admin, `q=${encodeURIComponent(all[6]?.number ?? "")}`)).map((row) => row.id)).toContain(all[6]?.id);
    // LIKE's wildcards are only characters.
    expect(await list(admin, "q=%25")).toEqual([]);
    expect(await list(admin, "q=_")).toEqual([]);

    const dated = all.filter((row) => row.dueDate !== null);
    const cut = dated[Math.floor(dated.length / 2)]?.dueDate ?? "2025-06-30";
    expect((await list(admin, `due_before=${cut}`)).map((row) => row.id)).toEqual(dated.filter((row) => (row.dueDate ?? "") <= cut).map((row) => row.id));
    expect((await list(admin, `due_after=${cut}`)).map((row) => row.id)).toEqual(dated.filter((row) => (row.dueDate ?? "") >= cut).map((row) => row.id));

    // lead_unit: the tasks the unit leads, not those it is only named on (the cockpit's count).
    const dispatched = await admin.request({ method: "POST", url: `/api/tasks/${all[0]?.id}/actions`, payload: { type: "dispatch", version: all[0]?.version, leadUnitId: world.units.labour.id, dueDate: "2025-06-30" } });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    expect((await list(admin, `lead_unit=${world.units.labour.id}`)).map((row) => row.id)).toEqual([all[0]?.id]);
    expect((await list(admin, `unit=${world.units.labour.id}`)).length).toBeGreaterThan(1);

    const finance = await world.login(world.users.financeReporter);
    const own = await list(finance, "");
    const ownWord = own[0]?.title.slice(0, 4) ?? "";
    expect((await list(finance, `q=${encodeURIComponent(ownWord)}`)).every((row) => own.some((mine) => mine.id === row.id))).toBe(true);
  });
});

describeEngines("ledger export", (context) => {
  /** The data rows of the exported sheet (below the title and header rows), as text. */
  async function exported(client: Client, query: string): Promise<string[][]> {
    const response = await client.request({ method: "GET", url: `/api/tasks/export.xlsx${query}` });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers["content-type"]).toContain("spreadsheetml");
    expect(String(response.headers["content-disposition"])).toMatch(/^attachment; .*filename\*=UTF-8''%E4%BB%BB%E5%8A%A1%E5%8F%B0%E8%B4%A6/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(response.rawPayload).buffer as ArrayBuffer);
    const sheet = workbook.getWorksheet("任务台账");
    if (!sheet) throw new Error("no sheet");
    expect(sheet.getRow(2).getCell(4).text).toBe("工作任务");
    const rows: string[][] = [];
    sheet.eachRow((row, number) => {
      if (number > 2) rows.push(Array.from({ length: 10 }, (_, i) => row.getCell(i + 1).text));
    });
    return rows;
  }

  test("the export holds every task the filters find, with units, status and light; a reporter's only their own", async () => {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const admin = await world.login(world.users.admin);
    const dispatch = await admin.request({ method: "POST", url: `/api/tasks/${ids.get("3")}/actions`, payload: { type: "dispatch", version: 1, leadUnitId: world.units.health.id, dueDate: "2025-03-04" } });
    expect(dispatch.statusCode, dispatch.body).toBe(200);
    world.clock.advance(3 * DAY_MS);
    const office = await world.login(world.users.admin);

    const all = await list(office, "");
    const rows = await exported(office, "");
    expect(rows.map((row) => row[3])).toEqual(all.map((row) => `${row.number} ${row.title}`.trim()));
    expect(rows.map((row) => row[0])).toEqual(all.map((_, index) => String(index + 1)));
    const red = await exported(office, "?light=red");
    expect(red).toHaveLength((await list(office, "light=red")).length);
    expect(red.every((row) => row[8] === "红灯" && (row[9] ?? "").includes("已超过办理期限"))).toBe(true);
    expect(red.map((row) => row[4])).toContain("市卫健委");

    const health = await world.login(world.users.healthReporter);
    const own = await exported(health, "");
    expect(own.map((row) => row[3])).toEqual((await list(health, "")).map((row) => `${row.number} ${row.title}`.trim()));
    expect(own.length).toBeLessThan(all.length);
    // Another unit's tasks: an empty sheet that says so, not an error naming the unit.
    expect(await exported(health, `?unit=${world.units.finance.id}`)).toEqual([["没有符合条件的任务。", ...Array(9).fill("没有符合条件的任务。")]]);
  });
});
