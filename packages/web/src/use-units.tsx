// The organisation's units, loaded once per page load: names for the ids in task rows, and the
// tree the pickers (交办, filters) choose from.
import { useEffect, useState } from "react";
import { api } from "./api.js";
import type { UnitNode } from "./api-types.js";
import { notifyError } from "./notify.js";

export interface Units {
  tree: UnitNode[];
  byId: Map<number, UnitNode>;
  name(id: number | null | undefined): string;
}

/** antd TreeSelect's shape. */
export interface UnitOption {
  value: number;
  title: string;
  children: UnitOption[];
}

let loading: Promise<UnitNode[]> | undefined;

function build(tree: UnitNode[]): Units {
  const byId = new Map<number, UnitNode>();
  const walk = (nodes: UnitNode[]) => {
    for (const node of nodes) {
      byId.set(node.id, node);
      walk(node.children);
    }
  };
  walk(tree);
  return { tree, byId, name: (id) => (id === null || id === undefined ? "—" : (byId.get(id)?.name ?? `单位 ${id}`)) };
}

const EMPTY = build([]);

export function useUnits(): Units {
  const [units, setUnits] = useState<Units>(EMPTY);
  useEffect(() => {
    let live = true;
    loading ??= api.units.tree();
    loading.then(
      (tree) => live && setUnits(build(tree)),
      (error: unknown) => {
        loading = undefined;
        if (live) notifyError(error);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return units;
}

export function unitOptions(tree: UnitNode[]): UnitOption[] {
  return tree.map((node) => ({ value: node.id, title: node.name, children: unitOptions(node.children) }));
}

/** The lead unit's name: the dispatched one, else the one the plan names. */
export function leadUnitName(units: Units, row: { leadUnitId: number | null; units: { name: string; role: string }[] }): string {
  if (row.leadUnitId !== null) return units.name(row.leadUnitId);
  const named = row.units.find((unit) => unit.role === "牵头") ?? row.units[0];
  return named ? named.name : "—";
}
