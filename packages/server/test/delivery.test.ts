// Delivery adapters against real receivers on loopback: an SMTP sink that speaks enough SMTP
// (node:net) and HTTP receivers (node:http) that answer as DingTalk and WeCom robots do. No
// database; the retry clock is fake so backoff costs no time.
import { createHmac } from "node:crypto";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTask, noticeMessage, supervisionNotices, type NoticeMessage, type SupervisedTask } from "@taizhang/core";
import { createMailer, sendNoticeEmail, type Mailer } from "../src/delivery/email.js";
import { backoffDelay, deliverWithRetry, type DeliveryResult, type RetryClock, type RetryPolicy } from "../src/delivery/retry.js";
import { dingTalkSignature, sendWebhook, webhookRequest } from "../src/delivery/webhook.js";
import { decodeHeader, parseMessage, part, receiver, smtpSink, type ReceivedMail, type ReceivedRequest } from "./receivers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A task three days past its office stage, and the 督办单 escalation notice it yields. */
function escalation(): NoticeMessage {
  const task: SupervisedTask = {
    state: {
      ...createTask({ id: "42", leadUnitId: "u1", coUnitIds: ["u2"], dueDate: "2025-06-30" }),
      status: "办理中",
      dispatchedAt: new Date("2025-03-03T09:00:00+08:00"),
    },
    reports: [],
    title: "推进集团化办学",
    number: "3",
    unitNames: { u1: "基础教育处", u2: "体卫艺处" },
  };
  const [notice] = supervisionNotices([task], new Date("2025-07-04T09:00:00+08:00"));
  if (notice?.kind !== "escalation_office") throw new Error("the fixture should escalate to the office");
  return noticeMessage(notice, 12);
}

/** A clock that moves only when the retry loop sleeps; random is fixed at the middle. */
function fakeClock(): RetryClock & { sleeps: number[] } {
  let time = Date.parse("2025-07-04T01:00:00Z");
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(time),
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    random: () => 0.5,
  };
}

const FAST: RetryPolicy = { maxAttempts: 5, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 60_000 };


function mailerFor(port: number, account: { user: string; pass: string } | null = null): Mailer {
  const mailer = createMailer({ host: "127.0.0.1", port, secure: false, user: account?.user ?? null, pass: account?.pass ?? null, from: "督查室 <duban@jyj.test>", timeoutMs: 2000 });
  closers.push(async () => mailer.transport.close());
  return mailer;
}


