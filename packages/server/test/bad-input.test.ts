// Bad input to every route: the operations are read from the app's own OpenAPI document, so a
// route added later is covered without touching this file. Each operation gets a battery of
// hostile requests, built from its parameters and request body schema, as the office (admin) and
// as a unit's reporter: bad ids in the path, bad query values, broken and oversized JSON, wrong
// types, SQL-looking, NUL and broken-Unicode text, 10,000-deep nesting, files over the limit.
// Every answer must be a 4xx in the one error shape with a catalogued code and a Chinese
// message, never a 5xx or a stack trace. A 2xx is accepted only where the input is legitimately
// valid (SQL-looking text in a free-text field): then the text must come back verbatim and no
// other data may have changed. All problems are collected and compared with [] at the end, so
// one run lists every failing route and input.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { sql, type Kysely } from "kysely";
import { expect, test } from "vitest";
import type { Database, User } from "@taizhang/store";
import { CSRF_HEADER, SESSION_COOKIE, TEST_SCRYPT, buildApp, errorCatalogue } from "../src/index.js";
import { MAX_PLAN_FILE_BYTES } from "../src/routes/plan-routes.js";
import { describeEngines, makeWorld, type World } from "./helpers.js";

// ---- the OpenAPI document, as far as this test reads it -----------------------------------

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  default?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

interface Parameter {
  in: "path" | "query" | "header" | "cookie";
  name: string;
  required?: boolean;
  schema?: Schema;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; description?: string }>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Operation {
  method: string;
  /** The path as the document writes it: /api/tasks/{id}. */
  path: string;
  params: Parameter[];
  /** The JSON request body's schema, resolved. */
  json?: Schema;
  /** Set on multipart upload routes: the largest file the route takes. */
  fileLimit?: number;
}

const METHODS = ["get", "post", "put", "patch", "delete"];
const MB = 1024 * 1024;

function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = resolver(doc);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith("/api/") || path.startsWith("/api/docs")) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const content = operation.requestBody?.content ?? {};
      const json = content["application/json"]?.schema;
      const multipart = content["multipart/form-data"];
      operations.push({
        method: method.toUpperCase(),
        path,
        params: (operation.parameters ?? []).map((parameter) => ({ ...parameter, schema: resolve(parameter.schema ?? {}) })),
        ...(json && { json: resolve(json) }),
        ...(multipart && { fileLimit: documentedFileLimit(operation.description ?? "") }),
      });
    }
  }
  return operations;
}

/** Inlines `#/components/schemas/…` references (shared schemas such as UnitNode). */
function resolver(doc: OpenApiDocument): (schema: Schema) => Schema {
  const resolve = (schema: Schema, depth = 0): Schema => {
    if (depth > 20) return {};
    if (schema.$ref) {
      const name = schema.$ref.replace(/^#\/components\/schemas\//, "").replace(/#$/, "");
      return resolve(doc.components?.schemas?.[name] ?? {}, depth + 1);
    }
    const out: Schema = { ...schema };
    if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, resolve(value, depth + 1)]));
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    for (const key of ["anyOf", "oneOf", "allOf"] as const) {
      const branches = schema[key];
      if (branches) out[key] = branches.map((branch) => resolve(branch, depth + 1));
    }
    return out;
  };
  return resolve;
}

/** The upload limit an operation states ("最大 20 MB"); otherwise the largest the app has. */
function documentedFileLimit(description: string): number {
  const match = /最大\s*([\d.]+)\s*(MB|KB)/i.exec(description);
  if (!match) return MAX_PLAN_FILE_BYTES;
  return Math.round(Number(match[1]) * (match[2]?.toUpperCase() === "KB" ? 1024 : MB));
}

/** The JSON types a value may have under `schema`; undefined: anything goes. */
function typesOf(schema: Schema): Set<string> | undefined {
  if (schema.type !== undefined) return new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const types = new Set<string>();
    for (const branch of branches) {
      const inner = typesOf(branch);
      if (!inner) return undefined;
      for (const type of inner) types.add(type);
    }
    return types;
  }
  const values = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined);
  if (values) return new Set(values.map((value) => (value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value)));
  if (schema.allOf?.[0]) return typesOf(schema.allOf[0]);
  return undefined;
}

const isText = (schema: Schema) => typesOf(schema)?.has("string") === true;
/** Text whose content is the user's own (a title, a narrative), not a code, a date or a choice. */
const isFreeText = (schema: Schema) => isText(schema) && schema.enum === undefined && schema.const === undefined && schema.format === undefined;

