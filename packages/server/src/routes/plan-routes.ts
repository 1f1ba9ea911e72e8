// Plans: import a plan file (any format core reads) into the ledger, list and read plans, and
// fetch the source text a version's offsets point into. Importing is the office's; leaders read
// everything; a reporter reads the plans that hold one of their unit's tasks, but not their
// full source text (other units' tasks are in it): their own task's text comes with the task.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyInstance, FastifySchemaCompiler } from "fastify";
import { parseDocument, type Diagnostic } from "@taizhang/core";
import { getPlan, getPlanSource, importPlan, inTransaction, listPlans, type ImportPlanResult, type PlanDetail, type User } from "@taizhang/store";
import { ADMIN_ONLY, ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext, type Db } from "../context.js";
import { apiError, notFound } from "../errors.js";
import { ID, idParams, planDetailSchema, planVersionSchema, type IdParams } from "../schemas.js";
import { plansOfUnit, scopeUnit } from "../visibility.js";

/** The same default limit as the command line's: a plan file is a document, not a data dump. */
const BYTES_PER_MB = 1024 * 1024;
export const MAX_PLAN_FILE_BYTES = 50 * BYTES_PER_MB;
const MAX_FILE_NAME_LENGTH = 255;
/** What a file uploaded without a name is called in the ledger. */
const UNNAMED_FILE = "未命名文件";

interface ImportedPlan extends ImportPlanResult {
  title: string;
}

interface ImportSummary {
  source: string;
  format: string;
  encoding: string | null;
  sourceHash: string;
  plans: ImportedPlan[];
  taskCount: number;
  unmatchedUnitNames: string[];
  diagnostics: Diagnostic[];
}

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
      if (!request.isMultipart()) throw apiError("UNSUPPORTED_MEDIA_TYPE");
      const file = await request.file({ limits: { fileSize: context.maxPlanFileBytes, files: 1 } });
      if (!file) throw apiError("FILE_REQUIRED");
      const bytes = await readUpload(file, context.maxPlanFileBytes);
      const summary = await importFile(db, user, fileName(file), bytes);
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

async function readUpload(file: MultipartFile, limit: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.toBuffer());
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "FST_REQ_FILE_TOO_LARGE") {
      throw apiError("FILE_TOO_LARGE", { message: `文件超过了 ${Math.round((limit / BYTES_PER_MB) * 10) / 10} MB 的上限`, cause: error });
    }
    throw error;
  }
}

/** The name as uploaded, without any folder a browser or a crafted request put in front. */
function fileName(file: MultipartFile): string {
  const name = basename(file.filename.replace(/\\/g, "/")).trim().slice(0, MAX_FILE_NAME_LENGTH);
  return name === "" ? UNNAMED_FILE : name;
}

/** Extracts every plan of the file and imports them together: all or none. */
async function importFile(db: Db, user: User, source: string, bytes: Uint8Array): Promise<ImportSummary> {
  const parsed = await parseDocument(bytes, { source });
  if (parsed.plans.length === 0) {
    const reason = parsed.diagnostics.find((diagnostic) => diagnostic.severity === "error") ?? parsed.diagnostics[0];
    throw apiError("PLAN_FILE_UNREADABLE", reason ? { message: reason.message } : {});
  }
  const sourceHash = createHash("sha256").update(bytes).digest("hex");
  const format = parsed.format ?? "text";
  const plans = await inTransaction(db, async (trx) => {
    const imported: ImportedPlan[] = [];
    for (const plan of parsed.plans) {
      const result = await importPlan(trx, { organisationId: user.organisationId, plan, sourceText: parsed.text, sourceBytesHash: sourceHash, format, actorId: user.id });
      imported.push({ ...result, title: plan.title });
    }
    return imported;
  });
  return {
    source,
    format,
    encoding: parsed.encoding,
    sourceHash,
    plans,
    taskCount: plans.reduce((sum, plan) => sum + plan.tasks, 0),
    unmatchedUnitNames: [...new Set(plans.flatMap((plan) => plan.unmatchedUnitNames))],
    diagnostics: parsed.diagnostics,
  };
}
