// What a bulletin and an assessment are computed from: every task of the organisation (or of one
// plan) with its workflow facts, reports and KPI values, read page by page, and the units in the
// bureau's own order. The numbers themselves are core's (bulletin.ts, assessment.ts).
import { computeBulletin, type Bulletin, type BulletinPeriod, type BulletinTask, type LightSettings } from "@taizhang/core";
import { MAX_LEDGER_LIMIT, getOrganisation, listTaskKpis, listTasks, listUnits, type TaskKpi } from "@taizhang/store";
import type { Db } from "../context.js";
import { loadTaskFacts } from "../workflow-state.js";

export interface BulletinRequest {
  organisationId: number;
  period: BulletinPeriod;
  now: Date;
  settings: LightSettings;
  /** One plan's tasks only; default every plan. */
  planId?: number;
}

export interface BulletinData {
  /** The bureau's name, as the documents are issued under it. */
  organisation: string;
  bulletin: Bulletin;
}

export async function loadBulletin(db: Db, request: BulletinRequest): Promise<BulletinData> {
  const organisation = await getOrganisation(db, request.organisationId);
  const units = await listUnits(db, request.organisationId);
  const unitNames = new Map(units.map((unit) => [unit.id, unit.name]));
  const tasks: BulletinTask[] = [];
  const scope = { organisationId: request.organisationId, ...(request.planId !== undefined && { planId: request.planId }) };
  for (let offset = 0; ; offset += MAX_LEDGER_LIMIT) {
    const rows = await listTasks(db, { ...scope, limit: MAX_LEDGER_LIMIT, offset });
    const ids = rows.map((row) => row.id);
    // One query after another: on PGlite and in transactions they share a connection.
    const facts = await loadTaskFacts(db, request.organisationId, ids);
    const kpis = await listTaskKpis(db, request.organisationId, ids);
    for (const row of rows) {
      const fact = facts.get(row.id);
      if (!fact) continue;
      // An archived unit keeps the name the task had for it.
      const leadName = row.leadUnitId === null ? undefined : (unitNames.get(row.leadUnitId) ?? row.units.find((unit) => unit.unitId === row.leadUnitId)?.name ?? `单位 ${row.leadUnitId}`);
      tasks.push({
        id: String(row.id),
        number: row.number,
        title: row.title,
        planTitle: row.planTitle,
        leadUnit: row.leadUnitId === null ? null : { id: String(row.leadUnitId), name: leadName ?? "" },
        state: fact.state,
        reports: fact.reports,
        kpis: (kpis.get(row.id) ?? []).map(toBulletinKpi),
      });
    }
    if (rows.length < MAX_LEDGER_LIMIT) break;
  }
  const bulletin = computeBulletin({
    period: request.period,
    tasks,
    now: request.now,
    settings: request.settings,
    unitOrder: units.map((unit) => String(unit.id)),
  });
  return { organisation: organisation?.name ?? "", bulletin };
}

function toBulletinKpi(kpi: TaskKpi): BulletinTask["kpis"][number] {
  return {
    id: String(kpi.id),
    quote: kpi.quote,
    target: { value: kpi.value, valueMax: kpi.valueMax, direction: kpi.direction },
    values: kpi.values,
  };
}
