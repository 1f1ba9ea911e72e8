// Multi-row inserts: one statement per table, split only where PostgreSQL's limit on bind
// parameters in one statement would be crossed (a plan of thousands of tasks).

/** PostgreSQL's wire protocol counts bind parameters in an Int16. */
const MAX_BIND_PARAMETERS = 65_535;

/** Insert rows (objects of one shape) cut into runs that each fit one INSERT statement. */
export function insertBatches<T extends object>(rows: readonly T[]): T[][] {
  const columns = rows[0] ? Object.keys(rows[0]).length : 1;
  const size = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / columns));
  const batches: T[][] = [];
  for (let start = 0; start < rows.length; start += size) batches.push(rows.slice(start, start + size));
  return batches;
}
