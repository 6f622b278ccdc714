// The one typed client every page uses to talk to the GoLive API.
import type {
  Admin,
  AdminEvent,
  AuditEntry,
  AutomationEntry,
  ErrorBody,
  EventListQuery,
  EventStatus,
  EventWrite,
  ItemList,
  LoginRequest,
  LoginResponse,
  Page,
  Playback,
  PublicEvent,
  RegistrationRequest,
  RegistrationResponse,
} from "./types";

export const CSRF_COOKIE = "golive_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

/** An error response of the API: `{"error": {code, message, details, timestamp}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Validation messages keyed by field path (`title`, `formFields.0.name`, `formData.email`). */
  readonly fields: Record<string, string>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details ?? {};
    this.fields = readFieldErrors(this.details);
  }

  /** Seconds to wait before retrying, from a 429's `details.retryAfter`. */
  get retryAfter(): number | null {
    const value = this.details.retryAfter;
    const seconds = typeof value === "string" ? Number(value) : value;
    return typeof seconds === "number" && Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : null;
  }
}

function readFieldErrors(details: Record<string, unknown>): Record<string, string> {
  const raw = details.fields;
  if (!raw || typeof raw !== "object") return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map(String).join(" ");
    else if (value != null) out[key] = String(value);
  }
  return out;
}

export function readCookie(name: string, cookieString: string = typeof document === "undefined" ? "" : document.cookie): string | null {
  for (const part of cookieString.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** The admin console registers how to react to an expired session (go to the login page). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Viewer access token, sent as `Authorization: Bearer`. */
  token?: string;
  /** Admin calls: a 401 means the session expired and triggers the unauthorized handler. */
  session?: boolean;
  signal?: AbortSignal;
}

export function buildQuery(query: RequestOptions["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (method !== "GET" && method !== "HEAD") {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }

  let response: Response;
  try {
    response = await fetch(path + buildQuery(options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "Could not reach the server. Check your connection and try again.");
  }

  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;

  const error = toApiError(response.status, payload);
  if (response.status === 401 && options.session && unauthorizedHandler) unauthorizedHandler();
  throw error;
}

export function toApiError(status: number, payload: unknown): ApiError {
  const body = (payload as Partial<ErrorBody> | null)?.error;
  if (body && typeof body === "object") {
    return new ApiError(status, body.code ?? "error", body.message ?? defaultMessage(status), body.details ?? null);
  }
  return new ApiError(status, "http_error", defaultMessage(status));
}

function defaultMessage(status: number): string {
  if (status === 401) return "Please sign in.";
  if (status === 403) return "You do not have access to this.";
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many attempts. Please wait and try again.";
  if (status >= 500) return "The server had a problem. Please try again.";
  return `Request failed (${status}).`;
}

// --- admin session ---------------------------------------------------------

export const auth = {
  login: (body: LoginRequest) => request<LoginResponse>("POST", "/api/auth/login", { body }),
  me: (signal?: AbortSignal) => request<Admin>("GET", "/api/auth/me", { session: true, signal }),
  logout: () => request<void>("POST", "/api/auth/logout", { session: true }),
};

// --- events (admin) ---------------------------------------------------------

const eventPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const events = {
  list: (query: EventListQuery, signal?: AbortSignal) =>
    request<Page<AdminEvent>>("GET", "/api/events", { query: { ...query }, session: true, signal }),
  get: (eventId: string, signal?: AbortSignal) =>
    request<AdminEvent>("GET", eventPath(eventId), { session: true, signal }),
  create: (body: EventWrite) => request<AdminEvent>("POST", "/api/events", { body, session: true }),
  update: (eventId: string, body: EventWrite) =>
    request<AdminEvent>("PUT", eventPath(eventId), { body, session: true }),
  remove: (eventId: string) => request<void>("DELETE", eventPath(eventId), { session: true }),
  transition: (eventId: string, to: EventStatus) =>
    request<AdminEvent>("POST", `${eventPath(eventId)}/transitions`, { body: { to }, session: true }),
  automation: (eventId: string, signal?: AbortSignal) =>
    request<ItemList<AutomationEntry>>("GET", `${eventPath(eventId)}/automation`, { session: true, signal }),
  audit: (eventId: string, signal?: AbortSignal) =>
    request<ItemList<AuditEntry>>("GET", `${eventPath(eventId)}/audit`, { session: true, signal }),
};

// --- viewer ----------------------------------------------------------------

export const viewer = {
  event: (eventId: string, signal?: AbortSignal) => request<PublicEvent>("GET", eventPath(eventId), { signal }),
  register: (body: RegistrationRequest) =>
    request<RegistrationResponse>("POST", "/api/registrations", { body }),
  playback: (eventId: string, token: string, signal?: AbortSignal) =>
    request<Playback>("GET", `${eventPath(eventId)}/playback`, { token, signal }),
};
