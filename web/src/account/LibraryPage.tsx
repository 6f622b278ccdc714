import { useEffect, useState } from "react";
import { Link, Navigate } from "react-router-dom";
import { account, ApiError, LIBRARY_PAGE } from "../api/client";
import type { LibraryItem, LibraryState } from "../api/types";
import { EventThumbnail } from "../admin/events/EventThumbnail";
import { formatShortDateTime } from "../lib/time";
import { ErrorMessage, PageLoading } from "../shared/Status";

const STATES: Record<LibraryState, { label: string; badge: string; playable: boolean }> = {
  live: { label: "Live now", badge: "live", playable: true },
  available: { label: "Watch now", badge: "published", playable: true },
  replay: { label: "Replay", badge: "ended", playable: true },
  upcoming: { label: "Upcoming", badge: "scheduled", playable: true },
  expired: { label: "Expired", badge: "archived", playable: false },
  refunded: { label: "Refunded", badge: "cancelled", playable: false },
  revoked: { label: "Access withdrawn", badge: "cancelled", playable: false },
  unavailable: { label: "Unavailable", badge: "draft", playable: false },
  restricted: { label: "Not on this profile", badge: "draft", playable: false },
};

function posterOf(item: LibraryItem): string | null {
  return item.eventType === "vod" || item.status === "ended" ? `/api/events/${encodeURIComponent(item.eventId)}/poster` : null;
}

function when(item: LibraryItem): string | null {
  if (item.state === "upcoming" && item.startsAt) return `Starts ${formatShortDateTime(item.startsAt)}`;
  if (item.validUntil && STATES[item.state].playable) return `Until ${formatShortDateTime(item.validUntil)}`;
  if (item.state === "expired" && item.validUntil) return `Ended ${formatShortDateTime(item.validUntil)}`;
  return null;
}

/** /account/library: everything the account may watch (bought, registered, given), newest first. */
export function LibraryPage() {
  const [items, setItems] = useState<LibraryItem[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load(offset: number, signal?: AbortSignal) {
    setBusy(true);
    setError(null);
    try {
      const page = await account.library(offset, signal);
      setItems((before) => (offset === 0 ? page.items : [...before, ...page.items]));
      setTotal(page.total);
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return;
      if (err instanceof ApiError && err.status === 401) setSignedOut(true);
      else setError(err instanceof ApiError ? err.message : "Your library could not be loaded.");
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    document.title = "My library";
    const controller = new AbortController();
    void load(0, controller.signal);
    return () => controller.abort();
  }, []);

  if (signedOut) return <Navigate to="/account/login" replace />;
  if (total === null && !error) return <PageLoading />;

  return (
    <section className="library" aria-labelledby="library-title" data-testid="library">
      <div className="library-head">
        <h1 id="library-title">My library</h1>
        <Link to="/account">Your account</Link>
      </div>
      <ErrorMessage>{error}</ErrorMessage>
      {total === 0 ? <p data-testid="library-empty">Nothing here yet: what you buy or register for appears here, on every device you sign in on.</p> : null}
      <ul className="library-grid">
        {items.map((item) => {
          const state = STATES[item.state];
          const note = when(item);
          return (
            <li key={item.eventId} className="library-item" data-testid="library-item" data-state={item.state}>
              <EventThumbnail title={item.title} url={item.thumbnailUrl} seed={item.eventId} posterUrl={posterOf(item)} />
              <div className="library-body">
                <span className={`badge badge-${state.badge}`} data-testid="library-state">{state.label}</span>
                <h2>{item.title}</h2>
                {note ? <small>{note}</small> : null}
                {state.playable ? (
                  <a className="btn btn-primary" href={`/e/${encodeURIComponent(item.eventId)}`} data-testid="library-play">
                    {item.state === "upcoming" ? "Open" : "Play"}
                    <span className="visually-hidden"> {item.title}</span>
                  </a>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      {total !== null && items.length < total ? (
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void load(items.length)}>
          Show {Math.min(LIBRARY_PAGE, total - items.length)} more
        </button>
      ) : null}
    </section>
  );
}
