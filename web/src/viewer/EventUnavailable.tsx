import type { ApiError } from "../api/client";

/** The event could not be loaded: missing, deleted, or the server is unreachable. */
export function EventUnavailable({ error }: { error: ApiError }) {
  const missing = error.status === 404 || error.status === 410;
  return (
    <main className="centered-page" data-testid="event-unavailable">
      <h1>{missing ? "Event not found" : "This event is unavailable"}</h1>
      <p className="muted">{missing ? "The link may be wrong, or the event was removed." : error.message}</p>
      {!missing ? (
        <button type="button" className="btn btn-secondary" onClick={() => window.location.reload()}>
          Try again
        </button>
      ) : null}
    </main>
  );
}
