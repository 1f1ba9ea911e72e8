#!/usr/bin/env node
// The cockpit's time to interactive (issue 5) on the 50,000-task benchmark database, and the
// production bundle's sizes.
//
//   npm run build
//   node bench/cockpit.mjs --database-url postgres://…/bench_ledger [--runs 5] [--no-build]
//        [--login admin] [--password bench-ledger-2026] [--json results.json]
//
// The web bundle is built for production first (vite build, NODE_ENV=production; --no-build uses
// packages/web/dist as it is). The real server (`taizhang serve`, its own process) serves the
// bundle and the API over the database; one GET /api/cockpit warms its light cache, as a
// server that has been up for a while has it. Then Debian's Chromium (playwright-core) signs in
// once and opens /cockpit `--runs` times, each in a fresh browser context with that session:
// nothing cached, as a leader opening the screen for the first time today. A second series
// reloads the page in one context (scripts and styles from the browser's cache).
//
// Time to interactive = from the navigation's start to the moment every chart has drawn: the
// page sets the performance mark "cockpit-charts-ready" when ECharts has reported "finished" for
// each of its charts (packages/web/src/pages/cockpit-page.tsx). Its startTime is measured from
// the navigation's start by the browser itself. Medians are printed with every run.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { BENCH_PASSWORD, databaseName, databaseUrl, fail, integerOption, parseOptions } from "./ledger/options.mjs";

const CLI = fileURLToPath(new URL("../packages/cli/bin/taizhang.js", import.meta.url));
const WEB_DIR = fileURLToPath(new URL("../packages/web/", import.meta.url));
const VITE_BIN = fileURLToPath(new URL("../node_modules/vite/bin/vite.js", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
const VIEWPORT = { width: 1366, height: 900 };
const READY_MARK = "cockpit-charts-ready";
const READY_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 120_000;
const GOAL_MS = 1500;

const options = parseOptions(process.argv.slice(2), { flags: ["no-build"] });
const url = databaseUrl(options);
const runs = integerOption(options, "runs", 5);
const login = options.login ?? "admin";
const password = options.password ?? BENCH_PASSWORD;

const results = { database: databaseName(url), machine: machine(), bundle: null, api: {}, cold: [], warm: [] };

if (!options["no-build"]) build();
results.bundle = bundleSizes();
printBundle(results.bundle);

const server = await startServer(url);
let browser;
try {
  results.api = await warmServer(server.url);
  process.stdout.write(`GET /api/cockpit:首次(计算当日灯色)${ms(results.api.firstMs)},再次 ${ms(results.api.secondMs)};` + `${results.api.tasks} 项任务,${results.api.units} 个单位,${results.api.sections} 个章节,${results.api.plans} 份计划,响应 ${kib(results.api.bytes)}\n`);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const session = await signIn(browser, server.url);

  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "zh-CN", timezoneId: "Asia/Shanghai", storageState: session });
    const page = await context.newPage();
    const timing = await openCockpit(page, `${server.url}/cockpit`, () => page.goto(`${server.url}/cockpit`));
    await context.close();
    results.cold.push(timing);
    printRun("首次打开", run, timing);
  }

  const context = await browser.newContext({ viewport: VIEWPORT, locale: "zh-CN", timezoneId: "Asia/Shanghai", storageState: session });
  const page = await context.newPage();
  await openCockpit(page, `${server.url}/cockpit`, () => page.goto(`${server.url}/cockpit`));
  for (let run = 1; run <= runs; run++) {
    const timing = await openCockpit(page, `${server.url}/cockpit`, () => page.reload());
    results.warm.push(timing);
    printRun("缓存后刷新", run, timing);
  }
  await context.close();

  printSummary(results);
  if (options.json) await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await browser?.close().catch(() => undefined);
  await server.stop();
}

// ---- the bundle -----------------------------------------------------------------------------

