// The records around a task through the API: 报送周期 (the plan's and the task's own), co-units
// set at dispatch, supporting files (uploaded once, cited by a report, downloaded as an
// attachment) and comments. A reporter of another unit finds none of it.
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { expect, test } from "vitest";
import { listAudit } from "@taizhang/store";
import { CSRF_HEADER, SESSION_COOKIE, TEST_SCRYPT, buildApp } from "../src/index.js";
import { PASSWORD, describeEngines, errorCode, makeWorld, type Client, type World } from "./helpers.js";

const BOUNDARY = "----taizhang-records-boundary";

/** A multipart POST of one file to a task's evidence, with the type a browser would send. */
function upload(taskId: number, fileName: string, bytes: Buffer, mime = "application/pdf"): InjectOptions {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${mime}\r\n\r\n`, "utf8");
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`, "utf8");
  return {
    method: "POST",
    url: `/api/tasks/${taskId}/evidence`,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([head, bytes, tail]),
  };
}

interface Evidence {
  id: number;
  taskId: number;
  reportId: number | null;
  hash: string;
  fileName: string;
  size: number;
  mime: string;
  uploadedBy: number;
  createdAt: string;
}

interface Detail {
  version: number;
  units: { unitId: number | null; name: string; role: string }[];
  cadence: { kind: string; dates?: string[] } | null;
  periods: { id: string; due: string }[];
  kpis: { id: number }[];
  reports: { id: number; period: string; evidence: { id: number; fileName: string; size: number; mime: string }[]; kpiValues: { kpiId: number; value: number }[] }[];
}

function codeOf(response: LightMyRequestResponse): [number, string] {
  return [response.statusCode, errorCode(response)];
}

