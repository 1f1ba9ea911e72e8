// Builds the API: every route under /api with JSON schemas, the OpenAPI document at /api/docs,
// sessions and authorization on every route, and one error shape. buildApp only assembles;
// serve.ts listens. Tests call app.inject() on what this returns.
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifySchema, type FastifySchemaValidationError, type FastifyServerOptions, type RouteOptions } from "fastify";
import { DEFAULT_LIGHT_SETTINGS, DEFAULT_SCORING_MODEL, scoringModelProblems, type LightSettings, type ScoringModel } from "@taizhang/core";
import { CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, authorize } from "./auth.js";
import { TAGS, type AppContext, type Db } from "./context.js";
import { apiError, errorBody, toApiError } from "./errors.js";
import { DEFAULT_SCRYPT, decoyHash, type ScryptParams } from "./passwords.js";
import { registerCadenceRoutes } from "./routes/cadence-routes.js";
import { registerCommentRoutes } from "./routes/comment-routes.js";
import { MAX_EVIDENCE_BYTES, registerEvidenceRoutes } from "./routes/evidence-routes.js";
import { registerNoticeRoutes } from "./routes/notice-routes.js";
import { registerPeopleRoutes } from "./routes/people-routes.js";
import { MAX_PLAN_FILE_BYTES, registerPlanRoutes } from "./routes/plan-routes.js";
import { registerSessionRoutes } from "./routes/session-routes.js";
import { registerBulletinRoutes } from "./routes/bulletin-routes.js";
import { registerCockpitRoutes } from "./routes/cockpit-routes.js";
import { registerExportRoutes } from "./routes/export-routes.js";
import { registerTaskRoutes } from "./routes/task-routes.js";
import { IDEMPOTENCY_HEADER, registerWorkflowRoutes } from "./routes/workflow-routes.js";
import { errorSchema } from "./schemas.js";
import { checkStorableText, formatValidationErrors, type SchemaErrorDataVar } from "./validation.js";
import { builtWebRoot, registerWebApp } from "./web-app.js";

