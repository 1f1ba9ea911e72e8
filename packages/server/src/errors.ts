// The API's one error catalogue. Every error a client sees is `{ error: { code, message, fix } }`
// with a stable code from here, the HTTP status it goes with, a Chinese message a clerk
// understands and how to fix it. The store's and the workflow's codes are taken in as they are
// (their messages come from them); anything else becomes INTERNAL_ERROR, with the details in the
// log only.
import { WORKFLOW_ERRORS, type WorkflowError, type WorkflowErrorCode } from "@taizhang/core";
import { STORE_ERRORS, StoreError, classifyConnectionError, type StoreErrorCode } from "@taizhang/store";

export interface CatalogueEntry {
  status: number;
  message: string;
  fix: string;
}

/** The server's own refusals. */
export const SERVER_ERRORS = {
  UNAUTHENTICATED: { status: 401, message: "请先登录", fix: "登录已过期或尚未登录,请重新登录。" },
  LOGIN_FAILED: { status: 401, message: "登录名或密码不正确", fix: "请检查登录名和密码;忘记密码请联系督查室重置。" },
  LOGIN_RATE_LIMITED: { status: 429, message: "登录失败次数过多,请稍后再试", fix: "为保护账号安全,连续输错密码后需等待 15 分钟再登录。" },
  CSRF_TOKEN_INVALID: { status: 403, message: "页面已过期,请刷新后重试", fix: "请刷新页面(重新获取安全令牌)后再提交。" },
  FORBIDDEN: { status: 403, message: "您的账号没有权限进行这项操作", fix: "如需办理,请联系督查室调整账号权限。" },
  VALIDATION_FAILED: { status: 400, message: "填写的内容不符合要求", fix: "请按提示修改后重新提交。" },
  INVALID_JSON: { status: 400, message: "请求内容格式不正确", fix: "请求体应是有效的 JSON。" },
  BAD_REQUEST: { status: 400, message: "请求不正确", fix: "请检查请求的地址、参数和内容。" },
  BODY_TOO_LARGE: { status: 413, message: "提交的内容太大", fix: "请减少一次提交的内容;文件请通过上传接口提交。" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "不支持这种提交格式", fix: "请以 JSON(application/json)提交;上传文件请用 multipart/form-data。" },
  ROUTE_NOT_FOUND: { status: 404, message: "没有这个接口", fix: "请检查地址;接口列表见 /api/docs。" },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, message: "缺少 Idempotency-Key 请求头", fix: "每次报送请附一个新的随机键(如 UUID);网络重试时沿用同一个键,就不会重复报送。" },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: "这个 Idempotency-Key 已用于另一项任务的报送", fix: "每次新的报送请使用新的随机键。" },
  FILE_REQUIRED: { status: 400, message: "请选择要上传的文件", fix: "以 multipart/form-data 上传,文件放在 file 字段。" },
  FILE_TOO_LARGE: { status: 413, message: "文件太大", fix: "请拆分后分别导入(大小上限见接口说明,默认 50 MB)。" },
  PLAN_FILE_UNREADABLE: { status: 400, message: "无法从文件中读出计划", fix: "请确认文件是计划正文(Word、PDF 文字版、网页、Excel、CSV 或文本),而不是扫描件或加密文件。" },
  SOURCE_HASH_MISMATCH: { status: 400, message: "原文与校验值(sha256)不符", fix: "请重新上传文件预览;确认导入时原文(source)和 sha256 须原样带回预览的结果。" },
  OFFSET_OUT_OF_SOURCE: { status: 400, message: "位置不在原文之内", fix: "各项的位置(start、end)须在原文之内且起点不大于终点;请重新预览后再校对。" },
  EVIDENCE_NOT_FOUND: { status: 404, message: "佐证材料不存在", fix: "请刷新任务,查看现有的佐证材料。" },
  EVIDENCE_TOO_LARGE: { status: 413, message: "佐证材料文件太大", fix: "单个文件不能超过上限(默认 20 MB):请压缩或拆分后分别上传。" },
  EVIDENCE_NOT_IN_TASK: { status: 400, message: "所选的佐证材料不属于这项任务", fix: "请先在本任务下上传佐证材料,再在报送中选择。" },
  EVIDENCE_ALREADY_LINKED: { status: 400, message: "所选的佐证材料已随另一份报送提交", fix: "一份佐证材料只能随一份报送提交;如需再次提交,请重新上传该文件。" },
  COMMENT_REPORT_NOT_FOUND: { status: 400, message: "批示所针对的报送不属于这项任务", fix: "请刷新任务后,从该任务的报送中选择。" },
  EXPORT_TOO_LARGE: { status: 400, message: "要导出的任务太多", fix: "一次最多导出 50000 项任务:请按计划、单位或状态筛选后分批导出。" },
  BULLETIN_PERIOD_INVALID: { status: 400, message: "统计期不正确", fix: "统计期可写作月(2025-03)、季度(2025-Q1)、年(2025),或起止日期(2025-03-01~2025-03-15,起日不晚于止日)。" },
  BULLETIN_PERIOD_NOT_STARTED: { status: 400, message: "统计期还没有开始", fix: "请选择已经开始的统计期;本月、本季度的通报统计到今天。" },
  SCORING_MODEL_INVALID: { status: 400, message: "评分办法有误", fix: "请写作“指标:分值”,以逗号分隔,如 closeRate:30,onTimeRate:30,kpiAttainment:20,reportTimeliness:20;各项分值合计应为 100。" },
  NOTIFICATION_NOT_FOUND: { status: 404, message: "消息不存在", fix: "请刷新消息中心;只能查看发给本人的消息。" },
  SUPERVISION_NOTICE_NOT_FOUND: { status: 404, message: "督办单不存在", fix: "请刷新督办单列表。" },
  CHANNEL_NOT_FOUND: { status: 404, message: "发送渠道不存在", fix: "请刷新发送渠道列表。" },
  CHANNEL_SETTINGS_INVALID: { status: 400, message: "发送渠道的设置不完整或不正确", fix: "邮件渠道须填写服务器地址、端口、发件人和收件人;钉钉、企业微信和 Webhook 渠道须填写完整的 Webhook 地址。" },
  INTERNAL_ERROR: { status: 500, message: "服务器内部错误,请稍后重试", fix: "这是程序的问题,不是您的操作问题;如反复出现,请联系系统管理员并告知发生时间。" },
} as const satisfies Record<string, CatalogueEntry>;

