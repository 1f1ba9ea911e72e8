// 批示/意见 on a task: a leader's instruction, the office's note, a unit's reply, optionally about
// one of the task's reports. Whoever may see the task may read them and add one; for anyone
// else the task does not exist (404 TASK_NOT_FOUND), as everywhere.
import type { FastifyInstance } from "fastify";
import { addComment, listComments } from "@taizhang/store";
import { ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { apiError } from "../errors.js";
import { ID, commentSchema, idParams, type IdParams } from "../schemas.js";
import { visibleTaskId } from "./task-routes.js";

const MAX_COMMENT_LENGTH = 5000;

interface CommentBody {
  body: string;
  reportId?: number;
}

export function registerCommentRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get<{ Params: IdParams }>(
    "/api/tasks/:id/comments",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "任务的批示和意见(按时间先后)",
        params: idParams,
        response: { 200: { type: "array", items: commentSchema } },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const taskId = await visibleTaskId(db, user, request.params.id);
      return listComments(db, { organisationId: user.organisationId, taskId });
    },
  );

  app.post<{ Params: IdParams; Body: CommentBody }>(
    "/api/tasks/:id/comments",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "添加批示或意见",
        description: `能看到任务的人都可以添加。body 去掉首尾空白后 1–${MAX_COMMENT_LENGTH} 字;reportId 可指明针对该任务的哪份报送。`,
        params: idParams,
        body: {
          type: "object",
          required: ["body"],
          additionalProperties: false,
          properties: {
            body: { type: "string", minLength: 1, maxLength: MAX_COMMENT_LENGTH, pattern: "\\S" },
            reportId: ID,
          },
        },
        response: { 201: commentSchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const taskId = await visibleTaskId(db, user, request.params.id);
      const { body, reportId } = request.body;
      const result = await addComment(db, { organisationId: user.organisationId, taskId, reportId: reportId ?? null, authorId: user.id, body: body.trim() });
      if (!result.ok) throw apiError("COMMENT_REPORT_NOT_FOUND");
      return reply.code(201).send(result.comment);
    },
  );
}
