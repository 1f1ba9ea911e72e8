// The web app in Chromium against the real server with the demo bureau: a unit's reporter files
// a period report on a phone (KPI value, an attachment, the draft kept, a double click filing one
// report) and finds it on the task; the office filters the ledger by light and opens a task.
// Every page is screenshotted (docs/screenshots), checked for Chinese characters drawn as boxes,
// and for console errors; the reporter's pages also for sideways scrolling at 375 px.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { LedgerRow, TaskDetail } from "../src/api-types.js";
import { DESKTOP, PHONE, evidenceFile, startBrowserHarness, type BrowserHarness, type Tab } from "./browser.js";

let harness: BrowserHarness;
beforeAll(async () => {
  harness = await startBrowserHarness();
}, 180_000);
afterAll(async () => {
  await harness?.close();
}, 60_000);

/** A browser flow takes longer than the suite's default 30 s on a busy machine. */
const FLOW_TIMEOUT_MS = 60_000;
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

/** Screenshots at the phone's width and the desktop's, and the checks every page gets. */
async function capture(tab: Tab, name: string, options: { phone: boolean; fullPage?: boolean }): Promise<void> {
  const { page } = tab;
  if (options.phone) {
    await page.setViewportSize(PHONE);
    expect(await tab.horizontalOverflow(), `${name}: sideways scrolling at 375 px`).toBeLessThanOrEqual(0);
    await tab.screenshot(`${name}-phone`, { fullPage: options.fullPage });
    expect((await tab.tofu()).boxes, `${name} (phone): Chinese characters drawn as boxes`).toEqual([]);
  }
  await page.setViewportSize(DESKTOP);
  await tab.screenshot(name, { fullPage: options.fullPage });
  const tofu = await tab.tofu();
  expect(tofu.checked, `${name}: no Chinese text found to check`).toBeGreaterThan(0);
  expect(tofu.boxes, `${name}: Chinese characters drawn as boxes`).toEqual([]);
  if (options.phone) await page.setViewportSize(PHONE);
}

