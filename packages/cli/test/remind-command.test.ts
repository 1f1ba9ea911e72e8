// `taizhang remind` through the built binary, on the demo ledger (its dates run up to today, so
// some tasks are always due for a reminder or overdue) with one webhook channel to a receiver on
// loopback: --dry-run lists what a run would do and writes nothing; a run then does exactly that,
// once. Run `npm run build` first.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, listDeliveries, listNotices, listOrganisations, migrate, openDatabase } from "@taizhang/store";
import { TEST_SCRYPT, seedDemo } from "../../server/src/index.js";
import { BIN, STACK_TRACE, scratch, type Result } from "./cli-process.js";

const folder = scratch();
const env = { TAIZHANG_DATA: path.join(folder, "data") };
/** What the receiver was sent: the generic webhook format. */
const received: { title: string; body: string; details: string[] }[] = [];
let receiver: Server;

/** The binary, without blocking this process: the receiver answering it lives here. */
function remind(...args: string[]): Promise<Result> {
  const child = spawn(process.execPath, [BIN, "remind", ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

/** Notices and deliveries in the ledger, read in-process (the binary has closed the folder). */
async function ledgerCounts(): Promise<{ notices: number; deliveries: number }> {
  const handle = await openDatabase({ dataDir: env.TAIZHANG_DATA });
  try {
    const [organisation] = await listOrganisations(handle.db);
    const organisationId = organisation?.id ?? 0;
    return { notices: (await listNotices(handle.db, { organisationId })).length, deliveries: (await listDeliveries(handle.db, { organisationId })).length };
  } finally {
    await handle.close();
  }
}

function plan(stdout: string): { notices: number; escalations: number; sends: number } {
  const found = /示例市教育局:将记录 (\d+) 条提醒(?:\(其中督办单 (\d+) 份,编号在记录时给出\))?,将发送 (\d+) 次/.exec(stdout);
  if (!found) throw new Error(`no plan line in:\n${stdout}`);
  return { notices: Number(found[1]), escalations: Number(found[2] ?? 0), sends: Number(found[3]) };
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    request.on("end", () => {
      received.push(JSON.parse(text) as (typeof received)[number]);
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const handle = await openDatabase({ dataDir: env.TAIZHANG_DATA });
  try {
    await migrate(handle.db);
    await seedDemo(handle.db, { passwordParams: TEST_SCRYPT });
    const [organisation] = await listOrganisations(handle.db);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await createChannel(handle.db, { organisationId: organisation?.id ?? 0, name: "督查平台", kind: "webhook", settings: { url }, actorId: null });
  } finally {
    await handle.close();
  }
}, 180_000);

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  rmSync(folder, { recursive: true, force: true });
});

// In order: each step reads the ledger the one before left.
describe("taizhang remind", () => {
  let expected: ReturnType<typeof plan>;

  it("--dry-run lists, per task, each notice due now: its kind, who it goes to, its title and channels", async () => {
    const result = await remind("--dry-run");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^试运行\(不记录、不发送\):\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 此刻应发出的督办提醒\n/);
    expected = plan(result.stdout);
    expect(expected.notices).toBeGreaterThan(0);
    // One channel that takes every audience: one send per notice.
    expect(expected.sends).toBe(expected.notices);
    const noticeLines = result.stdout.split("\n").filter((line) => line.startsWith("    "));
    expect(noticeLines).toHaveLength(expected.notices);
    for (const line of noticeLines) expect(line).toMatch(/^ {4}(到期提醒|报送提醒|催办|督办|逾期督办) → .+:.+\(渠道:督查平台\)$/);
    expect(result.stdout).toMatch(/^ {2}任务 第\d+项\(编号 \d+\)$/m);
    expect(noticeLines.filter((line) => / {4}(督办|逾期督办) → /.test(line))).toHaveLength(expected.escalations);
  });

  it("--dry-run writes nothing: a second one lists the same, and the ledger has no notice", async () => {
    const again = await remind("--dry-run");
    expect(plan(again.stdout)).toEqual(expected);
    expect(await ledgerCounts()).toEqual({ notices: 0, deliveries: 0 });
    expect(received).toHaveLength(0);
  });

  it("a run records and sends exactly what the dry run listed, and a second run finds nothing new", async () => {
    const result = await remind();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`已运行督办提醒:新记录 ${expected.notices} 条(其中督办单 ${expected.escalations} 份);发送成功 ${expected.sends} 次,失败 0 次,待稍后重试 0 次。\n`);
    expect(received).toHaveLength(expected.sends);
    expect(new Set(received.map((message) => message.body)).size).toBe(expected.sends);
    expect(received.filter((message) => message.details[1]?.startsWith("督办〔"))).toHaveLength(expected.escalations);

    expect(plan((await remind("--dry-run")).stdout)).toEqual({ notices: 0, escalations: 0, sends: 0 });
    expect((await remind()).stdout).toContain("新记录 0 条(其中督办单 0 份);发送成功 0 次");
    expect(received).toHaveLength(expected.sends);
    expect(await ledgerCounts()).toEqual({ notices: expected.notices, deliveries: expected.sends });
  });

  it("an unknown --org is refused in Chinese", async () => {
    const missing = await remind("--org", "9");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("没有编号为 9 的单位体系(教育局)。现有:1 示例市教育局");
    expect(missing.stderr).not.toMatch(STACK_TRACE);
    const bad = await remind("--dry-run", "--org", "x");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("不是有效的编号");
  });
});
