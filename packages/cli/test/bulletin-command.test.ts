// `taizhang bulletin` and `taizhang assess` on the demo bureau in a data folder: in-process on the
// demo's own clock (the numbers are the API's), and through the built binary for what a person at
// the terminal sees (files written, bad periods and options refused in Chinese).
import { existsSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, expect, test } from "vitest";
import { migrate, openDatabase } from "@taizhang/store";
import { TEST_SCRYPT, seedDemo } from "../../server/src/index.js";
import { runAssess, runBulletin } from "../src/bulletin-command.js";
import { STACK_TRACE, run, scratch } from "./cli-process.js";

const NOW = new Date("2026-11-20T09:00:00+08:00");
const folder = scratch();
const env = { TAIZHANG_DATA: path.join(folder, "data") };

beforeAll(async () => {
  const handle = await openDatabase({ dataDir: env.TAIZHANG_DATA });
  try {
    await migrate(handle.db);
    await seedDemo(handle.db, { now: NOW, passwordParams: TEST_SCRYPT });
  } finally {
    await handle.close();
  }
}, 120_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (text: string) => void out.push(text), stderr: (text: string) => void err.push(text) }, out: () => out.join(""), err: () => err.join("") };
}

test("bulletin writes the .docx and .xlsx of the period and prints the totals", async () => {
  const out = path.join(folder, "通报");
  const { io, out: stdout } = capture();
  expect(await runBulletin({ period: "2026-11", out, format: ["docx", "xlsx"], docNumber: "示教督通〔2026〕7号" }, io, env, () => NOW)).toBe(0);
  expect(stdout()).toContain("示例市教育局关于2026年11月重点工作推进情况的通报");
  expect(stdout()).toContain("任务 21 项,已办结 2 项(办结率 9.5%),逾期未办结 3 项,红灯 3 项。");
  expect(readdirSync(out).sort()).toEqual(["重点工作推进情况通报-2026-11.docx", "重点工作推进情况通报-2026-11.xlsx"]);
  const docx = unzipSync(new Uint8Array(await readFile(path.join(out, "重点工作推进情况通报-2026-11.docx"))));
  const xml = strFromU8(docx["word/document.xml"] ?? new Uint8Array());
  expect(xml).toContain("示教督通〔2026〕7号");
  expect(xml).toContain("计划财务科");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path.join(out, "重点工作推进情况通报-2026-11.xlsx"));
  expect(workbook.getWorksheet("各单位推进情况")?.getRow(3).getCell(2).value).toBe("计划财务科");
});

test("assess prints each unit's score and writes the score sheet; a model replaces the default", async () => {
  const { io, out: stdout } = capture();
  expect(await runAssess({ period: "2026-11", out: folder, weights: { fullMarks: 100, indicators: [{ key: "closeRate", weight: 100 }] } }, io, env, () => NOW)).toBe(0);
  expect(stdout()).toContain("示例市教育局2026年11月重点工作考核(数据截至2026年11月20日)");
  // 计划财务科 closed 1 of its 3 tasks.
  expect(stdout()).toContain("1. 计划财务科 33.33分(办结率 33.3%)");
  expect(existsSync(path.join(folder, "重点工作考核-2026-11.xlsx"))).toBe(true);
});

test("through the binary: files on the real clock, bad periods and options refused in Chinese", () => {
  const out = path.join(folder, "binary");
  const done = run(env, "bulletin", "--period", "2026-Q4", "--out", out, "--format", "xlsx");
  expect(done.code, done.stderr).toBe(0);
  expect(readdirSync(out)).toEqual(["重点工作推进情况通报-2026-Q4.xlsx"]);
  const assessed = run(env, "assess", "--period", "2026", "--out", out, "--weights", "办结率:50,按时办结率:50");
  expect(assessed.code, assessed.stderr).toBe(0);
  expect(assessed.stdout).toMatch(/^ {2}1\. /m);

  const refusals: [string[], number, RegExp][] = [
    [["bulletin", "--period", "2026-13"], 2, /“2026-13”不是有效的统计期/],
    [["bulletin", "--period", "2099-01"], 1, /统计期2099年1月还没有开始/],
    [["bulletin", "--period", "2026-11", "--format", "pdf"], 2, /不支持的格式“pdf”/],
    [["assess", "--period", "2026-11", "--weights", "办结率:90"], 2, /合计应为满分 100,现为 90/],
    [["bulletin"], 2, /--period/],
  ];
  for (const [args, code, message] of refusals) {
    const result = run(env, ...args);
    expect([args.join(" "), result.code]).toEqual([args.join(" "), code]);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  }
}, 120_000);
