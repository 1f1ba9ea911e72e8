// @taizhang/server: the ledger's REST API. buildApp assembles it over an open, migrated
// database (tests inject requests into it); serve opens the store and listens.
export { API_PREFIX, DOCS_PREFIX, buildApp, type AppOptions } from "./app.js";
export { DEFAULT_HOST, DEFAULT_PORT, ServeConfigError, serve, serveOptionsFromEnv, type RunningServer, type ServeOptions } from "./serve.js";
export { ApiError, SERVER_ERRORS, errorCatalogue, type CatalogueEntry, type ErrorBody } from "./errors.js";
export { DEFAULT_SCRYPT, TEST_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from "./passwords.js";
export { CSRF_HEADER, SESSION_COOKIE } from "./auth.js";
export { API_ACTIONS, IDEMPOTENCY_HEADER } from "./routes/workflow-routes.js";
export {
  DEFAULT_INTERVAL_MS,
  REDELIVERY_POLICY,
  RUN_RETRY_POLICY,
  createScheduler,
  dueNotices,
  type DeliverResult,
  type DueNotice,
  type RecordResult,
  type Scheduler,
  type SchedulerOptions,
  type TickResult,
} from "./scheduler.js";
export { DEMO_ACCOUNTS, DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_SEEDS_DIR, seedDemo, shiftPastToday, type DemoAccount, type DemoOptions, type DemoOutcome } from "./demo.js";
export { RESERVED_SHEET_NAMES, SECTION_FILL, addTableSheet, newWorkbook, sheetName, workbookBytes, type SheetColumn, type TableSheet } from "./workbook.js";
export { loadBulletin, type BulletinData, type BulletinRequest } from "./documents/bulletin-source.js";
export { bulletinText, type BulletinText, type WordingOptions } from "./documents/bulletin-wording.js";
export { DOCX_TYPE, bulletinDocx } from "./documents/bulletin-docx.js";
export { XLSX_TYPE, bulletinXlsx } from "./documents/bulletin-xlsx.js";
export { assessmentXlsx, scoreLine } from "./documents/assessment-xlsx.js";
