// JSON schemas shared by the routes: what each record looks like on the wire. A response schema
// is also a filter: Fastify serializes only the properties listed here, so a field added to a
// store record (a password hash, a source text) never leaks by accident.
import { CADENCE_KINDS, KPI_DIRECTIONS, REPORT_STATUSES, REVIEW_STATES, TASK_STATUSES, UNIT_KINDS, USER_ROLES, EXTENSION_STATES } from "@taizhang/store";

const nullable = <T extends string>(type: T) => ({ type: [type, "null"] }) as const;

export const ID = { type: "integer", minimum: 1, maximum: 2_147_483_647 } as const;
export const DATE = { type: "string", format: "date" } as const;
export const INSTANT = { type: "string", format: "date-time" } as const;
const NULLABLE_DATE = { type: ["string", "null"], format: "date" } as const;
const NULLABLE_INSTANT = { type: ["string", "null"], format: "date-time" } as const;
const NULLABLE_ID = { type: ["integer", "null"] } as const;

export const LIGHTS = ["green", "yellow", "red", "grey"] as const;

export const errorSchema = {
  type: "object",
  description: "每个错误都是这个形状;code 稳定,message 为中文",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, fix: { type: "string" } },
    },
  },
} as const;

export const idParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: ID },
} as const;

export interface IdParams {
  id: number;
}

export const userSchema = {
  type: "object",
  required: ["id", "login", "displayName", "role", "unitId", "disabled"],
  properties: {
    id: ID,
    organisationId: ID,
    unitId: NULLABLE_ID,
    login: { type: "string" },
    displayName: { type: "string" },
    role: { type: "string", enum: USER_ROLES },
    disabled: { type: "boolean" },
    createdAt: INSTANT,
  },
} as const;

const unitProperties = {
  id: ID,
  parentId: NULLABLE_ID,
  name: { type: "string" },
  kind: { type: "string", enum: UNIT_KINDS },
  aliases: { type: "array", items: { type: "string" } },
  sortOrder: { type: "integer" },
} as const;

export const unitSchema = { type: "object", required: ["id", "parentId", "name", "kind", "aliases"], properties: unitProperties } as const;

/** Units as a tree; a shared schema because it refers to itself. */
export const UNIT_NODE_ID = "UnitNode";
export const unitNodeSchema = {
  $id: UNIT_NODE_ID,
  type: "object",
  required: ["id", "parentId", "name", "kind", "aliases", "children"],
  properties: { ...unitProperties, children: { type: "array", items: { $ref: `${UNIT_NODE_ID}#` } } },
} as const;

export const planVersionSchema = {
  type: "object",
  required: ["id", "planId", "version", "title", "sourceName", "format", "status", "createdAt"],
  properties: {
    id: ID,
    planId: ID,
    version: { type: "integer" },
    title: { type: "string" },
    issuer: nullable("string"),
    docNumber: nullable("string"),
    year: nullable("integer"),
    date: NULLABLE_DATE,
    sourceName: { type: "string" },
    sourceHash: { type: "string" },
    format: { type: "string" },
    bodyStart: { type: "integer" },
    bodyEnd: { type: "integer" },
    status: { type: "string" },
    createdBy: NULLABLE_ID,
    createdAt: INSTANT,
  },
} as const;

export const planDetailSchema = {
  type: "object",
  required: ["id", "sourceName", "part", "current", "versions", "sections", "taskCount"],
  properties: {
    id: ID,
    sourceName: { type: "string" },
    part: { type: "integer" },
    current: planVersionSchema,
    versions: { type: "array", items: planVersionSchema },
    sections: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: ID,
          ordinal: { type: "integer" },
          path: { type: "string" },
          title: { type: "string" },
          start: { type: "integer" },
          end: { type: "integer" },
          line: { type: "integer" },
        },
      },
    },
    taskCount: { type: "integer" },
  },
} as const;

const taskUnitSchema = {
  type: "object",
  required: ["unitId", "name", "role"],
  properties: { unitId: NULLABLE_ID, name: { type: "string" }, role: { type: "string" } },
} as const;

const lightReasonSchema = {
  type: "object",
  required: ["code", "message"],
  properties: { code: { type: "string" }, message: { type: "string" }, period: { type: "string" } },
} as const;

export const lightSchema = {
  type: "object",
  description: "灯色由日期和报送算出,不可手工设置",
  required: ["light", "reasons"],
  properties: { light: { type: "string", enum: LIGHTS }, reasons: { type: "array", items: lightReasonSchema } },
} as const;

