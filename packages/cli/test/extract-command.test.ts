// The command as a user runs it: the built binary, real files, exit codes and messages.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/taizhang.js", import.meta.url));
const SEEDS = fileURLToPath(new URL("../../core/test/fixtures/seeds/", import.meta.url));
const FORMATS = fileURLToPath(new URL("../../core/test/fixtures/formats/", import.meta.url));
const seeds = readdirSync(SEEDS).filter((f) => f.endsWith(".txt")).sort().map((f) => path.join(SEEDS, f));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "taizhang-cli-"));
}

describe("taizhang extract", () => {
  it("prints one JSON array of every plan of every input, in input order", () => {
    const r = run("extract", ...seeds, "--format", "plan-json");
    expect(r.code).toBe(0);
    const plans = JSON.parse(r.stdout) as { source: string; part: number }[];
    expect(plans.map((p) => `${p.source}#${p.part}`)).toEqual([
      "000_12fb43dfee53bd9a.txt#1",
      "001_3165b1e1fe2a6d7c.txt#1",
      "001_3165b1e1fe2a6d7c.txt#2",
      "001_3165b1e1fe2a6d7c.txt#3",
      "001_3165b1e1fe2a6d7c.txt#4",
      "002_4f73318976e71334.txt#1",
      "003_d9e5581cac34f553.txt#1",
      "004_10dafd72f5573692.txt#1",
    ]);
    expect(r.stderr).toContain("LISTED_PLAN_MISSING");
  });

  it("writes the 任务分解表 as .xlsx", async () => {
    const out = scratch();
    const r = run("extract", seeds[2] as string, "--format", "xlsx", "--out", out);
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(out, "002_4f73318976e71334.xlsx"));
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(2).values).toEqual([undefined, "序号", "工作任务", "具体措施", "责任单位", "牵头单位", "完成时限", "量化目标"]);
  });

  it("prints a readable outline as markdown", () => {
    const r = run("extract", seeds[4] as string, "--format", "md");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# 2023年全市教育工作要点\n/);
    expect(r.stdout).toContain("持续扩增基础教育优质资源");
  });

  describe("every format a plan arrives in, told from the content", () => {
    it.each([
      ["002-table.docx", 17],
      ["004-numbered.docx", 9],
      ["002-table.xlsx", 17],
      ["002-table.csv", 17],
      ["003-page.html", 21],
      ["000-page-gbk.html", 11],
      ["002-table.pdf", 17],
      ["004-paragraphs.pdf", 9],
    ])("%s → %i tasks", (name, tasks) => {
      const r = run("extract", path.join(FORMATS, name), "--format", "plan-json");
      expect(r.stderr).not.toMatch(/错误/);
      expect(r.code).toBe(0);
      const plans = JSON.parse(r.stdout) as { source: string; tasks: unknown[] }[];
      expect(plans.map((p) => p.source)).toEqual(plans.map(() => name));
      expect(plans.reduce((n, p) => n + p.tasks.length, 0)).toBe(tasks);
    });

    it("reads a Word file whatever its name says", () => {
      const dir = scratch();
      const file = write(dir, "计划.txt", readFileSync(path.join(FORMATS, "002-table.docx")));
      const r = run("extract", file, "--format", "plan-json");
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { tasks: unknown[] }[])[0]?.tasks).toHaveLength(17);
    });

    it.each([
      ["corrupt.docx", /文件已损坏或不完整\(Word 文档\)/],
      ["bomb.docx", /解压后超过/],
      ["huge.xlsx", /超过 20000 行/],
      ["notaplan.html", /没有找到编号的工作任务/],
      ["encrypted.pdf", /设有打开密码/],
      ["scanned.pdf", /没有文字层.*OCR/],
      ["corrupt.pdf", /文件已损坏或不完整\(PDF\)/],
    ])("%s: a clear message and exit 1", (name, message) => {
      const r = run("extract", path.join(FORMATS, name));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });

  describe("bad input: a clear message, a non-zero exit, no stack trace, no partial output", () => {
    const cases: [string, (dir: string) => string, RegExp][] = [
      ["an empty file", (d) => write(d, "empty.txt", ""), /文件是空的/],
      ["a binary file", (d) => write(d, "plan.txt", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 0, 0, 0])), /不是计划文档/],
      ["a text that is not a plan", (d) => write(d, "note.txt", "今天天气很好,我们去公园散步。\n晚上回家吃饭。\n"), /没有找到编号的工作任务/],
      ["undecodable bytes", (d) => write(d, "bad.txt", Buffer.alloc(300, 0xff)), /编码无法识别/],
      ["a missing file", (d) => path.join(d, "nothing-here.txt"), /找不到文件/],
      ["a 200 MB file", (d) => big(d), /文件太大/],
    ];
    it.each(cases)("%s", (_, make, message) => {
      const dir = scratch();
      const out = path.join(dir, "out");
      const file = make(dir);
      const r = run("extract", file, "--out", out);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSafe(out)).toEqual([]);
    });

    it("still writes the good files of a mixed batch", () => {
      const dir = scratch();
      const out = path.join(dir, "out");
      const r = run("extract", seeds[4] as string, write(dir, "empty.txt", ""), "--out", out);
      expect(r.code).toBe(1);
      expect(readdirSafe(out)).toEqual(["004_10dafd72f5573692.plan.json"]);
    });

    it("refuses an unknown format with a usage error", () => {
      const r = run("extract", seeds[0] as string, "--format", "pdf");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("不支持的格式");
    });
  });
});

function write(dir: string, name: string, data: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}

/** A sparse 200 MB file: the size check must refuse it without reading it. */
function big(dir: string): string {
  const file = write(dir, "huge.txt", "一、");
  truncateSync(file, 200 * 1024 * 1024);
  return file;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

