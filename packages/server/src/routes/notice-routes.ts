// The scheduler's notices as people reach them: each user's message centre (站内消息), the
// office's and leaders' list of 督办单 with the fields for printing one, and the channels the
// office sends on (email, DingTalk and WeCom group robots, any webhook). A channel's secrets (the
// mail password, a robot's token and 加签 key) go in and are used, but never come back out whole.
import type { FastifyInstance } from "fastify";
import { supervisionNoticeLines, type SupervisionNoticeDraft } from "@taizhang/core";
import {
  CHANNEL_KINDS,
  NOTICE_AUDIENCES,
  NOTICE_KINDS,
  createChannel,
  getChannel,
  getSupervisionNotice,
  listChannels,
  listNotifications,
  listSupervisionNotices,
  markNoticeRead,
  updateChannel,
  type Channel,
  type ChannelKind,
  type JsonValue,
  type Notice,
  type NoticeAudienceColumn,
} from "@taizhang/store";
import { ADMIN_ONLY, ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { apiError } from "../errors.js";
import { channelTarget, sendOnChannel } from "../scheduler.js";
import { DATE, ID, INSTANT, idParams, type IdParams } from "../schemas.js";

const OFFICE_AND_LEADERS = ["admin", "leader"] as const;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
/** What a secret reads as on the way out. */
const MASK = "******";
/** Settings that are secrets as a whole; a webhook URL's query (the robot's token) is masked instead. */
const SECRET_SETTINGS = new Set(["pass", "secret"]);
const TEST_MESSAGE = { title: "台账测试消息", body: "这是一条测试消息:收到即说明督办提醒可以通过这个渠道送达。", details: [] } as const;

const NULLABLE_TEXT = { type: ["string", "null"] } as const;
const pageQuery = {
  type: "object",
  additionalProperties: false,
  properties: { limit: { type: "integer", minimum: 1, maximum: MAX_PAGE }, offset: { type: "integer", minimum: 0, maximum: 1_000_000 } },
} as const;

const notificationSchema = {
  type: "object",
  required: ["id", "taskId", "kind", "audience", "title", "body", "createdAt", "readAt"],
  properties: {
    id: ID,
    taskId: ID,
    kind: { type: "string", enum: NOTICE_KINDS },
    audience: { type: "string", enum: NOTICE_AUDIENCES },
    stage: { type: "string" },
    title: { type: "string" },
    body: { type: "string" },
    dueDate: DATE,
    period: { type: ["object", "null"], properties: { id: { type: "string" }, label: { type: "string" } } },
    overdueDays: { type: "integer" },
    supervisionNumber: NULLABLE_TEXT,
    createdAt: INSTANT,
    readAt: { type: ["string", "null"], format: "date-time" },
  },
} as const;

const unitNameSchema = { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } } as const;
const supervisionProperties = {
  id: ID,
  number: { type: "string", description: "督办〔2025〕第N号" },
  year: { type: "integer" },
  sequence: { type: "integer" },
  level: { type: "string", enum: ["unit_leader", "office"], description: "unit_leader:送牵头单位负责同志;office:报督查室印发" },
  taskId: ID,
  taskNumber: NULLABLE_TEXT,
  taskTitle: { type: "string" },
  leadUnit: { type: "string" },
  coUnits: { type: "array", items: { type: "string" } },
  dueDate: DATE,
  period: NULLABLE_TEXT,
  overdueDays: { type: "integer" },
  issuedOn: DATE,
  replyBy: DATE,
  createdAt: INSTANT,
} as const;
const supervisionSummarySchema = { type: "object", required: ["id", "number", "level", "taskId", "taskTitle", "issuedOn", "replyBy"], properties: supervisionProperties } as const;
const supervisionDetailSchema = {
  type: "object",
  required: [...supervisionSummarySchema.required, "requirement", "lines"],
  properties: {
    ...supervisionProperties,
    title: { type: "string" },
    body: { type: "string" },
    units: { type: "object", properties: { lead: unitNameSchema, co: { type: "array", items: unitNameSchema } } },
    requirement: { type: "string", description: "督办要求" },
    lines: { type: "array", items: { type: "string" }, description: "督办单逐行排版,供打印" },
  },
} as const;

const settingsProperties = {
  host: { type: "string", maxLength: 255 },
  port: { type: "integer", minimum: 1, maximum: 65_535 },
  secure: { type: "boolean" },
  user: { type: ["string", "null"], maxLength: 320 },
  pass: { type: ["string", "null"], maxLength: 1024 },
  from: { type: "string", maxLength: 320 },
  to: { type: "array", maxItems: 100, items: { type: "string", maxLength: 320 } },
  url: { type: "string", maxLength: 2048 },
  secret: { type: ["string", "null"], maxLength: 1024 },
} as const;
const settingsDescription = "smtp:host、port、secure、user、pass、from、to(收件人列表);dingtalk:url、secret(加签密钥,可空);wecom、webhook:url。密码、密钥和地址中的令牌在返回时以 ****** 代替;修改时原样带回 ****** 即保留原值。";
const audiencesSchema = { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: NOTICE_AUDIENCES } } as const;
const channelSchema = {
  type: "object",
  required: ["id", "name", "kind", "settings", "audiences", "enabled"],
  properties: {
    id: ID,
    name: { type: "string" },
    kind: { type: "string", enum: CHANNEL_KINDS },
    settings: { type: "object", properties: settingsProperties },
    audiences: audiencesSchema,
    enabled: { type: "boolean" },
    createdAt: INSTANT,
    updatedAt: INSTANT,
  },
} as const;
const channelBodyProperties = {
  name: { type: "string", minLength: 1, maxLength: 100, pattern: "\\S" },
  settings: { type: "object", additionalProperties: false, properties: settingsProperties, description: settingsDescription },
  audiences: audiencesSchema,
  enabled: { type: "boolean" },
} as const;

