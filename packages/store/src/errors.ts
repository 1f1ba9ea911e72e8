// The store's error catalogue: stable codes, a Chinese message the clerk can act on, and how to
// fix it. Driver errors (pg, PGlite, the file system) never reach a user as they are: they are
// classified here into a StoreError, with the original kept as `cause` for the log.

export const STORE_ERRORS = {
  DATA_DIR_NOT_WRITABLE: {
    message: "无法写入数据文件夹",
    fix: "请检查数据文件夹(TAIZHANG_DATA,默认 ./data)是否存在、可写,磁盘是否已满。",
  },
  DATA_DIR_IN_USE: {
    message: "数据文件夹正被另一个程序使用",
    fix: "同一个数据文件夹只能由一个程序打开:请先关闭正在运行的台账服务,或换一个数据文件夹。",
  },
  DATA_DIR_UNUSABLE: {
    message: "数据文件夹中的数据库无法打开",
    fix: "数据文件可能已损坏,或由不兼容的版本创建:请从备份恢复,或换一个空的数据文件夹。",
  },
  DATABASE_URL_INVALID: {
    message: "数据库地址格式不正确",
    fix: "DATABASE_URL 应形如 postgres://用户名:密码@主机:端口/数据库名。",
  },
  DATABASE_UNREACHABLE: {
    message: "无法连接数据库服务器",
    fix: "请确认 PostgreSQL 服务器已启动、地址和端口正确、网络可达。",
  },
  DATABASE_AUTH_FAILED: {
    message: "数据库拒绝登录",
    fix: "请检查 DATABASE_URL 中的用户名和密码,以及服务器的访问授权设置。",
  },
  DATABASE_NOT_FOUND: {
    message: "数据库服务器上没有这个数据库",
    fix: "请先在服务器上创建数据库,或检查 DATABASE_URL 中的数据库名。",
  },
  DATABASE_BUSY: {
    message: "数据库服务器暂时无法接受连接",
    fix: "服务器正在启动或连接数已满,请稍后重试。",
  },
  DATABASE_TOO_NEW: {
    message: "数据库由更新版本的台账程序创建",
    fix: "请升级台账程序后再打开这个数据库。",
  },
  MIGRATION_FAILED: {
    message: "数据库升级失败",
    fix: "数据库未做任何改动。请把日志交给系统管理员。",
  },
  ORGANISATION_NOT_FOUND: {
    message: "单位体系(教育局)不存在",
    fix: "请先创建教育局,再导入计划或添加单位。",
  },
  UNIT_NOT_FOUND: {
    message: "单位不存在",
    fix: "请刷新单位列表后重新选择。",
  },
  UNIT_NAME_TAKEN: {
    message: "已有同名单位",
    fix: "单位名称在本局内不能重复;可把其他写法加为别名。",
  },
  LOGIN_TAKEN: {
    message: "登录名已被使用",
    fix: "请换一个登录名。",
  },
  USER_NOT_FOUND: {
    message: "没有这个登录名的账号",
    fix: "请检查登录名;现有账号可在“用户”页面或 GET /api/users 查看。",
  },
  REPORTER_NEEDS_UNIT: {
    message: "报送员必须属于某个单位",
    fix: "请为报送员选择所属单位。",
  },
  PLAN_NOT_FOUND: {
    message: "计划不存在",
    fix: "请刷新计划列表。",
  },
  TASK_NOT_FOUND: {
    message: "任务不存在",
    fix: "请刷新台账。",
  },
  KPI_NOT_FOUND: {
    message: "指标不属于这项任务",
    fix: "请刷新任务后重新填写指标实际值。",
  },
  TASK_VERSION_CONFLICT: {
    message: "任务已被他人修改",
    fix: "请刷新后查看最新内容,再重新修改。",
  },
} as const satisfies Record<string, { message: string; fix: string }>;

export type StoreErrorCode = keyof typeof STORE_ERRORS;

/** An error the clerk may see: `message` is Chinese and safe to show; `cause` is for the log. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly fix: string;

  constructor(code: StoreErrorCode, options: { detail?: string; cause?: unknown } = {}) {
    const entry = STORE_ERRORS[code];
    super(options.detail ? `${entry.message}:${options.detail}` : entry.message, { cause: options.cause });
    this.name = "StoreError";
    this.code = code;
    this.fix = entry.fix;
  }
}

// SQLSTATE codes we act on (PostgreSQL Appendix A); PGlite reports the same ones.
const SQLSTATE = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  invalidPassword: "28P01",
  invalidAuthorization: "28000",
  invalidCatalogName: "3D000",
  cannotConnectNow: "57P03",
  adminShutdown: "57P01",
  tooManyConnections: "53300",
  connectionExceptionClass: "08",
} as const;

// Node's socket errors for a server that is not there or not answering.
const UNREACHABLE_ERRNOS = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ECONNRESET"]);
// File-system errors that mean "this folder cannot hold the data".
const NOT_WRITABLE_ERRNOS = new Set(["EACCES", "EPERM", "EROFS", "ENOSPC", "ENOTDIR", "EEXIST", "EISDIR", "EDQUOT"]);

function codeOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

function constraintOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "constraint" in error) {
    const constraint = (error as { constraint: unknown }).constraint;
    return typeof constraint === "string" ? constraint : undefined;
  }
  return undefined;
}

/** A connection-level failure from pg, as a StoreError; undefined when it is something else. */
export function classifyConnectionError(error: unknown): StoreError | undefined {
  if (error instanceof StoreError) return error;
  const code = codeOf(error);
  if (code === undefined) return undefined;
  if (UNREACHABLE_ERRNOS.has(code) || code.startsWith(SQLSTATE.connectionExceptionClass) || code === SQLSTATE.adminShutdown) {
    return new StoreError("DATABASE_UNREACHABLE", { cause: error });
  }
  if (code === SQLSTATE.invalidPassword || code === SQLSTATE.invalidAuthorization) return new StoreError("DATABASE_AUTH_FAILED", { cause: error });
  if (code === SQLSTATE.invalidCatalogName) return new StoreError("DATABASE_NOT_FOUND", { cause: error });
  if (code === SQLSTATE.cannotConnectNow || code === SQLSTATE.tooManyConnections) return new StoreError("DATABASE_BUSY", { cause: error });
  return undefined;
}

/** A file-system failure on the data folder, as a StoreError; undefined when it is something else. */
export function classifyDataDirError(error: unknown): StoreError | undefined {
  const code = codeOf(error);
  return code !== undefined && NOT_WRITABLE_ERRNOS.has(code) ? new StoreError("DATA_DIR_NOT_WRITABLE", { cause: error }) : undefined;
}

/** True for a unique-constraint violation (optionally of the named constraint), on either engine. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return codeOf(error) === SQLSTATE.uniqueViolation && (constraint === undefined || constraintOf(error) === constraint);
}

/** True for a foreign-key violation: a row points at an id that does not exist. */
export function isForeignKeyViolation(error: unknown): boolean {
  return codeOf(error) === SQLSTATE.foreignKeyViolation;
}
