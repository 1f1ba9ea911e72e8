#!/usr/bin/env node
// Durability under SIGKILL (issue 4): does every report the server acknowledged survive the
// server being killed mid-write, exactly once, with its task transition and audit rows, and does
// the server start again on the same data?
//
//   npm run build && node bench/durability.mjs [--engine pglite|postgres] [--rounds 3]
//       [--concurrency 16] [--data-root DIR] [--keep] [--json]
//
// Each round: reporters fire concurrent POST /api/tasks/:id/reports (unique Idempotency-Key,
// unique period, the key written into the narrative so the report can be found again); a random
// 100–800 ms after the first acknowledgement the `taizhang serve` node process itself gets
// SIGKILL. The server is started again on the same data and every task is checked:
//   lost        an acknowledged (2xx) submission whose report is not there
//   duplicate   a key with more than one report
//   half        a report without its audit row or its task transition, a transition without its
//               report, a task version that does not count the reports, or a task not in 待审核
//               while a report waits for review
//   idempotency re-POSTing an acknowledged key did not give created=false and the same report id
// PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL; the run creates a database of its own and
// drops it at the end. PGlite: a fresh data folder `durability-data-*` under --data-root (default
// the system's temp folder), reused across rounds, removed at the end unless --keep or a failure.
// Exit code 1 when anything was lost, duplicated or half-written, or the server did not restart.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";

const BIN = fileURLToPath(new URL("../packages/cli/bin/taizhang.js", import.meta.url));
const PASSWORD = "taizhang2026";
const ADMIN = "admin";
const REPORTERS = ["jijiao", "jiaoyan", "renshi", "caiwu", "tiweiyi", "zhicheng", "yanfeng"];
const LISTENING = /台账服务已启动:(http:\/\/[^\s(]+)/;
const READY = "按 Ctrl+C 停止服务";
const START_TIMEOUT_MS = 120_000;
const KILL_AFTER_MS = [100, 800];
const FIRST_ACK_TIMEOUT_MS = 30_000;
// What the workflow (packages/core/src/workflow.ts) says: submit_report from 办理中 or 待审核, to 待审核.
const REPORTABLE = new Set(["办理中", "待审核"]);
const AFTER_SUBMIT = "待审核";
const PENDING = "待审核";
const FINAL_STATUS = "已完成";
// The task's audit trail is capped by the server (MAX_AUDIT_ROWS in task-routes.ts).
const AUDIT_CAP = 2000;
const MAX_PROBLEMS_SHOWN = 20;

// ---- the server as a child process ---------------------------------------------------------

/** Spawns `taizhang serve --demo` (node itself, no shell between) and waits for its URL. */
async function startServer(env) {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "serve", "--demo"], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not listen within ${START_TIMEOUT_MS / 1000} s:\n${stderr}${stdout}`));
    }, START_TIMEOUT_MS);
    child.stdout.on("data", () => {
      const found = LISTENING.exec(stdout);
      if (found && stdout.includes(READY)) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening:\n${stderr}${stdout}`));
    });
  });
  assertServeProcess(child.pid);
  return { child, url, exited, seconds: (performance.now() - started) / 1000, output: () => stdout + stderr };
}

// The pid we kill must be the server's own node process, not a shell or npm wrapping it.
function assertServeProcess(pid) {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return;
  const argv = readFileSync(cmdline, "utf8").split("\0");
  if (!argv.some((arg) => arg.endsWith("taizhang.js")) || !argv.includes("serve")) throw new Error(`pid ${pid} is not taizhang serve: ${argv.join(" ")}`);
}

/** SIGKILL, then wait until the process is reaped (until then its pid still looks alive). */
async function killServer(server) {
  server.child.kill("SIGKILL");
  return server.exited;
}

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill("SIGTERM");
  return server.exited;
}

// ---- the API as the demo accounts ----------------------------------------------------------

