// Command-line options shared by the ledger benchmark's scripts: `--name value` pairs, the
// database URL (from --database-url, else DATABASE_URL), and a clerk-readable stop on bad input.

/** Every account generate.mjs makes has this password; run.mjs signs in with it. */
export const BENCH_PASSWORD = "bench-ledger-2026";

/** `--name value` and bare `--flag` (true) into an object; anything else stops the script. */
export function parseOptions(argv, { flags = [] } = {}) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) fail(`不认识的参数“${arg}”:参数应写成 --名称 值。`);
    const name = arg.slice(2);
    if (flags.includes(name)) {
      options[name] = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) fail(`参数 --${name} 缺少取值。`);
    options[name] = value;
    i++;
  }
  return options;
}

/** A whole number ≥ `min` from an option, or the fallback when the option was not given. */
export function integerOption(options, name, fallback, min = 1) {
  if (options[name] === undefined) return fallback;
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < min) fail(`参数 --${name} 应为不小于 ${min} 的整数,现在是“${options[name]}”。`);
  return value;
}

/** The PostgreSQL server to use: --database-url, else DATABASE_URL. */
export function databaseUrl(options) {
  const url = options["database-url"] ?? process.env.DATABASE_URL;
  if (!url) fail("请用 --database-url postgres://… 指定 PostgreSQL 数据库(或设置 DATABASE_URL)。");
  if (!URL.canParse(url) || !["postgres:", "postgresql:"].includes(new URL(url).protocol)) fail(`数据库地址“${url}”不是 postgres:// 地址。`);
  return url;
}

/** The database name in a URL ("bench_ledger" in postgres://host/bench_ledger). */
export function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** The same server's maintenance database, to create or drop the benchmark's own. */
export function maintenanceUrl(url) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
}

export function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Milliseconds since `start` (from performance.now()), as "1.23 s". */
export function seconds(start) {
  return `${((performance.now() - start) / 1000).toFixed(2)} s`;
}
