#!/usr/bin/env node
// Load benchmark of the ledger API (issue 4) on a database made by generate.mjs: p50/p95/p99
// of the ledger list, the task detail and report submission at each number of connections.
//
//   npm run build
//   node bench/ledger/run.mjs --database-url postgres://…/bench_ledger [--connections 50,200]
//        [--duration 10] [--warmup 3] [--timeout 30] [--scenarios ledger,detail,submit,ledger-red]
//        [--json results.json] [--password bench-ledger-2026]
//
// The server is the real one, started as `taizhang serve` in a process of its own (the load
// generator must not share its event loop), on loopback, over the same PostgreSQL. autocannon
// drives it; every response's time is kept so the percentiles are exact (autocannon's own
// histogram has no p95), and split by request kind where a scenario mixes several.
//
// Scenarios:
//   ledger      GET /api/tasks?limit=50 as admin: a quarter each first page, a random page of
//               the whole ledger, a random page of one plan, the first page of one unit.
//   ledger-red  GET /api/tasks?light=red&limit=50 with a random offset among the first pages.
//   detail      GET /api/tasks/:id as admin, a random task each time.
//   submit      POST /api/tasks/:id/reports as the lead unit's reporter, for the current month,
//               on a task at work that has no report of this month waiting: each (task, month)
//               once, so none is refused as a duplicate (409). Submitting changes the database:
//               each run uses up pairs; when they run out mid-run, requests become retries of
//               earlier ones with the same Idempotency-Key (200, created=false) and are
//               counted apart. A database has about 40,000 such pairs per calendar month.
//
// After each run the script waits for the server to finish what autocannon left in flight (a
// request the client gave up on still runs), so one run's backlog does not slow the next.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { BENCH_PASSWORD, databaseName, databaseUrl, fail, integerOption, parseOptions } from "./options.mjs";

const SCENARIOS = ["ledger", "detail", "submit", "ledger-red"];
const PAGE = 50;
/** Pages of the red-light list a request picks from. */
const RED_PAGES = 10;
/** A server that answers GET /api/session this fast has nothing left in flight. */
const IDLE_MS = 150;
const DRAIN_LIMIT_MS = 300_000;
const LOGIN_CONCURRENCY = 8;
/** Pairs set aside for submission, per second of submit run. */
const SUBMIT_PAIRS_PER_SECOND = 600;
const ERROR_SAMPLES = 3;
/** A reason to stop that the person running the benchmark can act on (after the server is stopped). */
class BenchStop extends Error {}

const CLI = fileURLToPath(new URL("../../packages/cli/bin/taizhang.js", import.meta.url));

const options = parseOptions(process.argv.slice(2));
const url = databaseUrl(options);
const connectionCounts = (options.connections ?? "50,200").split(",").map((text) => {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) fail(`--connections 应为逗号分隔的正整数,如 50,200;现在是“${options.connections}”。`);
  return count;
});
const duration = integerOption(options, "duration", 10);
const warmup = integerOption(options, "warmup", 3, 0);
const timeout = integerOption(options, "timeout", 30);
const scenarios = (options.scenarios ?? SCENARIOS.join(",")).split(",");
for (const name of scenarios) if (!SCENARIOS.includes(name)) fail(`不认识的场景“${name}”;可选:${SCENARIOS.join("、")}。`);
const password = options.password ?? BENCH_PASSWORD;

const db = new pg.Client({ connectionString: url });
await db.connect();
const fixtures = await loadFixtures(db);
const facts = await machineFacts(db);
printFacts(facts);

