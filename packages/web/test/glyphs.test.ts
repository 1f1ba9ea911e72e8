// The harness's tofu check can fail: Chromium started with a fontconfig that knows only DejaVu
// (no Chinese font at all) draws Chinese text as boxes, and the check names every character;
// with the machine's fonts the same page passes. Without this, "no Chinese glyph renders as a
// box" in the other browser tests could be a check that never fires.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CHROMIUM, findTofu } from "./browser.js";
import { FONT_FAMILY } from "../src/theme.js";

const PAGE = `<!doctype html><html lang="zh-CN"><body style="font-family: ${FONT_FAMILY}"><h1>任务台账</h1><p>督查室 领导驾驶舱 承办单位 Ledger 2026</p></body></html>`;
const LATIN_ONLY_FONTS = "/usr/share/fonts/truetype/dejavu";

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "taizhang-fonts-"));
  writeFileSync(
    join(folder, "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${LATIN_ONLY_FONTS}</dir><cachedir>${join(folder, "cache")}</cachedir></fontconfig>\n`,
  );
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function tofuWith(env: Record<string, string>) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"], env: { ...process.env, ...env } as Record<string, string> });
  try {
    const page = await browser.newPage();
    await page.setContent(PAGE);
    return await findTofu(page);
  } finally {
    await browser.close();
  }
}

test("with the machine's fonts every Chinese character has a glyph", async () => {
  const report = await tofuWith({});
  expect(report.checked).toBe(new Set("任务台账督查室领导驾驶舱承办单位").size);
  expect(report.boxes).toEqual([]);
});

test("with no Chinese font the check finds every character drawn as a box", async () => {
  const report = await tofuWith({ FONTCONFIG_FILE: join(folder, "fonts.conf") });
  expect(report.boxes.sort()).toEqual([...new Set("任务台账督查室领导驾驶舱承办单位")].sort());
});
