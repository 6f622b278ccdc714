// The one typed client every page uses to talk to the GoLive API.
import { getClientViewerId } from "../lib/storage";
import type {
  Account,
  AdminSiteSettings,
  HomeSections,
  NotificationPage,
  NotificationPreferences,
  NotificationPreferencesUpdate,
  SiteSettings,
  SiteSettingsUpdate,
  AccountPage,
  AccountLoginRequest,
  AccountMailAccepted,
  AccountResetRequest,
  AccountSessionList,
  AccountSignIn,
  AccountSignupRequest,
  AdminAccount,
  Admin,
  AdminCreate,
  AdminEvent,
  AdminList,
  AdminUpdate,
  AnalyticsOverview,
  AnalyticsRange,
  AuditList,
  AutomationList,
  ChatModerator,
  ChatModeratorList,
  ChatQuestionList,
  ChatReplayList,
  ChatStats,
  ChatReportList,
  ChatReportStatus,
  ChatRestriction,
  ChatRestrictionList,
  ChatSettingsOut,
  ChatSettingsUpdate,
  CheckoutOut,
  CheckoutStart,
  ComplimentaryGrant,
  ComplimentaryGrantCreate,
  ComplimentaryGrantList,
  EmailOut,
  EmailPage,
  EmailQuery,
  EmailTypes,
  ErrorResponse,
  EventAnalytics,
  EventListQuery,
  EventPage,
  EventStatus,
  EventUpdate,
  EventWrite,
  LiveInput,
  LiveStatus,
  LoginRequest,
  LoginResponse,
  LibraryPage,
  Profile,
  ProfileCreate,
  ProfileList,
  ProfileUpdate,
  MediaAsset,
  Offer,
  OfferList,
  OfferWrite,
  PaymentOut,
  PaymentPage,
  PaymentQuery,
  Playback,
  PricesOnSale,
  PublicEvent,
  RefundRequest,
  RegistrationPage,
  RegistrationQuery,
  RegistrationRequest,
  RegistrationResponse,
  ReplayTrim,
  RevenueReport,
  ViewerFunnel,
} from "./types";

