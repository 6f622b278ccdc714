import { useCallback, useEffect, useState, type DependencyList, type Dispatch, type SetStateAction } from "react";
import { ApiError } from "./client";

export interface ApiData<T> {
  /** The last answer. Kept while the same page reloads or loads new parameters, so a list does not blink. */
  data: T | null;
  /** The message of the last failed load (the server's error body); null once a load succeeds. */
  error: string | null;
  loading: boolean;
  /** Loads again with the same parameters, e.g. after the page changed something. */
  reload: () => void;
  /** Puts a newer answer in place, e.g. the row an action returned, until the next load. */
  setData: Dispatch<SetStateAction<T | null>>;
}

export interface ApiDataOptions {
  /** False loads nothing, e.g. while the admin may not see it. */
  enabled?: boolean;
  /** New parameters drop the old answer at once (another event's figures must not stand in for this one's). */
  resetOnChange?: boolean;
  /** The words for a refusal; the server's own message by default. */
  describe?: (error: ApiError) => string;
}

const UNEXPECTED = "Something went wrong. Please reload the page.";

/**
 * The one way a page reads from the API: `load` runs on mount and whenever `deps` change (like an effect's),
 * the request it started is aborted when the parameters change or the page goes away, and an answer to an
 * aborted request is never shown.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList, options: ApiDataOptions = {}): ApiData<T> {
  const { enabled = true, resetOnChange = false, describe } = options;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [version, setVersion] = useState(0);

  // `deps` are the caller's parameters, the ones `load` reads (as with an effect's dependency list).
  useEffect(() => {
    if (resetOnChange) setData(null);
  }, deps);

  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setData(result);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err instanceof ApiError ? (describe ? describe(err) : err.message) : UNEXPECTED);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, enabled, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload, setData };
}