export type ServerErrorCode = keyof typeof SERVER_ERRORS;

/**
 * The status of each store error: conflicts 409, a missing thing the URL names 404, a bad
 * reference or value in the request 400, the database not there 503. A Record over every code,
 * so a new store error does not compile until it is placed here.
 */
const STORE_STATUS: { readonly [C in StoreErrorCode]: number } = {
  DATA_DIR_NOT_WRITABLE: 503,
  DATA_DIR_IN_USE: 503,
  DATA_DIR_UNUSABLE: 503,
  DATABASE_URL_INVALID: 503,
  DATABASE_UNREACHABLE: 503,
  DATABASE_AUTH_FAILED: 503,
  DATABASE_NOT_FOUND: 503,
  DATABASE_BUSY: 503,
  DATABASE_TOO_NEW: 503,
  MIGRATION_FAILED: 503,
  ORGANISATION_NOT_FOUND: 404,
  PLAN_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  // Named in a request body (a parent unit, a user's unit, a KPI of a report), not in the URL.
  UNIT_NOT_FOUND: 400,
  KPI_NOT_FOUND: 400,
  REPORTER_NEEDS_UNIT: 400,
  UNIT_NAME_TAKEN: 409,
  USER_NOT_FOUND: 404,
  LOGIN_TAKEN: 409,
  TASK_VERSION_CONFLICT: 409,
};

function storeEntries(): Record<string, CatalogueEntry> {
  const codes = Object.keys(STORE_STATUS) as StoreErrorCode[];
  return Object.fromEntries(codes.map((code) => [code, { status: STORE_STATUS[code], message: STORE_ERRORS[code].message, fix: STORE_ERRORS[code].fix }]));
}

