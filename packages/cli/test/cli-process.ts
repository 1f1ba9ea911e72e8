// The built `taizhang` binary as a user runs it: a child process with its own environment,
// its output, its exit code; and `taizhang serve` running in the background until SIGTERM.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../bin/taizhang.js", import.meta.url));
export const SEEDS = fileURLToPath(new URL("../../core/test/fixtures/seeds/", import.meta.url));
/** A stack trace line ("    at foo (file.js:1:2)"): never shown to a user. */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "taizhang-cli-"));
}

/** Runs the binary to the end. Only the variables given (and PATH) are set: no DATABASE_URL leaks in. */
export function run(env: Record<string, string>, ...args: string[]): Result {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Served {
  url: string;
  /** Everything printed so far. */
  output(): string;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<Result>;
}

/** Starts `taizhang serve ARGS` on a free port and waits for the line that names its URL. */
export async function startServe(env: Record<string, string>, ...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "serve", ...args], { env: { PATH: process.env.PATH ?? "", PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<Result>((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
  const url = await new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const found = /台账服务已启动:(http:\/\/[^\s(]+)/.exec(stdout);
      if (found?.[1] && stdout.includes("按 Ctrl+C 停止服务")) resolve(found[1]);
    };
    child.stdout.on("data", check);
    void exited.then((result) => reject(new Error(`serve exited ${result.code}: ${result.stderr}${result.stdout}`)));
  });
  return {
    url,
    output: () => stdout,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Signs in over HTTP; returns what later requests need. */
export async function login(url: string, name: string, password: string): Promise<{ status: number; cookie: string; csrf: string }> {
  const response = await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: name, password }) });
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const body = (await response.json()) as { csrfToken?: string };
  return { status: response.status, cookie, csrf: body.csrfToken ?? "" };
}
