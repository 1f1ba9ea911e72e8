// 佐证材料: files a unit (or the office) attaches to a task, which a report can then cite. The
// store keeps each content once by its SHA-256. Whoever may see the task may list and download
// its files; the office and the task's own reporters may upload, leaders only read. A file of a
// task the user may not see is answered 404 EVIDENCE_NOT_FOUND, exactly as one that is not there.
//
// A download is always an attachment, never shown inline, with the type sniffing and scripting
// of the browser switched off: an uploaded HTML page must not run as our site.
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from "fastify";
import { addEvidence, getEvidence, getTaskAccess, listEvidence, readEvidenceBytes } from "@taizhang/store";
import { ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { apiError } from "../errors.js";
import { evidenceSchema, idParams, type IdParams } from "../schemas.js";
import { BYTES_PER_MB, attachment, megabytes, receiveFile } from "../uploads.js";
import { canSeeTask } from "../visibility.js";
import { visibleTaskId } from "./task-routes.js";

/** Scans and photos of signed documents, not videos: the default limit of one file. */
export const MAX_EVIDENCE_BYTES = 20 * BYTES_PER_MB;

export interface EvidenceOptions {
  /** The largest file one upload takes. */
  maxBytes: number;
}

// The upload is read by @fastify/multipart, not by the body validator; this schema documents it.
const multipartBody = {
  type: "object",
  required: ["file"],
  properties: { file: { type: "string", format: "binary", description: "佐证材料文件(任意格式)" } },
} as const;
const documentOnly: FastifySchemaCompiler<unknown> = () => () => true;

export function registerEvidenceRoutes(app: FastifyInstance, context: AppContext, options: EvidenceOptions): void {
  const { db } = context;
  const { maxBytes } = options;

  app.post(
    "/api/tasks/:id/evidence",
    {
      config: { access: { roles: ["admin", "reporter"] } },
      validatorCompiler: documentOnly,
      schema: {
        tags: [TAGS.tasks],
        summary: "上传佐证材料(督查室、承办单位)",
        description: `multipart/form-data 上传一个文件(file 字段,最大 ${megabytes(maxBytes)} MB)。之后可在进展报送的 evidenceIds 中引用。`,
        consumes: ["multipart/form-data"],
        params: idParams,
        body: multipartBody,
        response: { 201: evidenceSchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const taskId = await visibleTaskId(db, user, taskIdOf(request.params));
      const file = await receiveFile(request, maxBytes, "EVIDENCE_TOO_LARGE");
      const evidence = await addEvidence(db, { organisationId: user.organisationId, taskId, ...file, uploadedBy: user.id });
      return reply.code(201).send(evidence);
    },
  );

  app.get<{ Params: IdParams }>(
    "/api/tasks/:id/evidence",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "任务的佐证材料(按上传先后)",
        params: idParams,
        response: { 200: { type: "array", items: evidenceSchema } },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const taskId = await visibleTaskId(db, user, request.params.id);
      return listEvidence(db, { organisationId: user.organisationId, taskId });
    },
  );

  app.get<{ Params: IdParams }>(
    "/api/evidence/:id",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "下载佐证材料",
        description: "以附件形式返回文件(Content-Disposition 带 UTF-8 文件名)。",
        params: idParams,
        response: { 200: { description: "文件内容", type: "string", format: "binary" } },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const evidence = await getEvidence(db, { organisationId: user.organisationId, evidenceId: request.params.id });
      const task = evidence && (await getTaskAccess(db, { organisationId: user.organisationId, taskId: evidence.taskId }));
      if (!evidence || !task || !canSeeTask(user, task)) throw apiError("EVIDENCE_NOT_FOUND");
      const bytes = await readEvidenceBytes(db, evidence.hash);
      if (!bytes) throw apiError("EVIDENCE_NOT_FOUND");
      return reply
        .headers({
          "content-type": evidence.mime,
          "content-length": String(bytes.byteLength),
          "content-disposition": attachment(evidence.fileName),
          "x-content-type-options": "nosniff",
          "content-security-policy": "default-src 'none'; sandbox",
          "cache-control": "private, no-store",
        })
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
}

const MAX_ID = 2_147_483_647;

/** The task id of the upload route, checked by hand: that route's compiler only documents its multipart body. */
function taskIdOf(params: unknown): number {
  const raw = typeof params === "object" && params !== null && "id" in params ? String(params.id) : "";
  const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : 0;
  if (id < 1 || id > MAX_ID) throw apiError("VALIDATION_FAILED", { message: "“编号”应为整数。" });
  return id;
}