const ledgerRowProperties = {
  id: ID,
  planId: ID,
  planTitle: { type: "string" },
  sectionPath: nullable("string"),
  sectionTitle: nullable("string"),
  ordinal: { type: "integer" },
  number: { type: "string" },
  path: { type: "string" },
  title: { type: "string" },
  measures: { type: "integer" },
  status: { type: "string", enum: TASK_STATUSES },
  dueDate: NULLABLE_DATE,
  nextMilestone: NULLABLE_DATE,
  leadUnitId: NULLABLE_ID,
  units: { type: "array", items: taskUnitSchema },
  kpiCount: { type: "integer" },
  version: { type: "integer", description: "乐观锁:修改时原样带回" },
  updatedAt: INSTANT,
  dispatchedAt: NULLABLE_INSTANT,
  signedAt: NULLABLE_INSTANT,
  closedAt: NULLABLE_INSTANT,
  stoppedAt: NULLABLE_INSTANT,
  stopReason: nullable("string"),
  light: lightSchema,
} as const;

export const taskRowSchema = { type: "object", required: ["id", "title", "status", "version", "light"], properties: ledgerRowProperties } as const;

export const taskListSchema = {
  type: "object",
  required: ["items", "limit", "offset", "hasMore"],
  properties: { items: { type: "array", items: taskRowSchema }, limit: { type: "integer" }, offset: { type: "integer" }, hasMore: { type: "boolean" } },
} as const;

export const reportSchema = {
  type: "object",
  required: ["id", "taskId", "period", "periodEnd", "status", "percent", "narrative", "submittedBy", "submittedAt", "reviewState"],
  properties: {
    id: ID,
    taskId: ID,
    period: { type: "string" },
    periodEnd: DATE,
    status: { type: "string", enum: REPORT_STATUSES },
    percent: { type: "integer" },
    narrative: { type: "string" },
    submittedBy: ID,
    submittedAt: INSTANT,
    reviewState: { type: "string", enum: REVIEW_STATES },
    reviewedBy: NULLABLE_ID,
    reviewedAt: NULLABLE_INSTANT,
    reviewNote: nullable("string"),
    final: { type: "boolean", description: "完成报告(申请销号)" },
  },
} as const;

/** The files a report cites and the KPI values it gave, as the task's detail shows each report. */
export const reportDetailSchema = {
  ...reportSchema,
  required: [...reportSchema.required, "evidence", "kpiValues"],
  properties: {
    ...reportSchema.properties,
    evidence: {
      type: "array",
      items: { type: "object", required: ["id", "fileName", "size", "mime"], properties: { id: ID, fileName: { type: "string" }, size: { type: "integer" }, mime: { type: "string" } } },
    },
    kpiValues: { type: "array", items: { type: "object", required: ["kpiId", "value"], properties: { kpiId: ID, value: { type: "number" } } } },
  },
} as const;

/** 报送周期 as the API shows it: `dates` only for a custom one. */
export const cadenceSchema = {
  type: ["object", "null"],
  properties: { kind: { type: "string", enum: CADENCE_KINDS }, dates: { type: "array", items: DATE } },
} as const;

/** Most custom dates a cadence may have: one a day for a year is more than any plan asks. */
const MAX_CUSTOM_DATES = 366;

/** 报送周期 in a request: { kind } or { kind: "custom", dates }, or null (none of its own). */
export const cadenceInputSchema = {
  type: ["object", "null"],
  description: "weekly 每周 · monthly 每月 · bimonthly 每两月 · quarterly 每季度 · custom 自定义(dates:各期截止日);null 表示不设",
  required: ["kind"],
  additionalProperties: false,
  properties: {
    kind: { type: "string", enum: CADENCE_KINDS },
    dates: { type: "array", minItems: 1, maxItems: MAX_CUSTOM_DATES, items: DATE },
  },
  // Only a custom cadence has dates, and it must have them.
  if: { type: "object", properties: { kind: { const: "custom" } } },
  then: { required: ["dates"] },
  else: { not: { type: "object", required: ["dates"] } },
} as const;

export type CadenceBody = { kind: "weekly" | "monthly" | "bimonthly" | "quarterly" } | { kind: "custom"; dates: string[] };

export const evidenceSchema = {
  type: "object",
  required: ["id", "taskId", "reportId", "hash", "fileName", "size", "mime", "uploadedBy", "createdAt"],
  properties: {
    id: ID,
    taskId: ID,
    reportId: NULLABLE_ID,
    hash: { type: "string", description: "文件内容的 SHA-256(十六进制)" },
    fileName: { type: "string" },
    size: { type: "integer", description: "字节数" },
    mime: { type: "string" },
    uploadedBy: ID,
    createdAt: INSTANT,
  },
} as const;

export const commentSchema = {
  type: "object",
  required: ["id", "taskId", "reportId", "authorId", "authorName", "body", "createdAt"],
  properties: {
    id: ID,
    taskId: ID,
    reportId: NULLABLE_ID,
    authorId: ID,
    authorName: { type: "string" },
    body: { type: "string" },
    createdAt: INSTANT,
  },
} as const;

