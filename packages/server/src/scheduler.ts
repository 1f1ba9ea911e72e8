// Supervision that runs itself: on each run (tick), for every organisation, read the dispatched
// tasks in batches, ask core's rules which reminders, 催办 and escalations are due now, record the
// new ones (each with a pending delivery per enabled channel), then send every delivery that is
// due, retrying with backoff inside the run and, when a run's attempts all fail, in a later run.
//
// Several app instances may run ticks on one database at once; each notice is still recorded
// once and each delivery sent once (see the store's notices.ts): a notice belongs to the instance
// whose insert of its dedupe key took, a delivery to the instance that holds its lease. The only
// clock is the one passed in: tests call tick(now) with a fixed instant; serve() runs start().
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import {
  DEFAULT_LIGHT_SETTINGS,
  DEFAULT_SUPERVISION_RULES,
  supervisionNoticeLines,
  supervisionNotices,
  type NoticeMessage,
  type SupervisedTask,
  type SupervisionNotice,
  type SupervisionNoticeDraft,
  type SupervisionRules,
  type LightSettings,
} from "@taizhang/core";
import {
  claimDeliveries,
  finishDelivery,
  listChannels,
  listOrganisations,
  listUnits,
  recordDeliveryAttempt,
  recordNotice,
  recordedNoticeKeys,
  supervisedTaskIds,
  taskHeadings,
  type Channel,
  type ClaimedDelivery,
  type JsonValue,
  type Notice,
  type NoticeInput,
} from "@taizhang/store";
import type { Db } from "./context.js";
import { createMailer, sendNoticeEmail } from "./delivery/email.js";
import { backoffDelay, deliverWithRetry, SYSTEM_CLOCK, type DeliveryResult, type RetryClock, type RetryPolicy } from "./delivery/retry.js";
import { isHttpUrl, sendWebhook, type WebhookTarget } from "./delivery/webhook.js";
import { refreshLights } from "./task-lights.js";
import { loadTaskFacts } from "./workflow-state.js";

/** Attempts inside one run: 2 s, then 6 s (half of each random), before the run moves on. */
export const RUN_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 3, initialDelayMs: 2_000, multiplier: 3, maxDelayMs: 30_000 });
/**
 * Between runs, once a run's attempts have all failed: 5 min, 15 min, 45 min … up to 6 h; after
 * this many runs the delivery is failed for good (with every attempt recorded).
 */
export const REDELIVERY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 6, initialDelayMs: 5 * 60_000, multiplier: 3, maxDelayMs: 6 * 60 * 60_000 });
/** Longer than a claimed batch can take (each attempt times out in 15 s), so a lease never runs out mid-send. */
export const DEFAULT_LEASE_MS = 15 * 60_000;
export const DEFAULT_INTERVAL_MS = 5 * 60_000;
/** Tasks read per round trip; deliveries leased per claim. */
const TASK_BATCH = 500;
const CLAIM_BATCH = 10;

export interface SchedulerOptions {
  db: Db;
  /** The clock for start(); tick(now) takes its own. Default: the system clock. */
  now?: () => Date;
  rules?: SupervisionRules;
  /** Only this organisation (`taizhang remind --org`); default: every one. */
  organisationId?: number;
  /** Names this instance in leases and in the attempts it records. */
  instance?: string;
  runRetry?: RetryPolicy;
  redelivery?: RetryPolicy;
  /** The retry waits and attempt times; tests make the waits free. */
  retryClock?: RetryClock;
  leaseMs?: number;
  /** Timeouts of one SMTP exchange step and one webhook request. */
  smtpTimeoutMs?: number;
  webhookTimeoutMs?: number;
  log?: Pick<FastifyBaseLogger, "info" | "warn" | "error">;
  /** The app's light settings: each run brings the remembered lights up to date with them. */
  lightSettings?: LightSettings;
}

export interface RecordResult {
  /** Notices this run recorded (another instance's are not counted). */
  recorded: number;
  /** Of those, escalations numbered as 督办单. */
  supervisionNotices: number;
}

export interface DeliverResult {
  /** Deliveries this run sent, failed for good, and left for a later run. */
  sent: number;
  failed: number;
  retrying: number;
}

