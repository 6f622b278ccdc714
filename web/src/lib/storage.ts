// Browser storage for the viewer: a stable client id, per-event tokens, resume positions.

export const CLIENT_VIEWER_ID_KEY = "golive.clientViewerId";
const tokenKey = (eventId: string) => `golive.token.${eventId}`;
const resumeKey = (eventId: string) => `golive.resume.${eventId}`;

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback; // storage blocked (private mode, sandboxed iframe)
  }
}

export function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

let memoryClientId: string | null = null;

/** The id of this browser, created on first visit. `existed` is false when it was just created. */
export function getClientViewerId(): { id: string; existed: boolean } {
  const stored = safe(() => localStorage.getItem(CLIENT_VIEWER_ID_KEY), null) ?? memoryClientId;
  if (stored) return { id: stored, existed: true };
  const id = randomId();
  memoryClientId = id;
  safe(() => localStorage.setItem(CLIENT_VIEWER_ID_KEY, id), undefined);
  return { id, existed: false };
}

export function loadViewerToken(eventId: string): string | null {
  return safe(() => sessionStorage.getItem(tokenKey(eventId)), null);
}

export function saveViewerToken(eventId: string, token: string): void {
  safe(() => sessionStorage.setItem(tokenKey(eventId), token), undefined);
}

export function clearViewerToken(eventId: string): void {
  safe(() => sessionStorage.removeItem(tokenKey(eventId)), undefined);
}

export function loadResumePosition(eventId: string): number | null {
  const raw = safe(() => localStorage.getItem(resumeKey(eventId)), null);
  const value = raw == null ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : null;
}

export function saveResumePosition(eventId: string, seconds: number): void {
  safe(() => localStorage.setItem(resumeKey(eventId), String(Math.floor(seconds))), undefined);
}

export function clearResumePosition(eventId: string): void {
  safe(() => localStorage.removeItem(resumeKey(eventId)), undefined);
}
