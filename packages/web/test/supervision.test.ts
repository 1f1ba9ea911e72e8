// The office's supervision pages in Chromium against the real server with the demo bureau: the
// messages bell, the 督办单 list (and a 督办单 when the scheduler has issued one), this month's
// 通报 as a web page with the numbers of GET /api/bulletins/:period, the 考核 scores with their
// evidence, and a delivery channel added through the form whose test message cannot arrive (the
// page says so). Every page is screenshotted (docs/screenshots) and checked for console errors
// and for Chinese characters drawn as boxes.
//
// The demo has overdue tasks: one scheduler run before the test records their reminders, 催办 and
// escalations (with 督办单 numbers), so the bell and the 督办单 list are checked with real items.
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Assessment, Bulletin, Channel, NotificationPage, SupervisionNoticePage } from "../src/api-types.js";
import { DESKTOP, startBrowserHarness, type BrowserHarness, type Tab } from "./browser.js";

let harness: BrowserHarness;
beforeAll(async () => {
  harness = await startBrowserHarness();
  const run = harness.server.runScheduler;
  if (!run) throw new Error("the harness's server runs no scheduler");
  const result = await run();
  if (result.recorded === 0 || result.supervisionNotices === 0) throw new Error(`the demo's run recorded ${result.recorded} notices, ${result.supervisionNotices} 督办单`);
}, 180_000);
afterAll(async () => {
  await harness?.close();
}, 60_000);

const FLOW_TIMEOUT_MS = 120_000;
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const thisMonth = today.slice(0, 7);
/** Nothing listens on port 1: the test message is refused at once. */
const DEAD_WEBHOOK = "http://127.0.0.1:1/hook?token=abc123";

async function capture(tab: Tab, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await tab.page.setViewportSize(DESKTOP);
  await tab.screenshot(name, options);
  const tofu = await tab.tofu();
  expect(tofu.checked, `${name}: no Chinese text found to check`).toBeGreaterThan(0);
  expect(tofu.boxes, `${name}: Chinese characters drawn as boxes`).toEqual([]);
}

async function getJson<T>(tab: Tab, path: string): Promise<T> {
  const response = await tab.page.request.get(path);
  expect(response.status(), `GET ${path}`).toBe(200);
  return (await response.json()) as T;
}

