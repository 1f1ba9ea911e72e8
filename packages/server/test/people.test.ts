import { expect, test } from "vitest";
import { describeEngines, errorCode, makeWorld } from "./helpers.js";

interface UnitNode {
  id: number;
  name: string;
  kind: string;
  children: UnitNode[];
}

describeEngines("units and users", (context) => {
  test("everyone reads the unit tree; the office adds units, under a parent of its own organisation", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const created = await admin.request({ method: "POST", url: "/api/units", payload: { name: "珠晖区教育局", kind: "县区教育局", aliases: ["珠晖区"] } });
    expect(created.statusCode).toBe(201);
    const county = created.json() as { id: number; aliases: string[] };
    expect(county.aliases).toEqual(["珠晖区"]);
    const school = await admin.request({ method: "POST", url: "/api/units", payload: { name: "珠晖一中", kind: "学校", parentId: county.id } });
    expect(school.statusCode).toBe(201);

    const reporter = await world.login(world.users.healthReporter);
    const tree = (await reporter.request({ method: "GET", url: "/api/units" })).json() as UnitNode[];
    const names = (nodes: UnitNode[]): unknown[] => nodes.map((node) => (node.children.length ? [node.name, names(node.children)] : node.name));
    expect(names(tree)).toEqual([["市教育局", ["市人社局", "市卫健委", "市财政局"]], ["珠晖区教育局", ["珠晖一中"]]]);

    const duplicate = await admin.request({ method: "POST", url: "/api/units", payload: { name: "珠晖一中", kind: "学校" } });
    expect([duplicate.statusCode, errorCode(duplicate)]).toEqual([409, "UNIT_NAME_TAKEN"]);
    const badParent = await admin.request({ method: "POST", url: "/api/units", payload: { name: "某校", kind: "学校", parentId: 999999 } });
    expect([badParent.statusCode, errorCode(badParent)]).toEqual([400, "UNIT_NOT_FOUND"]);
    const badKind = await admin.request({ method: "POST", url: "/api/units", payload: { name: "某校", kind: "大学" } });
    expect([badKind.statusCode, errorCode(badKind)]).toEqual([400, "VALIDATION_FAILED"]);
    expect((badKind.json() as { error: { message: string } }).error.message).toContain("单位类型");
    for (const who of [world.users.leader, world.users.financeReporter]) {
      const client = await world.login(who);
      const refused = await client.request({ method: "POST", url: "/api/units", payload: { name: "某校", kind: "学校" } });
      expect([refused.statusCode, errorCode(refused)]).toEqual([403, "FORBIDDEN"]);
    }
  });

  test("the office adds users with hashed passwords; the new user can sign in; no hash ever leaves", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const created = await admin.request({
      method: "POST",
      url: "/api/users",
      payload: { login: "zhangsan", displayName: "张三", password: "s3cret-enough", role: "reporter", unitId: world.units.finance.id },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ login: "zhangsan", role: "reporter", unitId: world.units.finance.id });
    expect(created.body).not.toContain("scrypt");
    const stored = await context.db.selectFrom("users").select("password_hash").where("login", "=", "zhangsan").executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$ln=\d+,r=\d+,p=\d+\$[\w-]+\$[\w-]+$/);
    expect(stored.password_hash).not.toContain("s3cret-enough");

    const login = await world.app.inject({ method: "POST", url: "/api/login", payload: { login: "ZhangSan", password: "s3cret-enough" } });
    expect(login.statusCode).toBe(200);

    const users = await admin.request({ method: "GET", url: "/api/users" });
    expect(users.body).not.toMatch(/scrypt|password/i);
    expect((users.json() as { login: string }[]).map((user) => user.login)).toContain("zhangsan");

    const cases: [Record<string, unknown>, number, string][] = [
      [{ login: "zhangsan", displayName: "重复", password: "s3cret-enough", role: "admin" }, 409, "LOGIN_TAKEN"],
      [{ login: "lisi", displayName: "李四", password: "s3cret-enough", role: "reporter" }, 400, "REPORTER_NEEDS_UNIT"],
      [{ login: "lisi", displayName: "李四", password: "short", role: "leader" }, 400, "VALIDATION_FAILED"],
      [{ login: "li si", displayName: "李四", password: "s3cret-enough", role: "leader" }, 400, "VALIDATION_FAILED"],
      [{ login: "lisi", displayName: "李四", password: "s3cret-enough", role: "root" }, 400, "VALIDATION_FAILED"],
      [{ login: "lisi", displayName: "李四", password: "s3cret-enough", role: "reporter", unitId: 999999 }, 400, "UNIT_NOT_FOUND"],
      [{ login: "lisi", displayName: "李四", password: "s3cret-enough", role: "leader", isAdmin: true }, 400, "VALIDATION_FAILED"],
    ];
    for (const [payload, status, code] of cases) {
      const response = await admin.request({ method: "POST", url: "/api/users", payload });
      expect([response.statusCode, errorCode(response)], JSON.stringify(payload)).toEqual([status, code]);
    }
    const short = await admin.request({ method: "POST", url: "/api/users", payload: cases[2]?.[0] });
    expect((short.json() as { error: { message: string } }).error.message).toBe("“密码”至少要 8 个字。");

    for (const who of [world.users.leader, world.users.financeReporter]) {
      const client = await world.login(who);
      expect(errorCode(await client.request({ method: "GET", url: "/api/users" }))).toBe("FORBIDDEN");
      expect(errorCode(await client.request({ method: "POST", url: "/api/users", payload: { login: "x", displayName: "x", password: "s3cret-enough", role: "admin" } }))).toBe("FORBIDDEN");
    }
  });

  test("one organisation never sees another's units, users, plans or tasks", async () => {
    const world = await makeWorld(context);
    await world.importSeed();
    const { createOrganisation, createUser } = await import("@taizhang/store");
    const { hashPassword, TEST_SCRYPT } = await import("../src/index.js");
    const other = await createOrganisation(context.db, { name: "另一个教育局", actorId: null });
    const stranger = await createUser(context.db, { organisationId: other.id, login: "stranger", displayName: "外局", passwordHash: await hashPassword("correct-horse-9", TEST_SCRYPT), role: "admin", actorId: null });
    const client = await world.login(stranger);
    expect((await client.request({ method: "GET", url: "/api/units" })).json()).toEqual([]);
    expect((await client.request({ method: "GET", url: "/api/users" })).json()).toHaveLength(1);
    expect((await client.request({ method: "GET", url: "/api/plans" })).json()).toEqual([]);
    expect((await client.request({ method: "GET", url: "/api/tasks" })).json()).toMatchObject({ items: [] });
    const ours = await context.db.selectFrom("tasks").select("id").executeTakeFirstOrThrow();
    expect(errorCode(await client.request({ method: "GET", url: `/api/tasks/${ours.id}` }))).toBe("TASK_NOT_FOUND");
    expect(errorCode(await client.request({ method: "PATCH", url: `/api/tasks/${ours.id}`, payload: { version: 1, title: "x" } }))).toBe("TASK_NOT_FOUND");
    expect(errorCode(await client.request({ method: "POST", url: "/api/users", payload: { login: "spy", displayName: "x", password: "s3cret-enough", role: "reporter", unitId: world.units.finance.id } }))).toBe("UNIT_NOT_FOUND");
  });
});
