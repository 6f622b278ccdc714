import { useSearchParams } from "react-router-dom";

/** `?next=`: the event page that sent the viewer to sign in (only a path of this site's events). */
export function useNext(): string | null {
  const [params] = useSearchParams();
  const next = params.get("next");
  return next && /^\/(e|embed)\/[A-Za-z0-9_-]{1,64}$/.test(next) ? next : null;
}

/** A link to another account page that keeps `?next=`. */
export function useWithNext() {
  const next = useNext();
  return (path: string) => (next ? `${path}?${new URLSearchParams({ next })}` : path);
}
