// `taizhang serve [--demo]`: the API on PORT/HOST (default 127.0.0.1:3000) over the database the
// environment names, until SIGTERM or SIGINT; then requests in flight finish, the database
// closes and the command ends with 0. With --demo, an empty database first gets the demo
// bureau, its accounts and ten weeks of history (see @taizhang/server's demo).
import { DEMO_ORGANISATION, seedDemo, serve, serveOptionsFromEnv, type DemoOutcome } from "@taizhang/server";
import type { Io } from "./extract-command.js";
import type { Env } from "./ledger.js";

export interface ServeCommandOptions {
  demo?: boolean;
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"];
const ROLE_DUTIES = { admin: "导入计划、交办、审核、销号", leader: "查看全部任务、审批延期", reporter: "签收、报送本单位的任务" } as const;

export async function runServe(options: ServeCommandOptions, io: Io, env: Env): Promise<number> {
  const settings = serveOptionsFromEnv(env);
  const line = (text: string): void => io.stdout(`${text}\n`);
  // Listening from the start: a SIGTERM while the demo loads stops the server once it is up,
  // rather than killing the process in the middle of a write.
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
  });
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  try {
    let demo: DemoOutcome | undefined;
    let seconds = 0;
    const server = await serve({
      ...settings,
      print: line,
      // The person who started it reads the Chinese lines above; the request log is for whoever
      // runs the service (LOG_LEVEL=info shows every request).
      logger: { level: process.env.LOG_LEVEL?.trim() || "warn" },
      // The command owns the signals: it waits for the close to finish before it returns.
      signals: [],
      ...(options.demo && {
        prepare: async (db) => {
          line("检查演示数据(数据库为空时载入,约需数秒)……");
          const started = Date.now();
          demo = await seedDemo(db);
          seconds = (Date.now() - started) / 1000;
        },
      }),
    });
    if (demo) for (const text of demoLines(demo, seconds)) line(text);
    line("按 Ctrl+C 停止服务。");
    const signal = await stopped;
    await server.close();
    line(`已停止(${signal})。`);
    return 0;
  } finally {
    for (const name of STOP_SIGNALS) process.off(name, onSignal);
  }
}

function demoLines(outcome: DemoOutcome, seconds: number): string[] {
  if (!outcome.seeded) {
    const lines = [`数据库中已有单位体系(${outcome.organisations.join("、")}),未载入演示数据。`];
    if (outcome.organisations.includes(DEMO_ORGANISATION)) lines.push("演示账号与首次启动时相同:admin、leader 等,密码 taizhang2026(如未修改)。");
    return lines;
  }
  const { lights } = outcome;
  const tasks = outcome.plans.reduce((sum, plan) => sum + plan.tasks, 0);
  return [
    `已载入演示数据(用时 ${seconds.toFixed(1)} 秒):${DEMO_ORGANISATION},${outcome.plans.length} 份计划,${tasks} 项任务` +
      `(红灯 ${lights.red},黄灯 ${lights.yellow},绿灯 ${lights.green},已办结或中止 ${lights.grey})。`,
    ...outcome.notes,
    `演示账号(仅供演示:所有账号的密码都是 ${outcome.password},请勿用于正式数据):`,
    ...outcome.accounts.map((account) => `  ${account.login.padEnd(10)}${account.displayName}:${ROLE_DUTIES[account.role]}`),
  ];
}
