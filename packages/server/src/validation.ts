// Schema validation failures in Chinese. Fastify validates params, query, headers and body
// against each route's JSON schema (ajv); the first failure becomes VALIDATION_FAILED with a
// message naming the field the way the form does ("“完成百分比”不能大于 100"), never ajv's English.
import type { FastifySchemaValidationError } from "fastify";
import { apiError, type ApiError } from "./errors.js";

/** Which part of the request failed (Fastify's SchemaErrorDataVar, not exported from its root). */
export type SchemaErrorDataVar = "body" | "headers" | "params" | "querystring";

/** Field names as a clerk knows them; a field not listed is named as sent. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  login: "登录名",
  password: "密码",
  displayName: "姓名",
  role: "角色",
  unitId: "所属单位",
  name: "名称",
  kind: "单位类型",
  parentId: "上级单位",
  aliases: "别名",
  sortOrder: "排序",
  version: "版本号",
  title: "标题",
  dueDate: "办理期限",
  leadUnitId: "牵头单位",
  type: "操作",
  period: "报送周期",
  periodEnd: "周期截止日",
  percent: "完成百分比",
  status: "状态",
  narrative: "进展情况",
  reason: "理由",
  note: "意见",
  kpiValues: "指标实际值",
  kpiId: "指标",
  value: "数值",
  limit: "每页条数",
  offset: "起始位置",
  plan: "计划",
  unit: "单位",
  light: "灯色",
  id: "编号",
  "idempotency-key": "Idempotency-Key 请求头",
  "x-csrf-token": "X-CSRF-Token 请求头",
  // The routes of 2026-11 (comments, cadence, evidence, ledger filters).
  body: "内容",
  reportId: "报送",
  cadence: "报送周期设置",
  dates: "报送日期",
  coUnitIds: "配合单位",
  evidenceIds: "佐证材料",
  q: "关键词",
  lead_unit: "牵头单位",
  section: "章节",
  due_before: "期限早于",
  due_after: "期限晚于",
};

const PART_NAMES: { readonly [P in SchemaErrorDataVar]: string } = {
  body: "提交内容",
  querystring: "查询条件",
  params: "地址",
  headers: "请求头",
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  integer: "整数",
  number: "数字",
  string: "文字",
  boolean: "是或否",
  array: "列表",
  object: "对象",
  null: "空",
};

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  date: "日期(如 2025-03-31)",
  "date-time": "时间",
};

function label(field: string): string {
  return `“${FIELD_LABELS[field] ?? field}”`;
}

/** The last named segment of a JSON pointer: "/kpiValues/0/value" → "value". */
function fieldOf(instancePath: string): string | undefined {
  const segments = instancePath.split("/").filter((segment) => segment !== "" && !/^\d+$/.test(segment));
  return segments.at(-1);
}

function param(error: FastifySchemaValidationError, name: string): string {
  const value = error.params[name];
  if (Array.isArray(value)) return value.map(String).join("、");
  return String(value ?? "");
}

export function describeValidationError(error: FastifySchemaValidationError, part: SchemaErrorDataVar): string {
  const field = fieldOf(error.instancePath);
  const subject = field === undefined ? PART_NAMES[part] : label(field);
  switch (error.keyword) {
    case "required":
      return `缺少必填项${label(param(error, "missingProperty"))}`;
    case "additionalProperties":
      return `${PART_NAMES[part]}中有不认识的字段${label(param(error, "additionalProperty"))}`;
    case "type":
      return `${subject}应为${TYPE_NAMES[param(error, "type")] ?? param(error, "type")}`;
    case "enum":
      return `${subject}只能是:${param(error, "allowedValues")}`;
    case "const":
      return `${subject}只能是 ${param(error, "allowedValue")}`;
    case "minLength":
      return param(error, "limit") === "1" ? `${subject}不能为空` : `${subject}至少要 ${param(error, "limit")} 个字`;
    case "maxLength":
      return `${subject}太长(最多 ${param(error, "limit")} 个字)`;
    case "minimum":
      return `${subject}不能小于 ${param(error, "limit")}`;
    case "maximum":
      return `${subject}不能大于 ${param(error, "limit")}`;
    case "exclusiveMinimum":
      return `${subject}应大于 ${param(error, "limit")}`;
    case "minItems":
      return `${subject}至少要有 ${param(error, "limit")} 项`;
    case "maxItems":
      return `${subject}最多 ${param(error, "limit")} 项`;
    case "format":
      return `${subject}格式不正确,应为${FORMAT_NAMES[param(error, "format")] ?? param(error, "format")}`;
    case "pattern":
      return `${subject}格式不正确`;
    case "minProperties":
      return `${PART_NAMES[part]}不能为空`;
    default:
      return `${subject}不符合要求`;
  }
}

/** Fastify's schemaErrorFormatter: the first failure, in Chinese. */
export function formatValidationErrors(errors: FastifySchemaValidationError[], part: SchemaErrorDataVar): ApiError {
  const first = errors[0];
  const message = first === undefined ? undefined : `${describeValidationError(first, part)}。`;
  return apiError("VALIDATION_FAILED", message === undefined ? {} : { message });
}

/**
 * Text the database cannot keep as sent: NUL (PostgreSQL refuses it in text and JSON, a 500 if
 * it got that far) and a lone UTF-16 surrogate (stored as U+FFFD, so not what was sent). JSON
 * escapes (\u0000, \ud800) and %00 in a URL let a client send both.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The field holding unstorable text (a key or a string, at any depth), "" at the top; undefined if none. */
export function findUnstorableText(value: unknown): string | undefined {
  // A stack, not recursion: a body may be nested 10,000 deep.
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [item, field] = stack.pop() ?? [undefined, ""];
    if (typeof item === "string") {
      if (UNSTORABLE_TEXT.test(item)) return field;
    } else if (Array.isArray(item)) {
      for (const element of item) stack.push([element, field]);
    } else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (UNSTORABLE_TEXT.test(key)) return field;
        stack.push([child, key]);
      }
    }
  }
  return undefined;
}

/** Refuses a request whose path, query or body holds text the database cannot keep verbatim. */
export function checkStorableText(request: { params: unknown; query: unknown; body: unknown }): void {
  const parts: [SchemaErrorDataVar, unknown][] = [
    ["params", request.params],
    ["querystring", request.query],
    ["body", request.body],
  ];
  for (const [part, value] of parts) {
    const field = findUnstorableText(value);
    if (field === undefined) continue;
    const subject = field === "" ? PART_NAMES[part] : label(field);
    throw apiError("VALIDATION_FAILED", { message: `${subject}中有无法保存的特殊字符(如空字符),请删除后重新提交。` });
  }
}
