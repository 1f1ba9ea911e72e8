// The office's side of the web app in Chromium against the real server with the demo bureau:
// the import wizard reads seed plan 002 from a file and the clerk maps a unit name the tree does
// not know to a unit of the tree before confirming; a unit reports (a KPI value, an attachment),
// the office returns the report with a reason, the unit resubmits it as its completion report,
// the office closes the task (销号) from the review queue, and the cockpit shows one more task
// closed and one red task fewer. A decision on a task changed meanwhile shows the API's 409 in
// Chinese; a leader sees the queue read-only and decides the extension request. Screenshots of
// each page go to docs/screenshots; every page is checked for console errors and for Chinese
// characters drawn as boxes.
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Cockpit, PlanVersion, ReviewQueue, Session, TaskDetail, TaskPage, UnitNode } from "../src/api-types.js";
import { DESKTOP, evidenceFile, startBrowserHarness, type BrowserHarness, type Tab } from "./browser.js";

let harness: BrowserHarness;
beforeAll(async () => {
  harness = await startBrowserHarness();
}, 180_000);
afterAll(async () => {
  await harness?.close();
}, 60_000);

const FLOW_TIMEOUT_MS = 120_000;
const SEEDS_DIR = fileURLToPath(new URL("../../core/test/fixtures/seeds/", import.meta.url));
/** The demo's tree knows 市妇联; this plan writes it as another office would. */
const WRITTEN_NAME = "市妇儿工委";
const TREE_NAME = "市妇联";
/** Another file name and other bytes than the demo's own import of 002: a new plan, not a new version. */
const PLAN_FILE = "衡阳市义务教育质量任务清单.txt";

const ACTIONS_PATH = /^\/api\/tasks\/\d+\/actions$/;

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

/** A change through the API itself, as another clerk's browser would send it. */
async function postJson(tab: Tab, path: string, body: unknown): Promise<number> {
  const session = await getJson<Session>(tab, "/api/session");
  const response = await tab.page.request.post(path, { data: body, headers: { "X-CSRF-Token": session.csrfToken } });
  return response.status();
}

/** Picks a unit in an antd TreeSelect by typing its name. */
async function pickUnit(tab: Tab, label: string, unit: string): Promise<void> {
  const { page } = tab;
  await page.getByRole("combobox", { name: label }).click();
  await page.keyboard.type(unit);
  await page.locator(".ant-select-dropdown:visible .ant-select-tree-node-content-wrapper", { hasText: new RegExp(`^${unit}$`) }).click();
}

