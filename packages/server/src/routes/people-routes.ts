// The organisation's units (a tree) and its users. Everyone signed in reads the unit tree (names
// of bodies, needed to show who leads a task); only the office (admin) adds units and users.
import type { FastifyInstance } from "fastify";
import { UNIT_KINDS, USER_ROLES, buildUnitTree, createUnit, createUser, listUnits, listUsers, type UnitKind, type UserRole } from "@taizhang/store";
import { ADMIN_ONLY, ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { hashPassword } from "../passwords.js";
import { ID, UNIT_NODE_ID, unitNodeSchema, unitSchema, userSchema } from "../schemas.js";

const MAX_NAME_LENGTH = 100;
const MAX_ALIASES = 50;
const MAX_LOGIN_LENGTH = 64;
/** Long enough to resist guessing with the login rate limit in front; no composition rules. */
const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;
const MAX_SORT_ORDER = 1_000_000;

interface NewUnitBody {
  name: string;
  kind: UnitKind;
  parentId?: number | null;
  aliases?: string[];
  sortOrder?: number;
}

interface NewUserBody {
  login: string;
  displayName: string;
  password: string;
  role: UserRole;
  unitId?: number | null;
}

export function registerPeopleRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  app.addSchema(unitNodeSchema);

  app.get(
    "/api/units",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.units],
        summary: "单位树",
        response: { 200: { type: "array", items: { $ref: `${UNIT_NODE_ID}#` } } },
      },
    },
    async (request) => buildUnitTree(await listUnits(db, requireAuth(request).user.organisationId)),
  );

  app.post<{ Body: NewUnitBody }>(
    "/api/units",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.units],
        summary: "新增单位(督查室)",
        body: {
          type: "object",
          required: ["name", "kind"],
          additionalProperties: false,
          properties: {
            name: { type: "string", minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: "\\S" },
            kind: { type: "string", enum: UNIT_KINDS },
            parentId: { type: ["integer", "null"], minimum: 1 },
            aliases: { type: "array", maxItems: MAX_ALIASES, items: { type: "string", maxLength: MAX_NAME_LENGTH } },
            sortOrder: { type: "integer", minimum: -MAX_SORT_ORDER, maximum: MAX_SORT_ORDER },
          },
        },
        response: { 201: unitSchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const unit = await createUnit(db, { ...request.body, organisationId: user.organisationId, actorId: user.id });
      return reply.code(201).send(unit);
    },
  );

  app.get(
    "/api/users",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: { tags: [TAGS.users], summary: "用户列表(督查室)", response: { 200: { type: "array", items: userSchema } } },
    },
    async (request) => listUsers(db, requireAuth(request).user.organisationId),
  );

  app.post<{ Body: NewUserBody }>(
    "/api/users",
    {
      config: { access: { roles: ADMIN_ONLY } },
      schema: {
        tags: [TAGS.users],
        summary: "新增用户(督查室)",
        description: "报送员(reporter)必须属于某个单位;密码以 scrypt 加盐散列保存。",
        body: {
          type: "object",
          required: ["login", "displayName", "password", "role"],
          additionalProperties: false,
          properties: {
            login: { type: "string", minLength: 1, maxLength: MAX_LOGIN_LENGTH, pattern: "^[^\\s]+$" },
            displayName: { type: "string", minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: "\\S" },
            password: { type: "string", minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH },
            role: { type: "string", enum: USER_ROLES },
            unitId: { ...ID, type: ["integer", "null"] },
          },
        },
        response: { 201: userSchema },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const { password, ...rest } = request.body;
      const created = await createUser(db, {
        ...rest,
        passwordHash: await hashPassword(password, context.passwordParams),
        organisationId: user.organisationId,
        actorId: user.id,
      });
      return reply.code(201).send(created);
    },
  );
}