type Settings = { [key: string]: JsonValue };
interface PageQuery {
  limit?: number;
  offset?: number;
}
interface ChannelBody {
  name: string;
  kind: ChannelKind;
  settings: Settings;
  audiences?: NoticeAudienceColumn[];
  enabled?: boolean;
}
type ChannelPatch = Partial<Omit<ChannelBody, "kind">>;

export function registerNoticeRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get<{ Querystring: PageQuery & { unread?: boolean } }>(
    "/api/notifications",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.workflow],
        summary: "我的消息:到期提醒、催办和督办,最新的在前,附未读条数",
        description: "报送员收到本单位的提醒和催办,领导收到督办(牵头单位有领导账号时只发给该单位的领导),督查室管理员收到逾期督办。",
        querystring: { ...pageQuery, properties: { ...pageQuery.properties, unread: { type: "boolean" } } },
        response: {
          200: {
            type: "object",
            required: ["items", "unread", "limit", "offset", "hasMore"],
            properties: { items: { type: "array", items: notificationSchema }, unread: { type: "integer" }, limit: { type: "integer" }, offset: { type: "integer" }, hasMore: { type: "boolean" } },
          },
        },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const offset = request.query.offset ?? 0;
      // One more than asked: whether a next page exists, without counting them all.
      const page = await listNotifications(db, { userId: user.id, limit: limit + 1, offset, unreadOnly: request.query.unread === true });
      return { items: page.items.slice(0, limit), unread: page.unread, limit, offset, hasMore: page.items.length > limit };
    },
  );

  app.post<{ Params: IdParams }>(
    "/api/notifications/:id/read",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.workflow],
        summary: "把一条消息标为已读(再次标记保留第一次的时间)",
        params: idParams,
        response: { 200: { type: "object", required: ["id", "readAt"], properties: { id: ID, readAt: INSTANT } } },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const read = await markNoticeRead(db, { userId: user.id, noticeId: request.params.id, at: context.now() });
      if (!read) throw apiError("NOTIFICATION_NOT_FOUND");
      return { id: read.noticeId, readAt: read.readAt };
    },
  );

  app.get<{ Querystring: PageQuery }>(
    "/api/supervision-notices",
    {
      config: { access: { roles: OFFICE_AND_LEADERS } },
      schema: {
        tags: [TAGS.workflow],
        summary: "督办单列表(按编号,最新的在前)",
        querystring: pageQuery,
        response: {
          200: {
            type: "object",
            required: ["items", "limit", "offset", "hasMore"],
            properties: { items: { type: "array", items: supervisionSummarySchema }, limit: { type: "integer" }, offset: { type: "integer" }, hasMore: { type: "boolean" } },
          },
        },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const offset = request.query.offset ?? 0;
      const notices = await listSupervisionNotices(db, { organisationId: user.organisationId, limit: limit + 1, offset });
      return { items: notices.slice(0, limit).map(supervisionView), limit, offset, hasMore: notices.length > limit };
    },
  );

  app.get<{ Params: IdParams }>(
    "/api/supervision-notices/:id",
    {
      config: { access: { roles: OFFICE_AND_LEADERS } },
      schema: {
        tags: [TAGS.workflow],
        summary: "一份督办单:编号、督办事项、承办单位、时限、督办要求、反馈时限,以及供打印的逐行排版",
        params: idParams,
        response: { 200: supervisionDetailSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const notice = await getSupervisionNotice(db, { organisationId: user.organisationId, noticeId: request.params.id });
      if (!notice || notice.supervisionSequence === null) throw apiError("SUPERVISION_NOTICE_NOT_FOUND");
      const draft = notice.supervision as unknown as SupervisionNoticeDraft;
      return { ...supervisionView(notice), title: notice.title, body: notice.body, units: draft.units, requirement: draft.requirement, lines: supervisionNoticeLines(draft, notice.supervisionSequence) };
    },
  );

  app.get(
    "/api/channels",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: { tags: [TAGS.workflow], summary: "发送渠道(邮件、钉钉群机器人、企业微信群机器人、Webhook);密钥不返回", response: { 200: { type: "array", items: channelSchema } } },
    },
    async (request) => {
      const { user } = requireAuth(request);
      return (await listChannels(db, user.organisationId)).map(channelView);
    },
  );

  app.post<{ Body: ChannelBody }>(
    "/api/channels",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.workflow],
        summary: "添加发送渠道",
        description: `audiences:发给哪些对象的消息走这个渠道(unit 承办单位、unit_leader 单位负责同志、office 督查室),默认全部。${settingsDescription}`,
        body: {
          type: "object",
          required: ["name", "kind", "settings"],
          additionalProperties: false,
          properties: { ...channelBodyProperties, kind: { type: "string", enum: CHANNEL_KINDS } },
        },
        response: { 201: channelSchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const { name, kind, settings, audiences, enabled } = request.body;
      checkSettings(kind, settings);
      const channel = await createChannel(db, { organisationId: user.organisationId, name, kind, settings, ...(audiences && { audiences }), ...(enabled !== undefined && { enabled }), actorId: user.id });
      return reply.code(201).send(channelView(channel));
    },
  );

  app.patch<{ Params: IdParams; Body: ChannelPatch }>(
    "/api/channels/:id",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.workflow],
        summary: "修改发送渠道(名称、设置、对象、启用或停用);设置只改所给的项",
        params: idParams,
        body: { type: "object", additionalProperties: false, minProperties: 1, properties: channelBodyProperties },
        response: { 200: channelSchema },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const channel = await channelOf(user.organisationId, request.params.id);
      const { settings: patch, ...rest } = request.body;
      const settings = patch === undefined ? undefined : mergeSettings(channel.settings, patch);
      if (settings !== undefined) checkSettings(channel.kind, settings);
      const updated = await updateChannel(db, { organisationId: user.organisationId, channelId: channel.id, changes: { ...rest, ...(settings && { settings }) }, actorId: user.id, at: context.now() });
      if (!updated) throw apiError("CHANNEL_NOT_FOUND");
      return channelView(updated);
    },
  );

  app.post<{ Params: IdParams }>(
    "/api/channels/:id/test",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.workflow],
        summary: "通过渠道发送一条测试消息(只试一次),返回是否送达及原因",
        params: idParams,
        response: {
          200: {
            type: "object",
            required: ["ok"],
            properties: { ok: { type: "boolean" }, code: NULLABLE_TEXT, message: NULLABLE_TEXT, detail: NULLABLE_TEXT },
          },
        },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const channel = await channelOf(user.organisationId, request.params.id);
      const result = await sendOnChannel(channel, TEST_MESSAGE, { now: context.now });
      return result.ok ? { ok: true, code: null, message: null, detail: result.detail } : { ok: false, ...result.failure };
    },
  );

  async function channelOf(organisationId: number, channelId: number): Promise<Channel> {
    const channel = await getChannel(db, { organisationId, channelId });
    if (!channel) throw apiError("CHANNEL_NOT_FOUND");
    return channel;
  }
}