test("the office reads its messages and 督办单, this month's 通报 and 考核, and tests a delivery channel", async () => {
  const tab = await harness.open({ viewport: DESKTOP });
  const { page } = tab;
  await tab.signIn("admin");

  // ---- the bell -------------------------------------------------------------------------------
  const messages = await getJson<NotificationPage>(tab, "/api/notifications");
  await page.getByTestId("notification-bell").click();
  const drawer = page.getByRole("dialog");
  await expect.poll(() => drawer.getByText("我的消息").count()).toBeGreaterThan(0);
  if (messages.items.length === 0) {
    await expect.poll(() => drawer.getByTestId("notification-empty").count()).toBe(1);
  } else {
    await expect.poll(() => drawer.locator("[data-notification-id]").count()).toBe(messages.items.length);
  }
  await capture(tab, "notifications", { fullPage: false });
  const firstUnread = messages.items.find((item) => item.readAt === null);
  if (firstUnread) {
    // Opening a message marks it read and goes to its task.
    await drawer.locator(`[data-notification-id="${firstUnread.id}"]`).click();
    await page.waitForURL(new RegExp(`/tasks/${firstUnread.taskId}$`));
    await expect.poll(async () => (await getJson<NotificationPage>(tab, "/api/notifications")).unread).toBe(messages.unread - 1);
  } else {
    await page.keyboard.press("Escape");
    await expect.poll(() => drawer.count()).toBe(0);
  }

  // ---- 督办单 ----------------------------------------------------------------------------------
  const notices = await getJson<SupervisionNoticePage>(tab, "/api/supervision-notices");
  await page.getByRole("menuitem", { name: /督办单/ }).click();
  await page.waitForURL(/\/supervision-notices$/);
  const list = page.getByTestId("supervision-notices");
  if (notices.items.length === 0) await expect.poll(() => list.getByText("还没有督办单").count()).toBe(1);
  else await expect.poll(() => list.locator("[data-notice-id]").count()).toBe(notices.items.length);
  await capture(tab, "supervision-notices");
  const first = notices.items[0];
  if (first) {
    await list.getByRole("link", { name: first.number }).click();
    await page.waitForURL(new RegExp(`/supervision-notices/${first.id}$`));
    await expect.poll(() => page.getByTestId("supervision-sheet").getByText(first.taskTitle).count()).toBeGreaterThan(0);
    await capture(tab, "supervision-notice");
  }

  // ---- 通报 ------------------------------------------------------------------------------------
  const bulletin = await getJson<Bulletin>(tab, `/api/bulletins/${thisMonth}`);
  const ranked = bulletin.units.find((unit) => unit.rank !== null && unit.tasks > 0);
  expect(ranked, "the demo has a ranked lead unit with tasks this month").toBeDefined();
  await page.getByRole("menuitem", { name: /通报与考核/ }).click();
  await page.waitForURL(/\/bulletins$/);
  const shown = page.getByTestId("bulletin");
  await expect.poll(() => shown.getByText(bulletin.text.opening).count()).toBe(1);
  const row = shown.locator(`tr[data-unit-name="${ranked!.name}"]`);
  await expect.poll(() => row.count()).toBe(1);
  const cells = await row.locator("td").allInnerTexts();
  expect(cells[0]).toBe(String(ranked!.rank));
  expect(cells[1]).toBe(ranked!.name);
  expect(cells[2]).toBe(String(ranked!.tasks));
  expect(cells[3]).toBe(String(ranked!.closed));
  // The totals row, and every red item under its unit.
  await expect.poll(() => shown.locator(".ant-table-summary").getByText(String(bulletin.totals.tasks), { exact: true }).count()).toBeGreaterThan(0);
  for (const unit of bulletin.units.filter((candidate) => candidate.redItems.length > 0)) {
    expect(await shown.locator(`[data-red-unit="${unit.name}"] li`).count(), `red items of ${unit.name}`).toBe(unit.redItems.length);
  }
  await shown.locator('[aria-label="各单位办结率"] canvas').first().waitFor();
  // The downloads are the server's documents for the same period.
  for (const name of ["下载通报(Word)", "下载数据(Excel)"]) {
    const href = await page.getByRole("link", { name }).getAttribute("href");
    expect(href).toContain(`/api/bulletins/${thisMonth}/`);
    const download = await page.request.get(href ?? "");
    expect(download.status(), name).toBe(200);
  }
  await capture(tab, "bulletin-page");

  // ---- 考核 ------------------------------------------------------------------------------------
  const assessment = await getJson<Assessment>(tab, `/api/assessment/${thisMonth}`);
  const top = assessment.units[0];
  expect(top, "the demo has a unit to assess").toBeDefined();
  await page.getByRole("tab", { name: "考核" }).click();
  await page.waitForURL(/tab=assessment/);
  const scores = page.getByTestId("assessment-table");
  await expect.poll(() => scores.locator("tr.ant-table-row").count()).toBe(assessment.units.length);
  const topRow = scores.locator(`tr[data-row-key="${top!.unitId}"]`);
  await expect.poll(() => topRow.getByText(top!.name).count()).toBe(1);
  await topRow.getByRole("button", { name: /展开/ }).click();
  const evidence = scores.locator(`[data-evidence-unit="${top!.unitId}"]`);
  for (const indicator of top!.indicators) await expect.poll(() => evidence.getByText(indicator.label, { exact: true }).count()).toBe(1);
  const xlsx = await page.getByRole("link", { name: "下载考核表(Excel)" }).getAttribute("href");
  expect((await page.request.get(xlsx ?? "")).status()).toBe(200);
  await capture(tab, "assessment-page");

  // ---- 通知渠道 --------------------------------------------------------------------------------
  await page.getByRole("menuitem", { name: /通知渠道/ }).click();
  await page.waitForURL(/\/channels$/);
  await page.getByRole("button", { name: "添加渠道" }).click();
  const form = page.getByRole("dialog");
  await form.getByLabel("类型").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "Webhook" }).click();
  await form.getByLabel("名称").fill("督查室测试接口");
  await form.getByLabel("Webhook 地址").fill(DEAD_WEBHOOK);
  await form.getByRole("button", { name: /保\s*存/ }).click();
  await expect.poll(() => form.count()).toBe(0);
  const channels = await getJson<Channel[]>(tab, "/api/channels");
  const added = channels.find((channel) => channel.name === "督查室测试接口");
  expect(added).toMatchObject({ kind: "webhook", enabled: true });
  // The token in the address never comes back.
  expect(added?.settings.url).not.toContain("abc123");
  const channelRow = page.locator(`[data-channel-id="${added!.id}"]`);
  await expect.poll(() => channelRow.getByText(added!.settings.url ?? "").count()).toBe(1);
  await channelRow.getByRole("button", { name: "发送测试" }).click();
  const refused = page.locator(".ant-modal-confirm-error", { hasText: "测试消息没有送达:督查室测试接口" });
  await expect.poll(() => refused.count(), { timeout: 20_000 }).toBe(1);
  await capture(tab, "channel-test", { fullPage: false });
  await refused.getByRole("button", { name: "知道了" }).click();
  await expect.poll(() => refused.count()).toBe(0);
  await expect.poll(() => channelRow.getByText("未送达").count()).toBe(1);
  await capture(tab, "channels");

  expect(tab.problems).toEqual([]);
}, FLOW_TIMEOUT_MS);
