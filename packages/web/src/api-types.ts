// The API's records as the browser receives them (JSON: instants are ISO strings, calendar days
// "YYYY-MM-DD"). They follow packages/server/src/schemas.ts and the API contract; GET
// /api/docs/json on a running server is the reference when in doubt.

export type Role = "admin" | "leader" | "reporter";
export type Light = "green" | "yellow" | "red" | "grey";
export type TaskStatus = "待交办" | "已交办" | "已签收" | "办理中" | "待审核" | "已办结" | "中止";
export type ReportStatus = "正常推进" | "进度滞后" | "已完成";
export type ReviewState = "待审核" | "已通过" | "已退回";
export type ExtensionState = "待审批" | "已批准" | "已驳回" | "已撤回";
export type UnitKind = "科室" | "直属单位" | "县区教育局" | "学校" | "其他";
export type UnitRole = "牵头" | "配合" | "责任";
export type KpiDirection = "at_least" | "at_most" | "within";
/** "YYYY-MM-DD" */
export type IsoDate = string;
/** ISO 8601 instant */
export type Instant = string;

export interface User {
  id: number;
  organisationId?: number;
  unitId: number | null;
  login: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt?: Instant;
}

export interface Session {
  user: User;
  unitName: string | null;
  csrfToken: string;
  expiresAt: Instant;
}

export interface Unit {
  id: number;
  parentId: number | null;
  name: string;
  kind: UnitKind;
  aliases: string[];
  sortOrder?: number;
}

export interface UnitNode extends Unit {
  children: UnitNode[];
}

export interface PlanVersion {
  id: number;
  planId: number;
  version: number;
  title: string;
  issuer: string | null;
  docNumber: string | null;
  year: number | null;
  date: IsoDate | null;
  sourceName: string;
  sourceHash: string;
  format: string;
  bodyStart: number;
  bodyEnd: number;
  status: string;
  createdBy: number | null;
  createdAt: Instant;
}

export interface Section {
  id: number;
  ordinal: number;
  /** "二" or "二.3" */
  path: string;
  title: string;
  start: number;
  end: number;
  line: number;
}

export interface PlanDetail {
  id: number;
  sourceName: string;
  part: number;
  current: PlanVersion;
  versions: PlanVersion[];
  sections: Section[];
  taskCount: number;
}

export interface LightReason {
  code: string;
  message: string;
  period?: string;
}

export interface LightResult {
  light: Light;
  reasons: LightReason[];
}

export interface TaskUnit {
  unitId: number | null;
  name: string;
  role: UnitRole | string;
}

/** A row of the ledger (GET /api/tasks), with its computed light. */
export interface LedgerRow {
  id: number;
  planId: number;
  planTitle: string;
  sectionPath: string | null;
  sectionTitle: string | null;
  ordinal: number;
  number: string;
  path: string;
  title: string;
  measures: number;
  status: TaskStatus;
  dueDate: IsoDate | null;
  nextMilestone: IsoDate | null;
  leadUnitId: number | null;
  units: TaskUnit[];
  kpiCount: number;
  /** Optimistic lock: every change sends back the version it saw. */
  version: number;
  updatedAt: Instant;
  dispatchedAt: Instant | null;
  signedAt: Instant | null;
  closedAt: Instant | null;
  stoppedAt: Instant | null;
  stopReason: string | null;
  light: LightResult;
}

export interface TaskPage {
  items: LedgerRow[];
  limit: number;
  offset: number;
  hasMore: boolean;
}

export interface TaskFilters {
  plan?: number;
  unit?: number;
  /** Tasks the unit leads (the cockpit counts by lead unit). */
  lead_unit?: number;
  status?: TaskStatus;
  light?: Light;
  /** A section path ("二" or "二.3"), with plan. */
  section?: string;
  /** Text in the title or number. */
  q?: string;
  due_before?: IsoDate;
  due_after?: IsoDate;
}

export interface EvidenceRef {
  id: number;
  fileName: string;
  size: number;
  mime: string;
}

export interface Evidence extends EvidenceRef {
  taskId: number;
  reportId: number | null;
  hash: string;
  uploadedBy: number;
  createdAt: Instant;
}

export interface KpiValue {
  kpiId: number;
  value: number;
}

export interface Report {
  id: number;
  taskId: number;
  period: string;
  periodEnd: IsoDate;
  status: ReportStatus;
  percent: number;
  narrative: string;
  submittedBy: number;
  submittedAt: Instant;
  reviewState: ReviewState;
  reviewedBy?: number | null;
  reviewedAt?: Instant | null;
  reviewNote?: string | null;
  /** The completion report (申请销号). */
  final?: boolean;
  evidence?: EvidenceRef[];
  kpiValues?: KpiValue[];
}