describe("email over SMTP", () => {
  it("sends a notice with its 督办单: the Chinese subject encoded, a plain-text and an HTML part", async () => {
    const account = { user: "duban", pass: "口令-2025" };
    const sink = await smtpSink({ account });
    const message = escalation();
    const result = await sendNoticeEmail(mailerFor(sink.port, account), ["jichu@jyj.test", "tiwei@jyj.test"], message);
    expect(result).toMatchObject({ ok: true });
    expect(sink.mails).toHaveLength(1);
    const mail = sink.mails[0] as ReceivedMail;
    expect(mail).toMatchObject({ from: "duban@jyj.test", to: ["jichu@jyj.test", "tiwei@jyj.test"], login: "duban" });
    const { headers } = parseMessage(mail.data);
    const subject = headers.get("subject") ?? "";
    // On the wire the header is 7-bit ASCII; decoded, it is the notice's title.
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toContain("=?UTF-8?");
    expect(decodeHeader(subject)).toBe("逾期督办:推进集团化办学");
    expect(decodeHeader(headers.get("from") ?? "")).toBe("督查室 <duban@jyj.test>");
    const text = part(mail.data, "text/plain");
    expect(text).toContain(message.body);
    expect(text).toContain("督办〔2025〕第12号");
    expect(text).toContain("反馈时限:2025年7月9日前");
    const html = part(mail.data, "text/html");
    expect(html).toContain("<h3>逾期督办:推进集团化办学</h3>");
    expect(html).toContain("<p>督办〔2025〕第12号</p>");
  });

  it("escapes the notice in the HTML part", async () => {
    const sink = await smtpSink();
    await sendNoticeEmail(mailerFor(sink.port), ["a@jyj.test"], { title: "测试 <b>", body: "A & B", details: [] });
    expect(part((sink.mails[0] as ReceivedMail).data, "text/html")).toContain("<p>A &amp; B</p>");
  });

  it("reports a refused login as final", async () => {
    const sink = await smtpSink({ account: { user: "duban", pass: "right" } });
    const result = await sendNoticeEmail(mailerFor(sink.port, { user: "duban", pass: "wrong" }), ["a@jyj.test"], escalation());
    expect(result).toMatchObject({ ok: false, failure: { code: "SMTP_AUTH", retryable: false } });
    expect(sink.mails).toHaveLength(0);
  });

  it("reports a refused recipient as final, a deferred one as worth retrying, and delivers to the rest", async () => {
    const refusing = await smtpSink({ rcpt: (address) => (address.startsWith("gone") ? "550 5.1.1 <gone@jyj.test>: user unknown" : null) });
    const refused = await sendNoticeEmail(mailerFor(refusing.port), ["gone@jyj.test"], escalation());
    expect(refused).toMatchObject({ ok: false, failure: { code: "SMTP_REJECTED", retryable: false } });
    if (!refused.ok) expect(refused.failure.detail).toContain("550");
    const partly = await sendNoticeEmail(mailerFor(refusing.port), ["gone@jyj.test", "here@jyj.test"], escalation());
    expect(partly.ok).toBe(true);
    if (partly.ok) expect(partly.detail).toContain("gone@jyj.test");
    expect(refusing.mails.map((mail) => mail.to)).toEqual([["here@jyj.test"]]);

    const deferring = await smtpSink({ rcpt: () => "451 4.3.0 Try again later" });
    expect(await sendNoticeEmail(mailerFor(deferring.port), ["a@jyj.test"], escalation())).toMatchObject({ ok: false, failure: { code: "SMTP_DEFERRED", retryable: true } });
  });

  it("reports a server that is not there as worth retrying, without throwing", async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await sendNoticeEmail(mailerFor(port), ["a@jyj.test"], escalation());
    expect(result).toMatchObject({ ok: false, failure: { code: "SMTP_UNREACHABLE", retryable: true } });
  });

  it("sends nothing without a recipient", async () => {
    const sink = await smtpSink();
    expect(await sendNoticeEmail(mailerFor(sink.port), [], escalation())).toMatchObject({ ok: false, failure: { code: "EMAIL_NO_RECIPIENTS", retryable: false } });
  });

  it("delivers on the second attempt when the server defers the first", async () => {
    const sink = await smtpSink({ afterData: (index) => (index === 0 ? "421 4.7.0 Too busy, try later" : null) });
    const mailer = mailerFor(sink.port);
    const clock = fakeClock();
    const report = await deliverWithRetry(() => sendNoticeEmail(mailer, ["a@jyj.test"], escalation()), { policy: FAST, clock });
    expect(report.ok).toBe(true);
    expect(report.attempts.map((attempt) => (attempt.result.ok ? "ok" : attempt.result.failure.code))).toEqual(["SMTP_DEFERRED", "ok"]);
    expect(sink.mails).toHaveLength(1);
  });
});


const SECRET = "SEC0123456789abcdef";

/** What DingTalk does with 加签: recompute the signature from the timestamp and compare. */
function dingTalkChecks(request: ReceivedRequest): boolean {
  const timestamp = request.url.searchParams.get("timestamp") ?? "";
  const expected = createHmac("sha256", SECRET).update(`${timestamp}\n${SECRET}`).digest("base64");
  return request.url.searchParams.get("sign") === expected;
}

const OK = { status: 200, body: JSON.stringify({ errcode: 0, errmsg: "ok" }) };
const SIGN_NOT_MATCH = { status: 200, body: JSON.stringify({ errcode: 310000, errmsg: "sign not match" }) };

function outcomes(results: readonly { result: DeliveryResult }[]): string[] {
  return results.map(({ result }) => (result.ok ? "ok" : result.failure.code));
}

