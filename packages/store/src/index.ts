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
export { MIGRATIONS, appliedMigrations, migrate, type MigrateOptions, type Migration, type MigrationResult } from "./migrations.js";
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
export { createUser, findLogin, getUser, listUsers, setDisabled, setPassword, type AccountChange, type NewUser, type User } from "./users.js";
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
  getTaskAccess,
  listTasks,
  updateTask,
  type Kpi,
  type KpiActual,
  type CachedLedgerRow,
  type LedgerQuery,
  type LedgerRow,
  type Milestone,
  type TaskChanges,
  type TaskAccess,
  type TaskDetail,
  type TaskUnit,
  type UpdateTaskInput,
} from "./tasks.js";
export type { TaskScope } from "./task-scope.js";
export { cockpitCounts, type Cockpit, type KpiStanding, type LightCounts, type PlanCounts, type SectionCounts, type UnitCounts } from "./cockpit.js";
export { listTaskKpis, type KpiValueRecord, type TaskKpi } from "./kpi-standing.js";
export { MAX_QUEUE, reviewQueue, type PendingExtension, type ReviewQueue, type ReviewTask } from "./reviews.js";
export {
  lastLightRefresh,
  lockLightRefresh,
  markLightsRefreshed,
  refreshHorizon,
  saveLights,
  staleLightTaskIds,
  type CachedLight,
  type ComputedLight,
  type LightKey,
} from "./light-cache.js";
export { listReportDetails, listReports, submitReport, type Report, type ReportDetail, type SubmitReportInput } from "./reports.js";
export { getPlanCadence, replaceTaskCadence, setPlanCadence, setTaskCadence, type SetPlanCadenceInput, type SetTaskCadenceInput } from "./cadences.js";
export { addComment, listComments, type AddCommentInput, type Comment, type CommentRefusal } from "./comments.js";
export {
  addEvidence,
  evidenceLinkProblems,
  getEvidence,
  listEvidence,
  readEvidenceBytes,
  type AddEvidenceInput,
  type Evidence,
  type EvidenceLinkProblems,
} from "./evidence.js";
export {
  applyWorkflow,
  findReportByKey,
  loadWorkflowTasks,
  lockTask,
  replaceCoUnits,
  type ApplyWorkflowInput,
  type ExtensionRequestRecord,
  type ReplaceCoUnitsInput,
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
export {
  claimDeliveries,
  countDueDeliveries,
  createChannel,
  finishDelivery,
  getChannel,
  getSupervisionNotice,
  listChannels,
  listDeliveries,
  listNotices,
  listNotifications,
  listSupervisionNotices,
  markNoticeRead,
  noticeRecipients,
  recordDeliveryAttempt,
  recordNotice,
  recordedNoticeKeys,
  supervisedTaskIds,
  taskHeadings,
  updateChannel,
  type Channel,
  type ChannelChanges,
  type ClaimedDelivery,
  type DeliveryAttemptInput,
  type DeliveryOutcome,
  type DeliveryRecord,
  type NewChannel,
  type Notice,
  type NoticeInput,
  type Notification,
} from "./notices.js";
export * from "./schema-types.js";
