// The web app (packages/web's built bundle) served at / by the API's own server, so one process
// and one origin serve both: the session cookie and the CSRF token need nothing cross-origin.
//
// Vite names every asset after its content hash (assets/index-3f9a1c.js): those are cached for
// a year and never revalidated. index.html names the current hashes, so it is revalidated on
// every load (no-cache) and a deploy reaches every clerk at their next page load.
//
// The app routes in the browser (/tasks/5): a page load of such a path gets index.html. Only
// GET requests that accept HTML do, and never under /api: a mistyped API path or a missing
// script stays the JSON 404, not a page of HTML a program would choke on.
import { existsSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

export interface WebAppOptions {
  /** The folder holding index.html and assets/ (vite build's outDir). */
  root: string;
  /** The API's paths ("/api"): never answered with a page. */
  apiPrefix: string;
}

/** Where `vite build` puts the bundle, from this module in src/ and in dist/ alike. */
const BUILT_BUNDLE = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const INDEX = "index.html";
/** Vite's output folder for hashed files (build.assetsDir). */
const HASHED_ASSETS = "assets/";
const IMMUTABLE = "public, max-age=31536000, immutable";
/** Kept, but revalidated (ETag / Last-Modified) on every use. */
const REVALIDATE = "no-cache";

/** The built bundle's folder when it has been built, else undefined (the API runs alone). */
export function builtWebRoot(): string | undefined {
  return existsSync(resolve(BUILT_BUNDLE, INDEX)) ? BUILT_BUNDLE : undefined;
}

export function registerWebApp(app: FastifyInstance, options: WebAppOptions): void {
  const root = resolve(options.root);
  app.register(async (scope) => {
    // Only reply.sendFile: which file to send, and what to do when there is none, is decided here.
    await scope.register(fastifyStatic, { root, serve: false });
    scope.get<{ Params: { "*": string } }>("/*", { schema: { hide: true } }, async (request, reply) => {
      const path = request.params["*"];
      if (isUnder(options.apiPrefix, request.url)) return reply.callNotFound();
      const file = fileInside(root, path);
      if (file !== undefined) return send(reply, file, file.startsWith(HASHED_ASSETS) ? IMMUTABLE : REVALIDATE);
      // The root is the app whoever asks (curl, a health check); other unknown paths are pages
      // only for a browser, so a mistyped asset is a 404, not a page.
      if (path === "" || acceptsHtml(request.headers.accept)) return send(reply, INDEX, REVALIDATE);
      return reply.callNotFound();
    });
  });
}

function send(reply: FastifyReply, file: string, cacheControl: string): FastifyReply {
  return reply.header("cache-control", cacheControl).header("x-content-type-options", "nosniff").sendFile(file, { cacheControl: false, dotfiles: "ignore" });
}

function isUnder(prefix: string, url: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
}

/** The path relative to root of an existing file inside it (no dot-folders), else undefined. */
function fileInside(root: string, path: string): string | undefined {
  if (path === "" || path.includes("\0")) return undefined;
  const full = resolve(root, path);
  if (!full.startsWith(root + sep)) return undefined;
  const relative = full.slice(root.length + 1).split(sep).join("/");
  if (relative.split("/").some((segment) => segment.startsWith("."))) return undefined;
  try {
    return statSync(full).isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

/** A browser navigating (a page load, a reload, a bookmark) asks for text/html. */
function acceptsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /(^|[\s,])text\/html\b/i.test(accept);
}