/**
 * The workflow's refusals: a state that does not allow the action is a conflict with the task as
 * it stands (409); a bad value in the request is 400; someone whose role may never take the
 * action is 403. The workflow's CONFLICT is the store's TASK_VERSION_CONFLICT under another name:
 * a client sees one code for "someone changed it first", wherever it is caught.
 */
const WORKFLOW_STATUS: { readonly [C in WorkflowErrorCode]: { status: number; fix: string } } = {
  CONFLICT: { status: 409, fix: STORE_ERRORS.TASK_VERSION_CONFLICT.fix },
  NOT_ALLOWED: { status: 403, fix: "请由有相应职责的人员办理。" },
  INVALID_TRANSITION: { status: 409, fix: "请刷新任务,按当前状态选择可以进行的操作。" },
  REASON_REQUIRED: { status: 400, fix: "请填写理由后重新提交。" },
  INVALID_DATE: { status: 400, fix: "日期请按 2025-03-31 的格式填写。" },
  DATE_IN_PAST: { status: 400, fix: "请设定今天或以后的日期。" },
  NO_LEAD_UNIT: { status: 400, fix: "交办时请选择牵头单位。" },
  NO_DUE_DATE: { status: 409, fix: "没有办理期限的任务无需延期。" },
  EXTENSION_TOO_LATE: { status: 409, fix: "期限已过,请联系督查室处理。" },
  EXTENSION_NOT_LATER: { status: 400, fix: "请选择晚于当前期限的日期。" },
  EXTENSION_PENDING: { status: 409, fix: "请等待审批结果,或先撤回正在审批的申请。" },
  NO_PENDING_EXTENSION: { status: 409, fix: "请刷新任务查看延期申请的最新状态。" },
  PERIOD_REQUIRED: { status: 400, fix: "请选择报送周期。" },
  UNKNOWN_PERIOD: { status: 400, fix: "请从任务的报送周期中选择。" },
  PERIOD_NOT_STARTED: { status: 400, fix: "请在该周期开始后再报送。" },
  REPORT_PENDING: { status: 409, fix: "请等待审核结果后再报送该周期。" },
  REPORT_NOT_PENDING: { status: 409, fix: "请刷新任务查看报送的最新状态。" },
  FINAL_REPORT_PENDING: { status: 409, fix: "请等待督查室审核完成报告。" },
  FINAL_REPORT_REQUIRED: { status: 409, fix: "请等待承办单位提交完成报告(报送状态为“已完成”)。" },
  FINAL_REPORT_NEEDS_CLOSE: { status: 409, fix: "完成报告审核通过请使用“办结销号”。" },
};

/** The code a workflow refusal has in the API. */
function workflowCode(code: WorkflowErrorCode): string {
  return code === "CONFLICT" ? "TASK_VERSION_CONFLICT" : code;
}

export function fromWorkflowError(error: WorkflowError): ApiError {
  const { status, fix } = WORKFLOW_STATUS[error.code];
  return new ApiError(workflowCode(error.code), { status, message: error.message, fix });
}

function workflowEntries(): Record<string, CatalogueEntry> {
  const entries: Record<string, CatalogueEntry> = {};
  for (const code of Object.keys(WORKFLOW_STATUS) as WorkflowErrorCode[]) {
    // CONFLICT is listed once, as the store's TASK_VERSION_CONFLICT.
    if (workflowCode(code) !== code) continue;
    entries[code] = { ...WORKFLOW_STATUS[code], message: WORKFLOW_ERRORS[code] };
  }
  return entries;
}

/** Every code the API can answer with (workflow messages as templates with {placeholders}). */
export function errorCatalogue(): Readonly<Record<string, CatalogueEntry>> {
  return { ...SERVER_ERRORS, ...storeEntries(), ...workflowEntries() };
}

