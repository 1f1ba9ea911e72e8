// Who is asking, and may they: the session behind the cookie, the CSRF token on changes, and the
// roles a route admits. Every /api route declares its access (`config.access`); the app refuses
// to start with one that does not, so no route is open by omission.
//
// Sessions live in the database (several instances share one PostgreSQL): the cookie holds a
// random token, the database its sha-256. The CSRF token is per session, handed out at login and
// by GET /api/session, and must come back in X-CSRF-Token on every state-changing request; with
// SameSite=Lax and JSON-only bodies that closes cross-site request forgery.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import { findSession, revokeSession, touchSession, type DatabaseHandle, type Session, type User, type UserRole } from "@taizhang/store";
import { apiError } from "./errors.js";

export const SESSION_COOKIE = "taizhang_session";
export const CSRF_HEADER = "x-csrf-token";

/** A session unused this long ends (a clerk who leaves the desk). */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** However active, a session ends this long after login: a stolen cookie does not live forever. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** Activity is written at most this often, not on every request. */
const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;
const TOKEN_BYTES = 32;
/** Methods that change nothing: no CSRF token needed. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** Who may call a route. `public` routes still see a session when there is one. */
export type RouteAccess = { public: true } | { roles: readonly UserRole[] };

export const ALL_ROLES: readonly UserRole[] = ["admin", "leader", "reporter"];
export const ADMIN_ONLY: readonly UserRole[] = ["admin"];

export interface AuthContext {
  user: User;
  session: Session;
}

declare module "fastify" {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

type Db = DatabaseHandle["db"];

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** The session's id in the database: the cookie's token is never stored as it is. */
export function sessionId(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session's expiry after activity at `now`: idle timeout, capped by the absolute lifetime. */
export function slidingExpiry(createdAt: Date, now: Date): Date {
  return new Date(Math.min(now.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_MAX_MS));
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean | "auto"): void {
  reply.setCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "lax", secure, expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean | "auto"): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure });
}

/** The live session behind the request's cookie, if any; keeps it alive while in use. */
export async function loadSession(db: Db, request: FastifyRequest, now: Date): Promise<AuthContext | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const found = await findSession(db, { id: sessionId(token), now });
  if (!found) return null;
  if (now.getTime() - found.session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    const expiresAt = slidingExpiry(found.session.createdAt, now);
    await touchSession(db, { id: found.session.id, now, expiresAt });
    return { user: found.user, session: { ...found.session, lastSeenAt: now, expiresAt } };
  }
  return found;
}

/** The onRequest check: session, then CSRF on changes, then role. */
export async function authorize(db: Db, request: FastifyRequest, now: Date): Promise<void> {
  const access = request.routeOptions.config.access;
  // Routes outside /api (the docs) declare nothing and need nothing.
  if (access === undefined) return;
  request.auth = await loadSession(db, request, now);
  if ("public" in access) return;
  const auth = request.auth;
  if (!auth) throw apiError("UNAUTHENTICATED");
  if (!SAFE_METHODS.has(request.method)) {
    const given = request.headers[CSRF_HEADER];
    if (typeof given !== "string" || !sameToken(given, auth.session.csrfToken)) throw apiError("CSRF_TOKEN_INVALID");
  }
  if (!access.roles.includes(auth.user.role)) throw apiError("FORBIDDEN");
}

/** The signed-in user, for handlers of non-public routes (authorize has already refused others). */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw apiError("UNAUTHENTICATED");
  return request.auth;
}

export async function endSession(db: Db, auth: AuthContext, now: Date): Promise<void> {
  await revokeSession(db, { id: auth.session.id, now });
}
