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
        },
      },
    },
    reports: { type: "array", items: reportSchema },
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