/** An error meant for the client: its message is Chinese and safe to show. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fix: string;
  /** Extra response headers (Retry-After). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: string, entry: CatalogueEntry, options: { message?: string; cause?: unknown; headers?: Record<string, string> } = {}) {
    super(options.message ?? entry.message, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = entry.status;
    this.fix = entry.fix;
    this.headers = options.headers ?? {};
  }
}

/** One of the server's own errors, optionally with a more precise message. */
export function apiError(code: ServerErrorCode, options: { message?: string; cause?: unknown; headers?: Record<string, string> } = {}): ApiError {
  return new ApiError(code, SERVER_ERRORS[code], options);
}

export function fromStoreError(error: StoreError): ApiError {
  return new ApiError(error.code, { status: STORE_STATUS[error.code], message: error.message, fix: error.fix }, { cause: error });
}

/** A thing the URL names that the user may not see or that is not there: the store's 404. */
export function notFound(code: "TASK_NOT_FOUND" | "PLAN_NOT_FOUND"): ApiError {
  return fromStoreError(new StoreError(code));
}

// Fastify's and @fastify/multipart's own errors, by code, as ours.
const FRAMEWORK_ERRORS: Readonly<Record<string, ServerErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_REQUEST",
  FST_ERR_CTP_EMPTY_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
  FST_ERR_BAD_URL: "BAD_REQUEST",
  FST_ERR_NOT_FOUND: "ROUTE_NOT_FOUND",
  FST_REQ_FILE_TOO_LARGE: "FILE_TOO_LARGE",
  FST_PARTS_LIMIT: "BODY_TOO_LARGE",
  FST_FILES_LIMIT: "BODY_TOO_LARGE",
  FST_FIELDS_LIMIT: "BODY_TOO_LARGE",
  FST_PROTO_VIOLATION: "BAD_REQUEST",
  FST_INVALID_MULTIPART_CONTENT_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_INVALID_JSON_FIELD_ERROR: "BAD_REQUEST",
  FST_MP_PREMATURE_CLOSE: "BAD_REQUEST",
};

/**
 * SQLSTATEs of the database refusing a value the request carried (a number beyond an integer
 * column, a date or text it cannot hold): the request's fault, told as a validation failure.
 * Other data exceptions (a division by zero) stay program errors.
 */
const DATABASE_VALUE_ERRORS: ReadonlySet<string> = new Set(["22001", "22003", "22007", "22008", "22021", "22P02", "22P05"]);

/** busboy's errors for a truncated or malformed form carry no code, only these messages. */
const MULTIPART_PARSE_ERROR = /^(?:Unexpected end of multipart data|(?:Part|Preamble) terminated early due to unexpected end of multipart data|Multipart: Boundary not found)$/;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  const status = (error as { statusCode: unknown }).statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * What the client is told about `error`. An error this function does not recognise is an
 * INTERNAL_ERROR: the caller logs the original.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreError) return fromStoreError(error);
  // A connection lost in the middle of a request arrives as the driver's error.
  const connection = classifyConnectionError(error);
  if (connection) return fromStoreError(connection);
  const code = codeOf(error);
  const framework = code === undefined ? undefined : FRAMEWORK_ERRORS[code];
  if (framework) return apiError(framework, { cause: error });
  if (code !== undefined && DATABASE_VALUE_ERRORS.has(code)) {
    return apiError("VALIDATION_FAILED", { message: "提交的内容中有超出范围或无法保存的值,请检查数字、日期和文字后重新提交。", cause: error });
  }
  if (code === undefined && error instanceof Error && MULTIPART_PARSE_ERROR.test(error.message)) {
    return apiError("BAD_REQUEST", { message: "上传的表单不完整或格式不正确,请重新选择文件上传。", cause: error });
  }
  // Another 4xx from the framework or a plugin (a malformed header, a bad range): the client's
  // request, told generically, since its English message is not for a clerk.
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500) return new ApiError("BAD_REQUEST", { ...SERVER_ERRORS.BAD_REQUEST, status }, { cause: error });
  return apiError("INTERNAL_ERROR", { cause: error });
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; fix: string };
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { code: error.code, message: error.message, fix: error.fix } };
}
