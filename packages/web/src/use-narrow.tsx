// Narrow screens (a phone held upright, 375 px): pages swap tables for cards and the side menu
// for a drawer. One breakpoint for the whole app, antd's md.
import { useSyncExternalStore } from "react";

const NARROW = "(max-width: 767.98px)";

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(NARROW);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(NARROW).matches);
}