const extensionSchema = {
  type: "object",
  properties: {
    requestedAt: INSTANT,
    requestedDate: DATE,
    previousDueDate: DATE,
    reason: { type: "string" },
    state: { type: "string", enum: EXTENSION_STATES },
    decidedAt: NULLABLE_INSTANT,
    decisionNote: nullable("string"),
  },
} as const;

const periodSchema = {
  type: "object",
  properties: { id: { type: "string" }, label: { type: "string" }, start: DATE, end: DATE, due: DATE },
} as const;

export const taskDetailSchema = {
  type: "object",
  required: ["id", "title", "status", "version", "light", "reports", "milestones", "kpis", "unitRefs"],
  properties: {
    ...ledgerRowProperties,
    planVersionId: ID,
    previousTaskId: NULLABLE_ID,
    start: { type: "integer" },
    end: { type: "integer" },
    line: { type: "integer" },
    titleStart: { type: "integer" },
    titleEnd: { type: "integer" },
    quote: { type: "string", description: "任务在计划原文中的文字(start–end)" },
    unitRefs: {
      type: "array",
      items: { type: "object", properties: { ...taskUnitSchema.properties, start: NULLABLE_ID, end: NULLABLE_ID } },
    },
    milestones: {
      type: "array",
      items: {
        type: "object",
        properties: { id: ID, dueDate: DATE, quote: { type: "string" }, start: nullable("integer"), end: nullable("integer"), completedAt: NULLABLE_INSTANT },
      },
    },
    kpis: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: ID,
          quote: { type: "string" },
          value: { type: "number" },
          valueMax: nullable("number"),
          unit: { type: "string" },
          bound: { type: "string" },
          direction: { type: "string", enum: KPI_DIRECTIONS },
          start: nullable("integer"),
          end: nullable("integer"),
          actuals: {
            type: "array",
            description: "各期报送的实际值,按周期先后",
            items: {
              type: "object",
              properties: { reportId: ID, period: { type: "string" }, periodEnd: DATE, value: { type: "number" }, submittedAt: INSTANT, reviewState: { type: "string", enum: REVIEW_STATES } },
            },
          },
          latest: { ...nullable("number"), description: "最近一次未被退回的报送值" },
          attainment: { ...nullable("number"), description: "达成度:1 为达标,小于 1 未达标" },
        },
      },
    },
    reports: { type: "array", items: reportDetailSchema },
    extensions: { type: "array", items: extensionSchema },
    cadence: {
      type: ["object", "null"],
      properties: { kind: { type: "string", enum: CADENCE_KINDS }, dates: { type: "array", items: DATE } },
    },
    periods: { type: "array", items: periodSchema, description: "报送周期(自交办之日起)" },
    lateness: {
      type: "object",
      description: "迟报、逾期的历史:红过的任务恢复后仍可见",
      properties: {
        everRed: { type: "boolean" },
        redDays: { type: "integer" },
        redSpans: { type: "array", items: { type: "object", properties: { start: DATE, end: DATE, days: { type: "integer" } } } },
        overdueDays: { type: "integer" },
        latePeriods: {
          type: "array",
          items: { type: "object", properties: { period: { type: "string" }, label: { type: "string" }, due: DATE, daysLate: { type: "integer" } } },
        },
      },
    },
  },
} as const;

export const auditRecordSchema = {
  type: "object",
  properties: {
    id: ID,
    actorId: NULLABLE_ID,
    action: { type: "string" },
    entity: { type: "string" },
    entityId: NULLABLE_ID,
    // Free-form snapshots of the entity: any JSON value.
    before: {},
    after: {},
    at: INSTANT,
  },
} as const;

/**
 * The bounds of a Plan JSON (../shared/gold/SCHEMA.md, as core's extractor writes it) that a client
 * sends back: a plan file is a document, not a data dump. The largest real plans have a few
 * hundred tasks with titles of a few dozen characters.
 */
export const PLAN_JSON_LIMITS = {
  plans: 50,
  sections: 2_000,
  tasks: 5_000,
  /** Units, deadlines and targets of one task. */
  perTask: 200,
  /** Characters (UTF-16 code units, what offsets count) of the source text. */
  sourceLength: 20_000_000,
  /** A title, a quote. */
  text: 1_000,
  /** A unit's name, a path, an issuer. */
  name: 200,
} as const;

// Unions of core's types (Target["bound"], UnitRef["via"]), as values for the schema.
const TARGET_BOUNDS = ["floor", "ceiling", "range", "level"] as const;
const UNIT_VIAS = ["note", "sentence", "column", "block"] as const;