function build() {
  process.stdout.write("构建网页(vite build,生产模式)……\n");
  const result = spawnSync(process.execPath, [VITE_BIN, "build", "--logLevel", "warn"], { cwd: WEB_DIR, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) fail(`vite build 失败:\n${result.stdout}\n${result.stderr}`);
}

/** Every file vite wrote to dist/assets, raw and gzip -9 (what a compressing proxy would send). */
function bundleSizes() {
  const assets = join(WEB_DIR, "dist", "assets");
  let names;
  try {
    names = readdirSync(assets);
  } catch {
    fail(`没有找到 ${assets}:请先构建网页(去掉 --no-build)。`);
  }
  const files = names
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => {
      const bytes = readFileSync(join(assets, name));
      return { name, bytes: statSync(join(assets, name)).size, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => b.bytes - a.bytes);
  const total = files.reduce((sum, file) => ({ bytes: sum.bytes + file.bytes, gzip: sum.gzip + file.gzip }), { bytes: 0, gzip: 0 });
  return { files, total };
}

function printBundle(bundle) {
  process.stdout.write("生产包(packages/web/dist/assets):\n");
  for (const file of bundle.files) process.stdout.write(`  ${file.name.padEnd(40)} ${kib(file.bytes).padStart(10)}   gzip ${kib(file.gzip).padStart(9)}\n`);
  process.stdout.write(`  ${"合计".padEnd(38)} ${kib(bundle.total.bytes).padStart(10)}   gzip ${kib(bundle.total.gzip).padStart(9)}\n`);
}

// ---- the server -----------------------------------------------------------------------------

function startServer(databaseUrlForServer) {
  const child = spawn(process.execPath, [CLI, "serve"], {
    env: { ...process.env, DATABASE_URL: databaseUrlForServer, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  child.stderr.on("data", (chunk) => {
    printed += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`台账服务 ${START_TIMEOUT_MS / 1000} 秒内没有启动:\n${printed}`));
    }, START_TIMEOUT_MS);
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`台账服务未能启动(退出码 ${code}):\n${printed}`));
    };
    child.once("exit", onExit);
    child.stdout.on("data", function listening(chunk) {
      printed += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(printed);
      if (!found) return;
      clearTimeout(timer);
      child.stdout.off("data", listening);
      child.stdout.resume();
      child.off("exit", onExit);
      process.stdout.write(`台账服务(进程 ${child.pid})已启动:${found[0]}\n`);
      resolve({
        url: found[0],
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** Signs in over HTTP and asks for the cockpit twice: the first computes today's lights. */
async function warmServer(base) {
  const response = await fetch(`${base}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login, password }) });
  if (!response.ok) fail(`无法以 ${login} 登录(${response.status}):请检查 --login / --password 与数据库是否为 bench_ledger。`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  const timed = async () => {
    const start = performance.now();
    const answer = await fetch(`${base}/api/cockpit`, { headers: { cookie } });
    const text = await answer.text();
    if (!answer.ok) fail(`GET /api/cockpit 失败(${answer.status}):${text.slice(0, 300)}`);
    return { ms: performance.now() - start, text };
  };
  const first = await timed();
  const second = await timed();
  const cockpit = JSON.parse(second.text);
  return {
    firstMs: first.ms,
    secondMs: second.ms,
    bytes: Buffer.byteLength(second.text),
    tasks: cockpit.totals.tasks,
    units: cockpit.byUnit.length,
    sections: cockpit.bySection.length,
    plans: cockpit.byPlan.length,
  };
}

// ---- the browser ----------------------------------------------------------------------------

/** Signs in through the login page once; the contexts of the runs start with this session. */
async function signIn(browserToUse, base) {
  const context = await browserToUse.newContext({ viewport: VIEWPORT, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("登录名").fill(login);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.waitForURL((address) => !address.pathname.startsWith("/login"));
  const state = await context.storageState();
  await context.close();
  return state;
}

/** Navigates (goto or reload) and reads the browser's own timings once every chart has drawn. */
async function openCockpit(page, address, go) {
  const errors = [];
  const onError = (message) => message.type() === "error" && errors.push(message.text());
  page.on("console", onError);
  try {
    await go();
    await page.waitForSelector('[data-charts-ready="true"]', { timeout: READY_TIMEOUT_MS });
    const timing = await page.evaluate(
      ({ mark, api }) => {
        const navigation = performance.getEntriesByType("navigation")[0];
        const ready = performance.getEntriesByName(mark)[0];
        const cockpit = performance.getEntriesByType("resource").find((entry) => entry.name === api || entry.name.startsWith(`${api}?`));
        const scripts = performance.getEntriesByType("resource").filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"));
        return {
          readyMs: ready ? ready.startTime : Number.NaN,
          domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : Number.NaN,
          apiStartMs: cockpit ? cockpit.startTime : Number.NaN,
          apiMs: cockpit ? cockpit.duration : Number.NaN,
          scriptBytes: scripts.reduce((sum, entry) => sum + (entry.encodedBodySize || 0), 0),
        };
      },
      { mark: READY_MARK, api: new URL("/api/cockpit", address).toString() },
    );
    if (errors.length > 0) process.stdout.write(`  (页面报错:${errors.slice(0, 3).join(" | ")})\n`);
    return timing;
  } finally {
    page.off("console", onError);
  }
}

// ---- reporting ------------------------------------------------------------------------------

function printRun(label, run, timing) {
  process.stdout.write(
    `${label} 第 ${run} 次:可交互 ${ms(timing.readyMs)}(DOMContentLoaded ${ms(timing.domContentLoadedMs)},` +
      `GET /api/cockpit 自 ${ms(timing.apiStartMs)} 起用时 ${ms(timing.apiMs)},脚本 ${kib(timing.scriptBytes)})\n`,
  );
}

function printSummary(all) {
  const line = (label, timings) => {
    const ready = median(timings.map((timing) => timing.readyMs));
    const api = median(timings.map((timing) => timing.apiMs));
    return `${label}:可交互中位数 ${ms(ready)}(${timings.length} 次:${timings.map((timing) => ms(timing.readyMs)).join("、")}),其中 GET /api/cockpit 中位数 ${ms(api)};目标 < ${ms(GOAL_MS)}:${ready < GOAL_MS ? "达到" : "未达到"}`;
  };
  process.stdout.write(
    [
      "",
      `数据库 ${all.database};机器 ${all.machine}`,
      line("首次打开(无缓存)", all.cold),
      line("缓存后刷新", all.warm),
      `生产包合计 ${kib(all.bundle.total.bytes)}(gzip ${kib(all.bundle.total.gzip)});驾驶舱首次打开加载脚本 ${kib(median(all.cold.map((timing) => timing.scriptBytes)))}(未压缩传输)`,
      "",
    ].join("\n"),
  );
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} 核 ${cpus[0]?.model ?? "?"},内存 ${Math.round(os.totalmem() / 2 ** 30)} GiB,负载 ${os.loadavg().map((load) => load.toFixed(2)).join(" ")},Node ${process.version}`;
}

function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function ms(value) {
  return Number.isFinite(value) ? `${Math.round(value)} ms` : "—";
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