export interface KpiActual {
  reportId: number;
  period: string;
  periodEnd: IsoDate;
  value: number;
  submittedAt: Instant;
  reviewState: ReviewState;
}

export interface Kpi {
  id: number;
  quote: string;
  value: number;
  valueMax: number | null;
  unit: string;
  bound: string;
  direction: KpiDirection;
  start: number | null;
  end: number | null;
  actuals?: KpiActual[];
  /** The latest accepted-or-pending value. */
  latest?: number | null;
  /** Latest against target, direction taken into account: 1 = met. */
  attainment?: number | null;
}

export interface Milestone {
  id: number;
  dueDate: IsoDate;
  quote: string;
  start: number | null;
  end: number | null;
  completedAt: Instant | null;
}

export interface Extension {
  id?: number;
  requestedAt: Instant;
  requestedDate: IsoDate;
  previousDueDate: IsoDate;
  reason: string;
  state: ExtensionState;
  decidedAt?: Instant | null;
  decisionNote?: string | null;
}

export type Cadence = { kind: "weekly" | "monthly" | "bimonthly" | "quarterly" } | { kind: "custom"; dates: IsoDate[] };

export interface Period {
  /** What a report is filed under: "2025-03", "2025-Q2", … */
  id: string;
  label: string;
  start: IsoDate;
  end: IsoDate;
  due: IsoDate;
}

export interface Lateness {
  everRed: boolean;
  redDays: number;
  redSpans: { start: IsoDate; end: IsoDate; days: number }[];
  overdueDays: number;
  latePeriods: { period: string; label: string; due: IsoDate; daysLate: number }[];
}

export interface TaskDetail extends LedgerRow {
  planVersionId: number;
  previousTaskId: number | null;
  start: number;
  end: number;
  line: number;
  titleStart: number;
  titleEnd: number;
  /** The task's text in the plan's source (start–end). */
  quote: string;
  unitRefs: (TaskUnit & { start: number | null; end: number | null })[];
  milestones: Milestone[];
  kpis: Kpi[];
  reports: Report[];
  extensions: Extension[];
  cadence: Cadence | null;
  periods: Period[];
  lateness?: Lateness;
}

export interface TaskEventSummary {
  type: string;
  at: Instant;
  from: string;
  to: string;
  version: number;
}

export interface ActionResult {
  task: LedgerRow;
  events: TaskEventSummary[];
}

export type TaskAction =
  | { type: "dispatch"; leadUnitId?: number; dueDate?: IsoDate; coUnitIds?: number[]; cadence?: Cadence }
  | { type: "sign" | "start" | "close" | "withdraw_extension" }
  | { type: "accept_report"; period: string }
  | { type: "return_report"; period: string; reason: string }
  | { type: "stop"; reason: string }
  | { type: "request_extension"; dueDate: IsoDate; reason: string }
  | { type: "approve_extension"; note?: string }
  | { type: "reject_extension"; reason: string };
export type TaskActionType = TaskAction["type"];

export interface NewReport {
  period: string;
  periodEnd?: IsoDate;
  status: ReportStatus;
  percent: number;
  narrative?: string;
  kpiValues?: KpiValue[];
  evidenceIds?: number[];
  version?: number;
}

export interface ReportResult {
  report: Report;
  /** false: a retry with the same Idempotency-Key; this is the report the first one made. */
  created: boolean;
  task: LedgerRow;
}

export interface Comment {
  id: number;
  taskId: number;
  reportId: number | null;
  authorId: number;
  authorName: string;
  body: string;
  createdAt: Instant;
}

export interface AuditRecord {
  id: number;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: number | null;
  before: unknown;
  after: unknown;
  at: Instant;
}

/** A task as the review queue names it. */
export interface ReviewTaskRef {
  id: number;
  number: string;
  title: string;
  planId: number;
  planTitle: string;
  status: TaskStatus;
  dueDate: IsoDate | null;
  units: TaskUnit[];
  version: number;
}

export interface PendingExtension {
  id: number;
  requestedAt: Instant;
  requestedBy: number;
  requestedDate: IsoDate;
  previousDueDate: IsoDate | null;
  reason: string;
  state: ExtensionState;
}

export interface ReviewQueue {
  reports: { report: Report; task: ReviewTaskRef }[];
  extensions: { extension: PendingExtension; task: ReviewTaskRef }[];
}

export interface LightCounts {
  tasks: number;
  closed: number;
  green: number;
  yellow: number;
  red: number;
  grey: number;
  /** Lights not yet worked out for today (a task edited while counting). */
  unknown?: number;
}

