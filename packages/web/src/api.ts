// The one way the browser talks to the API: same-origin fetch with the session cookie, the CSRF
// token on every change, and every refusal turned into an ApiError that carries the server's
// stable code and its Chinese message and fix (what the UI shows). A request whose session has
// ended (401 UNAUTHENTICATED) also tells the app, which goes back to the login page.
//
// No DOM here (only fetch, FormData, URLSearchParams): this module is also type-checked with the
// Node types of the repository's test configuration.
import type {
  ActionResult,
  Assessment,
  AuditRecord,
  Bulletin,
  Cadence,
  Channel,
  ChannelPatch,
  ChannelTestResult,
  Cockpit,
  Comment,
  Evidence,
  ImportSummary,
  LedgerRow,
  NewChannel,
  NewReport,
  NotificationPage,
  PlanConfirmation,
  PlanDetail,
  PlanPreview,
  PlanVersion,
  ReportResult,
  ReviewQueue,
  Session,
  SupervisionNoticeDetail,
  SupervisionNoticePage,
  TaskAction,
  TaskDetail,
  TaskFilters,
  TaskPage,
  UnitNode,
  User,
} from "./api-types.js";

/** A refusal or failure, as the clerk should read it. */
export class ApiError extends Error {
  constructor(
    /** The server's stable code (TASK_VERSION_CONFLICT), or NETWORK_ERROR / BAD_RESPONSE. */
    readonly code: string,
    message: string,
    /** How to put it right, when the server says. */
    readonly fix: string | undefined,
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const CSRF_HEADER = "X-CSRF-Token";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
const SAFE_METHODS = new Set(["GET", "HEAD"]);

let csrfToken: string | null = null;
let onSessionEnded: (() => void) | undefined;

/** The token from POST /api/login or GET /api/session; sent on every change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request finds the session gone (expired, signed out elsewhere). */
export function onUnauthenticated(handler: (() => void) | undefined): void {
  onSessionEnded = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as multipart/form-data (uploads). */
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** "?plan=1&light=red" from the set values; empty when none is set. */
export function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (!SAFE_METHODS.has(method) && csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
  let body: string | FormData | undefined;
  if (options.form !== undefined) body = options.form;
  else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(`${path}${queryString(options.query)}`, { method, headers, body, credentials: "same-origin", signal: options.signal });
  } catch (error) {
    if (error instanceof Error && error.name === "AbortError") throw error;
    throw new ApiError("NETWORK_ERROR", "无法连接服务器", "请检查网络连接后重试;如仍不行,请联系系统管理员。", 0);
  }
  if (response.status === 204) return undefined as T;
  const payload = await readPayload(response);
  if (response.ok) return payload as T;
  const error = toApiError(response.status, payload);
  if (error.code === "UNAUTHENTICATED") onSessionEnded?.();
  throw error;
}

async function readPayload(response: Response): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      return await response.json();
    } catch {
      return undefined;
    }
  }
  return response.text();
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = typeof payload === "object" && payload !== null && "error" in payload ? (payload as { error: unknown }).error : undefined;
  if (typeof error === "object" && error !== null && "code" in error && "message" in error) {
    const { code, message, fix } = error as { code: unknown; message: unknown; fix?: unknown };
    return new ApiError(String(code), String(message), typeof fix === "string" ? fix : undefined, status);
  }
  // Not our API's answer (a proxy's error page, a server being restarted).
  return new ApiError("BAD_RESPONSE", `服务器暂时无法处理请求(${status})`, "请稍后重试;如反复出现,请联系系统管理员。", status);
}

const get = <T>(path: string, query?: Query) => request<T>("GET", path, { query });
const post = <T>(path: string, json?: unknown, headers?: Record<string, string>) => request<T>("POST", path, { json: json ?? {}, headers });
const put = <T>(path: string, json: unknown) => request<T>("PUT", path, { json });
const patch = <T>(path: string, json: unknown) => request<T>("PATCH", path, { json });
const upload = <T>(path: string, file: Blob, fileName?: string) => {
  const form = new FormData();
  if (fileName === undefined) form.append("file", file);
  else form.append("file", file, fileName);
  return request<T>("POST", path, { form });
};

/** The ledger's filters as the API's query (also the export's). */
export function taskQuery(filters: TaskFilters, page?: { limit: number; offset: number }): Query {
  return { ...filters, ...page };
}

/** Where GET /api/tasks/export.xlsx gives the ledger, with the same filters, as 任务分解表. */
export function taskExportUrl(filters: TaskFilters): string {
  return `/api/tasks/export.xlsx${queryString(taskQuery(filters))}`;
}

/** Where the browser downloads an evidence file. */
export function evidenceUrl(id: number): string {
  return `/api/evidence/${id}`;
}