test("a reporter files this period's report on a phone, with a KPI value and an attachment, and finds it on the task", async () => {
  const tab = await harness.open({ viewport: PHONE });
  const { page } = tab;
  tab.expectRefusal("GET", /^\/api\/session$/, 401);
  await page.goto("/");
  await page.waitForURL(/\/login/);
  await capture(tab, "login", { phone: true });

  await tab.signIn("jijiao");
  await page.waitForURL(/\/my$/);
  // The unit's task at work with a KPI and no report for this month (seed 002 task 4 in the demo).
  const mine = (await (await page.request.get("/api/tasks?limit=500")).json()) as { items: LedgerRow[] };
  const row = mine.items.find((candidate) => candidate.status === "办理中" && candidate.kpiCount > 0);
  expect(row, "the demo gives 基础教育科 a task at work with a KPI").toBeDefined();
  const taskId = row!.id;
  const card = page.locator(`[data-group="report"] [data-task-id="${taskId}"]`);
  await expect.poll(() => card.count()).toBe(1);
  await capture(tab, "my-tasks", { phone: true });

  // A draft survives closing the form.
  await card.getByRole("button", { name: "填报进展" }).click();
  const drawer = page.getByRole("dialog");
  await drawer.getByLabel("工作进展").fill("草稿:正在汇总各校作业公示情况");
  await page.waitForTimeout(900);
  await page.keyboard.press("Escape");
  await expect.poll(() => drawer.count()).toBe(0);
  await card.getByRole("button", { name: "填报进展" }).click();
  await expect.poll(() => drawer.getByText(/已恢复 .* 保存的草稿/).count()).toBe(1);
  expect(await drawer.getByLabel("工作进展").inputValue()).toBe("草稿:正在汇总各校作业公示情况");

  const narrative = "已完成全市中小学作业公示制度检查,抽查 42 所学校,整改问题 6 项。";
  await drawer.getByLabel("工作进展").fill(narrative);
  await drawer.getByLabel("完成进度").fill("45");
  await drawer.getByLabel(/^指标实际值/).first().fill("88");
  const evidence = evidenceFile("作业公示检查情况.txt", "抽查学校名单与整改清单(测试附件)");
  try {
    await drawer.locator('input[type="file"]').setInputFiles(evidence.path);
    await expect.poll(() => drawer.locator('[data-upload-status="done"]').count(), { timeout: 15_000 }).toBe(1);
  } finally {
    rmSync(evidence.folder, { recursive: true, force: true });
  }
  await capture(tab, "report-form", { phone: true, fullPage: false });

  // A double click files one report: the form's Idempotency-Key is the same for both.
  await drawer.getByRole("button", { name: "提交报送" }).dblclick();
  await expect.poll(() => page.getByText("进展已报送,等待督查室审核").count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator(`[data-group="review"] [data-task-id="${taskId}"]`).count()).toBe(1);

  const detail = (await (await page.request.get(`/api/tasks/${taskId}`)).json()) as TaskDetail;
  const filed = detail.reports.filter((report) => report.period === today.slice(0, 7));
  expect(filed).toHaveLength(1);
  expect(filed[0]).toMatchObject({ percent: 45, narrative, reviewState: "待审核" });
  expect(filed[0]?.kpiValues).toEqual([{ kpiId: detail.kpis[0]?.id, value: 88 }]);
  expect(filed[0]?.evidence?.map((file) => file.fileName)).toEqual(["作业公示检查情况.txt"]);

  // On the task page the report is in the timeline, with the KPI value and the file.
  await page.locator(`[data-task-id="${taskId}"]`).getByRole("button", { name: /查\s*看/ }).click();
  await page.waitForURL(new RegExp(`/tasks/${taskId}$`));
  const entry = page.locator(`[data-report-id="${filed[0]?.id}"]`);
  await expect.poll(() => entry.getByText(narrative).count()).toBe(1);
  await expect.poll(() => entry.getByText("88").count()).toBeGreaterThan(0);
  const link = entry.getByRole("link", { name: /作业公示检查情况\.txt/ });
  const download = await page.request.get((await link.getAttribute("href")) ?? "");
  expect(download.status()).toBe(200);
  expect(await download.text()).toBe("抽查学校名单与整改清单(测试附件)");
  await page.locator('[aria-label^="指标“"] canvas').first().waitFor();
  await capture(tab, "task-reporter", { phone: true });

  // The unit's ledger: its own tasks only, as cards on the phone.
  await page.getByRole("button", { name: "打开菜单" }).click();
  await page.getByRole("menuitem", { name: /任务台账/ }).click();
  await page.waitForURL(/\/tasks$/);
  await expect.poll(() => page.locator("[data-task-id]").count()).toBe(mine.items.length);
  await capture(tab, "ledger-reporter", { phone: true });

  expect(tab.problems).toEqual([]);
}, FLOW_TIMEOUT_MS);

test("the office filters the ledger by light and opens a task", async () => {
  const tab = await harness.open({ viewport: DESKTOP });
  const { page } = tab;
  await tab.signIn("admin");
  await page.waitForURL(/\/tasks$/);
  await expect.poll(() => page.locator(".ant-table-row").count()).toBeGreaterThan(10);
  await capture(tab, "ledger", { phone: false });

  await page.getByRole("combobox", { name: "灯色" }).click();
  await page.locator(".ant-select-item-option").filter({ hasText: "红灯" }).click();
  await page.waitForURL(/light=red/);
  await expect.poll(async () => [...new Set(await page.locator(".ant-table-row [data-light]").evaluateAll((badges) => badges.map((badge) => badge.getAttribute("data-light"))))]).toEqual(["red"]);
  await capture(tab, "ledger-red", { phone: false });

  const first = page.locator(".ant-table-row").first();
  const title = (await first.locator("a").first().textContent()) ?? "";
  await first.locator("td").nth(2).click();
  await page.waitForURL(/\/tasks\/\d+$/);
  await expect.poll(() => page.getByRole("heading", { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).count()).toBe(1);
  await expect.poll(() => page.getByText("计划原文").count()).toBeGreaterThan(0);
  await page.getByText("操作记录").click();
  await expect.poll(() => page.getByText("交办", { exact: true }).count()).toBeGreaterThan(0);
  await capture(tab, "task-admin", { phone: false });

  expect(tab.problems).toEqual([]);
}, FLOW_TIMEOUT_MS);
