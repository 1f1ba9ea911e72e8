// The demo data: made through the API on a fixed "today", so the ledger it leaves is known.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { listReports, listTasks, listUnits } from "@taizhang/store";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SEEDS_DIR, TEST_SCRYPT, buildApp, seedDemo, shiftPastToday } from "../src/index.js";
import { describeEngines } from "./helpers.js";

const NOW = new Date("2026-11-20T09:00:00+08:00");

test("a past deadline moves by the fewest whole years that put it after today", () => {
  expect(shiftPastToday("2025-12-31", "2026-11-20")).toBe("2026-12-31");
  expect(shiftPastToday("2023-06-30", "2026-11-20")).toBe("2027-06-30");
  expect(shiftPastToday("2023-11-20", "2026-11-20")).toBe("2027-11-20");
  expect(shiftPastToday("2024-02-29", "2026-11-20")).toBe("2027-02-28");
});

describeEngines("demo data", (context) => {
  test("an empty database gets the bureau, its accounts, both seed plans and their history; a second run changes nothing", async () => {
    const outcome = await seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT });
    if (!outcome.seeded) throw new Error("not seeded");
    expect(outcome.plans).toEqual([
      { title: "衡阳市进一步提高义务教育质量任务清单", tasks: 17 },
      { title: "2023年全市教育工作要点", tasks: 9 },
    ]);
    expect(outcome.notes).toEqual(["演示数据:时限已顺延到本年度(1 项任务的原定时限按整年顺延到今天以后)。"]);
    expect(outcome.lights).toEqual({ red: 3, yellow: 5, green: 16, grey: 2 });

    const { organisationId } = outcome;
    const units = await listUnits(context.db, organisationId);
    expect(units.map((unit) => unit.name)).toContain("雁峰区教育局");
    const rows = await listTasks(context.db, { organisationId, limit: 100 });
    // Every unit name the seed plans write matched a demo unit.
    const unmatched = await context.db.selectFrom("task_units").select("name").where("unit_id", "is", null).execute();
    expect(unmatched).toEqual([]);
    const byNumber = (plan: string, number: string) => rows.find((row) => row.planTitle.startsWith(plan) && row.number === number);
    expect(byNumber("衡阳", "13")?.dueDate).toBe("2026-12-31");
    expect(byNumber("衡阳", "1")?.status).toBe("已办结");
    expect(byNumber("衡阳", "15")?.status).toBe("待交办");

    // The returned report and its resubmission, as the reporter's history shows them.
    const returned = byNumber("衡阳", "2");
    const reports = await listReports(context.db, { organisationId, taskId: returned?.id ?? 0 });
    expect(reports.map((report) => report.reviewState)).toEqual(["已退回", "已通过"]);
    expect(reports[0]?.period).toBe(reports[1]?.period);

    // Every account signs in with the demo password, through the API.
    const app = buildApp({ db: context.db, now: () => NOW });
    try {
      for (const account of DEMO_ACCOUNTS) {
        const response = await app.inject({ method: "POST", url: "/api/login", payload: { login: account.login, password: DEMO_PASSWORD } });
        expect(response.statusCode, account.login).toBe(200);
      }
    } finally {
      await app.close();
    }

    const again = await seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT });
    expect(again).toEqual({ seeded: false, organisations: ["示例市教育局"] });
    expect(await listTasks(context.db, { organisationId, limit: 100 })).toHaveLength(rows.length);
  }, 120_000);

  test("without the seed files it still makes the bureau and accounts, and says it skipped the plans", async () => {
    const outcome = await seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT, seedsDir: "/nonexistent/seeds" });
    if (!outcome.seeded) throw new Error("not seeded");
    expect(outcome.plans).toEqual([]);
    expect(outcome.notes).toEqual([expect.stringContaining("未找到示例计划 002_*.txt"), expect.stringContaining("未找到示例计划 004_*.txt")]);
    expect(outcome.lights).toEqual({ red: 0, yellow: 0, green: 0, grey: 0 });
  }, 60_000);

  test("a demo that fails half-way leaves nothing behind, and the next start loads it whole", async () => {
    // Seed 002 is there; seed 004 is a file with no plan in it, so the import of the second fails.
    const seeds = mkdtempSync(join(tmpdir(), "taizhang-demo-seeds-"));
    try {
      const seed002 = readdirSync(DEMO_SEEDS_DIR).find((name) => name.startsWith("002_")) ?? "";
      copyFileSync(join(DEMO_SEEDS_DIR, seed002), join(seeds, seed002));
      writeFileSync(join(seeds, "004_broken.txt"), "");
      await expect(seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT, seedsDir: seeds })).rejects.toThrow();
      const organisations = await context.db.selectFrom("organisations").select("id").execute();
      const tasks = await context.db.selectFrom("tasks").select("id").execute();
      expect([organisations.length, tasks.length]).toEqual([0, 0]);
      const outcome = await seedDemo(context.db, { now: NOW, passwordParams: TEST_SCRYPT });
      expect(outcome.seeded).toBe(true);
    } finally {
      rmSync(seeds, { recursive: true, force: true });
    }
  }, 120_000);
});