export interface Cockpit {
  asOf: Instant;
  totals: LightCounts;
  /** By lead unit; unitId null: tasks whose lead unit is not (yet) one of the tree. */
  byUnit: (LightCounts & { unitId: number | null; name: string })[];
  bySection: (LightCounts & { planId: number; sectionPath: string; sectionTitle: string })[];
  byPlan: (LightCounts & { planId: number; title: string; firstDue: IsoDate | null; lastDue: IsoDate | null })[];
  red: LedgerRow[];
  dueCalendar: { date: IsoDate; count: number }[];
  kpis: {
    taskId: number;
    taskNumber: string;
    taskTitle: string;
    kpiId: number;
    quote: string;
    target: number;
    targetMax?: number | null;
    unit: string;
    direction: KpiDirection;
    latest: number | null;
    attainment: number | null;
  }[];
}

/** A span of the plan's source text: UTF-16 offsets, as JavaScript strings index. */
export interface SourceSpan {
  start: number;
  end: number;
}

export interface PlanUnitRef extends SourceSpan {
  name: string;
  lead: boolean;
  via: "note" | "sentence" | "column" | "block";
  /** The unit of the tree the office chose for this name (confirm only; wins over matching the name). */
  unitId?: number | null;
}

export interface PlanDeadline extends SourceSpan {
  quote: string;
  date: IsoDate;
}

export interface PlanTarget extends SourceSpan {
  quote: string;
  value: number;
  value_max?: number;
  unit: string;
  bound: "floor" | "ceiling" | "range" | "level";
}

export interface PlanTaskJson extends SourceSpan {
  /** Section numbers and own number joined by "/": "二/4". */
  path: string;
  number: string;
  title: string;
  measures: number;
  units: string[];
  lead_units: string[];
  deadlines: PlanDeadline[];
  targets: PlanTarget[];
  line: number;
  title_start: number;
  title_end: number;
  unit_refs: PlanUnitRef[];
}

/** The core extractor's Plan JSON (../shared/gold/SCHEMA.md, server schemas.ts planJsonSchema). */
export interface PlanJson extends SourceSpan {
  source: string;
  part: number;
  title: string;
  issuer: string | null;
  doc_number: string | null;
  year: number | null;
  date: IsoDate | null;
  sections: (SourceSpan & { path: string; title: string; line: number })[];
  tasks: PlanTaskJson[];
}

export interface PlanDiagnostic {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  place?: SourceSpan & { line: number; column: number };
}

export interface PlanPreview {
  fileName: string;
  /** text, docx, pdf, html, xlsx or csv: sent back with the confirm. */
  format: string;
  /** The text every offset of the plans points into. */
  source: string;
  sha256: string;
  plans: PlanJson[];
  diagnostics: PlanDiagnostic[];
  /** Each unit name the plans write, with the unit of the tree it matches (null: none). */
  units: { name: string; unitId: number | null }[];
}

export interface PlanConfirmation {
  fileName: string;
  sha256: string;
  source: string;
  format?: string;
  plans: PlanJson[];
}

/** What an import (or a confirm) stored, for the office to review. */
export interface ImportSummary {
  source: string;
  format: string;
  encoding?: string | null;
  sourceHash?: string;
  plans: {
    planId: number;
    versionId: number;
    version: number;
    title: string;
    sections: number;
    tasks: number;
    taskUnits: number;
    milestones: number;
    kpis: number;
    unmatchedUnitNames: string[];
  }[];
  taskCount: number;
  unmatchedUnitNames: string[];
  diagnostics: PlanDiagnostic[];
}

// ---- supervision: notices, 督办单, channels (packages/server/src/routes/notice-routes.ts) ----

export type NoticeKind = "due_reminder" | "period_reminder" | "overdue" | "escalation_leader" | "escalation_office";
export type NoticeAudience = "unit" | "unit_leader" | "office";

/** A message of the signed-in user's message centre (站内消息). */
export interface Notification {
  id: number;
  taskId: number;
  kind: NoticeKind;
  audience: NoticeAudience;
  stage?: string;
  title: string;
  body: string;
  dueDate?: IsoDate;
  period?: { id: string; label: string } | null;
  overdueDays?: number;
  supervisionNumber?: string | null;
  createdAt: Instant;
  readAt: Instant | null;
}

export interface NotificationPage {
  items: Notification[];
  unread: number;
  limit: number;
  offset: number;
  hasMore: boolean;
}

/** unit_leader: sent to the lead unit's head; office: issued by the 督查室. */
export type SupervisionLevel = "unit_leader" | "office";