// ---- valid requests, the base every bad one is one change away from -------------------------

/** A value `schema` accepts; text is unique per request (`serial`) so a created thing never collides. */
function validValue(schema: Schema, serial: number): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum.find((value) => value !== null) ?? schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) return validValue(branches.find((branch) => !typesOf(branch)?.has("null")) ?? branches[0] ?? {}, serial);
  if (schema.allOf?.[0]) return validValue(schema.allOf[0], serial);
  const types = typesOf(schema) ?? new Set(["string"]);
  const type = ["object", "array", "string", "integer", "number", "boolean"].find((candidate) => types.has(candidate)) ?? "null";
  switch (type) {
    case "object":
      return Object.fromEntries((schema.required ?? []).map((name) => [name, validValue(schema.properties?.[name] ?? {}, serial)]));
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => validValue(schema.items ?? {}, serial));
    case "string":
      if (schema.format === "date") return "2025-12-31";
      if (schema.format === "date-time") return "2025-12-31T00:00:00.000Z";
      return `值${serial}`.padEnd(schema.minLength ?? 0, "值");
    case "integer":
    case "number":
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case "boolean":
      return true;
    default:
      return null;
  }
}

// ---- the battery -------------------------------------------------------------------------

/** A request's body, already encoded. */
interface Payload {
  payload: string | Buffer;
  contentType: string;
}

/** What a case starts from: the operation's valid body (JSON object or multipart form). */
type ValidBody = { json: Record<string, unknown> } | { form: Payload } | undefined;

interface Case {
  kind: string;
  /** Path parameters replaced by bad values (already URL-encoded). */
  path?: Record<string, string>;
  /** The query string from the valid one. */
  query?: (valid: URLSearchParams) => URLSearchParams;
  /** The body from the valid one. */
  body?: (valid: ValidBody) => Payload;
  /**
   * A 2xx is legitimate: the input is valid for the field. `text`, when set, must then be
   * stored verbatim wherever the unique `marker` in it shows up again.
   */
  mayPass?: { text?: string; marker?: string };
}

const PATH_VALUES: readonly [string, string][] = [
  ["not a number", "abc"],
  ["negative", "-1"],
  ["zero", "0"],
  ["a fraction", "1.5"],
  ["2^31", "2147483648"],
  ["2^63", "9223372036854775808"],
  ["SQL", "1 OR 1=1"],
  ["SQL", "1;drop table tasks"],
  ["NUL", "1\u0000"],
  ["unknown id", "2147483647"],
];

const QUERY_SQL = ["1 OR 1=1", "1;drop table tasks", "' OR '1'='1"];
/** ~1 MB of text that still fits the 1 MB JSON body limit with the rest of the body. */
const NEAR_MB_TEXT = "x".repeat(MB - 8 * 1024);
const DEEP = 10_000;
const deepObject = () => `${'{"a":'.repeat(DEEP)}1${"}".repeat(DEEP)}`;

/** Values of the wrong JSON type, each with the types it could pass as (ajv coerces scalars). */
const WRONG_TYPES: readonly { kind: string; value: unknown; passesAs: string[] }[] = [
  { kind: "a word for a number", value: "坏", passesAs: ["string"] },
  { kind: "a fraction", value: 1.5, passesAs: ["number", "string"] },
  { kind: "an object", value: { $ne: null }, passesAs: ["object"] },
  { kind: "a list of two", value: [1, 2], passesAs: ["array"] },
];

function wrongValues(schema: Schema): { kind: string; value: unknown }[] {
  return WRONG_TYPES.filter((wrong) => !passes(schema, wrong));
}

function passes(schema: Schema, wrong: (typeof WRONG_TYPES)[number]): boolean {
  const types = typesOf(schema);
  if (!types || wrong.passesAs.some((type) => types.has(type))) return true;
  // Fastify's ajv coerces to arrays too: a lone value is taken as a list of one.
  return types.has("array") && !Array.isArray(wrong.value) && (schema.items === undefined || passes(schema.items, wrong));
}

/** The texts every string field gets; the marker makes each findable where it is stored. */
function hostileTexts(serial: number): { kind: string; marker: string; text: string }[] {
  const marker = `坏${serial}`;
  return [
    { kind: "SQL", marker, text: `${marker}' OR '1'='1' --` },
    { kind: "SQL", marker, text: `${marker}'); drop table tasks; --` },
    { kind: "NUL", marker, text: `${marker}\u0000尾` },
    { kind: "lone surrogate", marker, text: `${marker}\ud800尾` },
    { kind: "~1 MB of text", marker, text: `${marker}${NEAR_MB_TEXT}` },
  ];
}