export type TickResult = RecordResult & DeliverResult;

export interface Scheduler {
  readonly instance: string;
  /** record(now), then deliver(now). */
  tick(now?: Date): Promise<TickResult>;
  /** Records the notices due at `now` in every organisation, with their pending deliveries. */
  record(now?: Date): Promise<RecordResult>;
  /** Sends the deliveries due at `now` that no other instance holds. */
  deliver(now?: Date): Promise<DeliverResult>;
  /** Runs a tick every intervalMs (the first after one interval); a run never overlaps the one before. */
  start(intervalMs?: number): void;
  /** Stops the timer and waits for a run in flight. */
  stop(): Promise<void>;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db } = options;
  const clock = options.now ?? (() => new Date());
  const rules = options.rules ?? DEFAULT_SUPERVISION_RULES;
  const instance = options.instance ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const runRetry = options.runRetry ?? RUN_RETRY_POLICY;
  const redelivery = options.redelivery ?? REDELIVERY_POLICY;
  const retryClock = options.retryClock ?? SYSTEM_CLOCK;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const sendOptions: SendOptions = { now: () => retryClock.now(), ...(options.smtpTimeoutMs !== undefined && { smtpTimeoutMs: options.smtpTimeoutMs }), ...(options.webhookTimeoutMs !== undefined && { webhookTimeoutMs: options.webhookTimeoutMs }) };

  async function deliverOne(delivery: ClaimedDelivery, now: Date): Promise<keyof DeliverResult> {
    const message = noticeMessageOf(delivery.notice);
    const report = await deliverWithRetry(() => sendOnChannel(delivery.channel, message, sendOptions), {
      policy: runRetry,
      clock: retryClock,
      onAttempt: async (attempt) => {
        const { result } = attempt;
        await recordDeliveryAttempt(db, {
          deliveryId: delivery.id,
          instance,
          attempt: {
            startedAt: attempt.startedAt,
            finishedAt: attempt.finishedAt,
            ok: result.ok,
            code: result.ok ? null : result.failure.code,
            message: result.ok ? null : result.failure.message,
            detail: result.ok ? result.detail : result.failure.detail,
            retryable: result.ok ? null : result.failure.retryable,
          },
        });
      },
    });
    const last = report.attempts.at(-1)?.result;
    if (report.ok) {
      await finishDelivery(db, { deliveryId: delivery.id, instance, outcome: { state: "sent", at: now } });
      return "sent";
    }
    const runs = Math.ceil((delivery.attempts + report.attempts.length) / runRetry.maxAttempts);
    const final = last !== undefined && !last.ok && !last.failure.retryable;
    if (final || runs >= redelivery.maxAttempts) {
      await finishDelivery(db, { deliveryId: delivery.id, instance, outcome: { state: "failed", at: now } });
      options.log?.warn({ deliveryId: delivery.id, channelId: delivery.channel.id, code: last && !last.ok ? last.failure.code : null }, "delivery failed for good");
      return "failed";
    }
    const nextAttemptAt = new Date(now.getTime() + backoffDelay(runs, redelivery, retryClock.random()));
    await finishDelivery(db, { deliveryId: delivery.id, instance, outcome: { state: "pending", at: now, nextAttemptAt } });
    return "retrying";
  }

  async function record(now: Date = clock()): Promise<RecordResult> {
    const result: RecordResult = { recorded: 0, supervisionNotices: 0 };
    const organisations = (await listOrganisations(db)).filter((organisation) => options.organisationId === undefined || organisation.id === options.organisationId);
    for (const organisation of organisations) {
      for await (const batch of dueNoticeBatches(db, organisation.id, now, rules)) {
        for (const due of batch) {
          const recorded = await recordNotice(db, { organisationId: organisation.id, notice: noticeInput(due.notice), at: now });
          if (!recorded) continue;
          result.recorded++;
          if (recorded.notice.supervisionNumber !== null) result.supervisionNotices++;
        }
      }
    }
    return result;
  }

  async function deliver(now: Date = clock()): Promise<DeliverResult> {
    const result: DeliverResult = { sent: 0, failed: 0, retrying: 0 };
    for (;;) {
      const claimed = await claimDeliveries(db, { instance, now, leaseMs, limit: CLAIM_BATCH, ...(options.organisationId !== undefined && { organisationId: options.organisationId }) });
      if (claimed.length === 0) return result;
      for (const delivery of claimed) result[await deliverOne(delivery, now)]++;
    }
  }

  async function tick(now: Date = clock()): Promise<TickResult> {
    // The first run after midnight computes the day's lights, so the first person to filter the
    // ledger by light in the morning does not wait for it; later runs find little to do.
    for (const organisation of await listOrganisations(db)) {
      if (options.organisationId === undefined || organisation.id === options.organisationId) await refreshLights(db, organisation.id, now, options.lightSettings ?? DEFAULT_LIGHT_SETTINGS);
    }
    const result = { ...(await record(now)), ...(await deliver(now)) };
    if (result.recorded + result.sent + result.failed + result.retrying > 0) options.log?.info({ instance, ...result }, "supervision run");
    return result;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  return {
    instance,
    tick,
    record,
    deliver,
    start(intervalMs = DEFAULT_INTERVAL_MS) {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        // A run longer than the interval is not joined by another: the next one waits its turn.
        if (busy) return;
        busy = true;
        running = tick()
          .catch((error: unknown) => options.log?.error({ err: error }, "supervision run failed"))
          .finally(() => {
            busy = false;
          });
      }, intervalMs);
      // The server keeps the process alive, not the scheduler.
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** A notice due now and not yet recorded, with the names a person reads it by. */
export interface DueNotice {
  notice: SupervisionNotice;
  taskNumber: string | null;
  /** The names of notice.unitIds. */
  unitNames: string[];
  /** The enabled channels it would go out on. */
  channels: string[];
}

/** Everything tick(now) would record for the organisation, without writing (`taizhang remind --dry-run`). */
export async function dueNotices(db: Db, organisationId: number, now: Date, rules: SupervisionRules = DEFAULT_SUPERVISION_RULES): Promise<DueNotice[]> {
  const all: DueNotice[] = [];
  for await (const batch of dueNoticeBatches(db, organisationId, now, rules)) all.push(...batch);
  return all;
}

/** The due notices not yet recorded, a batch of tasks at a time. */
async function* dueNoticeBatches(db: Db, organisationId: number, now: Date, rules: SupervisionRules): AsyncGenerator<DueNotice[]> {
  const unitNames: Record<string, string> = {};
  for (const unit of await listUnits(db, organisationId)) unitNames[String(unit.id)] = unit.name;
  const channels = (await listChannels(db, organisationId)).filter((channel) => channel.enabled);
  let afterId = 0;
  for (;;) {
    const ids = await supervisedTaskIds(db, { organisationId, afterId, limit: TASK_BATCH });
    if (ids.length === 0) return;
    const facts = await loadTaskFacts(db, organisationId, ids);
    const headings = await taskHeadings(db, organisationId, ids);
    const tasks: SupervisedTask[] = [];
    for (const id of ids) {
      const fact = facts.get(id);
      const heading = headings.get(id);
      if (fact && heading) tasks.push({ state: fact.state, reports: fact.reports, title: heading.title, number: heading.number || null, unitNames });
    }
    const notices = supervisionNotices(tasks, now, rules);
    const recorded = await recordedNoticeKeys(db, organisationId, notices.map((notice) => notice.dedupeKey));
    yield notices
      .filter((notice) => !recorded.has(notice.dedupeKey))
      .map((notice) => ({
        notice,
        taskNumber: headings.get(Number(notice.taskId))?.number || null,
        unitNames: notice.unitIds.map((id) => unitNames[id] ?? "承办单位"),
        channels: channels.filter((channel) => channel.audiences.includes(notice.audience)).map((channel) => channel.name),
      }));
    afterId = ids[ids.length - 1] ?? afterId;
    if (ids.length < TASK_BATCH) return;
  }
}

function noticeInput(notice: SupervisionNotice): NoticeInput {
  const draft = notice.supervisionNotice;
  return {
    taskId: Number(notice.taskId),
    kind: notice.kind,
    audience: notice.audience,
    stage: notice.stage,
    dedupeKey: notice.dedupeKey,
    unitIds: notice.unitIds.map(Number),
    dueDate: notice.dueDate,
    period: notice.period,
    overdueDays: notice.overdueDays,
    title: notice.title,
    body: notice.body,
    // Dates in the draft are already ISO strings: the JSON is the draft as it is.
    supervision: draft === null ? null : { year: draft.year, draft: JSON.parse(JSON.stringify(draft)) as JsonValue },
  };
}

/** What a channel sends for a recorded notice: its words, and the 督办单 laid out when there is one. */
export function noticeMessageOf(notice: Notice): NoticeMessage {
  const draft = notice.supervision as SupervisionNoticeDraft | null;
  const details = draft !== null && notice.supervisionSequence !== null ? supervisionNoticeLines(draft, notice.supervisionSequence) : [];
  return { title: notice.title, body: notice.body, details };
}

// ---- channels ------------------------------------------------------------------------------

/** A channel's settings as the adapters take them. */
export type ChannelTarget =
  | { kind: "smtp"; host: string; port: number; secure: boolean; user: string | null; pass: string | null; from: string; to: string[] }
  | { kind: "dingtalk"; url: string; secret: string | null }
  | { kind: "wecom"; url: string }
  | { kind: "webhook"; url: string };

/** The settings of a channel of this kind, or what is wrong with them (in Chinese, naming the field). */
export function channelTarget(kind: Channel["kind"], settings: { readonly [key: string]: JsonValue }): { ok: true; target: ChannelTarget } | { ok: false; problem: string } {
  const text = (key: string): string | null => {
    const value = settings[key];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
  };
  if (kind !== "smtp") {
    const url = text("url");
    if (url === null || !isHttpUrl(url)) return { ok: false, problem: "请填写以 http:// 或 https:// 开头的完整 Webhook 地址(url)。" };
    if (kind === "dingtalk") return { ok: true, target: { kind, url, secret: text("secret") } };
    return { ok: true, target: { kind, url } };
  }
  const host = text("host");
  const from = text("from");
  const port = settings.port;
  const to = settings.to;
  if (host === null) return { ok: false, problem: "请填写邮件服务器地址(host)。" };
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65_535) return { ok: false, problem: "邮件服务器端口(port)应为 1–65535 之间的整数。" };
  if (from === null) return { ok: false, problem: "请填写发件人(from),如“督查室 <duban@example.gov.cn>”。" };
  if (!Array.isArray(to) || to.length === 0 || !to.every((address) => typeof address === "string" && EMAIL.test(address))) {
    return { ok: false, problem: "请填写至少一个有效的收件人邮箱(to)。" };
  }
  return { ok: true, target: { kind, host, port, secure: settings.secure === true, user: text("user"), pass: text("pass"), from, to: to as string[] } };
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

export interface SendOptions {
  now?: () => Date;
  smtpTimeoutMs?: number;
  webhookTimeoutMs?: number;
}

/** One attempt to send a message on a channel; never throws. */
export async function sendOnChannel(channel: Channel, message: NoticeMessage, options: SendOptions = {}): Promise<DeliveryResult> {
  const parsed = channelTarget(channel.kind, channel.settings);
  if (!parsed.ok) return { ok: false, failure: { code: "CHANNEL_SETTINGS_INVALID", message: `渠道“${channel.name}”的设置不完整:${parsed.problem}`, retryable: false, detail: null } };
  const { target } = parsed;
  if (target.kind === "smtp") {
    const mailer = createMailer({ ...target, ...(options.smtpTimeoutMs !== undefined && { timeoutMs: options.smtpTimeoutMs }) });
    try {
      return await sendNoticeEmail(mailer, target.to, message);
    } finally {
      mailer.transport.close();
    }
  }
  const webhook: WebhookTarget = target.kind === "dingtalk" ? { format: "dingtalk", url: target.url, secret: target.secret } : { format: target.kind === "wecom" ? "wecom" : "generic", url: target.url };
  return sendWebhook(webhook, message, { ...(options.now && { now: options.now }), ...(options.webhookTimeoutMs !== undefined && { timeoutMs: options.webhookTimeoutMs }) });
}

