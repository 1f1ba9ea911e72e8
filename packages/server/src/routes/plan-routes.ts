// Plans: import a plan file (any format core reads) into the ledger, at once or through the import
// wizard (preview, then confirm the corrected plans: plan-import.ts), list and read plans, and
// fetch the source text a version's offsets point into. Importing is the office's; leaders read
// everything; a reporter reads the plans that hold one of their unit's tasks, but not their
// full source text (other units' tasks are in it): their own task's text comes with the task.
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from "fastify";
import type { DocumentFormat } from "@taizhang/core";
import { getPlan, getPlanSource, listPlans, type PlanDetail, type User } from "@taizhang/store";
import { ADMIN_ONLY, ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext, type Db } from "../context.js";
import { apiError, notFound } from "../errors.js";
import { confirmPlans, importFile, previewPlans, type PlanConfirmation } from "../plan-import.js";
import { ID, PLAN_JSON_LIMITS, idParams, planDetailSchema, planJsonSchema, planVersionSchema, type IdParams } from "../schemas.js";
import { BYTES_PER_MB, MAX_FILE_NAME_LENGTH, receiveFile } from "../uploads.js";
import { plansOfUnit, scopeUnit } from "../visibility.js";

/** The same default limit as the command line's: a plan file is a document, not a data dump. */
export const MAX_PLAN_FILE_BYTES = 50 * BYTES_PER_MB;
/** What a file uploaded without a name is called in the ledger. */

/** What a confirm may say the previewed file was (core's DocumentFormat). */
const DOCUMENT_FORMATS = ["text", "docx", "pdf", "html", "xlsx", "csv"] as const satisfies readonly DocumentFormat[];

const diagnosticSchema = {
  type: "object",
  required: ["code", "severity", "message"],
  properties: {
    code: { type: "string" },
    severity: { type: "string", enum: ["error", "warning", "info"] },
    message: { type: "string" },
    place: { type: "object", properties: { start: { type: "integer" }, end: { type: "integer" }, line: { type: "integer" }, column: { type: "integer" } } },
  },
} as const;

const importSummarySchema = {
  type: "object",
  description: "导入结果,供督查室复核:每份计划的任务数、未匹配的单位名称、抽取提示",
  required: ["source", "format", "plans", "taskCount", "unmatchedUnitNames", "diagnostics"],
  properties: {
    source: { type: "string" },
    format: { type: "string" },
    encoding: { type: ["string", "null"] },
    sourceHash: { type: "string" },
    plans: {
      type: "array",
      items: {
        type: "object",
        properties: {
          planId: ID,
          versionId: ID,
          version: { type: "integer" },
          title: { type: "string" },
          sections: { type: "integer" },
          tasks: { type: "integer" },
          taskUnits: { type: "integer" },
          milestones: { type: "integer" },
          kpis: { type: "integer" },
          unmatchedUnitNames: { type: "array", items: { type: "string" } },
        },
      },
    },
    taskCount: { type: "integer" },
    unmatchedUnitNames: { type: "array", items: { type: "string" } },
    diagnostics: { type: "array", items: diagnosticSchema },
  },
} as const;

const previewSchema = {
  type: "object",
  description: "抽取结果(未写入):原文、各计划的 Plan JSON、抽取提示,以及每个单位名称在单位树中匹配到的单位",
  required: ["fileName", "format", "source", "sha256", "plans", "diagnostics", "units"],
  properties: {
    fileName: { type: "string" },
    format: { type: "string" },
    source: { type: "string", description: "原文:各项位置(start、end,UTF-16 下标)所指的文本" },
    sha256: { type: "string", description: "原文(UTF-8)的 SHA-256;确认导入时与原文一起原样带回" },
    plans: { type: "array", items: planJsonSchema },
    diagnostics: { type: "array", items: diagnosticSchema },
    units: {
      type: "array",
      items: { type: "object", required: ["name", "unitId"], properties: { name: { type: "string" }, unitId: { type: ["integer", "null"], description: "匹配到的单位;null 为未匹配" } } },
    },
  },
} as const;

const confirmBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["fileName", "sha256", "source", "plans"],
  properties: {
    fileName: { type: "string", minLength: 1, maxLength: MAX_FILE_NAME_LENGTH },
    sha256: { type: "string", pattern: "^[0-9a-f]{64}$", description: "预览给出的原文 SHA-256" },
    source: { type: "string", minLength: 1, maxLength: PLAN_JSON_LIMITS.sourceLength, description: "预览给出的原文,原样带回" },
    format: { type: "string", enum: DOCUMENT_FORMATS, description: "预览给出的文件格式,默认 text" },
    plans: { type: "array", minItems: 1, maxItems: PLAN_JSON_LIMITS.plans, items: planJsonSchema },
  },
} as const;

