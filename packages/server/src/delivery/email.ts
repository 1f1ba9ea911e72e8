// Email over SMTP (nodemailer): a notice as a plain-text and a simple HTML part, in Chinese.
// nodemailer encodes the Chinese subject (RFC 2047) and bodies; this module builds the message,
// and turns every SMTP or network error into a DeliveryResult: a code, a message a clerk
// understands, whether trying again may help, and the server's own words for the log.
import nodemailer, { type NodemailerError, type SMTPSentMessageInfo, type SMTPTransportOptions, type Transporter } from "nodemailer";
import type { NoticeMessage } from "@taizhang/core";
import type { DeliveryFailure, DeliveryResult } from "./retry.js";

/** The organisation's outgoing mail settings. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Null for a relay that takes mail without a login. */
  user: string | null;
  pass: string | null;
  /** The sender, e.g. "市教育局督查室 <duban@jyj.example.gov.cn>". */
  from: string;
  /** Connecting, the greeting and each reply; defaults to 15 seconds. */
  timeoutMs?: number;
}

export interface Mailer {
  transport: Transporter<SMTPSentMessageInfo, SMTPTransportOptions>;
  from: string;
  /** "host:port", for messages. */
  server: string;
}

export const EMAIL_FAILURES = {
  EMAIL_NO_RECIPIENTS: "没有收件人邮箱,邮件未发送。",
  SMTP_UNREACHABLE: "连接不上邮件服务器 {server},请检查服务器地址和端口,或稍后重试。",
  SMTP_TIMEOUT: "邮件服务器 {server} 长时间没有答复。",
  SMTP_TLS: "与邮件服务器 {server} 建立加密连接失败,请检查“加密连接”设置是否与端口相符(465 端口通常需要加密连接)。",
  SMTP_AUTH: "邮件服务器 {server} 拒绝了登录,请检查发信账号和密码(部分邮箱需使用授权码)。",
  SMTP_REJECTED: "邮件服务器 {server} 拒收了这封邮件{recipients}。",
  SMTP_DEFERRED: "邮件服务器 {server} 暂时不接收这封邮件{recipients}。",
  SMTP_FAILED: "通过邮件服务器 {server} 发送邮件失败。",
} as const satisfies Record<string, string>;
export type EmailFailureCode = keyof typeof EMAIL_FAILURES;

export const DEFAULT_SMTP_TIMEOUT_MS = 15_000;

export function createMailer(settings: SmtpSettings): Mailer {
  const timeout = settings.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.pass ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return { transport, from: settings.from, server: `${settings.host}:${settings.port}` };
}

/** Subject, plain text and HTML of a notice. */
export function noticeEmail(message: NoticeMessage): { subject: string; text: string; html: string } {
  const text = [message.body, ...(message.details.length > 0 ? ["", "—".repeat(20), ...message.details] : [])].join("\n");
  const details = message.details.length > 0 ? `<hr>${message.details.map((line) => `<p>${escapeHtml(line)}</p>`).join("")}` : "";
  const html =
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(message.title)}</title></head>` +
    `<body style="font-family:sans-serif;line-height:1.6"><h3>${escapeHtml(message.title)}</h3><p>${escapeHtml(message.body)}</p>${details}</body></html>`;
  return { subject: message.title, text, html };
}

export async function sendNoticeEmail(mailer: Mailer, to: readonly string[], message: NoticeMessage): Promise<DeliveryResult> {
  if (to.length === 0) return failure("EMAIL_NO_RECIPIENTS", {}, false, null);
  const { subject, text, html } = noticeEmail(message);
  try {
    const info = await mailer.transport.sendMail({ from: mailer.from, to: [...to], subject, text, html });
    const rejected = info.rejected;
    // Some recipients taken is a delivery; the ones refused go into the log.
    const refused = rejected.length > 0 ? `;拒收:${rejected.join("、")}` : "";
    return { ok: true, detail: `${info.response}${refused}` };
  } catch (error) {
    return smtpFailure(mailer.server, error instanceof Error ? (error as NodemailerError) : new Error(String(error)));
  }
}

function smtpFailure(server: string, error: NodemailerError): DeliveryResult {
  const detail = [error.code, error.responseCode, error.response ?? error.message].filter((part) => part !== undefined).join(" ");
  const recipients = error.rejected && error.rejected.length > 0 ? `(收件人:${error.rejected.join("、")})` : "";
  if (error.responseCode !== undefined && error.code !== "EAUTH") {
    // RFC 5321: 5yz is final, 4yz is "try again later"; nodemailer works it out (503 aside).
    const permanent = error.permanent ?? error.responseCode >= 500;
    return failure(permanent ? "SMTP_REJECTED" : "SMTP_DEFERRED", { server, recipients }, !permanent, detail);
  }
  switch (error.code) {
    case "EAUTH":
    case "ENOAUTH":
      return failure("SMTP_AUTH", { server }, false, detail);
    case "ETLS":
    case "EREQUIRETLS":
      return failure("SMTP_TLS", { server }, false, detail);
    case "ETIMEDOUT":
      return failure("SMTP_TIMEOUT", { server }, true, detail);
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
    case "EPROXY":
      return failure("SMTP_UNREACHABLE", { server }, true, detail);
    default:
      return failure("SMTP_FAILED", { server }, true, detail);
  }
}

function failure(code: EmailFailureCode, params: Readonly<Record<string, string>>, retryable: boolean, detail: string | null): DeliveryResult {
  const message = EMAIL_FAILURES[code].replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? `{${key}}`);
  const result: DeliveryFailure = { code, message, retryable, detail };
  return { ok: false, failure: result };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}
