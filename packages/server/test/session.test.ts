import { expect, test } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../src/index.js";
import { PASSWORD, describeEngines, errorCode, makeWorld } from "./helpers.js";

describeEngines("sessions", (context) => {
  test("login sets an httpOnly SameSite=Lax cookie and returns the CSRF token; logout ends the session", async () => {
    const world = await makeWorld(context);
    const response = await world.app.inject({ method: "POST", url: "/api/login", payload: { login: "ADMIN", password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.secure).toBeFalsy();
    const body = response.json() as { user: Record<string, unknown>; csrfToken: string };
    expect(body.user).toMatchObject({ login: "admin", role: "admin" });
    expect(body.user).not.toHaveProperty("passwordHash");
    expect(body.csrfToken.length).toBeGreaterThan(20);

    const client = await world.login(world.users.admin);
    const session = await client.request({ method: "GET", url: "/api/session" });
    expect(session.statusCode).toBe(200);
    expect((session.json() as { csrfToken: string }).csrfToken).toBe(client.csrf);

    expect((await client.request({ method: "POST", url: "/api/logout" })).statusCode).toBe(204);
    const after = await client.request({ method: "GET", url: "/api/session" });
    expect(after.statusCode).toBe(401);
    expect(errorCode(after)).toBe("UNAUTHENTICATED");
  });

  test("the cookie is Secure when the request came over https through a trusted proxy", async () => {
    const world = await makeWorld(context);
    // The default app does not trust proxies; build one that does.
    const { buildApp, TEST_SCRYPT } = await import("../src/index.js");
    const app = buildApp({ db: context.db, trustProxy: true, passwordParams: TEST_SCRYPT });
    try {
      const response = await app.inject({ method: "POST", url: "/api/login", headers: { "x-forwarded-proto": "https" }, payload: { login: world.users.admin.login, password: PASSWORD } });
      expect(response.cookies.find((c) => c.name === SESSION_COOKIE)?.secure).toBe(true);
    } finally {
      await app.close();
    }
  });

  test("a wrong password and an unknown login get the same answer", async () => {
    const world = await makeWorld(context);
    const wrong = await world.app.inject({ method: "POST", url: "/api/login", payload: { login: "admin", password: "nope-nope" } });
    const unknown = await world.app.inject({ method: "POST", url: "/api/login", payload: { login: "nobody", password: "nope-nope" } });
    expect([wrong.statusCode, errorCode(wrong)]).toEqual([401, "LOGIN_FAILED"]);
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([401, "LOGIN_FAILED"]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.cookies).toEqual([]);
  });

  test("state-changing requests need the session's CSRF token", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    const payload = { name: "市教育考试院", kind: "直属单位" };
    const missing = await world.app.inject({ method: "POST", url: "/api/units", cookies: { [SESSION_COOKIE]: admin.cookie }, payload });
    expect([missing.statusCode, errorCode(missing)]).toEqual([403, "CSRF_TOKEN_INVALID"]);
    const wrong = await admin.request({ method: "POST", url: "/api/units", headers: { [CSRF_HEADER]: "x".repeat(admin.csrf.length) }, payload });
    expect([wrong.statusCode, errorCode(wrong)]).toEqual([403, "CSRF_TOKEN_INVALID"]);
    // Another user's token does not fit this session.
    const leader = await world.login(world.users.leader);
    const foreign = await admin.request({ method: "POST", url: "/api/units", headers: { [CSRF_HEADER]: leader.csrf }, payload });
    expect(errorCode(foreign)).toBe("CSRF_TOKEN_INVALID");
    const logout = await world.app.inject({ method: "POST", url: "/api/logout", cookies: { [SESSION_COOKIE]: admin.cookie } });
    expect(errorCode(logout)).toBe("CSRF_TOKEN_INVALID");
    const ok = await admin.request({ method: "POST", url: "/api/units", payload });
    expect(ok.statusCode).toBe(201);
    // Reads need no token.
    const read = await world.app.inject({ method: "GET", url: "/api/units", cookies: { [SESSION_COOKIE]: admin.cookie } });
    expect(read.statusCode).toBe(200);
  });

  test("five failures in fifteen minutes block the sixth attempt, even with the right password, until the window passes", async () => {
    const world = await makeWorld(context);
    const attempt = (password: string, ip = "10.0.0.1") =>
      world.app.inject({ method: "POST", url: "/api/login", remoteAddress: ip, payload: { login: "admin", password } });
    for (let i = 0; i < 5; i++) expect((await attempt("wrong-password")).statusCode).toBe(401);
    const blocked = await attempt(PASSWORD);
    expect([blocked.statusCode, errorCode(blocked)]).toEqual([429, "LOGIN_RATE_LIMITED"]);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    // Counted per login and address: the same login from another address still works.
    expect((await attempt(PASSWORD, "10.0.0.2")).statusCode).toBe(200);
    // Blocked attempts do not extend the block: after the window, the right password works.
    world.clock.advance(16 * 60 * 1000);
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
    // A success clears the count.
    for (let i = 0; i < 4; i++) await attempt("wrong-password");
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) await attempt("wrong-password");
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
  });

  test("a burst of parallel guesses gets no more than five tries at the password", async () => {
    const world = await makeWorld(context);
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => world.app.inject({ method: "POST", url: "/api/login", payload: { login: "admin", password: `guess-${i}` } })),
    );
    const codes = guesses.map((response) => errorCode(response));
    expect(codes.filter((code) => code === "LOGIN_FAILED").length).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === "LOGIN_RATE_LIMITED").length).toBeGreaterThanOrEqual(7);
  });

  test("the count lives in the database: a second app instance on it sees the first one's failures", async () => {
    const world = await makeWorld(context);
    const { buildApp, TEST_SCRYPT } = await import("../src/index.js");
    const other = buildApp({ db: context.db, now: world.clock.now, passwordParams: TEST_SCRYPT });
    try {
      for (let i = 0; i < 5; i++) await world.app.inject({ method: "POST", url: "/api/login", payload: { login: "leader", password: "bad-password" } });
      const response = await other.inject({ method: "POST", url: "/api/login", payload: { login: "leader", password: PASSWORD } });
      expect(errorCode(response)).toBe("LOGIN_RATE_LIMITED");
      // And a session made by one instance works on the other.
      const admin = await world.login(world.users.admin);
      const session = await other.inject({ method: "GET", url: "/api/session", cookies: { [SESSION_COOKIE]: admin.cookie } });
      expect(session.statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });

  test("sessions end after two idle hours and twelve hours in all; a disabled user's session stops working", async () => {
    const world = await makeWorld(context);
    const admin = await world.login(world.users.admin);
    world.clock.advance(2 * 60 * 60 * 1000 + 1000);
    expect((await admin.request({ method: "GET", url: "/api/session" })).statusCode).toBe(401);

    const active = await world.login(world.users.admin);
    for (let hour = 0; hour < 11; hour++) {
      world.clock.advance(60 * 60 * 1000);
      expect((await active.request({ method: "GET", url: "/api/session" })).statusCode).toBe(200);
    }
    world.clock.advance(60 * 60 * 1000 + 1000);
    expect((await active.request({ method: "GET", url: "/api/session" })).statusCode).toBe(401);

    const leader = await world.login(world.users.leader);
    await context.db.updateTable("users").set({ disabled: true }).where("id", "=", world.users.leader.id).execute();
    expect((await leader.request({ method: "GET", url: "/api/session" })).statusCode).toBe(401);
    const again = await world.app.inject({ method: "POST", url: "/api/login", payload: { login: "leader", password: PASSWORD } });
    expect(errorCode(again)).toBe("LOGIN_FAILED");
  });

  test("a forged or unknown cookie is no session", async () => {
    const world = await makeWorld(context);
    const response = await world.app.inject({ method: "GET", url: "/api/tasks", cookies: { [SESSION_COOKIE]: "forged" } });
    expect([response.statusCode, errorCode(response)]).toEqual([401, "UNAUTHENTICATED"]);
  });
});