// The upload is read by @fastify/multipart, not by the body validator; this schema documents it.
const multipartBody = {
  type: "object",
  required: ["file"],
  properties: { file: { type: "string", format: "binary", description: "计划文件:Word、PDF(文字版)、网页、Excel、CSV 或文本" } },
} as const;
const documentOnly: FastifySchemaCompiler<unknown> = () => () => true;

export function registerPlanRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.post(
    "/api/plans/import",
    {
      config: { access: { roles: ADMIN_ONLY } },
      validatorCompiler: documentOnly,
      schema: {
        tags: [TAGS.plans],
        summary: "导入计划文件(督查室)",
        description: `multipart/form-data 上传一个文件(file 字段,最大 ${context.maxPlanFileBytes / BYTES_PER_MB} MB)。同一文件再次导入成为计划的新版本。`,
        consumes: ["multipart/form-data"],
        body: multipartBody,
        response: { 201: importSummarySchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const upload = await receiveFile(request, context.maxPlanFileBytes, "FILE_TOO_LARGE");
      const summary = await importFile(db, user, upload.fileName, upload.bytes);
      return reply.code(201).send(summary);
    },
  );

  app.post(
    "/api/plans/preview",
    {
      config: { access: { roles: ADMIN_ONLY } },
      validatorCompiler: documentOnly,
      schema: {
        tags: [TAGS.plans],
        summary: "预览计划文件的抽取结果(督查室;不写入台账)",
        description: `与导入相同的上传(file 字段,最大 ${context.maxPlanFileBytes / BYTES_PER_MB} MB);返回原文和抽取出的计划(Plan JSON),供校对后经 POST /api/plans/confirm 确认导入。`,
        consumes: ["multipart/form-data"],
        body: multipartBody,
        response: { 200: previewSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const upload = await receiveFile(request, context.maxPlanFileBytes, "FILE_TOO_LARGE");
      return previewPlans(db, user, upload.fileName, upload.bytes);
    },
  );

  app.post<{ Body: PlanConfirmation }>(
    "/api/plans/confirm",
    {
      config: { access: { roles: ADMIN_ONLY } },
      // The source text comes back with the plans: as large as a plan file may be.
      bodyLimit: context.maxPlanFileBytes,
      schema: {
        tags: [TAGS.plans],
        summary: "确认导入校对后的计划(督查室)",
        description: "预览的原文、sha256 原样带回,plans 为校对后的 Plan JSON;单位可带 unitId(单位树中选定的单位)。导入方式与 POST /api/plans/import 相同。",
        body: confirmBodySchema,
        response: { 201: importSummarySchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const summary = await confirmPlans(db, user, request.body);
      return reply.code(201).send(summary);
    },
  );

  app.get(
    "/api/plans",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: { tags: [TAGS.plans], summary: "计划列表(当前版本,新的在前)", response: { 200: { type: "array", items: planVersionSchema } } },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const plans = await listPlans(db, user.organisationId);
      const unit = scopeUnit(user);
      if (unit === undefined) return plans;
      const visible = await plansOfUnit(db, user.organisationId, unit);
      return plans.filter((plan) => visible.has(plan.planId));
    },
  );

  app.get<{ Params: IdParams }>(
    "/api/plans/:id",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: { tags: [TAGS.plans], summary: "计划详情:各版本与章节", params: idParams, response: { 200: planDetailSchema } },
    },
    async (request) => visiblePlan(db, requireAuth(request).user, request.params.id),
  );

  app.get<{ Params: IdParams; Querystring: { version?: number } }>(
    "/api/plans/:id/source",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.plans],
        summary: "计划原文(偏移量所指的文本;督查室和领导)",
        params: idParams,
        querystring: { type: "object", additionalProperties: false, properties: { version: { ...ID, description: "版本编号(versionId),默认当前版本" } } },
        response: { 200: { type: "object", required: ["versionId", "text"], properties: { versionId: ID, text: { type: "string" } } } },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const plan = await visiblePlan(db, user, request.params.id);
      if (scopeUnit(user) !== undefined) throw apiError("FORBIDDEN");
      const versionId = request.query.version ?? plan.current.id;
      // Only a version of this plan: another plan's version id is not reachable through this one.
      if (!plan.versions.some((version) => version.id === versionId)) throw apiError("VALIDATION_FAILED", { message: "这份计划没有这个版本。" });
      const text = await getPlanSource(db, { organisationId: user.organisationId, versionId });
      if (text === undefined) throw apiError("VALIDATION_FAILED", { message: "这份计划没有这个版本。" });
      return { versionId, text };
    },
  );
}

async function visiblePlan(db: Db, user: User, planId: number): Promise<PlanDetail> {
  const plan = await getPlan(db, { organisationId: user.organisationId, planId });
  const unit = scopeUnit(user);
  if (!plan || (unit !== undefined && !(await plansOfUnit(db, user.organisationId, unit)).has(plan.id))) {
    throw notFound("PLAN_NOT_FOUND");
  }
  return plan;
}