const server = await startServer(url);
// Ctrl+C must not leave the server running on its own.
process.once("SIGINT", () => void server.stop().then(() => process.exit(130)));
const results = [];
try {
  const admin = await login(server.url, "admin");
  await primeLights(server.url, admin);
  const submitPool = scenarios.includes("submit") ? await prepareSubmissions(db, server.url) : null;
  const makers = {
    ledger: () => ledgerRequests(admin),
    "ledger-red": () => redRequests(admin),
    detail: () => detailRequests(admin),
    submit: () => submitRequests(submitPool),
  };
  const warmed = new Set();
  for (const connections of connectionCounts) {
    for (const name of scenarios) {
      if (!warmed.has(name) && warmup > 0) {
        process.stdout.write(`预热 ${name}(${warmup} 秒,10 个连接)……\n`);
        await measure(server, { name, connections: 10, seconds: warmup, ...makers[name]() });
        await drain(server.url, admin);
        warmed.add(name);
      }
      process.stdout.write(`测量 ${name},${connections} 个连接,${duration} 秒……\n`);
      const result = await measure(server, { name, connections, seconds: duration, ...makers[name]() });
      result.drainSeconds = await drain(server.url, admin);
      results.push(result);
      printResult(result);
    }
  }
} catch (error) {
  if (!(error instanceof BenchStop)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
} finally {
  await server.stop();
  await db.end();
}

if (results.length > 0) printTable(results);
if (options.json) {
  await writeFile(options.json, `${JSON.stringify({ facts, duration, warmup, results }, null, 2)}\n`);
  process.stdout.write(`结果已写入 ${options.json}\n`);
}

// ---- what is measured --------------------------------------------------------------------

function ledgerRequests(admin) {
  const pages = Math.ceil(fixtures.taskCount / PAGE);
  const kinds = [
    ["first page", () => `/api/tasks?limit=${PAGE}`],
    ["random page", () => `/api/tasks?limit=${PAGE}&offset=${PAGE * randomInt(pages)}`],
    ["plan page", () => {
      const plan = pickOne(fixtures.plans);
      return `/api/tasks?plan=${plan.id}&limit=${PAGE}&offset=${PAGE * randomInt(Math.ceil(plan.tasks / PAGE))}`;
    }],
    ["unit first page", () => `/api/tasks?unit=${pickOne(fixtures.unitIds)}&limit=${PAGE}`],
  ];
  return {
    setup(request, context) {
      const [kind, path] = pickOne(kinds);
      context.kind = kind;
      return { ...request, method: "GET", path: path(), headers: { cookie: admin.cookie } };
    },
  };
}

function redRequests(admin) {
  return {
    setup(request, context) {
      context.kind = "light=red";
      return { ...request, method: "GET", path: `/api/tasks?light=red&limit=${PAGE}&offset=${PAGE * randomInt(RED_PAGES)}`, headers: { cookie: admin.cookie } };
    },
  };
}

function detailRequests(admin) {
  return {
    setup(request, context) {
      context.kind = "detail";
      return { ...request, method: "GET", path: `/api/tasks/${pickOne(fixtures.taskIds)}`, headers: { cookie: admin.cookie } };
    },
  };
}

function submitRequests(pool) {
  return {
    setup(request, context) {
      let submission = pool.fresh.pop();
      if (submission) {
        submission.key = `bench-${process.pid}-${pool.used.length}`;
        pool.used.push(submission);
        context.kind = "new report";
      } else {
        // Out of fresh pairs: the same request again, as a client retrying after a lost answer.
        submission = pickOne(pool.used);
        context.kind = "retry (same key)";
      }
      const { session } = submission;
      return {
        ...request,
        method: "POST",
        path: `/api/tasks/${submission.taskId}/reports`,
        headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken, "idempotency-key": submission.key, "content-type": "application/json" },
        body: JSON.stringify({ period: submission.period, status: "正常推进", percent: 80, narrative: "压测报送:本月按计划推进。" }),
      };
    },
  };
}