const json = (value: unknown): Payload => ({ payload: JSON.stringify(value), contentType: "application/json" });
const raw = (payload: string, contentType = "application/json"): Payload => ({ payload, contentType });

function jsonOf(valid: ValidBody): Record<string, unknown> {
  return valid && "json" in valid ? valid.json : {};
}

/** Every case for one operation; `serial` numbers hostile texts so each run makes the same ones. */
function casesFor(operation: Operation, nextSerial: () => number): Case[] {
  const cases: Case[] = [];
  for (const param of operation.params.filter((p) => p.in === "path")) {
    for (const [kind, value] of PATH_VALUES) cases.push({ kind: `path ${param.name}: ${kind} ${JSON.stringify(value)}`, path: { [param.name]: encodeURIComponent(value) } });
  }

  const queryParams = operation.params.filter((p) => p.in === "query");
  for (const param of queryParams) {
    const schema = param.schema ?? {};
    const types = typesOf(schema);
    const set = (value: string) => (valid: URLSearchParams) => {
      const query = new URLSearchParams(valid);
      query.set(param.name, value);
      return query;
    };
    const add = (kind: string, value: string, mayPass = false) => cases.push({ kind: `query ${param.name}: ${kind}`, query: set(value), ...(mayPass && { mayPass: {} }) });
    if (types?.has("integer") || types?.has("number")) {
      add("not a number", "abc");
      add("a fraction", "1.5");
      add("2^63", "9223372036854775808");
      // Without a bound on that side the value is in range: a 2xx is then allowed.
      add("below the minimum", String((schema.minimum ?? 0) - 1), schema.minimum === undefined);
      add("above the maximum", String(schema.maximum === undefined ? 2 ** 31 : schema.maximum + 1), schema.maximum === undefined);
    }
    if (types?.has("boolean")) add("not a yes/no", "maybe");
    if (schema.enum) add("not one of the choices", "紫");
    if (schema.format === "date") add("an impossible date", "2025-02-30");
    if (schema.maxLength !== undefined) add("too long", "x".repeat(schema.maxLength + 1));
    for (const text of QUERY_SQL) add(`SQL ${JSON.stringify(text)}`, text, isFreeText(schema));
    add("NUL", "坏\u0000", isFreeText(schema));
    cases.push({
      kind: `query ${param.name}: given twice`,
      query: (valid) => {
        const query = new URLSearchParams(valid);
        query.delete(param.name);
        query.append(param.name, String(validValue(schema, 0)));
        query.append(param.name, String(validValue(schema, 1)));
        return query;
      },
      // A list is what a parameter of list type takes.
      ...(types?.has("array") && { mayPass: {} }),
    });
  }
  if (queryParams.length > 0) {
    cases.push({
      kind: "query: an unknown extra parameter",
      query: (valid) => {
        const query = new URLSearchParams(valid);
        query.set("zz_unknown", "1");
        return query;
      },
    });
  }

  if (operation.json) cases.push(...jsonBodyCases(operation.json, nextSerial));
  if (operation.fileLimit !== undefined) cases.push(...uploadCases(operation.fileLimit, nextSerial()));
  return cases;
}

