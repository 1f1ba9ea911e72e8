// Data for a page: loads when its inputs change, shows a refusal once, and can be reloaded after
// a change. A response that arrives after the inputs changed again is dropped.
import { useCallback, useEffect, useRef, useState, type DependencyList } from "react";
import { notifyError } from "./notify.js";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList, options: { quiet?: boolean } = {}): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const quiet = options.quiet ?? false;

  // The caller's deps are the inputs of `load`, as with useEffect.
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await run();
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (caught) {
      if (mine !== generation.current) return;
      setError(caught);
      if (!quiet) notifyError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [run, quiet]);

  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload };
}