/** One autocannon run; every response's time kept, by the kind of request it answered. */
function measure(server, { name, connections, seconds, setup }) {
  const latencies = [];
  const byKind = new Map();
  const samples = new Map();
  const cpuBefore = server.cpuSeconds();
  return databaseCpu().then((databaseBefore) => new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        connections,
        duration: seconds,
        timeout,
        requests: [
          {
            setupRequest: setup,
            onResponse(status, body) {
              if (status >= 200 && status < 300) return;
              const seen = samples.get(status) ?? [];
              if (seen.length < ERROR_SAMPLES) seen.push(body.slice(0, 300));
              samples.set(status, seen);
            },
          },
        ],
      },
      async (error, result) => {
        if (error) return reject(error);
        const databaseSeconds = databaseCpuSince(databaseBefore, await databaseCpu());
        resolve({
          scenario: name,
          connections,
          seconds: result.duration,
          requests: latencies.length,
          perSecond: latencies.length / result.duration,
          ...percentiles(latencies),
          errors: result.errors,
          timeouts: result.timeouts,
          // Sent but not answered when the run ended (the client stops waiting; the server does not).
          unfinished: Math.max(0, result.requests.sent - latencies.length - result.errors),
          non2xx: result.non2xx,
          statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)])),
          errorSamples: Object.fromEntries(samples),
          kinds: Object.fromEntries([...byKind].map(([kind, times]) => [kind, { requests: times.length, ...percentiles(times) }])),
          serverCpuSeconds: server.cpuSeconds() - cpuBefore,
          databaseCpuSeconds: databaseSeconds,
          loadAverage: os.loadavg()[0],
        });
      },
    );
    // Fired before the client builds its next request, so the context still names this one's kind.
    instance.on("response", (client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
      const kind = client.requestIterator.context.kind ?? name;
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind).push(responseTime);
    });
  }));
}

