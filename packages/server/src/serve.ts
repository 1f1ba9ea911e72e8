// Runs the API: opens the store (PostgreSQL when a URL is given, else PGlite on the data folder),
// migrates it, listens, says where, and on SIGTERM or SIGINT stops taking requests, lets the
// ones in flight finish and closes the database, so the data folder is left consistent and
// unlocked. The caller (the CLI, npm start) reads the environment through serveOptionsFromEnv.
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { migrate, openDatabase, type DatabaseHandle, type Engine } from "@taizhang/store";
import type { SupervisionRules } from "@taizhang/core";
import type { Db } from "./context.js";
import { buildApp } from "./app.js";
import { DEFAULT_INTERVAL_MS, createScheduler, type TickResult } from "./scheduler.js";

export interface ServeOptions {
  port: number;
  host: string;
  /** PGlite's data folder (TAIZHANG_DATA); ignored when databaseUrl is set. */
  dataDir?: string;
  /** A PostgreSQL server (DATABASE_URL). */
  databaseUrl?: string;
  /** Where the "listening" line goes; default stdout. */
  print?: (line: string) => void;
  logger?: FastifyServerOptions["logger"];
  trustProxy?: FastifyServerOptions["trustProxy"];
  /** Stop on these signals (default SIGTERM and SIGINT); [] leaves signals to the caller. */
  signals?: readonly NodeJS.Signals[];
  /**
   * Runs on the migrated database before the server listens (the demo data is loaded here): the
   * data folder is open in this process only, so nothing else could reach it in between.
   */
  prepare?: (db: Db) => Promise<void>;
  /**
   * The supervision scheduler (reminders, 催办, escalations and their deliveries), run every
   * intervalMs (default 5 minutes) while the server is up; `enabled: false` leaves it to another
   * instance or to `taizhang remind`. Several instances may run it on one PostgreSQL.
   */
  scheduler?: { enabled?: boolean; intervalMs?: number; rules?: SupervisionRules };
}

export interface RunningServer {
  app: FastifyInstance;
  engine: Engine;
  /** http://host:port, as printed. */
  url: string;
  /** Stops listening, waits for requests in flight, closes the database. Safe to call twice. */
  close(): Promise<void>;
  /** One supervision run now (what the timer does every interval); absent when the scheduler is off. */
  runScheduler?: () => Promise<TickResult>;
}

export const DEFAULT_PORT = 3000;
/** Loopback by default: exposing the ledger to a network is a decision (HOST=0.0.0.0). */
export const DEFAULT_HOST = "127.0.0.1";
const MAX_PORT = 65_535;
const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"];
/** TAIZHANG_SCHEDULER_INTERVAL, in seconds: from 10 seconds to a day. */
const MIN_SCHEDULER_SECONDS = 10;
const MAX_SCHEDULER_SECONDS = 86_400;

/** A setting in the environment that cannot be used; the message is for the person starting it. */
export class ServeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServeConfigError";
  }
}

/**
 * PORT, HOST, TAIZHANG_DATA, DATABASE_URL, TAIZHANG_SCHEDULER (off to disable) and
 * TAIZHANG_SCHEDULER_INTERVAL (seconds); an empty variable counts as unset.
 */
export function serveOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): ServeOptions {
  const portText = env.PORT?.trim() || String(DEFAULT_PORT);
  // Digits only: Number() would also take "1e3", " 80 " or "0x50".
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= MAX_PORT)) throw new ServeConfigError(`PORT 应为 0–${MAX_PORT} 之间的整数,现在是“${portText}”。`);
  const host = env.HOST?.trim() || DEFAULT_HOST;
  const dataDir = env.TAIZHANG_DATA?.trim();
  const databaseUrl = env.DATABASE_URL?.trim();
  const scheduler = schedulerFromEnv(env);
  return { port, host, ...(dataDir ? { dataDir } : {}), ...(databaseUrl ? { databaseUrl } : {}), ...(scheduler && { scheduler }) };
}

/** Undefined when neither variable is set: serve's defaults (on, every 5 minutes). */
function schedulerFromEnv(env: Readonly<Record<string, string | undefined>>): ServeOptions["scheduler"] {
  const switchText = env.TAIZHANG_SCHEDULER?.trim().toLowerCase() || "on";
  if (switchText !== "on" && switchText !== "off") throw new ServeConfigError(`TAIZHANG_SCHEDULER 应为 on 或 off,现在是“${env.TAIZHANG_SCHEDULER ?? ""}”。`);
  const intervalText = env.TAIZHANG_SCHEDULER_INTERVAL?.trim();
  if (!intervalText) return env.TAIZHANG_SCHEDULER?.trim() ? { enabled: switchText === "on" } : undefined;
  const seconds = /^\d{1,6}$/.test(intervalText) ? Number(intervalText) : Number.NaN;
  if (!(seconds >= MIN_SCHEDULER_SECONDS && seconds <= MAX_SCHEDULER_SECONDS)) {
    throw new ServeConfigError(`TAIZHANG_SCHEDULER_INTERVAL 是督办提醒的运行间隔(秒),应为 ${MIN_SCHEDULER_SECONDS}–${MAX_SCHEDULER_SECONDS} 之间的整数,现在是“${intervalText}”。`);
  }
  return { enabled: switchText === "on", intervalMs: seconds * 1000 };
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const handle: DatabaseHandle = await openDatabase({ ...(options.databaseUrl ? { url: options.databaseUrl } : {}), ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  let app: FastifyInstance | undefined;
  try {
    await migrate(handle.db);
    await options.prepare?.(handle.db);
    app = buildApp({ db: handle.db, logger: options.logger ?? true, ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }) });
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app?.close().catch(() => undefined);
    await handle.close();
    throw error;
  }
  const running = app;
  const address = running.server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  (options.print ?? ((line: string) => void process.stdout.write(`${line}\n`)))(`台账服务已启动:${url}(接口文档 ${url}/api/docs)`);
  const scheduler = options.scheduler?.enabled === false ? undefined : createScheduler({ db: handle.db, log: running.log, ...(options.scheduler?.rules && { rules: options.scheduler.rules }) });
  scheduler?.start(options.scheduler?.intervalMs ?? DEFAULT_INTERVAL_MS);

  const signals = options.signals ?? DEFAULT_SIGNALS;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      for (const signal of signals) process.off(signal, onSignal);
      try {
        // A run in flight finishes (its deliveries recorded) before the database closes.
        await scheduler?.stop();
        await running.close();
      } finally {
        await handle.close();
      }
    })());
  function onSignal(): void {
    close().catch((error: unknown) => running.log.error({ err: error }, "shutdown failed"));
  }
  for (const signal of signals) process.once(signal, onSignal);
  return { app: running, engine: handle.engine, url, close, ...(scheduler && { runScheduler: () => scheduler.tick() }) };
}