export interface SupervisionNoticeSummary {
  id: number;
  /** "督办〔2025〕第N号" */
  number: string;
  year?: number;
  sequence?: number;
  level: SupervisionLevel;
  taskId: number;
  taskNumber?: string | null;
  taskTitle: string;
  leadUnit?: string;
  coUnits?: string[];
  dueDate?: IsoDate;
  period?: string | null;
  overdueDays?: number;
  issuedOn: IsoDate;
  replyBy: IsoDate;
  createdAt?: Instant;
}

export interface SupervisionNoticePage {
  items: SupervisionNoticeSummary[];
  limit: number;
  offset: number;
  hasMore: boolean;
}

export interface SupervisionNoticeDetail extends SupervisionNoticeSummary {
  title?: string;
  body?: string;
  units?: { lead?: { id?: string; name?: string }; co?: { id?: string; name?: string }[] };
  /** 督办要求 */
  requirement: string;
  /** The 督办单 line by line, as printed. */
  lines: string[];
}

export type ChannelKind = "smtp" | "dingtalk" | "wecom" | "webhook";

/** smtp: host…to; dingtalk: url, secret; wecom, webhook: url. Secrets come back as "******". */
export interface ChannelSettings {
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string | null;
  pass?: string | null;
  from?: string;
  to?: string[];
  url?: string;
  secret?: string | null;
}

export interface Channel {
  id: number;
  name: string;
  kind: ChannelKind;
  settings: ChannelSettings;
  audiences: NoticeAudience[];
  enabled: boolean;
  createdAt?: Instant;
  updatedAt?: Instant;
}

export interface NewChannel {
  name: string;
  kind: ChannelKind;
  settings: ChannelSettings;
  audiences?: NoticeAudience[];
  enabled?: boolean;
}

export type ChannelPatch = Partial<Omit<NewChannel, "kind">>;

export interface ChannelTestResult {
  ok: boolean;
  code?: string | null;
  message?: string | null;
  detail?: string | null;
}

// ---- 通报 and 考核 (packages/server/src/routes/bulletin-routes.ts) ----

export interface BulletinPeriodInfo {
  /** "2026-10", "2026-Q3", "2026" */
  id: string;
  kind: "month" | "quarter" | "year" | "range";
  label: string;
  start: IsoDate;
  end: IsoDate;
}

export interface BulletinTaskRef {
  id: number;
  number: string;
  title: string;
  planTitle: string;
}

export interface MeasureSummary {
  numerator: number;
  denominator: number;
  /** 0–1; null when there is nothing to count. */
  rate: number | null;
}

export type MeasureKey = "closeRate" | "onTimeRate" | "kpiAttainment" | "reportTimeliness";

export interface BulletinRedItem {
  task: BulletinTaskRef;
  unitId: number | null;
  unitName: string;
  reasons: LightReason[];
}

export interface UnitStanding {
  unitId: number | null;
  name: string;
  tasks: number;
  closed: number;
  closedInPeriod: number;
  closedOnTime: number;
  overdueOpen: number;
  red: number;
  measures: Record<MeasureKey, MeasureSummary>;
  redItems: BulletinRedItem[];
  /** null: tasks without a lead unit of the tree (not ranked). */
  rank: number | null;
}

export interface BulletinText {
  issuer: string;
  docNumber: string;
  title: string;
  titleLines: string[];
  salutation: string;
  opening: string;
  headings: { overall: string; units: string; problems: string; next: string };
  overall: string[];
  unitsIntro: string;
  problemsIntro: string;
  problems: { unit: string; heading: string; items: string[] }[];
  requirements: string[];
  notes: string[];
  signature: string;
  date: string;
}

export interface Bulletin {
  organisation: string;
  period: BulletinPeriodInfo;
  cutOff: Instant;
  issuedOn: IsoDate;
  text: BulletinText;
  /** By rank; tasks without a lead unit last. */
  units: UnitStanding[];
  totals: UnitStanding;
  stopped: BulletinTaskRef[];
}

export interface EvidenceItem {
  task: BulletinTaskRef;
  ref: string | null;
  counted: boolean;
  value: number;
  note: string;
}

export interface AssessedIndicator {
  key: string;
  label: string;
  weight: number;
  appliedWeight: number;
  rate: number | null;
  points: number | null;
  measure: MeasureSummary & { items: EvidenceItem[]; excluded: EvidenceItem[] };
}

export interface AssessedUnit {
  unitId: number;
  name: string;
  score: number | null;
  rank: number | null;
  indicators: AssessedIndicator[];
}

export interface Assessment {
  organisation: string;
  period: BulletinPeriodInfo;
  cutOff: Instant;
  model: { indicators: { key: string; weight: number }[]; fullMarks: number };
  units: AssessedUnit[];
}
