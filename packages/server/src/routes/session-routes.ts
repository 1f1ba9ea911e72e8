// Login, logout and "who am I". The rate limit counts failures per login and client address in
// the database, so every instance sharing it enforces the same limit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createSession, findLogin, getUnit, purgeSessions, recordLoginAttempt, revokeSession, settleLoginAttempt, type User } from "@taizhang/store";
import { ALL_ROLES, SESSION_COOKIE, clearSessionCookie, endSession, newToken, requireAuth, sessionId, setSessionCookie, slidingExpiry, type AuthContext } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { apiError } from "../errors.js";
import { verifyPassword } from "../passwords.js";
import { INSTANT, userSchema } from "../schemas.js";

/** This many failed logins for one login name from one address… */
export const LOGIN_MAX_FAILURES = 5;
/** …within this window block the next attempt until the window has passed. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Ended sessions and old login attempts are purged after this long (kept a while for inquiries). */
const SESSION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const MS_PER_SECOND = 1000;
const MAX_LOGIN_LENGTH = 64;
const MAX_PASSWORD_LENGTH = 256;

interface LoginBody {
  login: string;
  password: string;
}

const sessionSchema = {
  type: "object",
  required: ["user", "csrfToken", "expiresAt"],
  properties: {
    user: userSchema,
    unitName: { type: ["string", "null"] },
    csrfToken: { type: "string", description: "每个改动请求都要在 X-CSRF-Token 请求头中带上" },
    expiresAt: INSTANT,
  },
} as const;

interface SessionBody {
  user: User;
  unitName: string | null;
  csrfToken: string;
  expiresAt: Date;
}

export function registerSessionRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  async function sessionBody(auth: AuthContext): Promise<SessionBody> {
    const unit = auth.user.unitId === null ? undefined : await getUnit(db, { organisationId: auth.user.organisationId, unitId: auth.user.unitId });
    return { user: auth.user, unitName: unit?.name ?? null, csrfToken: auth.session.csrfToken, expiresAt: auth.session.expiresAt };
  }

  app.post<{ Body: LoginBody }>(
    "/api/login",
    {
      config: { access: { public: true } },
      schema: {
        tags: [TAGS.session],
        summary: "登录",
        description: `同一登录名从同一地址 ${LOGIN_WINDOW_MS / 60_000} 分钟内失败 ${LOGIN_MAX_FAILURES} 次后,返回 429 LOGIN_RATE_LIMITED。`,
        body: {
          type: "object",
          required: ["login", "password"],
          additionalProperties: false,
          properties: { login: { type: "string", minLength: 1, maxLength: MAX_LOGIN_LENGTH }, password: { type: "string", minLength: 1, maxLength: MAX_PASSWORD_LENGTH } },
        },
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const now = context.now();
      const { login, password } = request.body;
      const attempt = await recordLoginAttempt(db, { login, ip: request.ip, now, since: new Date(now.getTime() - LOGIN_WINDOW_MS), maxFailures: LOGIN_MAX_FAILURES });
      if (!attempt.allowed) {
        throw apiError("LOGIN_RATE_LIMITED", { headers: { "retry-after": String(LOGIN_WINDOW_MS / MS_PER_SECOND) } });
      }
      const found = await findLogin(db, login);
      // An unknown login is checked against a decoy, so it takes as long as a wrong password.
      const matches = await verifyPassword(password, found?.passwordHash ?? (await context.decoyHash()));
      if (!found || !matches || found.user.disabled) {
        await settleLoginAttempt(db, { id: attempt.id, outcome: "failed" });
        throw apiError("LOGIN_FAILED");
      }
      await settleLoginAttempt(db, { id: attempt.id, outcome: "succeeded" });
      await revokeCurrent(request, now);
      await purgeSessions(db, { before: new Date(now.getTime() - SESSION_RETENTION_MS) });

      const token = newToken();
      const session = await createSession(db, {
        id: sessionId(token),
        userId: found.user.id,
        csrfToken: newToken(),
        now,
        expiresAt: slidingExpiry(now, now),
        ip: request.ip,
        userAgent: request.headers["user-agent"] ?? null,
      });
      setSessionCookie(reply, token, session.expiresAt, context.secureCookies);
      return sessionBody({ user: found.user, session });
    },
  );

  // A login while signed in replaces the old session: it stops working at once.
  async function revokeCurrent(request: FastifyRequest, now: Date): Promise<void> {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await revokeSession(db, { id: sessionId(token), now });
  }

  app.post(
    "/api/logout",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: { tags: [TAGS.session], summary: "退出登录", response: { 204: { type: "null", description: "已退出" } } },
    },
    async (request, reply: FastifyReply) => {
      await endSession(db, requireAuth(request), context.now());
      clearSessionCookie(reply, context.secureCookies);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/session",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: { tags: [TAGS.session], summary: "当前登录的用户和 CSRF 令牌", response: { 200: sessionSchema } },
    },
    async (request) => sessionBody(requireAuth(request)),
  );
}
