// The console's moderation queue and bans list: read over REST when the socket opens (and again after a
// reconnect), then kept current by the moderators' frames (report, restricted, lifted) instead of polling.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, chat } from "../../../api/client";
import type { ChatReport, ChatRestriction } from "../../../api/types";
import type { ServerFrame } from "../../../viewer/chat/protocol";

/** The queue after a frame: a report joins it (once, oldest first, as GET chat/reports lists them); a settled one
 * leaves it, whichever moderator settled it. */
export function queueAfter(reports: readonly ChatReport[], frame: ServerFrame): readonly ChatReport[] {
  if (frame.type === "report_settled") return reports.filter((r) => r.reportId !== frame.reportId);
  if (frame.type !== "report" || frame.report.status !== "pending") return reports;
  const others = reports.filter((r) => r.reportId !== frame.report.reportId);
  return [...others, frame.report].sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
}

/** The bans and timeouts after a frame: a restriction replaces what the person had (as the server does), a lift removes it. */
export function bansAfter(bans: readonly ChatRestriction[], frame: ServerFrame): readonly ChatRestriction[] {
  if (frame.type === "restricted") return [frame.restriction, ...bans.filter((b) => b.personId !== frame.restriction.personId)];
  if (frame.type === "lifted") return bans.some((b) => b.personId === frame.personId) ? bans.filter((b) => b.personId !== frame.personId) : bans;
  return bans;
}

/** Those still in force: a timeout that ran out goes (no frame says so). */
export function inForce(bans: readonly ChatRestriction[], now: number): readonly ChatRestriction[] {
  return bans.filter((b) => b.kind === "ban" || !b.until || Date.parse(b.until) > now);
}

/** When the next timeout runs out (ms since the epoch), if any does. */
export function nextExpiry(bans: readonly ChatRestriction[], now: number): number | null {
  const ends = bans.filter((b) => b.kind !== "ban" && b.until).map((b) => Date.parse(b.until ?? "")).filter((t) => t > now);
  return ends.length ? Math.min(...ends) : null;
}

/**
 * One list read over REST, then moved by frames. Frames that arrive while a read is on its way are played
 * again over its answer, so a report or a ban made meanwhile is neither lost nor undone.
 */
function useLiveList<T>(load: (signal: AbortSignal) => Promise<{ items: T[] }>, after: (items: readonly T[], frame: ServerFrame) => readonly T[], loads: number, deps: readonly unknown[]) {
  const [items, setItems] = useState<readonly T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<ServerFrame[] | null>(null);
  const afterRef = useRef(after);
  afterRef.current = after;
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (loads === 0) return;
    const controller = new AbortController();
    pending.current = [];
    loadRef.current(controller.signal).then(
      (list) => {
        if (controller.signal.aborted) return;
        const heard = pending.current ?? [];
        pending.current = null;
        setItems(heard.reduce<readonly T[]>((current, frame) => afterRef.current(current, frame), list.items));
        setError(null);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        pending.current = null;
        setError(err instanceof ApiError ? err.message : "Could not load this list.");
      },
    );
    return () => {
      controller.abort();
      pending.current = null;
    };
  }, [loads, ...deps]);

  const hear = useCallback((frame: ServerFrame) => {
    pending.current?.push(frame);
    setItems((current) => (current ? afterRef.current(current, frame) : current));
  }, []);

  return { items, error, setItems, hear };
}

export interface ModerationLists {
  reports: readonly ChatReport[] | null;
  reportsError: string | null;
  bans: readonly ChatRestriction[] | null;
  bansError: string | null;
  /** Gives the lists a socket frame (the console's onFrame). */
  hear: (frame: ServerFrame) => void;
  /** Settled here: out of the queue. */
  settled: (reportId: string) => void;
  /** Lifted here: out of the list (the `lifted` frame follows). */
  lifted: (personId: string) => void;
}

/** The queue and the bans of an event's chat while its socket is `open` (read again at each opening). */
export function useModerationLists(eventId: string, open: boolean): ModerationLists {
  const [loads, setLoads] = useState(0);
  useEffect(() => {
    if (open) setLoads((n) => n + 1);
  }, [open]);
  const reports = useLiveList((signal) => chat.reports(eventId, "pending", signal), queueAfter, loads, [eventId]);
  const bans = useLiveList((signal) => chat.bans(eventId, signal), bansAfter, loads, [eventId]);
  const { hear: hearReports, setItems: setReports } = reports;
  const { hear: hearBans, setItems: setBans } = bans;

  const hear = useCallback(
    (frame: ServerFrame) => {
      if (frame.type === "report" || frame.type === "report_settled") hearReports(frame);
      else if (frame.type === "restricted" || frame.type === "lifted") hearBans(frame);
    },
    [hearReports, hearBans],
  );
  const settled = useCallback((reportId: string) => setReports((current) => current?.filter((r) => r.reportId !== reportId) ?? current), [setReports]);
  const lifted = useCallback((personId: string) => setBans((current) => current?.filter((b) => b.personId !== personId) ?? current), [setBans]);

  return { reports: reports.items, reportsError: reports.error, bans: bans.items, bansError: bans.error, hear, settled, lifted };
}
