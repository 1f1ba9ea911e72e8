// How far a quantitative target (新增公办园50所, 达标率达到77%, 控制在5%以内) has been reached by a
// reported value: 1 is met, below 1 short of it, above 1 past it (for a floor). The cockpit ranks
// KPIs by it and the assessment scores it, so both read the same number.

/** A target as the ledger keeps it. */
export interface KpiTarget {
  value: number;
  /** The upper end of a range (5–8%); null otherwise. */
  valueMax: number | null;
  /** at_least: reach value or more; at_most: stay at value or below; within: between value and valueMax. */
  direction: "at_least" | "at_most" | "within";
}

/**
 * The share of the target reached by `actual`; null when it cannot be said (no value yet, or a
 * ceiling of 0 that any positive value breaks without a meaningful ratio).
 */
export function attainment(target: KpiTarget, actual: number | null): number | null {
  if (actual === null || !Number.isFinite(actual)) return null;
  const { value, valueMax, direction } = target;
  switch (direction) {
    case "at_least":
      if (value <= 0) return actual >= value ? 1 : 0;
      return Math.max(actual, 0) / value;
    case "at_most":
      if (actual <= value) return 1;
      return value <= 0 ? null : value / actual;
    case "within": {
      const high = valueMax ?? value;
      if (actual < value) return value <= 0 ? 0 : Math.max(actual, 0) / value;
      if (actual > high) return high <= 0 ? null : high / actual;
      return 1;
    }
  }
}
