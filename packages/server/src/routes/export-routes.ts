// The ledger as a spreadsheet (任务台账.xlsx): the tasks the ledger's filters find, every one of
// them (not a page), with their units, due dates, status and computed light, in the printed
// layout every taizhang sheet shares. A reporter exports their own unit's tasks only.
import type { FastifyInstance } from "fastify";
import { bureauDay, type LightResult } from "@taizhang/core";
import { MAX_LEDGER_LIMIT, listUnits, type LedgerRow, type TaskScope } from "@taizhang/store";
import { ALL_ROLES, requireAuth } from "../auth.js";
import { TAGS, type AppContext } from "../context.js";
import { apiError } from "../errors.js";
import { ledgerPage } from "../task-lights.js";
import { attachment } from "../uploads.js";
import { addTableSheet, newWorkbook, workbookBytes, type SheetColumn } from "../workbook.js";
import { LEDGER_FILTERS, ledgerScope, type LedgerFilters } from "./task-routes.js";

/** A sheet this long is a database dump, not a ledger anyone reads; narrow the filters. */
export const MAX_EXPORT_ROWS = 50_000;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const LIGHT_NAMES = { red: "红灯", yellow: "黄灯", green: "绿灯", grey: "—" } as const;
const LIGHT_FILLS = { red: "FFF8CBAD", yellow: "FFFFE699", green: "FFE2EFDA" } as const;
const LIST_JOIN = "、";

const COLUMNS: readonly SheetColumn[] = [
  { header: "序号", width: 8, align: "center" },
  { header: "计划", width: 24, align: "left" },
  { header: "章节", width: 20, align: "left" },
  { header: "工作任务", width: 40, align: "left" },
  { header: "牵头单位", width: 18, align: "left" },
  { header: "配合单位", width: 24, align: "left" },
  { header: "完成时限", width: 14, align: "center" },
  { header: "状态", width: 10, align: "center" },
  { header: "灯色", width: 8, align: "center" },
  { header: "灯色原因", width: 36, align: "left" },
];

export function registerExportRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get<{ Querystring: LedgerFilters }>(
    "/api/tasks/export.xlsx",
    {
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: [TAGS.tasks],
        summary: "导出任务台账 .xlsx(筛选条件同任务台账,不分页)",
        description: `最多 ${MAX_EXPORT_ROWS} 行;报送员只导出本单位的任务。`,
        querystring: { type: "object", additionalProperties: false, properties: LEDGER_FILTERS },
        produces: [XLSX_TYPE],
        response: { 200: { type: "string", format: "binary", description: "任务台账.xlsx" } },
      },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const now = context.now();
      const scope = ledgerScope(user, request.query);
      const rows = scope === null ? [] : await allRows(context, scope, request.query, now);
      const unitNames = new Map((await listUnits(db, user.organisationId)).map((unit) => [unit.id, unit.name]));
      const workbook = newWorkbook();
      const day = bureauDay(now);
      const table = addTableSheet(workbook, "任务台账", `任务台账(${day.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, "$1年$2月$3日")}导出)`, COLUMNS);
      rows.forEach((row, index) => {
        // The lead is the task's lead unit (set at dispatch), else the names the plan gave as 牵头.
        const leadName = row.leadUnitId === null ? undefined : unitNames.get(row.leadUnitId);
        const lead = leadName !== undefined ? [leadName] : row.units.filter((unit) => unit.role === "牵头").map((unit) => unit.name);
        const others = row.units.filter((unit) => !lead.includes(unit.name) && (row.leadUnitId === null || unit.unitId !== row.leadUnitId)).map((unit) => unit.name);
        const light = row.light.light;
        const added = table.row([
          index + 1,
          row.planTitle,
          row.sectionTitle ?? "",
          `${row.number} ${row.title}`.trim(),
          lead.join(LIST_JOIN),
          others.join(LIST_JOIN),
          row.dueDate ?? "",
          row.status,
          LIGHT_NAMES[light],
          row.light.reasons.map((reason) => reason.message).join(";"),
        ]);
        if (light !== "grey") added.getCell(COLUMNS.findIndex((column) => column.header === "灯色") + 1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: LIGHT_FILLS[light] } };
      });
      if (rows.length === 0) table.band("没有符合条件的任务。");
      return reply
        .type(XLSX_TYPE)
        .header("content-disposition", attachment(`任务台账-${day}.xlsx`))
        .header("cache-control", "no-store")
        .send(await workbookBytes(workbook));
    },
  );
}

/** Every row in the scope, in ledger order, page by page; refused past the export's limit. */
async function allRows(context: AppContext, scope: TaskScope, filters: LedgerFilters, now: Date): Promise<(LedgerRow & { light: LightResult })[]> {
  const rows: (LedgerRow & { light: LightResult })[] = [];
  for (let offset = 0; ; offset += MAX_LEDGER_LIMIT) {
    const page = await ledgerPage(context.db, scope, { ...(filters.light !== undefined && { light: filters.light }), limit: MAX_LEDGER_LIMIT, offset }, now, context.lightSettings);
    rows.push(...page);
    if (rows.length > MAX_EXPORT_ROWS) throw apiError("EXPORT_TOO_LARGE");
    if (page.length < MAX_LEDGER_LIMIT) return rows;
  }
}