function jsonBodyCases(schema: Schema, nextSerial: () => number): Case[] {
  const cases: Case[] = [
    { kind: "body: not JSON", body: () => raw('{"broken json') },
    { kind: "body: empty", body: () => raw("") },
    { kind: "body: a JSON array", body: (valid) => json([jsonOf(valid)]) },
    { kind: "body: a JSON string", body: () => json("坏") },
    { kind: "body: null", body: () => raw("null") },
    { kind: "body: text/plain", body: (valid) => raw(JSON.stringify(jsonOf(valid)), "text/plain") },
    { kind: "body: form-encoded", body: () => raw("type=dispatch&version=1", "application/x-www-form-urlencoded") },
    { kind: "body: over the 1 MB limit", body: (valid) => json({ ...jsonOf(valid), zz_padding: "x".repeat(MB + 1024) }) },
    { kind: "body: an extra property", body: (valid) => json({ ...jsonOf(valid), zz_unknown: 1 }) },
    { kind: "body: an extra property 10,000 deep", body: (valid) => raw(JSON.stringify({ ...jsonOf(valid), zz_unknown: "__DEEP__" }).replace('"__DEEP__"', deepObject())) },
  ];
  for (const name of schema.required ?? []) {
    cases.push({
      kind: `body ${name}: missing`,
      body: (valid) => {
        const { [name]: _dropped, ...rest } = jsonOf(valid);
        return json(rest);
      },
    });
  }
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const types = typesOf(property);
    const withValue = (value: unknown) => (valid: ValidBody) => json({ ...jsonOf(valid), [name]: value });
    for (const wrong of wrongValues(property)) cases.push({ kind: `body ${name}: ${wrong.kind}`, body: withValue(wrong.value) });
    if (types?.has("array") && property.items) {
      const item = wrongValues(property.items)[0];
      if (item) cases.push({ kind: `body ${name}: a list holding ${item.kind}`, body: withValue([item.value]) });
    }
    if (types?.has("integer") || types?.has("number")) {
      // Without a bound on that side the value is in range: a 2xx is then allowed (no 5xx, though).
      const inRange = (bound: number | undefined) => (bound === undefined ? { mayPass: {} } : {});
      cases.push({ kind: `body ${name}: below the minimum`, body: withValue((property.minimum ?? 0) - 1), ...inRange(property.minimum) });
      cases.push({ kind: `body ${name}: 2^31`, body: withValue(2 ** 31), ...inRange(property.maximum) });
      cases.push({ kind: `body ${name}: 2^63`, body: withValue(2 ** 63), ...inRange(property.maximum) });
    }
    if (property.enum) cases.push({ kind: `body ${name}: not one of the choices`, body: withValue("紫") });
    if (property.format === "date") cases.push({ kind: `body ${name}: an impossible date`, body: withValue("2025-02-30") });
    if (isText(property)) {
      for (const hostile of hostileTexts(nextSerial())) {
        const fits = property.maxLength === undefined || hostile.text.length <= property.maxLength;
        cases.push({
          kind: `body ${name}: ${hostile.kind}`,
          body: withValue(hostile.text),
          ...(isFreeText(property) && fits && { mayPass: { text: hostile.text, marker: hostile.marker } }),
        });
      }
    }
    cases.push({ kind: `body ${name}: nested 10,000 deep`, body: (valid) => raw(JSON.stringify({ ...jsonOf(valid), [name]: "__DEEP__" }).replace('"__DEEP__"', deepObject())) });
  }
  return cases;
}

const BOUNDARY = "----taizhang-bad-input";

