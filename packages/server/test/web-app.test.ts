// The web app served by the API's server: index.html at / and for the app's own paths, hashed
// assets cached for good, and everything under /api still the API's JSON. A temporary folder
// stands in for the bundle, so this runs without a vite build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildApp } from "../src/index.js";
import { describeEngines } from "./helpers.js";

const INDEX_HTML = '<!doctype html><html lang="zh-CN"><body><div id="root"></div><script type="module" src="/assets/index-3f9a1c.js"></script></body></html>';
const SCRIPT = "console.log('台账');";
const PAGE = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

let parent: string;
let root: string;
beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), "taizhang-web-"));
  root = join(parent, "dist");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), INDEX_HTML);
  writeFileSync(join(root, "assets", "index-3f9a1c.js"), SCRIPT);
  writeFileSync(join(root, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  writeFileSync(join(root, ".env"), "SECRET=1");
  // Beside the bundle, not in it: no path may reach it.
  writeFileSync(join(parent, "secret.txt"), "not for the web");
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describeEngines("web app", (context) => {
  test("/ and the app's own paths get index.html, never cached without revalidation", async () => {
    const app = buildApp({ db: context.db, webRoot: root });
    for (const url of ["/", "/tasks/5", "/my?plan=1", "/index.html"]) {
      const response = await app.inject({ method: "GET", url, headers: PAGE });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["content-type"], url).toMatch(/^text\/html/);
      expect(response.headers["cache-control"], url).toBe("no-cache");
      expect(response.body, url).toBe(INDEX_HTML);
    }
    // The root is the app for any client (curl sends Accept: */*); another path is a page only for a browser.
    expect((await app.inject({ method: "GET", url: "/", headers: { accept: "*/*" } })).body).toBe(INDEX_HTML);
    expect((await app.inject({ method: "GET", url: "/tasks/5", headers: { accept: "*/*" } })).statusCode).toBe(404);
    await app.close();
  });

  test("hashed assets are cached for a year; other files are revalidated", async () => {
    const app = buildApp({ db: context.db, webRoot: root });
    const script = await app.inject({ method: "GET", url: "/assets/index-3f9a1c.js" });
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toMatch(/javascript/);
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(script.body).toBe(SCRIPT);
    const icon = await app.inject({ method: "GET", url: "/favicon.svg" });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers["cache-control"]).toBe("no-cache");
    await app.close();
  });

  test("under /api, a page request still gets the API's JSON 404; so does a missing file that is not a page", async () => {
    const app = buildApp({ db: context.db, webRoot: root });
    for (const request of [
      { url: "/api/nope", headers: PAGE },
      { url: "/api", headers: PAGE },
      { url: "/api/tasks/5/nope", headers: {} },
      { url: "/assets/index-000000.js", headers: { accept: "*/*" } },
    ]) {
      const response = await app.inject({ method: "GET", ...request });
      expect(response.statusCode, request.url).toBe(404);
      expect(response.json(), request.url).toMatchObject({ error: { code: "ROUTE_NOT_FOUND" } });
    }
    // The API itself is untouched: a route that exists answers as before.
    const session = await app.inject({ method: "GET", url: "/api/session", headers: PAGE });
    expect(session.statusCode).toBe(401);
    expect(session.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    await app.close();
  });

  test("nothing outside the bundle, and no dotfile, is served", async () => {
    const app = buildApp({ db: context.db, webRoot: root });
    for (const url of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/.env"]) {
      const response = await app.inject({ method: "GET", url, headers: { accept: "*/*" } });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain("not for the web");
      expect(response.body, url).not.toContain("SECRET");
    }
    await app.close();
  });

  test("webRoot false: the API alone, / is the JSON 404", async () => {
    const app = buildApp({ db: context.db, webRoot: false });
    const response = await app.inject({ method: "GET", url: "/", headers: PAGE });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: "ROUTE_NOT_FOUND" } });
    await app.close();
  });
});
