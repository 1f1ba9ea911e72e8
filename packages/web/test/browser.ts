// The browser tests' harness: the real server (PGlite in a fresh data folder, the demo bureau
// loaded) serving the built web app, and Debian's Chromium driven by playwright-core. Every page
// opened through it is watched: a console error, an uncaught exception or an API refusal the
// test did not announce fails the test. Screenshots go to docs/screenshots/<name>.png.
//
// The bundle is built once (vite build) when packages/web/dist is missing or older than the
// sources; test files running in parallel wait for each other's build.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { TEST_SCRYPT, seedDemo, serve, type RunningServer } from "../../server/src/index.js";

const WEB_DIR = fileURLToPath(new URL("../", import.meta.url));
const REPO_DIR = fileURLToPath(new URL("../../../", import.meta.url));
const DIST_INDEX = join(WEB_DIR, "dist", "index.html");
const VITE_BIN = join(REPO_DIR, "node_modules", "vite", "bin", "vite.js");
export const SCREENSHOTS_DIR = join(REPO_DIR, "docs", "screenshots");

export const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const DESKTOP = { width: 1366, height: 900 } as const;
export const PHONE = { width: 375, height: 812 } as const;
export const DEMO_PASSWORD = "taizhang2026";

const ACTION_TIMEOUT_MS = 10_000;
const BUILD_LOCK = join(tmpdir(), "taizhang-web-build.lock");
const BUILD_WAIT_MS = 180_000;
const POLL_MS = 250;

