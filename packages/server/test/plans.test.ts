import { expect, test } from "vitest";
import { buildApp, TEST_SCRYPT } from "../src/index.js";
import { describeEngines, errorCode, formatFile, makeWorld, multipartUpload, seedFile } from "./helpers.js";

interface Summary {
  source: string;
  format: string;
  plans: { planId: number; versionId: number; version: number; title: string; tasks: number; sections: number; kpis: number; unmatchedUnitNames: string[] }[];
  taskCount: number;
  unmatchedUnitNames: string[];
  diagnostics: { code: string; severity: string; message: string }[];
}

describeEngines("plans", (context) => {
  test("importing seed 002 gives the review summary: plans, task counts, unmatched unit names", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const seed = seedFile("002");
    const response = await admin.request(multipartUpload(seed.name, seed.bytes));
    expect(response.statusCode).toBe(201);
    const summary = response.json() as Summary;
    expect(summary).toMatchObject({ source: seed.name, format: "text", taskCount: 17 });
    expect(summary.plans).toHaveLength(1);
    expect(summary.plans[0]).toMatchObject({ title: "衡阳市进一步提高义务教育质量任务清单", tasks: 17, version: 1 });
    // Units the bureau has are matched; the others are listed for a clerk to map.
    expect(summary.unmatchedUnitNames).toEqual(expect.arrayContaining(["各县市区人民政府", "市委编办"]));
    expect(summary.unmatchedUnitNames).not.toContain("市财政局");
    expect(Array.isArray(summary.diagnostics)).toBe(true);

    // The same file again is a new version of the same plan.
    const again = (await admin.request(multipartUpload(seed.name, seed.bytes))).json() as Summary;
    expect(again.plans[0]).toMatchObject({ planId: summary.plans[0]?.planId, version: 2 });

    const plans = await admin.request({ method: "GET", url: "/api/plans" });
    expect(plans.json()).toHaveLength(1);
    const detail = await admin.request({ method: "GET", url: `/api/plans/${summary.plans[0]?.planId}` });
    expect(detail.json()).toMatchObject({ taskCount: 17, versions: [{ version: 1 }, { version: 2 }] });
    const source = await admin.request({ method: "GET", url: `/api/plans/${summary.plans[0]?.planId}/source` });
    expect((source.json() as { text: string }).text).toContain("衡阳市进一步提高义务教育质量任务清单");
    const first = await admin.request({ method: "GET", url: `/api/plans/${summary.plans[0]?.planId}/source?version=${summary.plans[0]?.versionId}` });
    expect((first.json() as { versionId: number }).versionId).toBe(summary.plans[0]?.versionId);
  });

  test("importing the Word table of seed 002 reads the same tasks", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const docx = formatFile("002-table.docx");
    const response = await admin.request(multipartUpload(docx.name, docx.bytes));
    expect(response.statusCode).toBe(201);
    const summary = response.json() as Summary;
    expect(summary.format).toBe("docx");
    expect(summary.taskCount).toBe(17);
    const tasks = await admin.request({ method: "GET", url: "/api/tasks" });
    expect((tasks.json() as { items: unknown[] }).items).toHaveLength(17);
  });

  test("a plan file over Fastify's 1 MB body limit is taken (the import's own limit is 50 MB)", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const seed = seedFile("002");
    const padded = Buffer.concat([seed.bytes, Buffer.from("\n".repeat(2 * 1024 * 1024), "utf8")]);
    const response = await admin.request(multipartUpload(seed.name, padded));
    expect(response.statusCode).toBe(201);
    expect((response.json() as Summary).taskCount).toBe(17);
  });

  test("a Chinese file name survives the upload; a path in it is dropped", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const seed = seedFile("002");
    const response = await admin.request(multipartUpload("C:\\文件\\义务教育任务清单.txt", seed.bytes));
    expect((response.json() as Summary).source).toBe("义务教育任务清单.txt");
  });

  test("a file that holds no plan, no file, a non-multipart body and a file over the limit get codes", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const empty = await admin.request(multipartUpload("empty.txt", Buffer.alloc(0)));
    expect([empty.statusCode, errorCode(empty)]).toEqual([400, "FILE_REQUIRED"]);
    expect((empty.json() as { error: { message: string } }).error.message).toBe("上传的文件是空的");
    const binary = await admin.request(multipartUpload("x.bin", Buffer.from([0, 1, 2, 3, 0, 0, 0, 255, 254, 0])));
    expect(errorCode(binary)).toBe("PLAN_FILE_UNREADABLE");
    const prose = await admin.request(multipartUpload("note.txt", Buffer.from("今天天气很好,我们去公园散步。", "utf8")));
    expect(errorCode(prose)).toBe("PLAN_FILE_UNREADABLE");
    const fieldOnly = "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n没有文件\r\n--b--\r\n";
    const noFile = await admin.request({ method: "POST", url: "/api/plans/import", headers: { "content-type": "multipart/form-data; boundary=b" }, payload: fieldOnly });
    expect(errorCode(noFile)).toBe("FILE_REQUIRED");
    const json = await admin.request({ method: "POST", url: "/api/plans/import", payload: { file: "x" } });
    expect([json.statusCode, errorCode(json)]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);

    const small = buildApp({ db: context.db, now: world.clock.now, passwordParams: TEST_SCRYPT, maxPlanFileBytes: 1024 });
    try {
      const seed = seedFile("002");
      const response = await small.inject({ ...multipartUpload(seed.name, seed.bytes), cookies: { taizhang_session: admin.cookie }, headers: { ...multipartUpload(seed.name, seed.bytes).headers, "x-csrf-token": admin.csrf } });
      expect([response.statusCode, errorCode(response)]).toEqual([413, "FILE_TOO_LARGE"]);
    } finally {
      await small.close();
    }
    expect((await admin.request({ method: "GET", url: "/api/plans" })).json()).toEqual([]);
  });

  test("only the office imports; leaders read plans; a reporter reads only plans with their unit's tasks, never the full source", async () => {
    const world = await makeWorld(context);
    const seed = seedFile("002");
    for (const who of [world.users.leader, world.users.financeReporter]) {
      const client = await world.login(who);
      const refused = await client.request(multipartUpload(seed.name, seed.bytes));
      expect([refused.statusCode, errorCode(refused)]).toEqual([403, "FORBIDDEN"]);
    }
    await world.importSeed();
    const admin = await world.login(world.users.admin);
    const planId = ((await admin.request({ method: "GET", url: "/api/plans" })).json() as { planId: number }[])[0]?.planId;

    const leader = await world.login(world.users.leader);
    expect((await leader.request({ method: "GET", url: `/api/plans/${planId}/source` })).statusCode).toBe(200);

    const finance = await world.login(world.users.financeReporter);
    expect((await finance.request({ method: "GET", url: "/api/plans" })).json()).toHaveLength(1);
    expect((await finance.request({ method: "GET", url: `/api/plans/${planId}` })).statusCode).toBe(200);
    const source = await finance.request({ method: "GET", url: `/api/plans/${planId}/source` });
    expect([source.statusCode, errorCode(source)]).toEqual([403, "FORBIDDEN"]);

    // A unit with no task in the plan does not see it at all.
    const outsider = await context.db
      .insertInto("units")
      .values({ organisation_id: world.organisationId, name: "市教育考试院", kind: "直属单位" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const { createUser } = await import("@taizhang/store");
    const { hashPassword } = await import("../src/index.js");
    const user = await createUser(context.db, { organisationId: world.organisationId, unitId: outsider.id, login: "exam", displayName: "考试院", passwordHash: await hashPassword("correct-horse-9", TEST_SCRYPT), role: "reporter", actorId: null });
    const exam = await world.login(user);
    expect((await exam.request({ method: "GET", url: "/api/plans" })).json()).toEqual([]);
    const hidden = await exam.request({ method: "GET", url: `/api/plans/${planId}` });
    expect([hidden.statusCode, errorCode(hidden)]).toEqual([404, "PLAN_NOT_FOUND"]);
    const hiddenSource = await exam.request({ method: "GET", url: `/api/plans/${planId}/source` });
    expect([hiddenSource.statusCode, errorCode(hiddenSource)]).toEqual([404, "PLAN_NOT_FOUND"]);
  });

  test("unknown plans and versions are 4xx with a code", async () => {
    const world = await makeWorld(context);
    await world.importSeed();
    const admin = await world.login(world.users.admin);
    expect(errorCode(await admin.request({ method: "GET", url: "/api/plans/999999" }))).toBe("PLAN_NOT_FOUND");
    expect(errorCode(await admin.request({ method: "GET", url: "/api/plans/abc" }))).toBe("VALIDATION_FAILED");
    const planId = ((await admin.request({ method: "GET", url: "/api/plans" })).json() as { planId: number }[])[0]?.planId;
    const wrongVersion = await admin.request({ method: "GET", url: `/api/plans/${planId}/source?version=999999` });
    expect([wrongVersion.statusCode, errorCode(wrongVersion)]).toEqual([400, "VALIDATION_FAILED"]);
  });
});