/** CPU seconds so far of each PostgreSQL backend serving the benchmark's database (Linux), by pid. */
async function databaseCpu() {
  const { rows } = await db.query(`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  return new Map(rows.map((row) => [row.pid, processCpuSeconds(row.pid)]));
}

/** CPU the backends used between two snapshots; a backend that ended in between is not counted. */
function databaseCpuSince(before, after) {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

function percentiles(times) {
  if (times.length === 0) return { p50: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(times).sort();
  const at = (share) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/**
 * Lights are remembered per task version and bureau day: the first light filter of a day computes
 * all of them. That is timed here, once, so the runs measure the ledger as it is the rest of the day.
 */
async function primeLights(base, admin) {
  const start = performance.now();
  const response = await fetch(`${base}/api/tasks?light=red&limit=1`, { headers: { cookie: admin.cookie } });
  await response.arrayBuffer();
  const took = (performance.now() - start) / 1000;
  process.stdout.write(`灯色缓存:首个按灯色筛选的请求用时 ${took.toFixed(1)} 秒(${response.status}${took > 1 ? ",当天第一次,计算了全部任务的灯色" : ""})\n`);
}

/** Waits until the server answers a cheap request quickly again; returns the seconds waited. */
async function drain(base, admin) {
  const start = performance.now();
  let quick = 0;
  while (performance.now() - start < DRAIN_LIMIT_MS) {
    const asked = performance.now();
    await fetch(`${base}/api/session`, { headers: { cookie: admin.cookie } }).then((response) => response.arrayBuffer());
    quick = performance.now() - asked < IDLE_MS ? quick + 1 : 0;
    if (quick >= 3) return (performance.now() - start) / 1000;
    await sleep(200);
  }
  process.stdout.write(`  服务器 ${DRAIN_LIMIT_MS / 1000} 秒后仍未空闲,继续下一项。\n`);
  return DRAIN_LIMIT_MS / 1000;
}

// ---- the data the requests are made of --------------------------------------------------

async function loadFixtures(client) {
  const noLedger = `数据库 ${databaseName(url)} 里没有台账数据,请先运行 bench/ledger/generate.mjs。`;
  const { rows: [organisation] } = await client.query(`select id from organisations where deleted_at is null order by id limit 1`).catch(() => fail(noLedger));
  if (!organisation) fail(noLedger);
  const live = `tasks.organisation_id = $1 and tasks.deleted_at is null and plans.deleted_at is null and plans.current_version_id = tasks.plan_version_id`;
  const { rows: plans } = await client.query(
    `select plans.id, count(*)::int as tasks from tasks join plans on plans.id = tasks.plan_id where ${live} group by plans.id order by plans.id`,
    [organisation.id],
  );
  const { rows: tasks } = await client.query(`select tasks.id from tasks join plans on plans.id = tasks.plan_id where ${live}`, [organisation.id]);
  const { rows: units } = await client.query(`select id from units where organisation_id = $1 and deleted_at is null`, [organisation.id]);
  return {
    organisationId: organisation.id,
    plans,
    taskIds: tasks.map((row) => row.id),
    taskCount: tasks.length,
    unitIds: units.map((row) => row.id),
  };
}

/**
 * (task, current month) pairs a report can be submitted for without a 409: tasks at work with a
 * monthly cadence and no report of this month (nor a final one) waiting; each with a signed-in
 * reporter of its lead unit.
 */
async function prepareSubmissions(client, base) {
  const { rows } = await client.query(
    `select t.id as task_id, u.login, to_char(now() at time zone 'Asia/Shanghai', 'YYYY-MM') as period
     from tasks t
     join plans p on p.id = t.plan_id and p.current_version_id = t.plan_version_id and p.deleted_at is null
     join users u on u.unit_id = t.lead_unit_id and u.role = 'reporter' and not u.disabled
     where t.organisation_id = $1 and t.deleted_at is null and t.status in ('办理中', '待审核')
       and coalesce(
         (select kind from cadences c where c.task_id = t.id and c.deleted_at is null),
         (select kind from cadences c where c.plan_id = t.plan_id and c.deleted_at is null)) = 'monthly'
       and not exists (select 1 from reports r where r.task_id = t.id and r.review_state = '待审核'
         and (r.final or r.period = to_char(now() at time zone 'Asia/Shanghai', 'YYYY-MM')))
     order by random()`,
    [fixtures.organisationId],
  );
  const needed = SUBMIT_PAIRS_PER_SECOND * (duration * connectionCounts.length + warmup);
  const chosen = rows.slice(0, needed);
  const logins = [...new Set(chosen.map((row) => row.login))];
  process.stdout.write(`报送:可用(任务, 本月)${rows.length} 个,本次取 ${chosen.length} 个;${logins.length} 个报送员登录……\n`);
  if (chosen.length === 0) throw new BenchStop("没有可报送的任务(本月都已报送并待审核)。请用 generate.mjs --replace 重新生成数据。");
  const sessions = new Map();
  const started = performance.now();
  for (let i = 0; i < logins.length; i += LOGIN_CONCURRENCY) {
    const batch = logins.slice(i, i + LOGIN_CONCURRENCY);
    const signedIn = await Promise.all(batch.map((name) => login(base, name)));
    batch.forEach((name, index) => sessions.set(name, signedIn[index]));
  }
  process.stdout.write(`  登录用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒\n`);
  return {
    fresh: chosen.map((row) => ({ taskId: row.task_id, period: row.period, session: sessions.get(row.login) })),
    used: [],
  };
}

async function login(base, name) {
  const response = await fetch(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: name, password }),
  });
  if (response.status !== 200) throw new BenchStop(`账号 ${name} 登录失败(${response.status}):${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).find((pair) => pair.startsWith("taizhang_session="));
  const { csrfToken } = await response.json();
  return { cookie, csrfToken };
}

// ---- the server --------------------------------------------------------------------------

/** `taizhang serve` on a free loopback port; resolves once it prints where it listens. */
function startServer(databaseUrlForServer) {
  const child = spawn(process.execPath, [CLI, "serve"], {
    env: { ...process.env, DATABASE_URL: databaseUrlForServer, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = [];
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stderr.on("data", keep);
  return new Promise((resolve, reject) => {
    let printed = "";
    const onExit = (code) => reject(new Error(`台账服务未能启动(退出码 ${code}):\n${printed}${log.join("")}`));
    child.once("exit", onExit);
    child.stdout.on("data", function listening(chunk) {
      printed += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(printed);
      if (!found) return;
      child.stdout.off("data", listening);
      child.stdout.on("data", keep);
      child.off("exit", onExit);
      process.stdout.write(`台账服务(进程 ${child.pid})已启动:${found[0]}\n`);
      resolve({
        url: found[0],
        cpuSeconds: () => processCpuSeconds(child.pid),
        log,
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

/** User + system CPU of a process so far (Linux), in seconds; NaN elsewhere. */
function processCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after "pid (comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

// ---- reporting ---------------------------------------------------------------------------

async function machineFacts(client) {
  const { rows: [pgFacts] } = await client.query(
    `select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers,
       current_setting('fsync') as fsync, pg_size_pretty(pg_database_size(current_database())) as size,
       (select count(*) from tasks)::int as tasks, (select count(*) from reports)::int as reports, (select count(*) from units)::int as units`,
  );
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? "?",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((load) => load.toFixed(2)).join(" "),
    node: process.version,
    postgres: pgFacts.version,
    postgresSettings: `shared_buffers ${pgFacts.shared_buffers}, fsync ${pgFacts.fsync}`,
    database: `${databaseName(url)} (${pgFacts.size}; ${pgFacts.units} units, ${pgFacts.tasks} tasks, ${pgFacts.reports} reports)`,
  };
}

function printFacts(machine) {
  process.stdout.write(
    [
      `机器:${machine.cores} 核 ${machine.cpu},内存 ${machine.memoryGiB} GiB,负载 ${machine.loadAverage}`,
      `Node ${machine.node};PostgreSQL ${machine.postgres}(${machine.postgresSettings})`,
      `数据库:${machine.database}`,
      "",
    ].join("\n"),
  );
}

function ms(value) {
  return value === null ? "-" : value.toFixed(1);
}

function printResult(result) {
  const kinds = Object.entries(result.kinds);
  if (kinds.length > 1) {
    for (const [kind, stats] of kinds) {
      process.stdout.write(`  ${kind.padEnd(18)} ${String(stats.requests).padStart(7)} 次  p50 ${ms(stats.p50)}  p95 ${ms(stats.p95)}  p99 ${ms(stats.p99)} ms\n`);
    }
  }
  if (result.non2xx > 0) {
    for (const [status, bodies] of Object.entries(result.errorSamples)) process.stdout.write(`  ${status}:${bodies.join(" | ")}\n`);
  }
  if (result.drainSeconds > 1) process.stdout.write(`  等待服务器处理完积压的请求:${result.drainSeconds.toFixed(1)} 秒\n`);
}

function printTable(rows) {
  const header = ["scenario", "conns", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "non-2xx", "unfinished", "server CPU", "db CPU", "load"];
  const lines = rows.map((row) => [
    row.scenario,
    String(row.connections),
    String(row.requests),
    row.perSecond.toFixed(0),
    ms(row.p50),
    ms(row.p95),
    ms(row.p99),
    ms(row.max),
    String(row.errors),
    String(row.non2xx),
    String(row.unfinished),
    share(row.serverCpuSeconds, row.seconds),
    share(row.databaseCpuSeconds, row.seconds),
    row.loadAverage.toFixed(1),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(" | ")} |`;
  process.stdout.write(`\n${format(header)}\n|${widths.map((width, column) => (column === 0 ? "-".repeat(width + 2) : `${"-".repeat(width + 1)}:`)).join("|")}|\n`);
  for (const line of lines) process.stdout.write(`${format(line)}\n`);
  process.stdout.write(
    "\nerrors: connection errors and timeouts; unfinished: sent, not answered when the run ended. server CPU / db CPU: CPU time of the\n" +
      "server process / of the PostgreSQL backends serving this database, over the run's wall time (100% = one core). load: 1-minute load average at the end.\n",
  );
}

function share(cpuSeconds, wallSeconds) {
  return Number.isNaN(cpuSeconds) ? "-" : `${((100 * cpuSeconds) / wallSeconds).toFixed(0)}%`;
}

// ---- small helpers ------------------------------------------------------------------------

function randomInt(below) {
  return Math.floor(Math.random() * below);
}

function pickOne(items) {
  return items[randomInt(items.length)];
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
