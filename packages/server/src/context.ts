// What every route module gets from buildApp: the database, the clock and the settings.
// For its types only: it adds tags, summary and the like to Fastify's route schema type.
import type {} from "@fastify/swagger";
import type { LightSettings, ScoringModel } from "@taizhang/core";
import type { DatabaseHandle } from "@taizhang/store";
import type { ScryptParams } from "./passwords.js";

export type Db = DatabaseHandle["db"];

export interface AppContext {
  db: Db;
  /** The only clock the app reads; tests fix it. */
  now: () => Date;
  passwordParams: ScryptParams;
  /** The Secure cookie attribute: "auto" sets it when the request came over https. */
  secureCookies: boolean | "auto";
  lightSettings: LightSettings;
  /** The assessment's scoring model when a request names none (考核评分办法). */
  scoringModel: ScoringModel;
  /** The largest plan file the import takes. */
  maxPlanFileBytes: number;
  /** A hash to check unknown logins against (made once, lazily). */
  decoyHash: () => Promise<string>;
}

/** Tags that group the routes in the OpenAPI document. */
export const TAGS = {
  session: "登录",
  units: "单位",
  users: "用户",
  plans: "计划",
  tasks: "任务台账",
  workflow: "督办流程",
  cockpit: "驾驶舱",
  bulletins: "通报与考核",
} as const;
