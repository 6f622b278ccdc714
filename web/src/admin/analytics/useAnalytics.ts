import { useApi } from "../../api/useApi";
import type { DashboardRange } from "./range";

/** Loads a dashboard for the range (again on every `version`), keeping the last figures while reloading. */
export function useAnalytics<T>(
  load: (range: DashboardRange, signal: AbortSignal) => Promise<T>,
  range: DashboardRange,
  version: number,
  key = "",
): { data: T | null; error: string | null; loading: boolean } {
  const { data, error, loading } = useApi((signal) => load(range, signal), [key, range.from, range.to, version], {
    enabled: !range.error,
  });
  return { data, error, loading };
}