export interface AppOptions {
  /** The ledger's database (from @taizhang/store's openDatabase), already migrated. */
  db: Db;
  /** The clock; tests fix it. Default: the system clock. */
  now?: () => Date;
  /** Fastify's logger option: false in tests, true (JSON lines on stdout) when serving. */
  logger?: FastifyServerOptions["logger"];
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto (Fastify's trustProxy). */
  trustProxy?: FastifyServerOptions["trustProxy"];
  /** The Secure cookie attribute; "auto" (default) sets it on https requests. */
  secureCookies?: boolean | "auto";
  /** scrypt cost for new passwords; tests lower it. */
  passwordParams?: ScryptParams;
  lightSettings?: LightSettings;
  /** The assessment's default scoring model (default 30/30/20/20 of 100); an invalid one stops the app from starting. */
  scoringModel?: ScoringModel;
  /** The largest plan file POST /api/plans/import takes (default 50 MB, as the command line). */
  maxPlanFileBytes?: number;
  /** The largest evidence file one upload takes (default 20 MB). */
  maxEvidenceBytes?: number;
  /** The web app's built bundle, served at /; false: the API alone. Default: packages/web/dist when built. */
  webRoot?: string | false;
}

export const API_PREFIX = "/api";
export const DOCS_PREFIX = "/api/docs";
/** JSON bodies are small (a report's narrative, an edit); files go through multipart. */
const JSON_BODY_LIMIT = 1024 * 1024;
const API_VERSION = "0.1.0";
const MULTIPART_MAX_FIELDS = 10;
const MULTIPART_MAX_PARTS = 20;
const MULTIPART_MAX_FIELD_BYTES = 64 * 1024;

export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: JSON_BODY_LIMIT,
    // A field the schema does not list is an error, not silently dropped: a typo in an edit
    // ("dueDat") must not look like a successful save.
    ajv: { customOptions: { removeAdditional: false } },
    schemaErrorFormatter: (errors: FastifySchemaValidationError[], part: SchemaErrorDataVar) => validationError(errors, part),
  });

  let decoy: Promise<string> | undefined;
  const passwordParams = options.passwordParams ?? DEFAULT_SCRYPT;
  const context: AppContext = {
    db: options.db,
    now: options.now ?? (() => new Date()),
    passwordParams,
    secureCookies: options.secureCookies ?? "auto",
    lightSettings: options.lightSettings ?? DEFAULT_LIGHT_SETTINGS,
    scoringModel: checkedScoringModel(options.scoringModel ?? DEFAULT_SCORING_MODEL),
    maxPlanFileBytes: options.maxPlanFileBytes ?? MAX_PLAN_FILE_BYTES,
    decoyHash: () => (decoy ??= decoyHash(passwordParams)),
  };

  // JSON and multipart only: text/plain is a body a cross-site form can send without a preflight.
  app.removeContentTypeParser("text/plain");
  app.decorateRequest("auth", null);
  app.addHook("onRoute", requireDeclaredAccess);
  app.setErrorHandler((error, request, reply) => {
    const apiErr = toApiError(error);
    if (apiErr.status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ code: apiErr.code }, "request refused");
    reply.code(apiErr.status).headers(apiErr.headers).send(errorBody(apiErr));
  });
  app.setNotFoundHandler((_request, reply) => {
    const notFound = apiError("ROUTE_NOT_FOUND");
    reply.code(notFound.status).send(errorBody(notFound));
  });

  app.register(cookie);
  // One file per upload; the size limit is the import route's. The rest bounds hostile forms.
  app.register(multipart, { throwFileSizeLimit: true, limits: { files: 1, fields: MULTIPART_MAX_FIELDS, parts: MULTIPART_MAX_PARTS, fieldSize: MULTIPART_MAX_FIELD_BYTES } });
  app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "台账 API",
        version: API_VERSION,
        description:
          "把教育工作计划变成任务台账,并运行督办流程。登录后会话保存在 httpOnly Cookie 中;" +
          `每个改动请求(POST/PATCH/PUT/DELETE)须在 ${CSRF_HEADER} 请求头中带上登录时或 GET /api/session 返回的 csrfToken。` +
          "错误一律为 { error: { code, message, fix } },code 稳定。",
      },
      tags: Object.values(TAGS).map((name) => ({ name })),
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
          csrf: { type: "apiKey", in: "header", name: CSRF_HEADER },
        },
      },
    },
    // Shared schemas keep their own names ("UnitNode") in components.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === "string" ? json.$id : `def-${index}`) },
    transform: ({ schema, url, route }) => ({ schema: withSecurity(schema, route.config?.access, route.method), url }),
  });
  app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  const webRoot = options.webRoot ?? builtWebRoot();
  if (webRoot) registerWebApp(app, { root: webRoot, apiPrefix: API_PREFIX });

  app.after(() => {
    app.addHook("onRequest", async (request) => authorize(context.db, request, context.now()));
    // NUL and broken Unicode would fail in the database (a 500) or be stored altered: refused up front.
    app.addHook("preValidation", async (request) => checkStorableText(request));
    registerSessionRoutes(app, context);
    registerPeopleRoutes(app, context);
    registerPlanRoutes(app, context);
    registerTaskRoutes(app, context);
    registerCockpitRoutes(app, context);
    registerBulletinRoutes(app, context);
    registerExportRoutes(app, context);
    registerWorkflowRoutes(app, context);
    registerCadenceRoutes(app, context);
    registerCommentRoutes(app, context);
    registerEvidenceRoutes(app, context, { maxBytes: options.maxEvidenceBytes ?? MAX_EVIDENCE_BYTES });
    registerNoticeRoutes(app, context);
  });
  return app;
}

/** The one exception to VALIDATION_FAILED: a report without its Idempotency-Key has its own code. */
function validationError(errors: FastifySchemaValidationError[], part: SchemaErrorDataVar): Error {
  const first = errors[0];
  if (part === "headers" && first?.keyword === "required" && first.params.missingProperty === IDEMPOTENCY_HEADER) return apiError("IDEMPOTENCY_KEY_REQUIRED");
  return formatValidationErrors(errors, part);
}

/**
 * Every /api route must say who may call it, and every one answers errors in the one shape:
 * a route without `config.access` stops the app from starting.
 */
function requireDeclaredAccess(route: RouteOptions): void {
  if (!route.url.startsWith(API_PREFIX) || route.url.startsWith(DOCS_PREFIX)) return;
  if (route.config?.access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no access`);
  const schema = route.schema ?? {};
  const response = typeof schema.response === "object" && schema.response !== null ? schema.response : {};
  route.schema = { ...schema, response: { ...response, "4xx": errorSchema, "5xx": errorSchema } };
}

/** The OpenAPI security of a route: public, or a session cookie (plus the CSRF header on changes). */
function withSecurity(schema: FastifySchema, access: unknown, method: RouteOptions["method"]): FastifySchema {
  if (typeof access !== "object" || access === null || "public" in access) return { ...schema, security: [] };
  const methods = Array.isArray(method) ? method : [method];
  const changes = methods.some((name) => !SAFE_METHODS.has(name));
  return { ...schema, security: [changes ? { session: [], csrf: [] } : { session: [] }] };
}

/** The configured scoring model, refused at start rather than at the first assessment. */
function checkedScoringModel(model: ScoringModel): ScoringModel {
  const problems = scoringModelProblems(model);
  if (problems.length > 0) throw new Error(`scoringModel: ${problems.join(" ")}`);
  return model;
}
