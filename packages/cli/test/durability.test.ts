// Issue 4: `taizhang serve` killed with SIGKILL in the middle of concurrent report submissions,
// then started again on the same data, keeps every report it acknowledged, once, with its task
// transition and audit rows. Runs bench/durability.mjs (the built binary, two kill/restart
// rounds) on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../../bench/durability.mjs", import.meta.url));
const ROUNDS = 2;
// About 30 s on an idle machine (the demo load is most of it); a busy one takes several times that.
const RUN_TIMEOUT_MS = 300_000;

interface Summary {
  rounds: number;
  sent: number;
  acknowledged: number;
  found: number;
  lost: number;
  duplicates: number;
  halfWritten: number;
  idempotencyFailures: number;
  controlsCaught: boolean;
  restartSeconds: number[];
  restartFailure: { round: number; message: string } | null;
  problems: string[];
  ok: boolean;
}

/** Runs the script to the end; its last stdout line is the summary as JSON. */
async function runScript(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; summary: Summary; log: string }> {
  const child = spawn(process.execPath, [SCRIPT, "--json", "--rounds", String(ROUNDS), ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (!last.startsWith("{")) throw new Error(`durability.mjs exited ${code} without a summary:\n${log}${stdout}`);
  return { code, summary: JSON.parse(last) as Summary, log };
}

function expectDurable({ code, summary, log }: Awaited<ReturnType<typeof runScript>>): void {
  console.info(log.trim());
  expect(summary.restartFailure, log).toBeNull();
  expect(summary.rounds).toBe(ROUNDS);
  expect(summary.restartSeconds).toHaveLength(ROUNDS);
  expect(summary.acknowledged).toBeGreaterThan(0);
  expect(summary.found).toBe(summary.acknowledged);
  expect({ lost: summary.lost, duplicates: summary.duplicates, halfWritten: summary.halfWritten, idempotencyFailures: summary.idempotencyFailures }, summary.problems.join("\n")).toEqual({
    lost: 0,
    duplicates: 0,
    halfWritten: 0,
    idempotencyFailures: 0,
  });
  // The checks themselves can fail: a made-up acknowledged report was counted as lost.
  expect(summary.controlsCaught).toBe(true);
  expect(summary.ok).toBe(true);
  expect(code).toBe(0);
}

describe("taizhang serve killed with SIGKILL during report submissions", () => {
  it("on PGlite: every acknowledged report is there after the restart, once and whole", async () => {
    expectDurable(await runScript({}, "--engine", "pglite"));
  }, RUN_TIMEOUT_MS);

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "on PostgreSQL: every acknowledged report is there after the restart, once and whole",
    async () => {
      expectDurable(await runScript({ TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? "" }, "--engine", "postgres"));
    },
    RUN_TIMEOUT_MS,
  );
});
