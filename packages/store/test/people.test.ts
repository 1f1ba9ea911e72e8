import { expect, test } from "vitest";
import { StoreError, buildUnitTree, createUnit, createUser, findLogin, listAudit, listUnits, listUsers, unitMatcher } from "../src/index.js";
import { describeEngines } from "./engines.js";
import { seedBureau } from "./seeds.js";

test("matching a written name: exact name, else an alias no other unit shares", () => {
  const unit = (id: number, name: string, aliases: string[]) => ({ id, organisationId: 1, parentId: null, name, kind: "科室" as const, aliases, sortOrder: 0 });
  const match = unitMatcher([unit(1, "基础教育科", ["基教科", "教育科"]), unit(2, "职业教育科", ["职教科", "教育科"]), unit(3, "基教科", [])]);
  expect(match("基础教育科")).toBe(1);
  expect(match(" 职教科 ")).toBe(2);
  expect(match("基教科")).toBe(3);
  expect(match("教育科")).toBeNull();
  expect(match("市财政局")).toBeNull();
});

describeEngines("units and users", (context) => {
  test("units form a tree per organisation; names are unique within one", async () => {
    const { db } = context;
    const bureau = await seedBureau(db);
    const county = await createUnit(db, { organisationId: bureau.organisationId, name: "珠晖区教育局", kind: "县区教育局", actorId: bureau.admin.id });
    await createUnit(db, { organisationId: bureau.organisationId, parentId: county.id, name: "珠晖区第一中学", kind: "学校", aliases: [" 珠晖一中 ", "珠晖一中", ""], actorId: bureau.admin.id });
    const units = await listUnits(db, bureau.organisationId);
    const tree = buildUnitTree(units);
    expect(tree.map((node) => [node.name, node.children.map((child) => child.name)])).toEqual([
      ["县市区政府", []],
      ["市教育局", ["基础教育科"]],
      ["珠晖区教育局", ["珠晖区第一中学"]],
    ]);
    expect(units.find((unit) => unit.name === "珠晖区第一中学")?.aliases).toEqual(["珠晖一中"]);

    const taken = await createUnit(db, { organisationId: bureau.organisationId, name: "市教育局", kind: "科室", actorId: null }).catch((error: unknown) => error);
    expect((taken as StoreError).code).toBe("UNIT_NAME_TAKEN");
    // Another bureau may have a unit of the same name, but not hang it under ours.
    const other = await seedBureau(db, "另一个教育局");
    const foreignParent = await createUnit(db, { organisationId: other.organisationId, parentId: county.id, name: "借用", kind: "学校", actorId: null }).catch((error: unknown) => error);
    expect((foreignParent as StoreError).code).toBe("UNIT_NOT_FOUND");
  });

  test("users: logins unique ignoring case, reporters belong to a unit, the hash never leaves but for login", async () => {
    const { db } = context;
    const bureau = await seedBureau(db);
    const unitId = bureau.units.get("基础教育科")?.id ?? null;
    const reporter = await createUser(db, { organisationId: bureau.organisationId, unitId, login: "LiMing", displayName: "李明", passwordHash: "scrypt$N=16384$salt$hash", role: "reporter", actorId: bureau.admin.id });
    expect(reporter).not.toHaveProperty("passwordHash");
    const taken = await createUser(db, { organisationId: bureau.organisationId, unitId, login: "liming", displayName: "另一个", passwordHash: "x", role: "reporter", actorId: null }).catch((error: unknown) => error);
    expect((taken as StoreError).code).toBe("LOGIN_TAKEN");
    const unitless = await createUser(db, { organisationId: bureau.organisationId, login: "nounit", displayName: "无单位", passwordHash: "x", role: "reporter", actorId: null }).catch((error: unknown) => error);
    expect((unitless as StoreError).code).toBe("REPORTER_NEEDS_UNIT");

    expect(await findLogin(db, " LIMING ")).toEqual({ user: reporter, passwordHash: "scrypt$N=16384$salt$hash" });
    expect(await findLogin(db, "nobody")).toBeUndefined();
    expect((await listUsers(db, bureau.organisationId)).map((user) => user.login)).toEqual([bureau.admin.login, "LiMing"].sort());
    const trail = await listAudit(db, { entity: "users", entityId: reporter.id });
    expect(JSON.stringify(trail)).not.toContain("scrypt");
  });
});
