import { useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import type { DashboardRange } from "./range";

/** Loads a dashboard for the range (again on every `version`), keeping the last figures while reloading. */
export function useAnalytics<T>(
  load: (range: DashboardRange, signal: AbortSignal) => Promise<T>,
  range: DashboardRange,
  version: number,
  key = "",
): { data: T | null; error: string | null; loading: boolean } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    if (range.error) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    load(range, controller.signal)
      .then((result) => {
        setData(result);
        setError(null);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err instanceof ApiError ? err.message : "Could not load the analytics.");
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [key, range.from, range.to, range.error, version]);

  return { data, error, loading };
}