/** A multipart/form-data body; `file` parts carry a file name. */
function form(parts: { name: string; fileName?: string; bytes: Buffer }[]): Payload {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName === undefined ? "" : `; filename="${part.fileName}"`}`;
    const type = part.fileName === undefined ? "" : "Content-Type: application/octet-stream\r\n";
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`, "utf8"), part.bytes, Buffer.from("\r\n", "utf8"));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`, "utf8"));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

/** A small file: not a plan, so an import refuses it, but any evidence route takes it. */
const smallFile = () => ({ name: "file", fileName: "证明.txt", bytes: Buffer.from("佐证材料", "utf8") });

function uploadCases(limit: number, serial: number): Case[] {
  const marker = `坏${serial}`;
  const sqlName = `${marker}'; drop table tasks; --.txt`;
  return [
    { kind: `upload: a file over the ${limit}-byte limit`, body: () => form([{ name: "file", fileName: "大文件.txt", bytes: Buffer.alloc(limit + 1024, "x") }]) },
    { kind: "upload: no file, only a field", body: () => form([{ name: "note", bytes: Buffer.from("没有文件", "utf8") }]) },
    { kind: "upload: an empty form", body: () => form([]) },
    // Every upload route takes exactly one file under `file` (uploads.ts): a second file or another
    // field name is refused, never silently dropped.
    { kind: "upload: two files", body: () => form([smallFile(), { ...smallFile(), fileName: "第二个.txt" }]) },
    { kind: "upload: the file under another field name", body: () => form([{ ...smallFile(), name: "upload" }]) },
    { kind: "upload: a broken form", body: () => raw(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nno end`, `multipart/form-data; boundary=${BOUNDARY}`) },
    { kind: "upload: a JSON body instead of a form", body: () => json({ file: "佐证材料" }) },
    { kind: "upload: text/plain instead of a form", body: () => raw("佐证材料", "text/plain") },
    { kind: "upload: a form without its boundary", body: () => raw("佐证材料", "multipart/form-data") },
    // A file name is the uploader's text: SQL in it is only a name, kept as it is.
    { kind: "upload: a file named with SQL", body: () => form([{ ...smallFile(), fileName: sqlName }]), mayPass: { text: sqlName, marker } },
    // Control characters may be taken out of a name (it becomes a download's header): no verbatim check.
    { kind: "upload: a file name with NUL", body: () => form([{ ...smallFile(), fileName: `${marker}\u0000.txt` }]), mayPass: {} },
  ];
}

// ---- running it --------------------------------------------------------------------------

const ROLES = ["admin", "reporter"] as const;
type Role = (typeof ROLES)[number];

interface Session {
  cookie: string;
  csrf: string;
}

interface Battery {
  app: FastifyInstance;
  db: Kysely<Database>;
  world: World;
  users: Record<Role, User>;
  /** A valid id per collection named in a path ("tasks" → a task the reporter may see). */
  ids: Record<string, number>;
  /** error-level log lines of the app: a 5xx's cause, for the problem report. */
  errorLog: string[];
}

/** Upload limits lowered for the test, so a file over them is quick to send. */
const UPLOAD_LIMIT = MB;
const STACK_TRACE = /\n\s+at |\bat \S+ \(|node_modules|\.ts:\d+|\.js:\d+/;
const CHINESE = /[\u4e00-\u9fff]/;
/** Tables that grow with any request (sessions, the audit trail) or are caches of computed values. */
const UNTRACKED_TABLES = new Set(["audit_log", "sessions", "login_attempts", "schema_migrations", "task_lights"]);
/** A legitimate write touches a few rows (the record, its task, a link or two); more is a stray write. */
const MAX_CHANGED_ROWS = 12;

/** Every table's rows as hashes, to see what a request changed. */
async function snapshot(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(db);
  const rows = new Map<string, string[]>();
  for (const { name } of tables.rows) {
    if (UNTRACKED_TABLES.has(name)) continue;
    const hashes = await sql<{ h: string }>`select md5(t::text) as h from ${sql.table(name)} as t`.execute(db);
    rows.set(name, hashes.rows.map((row) => row.h).sort());
  }
  return rows;
}

/** What changed between two snapshots that a single legitimate write would not change. */
function strayChanges(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const problems: string[] = [];
  let changed = 0;
  for (const [table, rows] of before) {
    const now = after.get(table);
    if (!now) {
      problems.push(`table ${table} is gone`);
      continue;
    }
    const remaining = new Map<string, number>();
    for (const row of now) remaining.set(row, (remaining.get(row) ?? 0) + 1);
    let removed = 0;
    for (const row of rows) {
      const count = remaining.get(row) ?? 0;
      if (count > 0) remaining.set(row, count - 1);
      else removed += 1;
    }
    const added = [...remaining.values()].reduce((sum, count) => sum + count, 0);
    if (removed > added) problems.push(`${removed - added} row(s) of ${table} deleted`);
    changed += removed + added;
  }
  if (changed > MAX_CHANGED_ROWS) problems.push(`${changed} rows changed`);
  return problems;
}

/** Does `marker` appear in `value` (a parsed JSON body), and if so, does `text` appear whole? */
function findText(value: unknown, marker: string, text: string): "absent" | "verbatim" | "altered" {
  let seen = false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (item.includes(text)) return "verbatim";
      if (item.includes(marker)) seen = true;
    } else if (typeof item === "object" && item !== null) stack.push(...Object.values(item));
  }
  return seen ? "altered" : "absent";
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** What is wrong with a refusal: its status, shape, code, language, a stack trace. */
function refusalProblems(response: LightMyRequestResponse): string[] {
  const status = response.statusCode;
  if (status >= 500) return [`server error ${status}`];
  if (status < 400) return [`unexpected status ${status}`];
  const problems: string[] = [];
  if (STACK_TRACE.test(response.body)) problems.push("a stack trace or source path in the body");
  if (!String(response.headers["content-type"] ?? "").startsWith("application/json")) problems.push(`content-type ${String(response.headers["content-type"])}`);
  const body = parse(response.body);
  if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).join() !== "error") return [...problems, "not {error:{…}}"];
  const error = (body as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return [...problems, "error is not an object"];
  const { code, message, fix, ...rest } = error as Record<string, unknown>;
  if (Object.keys(rest).length > 0) problems.push(`extra fields in error: ${Object.keys(rest).join(", ")}`);
  if (typeof code !== "string") return [...problems, "no code"];
  if (typeof message !== "string") problems.push("no message");
  else if (!CHINESE.test(message)) problems.push(`message not in Chinese: ${message.slice(0, 80)}`);
  if (fix !== undefined && typeof fix !== "string") problems.push("fix is not text");
  const entry = errorCatalogue()[code];
  if (!entry) problems.push(`code ${code} is not in the catalogue`);
  else if (entry.status !== status) problems.push(`code ${code} is ${entry.status} in the catalogue, answered ${status}`);
  if (code === "UNAUTHENTICATED") problems.push("the test's session was lost: its results for this route mean nothing");
  return problems;
}

async function login(battery: Battery, role: Role): Promise<Session> {
  const client = await battery.world.login(battery.users[role]);
  return { cookie: client.cookie, csrf: client.csrf };
}

interface Outcome {
  /** One line per problem: who, method, URL, input kind, status, body head, what is wrong. */
  problems: string[];
  /** The operations ("PATCH /api/tasks/{id}") where hostile text was stored and read back verbatim. */
  storedVerbatim: Set<string>;
}

/** Runs every case of every operation as every role. */
async function runBattery(battery: Battery, operations: readonly Operation[]): Promise<Outcome> {
  const { app, db } = battery;
  const sessions: Record<Role, Session> = { admin: await login(battery, "admin"), reporter: await login(battery, "reporter") };
  const outcome: Outcome = { problems: [], storedVerbatim: new Set() };
  let serial = 0;
  const nextSerial = () => ++serial;
  let before = await snapshot(db);
  const versions = new Map<string, number | undefined>();

  const send = (role: Role, options: InjectOptions) =>
    app.inject({ ...options, cookies: { [SESSION_COOKIE]: sessions[role].cookie }, headers: { [CSRF_HEADER]: sessions[role].csrf, ...options.headers } });

  /** The version an edit must carry: read from the resource the path names, as a client would. */
  const versionOf = async (resourceUrl: string): Promise<number | undefined> => {
    if (!versions.has(resourceUrl)) {
      const response = await send("admin", { method: "GET", url: resourceUrl });
      const version = (parse(response.body) as { version?: unknown } | undefined)?.version;
      versions.set(resourceUrl, typeof version === "number" ? version : undefined);
    }
    return versions.get(resourceUrl);
  };

  /** The operation's valid body for one request: unique text, the current version. */
  const validBody = async (operation: Operation, serialOfRequest: number, validPath: Record<string, string>): Promise<ValidBody> => {
    if (operation.fileLimit !== undefined) return { form: form([smallFile()]) };
    if (!operation.json) return undefined;
    const body = validValue(operation.json, serialOfRequest) as Record<string, unknown>;
    const firstParam = operation.params.find((p) => p.in === "path");
    if (operation.json.properties?.version && firstParam) {
      const marker = `{${firstParam.name}}`;
      const version = await versionOf(fill(operation.path.slice(0, operation.path.indexOf(marker) + marker.length), validPath));
      if (version !== undefined) body.version = version;
    }
    return { json: body };
  };

  /** After a write: only its own few rows may have changed, and it may have ended a session. */
  const afterWrite = async (): Promise<string[]> => {
    const after = await snapshot(db);
    const changes = strayChanges(before, after).map((change) => `since the last write: ${change}`);
    before = after;
    versions.clear();
    for (const who of ROLES) {
      const check = await send(who, { method: "GET", url: "/api/session" });
      if (check.statusCode === 401) sessions[who] = await login(battery, who);
    }
    return changes;
  };

  for (const operation of operations) {
    const validPath = Object.fromEntries(operation.params.filter((p) => p.in === "path").map((p) => [p.name, String(idFor(battery.ids, operation.path, p.name))]));
    const validQuery = new URLSearchParams(operation.params.filter((p) => p.in === "query" && p.required).map((p): [string, string] => [p.name, String(validValue(p.schema ?? {}, 0))]));
    const cases = casesFor(operation, nextSerial);
    for (const role of ROLES) {
      for (const testCase of cases) {
        battery.errorLog.length = 0;
        const serialOfRequest = nextSerial();
        const pathValues = { ...validPath, ...testCase.path };
        const query = (testCase.query ?? ((valid) => valid))(validQuery).toString();
        const url = query === "" ? fill(operation.path, pathValues) : `${fill(operation.path, pathValues)}?${query}`;
        const headers: Record<string, string> = Object.fromEntries(
          operation.params.filter((p) => p.in === "header").map((p) => [p.name, String(validValue(p.schema ?? {}, serialOfRequest))]),
        );
        const valid = await validBody(operation, serialOfRequest, validPath);
        const payload = testCase.body ? testCase.body(valid) : valid && "json" in valid ? json(valid.json) : valid?.form;
        if (payload) headers["content-type"] = payload.contentType;

        const response = await send(role, { method: operation.method as InjectOptions["method"], url, headers, ...(payload && { payload: payload.payload }) });
        const found: string[] = [];
        const ok = response.statusCode >= 200 && response.statusCode < 300;
        if (!ok) found.push(...refusalProblems(response));
        else if (!testCase.mayPass) found.push("bad input accepted");
        else if (testCase.mayPass.text !== undefined && testCase.mayPass.marker !== undefined) {
          const readBack = (template: string) => send(role, { method: "GET", url: fill(template, pathValues) });
          const check = await textKept(operation, operations, testCase.mayPass, response, readBack);
          found.push(...check.problems);
          if (check.verbatim) outcome.storedVerbatim.add(`${operation.method} ${operation.path}`);
        }
        if (ok && operation.method !== "GET") found.push(...(await afterWrite()));
        // An error logged while handling the case (a 5xx's cause, a failed read-back) is a problem too.
        found.push(...battery.errorLog.splice(0).map(causeOf));
        const where = `${role} ${operation.method} ${url.length > 120 ? `${url.slice(0, 120)}…` : url} [${testCase.kind}] → ${response.statusCode} ${response.body.slice(0, 160)}`;
        for (const problem of found) outcome.problems.push(`${where}: ${problem}`);
      }
    }
  }
  return outcome;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => values[name] ?? "1");
}

/** A valid id for a path parameter: the collection it follows names what it is. */
function idFor(ids: Record<string, number>, path: string, param: string): number {
  const segments = path.split("/");
  const index = segments.indexOf(`{${param}}`);
  return ids[segments[index - 1] ?? ""] ?? 1;
}

/**
 * The text must come back whole wherever its marker comes back: in the answer, and on reading
 * it again from the same path or the nearest one above it (a report is read with its task).
 */
async function textKept(
  operation: Operation,
  operations: readonly Operation[],
  { text, marker }: { text?: string; marker?: string },
  response: LightMyRequestResponse,
  readBack: (template: string) => Promise<LightMyRequestResponse>,
): Promise<{ problems: string[]; verbatim: boolean }> {
  const problems: string[] = [];
  if (text === undefined || marker === undefined) return { problems, verbatim: false };
  if (findText(parse(response.body), marker, text) === "altered") problems.push("the text came back altered in the answer");
  let template = operation.path;
  while (template.lastIndexOf("/") > 0 && !operations.some((candidate) => candidate.method === "GET" && candidate.path === template)) {
    template = template.slice(0, template.lastIndexOf("/"));
  }
  if (template.lastIndexOf("/") <= 0) return { problems, verbatim: false };
  const read = await readBack(template);
  if (read.statusCode >= 400) problems.push(`reading it back (GET ${template}) answered ${read.statusCode} ${read.body.slice(0, 120)}`);
  const stored = findText(parse(read.body), marker, text);
  if (stored === "altered") problems.push(`the text was stored altered (GET ${template})`);
  return { problems, verbatim: stored === "verbatim" && problems.length === 0 };
}

/** The message of an error-level log line (the 5xx's cause). */
function causeOf(line: string): string {
  const entry = parse(line) as { err?: { type?: string; message?: string }; msg?: string } | undefined;
  return `logged: ${entry?.err?.type ?? ""} ${entry?.err?.message ?? entry?.msg ?? line}`.slice(0, 300);
}

/** The world the battery runs in: seed 002 imported, a task of the reporter's unit under way. */
async function prepare(world: World, db: Kysely<Database>, setup?: (app: FastifyInstance) => void): Promise<Battery> {
  const taskIds = await world.importSeed();
  const taskId = taskIds.get("5") ?? 0;
  const admin = await world.login(world.users.admin);
  const reporter = await world.login(world.users.financeReporter);
  // Under way, so a report can be filed and its text stored.
  let version = (await admin.request({ method: "GET", url: `/api/tasks/${taskId}` })).json<{ version: number }>().version;
  for (const [client, type] of [
    [admin, "dispatch"],
    [reporter, "sign"],
    [reporter, "start"],
  ] as const) {
    const response = await client.request({ method: "POST", url: `/api/tasks/${taskId}/actions`, payload: { type, version, ...(type === "dispatch" && { leadUnitId: world.units.finance.id }) } });
    if (response.statusCode !== 200) throw new Error(`${type}: ${response.statusCode} ${response.body}`);
    version = response.json<{ task: { version: number } }>().task.version;
  }
  const planId = (await admin.request({ method: "GET", url: "/api/plans" })).json<{ planId: number }[]>()[0]?.planId ?? 1;

  const errorLog: string[] = [];
  // Its own app over the same database: the same sessions, and an upload limit small enough to exceed quickly.
  const app = buildApp({
    db,
    now: world.clock.now,
    passwordParams: TEST_SCRYPT,
    maxPlanFileBytes: UPLOAD_LIMIT,
    maxEvidenceBytes: UPLOAD_LIMIT,
    logger: { level: "error", stream: { write: (line: string) => void errorLog.push(line) } },
  });
  setup?.(app);
  await app.ready();
  return {
    app,
    db,
    world,
    users: { admin: world.users.admin, reporter: world.users.financeReporter },
    ids: { tasks: taskId, plans: planId, units: world.units.finance.id, users: world.users.financeReporter.id },
    errorLog,
  };
}

async function documentedOperations(app: FastifyInstance): Promise<Operation[]> {
  const response = await app.inject({ method: "GET", url: "/api/docs/json" });
  return operationsOf(response.json<OpenApiDocument>());
}

/**
 * A route with the faults the battery must catch: a 500 on a big id, an uncatalogued English
 * error with a source path on the "unknown" one, extra fields let through, text cut short, and
 * SQL-looking text that "works": every task's title changed.
 * Registered as a plugin, after the app's own routes: the document and the hooks see it as any.
 */
const probeRoute = (db: Kysely<Database>) => (app: FastifyInstance): void => {
  void app.register(async (scope) => {
    scope.post<{ Params: { id: number }; Body: { text: string } }>(
      "/api/probe/:id",
      {
        config: { access: { roles: ["admin", "reporter"] } },
        schema: {
          params: { type: "object", properties: { id: { type: "integer" } } },
          body: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (id > 2 ** 31) throw new Error("value out of range at probe.ts:1");
        if (id === 2_147_483_647) return reply.code(404).send({ error: { code: "NOPE", message: "not found at probe.ts:12" } });
        if (request.body.text.includes("drop table")) await sql`update tasks set title = title || '!'`.execute(db);
        return { text: request.body.text.slice(0, -1) };
      },
    );
  });
};

describeEngines("bad input", (context) => {
  test("every documented operation answers bad input with a catalogued 4xx in Chinese, never a 5xx or a stack trace", async () => {
    const world = await makeWorld(context);
    const battery = await prepare(world, context.db);
    try {
      const operations = await documentedOperations(battery.app);
      // The document is where the routes come from: it must list the ones we know are there.
      expect(operations.map((operation) => `${operation.method} ${operation.path}`)).toEqual(
        expect.arrayContaining(["POST /api/login", "GET /api/tasks", "PATCH /api/tasks/{id}", "POST /api/tasks/{id}/reports", "POST /api/plans/import"]),
      );
      const { problems, storedVerbatim } = await runBattery(battery, operations);
      // Soft: the checks below still run and report when there are problems.
      expect.soft(problems).toEqual([]);
      // The free-text path was exercised: hostile text reached the database and came back whole.
      expect([...storedVerbatim]).toEqual(expect.arrayContaining(["POST /api/units", "PATCH /api/tasks/{id}", "POST /api/tasks/{id}/reports"]));
      // The world survived: the ledger still lists every imported task.
      const admin = await world.login(world.users.admin);
      expect((await admin.request({ method: "GET", url: "/api/tasks" })).json<{ items: unknown[] }>().items).toHaveLength(17);
    } finally {
      await battery.app.close();
    }
  }, 180_000);

  test("the battery catches a route that fails: a 500, an uncatalogued shape, a leaked stack, input accepted or altered, a stray write", async () => {
    const world = await makeWorld(context);
    const battery = await prepare(world, context.db, probeRoute(context.db));
    try {
      const probe = (await documentedOperations(battery.app)).filter((operation) => operation.path === "/api/probe/{id}");
      expect(probe).toHaveLength(1);
      const problems = (await runBattery(battery, probe)).problems.join("\n");
      for (const expected of [
        "server error 500",
        "logged: Error value out of range",
        "code NOPE is not in the catalogue",
        "message not in Chinese",
        "a stack trace",
        "bad input accepted",
        "the text came back altered",
        "since the last write: 34 rows changed",
      ]) {
        expect(problems).toContain(expected);
      }
    } finally {
      await battery.app.close();
    }
  }, 60_000);
});