const OFFSET = { type: "integer", minimum: 0, maximum: PLAN_JSON_LIMITS.sourceLength } as const;
const LINE = { type: "integer", minimum: 1, maximum: PLAN_JSON_LIMITS.sourceLength } as const;
const SPAN = { start: OFFSET, end: OFFSET } as const;
const TEXT = { type: "string", maxLength: PLAN_JSON_LIMITS.text } as const;
const TITLE = { type: "string", minLength: 1, maxLength: PLAN_JSON_LIMITS.text } as const;
const NAME = { type: "string", minLength: 1, maxLength: PLAN_JSON_LIMITS.name } as const;
const PER_TASK = PLAN_JSON_LIMITS.perTask;

const planTaskSchema = {
  type: "object",
  additionalProperties: false,
  required: ["path", "number", "title", "measures", "units", "lead_units", "deadlines", "targets", "start", "end", "line", "title_start", "title_end", "unit_refs"],
  properties: {
    path: NAME,
    number: { type: "string", maxLength: 20 },
    title: TITLE,
    measures: { type: "integer", minimum: 0, maximum: 10_000 },
    units: { type: "array", maxItems: PER_TASK, items: NAME },
    lead_units: { type: "array", maxItems: PER_TASK, items: NAME },
    deadlines: {
      type: "array",
      maxItems: PER_TASK,
      items: { type: "object", additionalProperties: false, required: ["quote", "date", "start", "end"], properties: { quote: TEXT, date: DATE, ...SPAN } },
    },
    targets: {
      type: "array",
      maxItems: PER_TASK,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["quote", "value", "unit", "bound", "start", "end"],
        properties: { quote: TEXT, value: { type: "number" }, value_max: { type: "number" }, unit: { type: "string", maxLength: 50 }, bound: { type: "string", enum: TARGET_BOUNDS }, ...SPAN },
      },
    },
    ...SPAN,
    line: LINE,
    title_start: OFFSET,
    title_end: OFFSET,
    unit_refs: {
      type: "array",
      maxItems: PER_TASK,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "lead", "via", "start", "end"],
        properties: {
          name: NAME,
          lead: { type: "boolean", description: "牵头单位" },
          via: { type: "string", enum: UNIT_VIAS },
          ...SPAN,
          unitId: { ...ID, type: ["integer", "null"], description: "督查室在单位树中为这个名称选定的单位(确认导入时;优先于按名称匹配)" },
        },
      },
    },
  },
} as const;

/** One plan in Plan JSON: offsets are UTF-16 indexes into the source text that comes with it. */
export const planJsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["source", "part", "title", "issuer", "doc_number", "year", "date", "sections", "tasks", "start", "end"],
  properties: {
    source: { type: "string", minLength: 1, maxLength: 255, description: "文件名" },
    part: { type: "integer", minimum: 1, maximum: PLAN_JSON_LIMITS.plans, description: "文件中的第几份计划" },
    title: TITLE,
    issuer: { type: ["string", "null"], maxLength: PLAN_JSON_LIMITS.name },
    doc_number: { type: ["string", "null"], maxLength: PLAN_JSON_LIMITS.name },
    year: { type: ["integer", "null"], minimum: 1900, maximum: 2200 },
    date: NULLABLE_DATE,
    sections: {
      type: "array",
      maxItems: PLAN_JSON_LIMITS.sections,
      items: { type: "object", additionalProperties: false, required: ["path", "title", "start", "end", "line"], properties: { path: NAME, title: TEXT, ...SPAN, line: LINE } },
    },
    tasks: { type: "array", minItems: 1, maxItems: PLAN_JSON_LIMITS.tasks, items: planTaskSchema },
    ...SPAN,
  },
} as const;

/** Tasks and lights counted (the cockpit); `unknown`: not yet computed for today. */
export const lightCountsSchema = {
  type: "object",
  properties: {
    tasks: { type: "integer" },
    closed: { type: "integer" },
    green: { type: "integer" },
    yellow: { type: "integer" },
    red: { type: "integer" },
    grey: { type: "integer" },
    unknown: { type: "integer" },
  },
} as const;

/** Enough of a task to act on an item of the review queue. */
export const reviewTaskSchema = {
  type: "object",
  properties: {
    id: ID,
    number: { type: "string" },
    title: { type: "string" },
    planId: ID,
    planTitle: { type: "string" },
    status: { type: "string", enum: TASK_STATUSES },
    dueDate: NULLABLE_DATE,
    version: { type: "integer" },
    units: { type: "array", items: taskUnitSchema },
  },
} as const;

export const extensionQueueItemSchema = {
  type: "object",
  properties: {
    id: ID,
    requestedAt: INSTANT,
    requestedBy: ID,
    requestedDate: DATE,
    previousDueDate: NULLABLE_DATE,
    reason: { type: "string" },
    state: { type: "string", enum: EXTENSION_STATES },
  },
} as const;
