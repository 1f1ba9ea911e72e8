// Lights, lateness history and reporting periods of a task, computed from the facts the database
// holds and the app's clock by core's rules. The ledger's lights are remembered per task version,
// bureau day and settings (the store's light cache), so it can filter and count them in SQL:
// refreshLights computes every light in a scope that no longer holds, before a query reads them.
import { createHash } from "node:crypto";
import { bureauDay, lightHistory, lightOf, periodsBetween, type Light, type LightHistory, type LightResult, type LightSettings, type Period } from "@taizhang/core";
import {
  inTransaction,
  lastLightRefresh,
  listTasks,
  lockLightRefresh,
  markLightsRefreshed,
  refreshHorizon,
  saveLights,
  staleLightTaskIds,
  type CachedLedgerRow,
  type JsonValue,
  type LightKey,
  type TaskScope,
} from "@taizhang/store";
import type { Db } from "./context.js";
import { loadTaskFacts, type TaskFacts } from "./workflow-state.js";

export type Lateness = Omit<LightHistory, "days">;

const NO_LATENESS: Lateness = { everRed: false, redDays: 0, redSpans: [], overdueDays: 0, latePeriods: [] };

export function lightFor(facts: TaskFacts, now: Date, settings: LightSettings): LightResult {
  return lightOf(facts.state, facts.reports, now, settings);
}

/** Red days, overdue days and late periods from the day of dispatch to today. */
export function latenessFor(facts: TaskFacts, now: Date, settings: LightSettings): Lateness {
  const { dispatchedAt } = facts.state;
  if (dispatchedAt === null) return NO_LATENESS;
  const from = bureauDay(dispatchedAt);
  const to = bureauDay(now);
  if (to < from) return NO_LATENESS;
  // The day-by-day list is for charts; the summary is what the task view shows.
  const { days: _days, ...summary } = lightHistory(facts.state, facts.reports, from, to, settings);
  return summary;
}

/** The periods a report may be filed under: from the day of dispatch through the due date or today. */
export function periodsFor(facts: TaskFacts, now: Date, settings: LightSettings): Period[] {
  const { cadence, dispatchedAt, dueDate } = facts.state;
  if (cadence === null || dispatchedAt === null) return [];
  const today = bureauDay(now);
  return periodsBetween(cadence, bureauDay(dispatchedAt), dueDate !== null && dueDate > today ? dueDate : today, settings.calendar);
}

/** Tasks computed per round trip: their reports come in one query. */
const REFRESH_BATCH = 500;
const ARCHIVED: LightResult = { light: "grey", reasons: [] };
const settingsKeys = new WeakMap<LightSettings, string>();

/** What a remembered light must match: today's bureau day and these settings. */
export function lightKey(now: Date, settings: LightSettings): LightKey {
  let settingsKey = settingsKeys.get(settings);
  if (settingsKey === undefined) {
    const { dueSoonDays, progressLagPoints, calendar } = settings;
    const text = JSON.stringify([dueSoonDays, progressLagPoints, [...calendar.holidays].sort(), [...calendar.workdays].sort()]);
    settingsKey = createHash("sha256").update(text).digest("hex").slice(0, 16);
    settingsKeys.set(settings, settingsKey);
  }
  return { day: bureauDay(now), settingsKey };
}

/**
 * Computes and remembers every light of the organisation that no longer holds; returns how many.
 * One refresh at a time per organisation (the others wait, then find the work done). The first
 * refresh of a day scans the whole ledger (on 50,000 tasks, seconds); after it, only tasks
 * changed since the last refresh are looked at.
 */
export async function refreshLights(db: Db, organisationId: number, now: Date, settings: LightSettings): Promise<number> {
  const key = lightKey(now, settings);
  const scope: TaskScope = { organisationId };
  // Most calls find nothing to do: say so without queueing behind the lock.
  const last = await lastLightRefresh(db, organisationId, key);
  if (last !== undefined && (await staleLightTaskIds(db, scope, key, 1, 0, last)).length === 0) return 0;
  return inTransaction(db, async (trx) => {
    await lockLightRefresh(trx, organisationId);
    const last = await lastLightRefresh(trx, organisationId, key);
    const horizon = await refreshHorizon(trx);
    let refreshed = 0;
    // Ids ascending, each round after the last: a task that cannot be computed (archived in
    // between) is skipped, never asked for again in this call.
    for (let after = 0; ; ) {
      const ids = await staleLightTaskIds(trx, scope, key, REFRESH_BATCH, after, last);
      if (ids.length > 0) refreshed += (await computeLights(trx, organisationId, ids, now, settings)).size;
      after = ids.at(-1) ?? after;
      if (ids.length < REFRESH_BATCH) break;
    }
    await markLightsRefreshed(trx, organisationId, key, horizon);
    return refreshed;
  });
}

/** Computes and remembers the lights of these tasks (those still live). */
export async function computeLights(db: Db, organisationId: number, taskIds: readonly number[], now: Date, settings: LightSettings): Promise<Map<number, LightResult>> {
  const facts = await loadTaskFacts(db, organisationId, taskIds);
  const computed = new Map<number, LightResult>();
  const lights = [...facts].map(([taskId, fact]) => {
    const result = lightFor(fact, now, settings);
    computed.set(taskId, result);
    return { taskId, taskVersion: fact.state.version, light: result.light, reasons: result.reasons as unknown as JsonValue };
  });
  await saveLights(db, organisationId, lightKey(now, settings), lights);
  return computed;
}

/**
 * Ledger rows with their lights: the remembered one where it holds, else computed now (a row
 * edited between the refresh and the read) and remembered for the next reader.
 */
export async function withLights<T extends CachedLedgerRow>(
  db: Db,
  organisationId: number,
  rows: readonly T[],
  now: Date,
  settings: LightSettings,
): Promise<(Omit<T, "cached"> & { light: LightResult })[]> {
  const missing = rows.filter((row) => row.cached === null).map((row) => row.id);
  const computed = missing.length > 0 ? await computeLights(db, organisationId, missing, now, settings) : new Map<number, LightResult>();
  return rows.map((row) => {
    const { cached, ...rest } = row;
    // A row neither remembered nor computable was archived in between: grey, as a closed task.
    const light: LightResult = cached ? ({ light: cached.light, reasons: cached.reasons } as unknown as LightResult) : (computed.get(row.id) ?? ARCHIVED);
    return { ...rest, light };
  });
}

/**
 * A page of the ledger in the scope, each row with its light. Filtering by light reads the
 * remembered lights, so it brings them up to date first.
 */
export async function ledgerPage(
  db: Db,
  scope: TaskScope,
  page: { light?: Light; limit: number; offset?: number },
  now: Date,
  settings: LightSettings,
): Promise<(Omit<CachedLedgerRow, "cached"> & { light: LightResult })[]> {
  if (page.light !== undefined) await refreshLights(db, scope.organisationId, now, settings);
  const rows = await listTasks(db, {
    ...scope,
    lights: lightKey(now, settings),
    ...(page.light !== undefined && { light: page.light }),
    limit: page.limit,
    offset: page.offset ?? 0,
  });
  return withLights(db, scope.organisationId, rows, now, settings);
}
