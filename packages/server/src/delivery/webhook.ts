// Outgoing webhooks: a notice POSTed as JSON to a DingTalk group robot (钉钉自定义机器人), a WeCom
// group robot (企业微信群机器人), or any endpoint in a plain JSON format. The robots answer HTTP 200
// with {errcode, errmsg} even when they refuse a message, so their body decides, not the status.
// Never throws: every outcome is a DeliveryResult for the delivery log.
import { createHmac } from "node:crypto";
import type { NoticeMessage } from "@taizhang/core";
import type { DeliveryFailure, DeliveryResult } from "./retry.js";

export type WebhookTarget =
  /** `secret` (SEC…) when the robot's security setting is 加签. */
  | { format: "dingtalk"; url: string; secret?: string | null }
  | { format: "wecom"; url: string }
  | { format: "generic"; url: string };

export interface WebhookOptions {
  /** How long to wait for the whole answer. */
  timeoutMs?: number;
  /** The instant DingTalk's signature is made for (it refuses one more than an hour off). */
  now?: () => Date;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export const WEBHOOK_FAILURES = {
  WEBHOOK_BAD_URL: "“{url}”不是有效的 Webhook 地址,请填写以 http:// 或 https:// 开头的完整地址。",
  WEBHOOK_TIMEOUT: "{target}在 {seconds} 秒内没有答复。",
  WEBHOOK_UNREACHABLE: "连接不上{target},请检查地址是否正确,或稍后重试。",
  WEBHOOK_HTTP_STATUS: "{target}返回了 HTTP {status}。",
  ROBOT_ERROR: "{target}返回错误 {errcode}:{errmsg}。",
  ROBOT_SETTINGS: "{target}拒绝了消息(错误 {errcode}:{errmsg}),请检查机器人地址、加签密钥、自定义关键词或 IP 白名单。",
  ROBOT_BAD_REPLY: "{target}的答复无法识别,请确认填写的是机器人的 Webhook 地址。",
} as const satisfies Record<string, string>;
export type WebhookFailureCode = keyof typeof WEBHOOK_FAILURES;

const TARGET_NAMES: { readonly [F in WebhookTarget["format"]]: string } = { dingtalk: "钉钉机器人", wecom: "企业微信机器人", generic: "Webhook 地址" };

/**
 * Robot errors that the same message would get again: the robot's settings are wrong.
 * DingTalk 310000: the security check failed (signature, keyword or IP); 300001: no such token.
 * WeCom 93000: no such webhook key. Any other errcode (−1 系统繁忙, rate limits) may pass.
 */
const PERMANENT_ROBOT_ERRORS: { readonly [F in "dingtalk" | "wecom"]: readonly number[] } = { dingtalk: [310000, 300001], wecom: [93000] };

/** WeCom refuses a markdown content over 4096 bytes of UTF-8. */
const WECOM_MAX_CONTENT_BYTES = 4096;
const ELLIPSIS = "……";
const MS_PER_SECOND = 1000;

/** The URL and JSON body a target receives for a message. */
export function webhookRequest(target: WebhookTarget, message: NoticeMessage, now: Date): { url: string; body: unknown } {
  switch (target.format) {
    case "dingtalk":
      return {
        url: target.secret ? signedDingTalkUrl(target.url, target.secret, now.getTime()) : target.url,
        body: { msgtype: "markdown", markdown: { title: message.title, text: markdown(message) } },
      };
    case "wecom":
      return { url: target.url, body: { msgtype: "markdown", markdown: { content: truncateUtf8(markdown(message), WECOM_MAX_CONTENT_BYTES) } } };
    case "generic":
      return { url: target.url, body: { title: message.title, body: message.body, details: message.details } };
  }
}

/**
 * DingTalk's 加签: HMAC-SHA256 of "timestamp\nsecret" keyed with the secret, in Base64; the URL
 * carries it URL-encoded as `sign`, beside `timestamp` (milliseconds).
 */
export function dingTalkSignature(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

export async function sendWebhook(target: WebhookTarget, message: NoticeMessage, options: WebhookOptions = {}): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const name = TARGET_NAMES[target.format];
  if (!isHttpUrl(target.url)) return failure("WEBHOOK_BAD_URL", { url: target.url }, false, null);
  const request = webhookRequest(target, message, (options.now ?? (() => new Date()))());
  let status: number;
  let text: string;
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(request.body),
      // Covers reading the body too: a receiver that stalls mid-answer times out the same way.
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return failure("WEBHOOK_TIMEOUT", { target: name, seconds: String(timeoutMs / MS_PER_SECOND) }, true, errorText(error));
    }
    return failure("WEBHOOK_UNREACHABLE", { target: name }, true, errorText(error));
  }
  if (status < 200 || status >= 300) {
    // 408, 429 and 5xx may pass; any other 4xx is this request's fault and will not.
    const retryable = status === 408 || status === 429 || status >= 500;
    return failure("WEBHOOK_HTTP_STATUS", { target: name, status: String(status) }, retryable, text.slice(0, 500));
  }
  if (target.format === "generic") return { ok: true, detail: `HTTP ${status}` };
  return robotOutcome(target.format, name, text);
}

function robotOutcome(format: "dingtalk" | "wecom", name: string, text: string): DeliveryResult {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return failure("ROBOT_BAD_REPLY", { target: name }, false, text.slice(0, 500));
  }
  const errcode = typeof reply === "object" && reply !== null && "errcode" in reply ? reply.errcode : undefined;
  const errmsg = typeof reply === "object" && reply !== null && "errmsg" in reply ? String(reply.errmsg) : "";
  if (typeof errcode !== "number") return failure("ROBOT_BAD_REPLY", { target: name }, false, text.slice(0, 500));
  if (errcode === 0) return { ok: true, detail: `errcode 0 ${errmsg}`.trim() };
  const params = { target: name, errcode: String(errcode), errmsg };
  if (PERMANENT_ROBOT_ERRORS[format].includes(errcode)) return failure("ROBOT_SETTINGS", params, false, text.slice(0, 500));
  return failure("ROBOT_ERROR", params, true, text.slice(0, 500));
}

/** Title as a heading, the body, and the 督办单 below a rule; a blank line makes a line break in both robots. */
function markdown(message: NoticeMessage): string {
  const parts = [`### ${message.title}`, message.body];
  if (message.details.length > 0) parts.push("---", ...message.details);
  return parts.join("\n\n");
}

function signedDingTalkUrl(url: string, secret: string, timestampMs: number): string {
  const signed = new URL(url);
  signed.searchParams.set("timestamp", String(timestampMs));
  // URLSearchParams encodes + / = as %2B %2F %3D, as DingTalk's urlEncode of the Base64 expects.
  signed.searchParams.set("sign", dingTalkSignature(secret, timestampMs));
  return signed.toString();
}

/** Whether a channel's address is one a webhook can be posted to. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Cuts at a whole character, so the robot gets valid UTF-8. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS, "utf8");
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, "utf8");
    if (bytes + size > budget) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end) + ELLIPSIS;
}

function failure(code: WebhookFailureCode, params: Readonly<Record<string, string>>, retryable: boolean, detail: string | null): DeliveryResult {
  const message = WEBHOOK_FAILURES[code].replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? `{${key}}`);
  const result: DeliveryFailure = { code, message, retryable, detail };
  return { ok: false, failure: result };
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the socket error ("fetch failed"); the cause says what happened (ECONNREFUSED …).
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.name}: ${error.message}${cause}`;
}
