// The bulletin (通报) and the assessment (考核) of a period, for the office and leaders: as JSON for
// the web page, and as the documents the office issues (.docx, .xlsx). The numbers are core's,
// computed from the ledger as it stood at the end of the period (or now, while it runs).
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  BULLETIN_PERIOD_PATTERN,
  assess,
  bureauDay,
  chineseDate,
  parseBulletinPeriod,
  parseScoringWeights,
  periodHasBegun,
  type Assessment,
  type BulletinPeriod,
  type EvidenceItem,
  type Measure,
  type RedItem,
  type ScoringModel,
  type TaskRef,
  type UnitStanding,
} from "@taizhang/core";
import { requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { assessmentXlsx } from "../documents/assessment-xlsx.js";
import { DOCX_TYPE, bulletinDocx } from "../documents/bulletin-docx.js";
import { loadBulletin, type BulletinData } from "../documents/bulletin-source.js";
import { bulletinText } from "../documents/bulletin-wording.js";
import { XLSX_TYPE, bulletinXlsx } from "../documents/bulletin-xlsx.js";
import { apiError } from "../errors.js";
import { DATE, ID, INSTANT } from "../schemas.js";
import { attachment } from "../uploads.js";

const OFFICE_AND_LEADERS = ["admin", "leader"] as const;
const MAX_DOC_NUMBER = 60;
const MAX_WEIGHTS = 200;

interface PeriodParams {
  period: string;
}
interface BulletinQuery {
  plan?: number;
  docNumber?: string;
}
interface AssessmentQuery {
  plan?: number;
  weights?: string;
}

const periodParams = {
  type: "object",
  required: ["period"],
  additionalProperties: false,
  properties: {
    period: { type: "string", pattern: BULLETIN_PERIOD_PATTERN, description: "月 2025-03、季度 2025-Q1、年 2025,或起止日期 2025-03-01~2025-03-15" },
  },
} as const;
const PLAN_FILTER = { ...ID, description: "只统计这个计划的任务;不填则统计全部计划" } as const;
const bulletinQuery = {
  type: "object",
  additionalProperties: false,
  properties: { plan: PLAN_FILTER, docNumber: { type: "string", minLength: 1, maxLength: MAX_DOC_NUMBER, description: "发文字号;不填则留空待填" } },
} as const;
const assessmentQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    plan: PLAN_FILTER,
    weights: { type: "string", minLength: 1, maxLength: MAX_WEIGHTS, description: "评分办法,如 closeRate:30,onTimeRate:30,kpiAttainment:20,reportTimeliness:20(合计100分);不填用默认办法" },
  },
} as const;

