// Wire types of the GoLive HTTP API (camelCase, seed field names).
// Keep in step with the backend's Pydantic schemas and /openapi.json.

export const ADMIN_ROLES = ["owner", "admin", "editor"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
export type AdminStatus = "active" | "inactive";

export interface Admin {
  adminId: string;
  name: string;
  email: string;
  role: AdminRole;
  status: AdminStatus;
  lastLoginAt: string | null;
  createdAt: string;
}

/** Body of POST /api/admins (owners only). */
export interface AdminCreate {
  name: string;
  email: string;
  password: string;
  role: AdminRole;
}

/** Body of PATCH /api/admins/{adminId}: only the fields sent change. */
export interface AdminUpdate {
  name?: string;
  role?: AdminRole;
  status?: AdminStatus;
  password?: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  admin: Admin;
  token: string;
  expiresAt: string;
}

export const EVENT_STATUSES = ["draft", "scheduled", "live", "ended", "archived", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EVENT_TYPES = ["live", "vod"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ACCESS_TYPES = ["anonymous", "form", "password", "email"] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

export const FORM_FIELD_TYPES = ["text", "email", "tel", "select", "checkbox", "textarea", "number"] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export interface FormField {
  name: string;
  label: string;
  type: FormFieldType;
  required: boolean;
  options: string[];
  placeholder?: string | null;
  maxLength?: number | null;
}

export interface EmbedSettings {
  allowedDomains: string[];
  primaryColor: string | null;
  autoplay: boolean;
  muted: boolean;
}

/** Fields the public (viewer) view of an event carries. */
export interface PublicEvent {
  eventId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  thumbnailUrl: string | null;
  status: EventStatus;
  eventType: EventType;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  timezone: string;
  autoStart: boolean;
  autoEnd: boolean;
  accessType: AccessType;
  formFields: FormField[];
  isPaidEvent: boolean;
  priceAmount: number | null;
  currency: string | null;
  embedSettings: Omit<EmbedSettings, "allowedDomains"> & { allowedDomains?: string[] };
  createdAt: string;
  updatedAt: string;
}

/** The admin view adds the fields the public view omits. */
export interface AdminEvent extends PublicEvent {
  allowedTransitions: EventStatus[];
  createdBy: string;
  hasPassword: boolean;
  deletedAt: string | null;
  embedSettings: EmbedSettings;
}

/** Body of POST /api/events and PUT /api/events/{id} (PUT: only the fields sent change). */
export interface EventWrite {
  title?: string;
  description?: string;
  thumbnailUrl?: string | null;
  eventType?: EventType;
  scheduledStart?: string | null;
  scheduledEnd?: string | null;
  timezone?: string;
  autoStart?: boolean;
  autoEnd?: boolean;
  accessType?: AccessType;
  /** Write-only; the server stores a hash and reports `hasPassword`. */
  accessPassword?: string;
  formFields?: FormField[];
  isPaidEvent?: boolean;
  priceAmount?: number | null;
  currency?: string | null;
  embedSettings?: EmbedSettings;
}

export type EventSort = "scheduledStart" | "-scheduledStart" | "-createdAt";

export interface EventListQuery {
  q?: string;
  status?: EventStatus | "";
  eventType?: EventType | "";
  isPaid?: "true" | "false" | "";
  sort?: EventSort;
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AutomationEntry {
  automationId: string;
  eventId: string;
  triggerType: string;
  action: string;
  executionStatus: string;
  timestamp: string;
  details: Record<string, unknown> | null;
}

export interface AuditEntry {
  auditId: string;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  timestamp: string;
}

export interface ItemList<T> {
  items: T[];
}

export type PaymentStatus = "none" | "pending" | "success" | "failed" | "refunded";

export interface RegistrationRequest {
  eventId: string;
  clientViewerId: string;
  formData?: Record<string, string | boolean | number>;
  password?: string;
  email?: string;
  code?: string;
  /** The page the emailed magic link opens: `/e/{eventId}` (the default) or `/embed/{eventId}`. */
  returnPath?: string;
}

export interface RegistrationResponse {
  viewerId: string;
  /** The viewer access token, only once `accessVerified` is true. */
  token: string | null;
  accessVerified: boolean;
  paymentStatus: PaymentStatus;
  isPaidViewer: boolean;
  requiresPayment: boolean;
  /** The viewer's checkout if one is open; admission opens none (the "Pay" button does). */
  checkoutUrl: string | null;
  codeSent: boolean;
}

/** Body of POST /api/events/{eventId}/checkout: the viewer chose to pay. */
export interface CheckoutStart {
  returnPath?: string;
}

export interface CheckoutOut {
  paymentId: string;
  checkoutUrl: string;
  expiresAt: string | null;
}

export interface Playback {
  playbackUrl: string;
  posterUrl?: string | null;
  thumbnailsUrl?: string | null;
  isLive: boolean;
  startPosition?: number | null;
  duration?: number | null;
}

// --- media (VOD upload and transcode) ----------------------------------------

export const MEDIA_STATUSES = ["uploaded", "processing", "ready", "failed"] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

export interface Rendition {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
}

/** GET /api/events/{eventId}/media: the event's video and its transcode state. */
export interface MediaAsset {
  assetId: string;
  status: MediaStatus;
  /** Transcode progress, 0-100. */
  progress: number;
  renditions: Rendition[];
  duration: number | null;
  posterUrl: string | null;
  thumbnailsUrl: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

// --- registrations (admin) ---------------------------------------------------

export const DEVICE_TYPES = ["desktop", "mobile", "tablet", "tv", "bot", "unknown"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export interface Registration {
  viewerId: string;
  clientViewerId: string;
  email: string | null;
  name: string | null;
  accessMode: AccessType;
  formData: Record<string, unknown>;
  accessVerified: boolean;
  isPaidViewer: boolean;
  paymentStatus: PaymentStatus;
  deviceType: DeviceType;
  ipAddress: string | null;
  firstJoinAt: string;
  lastJoinAt: string;
  totalSessions: number;
  totalWatchTime: number;
  /** The browsers this person joined from: the list shows people, their devices folded into one entry. */
  deviceCount: number;
}

export interface RegistrationQuery {
  q?: string;
  accessMode?: AccessType | "";
  paymentStatus?: PaymentStatus | "";
  accessVerified?: "true" | "false" | "";
  limit?: number;
  offset?: number;
}

// --- analytics (admin) -------------------------------------------------------

/** A date range for the dashboards: ISO 8601 instants, `to` exclusive; either may be left open. */
export interface AnalyticsRange {
  from?: string | null;
  to?: string | null;
}

export interface BreakdownRow {
  key: string;
  sessions: number;
  watchSeconds: number;
}

export interface Breakdowns {
  deviceType: BreakdownRow[];
  browser: BreakdownRow[];
  os: BreakdownRow[];
  country: BreakdownRow[];
  rendition: BreakdownRow[];
}

export interface ConcurrencyPoint {
  at: string;
  viewers: number;
}

export interface Concurrency {
  /** Viewers with a heartbeat in the last liveViewerWindowSeconds. */
  current: number;
  peak: number;
  peakAt: string | null;
  /** 60, or wider for long ranges (each point is then the step's peak). */
  stepSeconds: number;
  timeline: ConcurrencyPoint[];
}

export interface QualityOfExperience {
  startupMsP50: number | null;
  startupMsP95: number | null;
  /** Stalled time / (stalled + playing time), 0-1. */
  rebufferingRatio: number;
  /** Sessions ended by a fatal error / sessions, 0-1. */
  playbackFailureRate: number;
}

export interface AnalyticsFunnel {
  pageVisits: number;
  gatePassed: number;
  /** The payments the revenue block counts; null for a free event (no paid step). */
  paid: number | null;
  played: number;
}

/** Amounts in minor units (cents). */
export interface RevenueRow {
  currency: string;
  payments: number;
  gross: number;
  refunded: number;
  net: number;
}

/** GET /api/analytics/{eventId}. */
export interface EventAnalytics {
  eventId: string;
  eventType: EventType;
  from: string | null;
  to: string | null;
  views: number;
  uniqueViewers: number;
  totalWatchSeconds: number;
  averageWatchSeconds: number;
  /** 0-100, VOD sessions only. */
  averagePercentWatched: number | null;
  /** VOD sessions watched to the end; null for live events. */
  finishes: number | null;
  concurrency: Concurrency;
  breakdowns: Breakdowns;
  qoe: QualityOfExperience;
  funnel: AnalyticsFunnel;
  revenue: RevenueRow[];
}

export interface EventSummary {
  eventId: string;
  title: string;
  eventType: EventType;
  views: number;
  uniqueViewers: number;
  totalWatchSeconds: number;
}

/** GET /api/analytics: every event with plays in the range, most viewed first. */
export interface AnalyticsOverview {
  from: string | null;
  to: string | null;
  views: number;
  uniqueViewers: number;
  totalWatchSeconds: number;
  events: EventSummary[];
  revenue: RevenueRow[];
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details: Record<string, unknown> | null;
    timestamp: string;
  };
}

// --- live ingest (admin) -----------------------------------------------------

export const LIVE_INPUT_STATES = ["idle", "connected", "reconnecting", "ended"] as const;
export type LiveInputState = (typeof LIVE_INPUT_STATES)[number];

/** What the RTMP ingest sees of the encoder right now; null where nothing has been measured yet. */
export interface IngestHealth {
  connected: boolean;
  bitrateKbps: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  keyframeIntervalSeconds: number | null;
  droppedFrames: number;
  uptimeSeconds: number | null;
  connectedAt: string | null;
  lastMediaAt: string | null;
  remoteAddr: string | null;
}

/** GET /api/events/{eventId}/live-input: where the encoder publishes, and how the ingest is doing. */
export interface LiveInput {
  rtmpUrl: string;
  streamKey: string;
  state: LiveInputState;
  health: IngestHealth;
  /** The admin's HLS preview of the ingest (session cookie); null before any media arrived. */
  previewUrl: string | null;
  viewers: number;
  recording: LiveRecording;
  srtUrl?: string | null;
}

/** What the player of a live event shows around the video (GET /api/events/{eventId}/live-status). */
export type BroadcastState = "waiting" | "live" | "interrupted" | "ended";

export interface LiveStatus {
  eventId: string;
  status: EventStatus;
  broadcast: BroadcastState;
  /** The event is over and its replay can be played. */
  replayReady: boolean;
}

export type RecordingStatus = "none" | "recording" | "pending" | "processing" | "ready" | "failed";

/** The event's recording: from the moment the encoder was accepted; trim times are seconds into it. */
export interface LiveRecording {
  status: RecordingStatus;
  durationSeconds: number | null;
  /** Where the event went live in the recording; null when live from the start or not ready. */
  wentLiveAtSeconds: number | null;
}

/** Body of POST /api/events/{eventId}/replay/trim; endSeconds null keeps the recording's end. */
export interface ReplayTrim {
  startSeconds: number;
  endSeconds: number | null;
}

// --- payments (admin) --------------------------------------------------------

export const LEDGER_STATUSES = ["created", "pending", "succeeded", "failed", "expired", "refunded"] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/** One payment of the ledger; amounts in minor units. */
export interface PaymentOut {
  paymentId: string;
  eventId: string;
  eventTitle: string;
  viewerId: string;
  viewerEmail: string | null;
  provider: string;
  amount: number;
  refundedAmount: number;
  currency: string;
  status: LedgerStatus;
  paymentMethod: string | null;
  receiptUrl: string | null;
  failureReason: string | null;
  initiatedAt: string;
  confirmedAt: string | null;
  updatedAt: string;
}

export interface PaymentQuery {
  eventId?: string;
  status?: LedgerStatus | "";
  provider?: string;
  /** A viewer's email or a payment id. */
  q?: string;
  limit?: number;
  offset?: number;
}

/** Body of POST /api/payments/{paymentId}/refund: no amount refunds what is left. */
export interface RefundRequest {
  amount?: number;
  reason?: string;
}

/** One event's takings in one currency (minor units). */
export interface EventRevenue {
  eventId: string;
  eventTitle: string;
  currency: string;
  grossAmount: number;
  refundedAmount: number;
  netAmount: number;
  succeededPayments: number;
}

/** GET /api/events/{eventId}/funnel: the event's viewers by how they got in and what they paid. */
export interface FunnelRow {
  accessMode: AccessType;
  paymentStatus: PaymentStatus;
  viewers: number;
}

export interface ViewerFunnel {
  items: FunnelRow[];
  total: number;
}

// --- email log (admin) ------------------------------------------------------------

export const EMAIL_STATUSES = ["pending", "sent", "delivered", "bounced", "failed"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** One message of the email log (seed 003 `email_logs`). */
export interface EmailOut {
  emailId: string;
  emailType: string;
  recipientEmail: string;
  eventId: string | null;
  eventTitle: string | null;
  viewerId: string | null;
  subject: string;
  bodyText: string;
  status: EmailStatus;
  provider: string | null;
  providerMessageId: string | null;
  errorMessage: string | null;
  sentAt: string | null;
  createdAt: string;
  resentFromId: string | null;
}

export interface EmailQuery {
  type?: string;
  status?: EmailStatus | "";
  /** Part of the recipient's address. */
  recipient?: string;
  eventId?: string;
  limit?: number;
  offset?: number;
}