describeEngines("task records", (context) => {
  async function setup(): Promise<{ world: World; ids: Map<string, number>; admin: Client; leader: Client; finance: Client; health: Client; taskId: number; planId: number }> {
    const world = await makeWorld(context);
    const ids = await world.importSeed();
    const taskId = ids.get("5") ?? 0;
    const planId = (await context.db.selectFrom("tasks").select("plan_id").where("id", "=", taskId).executeTakeFirstOrThrow()).plan_id;
    return {
      world,
      ids,
      admin: await world.login(world.users.admin),
      leader: await world.login(world.users.leader),
      finance: await world.login(world.users.financeReporter),
      health: await world.login(world.users.healthReporter),
      taskId,
      planId,
    };
  }

  async function detail(client: Client, taskId: number): Promise<Detail> {
    const response = await client.request({ method: "GET", url: `/api/tasks/${taskId}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Detail;
  }

  test("a reporter of another unit gets 404 on every new route of a task that is not theirs", async () => {
    const { admin, health, taskId, planId } = await setup();
    const file = (await admin.request(upload(taskId, "纪要.pdf", Buffer.from("%PDF-1.4 纪要")))).json() as Evidence;
    const cases: [InjectOptions, number, string][] = [
      [{ method: "GET", url: `/api/tasks/${taskId}/comments` }, 404, "TASK_NOT_FOUND"],
      [{ method: "POST", url: `/api/tasks/${taskId}/comments`, payload: { body: "看看" } }, 404, "TASK_NOT_FOUND"],
      [{ method: "GET", url: `/api/tasks/${taskId}/evidence` }, 404, "TASK_NOT_FOUND"],
      [upload(taskId, "偷放.pdf", Buffer.from("x")), 404, "TASK_NOT_FOUND"],
      [{ method: "GET", url: `/api/evidence/${file.id}` }, 404, "EVIDENCE_NOT_FOUND"],
      // The office's settings are the office's: refused by role before anything is looked up.
      [{ method: "PUT", url: `/api/tasks/${taskId}/cadence`, payload: { version: 1, cadence: { kind: "monthly" } } }, 403, "FORBIDDEN"],
      [{ method: "PUT", url: `/api/plans/${planId}/cadence`, payload: { cadence: { kind: "monthly" } } }, 403, "FORBIDDEN"],
    ];
    for (const [options, status, code] of cases) {
      const response = await health.request(options);
      expect(codeOf(response), `${options.method} ${options.url}`).toEqual([status, code]);
      expect(response.body).not.toContain("纪要");
    }
    // A file that does not exist is answered the same as one of another unit.
    expect(codeOf(await admin.request({ method: "GET", url: "/api/evidence/99999999" }))).toEqual([404, "EVIDENCE_NOT_FOUND"]);
    expect(await context.db.selectFrom("evidence").select("id").execute()).toHaveLength(1);
    expect(await context.db.selectFrom("comments").select("id").execute()).toHaveLength(0);
  });

  test("evidence: uploaded by the task's unit, stored once per content, downloaded as an attachment; leaders read only", async () => {
    const { world, admin, leader, finance, taskId } = await setup();
    const bytes = Buffer.from("%PDF-1.4\n会议纪要:第一批资金已拨付。\n");
    const first = await finance.request(upload(taskId, "C:\\fakepath\\资金拨付 (一).pdf", bytes));
    expect(first.statusCode, first.body).toBe(201);
    const one = first.json() as Evidence;
    expect(one).toMatchObject({ taskId, reportId: null, fileName: "资金拨付 (一).pdf", size: bytes.byteLength, mime: "application/pdf", uploadedBy: world.users.financeReporter.id });
    expect(one.hash).toMatch(/^[0-9a-f]{64}$/);
    const again = (await admin.request(upload(taskId, "副本.pdf", bytes))).json() as Evidence;
    expect(again.hash).toBe(one.hash);
    expect(await context.db.selectFrom("evidence_blobs").select("hash").execute()).toEqual([{ hash: one.hash }]);
    expect(codeOf(await leader.request(upload(taskId, "领导.pdf", bytes)))).toEqual([403, "FORBIDDEN"]);

    const listed = (await leader.request({ method: "GET", url: `/api/tasks/${taskId}/evidence` })).json() as Evidence[];
    expect(listed.map((evidence) => evidence.fileName)).toEqual(["资金拨付 (一).pdf", "副本.pdf"]);

    for (const client of [leader, finance, admin]) {
      const download = await client.request({ method: "GET", url: `/api/evidence/${one.id}` });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(bytes)).toBe(true);
      expect(download.headers["content-type"]).toBe("application/pdf");
      expect(download.headers["content-length"]).toBe(String(bytes.byteLength));
      expect(download.headers["x-content-type-options"]).toBe("nosniff");
      expect(download.headers["content-disposition"]).toBe(`attachment; filename="____ (_).pdf"; filename*=UTF-8''${encodeURIComponent("资金拨付")}%20%28${encodeURIComponent("一")}%29.pdf`);
    }

    // An uploaded page is never served as a page of ours; a type that is no type is binary.
    const page = (await finance.request(upload(taskId, "page.html", Buffer.from("<script>alert(1)</script>"), "text/html; charset=utf-8"))).json() as Evidence;
    expect(page.mime).toBe("text/html");
    const served = await finance.request({ method: "GET", url: `/api/evidence/${page.id}` });
    expect(served.headers["content-disposition"]).toMatch(/^attachment;/);
    expect(served.headers["content-security-policy"]).toContain("sandbox");
    const odd = (await finance.request(upload(taskId, "odd.bin", Buffer.from("x"), "not a type\r\nX-Evil: 1"))).json() as Evidence;
    expect(odd.mime).toBe("application/octet-stream");

    const trail = await listAudit(context.db, { entity: "evidence", entityId: one.id });
    expect(trail.map((entry) => [entry.action, entry.actorId])).toEqual([["evidence.upload", world.users.financeReporter.id]]);
    const taskTrail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}/audit` })).json() as { entity: string; entityId: number }[];
    expect(taskTrail.filter((entry) => entry.entity === "evidence").map((entry) => entry.entityId)).toContain(one.id);
  });

  test("an upload over the limit is 413 EVIDENCE_TOO_LARGE; an empty form, a second file or another field are refused; nothing of them is stored", async () => {
    const { world, taskId } = await setup();
    const app = buildApp({ db: context.db, now: world.clock.now, passwordParams: TEST_SCRYPT, maxEvidenceBytes: 1024 });
    try {
      await app.ready();
      const login = await app.inject({ method: "POST", url: "/api/login", payload: { login: world.users.admin.login, password: PASSWORD } });
      const cookie = login.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? "";
      const csrf = (login.json() as { csrfToken: string }).csrfToken;
      const send = (options: InjectOptions) => app.inject({ ...options, cookies: { [SESSION_COOKIE]: cookie }, headers: { ...options.headers, [CSRF_HEADER]: csrf } });
      const big = await send(upload(taskId, "大文件.pdf", Buffer.alloc(1025, 1)));
      expect(codeOf(big)).toEqual([413, "EVIDENCE_TOO_LARGE"]);
      expect((big.json() as { error: { message: string } }).error.message).toContain("MB");
      const fits = await send(upload(taskId, "小文件.pdf", Buffer.alloc(1024, 1)));
      expect(fits.statusCode).toBe(201);
      const empty = await send({ method: "POST", url: `/api/tasks/${taskId}/evidence`, headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, payload: `--${BOUNDARY}--\r\n` });
      expect(codeOf(empty)).toEqual([400, "FILE_REQUIRED"]);
      expect(codeOf(await send({ method: "POST", url: `/api/tasks/${taskId}/evidence`, payload: { file: "x" } }))).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
      // One file, under `file`: a second one or another field name is refused, not dropped.
      const part = (field: string, name: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${name}\r\n`;
      const form = (body: string) => send({ method: "POST", url: `/api/tasks/${taskId}/evidence`, headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, payload: `${body}--${BOUNDARY}--\r\n` });
      expect(codeOf(await form(part("file", "一.txt") + part("file", "二.txt")))).toEqual([400, "VALIDATION_FAILED"]);
      expect(codeOf(await form(part("upload", "一.txt")))).toEqual([400, "FILE_REQUIRED"]);
      const withField = await form(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\n说明\r\n${part("file", "带说明.txt")}`);
      expect(withField.statusCode, withField.body).toBe(201);
      expect(codeOf(await send({ ...upload(taskId, "a.pdf", Buffer.from("a")), url: "/api/tasks/0x5/evidence" }))).toEqual([400, "VALIDATION_FAILED"]);
    } finally {
      await app.close();
    }
    expect((await context.db.selectFrom("evidence").select("file_name").orderBy("id").execute()).map((row) => row.file_name)).toEqual(["小文件.pdf", "带说明.txt"]);
    expect(await context.db.selectFrom("evidence_blobs").select("size").orderBy("size").execute()).toEqual([{ size: Buffer.byteLength("带说明.txt") }, { size: 1024 }]);
  });

  test("a report cites the task's evidence and gives KPI values: both show in the detail; evidence is cited once", async () => {
    const { world, ids, admin, finance, taskId } = await setup();
    const withKpi = ids.get("13") ?? 0;
    const dispatched = await admin.request({ method: "POST", url: `/api/tasks/${withKpi}/actions`, payload: { type: "dispatch", version: 1, leadUnitId: world.units.finance.id, dueDate: "2025-12-31" } });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    await finance.request({ method: "POST", url: `/api/tasks/${withKpi}/actions`, payload: { type: "sign", version: 2 } });
    await finance.request({ method: "POST", url: `/api/tasks/${withKpi}/actions`, payload: { type: "start", version: 3 } });
    const kpiId = (await detail(admin, withKpi)).kpis[0]?.id ?? 0;
    const scan = (await finance.request(upload(withKpi, "扫描件.pdf", Buffer.from("scan")))).json() as Evidence;
    const photo = (await finance.request(upload(withKpi, "照片.jpg", Buffer.from("photo"), "image/jpeg"))).json() as Evidence;
    const elsewhere = (await finance.request(upload(taskId, "别的任务.pdf", Buffer.from("other")))).json() as Evidence;
    const report = (key: string, body: Record<string, unknown>) => finance.request({ method: "POST", url: `/api/tasks/${withKpi}/reports`, headers: { "idempotency-key": key }, payload: { status: "正常推进", percent: 30, ...body } });

    expect(codeOf(await report("k0", { period: "2025-03", evidenceIds: [scan.id, elsewhere.id] }))).toEqual([400, "EVIDENCE_NOT_IN_TASK"]);
    const filed = await report("k1", { period: "2025-03", evidenceIds: [scan.id, photo.id], kpiValues: [{ kpiId, value: 85.5 }] });
    expect(filed.statusCode, filed.body).toBe(201);
    // A retry of the same submission is the same report, not a second citation.
    expect((await report("k1", { period: "2025-03", evidenceIds: [scan.id, photo.id], kpiValues: [{ kpiId, value: 85.5 }] })).statusCode).toBe(200);
    expect(codeOf(await report("k2", { period: "2025-04", evidenceIds: [photo.id] }))).toEqual([400, "EVIDENCE_ALREADY_LINKED"]);

    const shown = await detail(finance, withKpi);
    expect(shown.reports).toHaveLength(1);
    expect(shown.reports[0]).toMatchObject({
      period: "2025-03",
      evidence: [
        { id: scan.id, fileName: "扫描件.pdf", size: 4, mime: "application/pdf" },
        { id: photo.id, fileName: "照片.jpg", size: 5, mime: "image/jpeg" },
      ],
      kpiValues: [{ kpiId, value: 85.5 }],
    });
    const files = (await finance.request({ method: "GET", url: `/api/tasks/${withKpi}/evidence` })).json() as Evidence[];
    expect(files.map((file) => file.reportId)).toEqual([shown.reports[0]?.id, shown.reports[0]?.id]);
  });

  test("cadence: the plan's default gives the task its periods, the task's own wins; both bump versions and are audited", async () => {
    const { world, admin, leader, finance, taskId, planId } = await setup();
    await admin.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { type: "dispatch", version: 1, leadUnitId: world.units.finance.id, dueDate: "2025-06-30" } });
    expect((await detail(finance, taskId)).periods).toEqual([]);

    const planSet = await admin.request({ method: "PUT", url: `/api/plans/${planId}/cadence`, payload: { cadence: { kind: "monthly" } } });
    expect([planSet.statusCode, planSet.json()]).toEqual([200, { planId, cadence: { kind: "monthly" } }]);
    const monthly = await detail(finance, taskId);
    expect(monthly.cadence).toEqual({ kind: "monthly" });
    expect(monthly.periods[0]).toMatchObject({ id: "2025-03", due: "2025-04-05" });
    expect(monthly.version).toBe(3);

    const stale = await admin.request({ method: "PUT", url: `/api/tasks/${taskId}/cadence`, payload: { version: 2, cadence: { kind: "quarterly" } } });
    expect(codeOf(stale)).toEqual([409, "TASK_VERSION_CONFLICT"]);
    const own = await admin.request({ method: "PUT", url: `/api/tasks/${taskId}/cadence`, payload: { version: 3, cadence: { kind: "custom", dates: ["2025-05-15", "2025-04-15"] } } });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ id: taskId, version: 4, light: { light: expect.any(String) } });
    const custom = await detail(leader, taskId);
    expect(custom.cadence).toEqual({ kind: "custom", dates: ["2025-04-15", "2025-05-15"] });
    expect(custom.periods.map((period) => period.due)).toEqual(["2025-04-15", "2025-05-15"]);

    // Bad cadences are refused by the schema, with a code.
    for (const cadence of [{ kind: "custom" }, { kind: "monthly", dates: ["2025-04-15"] }, { kind: "daily" }, { kind: "custom", dates: ["2025-13-01"] }]) {
      expect(codeOf(await admin.request({ method: "PUT", url: `/api/plans/${planId}/cadence`, payload: { cadence } })), JSON.stringify(cadence)).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect(codeOf(await admin.request({ method: "PUT", url: "/api/plans/99999999/cadence", payload: { cadence: null } }))).toEqual([404, "PLAN_NOT_FOUND"]);

    const cleared = await admin.request({ method: "PUT", url: `/api/tasks/${taskId}/cadence`, payload: { version: 4, cadence: null } });
    expect(cleared.statusCode).toBe(200);
    expect((await detail(admin, taskId)).cadence).toEqual({ kind: "monthly" });
    const trail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}/audit` })).json() as { action: string }[];
    expect(trail.filter((entry) => entry.action === "task.cadence")).toHaveLength(2);
    expect((await listAudit(context.db, { entity: "plans", entityId: planId })).map((entry) => entry.action)).toContain("plan.cadence");
  });

  test("dispatch with co-units and a cadence: all in the dispatch's transaction; an unknown unit changes nothing", async () => {
    const { world, admin, health, taskId } = await setup();
    const { finance: lead, labour, health: healthUnit } = world.units;
    const unknown = await admin.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { type: "dispatch", version: 1, leadUnitId: lead.id, coUnitIds: [labour.id, 99999999], cadence: { kind: "weekly" } } });
    expect(codeOf(unknown)).toEqual([400, "UNIT_NOT_FOUND"]);
    const untouched = await detail(admin, taskId);
    expect(untouched).toMatchObject({ version: 1, cadence: null });
    expect(untouched.units.map((unit) => unit.unitId)).not.toContain(labour.id);

    // Co-units belong to the dispatch: refused on any other action.
    expect(codeOf(await admin.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { type: "stop", version: 1, reason: "x", coUnitIds: [labour.id] } }))).toEqual([400, "VALIDATION_FAILED"]);

    const dispatched = await admin.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { type: "dispatch", version: 1, leadUnitId: lead.id, coUnitIds: [labour.id, healthUnit.id, lead.id], cadence: { kind: "weekly" } } });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const result = dispatched.json() as { task: { version: number; units: { unitId: number | null; role: string }[] }; events: { type: string }[] };
    expect(result.task.version).toBe(2);
    expect(result.task.units).toEqual(expect.arrayContaining([expect.objectContaining({ unitId: labour.id, role: "配合" }), expect.objectContaining({ unitId: healthUnit.id, role: "配合" })]));
    const shown = await detail(admin, taskId);
    expect(shown.cadence).toEqual({ kind: "weekly" });
    expect(shown.periods.length).toBeGreaterThan(0);
    const matched = shown.units.flatMap((unit) => (unit.unitId === null ? [] : [unit.unitId]));
    expect(matched.filter((unitId) => unitId !== lead.id).sort()).toEqual([labour.id, healthUnit.id].sort());
    // The named 市教育局 is not among the units any more; a co-unit's reporter now sees the task.
    expect(matched).not.toContain(world.units.bureau.id);
    expect((await health.request({ method: "GET", url: `/api/tasks/${taskId}` })).statusCode).toBe(200);

    const trail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}/audit` })).json() as { action: string; after: { coUnitIds?: string[] } }[];
    expect(trail.map((entry) => entry.action)).toEqual(["task.dispatch", "task.dispatched", "task.co-units", "task.cadence"]);
    expect(trail[1]?.after.coUnitIds).toEqual([String(labour.id), String(healthUnit.id)]);
  });

  test("comments: anyone who sees the task reads and adds them, oldest first; about a report of the task only", async () => {
    const { world, ids, admin, leader, finance, taskId } = await setup();
    const add = (client: Client, body: Record<string, unknown>, task = taskId) => client.request({ method: "POST", url: `/api/tasks/${task}/comments`, payload: body });
    const first = await add(leader, { body: "  请财政局月底前报送拨付进度。\n" });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ taskId, reportId: null, authorId: world.users.leader.id, authorName: "leader", body: "请财政局月底前报送拨付进度。" });
    world.clock.advance(60_000);
    expect((await add(finance, { body: "收到,正在办理。" })).statusCode).toBe(201);
    for (const body of [{ body: "   " }, { body: "" }, { body: "长".repeat(5001) }, { body: "x", extra: 1 }]) {
      expect(codeOf(await add(admin, body))).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect((await add(admin, { body: "长".repeat(5000) })).statusCode).toBe(201);

    // A report of another task cannot be the subject of this task's comment.
    const other = ids.get("13") ?? 0;
    await admin.request({ method: "POST", url: `/api/tasks/${other}/actions`, payload: { type: "dispatch", version: 1, leadUnitId: world.units.finance.id, dueDate: "2025-12-31" } });
    await finance.request({ method: "POST", url: `/api/tasks/${other}/actions`, payload: { type: "sign", version: 2 } });
    await finance.request({ method: "POST", url: `/api/tasks/${other}/actions`, payload: { type: "start", version: 3 } });
    const report = (await finance.request({ method: "POST", url: `/api/tasks/${other}/reports`, headers: { "idempotency-key": "r1" }, payload: { period: "2025-03", status: "正常推进", percent: 10 } })).json() as { report: { id: number } };
    expect(codeOf(await add(admin, { body: "好", reportId: report.report.id }))).toEqual([400, "COMMENT_REPORT_NOT_FOUND"]);
    const about = await add(admin, { body: "进度偏慢", reportId: report.report.id }, other);
    expect(about.json()).toMatchObject({ taskId: other, reportId: report.report.id });

    const listed = (await finance.request({ method: "GET", url: `/api/tasks/${taskId}/comments` })).json() as { body: string; authorName: string }[];
    expect(listed.map((comment) => [comment.authorName, comment.body.slice(0, 8)])).toEqual([
      ["leader", "请财政局月底前报"],
      ["finance", "收到,正在办理。"],
      ["admin", "长长长长长长长长"],
    ]);
    const comments = await context.db.selectFrom("comments").select("id").where("task_id", "=", taskId).execute();
    for (const { id } of comments) expect((await listAudit(context.db, { entity: "comments", entityId: id })).map((entry) => entry.action)).toEqual(["comment.add"]);
    // The task's own trail shows them, and not the other task's.
    const trail = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}/audit` })).json() as { action: string; entity: string }[];
    expect(trail.filter((entry) => entry.entity === "comments").map((entry) => entry.action)).toEqual(["comment.add", "comment.add", "comment.add"]);
  });
});