async function login(url, name) {
  const response = await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: name, password: PASSWORD }) });
  if (response.status !== 200) throw new Error(`login ${name}: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
  const { csrfToken } = await response.json();
  return { name, url, cookie, csrf: csrfToken };
}

/** One request; returns {status, body}; throws only when no answer came (the server is gone). */
async function call(session, method, route, body, headers = {}) {
  const response = await fetch(`${session.url}${route}`, {
    method,
    headers: { cookie: session.cookie, ...(method !== "GET" && { "x-csrf-token": session.csrf, "content-type": "application/json" }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function must(session, method, route, body) {
  const { status, body: answer } = await call(session, method, route, body);
  if (status < 200 || status >= 300) throw new Error(`${session.name} ${method} ${route}: ${status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Signs in the demo accounts; sessions live in the database, so a restarted server keeps `earlier` ones. */
async function loginAll(url, earlier = new Map()) {
  const sessions = new Map();
  for (const name of [ADMIN, ...REPORTERS]) {
    const kept = earlier.get(name) && { ...earlier.get(name), url };
    sessions.set(name, kept && (await call(kept, "GET", "/api/session")).status === 200 ? kept : await login(url, name));
  }
  return sessions;
}

/**
 * The tasks each reporter may report on: its tasks in 办理中 or 待审核 (signing and starting the
 * ones waiting for that), leaving out any with a completion report pending (no report is taken
 * then). Returns [{reporter, taskId, version}] with the version before the first round.
 */
async function prepareTargets(sessions) {
  const targets = [];
  const seen = new Set();
  for (const reporter of REPORTERS) {
    const session = sessions.get(reporter);
    const { items } = await must(session, "GET", "/api/tasks?limit=500");
    for (const row of items) {
      if (seen.has(row.id)) continue;
      let { status, version } = row;
      if (status === "已交办") ({ status, version } = (await must(session, "POST", `/api/tasks/${row.id}/actions`, { type: "sign", version })).task);
      if (status === "已签收") ({ status, version } = (await must(session, "POST", `/api/tasks/${row.id}/actions`, { type: "start", version })).task);
      if (!REPORTABLE.has(status)) continue;
      const detail = await must(session, "GET", `/api/tasks/${row.id}`);
      if (detail.reports.some((report) => report.final && report.reviewState === PENDING)) continue;
      seen.add(row.id);
      targets.push({ reporter, taskId: row.id, version: detail.version });
    }
  }
  if (targets.length === 0) throw new Error("no task in the demo data accepts a report");
  return targets;
}

// ---- one round: submissions, then SIGKILL --------------------------------------------------

/** Fires submissions from `concurrency` workers until the server is killed; returns them. */
async function fireAndKill(server, sessions, targets, { runId, round, concurrency }) {
  const submissions = [];
  let killed = false;
  let next = 0;
  let firstAck = () => undefined;
  const acknowledged = new Promise((resolve) => (firstAck = resolve));
  const killAfterMs = KILL_AFTER_MS[0] + Math.floor(Math.random() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
  const worker = async () => {
    while (!killed) {
      const seq = next++;
      const target = targets[seq % targets.length];
      const key = `${runId}-r${round}-${seq}`;
      const body = { period: `${runId}-${round}-${seq}`, status: "正常推进", percent: seq % 100, narrative: `durability ${key}` };
      const submission = { key, taskId: target.taskId, reporter: target.reporter, body, round, outcome: "unanswered", status: null, reportId: null };
      submissions.push(submission);
      const sentAt = performance.now();
      try {
        const response = await fetch(`${sessions.get(target.reporter).url}/api/tasks/${target.taskId}/reports`, {
          method: "POST",
          headers: { cookie: sessions.get(target.reporter).cookie, "x-csrf-token": sessions.get(target.reporter).csrf, "content-type": "application/json", "idempotency-key": key },
          body: JSON.stringify(body),
        });
        submission.status = response.status;
        submission.ms = performance.now() - sentAt;
        // The status line is the acknowledgement: the server answers only after its commit.
        submission.outcome = response.status >= 200 && response.status < 300 ? "acknowledged" : "refused";
        if (submission.outcome === "acknowledged") firstAck();
        const answer = await response.json().catch(() => null);
        submission.reportId = answer?.report?.id ?? null;
        if (submission.outcome === "refused") submission.error = answer?.error?.code ?? String(response.status);
      } catch (error) {
        // No answer: the kill came first. Neither acknowledged nor refused.
        if (killed) return;
        submission.error = String(error?.cause?.code ?? error);
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  // The clock starts at the first acknowledgement: a cold first answer (a fresh pool, a loaded
  // machine) could otherwise leave a round with writes in flight but nothing acknowledged to check.
  await Promise.race([acknowledged, new Promise((resolve) => setTimeout(resolve, FIRST_ACK_TIMEOUT_MS))]);
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  killed = true;
  const exit = await killServer(server);
  await Promise.all(workers);
  return { submissions, killAfterMs, exit };
}

// ---- verification after the restart ----------------------------------------------------------

/** What the restarted server holds for each target task: its detail and its audit trail. */
async function snapshot(admin, targets) {
  const tasks = [];
  for (const target of targets) {
    const detail = await must(admin, "GET", `/api/tasks/${target.taskId}`);
    const audit = await must(admin, "GET", `/api/tasks/${target.taskId}/audit`);
    tasks.push({ target, detail, audit });
  }
  return tasks;
}

/** Compares the stored state with the submissions made so far; pure, so it can be fed a doctored state. */
function account(tasks, submissions, runId) {
  const marker = `durability ${runId}-`;
  const periodPrefix = `${runId}-`;
  const problems = [];
  const byKey = new Map();
  let halfWritten = 0;
  const half = (taskId, what) => {
    halfWritten++;
    problems.push(`half-written: task ${taskId}: ${what}`);
  };
  for (const { target, detail, audit } of tasks) {
    const { taskId } = target;
    if (audit.length >= AUDIT_CAP) problems.push(`warning: task ${taskId}: audit trail capped at ${AUDIT_CAP} rows, checks incomplete`);
    const ours = detail.reports.filter((report) => report.narrative.startsWith(marker));
    for (const report of ours) {
      const key = report.narrative.slice("durability ".length);
      byKey.set(key, [...(byKey.get(key) ?? []), report]);
    }
    const reportAudit = new Set(audit.filter((row) => row.entity === "reports" && row.action === "report.submit").map((row) => row.entityId));
    const events = audit.filter((row) => row.entity === "tasks" && row.action === "report.submitted" && String(row.after?.period ?? "").startsWith(periodPrefix));
    const bumps = audit.filter((row) => row.entity === "tasks" && /^task\.submit[-_]report$/.test(row.action) && row.after?.version > target.version);
    for (const report of ours) {
      if (!reportAudit.has(report.id)) half(taskId, `report ${report.id} (${report.period}) has no report.submit audit row`);
      const transitions = events.filter((row) => row.after.period === report.period).length;
      if (transitions !== 1) half(taskId, `report ${report.id} (${report.period}) has ${transitions} report.submitted events`);
    }
    for (const event of events) {
      if (!ours.some((report) => report.period === event.after.period)) half(taskId, `report.submitted event for ${event.after.period} without its report`);
    }
    if (bumps.length !== ours.length) half(taskId, `${bumps.length} submit transitions for ${ours.length} reports`);
    if (detail.version - target.version !== ours.length) half(taskId, `version ${target.version} → ${detail.version} for ${ours.length} reports`);
    const waiting = detail.reports.some((report) => report.reviewState === PENDING);
    if (waiting && detail.status !== AFTER_SUBMIT) half(taskId, `a report waits for review but the task is ${detail.status}`);
  }

  let lost = 0;
  let duplicates = 0;
  let found = 0;
  let committedUnacknowledged = 0;
  const lose = (what) => {
    lost++;
    problems.push(`lost: ${what}`);
  };
  for (const submission of submissions) {
    const reports = byKey.get(submission.key) ?? [];
    if (reports.length > 1) {
      duplicates++;
      problems.push(`duplicate: key ${submission.key}: reports ${reports.map((report) => report.id).join(", ")}`);
    }
    if (submission.outcome !== "acknowledged") {
      if (reports.length > 0) committedUnacknowledged++;
    } else if (reports.length === 0) lose(`key ${submission.key} on task ${submission.taskId} (acknowledged ${submission.status}, report ${submission.reportId})`);
    else if (submission.reportId !== null && reports[0].id !== submission.reportId) lose(`key ${submission.key}: acknowledged report ${submission.reportId}, found ${reports[0].id}`);
    else if (reports[0].taskId !== submission.taskId) lose(`key ${submission.key}: filed on task ${reports[0].taskId}, not ${submission.taskId}`);
    else found++;
  }
  return { found, lost, duplicates, halfWritten, committedUnacknowledged, problems, byKey };
}

/**
 * The checker checked: a made-up acknowledged submission must count as lost, and the real state
 * with one report's audit row taken away as half-written. False means the checks above are blind.
 */
function controlsCatch(tasks, submissions, runId) {
  const target = tasks[0].target;
  const fake = { key: `${runId}-control`, taskId: target.taskId, outcome: "acknowledged", status: 201, reportId: null };
  const caughtLoss = account(tasks, [fake], runId).lost === 1;
  const withReport = tasks.find(({ detail }) => detail.reports.some((report) => report.narrative.startsWith(`durability ${runId}-`)));
  if (!withReport) return caughtLoss;
  const report = withReport.detail.reports.find((candidate) => candidate.narrative.startsWith(`durability ${runId}-`));
  const doctored = tasks.map((task) =>
    task === withReport ? { ...task, audit: task.audit.filter((row) => !(row.entity === "reports" && row.entityId === report.id)) } : task,
  );
  return caughtLoss && account(doctored, submissions, runId).halfWritten > account(tasks, submissions, runId).halfWritten;
}

/** The API's idempotency contract: the same key again gives 200, created=false and the same report. */
async function recheckIdempotency(sessions, byKey, submissions) {
  const problems = [];
  const again = submissions.filter((submission) => submission.outcome === "acknowledged" && (byKey.get(submission.key) ?? []).length === 1);
  await inBatches(again, 8, async (submission) => {
    const expected = byKey.get(submission.key)[0].id;
    const { status, body } = await call(sessions.get(submission.reporter), "POST", `/api/tasks/${submission.taskId}/reports`, submission.body, { "idempotency-key": submission.key });
    if (status !== 200 || body?.created !== false || body?.report?.id !== expected) {
      problems.push(`idempotency: key ${submission.key}: ${status} created=${body?.created} report ${body?.report?.id}, expected 200 created=false report ${expected}`);
    }
  });
  return problems;
}

/** "median 40 ms, max 90 ms" */
function latency(ms) {
  if (ms.length === 0) return "-";
  const sorted = [...ms].sort((a, b) => a - b);
  return `median ${Math.round(sorted[Math.floor(sorted.length / 2)])} ms, max ${Math.round(sorted.at(-1))} ms`;
}

async function inBatches(items, size, work) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

// ---- the database of the run ---------------------------------------------------------------

async function createDatabase(adminUrl) {
  const name = `durability_${process.pid}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

// ---- the run -------------------------------------------------------------------------------

/**
 * Runs the whole check and returns its summary; `ok` is false on any loss, duplicate,
 * half-written row, idempotency failure or failed restart.
 */
export async function runDurability({ engine = "pglite", rounds = 3, concurrency = 16, databaseUrl, dataRoot = tmpdir(), keep = false, log = () => undefined } = {}) {
  const runId = `d${Date.now().toString(36)}`;
  const summary = {
    engine,
    rounds: 0,
    concurrency,
    sent: 0,
    acknowledged: 0,
    refused: 0,
    unanswered: 0,
    found: 0,
    lost: 0,
    duplicates: 0,
    halfWritten: 0,
    committedUnacknowledged: 0,
    idempotencyFailures: 0,
    firstStartSeconds: 0,
    restartSeconds: [],
    killAfterMs: [],
    staleLockAfterKill: [],
    refusals: {},
    controlsCaught: true,
    restartFailure: null,
    problems: [],
    ok: false,
  };
  let env;
  let cleanup = async () => undefined;
  let lockPath = null;
  if (engine === "postgres") {
    const adminUrl = databaseUrl ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error("--engine postgres needs DATABASE_URL or TEST_DATABASE_URL");
    const database = await createDatabase(adminUrl);
    env = { DATABASE_URL: database.url };
    cleanup = database.drop;
  } else if (engine === "pglite") {
    const folder = mkdtempSync(path.join(dataRoot, "durability-data-"));
    env = { TAIZHANG_DATA: path.join(folder, "data") };
    lockPath = path.join(folder, "data", "taizhang.lock");
    cleanup = async () => {
      if (!keep && summary.ok) rmSync(folder, { recursive: true, force: true });
      else log(`data folder kept: ${folder}`);
    };
    summary.dataFolder = folder;
  } else {
    throw new Error(`unknown engine ${engine}: pglite or postgres`);
  }

  let server;
  try {
    server = await startServer(env);
    summary.firstStartSeconds = server.seconds;
    log(`${engine}: first start (demo seeded) ${server.seconds.toFixed(1)} s at ${server.url}`);
    let sessions = await loginAll(server.url);
    const targets = await prepareTargets(sessions);
    log(`${targets.length} tasks accept reports from ${new Set(targets.map((target) => target.reporter)).size} reporters`);
    const submissions = [];
    for (let round = 1; round <= rounds; round++) {
      const fired = await fireAndKill(server, sessions, targets, { runId, round, concurrency });
      submissions.push(...fired.submissions);
      summary.killAfterMs.push(fired.killAfterMs);
      if (lockPath) summary.staleLockAfterKill.push(existsSync(lockPath));
      const ackedMs = fired.submissions.filter((submission) => submission.outcome === "acknowledged").map((submission) => submission.ms);
      const acked = ackedMs.length;
      try {
        server = await startServer(env);
      } catch (error) {
        summary.restartFailure = { round, message: String(error.message ?? error) };
        log(`round ${round}: the server did not start again after SIGKILL:\n${summary.restartFailure.message}`);
        server = undefined;
        summary.rounds = round;
        break;
      }
      summary.restartSeconds.push(server.seconds);
      const verifyStarted = performance.now();
      sessions = await loginAll(server.url, sessions);
      const tasks = await snapshot(sessions.get(ADMIN), targets);
      const checked = account(tasks, submissions, runId);
      const idempotency = await recheckIdempotency(sessions, checked.byKey, fired.submissions);
      Object.assign(summary, { found: checked.found, lost: checked.lost, duplicates: checked.duplicates, halfWritten: checked.halfWritten });
      summary.committedUnacknowledged = checked.committedUnacknowledged;
      summary.idempotencyFailures += idempotency.length;
      summary.controlsCaught &&= controlsCatch(tasks, submissions, runId);
      summary.problems = [...new Set([...summary.problems, ...checked.problems, ...idempotency])];
      summary.rounds = round;
      log(
        `round ${round}: killed after ${fired.killAfterMs} ms (${fired.exit.signal ?? fired.exit.code}); sent ${fired.submissions.length}, acknowledged ${acked} (answered in ${latency(ackedMs)}); ` +
          `restart ${server.seconds.toFixed(1)} s; lost ${checked.lost}, duplicates ${checked.duplicates}, half-written ${checked.halfWritten} ` +
          `(checked in ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s)`,
      );
    }
    summary.sent = submissions.length;
    for (const submission of submissions) {
      summary[submission.outcome === "acknowledged" ? "acknowledged" : submission.outcome === "refused" ? "refused" : "unanswered"]++;
      if (submission.outcome === "refused") summary.refusals[submission.error] = (summary.refusals[submission.error] ?? 0) + 1;
    }
    if (server) {
      const stopped = await stopServer(server);
      if (stopped.code !== 0) summary.problems.push(`the server stopped with ${stopped.code ?? stopped.signal} on SIGTERM`);
      server = undefined;
    }
    summary.ok =
      summary.restartFailure === null &&
      summary.lost === 0 &&
      summary.duplicates === 0 &&
      summary.halfWritten === 0 &&
      summary.idempotencyFailures === 0 &&
      summary.acknowledged > 0 &&
      summary.controlsCaught &&
      !summary.problems.some((problem) => problem.startsWith("the server stopped"));
    return summary;
  } finally {
    if (server) await killServer(server);
    await cleanup();
  }
}

function printSummary(summary) {
  const seconds = (list) => list.map((value) => value.toFixed(1)).join(", ") || "-";
  const lines = [
    `engine ${summary.engine}, ${summary.rounds} rounds, concurrency ${summary.concurrency}`,
    `  sent ${summary.sent}, acknowledged ${summary.acknowledged}, refused ${summary.refused}${Object.keys(summary.refusals).length ? ` ${JSON.stringify(summary.refusals)}` : ""}, unanswered ${summary.unanswered}`,
    `  found after restart ${summary.found} of ${summary.acknowledged} acknowledged; committed but never acknowledged ${summary.committedUnacknowledged}`,
    `  lost ${summary.lost}, duplicates ${summary.duplicates}, half-written ${summary.halfWritten}, idempotency failures ${summary.idempotencyFailures}`,
    `  first start ${summary.firstStartSeconds.toFixed(1)} s; restarts after SIGKILL ${seconds(summary.restartSeconds)} s; killed after ${summary.killAfterMs.join(", ")} ms`,
    ...(summary.staleLockAfterKill.length ? [`  lock file left by the killed server: ${summary.staleLockAfterKill.join(", ")}`] : []),
    `  checker controls (a made-up acknowledged report counts as lost, a missing audit row as half-written): ${summary.controlsCaught ? "caught" : "MISSED"}`,
    ...(summary.restartFailure ? [`  RESTART FAILED in round ${summary.restartFailure.round}: ${summary.restartFailure.message}`] : []),
    ...summary.problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem) => `  ${problem}`),
    summary.ok ? "  OK: every acknowledged report survived, once, whole." : "  FAILED",
  ];
  console.log(lines.join("\n"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      engine: { type: "string", default: "pglite" },
      rounds: { type: "string", default: "3" },
      concurrency: { type: "string", default: "16" },
      "data-root": { type: "string" },
      keep: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const summary = await runDurability({
    engine: values.engine,
    rounds: Number(values.rounds),
    concurrency: Number(values.concurrency),
    ...(values["data-root"] && { dataRoot: values["data-root"] }),
    keep: values.keep,
    log: (line) => console.error(line),
  });
  if (values.json) console.log(JSON.stringify(summary));
  else printSummary(summary);
  process.exitCode = summary.ok ? 0 : 1;
}
