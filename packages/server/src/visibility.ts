// What a user may see. Admins and leaders see the whole organisation; a reporter sees the tasks
// their unit leads or is named on (配合/责任), and the plans that hold such a task. Anything else
// is answered as if it did not exist (404), so a reporter cannot probe other units' ids.
import { planIdsOfUnit, type User } from "@taizhang/store";
import type { Db } from "./context.js";

export function seesWholeOrganisation(user: User): boolean {
  return user.role === "admin" || user.role === "leader";
}

/** The unit a reporter's view is limited to; undefined for users who see everything. */
export function scopeUnit(user: User): number | undefined {
  if (seesWholeOrganisation(user)) return undefined;
  // A reporter without a unit (the database forbids it) sees nothing rather than everything.
  return user.unitId ?? 0;
}

export function canSeeTask(user: User, task: { leadUnitId: number | null; units: readonly { unitId: number | null }[] }): boolean {
  const unit = scopeUnit(user);
  if (unit === undefined) return true;
  return task.leadUnitId === unit || task.units.some((named) => named.unitId === unit);
}

/** Plans (ids) of the organisation with at least one current task the unit leads or is named on. */
export async function plansOfUnit(db: Db, organisationId: number, unitId: number): Promise<Set<number>> {
  return planIdsOfUnit(db, { organisationId, unitId });
}
