// Real receivers on loopback for the delivery tests: an SMTP sink that speaks enough SMTP
// (node:net) to take a message and can refuse, defer or ask for a login, and an HTTP receiver
// (node:http) that answers each request as a test says (a robot's errcode, a 500, silence).
// Each closes itself when the test that started it ends.
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { onTestFinished } from "vitest";

// ---------------------------------------------------------------------------------------------
// A real SMTP sink on loopback.

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent after DATA, dot-unstuffed. */
  data: string;
  login: string | null;
}

export interface SinkOptions {
  /** user and pass the sink accepts with AUTH PLAIN; no AUTH offered when absent. */
  account?: { user: string; pass: string };
  /** A reply for RCPT TO (e.g. "550 5.1.1 no such user"), or null to accept. */
  rcpt?: (address: string) => string | null;
  /** A reply for the end of DATA, by the message's index; "250" when null. */
  afterData?: (index: number) => string | null;
}

export async function smtpSink(options: SinkOptions = {}): Promise<{ port: number; mails: ReceivedMail[] }> {
  const mails: ReceivedMail[] = [];
  let dataCount = 0;
  const server: TcpServer = createTcpServer((socket: Socket) => {
    const reply = (line: string): void => void socket.write(`${line}\r\n`);
    let buffer = "";
    let inData = false;
    let dataLines: string[] = [];
    let envelope = { from: "", to: [] as string[] };
    let login: string | null = null;
    const onLine = (line: string): void => {
      if (inData) {
        if (line !== ".") {
          dataLines.push(line.startsWith("..") ? line.slice(1) : line);
          return;
        }
        inData = false;
        const verdict = options.afterData?.(dataCount++) ?? null;
        if (verdict !== null) return reply(verdict);
        mails.push({ ...envelope, data: dataLines.join("\r\n"), login });
        return reply(`250 2.0.0 Ok: queued as ${mails.length}`);
      }
      const [verb = "", ...rest] = line.split(" ");
      const argument = rest.join(" ");
      switch (verb.toUpperCase()) {
        case "EHLO":
        case "HELO":
          return reply(options.account ? "250-sink.test\r\n250 AUTH PLAIN" : "250 sink.test");
        case "AUTH": {
          const [, user, pass] = Buffer.from(argument.replace(/^PLAIN /i, ""), "base64").toString("utf8").split("\0");
          if (options.account && user === options.account.user && pass === options.account.pass) {
            login = user;
            return reply("235 2.7.0 Authentication successful");
          }
          return reply("535 5.7.8 Authentication credentials invalid");
        }
        case "MAIL":
          envelope = { from: /<(.*)>/.exec(argument)?.[1] ?? "", to: [] };
          return reply("250 2.1.0 Ok");
        case "RCPT": {
          const address = /<(.*)>/.exec(argument)?.[1] ?? "";
          const refusal = options.rcpt?.(address) ?? null;
          if (refusal !== null) return reply(refusal);
          envelope.to.push(address);
          return reply("250 2.1.5 Ok");
        }
        case "DATA":
          inData = true;
          dataLines = [];
          return reply("354 End data with <CR><LF>.<CR><LF>");
        case "RSET":
          envelope = { from: "", to: [] };
          return reply("250 2.0.0 Ok");
        case "NOOP":
          return reply("250 2.0.0 Ok");
        case "QUIT":
          reply("221 2.0.0 Bye");
          socket.end();
          return;
        default:
          return reply("502 5.5.2 Command not recognised");
      }
    };
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\r\n"); end >= 0; end = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        onLine(line);
      }
    });
    socket.on("error", () => undefined);
    reply("220 sink.test ESMTP");
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, mails };
}

// ---------------------------------------------------------------------------------------------
// Reading what the sink took.

/** The headers of a message (unfolded, lower-case names) and its body. */
export function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

/** RFC 2047: joins the bytes of adjacent encoded words before decoding, as a character may span two. */
export function decodeHeader(value: string): string {
  // Whitespace between two encoded words is not text; after the last one it is.
  return value.replace(/=\?[^?]+\?[BbQq]\?[^?]*\?=(?:\s+=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g)].map(([, encoding, text = ""]) =>
      encoding?.toUpperCase() === "B" ? Buffer.from(text, "base64") : qpBytes(text.replace(/_/g, " ")),
    );
    return Buffer.concat(bytes).toString("utf8");
  });
}

function qpBytes(text: string): Buffer {
  const soft = text.replace(/=\r\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}

/** The decoded text of the part with this content type in a multipart message. */
export function part(raw: string, contentType: string): string {
  const { headers, body } = parseMessage(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get("content-type") ?? "")?.[1];
  if (!boundary) throw new Error("not a multipart message");
  for (const chunk of body.split(`--${boundary}`)) {
    const section = parseMessage(chunk.replace(/^\r\n/, ""));
    if (!(section.headers.get("content-type") ?? "").startsWith(contentType)) continue;
    const encoding = (section.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
    const content = section.body.replace(/\r\n$/, "");
    if (encoding === "base64") return Buffer.from(content.replace(/\s+/g, ""), "base64").toString("utf8");
    if (encoding === "quoted-printable") return qpBytes(content).toString("utf8");
    return content;
  }
  throw new Error(`no ${contentType} part`);
}

// ---------------------------------------------------------------------------------------------
// Real HTTP receivers on loopback.

export interface ReceivedRequest {
  url: URL;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Answers each request with what `answer` says for it (by index); "hang" never answers. */
export async function receiver(answer: (request: ReceivedRequest, index: number) => { status: number; body: string } | "hang"): Promise<{ url: string; requests: ReceivedRequest[] }> {
  const requests: ReceivedRequest[] = [];
  const server = createHttpServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      const request: ReceivedRequest = { url: new URL(req.url ?? "/", "http://127.0.0.1"), headers: req.headers, body: JSON.parse(text) as unknown };
      requests.push(request);
      const reply = answer(request, requests.length - 1);
      if (reply === "hang") return;
      res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot/send?access_token=tok`, requests };
}
