// @taizhang/server: the ledger's REST API. buildApp assembles it over an open, migrated
// database (tests inject requests into it); serve opens the store and listens.
export { API_PREFIX, DOCS_PREFIX, buildApp, type AppOptions } from "./app.js";
export { DEFAULT_HOST, DEFAULT_PORT, ServeConfigError, serve, serveOptionsFromEnv, type RunningServer, type ServeOptions } from "./serve.js";
export { ApiError, SERVER_ERRORS, errorCatalogue, type CatalogueEntry, type ErrorBody } from "./errors.js";
export { DEFAULT_SCRYPT, TEST_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from "./passwords.js";
export { CSRF_HEADER, SESSION_COOKIE } from "./auth.js";
export { API_ACTIONS, IDEMPOTENCY_HEADER } from "./routes/workflow-routes.js";
export { DEMO_ACCOUNTS, DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_SEEDS_DIR, seedDemo, shiftPastToday, type DemoAccount, type DemoOptions, type DemoOutcome } from "./demo.js";