function supervisionView(notice: Notice) {
  const draft = notice.supervision as unknown as SupervisionNoticeDraft;
  return {
    id: notice.id,
    number: notice.supervisionNumber,
    year: notice.supervisionYear,
    sequence: notice.supervisionSequence,
    level: draft.level,
    taskId: notice.taskId,
    taskNumber: draft.task.number,
    taskTitle: draft.task.title,
    leadUnit: draft.units.lead.name,
    coUnits: draft.units.co.map((unit) => unit.name),
    dueDate: draft.dueDate,
    period: draft.period?.label ?? null,
    overdueDays: draft.overdueDays,
    issuedOn: draft.issuedOn,
    replyBy: draft.replyBy,
    createdAt: notice.createdAt,
  };
}

function checkSettings(kind: ChannelKind, settings: Settings): void {
  const parsed = channelTarget(kind, settings);
  if (!parsed.ok) throw apiError("CHANNEL_SETTINGS_INVALID", { message: parsed.problem });
}

function channelView(channel: Channel) {
  return { ...channel, settings: maskSettings(channel.settings) };
}

/** The settings with their secrets replaced: the password and key whole, a webhook URL's query values. */
function maskSettings(settings: Settings): Settings {
  const masked: Settings = {};
  for (const [key, value] of Object.entries(settings)) {
    if (SECRET_SETTINGS.has(key) && typeof value === "string" && value !== "") masked[key] = MASK;
    else if (key === "url" && typeof value === "string") masked[key] = maskUrl(value);
    else masked[key] = value;
  }
  return masked;
}

/** A robot's address carries its token in the query (access_token=…, key=…): the values are masked. */
function maskUrl(text: string): string {
  if (!URL.canParse(text)) return MASK;
  const url = new URL(text);
  if (url.username || url.password) {
    url.username = url.username ? MASK : "";
    url.password = url.password ? MASK : "";
  }
  const query = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=${MASK}`).join("&");
  url.search = "";
  return `${url.toString()}${query ? `?${query}` : ""}`;
}

/** The patch over the stored settings; a secret sent back as it was shown (masked) keeps its value. */
function mergeSettings(stored: Settings, patch: Settings): Settings {
  const shown = maskSettings(stored);
  const merged: Settings = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if ((SECRET_SETTINGS.has(key) || key === "url") && value === shown[key] && value !== stored[key]) continue;
    merged[key] = value;
  }
  return merged;
}