export const CSRF_COOKIE = "golive_csrf";
/** The audience account's own CSRF cookie (its session cookie is not the admin console's). */
export const ACCOUNT_CSRF_COOKIE = "golive_account_csrf";
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
  /** A file or blob sent as the raw body, with its own type (e.g. an image). */
  raw?: Blob;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Viewer access token, sent as `Authorization: Bearer`. */
  token?: string;
  /** Admin calls: a 401 means the session expired and triggers the unauthorized handler. */
  session?: boolean;
  /** The cookie whose CSRF token a change sends (the admin console's unless given). */
  csrfCookie?: string;
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
  if (options.raw !== undefined) headers["Content-Type"] = options.raw.type || "application/octet-stream";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (method !== "GET" && method !== "HEAD") {
    const csrf = readCookie(options.csrfCookie ?? CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }

  let response: Response;
  try {
    response = await fetch(path + buildQuery(options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
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
  const body = (payload as Partial<ErrorResponse> | null)?.error;
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

// --- audience accounts (the viewer site) --------------------------------------

const accountCall = { csrfCookie: ACCOUNT_CSRF_COOKIE };
export const LIBRARY_PAGE = 24;
const profilePath = (profileId: string) => `/api/account/profiles/${encodeURIComponent(profileId)}`;
/** Every sign-in names this browser: what it cleared or bought as a guest becomes the account's. */
const thisBrowser = () => ({ clientViewerId: getClientViewerId().id });

export const account = {
  signup: (body: AccountSignupRequest) =>
    request<AccountMailAccepted>("POST", "/api/account/signup", { body, ...accountCall }),
  verify: (email: string, code: string) =>
    request<AccountSignIn>("POST", "/api/account/verify", { body: { email, code, ...thisBrowser() }, ...accountCall }),
  resendVerification: (email: string) =>
    request<AccountMailAccepted>("POST", "/api/account/verify/resend", { body: { email }, ...accountCall }),
  login: (body: AccountLoginRequest) =>
    request<AccountSignIn>("POST", "/api/account/login", { body: { ...body, ...thisBrowser() }, ...accountCall }),
  loginCode: (email: string) =>
    request<AccountMailAccepted>("POST", "/api/account/login-code", { body: { email }, ...accountCall }),
  passwordReset: (email: string) =>
    request<AccountMailAccepted>("POST", "/api/account/password-reset", { body: { email }, ...accountCall }),
  confirmPasswordReset: (body: AccountResetRequest) =>
    request<AccountSignIn>("POST", "/api/account/password-reset/confirm", {
      body: { ...body, ...thisBrowser() },
      ...accountCall,
    }),
  me: (signal?: AbortSignal) => request<Account>("GET", "/api/account", { signal }),
  sessions: (signal?: AbortSignal) => request<AccountSessionList>("GET", "/api/account/sessions", { signal }),
  endSession: (sessionId: string) =>
    request<void>("DELETE", `/api/account/sessions/${encodeURIComponent(sessionId)}`, accountCall),
  /** Every other device signed out; this one stays. */
  endOtherSessions: () => request<void>("DELETE", "/api/account/sessions", accountCall),
  logout: (everywhere = false) =>
    request<void>("POST", "/api/account/logout", { body: { everywhere }, ...accountCall }),
  profiles: (signal?: AbortSignal) => request<ProfileList>("GET", "/api/account/profiles", { signal }),
  addProfile: (body: ProfileCreate) => request<Profile>("POST", "/api/account/profiles", { body, ...accountCall }),
  changeProfile: (profileId: string, body: ProfileUpdate) =>
    request<Profile>("PATCH", profilePath(profileId), { body, ...accountCall }),
  removeProfile: (profileId: string) => request<void>("DELETE", profilePath(profileId), accountCall),
  /** Who is watching on this device (a profile with a PIN needs it). */
  selectProfile: (profileId: string, pin?: string) =>
    request<Profile>("POST", `${profilePath(profileId)}/select`, { body: pin ? { pin } : {}, ...accountCall }),
  setAvatar: (profileId: string, image: Blob) =>
    request<Profile>("PUT", `${profilePath(profileId)}/avatar`, { raw: image, ...accountCall }),
  library: (offset: number, signal?: AbortSignal) =>
    request<LibraryPage>("GET", "/api/account/library", { query: { offset, limit: LIBRARY_PAGE }, signal }),
  notifications: (limit: number, signal?: AbortSignal) =>
    request<NotificationPage>("GET", "/api/account/notifications", { query: { limit }, signal }),
  /** Marks those named read (none named: all); answers the unread count left. */
  markRead: (notificationIds?: string[]) =>
    request<{ unread: number }>("POST", "/api/account/notifications/read", { body: { notificationIds }, ...accountCall }),
  /** The bell's live feed (EventSource sends the account cookie): `unread`, `notification`, `signed_out`. */
  notificationStreamUrl: "/api/account/notifications/stream",
  emailPreferences: (signal?: AbortSignal) =>
    request<NotificationPreferences>("GET", "/api/account/notification-preferences", { signal }),
  setEmailPreferences: (body: NotificationPreferencesUpdate) =>
    request<NotificationPreferences>("PUT", "/api/account/notification-preferences", { body, ...accountCall }),
  /** A download (the browser sends the cookie): everything kept about the account, as JSON. */
  exportUrl: "/api/account/export",
  remove: (password: string | null) =>
    request<void>("DELETE", "/api/account", { body: { password }, ...accountCall }),
};

// --- the white-label site ----------------------------------------------------------

export type SitePicture = "logo" | "hero-background";

export const site = {
  settings: (signal?: AbortSignal) => request<SiteSettings>("GET", "/api/settings", { signal }),
  home: (signal?: AbortSignal) => request<HomeSections>("GET", "/api/home", { signal }),
  adminSettings: (signal?: AbortSignal) =>
    request<AdminSiteSettings>("GET", "/api/admin/settings", { session: true, signal }),
  save: (body: SiteSettingsUpdate) => request<AdminSiteSettings>("PUT", "/api/settings", { body, session: true }),
  setPicture: (picture: SitePicture, image: Blob) =>
    request<AdminSiteSettings>("PUT", `/api/settings/${picture}`, { raw: image, session: true }),
  clearPicture: (picture: SitePicture) =>
    request<AdminSiteSettings>("DELETE", `/api/settings/${picture}`, { session: true }),
};

// --- audience accounts (admin) -------------------------------------------------

const adminAccountPath = (accountId: string) => `/api/admin/accounts/${encodeURIComponent(accountId)}`;

export const adminAccounts = {
  list: (query: { q?: string; offset?: number; limit?: number }, signal?: AbortSignal) =>
    request<AccountPage>("GET", "/api/admin/accounts", { query, session: true, signal }),
  get: (accountId: string, signal?: AbortSignal) =>
    request<AdminAccount>("GET", adminAccountPath(accountId), { session: true, signal }),
  setStatus: (accountId: string, status: AdminAccount["status"]) =>
    request<AdminAccount>("PATCH", adminAccountPath(accountId), { body: { status }, session: true }),
  endSessions: (accountId: string) => request<void>("DELETE", `${adminAccountPath(accountId)}/sessions`, { session: true }),
  library: (accountId: string, signal?: AbortSignal) =>
    request<LibraryPage>("GET", `${adminAccountPath(accountId)}/library`, { query: { limit: 100 }, session: true, signal }),
};

// --- events (admin) ---------------------------------------------------------

const eventPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const events = {
  list: (query: EventListQuery, signal?: AbortSignal) =>
    request<EventPage>("GET", "/api/events", { query: { ...query }, session: true, signal }),
  get: (eventId: string, signal?: AbortSignal) =>
    request<AdminEvent>("GET", eventPath(eventId), { session: true, signal }),
  create: (body: EventWrite) => request<AdminEvent>("POST", "/api/events", { body, session: true }),
  update: (eventId: string, body: EventUpdate) =>
    request<AdminEvent>("PUT", eventPath(eventId), { body, session: true }),
  remove: (eventId: string) => request<void>("DELETE", eventPath(eventId), { session: true }),
  transition: (eventId: string, to: EventStatus) =>
    request<AdminEvent>("POST", `${eventPath(eventId)}/transitions`, { body: { to }, session: true }),
  automation: (eventId: string, signal?: AbortSignal) =>
    request<AutomationList>("GET", `${eventPath(eventId)}/automation`, { session: true, signal }),
  audit: (eventId: string, signal?: AbortSignal) =>
    request<AuditList>("GET", `${eventPath(eventId)}/audit`, { session: true, signal }),
};

/** An event's offers and their prices (the default offer is what isPaidEvent/priceAmount/currency stand for). */
export const offers = {
  list: (eventId: string, signal?: AbortSignal) =>
    request<OfferList>("GET", `${eventPath(eventId)}/offers`, { session: true, signal }),
  create: (eventId: string, body: OfferWrite) =>
    request<Offer>("POST", `${eventPath(eventId)}/offers`, { body, session: true }),
  replace: (eventId: string, offerId: string, body: OfferWrite) =>
    request<Offer>("PUT", `${eventPath(eventId)}/offers/${encodeURIComponent(offerId)}`, { body, session: true }),
};

// --- viewer ----------------------------------------------------------------

export const viewer = {
  event: (eventId: string, signal?: AbortSignal) => request<PublicEvent>("GET", eventPath(eventId), { signal }),
  register: (body: RegistrationRequest) =>
    // a signed-in viewer's call carries the account's CSRF token, so the account's rights count too
    request<RegistrationResponse>("POST", "/api/registrations", { body, ...accountCall }),
  playback: (eventId: string, token: string, signal?: AbortSignal) =>
    request<Playback>("GET", `${eventPath(eventId)}/playback`, { token, signal }),
  liveStatus: (eventId: string, signal?: AbortSignal) =>
    request<LiveStatus>("GET", `${eventPath(eventId)}/live-status`, { signal }),
  /** The viewer pressed "Pay": their open checkout, or a new one. */
  checkout: (eventId: string, token: string, body: CheckoutStart) =>
    request<CheckoutOut>("POST", `${eventPath(eventId)}/checkout`, { token, body }),
  prices: (eventId: string, signal?: AbortSignal) =>
    request<PricesOnSale>("GET", `${eventPath(eventId)}/prices`, { signal }),
};

// --- admins (owners only) ----------------------------------------------------

export const admins = {
  list: (signal?: AbortSignal) => request<AdminList>("GET", "/api/admins", { session: true, signal }),
  create: (body: AdminCreate) => request<Admin>("POST", "/api/admins", { body, session: true }),
  update: (adminId: string, body: AdminUpdate) =>
    request<Admin>("PATCH", `/api/admins/${encodeURIComponent(adminId)}`, { body, session: true }),
};

// --- registrations (admin) -----------------------------------------------------

function registrationFilters(query: RegistrationQuery): RequestOptions["query"] {
  return { q: query.q, accessMode: query.accessMode, paymentStatus: query.paymentStatus, accessVerified: query.accessVerified };
}

export const registrations = {
  list: (eventId: string, query: RegistrationQuery, signal?: AbortSignal) =>
    request<RegistrationPage>("GET", `${eventPath(eventId)}/registrations`, {
      query: { ...registrationFilters(query), limit: query.limit, offset: query.offset },
      session: true,
      signal,
    }),
  /** The same filters as a CSV download (every matching row, no paging); the session cookie authorises it. */
  csvUrl: (eventId: string, query: RegistrationQuery) =>
    `${eventPath(eventId)}/registrations${buildQuery({ ...registrationFilters(query), format: "csv" })}`,
};

// --- complimentary access (admin) ----------------------------------------------

export const grants = {
  list: (eventId: string, signal?: AbortSignal) =>
    request<ComplimentaryGrantList>("GET", `${eventPath(eventId)}/grants`, { session: true, signal }),
  create: (eventId: string, body: ComplimentaryGrantCreate) =>
    request<ComplimentaryGrant>("POST", `${eventPath(eventId)}/grants`, { body, session: true }),
  revoke: (eventId: string, grantId: string) =>
    request<ComplimentaryGrant>("DELETE", `${eventPath(eventId)}/grants/${encodeURIComponent(grantId)}`, { session: true }),
  /** Every grant as a CSV download; the session cookie authorises it. */
  csvUrl: (eventId: string) => `${eventPath(eventId)}/grants${buildQuery({ format: "csv" })}`,
};

// --- analytics (admin) ---------------------------------------------------------

const analyticsRange = (range: AnalyticsRange) => ({ from: range.from, to: range.to });

export const analytics = {
  event: (eventId: string, range: AnalyticsRange, signal?: AbortSignal) =>
    request<EventAnalytics>("GET", `/api/analytics/${encodeURIComponent(eventId)}`, {
      query: analyticsRange(range),
      session: true,
      signal,
    }),
  overview: (range: AnalyticsRange, signal?: AbortSignal) =>
    request<AnalyticsOverview>("GET", "/api/analytics", { query: analyticsRange(range), session: true, signal }),
  /** The event's playback sessions in the range as a CSV download; the session cookie authorises it. */
  csvUrl: (eventId: string, range: AnalyticsRange) =>
    `/api/analytics/${encodeURIComponent(eventId)}${buildQuery({ ...analyticsRange(range), format: "csv" })}`,
};

// --- media (VOD) ---------------------------------------------------------------

/** tus chunk size: big enough to be quick, small enough to resume without much loss. */
export const UPLOAD_CHUNK_SIZE = 5 * 1024 * 1024;

export interface UploadHandlers {
  onProgress: (sentBytes: number, totalBytes: number) => void;
  onSuccess: () => void;
  onError: (error: ApiError) => void;
}

/** A running tus upload of an event's video. */
export interface MediaUpload {
  /** True when this continues an interrupted upload of the same file (e.g. after a reload). */
  resumed: boolean;
  pause: () => Promise<void>;
  resume: () => void;
  /** Stops and asks the server to discard what was sent. */
  cancel: () => Promise<void>;
}

/** An interrupted upload this browser remembers, to be resumed by choosing the same file again. */
export interface UnfinishedUpload {
  filename: string;
  size: number | null;
  createdAt: string;
}

export const uploadEndpoint = (eventId: string): string =>
  new URL(`${eventPath(eventId)}/uploads`, window.location.origin).href;

interface TusFailure {
  message: string;
  originalResponse?: { getStatus(): number; getBody(): string } | null;
}

/** A tus error as an ApiError: a rejected file (422 at the end) carries the server's `error.message`. */
export function uploadError(err: TusFailure): ApiError {
  const response = err.originalResponse;
  if (!response) return new ApiError(0, "upload_failed", "The upload was interrupted. Check your connection and resume it.");
  const status = response.getStatus();
  let payload: unknown = null;
  try {
    payload = JSON.parse(response.getBody());
  } catch {
    payload = null;
  }
  const error = toApiError(status, payload);
  if (status === 401 && unauthorizedHandler) unauthorizedHandler();
  return error;
}

async function startMediaUpload(eventId: string, file: File, handlers: UploadHandlers): Promise<MediaUpload> {
  // Loaded on demand: the uploader is only needed once an admin picks a file.
  const { Upload } = await import("tus-js-client");
  const upload = new Upload(file, {
    endpoint: uploadEndpoint(eventId),
    chunkSize: UPLOAD_CHUNK_SIZE,
    retryDelays: [0, 1000, 3000, 5000],
    metadata: { filename: file.name, filetype: file.type || "application/octet-stream" },
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    onBeforeRequest: (req) => {
      const csrf = readCookie(CSRF_COOKIE);
      if (csrf) req.setHeader(CSRF_HEADER, csrf);
    },
    onProgress: handlers.onProgress,
    onSuccess: () => handlers.onSuccess(),
    onError: (err) => handlers.onError(uploadError(err as TusFailure)),
  });
  const previous = await upload.findPreviousUploads();
  const latest = [...previous].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
  if (latest) upload.resumeFromPreviousUpload(latest);
  upload.start();
  return {
    resumed: Boolean(latest),
    pause: () => upload.abort(false),
    resume: () => upload.start(),
    cancel: () => upload.abort(true).catch(() => undefined),
  };
}

async function unfinishedUploads(eventId: string): Promise<UnfinishedUpload[]> {
  const { defaultOptions } = await import("tus-js-client");
  const storage = defaultOptions.urlStorage;
  if (!storage) return [];
  const endpoint = uploadEndpoint(eventId);
  const all = await storage.findAllUploads();
  return all
    .filter((u) => (u.urlStorageKey ?? "").includes(endpoint))
    .map((u) => ({ filename: u.metadata?.filename ?? "video", size: u.size ?? null, createdAt: u.creationTime }));
}

export const media = {
  get: (eventId: string, signal?: AbortSignal) =>
    request<MediaAsset>("GET", `${eventPath(eventId)}/media`, { session: true, signal }),
  remove: (eventId: string) => request<void>("DELETE", `${eventPath(eventId)}/media`, { session: true }),
  /** The admin's own playback URL (session cookie), for the preview player. */
  playback: (eventId: string, signal?: AbortSignal) =>
    request<Playback>("GET", `${eventPath(eventId)}/playback`, { session: true, signal }),
  /** The video's poster becomes its frame at `at` seconds. */
  pickPoster: (eventId: string, at: number) =>
    request<MediaAsset>("POST", `${eventPath(eventId)}/media/poster`, { body: { at }, session: true }),
  /** An image (JPEG, PNG or WebP) becomes the video's poster. */
  uploadPoster: (eventId: string, image: Blob) =>
    request<MediaAsset>("PUT", `${eventPath(eventId)}/media/poster`, { raw: image, session: true }),
  /** A stable address of the current poster (a redirect to its signed URL), for list thumbnails. */
  posterPath: (eventId: string) => `${eventPath(eventId)}/poster`,
  upload: startMediaUpload,
  unfinishedUploads,
};

// --- live ingest (admin) -------------------------------------------------------

export const live = {
  input: (eventId: string, signal?: AbortSignal) =>
    request<LiveInput>("GET", `${eventPath(eventId)}/live-input`, { session: true, signal }),
  /** A new stream key; the old one stops working at once. */
  rotateKey: (eventId: string) =>
    request<LiveInput>("POST", `${eventPath(eventId)}/live-input/rotate`, { session: true }),
  trimReplay: (eventId: string, body: ReplayTrim) =>
    request<unknown>("POST", `${eventPath(eventId)}/replay/trim`, { body, session: true }),
};

// --- email log (admin) ------------------------------------------------------------

function emailFilters(query: EmailQuery): RequestOptions["query"] {
  return { type: query.type, status: query.status, recipient: query.recipient, eventId: query.eventId };
}

export const emails = {
  list: (query: EmailQuery, signal?: AbortSignal) =>
    request<EmailPage>("GET", "/api/emails", {
      query: { ...emailFilters(query), limit: query.limit, offset: query.offset },
      session: true,
      signal,
    }),
  /** The same filters as a CSV download (every matching message); the session cookie authorises it. */
  csvUrl: (query: EmailQuery) => `/api/emails${buildQuery({ ...emailFilters(query), format: "csv" })}`,
  types: (signal?: AbortSignal) => request<EmailTypes>("GET", "/api/emails/types", { session: true, signal }),
  resend: (emailId: string) =>
    request<EmailOut>("POST", `/api/emails/${encodeURIComponent(emailId)}/resend`, { session: true }),
};

// --- payments (admin) ------------------------------------------------------------

function paymentFilters(query: PaymentQuery): RequestOptions["query"] {
  return { eventId: query.eventId, status: query.status, provider: query.provider, q: query.q, accountId: query.accountId };
}

export const payments = {
  list: (query: PaymentQuery, signal?: AbortSignal) =>
    request<PaymentPage>("GET", "/api/payments", {
      query: { ...paymentFilters(query), limit: query.limit, offset: query.offset },
      session: true,
      signal,
    }),
  /** The same filters as a CSV download (every matching row); the session cookie authorises it. */
  csvUrl: (query: PaymentQuery) => `/api/payments${buildQuery({ ...paymentFilters(query), format: "csv" })}`,
  get: (paymentId: string, signal?: AbortSignal) =>
    request<PaymentOut>("GET", `/api/payments/${encodeURIComponent(paymentId)}`, { session: true, signal }),
  refund: (paymentId: string, body: RefundRequest) =>
    request<PaymentOut>("POST", `/api/payments/${encodeURIComponent(paymentId)}/refund`, { body, session: true }),
  revenue: (eventId: string | undefined, signal?: AbortSignal) =>
    request<RevenueReport>("GET", "/api/payments/revenue", { query: { eventId }, session: true, signal }),
  funnel: (eventId: string, signal?: AbortSignal) =>
    request<ViewerFunnel>("GET", `${eventPath(eventId)}/funnel`, { session: true, signal }),
};

// --- chat (staff; the socket is viewer/chat/useChatSocket.ts) ------------------------------------------

const chatPath = (eventId: string) => `${eventPath(eventId)}/chat`;

export const chat = {
  settings: (eventId: string, signal?: AbortSignal) =>
    request<ChatSettingsOut>("GET", `${chatPath(eventId)}/settings`, { session: true, signal }),
  saveSettings: (eventId: string, body: ChatSettingsUpdate) =>
    request<ChatSettingsOut>("PUT", `${chatPath(eventId)}/settings`, { body, session: true }),
  reports: (eventId: string, status: ChatReportStatus, signal?: AbortSignal) =>
    request<ChatReportList>("GET", `${chatPath(eventId)}/reports`, { query: { status }, session: true, signal }),
  settleReport: (eventId: string, reportId: string, status: "approved" | "rejected") =>
    request<void>("POST", `${chatPath(eventId)}/reports/${encodeURIComponent(reportId)}`, { body: { status }, session: true }),
  bans: (eventId: string, signal?: AbortSignal) =>
    request<ChatRestrictionList>("GET", `${chatPath(eventId)}/bans`, { session: true, signal }),
  restrict: (eventId: string, body: { personId: string; kind: "ban" | "timeout"; seconds?: number; reason?: string }) =>
    request<ChatRestriction>("POST", `${chatPath(eventId)}/bans`, { body, session: true }),
  lift: (eventId: string, personId: string) =>
    request<void>("DELETE", `${chatPath(eventId)}/bans/${encodeURIComponent(personId)}`, { session: true }),
  moderators: (eventId: string, signal?: AbortSignal) =>
    request<ChatModeratorList>("GET", `${chatPath(eventId)}/moderators`, { session: true, signal }),
  nameModerator: (eventId: string, email: string) =>
    request<ChatModerator>("POST", `${chatPath(eventId)}/moderators`, { body: { email }, session: true }),
  removeModerator: (eventId: string, moderatorId: string) =>
    request<void>("DELETE", `${chatPath(eventId)}/moderators/${encodeURIComponent(moderatorId)}`, { session: true }),
  /** The host's view of the questions: open and answered, most upvoted first. */
  questions: (eventId: string, signal?: AbortSignal) =>
    request<ChatQuestionList>("GET", `${chatPath(eventId)}/questions`, { query: { sort: "votes" }, session: true, signal }),
  stats: (eventId: string, signal?: AbortSignal) =>
    request<ChatStats>("GET", `${chatPath(eventId)}/stats`, { session: true, signal }),
  /** The transcript as a download (the session cookie authorises it): JSON, or CSV. */
  transcriptUrl: (eventId: string, format: "json" | "csv") => `${chatPath(eventId)}/transcript${format === "csv" ? "?format=csv" : ""}`,
  /** The replay's messages in [from, to) seconds of the replay, with the viewer token. */
  replay: (eventId: string, token: string, from: number, to: number, signal?: AbortSignal) =>
    request<ChatReplayList>("GET", `${chatPath(eventId)}/replay`, { query: { from, to }, token, signal }),
};
