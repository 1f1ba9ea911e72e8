import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { DEFAULT_HOST, DEFAULT_PORT, ServeConfigError, serve, serveOptionsFromEnv } from "../src/index.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

test("the environment: PORT, HOST, TAIZHANG_DATA, DATABASE_URL; empty counts as unset; a bad port is refused in Chinese", () => {
  expect(serveOptionsFromEnv({})).toEqual({ port: DEFAULT_PORT, host: DEFAULT_HOST });
  expect(serveOptionsFromEnv({ PORT: "8080", HOST: "0.0.0.0", TAIZHANG_DATA: "/srv/taizhang", DATABASE_URL: "postgres://u@db/taizhang" })).toEqual({
    port: 8080,
    host: "0.0.0.0",
    dataDir: "/srv/taizhang",
    databaseUrl: "postgres://u@db/taizhang",
  });
  expect(serveOptionsFromEnv({ PORT: " ", HOST: "", TAIZHANG_DATA: "", DATABASE_URL: "" })).toEqual({ port: DEFAULT_PORT, host: DEFAULT_HOST });
  for (const port of ["http", "80.5", "-1", "70000", "1e3"]) {
    expect(() => serveOptionsFromEnv({ PORT: port }), port).toThrow(ServeConfigError);
  }
  expect(() => serveOptionsFromEnv({ PORT: "abc" })).toThrow(/PORT/);
});

test("serve opens PGlite on the data folder, listens, prints the URL, and on the signal closes everything", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "taizhang-serve-"));
  folders.push(dataDir);
  const printed: string[] = [];
  const server = await serve({ port: 0, host: "127.0.0.1", dataDir, print: (line) => printed.push(line), logger: false, signals: ["SIGUSR2"] });
  expect(server.engine).toBe("pglite");
  expect(printed.join("\n")).toContain(server.url);
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const docs = await fetch(`${server.url}/api/docs/json`);
  expect(docs.status).toBe(200);
  const session = await fetch(`${server.url}/api/session`);
  expect(session.status).toBe(401);
  expect(((await session.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");

  process.emit("SIGUSR2", "SIGUSR2");
  await server.close();
  await expect(fetch(`${server.url}/api/session`)).rejects.toThrow();
  // The data folder was released: it opens again.
  const again = await serve({ port: 0, host: "127.0.0.1", dataDir, print: () => undefined, logger: false, signals: [] });
  await again.close();
});

test("a data folder already in use stops serve with the store's error, and nothing is left listening", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "taizhang-serve-"));
  folders.push(dataDir);
  const first = await serve({ port: 0, host: "127.0.0.1", dataDir, print: () => undefined, logger: false, signals: [] });
  try {
    await expect(serve({ port: 0, host: "127.0.0.1", dataDir, print: () => undefined, logger: false, signals: [] })).rejects.toMatchObject({ code: "DATA_DIR_IN_USE" });
  } finally {
    await first.close();
  }
});
