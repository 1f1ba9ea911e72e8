// `taizhang serve --demo` as npm start runs it: the built binary on a free port over a fresh data
// folder. One data folder for the file: the demo is loaded once (the slow part) and reused.
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_TRACE, login, run, scratch, startServe, type Served } from "./cli-process.js";

const DEMO_PASSWORD = "taizhang2026";
const folder = scratch();
const env = { TAIZHANG_DATA: path.join(folder, "data") };
let served: Served;
let startSeconds = 0;

beforeAll(async () => {
  const started = Date.now();
  served = await startServe(env, "--demo");
  startSeconds = (Date.now() - started) / 1000;
}, 120_000);

afterAll(async () => {
  await served.stop();
  rmSync(folder, { recursive: true, force: true });
});

interface Row {
  number: string;
  status: string;
  leadUnitId: number | null;
  light: { light: string };
}

async function ledger(as: string): Promise<Row[]> {
  const session = await login(served.url, as, DEMO_PASSWORD);
  expect(session.status).toBe(200);
  const response = await fetch(`${served.url}/api/tasks?limit=500`, { headers: { cookie: session.cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Row[] }).items;
}

describe("taizhang serve --demo", () => {
  it("prints its URL, the demo logins with their password, and that the deadlines were moved", () => {
    const output = served.output();
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain(`${served.url}/api/docs`);
    expect(output).toContain("演示账号");
    expect(output).toContain(`密码都是 ${DEMO_PASSWORD}`);
    for (const name of ["admin", "leader", "jijiao", "yanfeng"]) expect(output).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(output).toContain("演示数据:时限已顺延到本年度");
    expect(output).toMatch(/2 份计划,26 项任务/);
    console.info(`first start with demo data: ${startSeconds.toFixed(1)} s; ${/用时 [\d.]+ 秒/.exec(output)?.[0] ?? ""}`);
  });

  it("answers: 401 without a session, 200 for the demo admin, 401 for a wrong password", async () => {
    const session = await fetch(`${served.url}/api/session`);
    expect(session.status).toBe(401);
    expect(((await session.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    expect((await login(served.url, "admin", DEMO_PASSWORD)).status).toBe(200);
    expect((await login(served.url, "admin", "wrong-password")).status).toBe(401);
  });

  it("holds a real ledger: red, yellow, green and closed tasks, some still waiting, each unit seeing its own", async () => {
    const rows = await ledger("admin");
    expect(rows).toHaveLength(26);
    const lights = new Set(rows.map((row) => row.light.light));
    expect([...lights].sort()).toEqual(["green", "grey", "red", "yellow"]);
    const statuses = new Set(rows.map((row) => row.status));
    for (const status of ["待交办", "已交办", "已签收", "办理中", "待审核", "已办结"]) expect(statuses).toContain(status);
    const mine = await ledger("jijiao");
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(rows.length);
    expect(new Set(mine.map((row) => row.leadUnitId)).size).toBe(1);
  });

  it("refuses a second server on the same data folder in Chinese, and a bad PORT as a usage error", () => {
    const second = run({ ...env, PORT: "0" }, "serve");
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("数据文件夹正被另一个程序使用");
    expect(second.stderr).not.toMatch(STACK_TRACE);
    const badPort = run({ TAIZHANG_DATA: path.join(folder, "other"), PORT: "eighty" }, "serve");
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain("PORT 应为");
  });

  it("stops with 0 on SIGTERM; started again, it keeps the data and does not load the demo twice", async () => {
    const stopped = await served.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain("已停止(SIGTERM)");
    expect(stopped.stderr).toBe("");

    served = await startServe(env, "--demo");
    expect(served.output()).toContain("未载入演示数据");
    expect(served.output()).not.toContain("已载入演示数据");
    expect(await ledger("admin")).toHaveLength(26);
  }, 60_000);
});