// ---- the bundle -----------------------------------------------------------------------------

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function bundleIsCurrent(): boolean {
  try {
    const built = statSync(DIST_INDEX).mtimeMs;
    const sources = Math.max(...["src", "public", "index.html", "vite.config.ts"].map((name) => newestChange(join(WEB_DIR, name))));
    return built >= sources;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds packages/web/dist unless it is current; one build at a time across test files. */
export async function ensureBundle(): Promise<void> {
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (!bundleIsCurrent()) {
    try {
      mkdirSync(BUILD_LOCK);
    } catch {
      // Another test file is building: wait for it, then look again. A lock left by a killed
      // run is taken over once it is older than the longest build.
      const lock = statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > BUILD_WAIT_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error("gave up waiting for another test file's vite build");
      await sleep(POLL_MS);
      continue;
    }
    try {
      if (bundleIsCurrent()) return;
      // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      const env = { ...process.env, NODE_ENV: "production" };
      const build = spawnSync(process.execPath, [VITE_BIN, "build", "--logLevel", "warn"], { cwd: WEB_DIR, encoding: "utf8", env });
      if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
      return;
    } finally {
      rmdirSync(BUILD_LOCK);
    }
  }
}

// ---- server and browser ---------------------------------------------------------------------

export interface BrowserHarness {
  /** http://127.0.0.1:port */
  url: string;
  server: RunningServer;
  browser: Browser;
  /** A fresh browser context (own cookies and storage) with one watched page. */
  open(options?: { viewport?: { width: number; height: number } }): Promise<Tab>;
  close(): Promise<void>;
}

/** Builds the bundle, starts the server with the demo data and launches Chromium. */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  await ensureBundle();
  const dataDir = mkdtempSync(join(tmpdir(), "taizhang-web-data-"));
  const server = await serve({
    port: 0,
    host: "127.0.0.1",
    dataDir,
    logger: false,
    signals: [],
    print: () => undefined,
    prepare: async (db) => {
      const outcome = await seedDemo(db, { passwordParams: TEST_SCRYPT });
      if (!outcome.seeded) throw new Error("the demo data was not loaded");
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  return {
    url: server.url,
    server,
    browser,
    async open(options = {}) {
      // A new context is a fresh profile: no cookies, no localStorage from another test.
      const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL: server.url });
      // Shorter than the test's own timeout, so a missing element is named in the failure.
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      contexts.push(context);
      return watch(context, await context.newPage());
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- a watched page ---------------------------------------------------------------------------

export interface Tab {
  page: Page;
  context: BrowserContext;
  /** What went wrong on the page so far: console errors, exceptions, unexpected API refusals. */
  problems: string[];
  /** Announces an API refusal the test expects (e.g. GET /api/session 401 before signing in). */
  expectRefusal(method: string, path: RegExp, status: number): void;
  signIn(login: string, password?: string): Promise<void>;
  /** The whole page (fullPage, default), or only what is in view (a drawer or dialog is open). */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  /** Chinese characters on the page that render as boxes (tofu); empty when all have glyphs. */
  tofu(): Promise<TofuReport>;
  /** Whether the page scrolls sideways (it must not on a phone). */
  horizontalOverflow(): Promise<number>;
}

interface Refusal {
  method: string;
  path: RegExp;
  status: number;
}

function watch(context: BrowserContext, page: Page): Tab {
  const problems: string[] = [];
  const expected: Refusal[] = [];
  const isExpected = (method: string, url: string, status: number) => {
    const path = new URL(url).pathname;
    return expected.some((refusal) => refusal.method === method && refusal.status === status && refusal.path.test(path));
  };
  // Chromium reports every 4xx/5xx response on the console ("Failed to load resource"); those are
  // judged by the response listener below, against the refusals the test announced.
  const refusedUrls = new Map<string, number>();
  page.on("response", (response) => {
    const status = response.status();
    if (status < 400) return;
    const method = response.request().method();
    refusedUrls.set(response.url(), status);
    if (!isExpected(method, response.url(), status)) problems.push(`API refusal: ${method} ${new URL(response.url()).pathname} → ${status}`);
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = message.location().url;
    if (message.text().startsWith("Failed to load resource") && refusedUrls.has(url)) return;
    problems.push(`console error: ${message.text()}${url ? ` (${url})` : ""}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A download the test does not follow, or a request cut off by navigation, is not a fault.
    const reason = request.failure()?.errorText ?? "";
    if (!reason.includes("ERR_ABORTED")) problems.push(`request failed: ${request.method()} ${request.url()} ${reason}`);
  });

  return {
    page,
    context,
    problems,
    expectRefusal(method, path, status) {
      expected.push({ method, path, status });
    },
    async signIn(login, password = DEMO_PASSWORD) {
      // Before signing in, the app asks who is signed in: nobody (401) is the expected answer.
      expected.push({ method: "GET", path: /^\/api\/session$/, status: 401 });
      await page.goto("/");
      await page.waitForURL(/\/login/);
      await page.getByLabel("登录名").fill(login);
      await page.getByLabel("密码").fill(password);
      await page.getByRole("button", { name: /登\s*录/ }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    },
    async screenshot(name, options = {}) {
      const fullPage = options.fullPage ?? true;
      // From the top: sticky headers would otherwise be drawn where the page was scrolled to.
      if (fullPage) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      await page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
      // Animations (antd's fade-ins) settle before the picture is taken.
      await page.waitForTimeout(300);
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      const path = join(SCREENSHOTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage });
      return path;
    },
    tofu: () => findTofu(page),
    horizontalOverflow: () =>
      page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      }),
  };
}

// ---- Chinese glyphs -----------------------------------------------------------------------------

export interface TofuReport {
  /** Distinct Chinese characters checked, per font stack. */
  checked: number;
  /** Characters drawn as the missing-glyph box. */
  boxes: string[];
  fonts: string[];
}

/**
 * Every Chinese character in the page's visible text is drawn on a canvas in the font its element
 * uses (so the browser's own font fallback applies) and compared with what the same font draws
 * for code points no font has (U+0378, unassigned; U+E000, private use; U+FFFF): when no font
 * has a glyph, the browser draws the same box for all of them. Characters that look identical
 * to that box, or a text whose different characters all look the same, are tofu.
 * glyphs.test.ts shows the check failing when Chromium is given no Chinese fonts.
 */
export function findTofu(page: Page): Promise<TofuReport> {
  return page.evaluate(async () => {
    // The browser's globals (this function runs in the page, not in Node, whose types these are).
    const win = globalThis as any;
    const doc = win.document;
    await doc.fonts.ready;
    const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
    const byFont = new Map<string, Set<string>>();
    const walker = doc.createTreeWalker(doc.body, win.NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text: string = node.nodeValue ?? "";
      const element = node.parentElement;
      if (!element || !HAN.test(text) || element.getClientRects().length === 0) continue;
      const style = win.getComputedStyle(element);
      if (style.visibility === "hidden") continue;
      const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
      const chars = byFont.get(font) ?? new Set<string>();
      for (const char of text) if (HAN.test(char)) chars.add(char);
      byFont.set(font, chars);
    }
    const canvas = doc.createElement("canvas");
    canvas.width = 48;
    canvas.height = 48;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const draw = (text: string): string => {
      context.clearRect(0, 0, 48, 48);
      context.fillText(text, 4, 36);
      const pixels: Uint8ClampedArray = context.getImageData(0, 0, 48, 48).data;
      let hash = 0;
      let ink = 0;
      for (let index = 3; index < pixels.length; index += 4) {
        hash = (Math.imul(hash, 31) + (pixels[index] ?? 0)) >>> 0;
        if ((pixels[index] ?? 0) > 0) ink++;
      }
      return `${hash}:${ink}`;
    };
    const boxes = new Set<string>();
    let checked = 0;
    for (const [font, chars] of byFont) {
      context.font = font;
      const missing = new Set(["\u0378", "\ue000", "\uffff"].map(draw));
      const drawn = [...chars].map((char) => ({ char, picture: draw(char) }));
      checked += drawn.length;
      const allAlike = drawn.length > 1 && new Set(drawn.map((glyph) => glyph.picture)).size === 1;
      for (const glyph of drawn) if (allAlike || missing.has(glyph.picture) || glyph.picture.endsWith(":0")) boxes.add(glyph.char);
    }
    return { checked, boxes: [...boxes], fonts: [...byFont.keys()] };
  });
}

/** A small file to attach as evidence, in a fresh folder the caller removes. */
export function evidenceFile(name: string, content: string): { path: string; folder: string } {
  const folder = mkdtempSync(join(tmpdir(), "taizhang-evidence-"));
  const path = join(folder, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return { path, folder };
}
