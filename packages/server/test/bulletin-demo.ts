// The demo bureau (示例市教育局, ten weeks of history ending 20 November 2026) for the bulletin
// tests, with an app on the same fixed clock and signed-in clients.
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { onTestFinished } from "vitest";
import { CSRF_HEADER, DEMO_PASSWORD, SESSION_COOKIE, TEST_SCRYPT, buildApp, seedDemo } from "../src/index.js";
import type { EngineContext } from "../../store/test/engines.js";

export const DEMO_NOW = new Date("2026-11-20T09:00:00+08:00");

export interface DemoClient {
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get<T>(url: string): Promise<T>;
}

export async function demoWorld(context: EngineContext, now: Date = DEMO_NOW): Promise<{ organisationId: number; login(login: string): Promise<DemoClient> }> {
  const outcome = await seedDemo(context.db, { now, passwordParams: TEST_SCRYPT });
  if (!outcome.seeded) throw new Error("demo not seeded");
  const app = buildApp({ db: context.db, now: () => now, passwordParams: TEST_SCRYPT });
  onTestFinished(async () => {
    await app.close();
  });
  await app.ready();
  const login = async (login: string): Promise<DemoClient> => {
    const response = await app.inject({ method: "POST", url: "/api/login", payload: { login, password: DEMO_PASSWORD } });
    if (response.statusCode !== 200) throw new Error(`login ${login}: ${response.body}`);
    const cookie = response.cookies.find((candidate) => candidate.name === SESSION_COOKIE)?.value ?? "";
    const csrf = (response.json() as { csrfToken: string }).csrfToken;
    const request = (options: InjectOptions) => app.inject({ ...options, cookies: { [SESSION_COOKIE]: cookie }, headers: { [CSRF_HEADER]: csrf, ...options.headers } });
    return {
      request,
      async get<T>(url: string): Promise<T> {
        const answer = await request({ method: "GET", url });
        if (answer.statusCode !== 200) throw new Error(`GET ${url}: ${answer.statusCode} ${answer.body.slice(0, 300)}`);
        return answer.json() as T;
      },
    };
  };
  return { organisationId: outcome.organisationId, login };
}
