// Kysely's view of the tables created by the migrations: snake_case, as in SQL. Repositories map
// these rows to camelCase records (one mapper per row type). Keep in step with migrations/.
//
// Value conventions, the same on both engines (database.ts sets the parsers): `date` columns are
// ISO strings ("2024-07-31"), `timestamptz` columns are Date, jsonb is parsed, bytea is bytes.
import type { ColumnType, Generated } from "kysely";

/** An instant: read as Date, written as Date or ISO string; these columns default to now(). */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A calendar day, ISO "YYYY-MM-DD". */
type Day = string;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** jsonb is written as JSON text: pg would turn a JS array into a PostgreSQL array literal. */
type Json = ColumnType<JsonValue | null, string | null | undefined, string | null>;

export const UNIT_KINDS = ["科室", "直属单位", "县区教育局", "学校", "其他"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const USER_ROLES = ["admin", "leader", "reporter"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PLAN_STATUSES = ["草稿", "已确认"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const TASK_STATUSES = ["待交办", "已交办", "已签收", "办理中", "待审核", "已办结", "中止"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** 责任: named as responsible, with no lead/co-responsible distinction written in the plan. */
export const UNIT_ROLES = ["牵头", "配合", "责任"] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

/** How a unit came to a task: the extractor's `via`, or by hand. */
export type UnitVia = "note" | "sentence" | "column" | "block" | "manual";

export type TargetBound = "floor" | "ceiling" | "range" | "level";
export const KPI_DIRECTIONS = ["at_least", "at_most", "within"] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

export const CADENCE_KINDS = ["weekly", "monthly", "bimonthly", "quarterly", "custom"] as const;
export type CadenceKind = (typeof CADENCE_KINDS)[number];

export const REPORT_STATUSES = ["正常推进", "进度滞后", "已完成"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REVIEW_STATES = ["待审核", "已通过", "已退回"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const EXTENSION_STATES = ["待审批", "已批准", "已驳回", "已撤回"] as const;
export type ExtensionState = (typeof EXTENSION_STATES)[number];

export interface OrganisationsTable {
  id: Generated<number>;
  name: string;
  created_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface UnitsTable {
  id: Generated<number>;
  organisation_id: number;
  parent_id: number | null;
  name: string;
  kind: UnitKind;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  sort_order: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface UsersTable {
  id: Generated<number>;
  organisation_id: number;
  unit_id: number | null;
  login: string;
  display_name: string;
  password_hash: string;
  role: UserRole;
  disabled: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface PlansTable {
  id: Generated<number>;
  organisation_id: number;
  source_name: string;
  part: Generated<number>;
  current_version_id: number | null;
  created_by: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface PlanVersionsTable {
  id: Generated<number>;
  plan_id: number;
  version: number;
  title: string;
  issuer: string | null;
  doc_number: string | null;
  year: number | null;
  date: Day | null;
  source_name: string;
  source_text: string;
  source_hash: string;
  format: string;
  body_start: number;
  body_end: number;
  status: ColumnType<PlanStatus, PlanStatus | undefined, PlanStatus>;
  confirmed_by: number | null;
  confirmed_at: NullableTimestamp;
  created_by: number | null;
  created_at: DefaultTimestamp;
}

export interface SectionsTable {
  id: Generated<number>;
  plan_version_id: number;
  ordinal: number;
  path: string;
  title: string;
  start_offset: number;
  end_offset: number;
  line: number;
}

export interface TasksTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  plan_version_id: number;
  section_id: number | null;
  previous_task_id: number | null;
  ordinal: number;
  number: string;
  path: string;
  title: string;
  measures: number;
  start_offset: number;
  end_offset: number;
  line: number;
  title_start: number;
  title_end: number;
  lead_unit_id: number | null;
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  due_date: Day | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
  /** The workflow's instants (0003), stamped with the app's clock. */
  dispatched_at: NullableTimestamp;
  signed_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  stopped_at: NullableTimestamp;
  stop_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TaskUnitsTable {
  id: Generated<number>;
  task_id: number;
  unit_id: number | null;
  name: string;
  role: UnitRole;
  via: UnitVia;
  start_offset: number | null;
  end_offset: number | null;
  created_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface MilestonesTable {
  id: Generated<number>;
  task_id: number;
  due_date: Day;
  quote: string;
  start_offset: number | null;
  end_offset: number | null;
  completed_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface KpisTable {
  id: Generated<number>;
  task_id: number;
  quote: string;
  value: number;
  value_max: number | null;
  unit: string;
  bound: TargetBound;
  direction: KpiDirection;
  start_offset: number | null;
  end_offset: number | null;
  created_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface CadencesTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number | null;
  task_id: number | null;
  kind: CadenceKind;
  custom_dates: ColumnType<Day[], Day[] | undefined, Day[]>;
  grace_days: Generated<number>;
  created_by: number | null;
  created_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface ReportsTable {
  id: Generated<number>;
  task_id: number;
  period: string;
  period_end: Day;
  status: ReportStatus;
  percent: number;
  narrative: Generated<string>;
  submitted_by: number;
  submitted_at: DefaultTimestamp;
  idempotency_key: string;
  review_state: ColumnType<ReviewState, ReviewState | undefined, ReviewState>;
  reviewed_by: number | null;
  reviewed_at: NullableTimestamp;
  review_note: string | null;
  /** The completion report (申请销号), core's `final` (0003). */
  final: Generated<boolean>;
}

export interface KpiValuesTable {
  id: Generated<number>;
  report_id: number;
  kpi_id: number;
  value: number;
}

export interface EvidenceBlobsTable {
  hash: string;
  bytes: Uint8Array;
  size: number;
  created_at: DefaultTimestamp;
}

export interface EvidenceTable {
  id: Generated<number>;
  task_id: number;
  report_id: number | null;
  hash: string;
  file_name: string;
  size: number;
  mime: string;
  uploaded_by: number;
  created_at: DefaultTimestamp;
  deleted_at: NullableTimestamp;
}

export interface CommentsTable {
  id: Generated<number>;
  task_id: number;
  report_id: number | null;
  author_id: number;
  body: string;
  created_at: DefaultTimestamp;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
}

export interface ExtensionRequestsTable {
  id: Generated<number>;
  task_id: number;
  requested_by: number;
  current_due_date: Day | null;
  requested_date: Day;
  reason: string;
  state: ColumnType<ExtensionState, ExtensionState | undefined, ExtensionState>;
  decided_by: number | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  created_at: DefaultTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  organisation_id: number | null;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  before: Json;
  after: Json;
  at: DefaultTimestamp;
}

/** Lights as core computed them for one task version, bureau day and settings (a cache). */
export interface TaskLightsTable {
  task_id: number;
  organisation_id: number;
  task_version: number;
  day: Day;
  settings_key: string;
  light: "green" | "yellow" | "red" | "grey";
  reasons: Json;
  computed_at: DefaultTimestamp;
}

/** The last full refresh of an organisation's remembered lights (see light-cache.ts). */
export interface LightRefreshesTable {
  id: Generated<number>;
  organisation_id: number;
  settings_key: string;
  day: Day;
  since: Date;
}

export const NOTICE_KINDS = ["due_reminder", "period_reminder", "overdue", "escalation_leader", "escalation_office"] as const;
export type NoticeKindColumn = (typeof NOTICE_KINDS)[number];
export const NOTICE_AUDIENCES = ["unit", "unit_leader", "office"] as const;
export type NoticeAudienceColumn = (typeof NOTICE_AUDIENCES)[number];
export const CHANNEL_KINDS = ["smtp", "dingtalk", "wecom", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const DELIVERY_STATES = ["pending", "sent", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A reminder, 催办 or escalation the scheduler recorded (0005); one per dedupe key. */
export interface NoticesTable {
  id: Generated<number>;
  organisation_id: number;
  task_id: number;
  kind: NoticeKindColumn;
  audience: NoticeAudienceColumn;
  stage: string;
  dedupe_key: string;
  unit_ids: ColumnType<number[], number[] | undefined, number[]>;
  due_date: Day;
  period: string | null;
  period_label: string | null;
  overdue_days: number;
  title: string;
  body: string;
  /** The 督办单 as drafted (core's SupervisionNoticeDraft), on escalations. */
  supervision: Json;
  supervision_year: number | null;
  supervision_number: number | null;
  created_at: DefaultTimestamp;
}

export interface NoticeReadsTable {
  id: Generated<number>;
  notice_id: number;
  user_id: number;
  read_at: DefaultTimestamp;
}

export interface DeliveryChannelsTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  kind: ChannelKind;
  /** Secrets included: never returned in full by the API. */
  settings: Json;
  audiences: ColumnType<NoticeAudienceColumn[], NoticeAudienceColumn[] | undefined, NoticeAudienceColumn[]>;
  enabled: Generated<boolean>;
  created_by: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface DeliveriesTable {
  id: Generated<number>;
  organisation_id: number;
  notice_id: number;
  channel_id: number;
  state: ColumnType<DeliveryState, DeliveryState | undefined, DeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: DefaultTimestamp;
  leased_by: string | null;
  leased_until: NullableTimestamp;
  last_code: string | null;
  last_message: string | null;
  sent_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  instance: string;
  started_at: ColumnType<Date, Date | string, Date | string>;
  finished_at: ColumnType<Date, Date | string, Date | string>;
  ok: boolean;
  code: string | null;
  message: string | null;
  detail: string | null;
  retryable: boolean | null;
}

/** The last 督办单 number given per organisation and year. */
export interface SupervisionSequencesTable {
  id: Generated<number>;
  organisation_id: number;
  year: number;
  last_number: number;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: DefaultTimestamp;
}

export interface Database {
  organisations: OrganisationsTable;
  units: UnitsTable;
  users: UsersTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  sections: SectionsTable;
  tasks: TasksTable;
  task_units: TaskUnitsTable;
  milestones: MilestonesTable;
  kpis: KpisTable;
  cadences: CadencesTable;
  reports: ReportsTable;
  kpi_values: KpiValuesTable;
  evidence_blobs: EvidenceBlobsTable;
  evidence: EvidenceTable;
  comments: CommentsTable;
  extension_requests: ExtensionRequestsTable;
  audit_log: AuditLogTable;
  task_lights: TaskLightsTable;
  light_refreshes: LightRefreshesTable;
  notices: NoticesTable;
  notice_reads: NoticeReadsTable;
  delivery_channels: DeliveryChannelsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  supervision_sequences: SupervisionSequencesTable;
  schema_migrations: SchemaMigrationsTable;
}
