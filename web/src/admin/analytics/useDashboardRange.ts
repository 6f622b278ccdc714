import { useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import type { AnalyticsRange } from "../../api/types";
import { DEFAULT_RANGE, rangeFromParams, rangeParams, type ChoiceKey, type DashboardRange, type RangeKey } from "./range";

/**
 * The range in the URL. A preset ends at the moment it was chosen (or refreshed), not at every render,
 * so the same figures are asked for until the admin chooses again or presses Refresh.
 */
export interface DashboardRangeState {
  range: DashboardRange;
  /** Changes on every choice and Refresh: load again when it does. */
  version: number;
  choose: (key: RangeKey, custom?: AnalyticsRange) => void;
  refresh: () => void;
}

export function useDashboardRange(fallback: ChoiceKey = DEFAULT_RANGE): DashboardRangeState {
  const [params, setParams] = useSearchParams();
  const [anchor, setAnchor] = useState(() => Date.now());
  const range = useMemo(() => rangeFromParams(params, anchor, fallback), [params, anchor, fallback]);

  const choose = useCallback(
    (key: RangeKey, custom?: AnalyticsRange) => {
      setAnchor(Date.now());
      setParams(rangeParams(key, custom), { replace: false });
    },
    [setParams],
  );
  const refresh = useCallback(() => setAnchor(Date.now()), []);
  return { range, version: anchor, choose, refresh };
}
