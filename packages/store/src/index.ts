// @taizhang/store: the ledger's database. Open it, migrate it, and read and write it through
// the repositories below; each takes the database (or a transaction on it) first.
export {
  DEFAULT_DATA_DIR,
  MEMORY_DATA_DIR,
  createPGlite,
  inTransaction,
  openDatabase,
  optionsFromEnv,
  wrapPGlite,
  type DatabaseHandle,
  type Engine,
  type OpenOptions,
} from "./database.js";
export { PGliteDialect } from "./pglite-dialect.js";
export { MIGRATIONS, appliedMigrations, migrate, type Migration, type MigrationResult } from "./migrations.js";
export {
  STORE_ERRORS,
  StoreError,
  classifyConnectionError,
  isForeignKeyViolation,
  isUniqueViolation,
  type StoreErrorCode,
} from "./errors.js";
export { listAudit, listTaskAudit, writeAudit, type AuditEntry, type AuditRecord } from "./audit.js";
export { createOrganisation, getOrganisation, listOrganisations, type Organisation } from "./organisations.js";
export { buildUnitTree, createUnit, getUnit, listUnits, unitMatcher, type NewUnit, type Unit, type UnitNode } from "./units.js";
export { createUser, findLogin, getUser, listUsers, type NewUser, type User } from "./users.js";
export {
  archivePlan,
  getPlan,
  getPlanSource,
  importPlan,
  listPlans,
  planIdsOfUnit,
  type ImportPlanInput,
  type ImportPlanResult,
  type PlanDetail,
  type PlanSection,
  type PlanVersion,
} from "./plans.js";
export {
  DEFAULT_LEDGER_LIMIT,
  MAX_LEDGER_LIMIT,
  getTask,
  listTasks,
  updateTask,
  type Kpi,
  type LedgerQuery,
  type LedgerRow,
  type Milestone,
  type TaskChanges,
  type TaskDetail,
  type TaskUnit,
  type UpdateTaskInput,
} from "./tasks.js";
export { listReports, submitReport, type Report, type SubmitReportInput } from "./reports.js";
export {
  applyWorkflow,
  findReportByKey,
  loadWorkflowTasks,
  lockTask,
  type ApplyWorkflowInput,
  type ExtensionRequestRecord,
  type WorkflowCadence,
  type WorkflowEffect,
  type WorkflowTask,
} from "./workflow.js";
export {
  LOGIN_OUTCOMES,
  createSession,
  findSession,
  purgeSessions,
  recordLoginAttempt,
  revokeSession,
  settleLoginAttempt,
  touchSession,
  type LoginAttemptInput,
  type LoginOutcome,
  type NewSession,
  type Session,
  type SessionTables,
} from "./sessions.js";
export * from "./schema-types.js";