function unitId(tree: UnitNode[], name: string): number | undefined {
  for (const node of tree) {
    if (node.name === name) return node.id;
    const found = unitId(node.children, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

test("the office imports seed 002 through the wizard, maps a unit name the tree does not know, and confirms", async () => {
  const tab = await harness.open({ viewport: DESKTOP });
  const { page } = tab;
  await tab.signIn("admin");
  const plansBefore = await getJson<PlanVersion[]>(tab, "/api/plans");

  await page.getByRole("menuitem", { name: /导入计划/ }).click();
  await page.waitForURL(/\/plans\/import$/);
  await capture(tab, "import-upload");

  const seed = readdirSync(SEEDS_DIR).find((name) => name.startsWith("002_") && name.endsWith(".txt"));
  expect(seed, "seed plan 002 is in the fixtures").toBeDefined();
  const text = readFileSync(join(SEEDS_DIR, seed!), "utf8");
  expect(text.split(TREE_NAME)).toHaveLength(2);
  const file = evidenceFile(PLAN_FILE, text.replace(TREE_NAME, WRITTEN_NAME));
  try {
    await page.locator('input[type="file"]').setInputFiles(file.path);
    await page.locator('[data-import-step="review"]').waitFor();
  } finally {
    rmSync(file.folder, { recursive: true, force: true });
  }

  // The unmatched name comes first in what to check, and shows in red where the plan writes it.
  const item = page.locator(`[data-review-item="unit:${WRITTEN_NAME}"]`);
  await expect.poll(() => page.locator("[data-review-item]").first().getAttribute("data-review-item")).toBe(`unit:${WRITTEN_NAME}`);
  await item.getByRole("button", { name: /查\s*看/ }).click();
  const focused = page.locator('[data-testid="source-view"] [data-focus="true"]');
  await expect.poll(() => focused.textContent()).toBe(WRITTEN_NAME);
  expect(await focused.getAttribute("data-problem")).toBe("true");
  await capture(tab, "import-review", { fullPage: false });

  // A field of the task in the editor shows its words in the source.
  const editor = page.locator("[data-task-editor]");
  const deadline = editor.locator('[data-locate*="/deadline/"]').first();
  if ((await deadline.count()) > 0) {
    await deadline.click();
    await expect.poll(() => focused.getAttribute("data-kind")).toBe("deadline");
  }

  await pickUnit(tab, `单位名称“${WRITTEN_NAME}”对应的单位`, TREE_NAME);
  await expect.poll(() => item.count()).toBe(0);
  await expect.poll(() => page.locator('[data-testid="source-view"] [data-problem="true"]').count()).toBe(0);
  await capture(tab, "import-corrected", { fullPage: false });

  await page.getByRole("button", { name: "确认导入" }).click();
  await page.locator('[data-import-step="done"]').waitFor();
  await expect.poll(() => page.getByText(/已导入 1 份计划,共 17 项任务/).count()).toBe(1);
  await capture(tab, "import-done");

  // A new plan (the demo's own 002 keeps its tasks and history), its task assigned to the unit chosen.
  const plansAfter = await getJson<PlanVersion[]>(tab, "/api/plans");
  const created = plansAfter.filter((plan) => !plansBefore.some((before) => before.planId === plan.planId));
  expect(created.map((plan) => plan.sourceName)).toEqual([PLAN_FILE]);
  const planId = created[0]!.planId;
  const tree = await getJson<UnitNode[]>(tab, "/api/units");
  const tasks = await getJson<TaskPage>(tab, `/api/tasks?plan=${planId}&limit=100`);
  expect(tasks.items).toHaveLength(17);
  const named = tasks.items.flatMap((row) => row.units).filter((unit) => unit.name === WRITTEN_NAME);
  expect(named.map((unit) => unit.unitId)).toEqual([unitId(tree, TREE_NAME)]);

  await page.getByRole("button", { name: "在任务台账中查看" }).click();
  await page.waitForURL(new RegExp(`/tasks\\?plan=${planId}$`));
  await expect.poll(() => page.locator(".ant-table-row").count()).toBe(17);

  expect(tab.problems).toEqual([]);
}, FLOW_TIMEOUT_MS);

test("a report returned with a reason, resubmitted as the completion report and closed out shows in the cockpit", async () => {
  const office = await harness.open({ viewport: DESKTOP });
  await office.signIn("admin");
  const unit = await harness.open({ viewport: DESKTOP });
  await unit.signIn("jijiao");
  await unit.page.waitForURL(/\/my$/);

  // 基础教育科's red task at work with a KPI (seed 002 task 4 in the demo: overdue).
  const mine = await getJson<TaskPage>(unit, "/api/tasks?limit=500");
  const row = mine.items.find((candidate) => candidate.status === "办理中" && candidate.kpiCount > 0 && candidate.light.light === "red");
  expect(row, "the demo gives 基础教育科 a red task at work with a KPI").toBeDefined();
  const taskId = row!.id;
  const before = await getJson<Cockpit>(office, "/api/cockpit");
  expect(before.red.map((task) => task.id)).toContain(taskId);

  // The unit reports this period: progress, a KPI value and an attachment.
  const card = unit.page.locator(`[data-group="report"] [data-task-id="${taskId}"]`);
  await card.getByRole("button", { name: "填报进展" }).click();
  let drawer = unit.page.getByRole("dialog");
  await drawer.getByLabel("工作进展").fill("已完成作业公示制度检查,抽查 42 所学校。");
  await drawer.getByLabel("完成进度").fill("60");
  // The KPI of this task is 每周设立一天 (at least 1 day a week).
  await drawer.getByLabel(/^指标实际值/).first().fill("1");
  const evidence = evidenceFile("作业公示检查情况.txt", "抽查学校名单(测试附件)");
  try {
    await drawer.locator('input[type="file"]').setInputFiles(evidence.path);
    await expect.poll(() => drawer.locator('[data-upload-status="done"]').count(), { timeout: 15_000 }).toBe(1);
  } finally {
    rmSync(evidence.folder, { recursive: true, force: true });
  }
  await drawer.getByRole("button", { name: "提交报送" }).click();
  await expect.poll(() => unit.page.getByText("进展已报送,等待督查室审核").count()).toBeGreaterThan(0);
  const filed = (await getJson<TaskDetail>(unit, `/api/tasks/${taskId}`)).reports.find((report) => report.reviewState === "待审核");
  expect(filed?.evidence?.map((file) => file.fileName)).toEqual(["作业公示检查情况.txt"]);

  // The office returns it from the queue, with a reason.
  const { page } = office;
  await page.getByRole("menuitem", { name: /审核待办/ }).click();
  await page.waitForURL(/\/reviews$/);
  const queued = page.locator(`[data-report-id="${filed!.id}"]`);
  await queued.waitFor();
  await queued.locator(".ant-table-row-expand-icon").click();
  await expect.poll(() => page.locator(`[data-report-detail="${filed!.id}"]`).getByText("作业公示检查情况.txt", { exact: false }).count()).toBe(1);
  await capture(office, "review-queue");
  await queued.getByRole("button", { name: /退\s*回/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("退回理由").fill("请补充抽查学校名单和整改清单。");
  await dialog.getByRole("button", { name: /退\s*回/ }).click();
  await expect.poll(() => queued.count()).toBe(0);
  const returned = (await getJson<TaskDetail>(office, `/api/tasks/${taskId}`)).reports.find((report) => report.id === filed!.id);
  expect(returned).toMatchObject({ reviewState: "已退回", reviewNote: "请补充抽查学校名单和整改清单。" });

  // The unit sees it returned and resubmits it as its completion report (申请销号).
  await unit.page.reload();
  await expect.poll(() => card.getByText("被退回", { exact: false }).count()).toBe(1);
  await card.getByRole("button", { name: "填报进展" }).click();
  drawer = unit.page.getByRole("dialog");
  await drawer.locator("label.ant-radio-button-wrapper", { hasText: "已完成" }).click();
  await drawer.getByLabel("工作进展").fill("已补充抽查学校名单和整改清单,各项任务已全部完成,申请销号。");
  await drawer.getByLabel(/^指标实际值/).first().fill("1");
  await drawer.getByRole("button", { name: "提交报送" }).click();
  await expect.poll(() => unit.page.getByText("完成报告已提交,等待督查室审核销号").count()).toBeGreaterThan(0);

  // The office closes the task out: the completion report is accepted with it.
  await page.getByRole("button", { name: "刷新" }).click();
  await page.getByRole("tab", { name: "申请销号(1)" }).click();
  const finalRow = page.locator('[data-queue="finals"] [data-report-id]');
  await expect.poll(() => finalRow.count()).toBe(1);
  await capture(office, "review-close-out");
  await finalRow.getByRole("button", { name: "办结销号" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "办结销号" }).click();
  await expect.poll(() => page.getByText("已办结销号").count()).toBeGreaterThan(0);
  await expect.poll(() => finalRow.count()).toBe(0);
  const closed = await getJson<TaskDetail>(office, `/api/tasks/${taskId}`);
  expect(closed.status).toBe("已办结");
  expect(closed.reports.filter((report) => report.final).map((report) => report.reviewState)).toEqual(["已通过"]);

  // The cockpit: one more task closed, one red task fewer, the KPI value counted.
  await page.getByRole("menuitem", { name: /领导驾驶舱/ }).click();
  await page.waitForURL(/\/cockpit$/);
  await page.locator('[data-charts-ready="true"]').waitFor({ timeout: 20_000 });
  const total = (key: string) => page.locator(`[data-total="${key}"] .ant-statistic-content-value`).textContent();
  await expect.poll(() => total("closed")).toBe(String(before.totals.closed + 1));
  await expect.poll(() => total("red")).toBe(String(before.totals.red - 1));
  expect(await page.locator(`[data-testid="red-list"] [data-task-id="${taskId}"]`).count()).toBe(0);
  const after = await getJson<Cockpit>(office, "/api/cockpit");
  expect(after.kpis.find((kpi) => kpi.taskId === taskId && kpi.latest === 1 && kpi.attainment === 1)).toBeDefined();
  // The toast of the close-out has gone before the picture is taken.
  await expect.poll(() => page.locator(".ant-message-notice").count(), { timeout: 6_000 }).toBe(0);
  await capture(office, "cockpit");

  // Every total opens the tasks behind it.
  await page.locator('[data-total="closed"]').click();
  await page.waitForURL(/\/tasks\?status=/);
  await expect.poll(() => page.locator(".ant-table-row").count()).toBe(before.totals.closed + 1);

  expect(office.problems).toEqual([]);
  expect(unit.problems).toEqual([]);
}, FLOW_TIMEOUT_MS);

test("a decision on a task changed meanwhile shows the API's refusal in Chinese; a leader decides extensions only", async () => {
  const office = await harness.open({ viewport: DESKTOP });
  const { page } = office;
  await office.signIn("admin");
  await page.goto("/reviews");
  const queue = await getJson<ReviewQueue>(office, "/api/reviews");
  const item = queue.reports.find((candidate) => !candidate.report.final);
  expect(item, "the demo has a period report waiting for review").toBeDefined();
  const row = page.locator(`[data-report-id="${item!.report.id}"]`);
  await row.waitFor();

  // Another clerk accepts it first; this page still shows the version it loaded.
  expect(await postJson(office, `/api/tasks/${item!.task.id}/actions`, { type: "accept_report", period: item!.report.period, version: item!.task.version })).toBe(200);
  office.expectRefusal("POST", ACTIONS_PATH, 409);
  const refusal = page.waitForResponse((response) => ACTIONS_PATH.test(new URL(response.url()).pathname) && response.status() === 409);
  await row.getByRole("button", { name: /通\s*过/ }).click();
  const body = (await (await refusal).json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("TASK_VERSION_CONFLICT");
  const notice = page.locator(".ant-notification-notice").filter({ hasText: "审核通过没有完成" });
  await expect.poll(() => notice.getByText(body.error.message, { exact: false }).count()).toBe(1);
  // The queue reloaded: the report accepted elsewhere is gone.
  await expect.poll(() => row.count()).toBe(0);
  expect(office.problems).toEqual([]);

  // A leader: the cockpit first; the queue read-only but for extension requests.
  const leader = await harness.open({ viewport: DESKTOP });
  await leader.signIn("leader");
  await leader.page.waitForURL(/\/cockpit$/);
  await leader.page.locator('[data-charts-ready="true"]').waitFor({ timeout: 20_000 });
  await leader.page.getByRole("menuitem", { name: /审核待办/ }).click();
  await leader.page.waitForURL(/\/reviews$/);
  await leader.page.getByRole("tab", { name: /待审核报送/ }).waitFor();
  expect(await leader.page.getByRole("button", { name: /通\s*过|退\s*回/ }).count()).toBe(0);
  const extensions = await getJson<ReviewQueue>(leader, "/api/reviews");
  const extension = extensions.extensions[0];
  expect(extension, "the demo has an extension request waiting").toBeDefined();
  await leader.page.getByRole("tab", { name: /延期申请/ }).click();
  const request = leader.page.locator(`[data-extension-id="${extension!.extension.id}"]`);
  await request.waitFor();
  await capture(leader, "review-extensions-leader");
  await request.getByRole("button", { name: /批\s*准/ }).click();
  const dialog = leader.page.getByRole("dialog");
  await dialog.getByLabel("审批意见").fill("同意顺延,请按期完成普查。");
  await dialog.getByRole("button", { name: /批\s*准/ }).click();
  await expect.poll(() => request.count()).toBe(0);
  const decided = await getJson<TaskDetail>(leader, `/api/tasks/${extension!.task.id}`);
  expect(decided.dueDate).toBe(extension!.extension.requestedDate);
  expect(leader.problems).toEqual([]);
}, FLOW_TIMEOUT_MS);
