// Lights, lateness history and reporting periods of a task, computed at request time from the
// facts the database holds and the app's clock (core's rules; nothing here is stored).
import { bureauDay, lightHistory, lightOf, periodsBetween, type LightHistory, type LightResult, type LightSettings, type Period } from "@taizhang/core";
import type { TaskFacts } from "./workflow-state.js";

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