/** Where the browser downloads a period's 通报 (.docx, the document; .xlsx, its numbers). */
export function bulletinUrl(period: string, format: "docx" | "xlsx"): string {
  return `/api/bulletins/${encodeURIComponent(period)}/${format}`;
}

/** Where the browser downloads a period's 考核 score sheet. */
export function assessmentXlsxUrl(period: string): string {
  return `/api/assessment/${encodeURIComponent(period)}/xlsx`;
}

/** The API, one function per route. */
export const api = {
  session: {
    get: () => get<Session>("/api/session"),
    login: (login: string, password: string) => post<Session>("/api/login", { login, password }),
    logout: () => request<void>("POST", "/api/logout"),
  },
  units: {
    tree: () => get<UnitNode[]>("/api/units"),
  },
  users: {
    list: () => get<User[]>("/api/users"),
  },
  plans: {
    list: () => get<PlanVersion[]>("/api/plans"),
    get: (id: number) => get<PlanDetail>(`/api/plans/${id}`),
    source: (id: number, version?: number) => get<{ versionId: number; text: string }>(`/api/plans/${id}/source`, { version }),
    import: (file: Blob, fileName?: string) => upload<ImportSummary>("/api/plans/import", file, fileName),
    preview: (file: Blob, fileName?: string) => upload<PlanPreview>("/api/plans/preview", file, fileName),
    /** The previewed source and hash come back unchanged with the corrected plans. */
    confirm: (body: PlanConfirmation) => post<ImportSummary>("/api/plans/confirm", body),
    setCadence: (id: number, cadence: Cadence | null) => put<{ planId: number; cadence: Cadence | null }>(`/api/plans/${id}/cadence`, { cadence }),
  },
  tasks: {
    list: (filters: TaskFilters, page: { limit: number; offset: number }) => get<TaskPage>("/api/tasks", taskQuery(filters, page)),
    get: (id: number) => get<TaskDetail>(`/api/tasks/${id}`),
    edit: (id: number, body: { version: number; title?: string; dueDate?: string | null; leadUnitId?: number | null }) => patch<LedgerRow>(`/api/tasks/${id}`, body),
    act: (id: number, version: number, action: TaskAction) => post<ActionResult>(`/api/tasks/${id}/actions`, { ...action, version }),
    /** The key makes a retried or double-clicked submission one report. */
    report: (id: number, report: NewReport, idempotencyKey: string) => post<ReportResult>(`/api/tasks/${id}/reports`, report, { [IDEMPOTENCY_HEADER]: idempotencyKey }),
    setCadence: (id: number, version: number, cadence: Cadence | null) => put<LedgerRow>(`/api/tasks/${id}/cadence`, { version, cadence }),
    audit: (id: number) => get<AuditRecord[]>(`/api/tasks/${id}/audit`),
    comments: (id: number) => get<Comment[]>(`/api/tasks/${id}/comments`),
    comment: (id: number, body: string, reportId?: number) => post<Comment>(`/api/tasks/${id}/comments`, reportId === undefined ? { body } : { body, reportId }),
    evidence: (id: number) => get<Evidence[]>(`/api/tasks/${id}/evidence`),
    uploadEvidence: (id: number, file: Blob, fileName?: string) => upload<Evidence>(`/api/tasks/${id}/evidence`, file, fileName),
  },
  reviews: {
    pending: () => get<ReviewQueue>("/api/reviews"),
  },
  cockpit: {
    get: (plan?: number) => get<Cockpit>("/api/cockpit", { plan }),
  },
  notifications: {
    list: (page: { limit?: number; offset?: number; unread?: boolean } = {}) => get<NotificationPage>("/api/notifications", page),
    read: (id: number) => post<{ id: number; readAt: string }>(`/api/notifications/${id}/read`),
  },
  supervisionNotices: {
    list: (page: { limit: number; offset: number }) => get<SupervisionNoticePage>("/api/supervision-notices", page),
    get: (id: number) => get<SupervisionNoticeDetail>(`/api/supervision-notices/${id}`),
  },
  channels: {
    list: () => get<Channel[]>("/api/channels"),
    create: (body: NewChannel) => post<Channel>("/api/channels", body),
    edit: (id: number, body: ChannelPatch) => patch<Channel>(`/api/channels/${id}`, body),
    /** One attempt; the answer says whether it arrived, and why not. */
    test: (id: number) => post<ChannelTestResult>(`/api/channels/${id}/test`),
  },
  bulletins: {
    get: (period: string) => get<Bulletin>(`/api/bulletins/${encodeURIComponent(period)}`),
  },
  assessment: {
    get: (period: string) => get<Assessment>(`/api/assessment/${encodeURIComponent(period)}`),
  },
};
