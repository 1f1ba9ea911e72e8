// import, org add, user add, backup and restore through the built binary, on one data folder per
// file (PGlite's first open is the slow part), plus a fresh one to restore into.
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SEEDS, STACK_TRACE, login, run, scratch, startServe } from "./cli-process.js";

const folder = scratch();
const env = { TAIZHANG_DATA: path.join(folder, "data") };
const seed = (prefix: string): string => path.join(SEEDS, readdirSync(SEEDS).find((name) => name.startsWith(`${prefix}_`) && name.endsWith(".txt")) ?? "");

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function expectUserError(result: ReturnType<typeof run>, code: 1 | 2, message: RegExp | string): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stderr).not.toContain("内部错误");
}

/** A backup without the instant it was made. */
function backupBody(file: string): string {
  const [header, ...rest] = readFileSync(file, "utf8").split("\n");
  const { createdAt: _createdAt, ...kept } = JSON.parse(header ?? "{}") as Record<string, unknown>;
  return [JSON.stringify(kept), ...rest].join("\n");
}

// The tests run in order: each builds on the ledger the one before left.
describe("the ledger commands", () => {
  it("import into an empty database says to create the bureau first", () => {
    expectUserError(run(env, "import", seed("002")), 1, "数据库中还没有单位体系");
  });

  it("org add, then import prints a review summary per file", () => {
    const created = run(env, "org", "add", "衡阳市教育局");
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("已创建单位体系:衡阳市教育局(编号 1)");
    const imported = run(env, "import", seed("002"), seed("004"));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("002_4f73318976e71334.txt:导入 1 份计划,17 项任务");
    expect(imported.stdout).toContain("《衡阳市进一步提高义务教育质量任务清单》 计划编号 1,第 1 版");
    expect(imported.stdout).toMatch(/责任单位 52 处:11 个名称没有匹配的单位:市教育局、各县市区人民政府、市财政局/);
    expect(imported.stdout).toContain("004_10dafd72f5573692.txt:导入 1 份计划,9 项任务");
    expect(imported.stdout).toContain("共 2 个文件:导入 2 个");
  });

  it("a file that cannot be read fails alone, with exit 1; the others are imported (as new versions)", () => {
    const notPlan = path.join(folder, "empty.txt");
    writeFileSync(notPlan, "");
    const result = run(env, "import", seed("002"), path.join(folder, "missing.txt"), notPlan, "--org", "1");
    expectUserError(result, 1, /missing\.txt: 错误 找不到文件/);
    expect(result.stderr).toMatch(/empty\.txt: 错误 没有从文件中读出计划/);
    expect(result.stdout).toContain("第 2 版(同一来源再次导入,旧版本保留)");
    expect(result.stdout).toContain("共 3 个文件:导入 1 个,失败 2 个");
    expectUserError(run(env, "import", seed("002"), "--org", "9"), 1, "没有编号为 9 的单位体系(教育局)。现有:1 衡阳市教育局");
    expectUserError(run(env, "import", seed("002"), "--org", "x"), 2, "不是有效的编号");
  });

  it("user add: bad roles, missing units and passwords are refused in Chinese", () => {
    expectUserError(run({ ...env, TAIZHANG_PASSWORD: "secret-123" }, "user", "add", "--login", "boss", "--name", "老板", "--role", "boss"), 2, "没有“boss”这个角色");
    expectUserError(run({ ...env, TAIZHANG_PASSWORD: "secret-123" }, "user", "add", "--login", "r1", "--name", "李四", "--role", "reporter"), 2, "报送员必须属于某个单位");
    expectUserError(run({ ...env, TAIZHANG_PASSWORD: "secret-123" }, "user", "add", "--login", "r1", "--name", "李四", "--role", "reporter", "--unit", "市财政局"), 1, "没有名为“市财政局”的单位");
    expectUserError(run(env, "user", "add", "--login", "a1", "--name", "张三", "--role", "admin"), 1, "TAIZHANG_PASSWORD");
    expectUserError(run({ ...env, TAIZHANG_PASSWORD: "short" }, "user", "add", "--login", "a1", "--name", "张三", "--role", "admin"), 1, "密码至少 8 个字符");
  });

  it("user add, then that user signs in to the API", async () => {
    const added = run({ ...env, TAIZHANG_PASSWORD: "correct-horse-9" }, "user", "add", "--login", "duchashi", "--name", "督查室", "--role", "admin");
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain("已添加用户 duchashi");
    expectUserError(run({ ...env, TAIZHANG_PASSWORD: "correct-horse-9" }, "user", "add", "--login", "DuChaShi", "--name", "重复", "--role", "leader"), 1, "登录名已被使用");
    const served = await startServe(env);
    try {
      expect((await login(served.url, "duchashi", "correct-horse-9")).status).toBe(200);
      expect((await login(served.url, "duchashi", "wrong-horse-9")).status).toBe(401);
    } finally {
      expect((await served.stop()).code).toBe(0);
    }
  }, 60_000);

  it("user password and user disable/enable: the old password and a disabled account stop signing in", async () => {
    const changed = run({ ...env, TAIZHANG_PASSWORD: "new-horse-10" }, "user", "password", "DUCHASHI");
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain("已修改 duchashi(督查室)的密码");
    expectUserError(run({ ...env, TAIZHANG_PASSWORD: "new-horse-10" }, "user", "password", "nobody"), 1, "没有这个登录名的账号");
    expectUserError(run({ ...env, TAIZHANG_PASSWORD: "short" }, "user", "password", "duchashi"), 1, "密码至少 8 个字符");
    let served = await startServe(env);
    try {
      expect((await login(served.url, "duchashi", "correct-horse-9")).status).toBe(401);
      expect((await login(served.url, "duchashi", "new-horse-10")).status).toBe(200);
    } finally {
      expect((await served.stop()).code).toBe(0);
    }
    const disabled = run(env, "user", "disable", "duchashi");
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain("已停用 duchashi");
    served = await startServe(env);
    try {
      expect((await login(served.url, "duchashi", "new-horse-10")).status).toBe(401);
    } finally {
      expect((await served.stop()).code).toBe(0);
    }
    expect(run(env, "user", "enable", "duchashi").stdout).toContain("已启用 duchashi");
    // Back to the password the tests below sign in with.
    expect(run({ ...env, TAIZHANG_PASSWORD: "correct-horse-9" }, "user", "password", "duchashi").code).toBe(0);
  }, 90_000);

  it("backup → restore into a fresh database → backup again: identical, and the restored ledger keeps working", async () => {
    const first = path.join(folder, "first.jsonl");
    const backup = run(env, "backup", first);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/已备份到 .*first\.jsonl.*单位体系 1,用户 1,计划 2,任务 43/);

    const fresh = { TAIZHANG_DATA: path.join(folder, "restored") };
    const restored = run(fresh, "restore", first);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/已从 .*first\.jsonl 恢复 \d+ 行数据/);
    const second = path.join(folder, "second.jsonl");
    expect(run(fresh, "backup", second).code).toBe(0);
    expect(backupBody(second)).toBe(backupBody(first));

    // Identity sequences continue after the restored ids, and the restored password works.
    const added = run({ ...fresh, TAIZHANG_PASSWORD: "another-pass-1" }, "user", "add", "--login", "leader2", "--name", "领导", "--role", "leader");
    expect(added.code, added.stderr).toBe(0);
    const served = await startServe(fresh);
    try {
      expect((await login(served.url, "duchashi", "correct-horse-9")).status).toBe(200);
      expect((await login(served.url, "leader2", "another-pass-1")).status).toBe(200);
    } finally {
      await served.stop();
    }
  }, 60_000);

  it("restore refuses a database with data, a missing file, a file that is not a backup, and a truncated one", () => {
    const first = path.join(folder, "first.jsonl");
    expectUserError(run(env, "restore", first), 1, "目标数据库中已有数据");
    const empty = { TAIZHANG_DATA: path.join(folder, "empty") };
    expectUserError(run(empty, "restore", path.join(folder, "nope.jsonl")), 1, "找不到文件");
    const notBackup = path.join(folder, "not-backup.jsonl");
    writeFileSync(notBackup, "hello\n");
    expectUserError(run(empty, "restore", notBackup), 1, "这不是台账备份文件");
    const truncated = path.join(folder, "truncated.jsonl");
    writeFileSync(truncated, readFileSync(first, "utf8").split("\n").slice(0, 30).join("\n"));
    expectUserError(run(empty, "restore", truncated), 1, "备份文件已损坏");
    // Nothing was half-restored: the real backup still goes in.
    expect(run(empty, "restore", first).code).toBe(0);
    expectUserError(run(env, "backup", path.join(folder, "no-such-folder", "b.jsonl")), 1, "所在的文件夹不存在");
  }, 60_000);
});