const NULLABLE_ID = { type: ["integer", "null"] } as const;
const RATE = { type: ["number", "null"], description: "0–1;没有可计算的事项时为 null" } as const;
const periodSchema = {
  type: "object",
  required: ["id", "kind", "label", "start", "end"],
  properties: { id: { type: "string" }, kind: { type: "string", enum: ["month", "quarter", "year", "range"] }, label: { type: "string" }, start: DATE, end: DATE },
} as const;
const taskRefSchema = {
  type: "object",
  required: ["id", "number", "title", "planTitle"],
  properties: { id: ID, number: { type: "string" }, title: { type: "string" }, planTitle: { type: "string" } },
} as const;
const evidenceItemSchema = {
  type: "object",
  required: ["task", "ref", "counted", "value", "note"],
  properties: { task: taskRefSchema, ref: { type: ["string", "null"] }, counted: { type: "boolean" }, value: { type: "number" }, note: { type: "string" } },
} as const;
const measureSummary = { numerator: { type: "number" }, denominator: { type: "integer" }, rate: RATE } as const;
const measureSummarySchema = { type: "object", required: ["numerator", "denominator", "rate"], properties: measureSummary } as const;
const measureSchema = {
  type: "object",
  required: ["numerator", "denominator", "rate", "items", "excluded"],
  properties: { ...measureSummary, items: { type: "array", items: evidenceItemSchema }, excluded: { type: "array", items: evidenceItemSchema } },
} as const;
const redItemSchema = {
  type: "object",
  required: ["task", "unitId", "unitName", "reasons"],
  properties: {
    task: taskRefSchema,
    unitId: NULLABLE_ID,
    unitName: { type: "string" },
    reasons: { type: "array", items: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" }, period: { type: "string" } } } },
  },
} as const;
const standingSchema = {
  type: "object",
  required: ["unitId", "name", "tasks", "closed", "closedInPeriod", "closedOnTime", "overdueOpen", "red", "measures", "redItems", "rank"],
  properties: {
    unitId: NULLABLE_ID,
    name: { type: "string" },
    tasks: { type: "integer" },
    closed: { type: "integer" },
    closedInPeriod: { type: "integer" },
    closedOnTime: { type: "integer" },
    overdueOpen: { type: "integer" },
    red: { type: "integer" },
    measures: {
      type: "object",
      required: ["closeRate", "onTimeRate", "kpiAttainment", "reportTimeliness"],
      properties: { closeRate: measureSummarySchema, onTimeRate: measureSummarySchema, kpiAttainment: measureSummarySchema, reportTimeliness: measureSummarySchema },
    },
    redItems: { type: "array", items: redItemSchema },
    rank: { type: ["integer", "null"] },
  },
} as const;
const STRING = { type: "string" } as const;
const STRINGS = { type: "array", items: STRING } as const;
const textSchema = {
  type: "object",
  required: ["issuer", "docNumber", "title", "titleLines", "salutation", "opening", "headings", "overall", "unitsIntro", "problemsIntro", "problems", "requirements", "notes", "signature", "date"],
  properties: {
    issuer: STRING,
    docNumber: STRING,
    title: STRING,
    titleLines: STRINGS,
    salutation: STRING,
    opening: STRING,
    headings: { type: "object", required: ["overall", "units", "problems", "next"], properties: { overall: STRING, units: STRING, problems: STRING, next: STRING } },
    overall: STRINGS,
    unitsIntro: STRING,
    problemsIntro: STRING,
    problems: { type: "array", items: { type: "object", required: ["unit", "heading", "items"], properties: { unit: STRING, heading: STRING, items: STRINGS } } },
    requirements: STRINGS,
    notes: STRINGS,
    signature: STRING,
    date: STRING,
  },
} as const;
const bulletinSchema = {
  type: "object",
  required: ["organisation", "period", "cutOff", "issuedOn", "text", "units", "totals", "stopped"],
  properties: {
    organisation: STRING,
    period: periodSchema,
    cutOff: { ...INSTANT, description: "数据截至的时刻:期末,或统计期尚未结束时的当前时刻" },
    issuedOn: DATE,
    text: textSchema,
    units: { type: "array", description: "按排名;未明确牵头单位的任务列在最后(不排名)", items: standingSchema },
    totals: standingSchema,
    stopped: { type: "array", items: taskRefSchema },
  },
} as const;
const assessmentSchema = {
  type: "object",
  required: ["organisation", "period", "cutOff", "model", "units"],
  properties: {
    organisation: STRING,
    period: periodSchema,
    cutOff: INSTANT,
    model: {
      type: "object",
      required: ["indicators", "fullMarks"],
      properties: {
        indicators: { type: "array", items: { type: "object", required: ["key", "weight"], properties: { key: STRING, weight: { type: "number" } } } },
        fullMarks: { type: "number" },
      },
    },
    units: {
      type: "array",
      items: {
        type: "object",
        required: ["unitId", "name", "score", "rank", "indicators"],
        properties: {
          unitId: ID,
          name: STRING,
          score: { type: ["number", "null"] },
          rank: { type: ["integer", "null"] },
          indicators: {
            type: "array",
            items: {
              type: "object",
              required: ["key", "label", "weight", "appliedWeight", "rate", "points", "measure"],
              properties: { key: STRING, label: STRING, weight: { type: "number" }, appliedWeight: { type: "number" }, rate: RATE, points: { type: ["number", "null"] }, measure: measureSchema },
            },
          },
        },
      },
    },
  },
} as const;
const download = (description: string, type: string) => ({ produces: [type], response: { 200: { type: "string", format: "binary", description } } }) as const;

export function registerBulletinRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const access = { access: { roles: OFFICE_AND_LEADERS } };

  async function bulletinFor(organisationId: number, params: PeriodParams, query: { plan?: number }): Promise<BulletinData & { now: Date }> {
    const now = context.now();
    const period = periodOf(params.period, now);
    const data = await loadBulletin(db, { organisationId, period, now, settings: context.lightSettings, ...(query.plan !== undefined && { planId: query.plan }) });
    return { ...data, now };
  }

  function modelOf(query: AssessmentQuery): ScoringModel {
    if (query.weights === undefined) return context.scoringModel;
    const parsed = parseScoringWeights(query.weights);
    if (parsed.model === null) throw apiError("SCORING_MODEL_INVALID", { message: `评分办法有误:${parsed.problems.join("")}` });
    return parsed.model;
  }

  const textOf = (data: BulletinData & { now: Date }, query: BulletinQuery) =>
    bulletinText(data.bulletin, { organisation: data.organisation, issuedOn: bureauDay(data.now), ...(query.docNumber !== undefined && { docNumber: query.docNumber }) });

  app.get<{ Params: PeriodParams; Querystring: BulletinQuery }>(
    "/api/bulletins/:period",
    {
      config: access,
      schema: {
        tags: [TAGS.bulletins],
        summary: "通报:一个统计期内各单位的任务数、办结、按时办结、逾期、红灯、报送、指标达成和排名,以及通报正文",
        description: "按牵头单位统计(配合单位不计);数据截至期末,统计期尚未结束时截至当前。这里只给数字;每个数字背后的任务见 /xlsx 的“计算依据”或 GET /api/assessment/{period}。下载文件见 /docx 与 /xlsx。",
        params: periodParams,
        querystring: bulletinQuery,
        response: { 200: bulletinSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const data = await bulletinFor(user.organisationId, request.params, request.query);
      const { bulletin } = data;
      return {
        organisation: data.organisation,
        period: bulletin.period,
        cutOff: bulletin.cutOff,
        issuedOn: bureauDay(data.now),
        text: textOf(data, request.query),
        units: bulletin.units.map(summaryOf),
        totals: summaryOf(bulletin.totals),
        stopped: bulletin.stopped.map(refOf),
      };
    },
  );

  app.get<{ Params: PeriodParams; Querystring: BulletinQuery }>(
    "/api/bulletins/:period/docx",
    { config: access, schema: { tags: [TAGS.bulletins], summary: "下载通报(Word .docx,公文格式)", params: periodParams, querystring: bulletinQuery, ...download("通报.docx", DOCX_TYPE) } },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const data = await bulletinFor(user.organisationId, request.params, request.query);
      const bytes = bulletinDocx(data.bulletin, textOf(data, request.query), { created: data.now });
      return send(reply, DOCX_TYPE, `重点工作推进情况通报-${data.bulletin.period.id}.docx`, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );

  app.get<{ Params: PeriodParams; Querystring: BulletinQuery }>(
    "/api/bulletins/:period/xlsx",
    { config: access, schema: { tags: [TAGS.bulletins], summary: "下载通报数据(Excel .xlsx:各单位情况、红灯事项、计算依据)", params: periodParams, querystring: bulletinQuery, ...download("通报.xlsx", XLSX_TYPE) } },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const data = await bulletinFor(user.organisationId, request.params, request.query);
      return send(reply, XLSX_TYPE, `重点工作推进情况通报-${data.bulletin.period.id}.xlsx`, await bulletinXlsx(data.bulletin, textOf(data, request.query)));
    },
  );

  app.get<{ Params: PeriodParams; Querystring: AssessmentQuery }>(
    "/api/assessment/:period",
    {
      config: access,
      schema: {
        tags: [TAGS.bulletins],
        summary: "考核:按评分办法给各牵头单位打分,附每个数字的计算依据",
        description: "得分 = Σ 分值 × 完成率。某项指标没有需要计算的事项时,该项不计分,其分值按比例分给该单位的其他指标。",
        params: periodParams,
        querystring: assessmentQuery,
        response: { 200: assessmentSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const model = modelOf(request.query);
      const data = await bulletinFor(user.organisationId, request.params, request.query);
      return { organisation: data.organisation, ...toApiAssessment(assess(data.bulletin, model)) };
    },
  );

  app.get<{ Params: PeriodParams; Querystring: AssessmentQuery }>(
    "/api/assessment/:period/xlsx",
    { config: access, schema: { tags: [TAGS.bulletins], summary: "下载考核得分表(Excel .xlsx:得分、评分办法、计分依据)", params: periodParams, querystring: assessmentQuery, ...download("考核.xlsx", XLSX_TYPE) } },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const model = modelOf(request.query);
      const data = await bulletinFor(user.organisationId, request.params, request.query);
      const assessment = assess(data.bulletin, model);
      const asOf = chineseDate(bureauDay(new Date(assessment.cutOff.getTime() - 1)));
      return send(reply, XLSX_TYPE, `重点工作考核-${assessment.period.id}.xlsx`, await assessmentXlsx(assessment, { organisation: data.organisation, asOf }));
    },
  );
}

/** The period the id names, if it has begun. */
function periodOf(id: string, now: Date): BulletinPeriod {
  const period = parseBulletinPeriod(id);
  if (period === null) throw apiError("BULLETIN_PERIOD_INVALID", { message: `“${id}”不是有效的统计期。` });
  if (!periodHasBegun(period, now)) throw apiError("BULLETIN_PERIOD_NOT_STARTED", { message: `统计期${period.label}还没有开始。` });
  return period;
}

function send(reply: FastifyReply, type: string, fileName: string, bytes: Buffer): FastifyReply {
  return reply.type(type).header("content-disposition", attachment(fileName)).header("cache-control", "no-store").send(bytes);
}

// Core keeps ids as strings; the API's ids are integers, as everywhere else.
function refOf(task: TaskRef) {
  return { ...task, id: Number(task.id) };
}

function unitIdOf(unitId: string | null): number | null {
  return unitId === null ? null : Number(unitId);
}

function itemOf(item: EvidenceItem) {
  return { ...item, task: refOf(item.task) };
}

function redOf(item: RedItem) {
  return { ...item, task: refOf(item.task), unitId: unitIdOf(item.unitId) };
}

/** The numbers only: the page links to the ledger for the tasks; the evidence is the assessment's. */
function summaryOf(unit: UnitStanding) {
  const summary = (measure: Measure) => ({ numerator: measure.numerator, denominator: measure.denominator, rate: measure.rate });
  const { closeRate, onTimeRate, kpiAttainment, reportTimeliness } = unit.measures;
  return {
    ...unit,
    unitId: unitIdOf(unit.unitId),
    measures: { closeRate: summary(closeRate), onTimeRate: summary(onTimeRate), kpiAttainment: summary(kpiAttainment), reportTimeliness: summary(reportTimeliness) },
    redItems: unit.redItems.map(redOf),
  };
}

function toApiAssessment(assessment: Assessment) {
  return {
    ...assessment,
    units: assessment.units.map((unit) => ({
      ...unit,
      unitId: Number(unit.unitId),
      indicators: unit.indicators.map((indicator) => ({
        ...indicator,
        measure: { ...indicator.measure, items: indicator.measure.items.map(itemOf), excluded: indicator.measure.excluded.map(itemOf) },
      })),
    })),
  };
}