describe("webhooks", () => {
  it("retries a DingTalk robot that fails twice (HTTP 500, then an errcode) and records all three attempts", async () => {
    const robot = await receiver((request, index) => {
      if (!dingTalkChecks(request)) return SIGN_NOT_MATCH;
      if (index === 0) return { status: 500, body: "Internal Server Error" };
      if (index === 1) return { status: 200, body: JSON.stringify({ errcode: 130101, errmsg: "send too fast, exceed 20 times per minute" }) };
      return OK;
    });
    const clock = fakeClock();
    const recorded: number[] = [];
    const message = escalation();
    const report = await deliverWithRetry(() => sendWebhook({ format: "dingtalk", url: robot.url, secret: SECRET }, message, { now: clock.now }), {
      policy: FAST,
      clock,
      onAttempt: (attempt) => void recorded.push(attempt.attempt),
    });
    expect(report.ok).toBe(true);
    expect(report.attempts).toHaveLength(3);
    expect(recorded).toEqual([1, 2, 3]);
    expect(outcomes(report.attempts)).toEqual(["WEBHOOK_HTTP_STATUS", "ROBOT_ERROR", "ok"]);
    expect(report.attempts[1]?.result).toMatchObject({ ok: false, failure: { retryable: true, message: "钉钉机器人返回错误 130101:send too fast, exceed 20 times per minute。" } });
    // 1 s then 2 s, each half fixed and half jitter (random = 0.5 → three quarters).
    expect(report.attempts.map((attempt) => attempt.retryInMs)).toEqual([750, 1500, null]);
    expect(clock.sleeps).toEqual([750, 1500]);
    expect(report.attempts.map((attempt) => attempt.startedAt.getTime() - (report.attempts[0]?.startedAt.getTime() ?? 0))).toEqual([0, 750, 2250]);
    // Each attempt signed afresh with the clock's time, as DingTalk allows an hour's drift at most.
    expect(robot.requests.map((request) => request.url.searchParams.get("timestamp"))).toEqual(
      report.attempts.map((attempt) => String(attempt.startedAt.getTime())),
    );
    expect(robot.requests[2]?.body).toEqual({ msgtype: "markdown", markdown: { title: message.title, text: expect.stringContaining("督办〔2025〕第12号") } });
    expect(robot.requests[2]?.url.searchParams.get("access_token")).toBe("tok");
  });

  it("signs as DingTalk documents, and a wrong secret is final", async () => {
    expect(dingTalkSignature("this is secret", 1_700_000_000_000)).toBe(createHmac("sha256", "this is secret").update("1700000000000\nthis is secret").digest("base64"));
    const robot = await receiver((request) => (dingTalkChecks(request) ? OK : SIGN_NOT_MATCH));
    const report = await deliverWithRetry(() => sendWebhook({ format: "dingtalk", url: robot.url, secret: "SECwrong" }, escalation()), { policy: FAST, clock: fakeClock() });
    expect(report.ok).toBe(false);
    expect(outcomes(report.attempts)).toEqual(["ROBOT_SETTINGS"]);
    expect(report.attempts[0]?.result).toMatchObject({ ok: false, failure: { retryable: false, detail: expect.stringContaining("310000") } });
  });

  it("records a receiver that never answers as a timeout", async () => {
    const silent = await receiver(() => "hang");
    const report = await deliverWithRetry(() => sendWebhook({ format: "generic", url: silent.url }, escalation(), { timeoutMs: 200 }), {
      policy: { ...FAST, maxAttempts: 2 },
      clock: fakeClock(),
    });
    expect(report.ok).toBe(false);
    expect(outcomes(report.attempts)).toEqual(["WEBHOOK_TIMEOUT", "WEBHOOK_TIMEOUT"]);
    expect(report.attempts[1]?.result).toMatchObject({ ok: false, failure: { retryable: true, message: "Webhook 地址在 0.2 秒内没有答复。" } });
    expect(silent.requests).toHaveLength(2);
  });

  it("speaks WeCom's format and treats its errcode as a failure", async () => {
    const robot = await receiver((_, index) => (index === 0 ? { status: 200, body: JSON.stringify({ errcode: 93000, errmsg: "invalid webhook url" }) } : OK));
    const message = escalation();
    expect(await sendWebhook({ format: "wecom", url: robot.url }, message)).toMatchObject({ ok: false, failure: { code: "ROBOT_SETTINGS", retryable: false } });
    expect(await sendWebhook({ format: "wecom", url: robot.url }, message)).toMatchObject({ ok: true });
    const body = robot.requests[1]?.body as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.content.startsWith(`### ${message.title}\n\n${message.body}`)).toBe(true);
  });

  it("cuts WeCom's content at 4096 bytes on a whole character", () => {
    const long = { title: "长消息", body: "督".repeat(3000), details: [] };
    const { body } = webhookRequest({ format: "wecom", url: "http://127.0.0.1/" }, long, new Date()) as { body: { markdown: { content: string } } };
    const bytes = Buffer.byteLength(body.markdown.content, "utf8");
    expect(bytes).toBeLessThanOrEqual(4096);
    expect(bytes).toBeGreaterThan(4000);
    expect(body.markdown.content.endsWith("督……")).toBe(true);
  });

  it("posts the generic format, and tells which HTTP statuses are worth retrying", async () => {
    const statuses = [204, 404, 429, 503];
    const endpoint = await receiver((_, index) => ({ status: statuses[index] ?? 200, body: "" }));
    const message = escalation();
    const results: DeliveryResult[] = [];
    for (let i = 0; i < statuses.length; i++) results.push(await sendWebhook({ format: "generic", url: endpoint.url }, message));
    expect(results.map((result) => (result.ok ? "ok" : `${result.failure.code}:${result.failure.retryable}`))).toEqual([
      "ok",
      "WEBHOOK_HTTP_STATUS:false",
      "WEBHOOK_HTTP_STATUS:true",
      "WEBHOOK_HTTP_STATUS:true",
    ]);
    expect(endpoint.requests[0]?.body).toEqual({ title: message.title, body: message.body, details: message.details });
    expect(endpoint.requests[0]?.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("refuses an address that is not http(s), and reports a closed port as unreachable", async () => {
    expect(await sendWebhook({ format: "generic", url: "ftp://example.test/hook" }, escalation())).toMatchObject({ ok: false, failure: { code: "WEBHOOK_BAD_URL", retryable: false } });
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await sendWebhook({ format: "dingtalk", url: `http://127.0.0.1:${port}/robot/send` }, escalation());
    expect(result).toMatchObject({ ok: false, failure: { code: "WEBHOOK_UNREACHABLE", retryable: true } });
    if (!result.ok) expect(result.failure.detail).toContain("ECONNREFUSED");
  });
});

describe("retry", () => {
  const failing = (retryable: boolean): DeliveryResult => ({ ok: false, failure: { code: "X", message: "失败", retryable, detail: null } });

  it("backs off exponentially up to the cap, with half the wait random", () => {
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, FAST, 0))).toEqual([500, 1000, 2000, 4000, 30_000]);
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, FAST, 0.999999))).toEqual([1000, 2000, 4000, 8000, 60_000]);
  });

  it("stops at the first final failure, and after the last attempt", async () => {
    const final = await deliverWithRetry(async () => failing(false), { policy: FAST, clock: fakeClock() });
    expect(final.attempts).toHaveLength(1);
    expect(final.attempts[0]?.retryInMs).toBeNull();
    const clock = fakeClock();
    const exhausted = await deliverWithRetry(async () => failing(true), { policy: { ...FAST, maxAttempts: 3 }, clock });
    expect(exhausted).toMatchObject({ ok: false });
    expect(exhausted.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("records a channel that throws as a failure instead of throwing", async () => {
    const report = await deliverWithRetry(
      async () => {
        throw new TypeError("boom");
      },
      { policy: FAST, clock: fakeClock() },
    );
    expect(report.attempts).toHaveLength(1);
    expect(report.attempts[0]?.result).toMatchObject({ ok: false, failure: { code: "DELIVERY_UNEXPECTED", retryable: false, detail: "TypeError: boom" } });
  });

  it("refuses a policy that makes no sense", async () => {
    await expect(deliverWithRetry(async () => ({ ok: true, detail: "" }), { policy: { ...FAST, maxAttempts: 0 } })).rejects.toThrow(RangeError);
  });
});
