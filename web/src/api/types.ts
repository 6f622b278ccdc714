// Readable names for the wire types of the GoLive HTTP API. The types themselves are generated from the
// server's /openapi.json into schema.d.ts (`make api-types`), so `tsc` checks the client against the server.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

/**
 * Every value of a generated enum, in the order the console lists them. The object must name each value
 * once: tsc fails when the server adds one or drops one.
 */
function allOf<T extends string>(values: Record<T, true>): readonly T[] {
  return Object.keys(values) as T[];
}

/** A list endpoint's query parameters as the URL and the filter form hold them: "" for none, booleans as text. */
type FilterValue<V> = V extends boolean ? "true" | "false" | "" : V extends string ? V | "" : V;
type Filters<Q> = { [K in keyof Q]?: FilterValue<NonNullable<Q[K]>> };
type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

// --- admins and the admin session ----------------------------------------------

export type AdminRole = Schemas["AdminRole"];
export const ADMIN_ROLES = allOf<AdminRole>({ owner: true, admin: true, editor: true });
export type AdminStatus = Schemas["AdminStatus"];

export type Admin = Schemas["AdminOut"];
/** Body of POST /api/admins (owners only). */
export type AdminCreate = Schemas["AdminCreate"];
/** Body of PATCH /api/admins/{adminId}: only the fields sent change. */
export type AdminUpdate = Schemas["AdminUpdate"];
export type AdminList = Schemas["ItemList_AdminOut_"];

export type LoginRequest = Schemas["LoginRequest"];
export type LoginResponse = Schemas["LoginResponse"];

// --- events ------------------------------------------------------------------------

export type EventStatus = Schemas["EventStatus"];
export const EVENT_STATUSES = allOf<EventStatus>({ draft: true, scheduled: true, live: true, ended: true, archived: true, cancelled: true });

export type EventType = Schemas["EventType"];
export const EVENT_TYPES = allOf<EventType>({ live: true, vod: true });

export type AccessType = Schemas["AccessType"];
export const ACCESS_TYPES = allOf<AccessType>({ anonymous: true, form: true, password: true, email: true, account: true });

export type FormFieldType = Schemas["FormFieldType"];
export const FORM_FIELD_TYPES = allOf<FormFieldType>({
  text: true,
  email: true,
  tel: true,
  select: true,
  checkbox: true,
  textarea: true,
  number: true,
});

/** A registration form field as the server sends it; the same shape is a valid field to send. */
export type FormField = Schemas["FormFieldOut"];

/** Fields the public (viewer) view of an event carries. */
export type PublicEvent = Schemas["PublicEventOut"];
/** The admin view adds the fields the public view omits. */
export type AdminEvent = Schemas["EventOut"];
export type EventPage = Schemas["Page_EventOut_"];

/** Body of POST /api/events; an update (PUT, only the fields sent change) accepts the same body. */
export type EventWrite = Schemas["EventCreate"];
export type EventUpdate = Schemas["EventUpdate"];

/** An event's offer (a ticket) with its prices, as admins manage them; the write body of POST/PUT. */
export type Offer = Schemas["OfferOut"];
export type OfferList = Schemas["ItemList_OfferOut_"];
export type OfferWrite = Schemas["OfferIn"];
export type PriceWrite = Schemas["PriceIn"];
/** What a viewer can buy now, in the order the checkout picks from. */
export type PriceOnSale = Schemas["PriceOnSale"];
export type PricesOnSale = Schemas["PricesOnSale"];

export type EventSort = Schemas["EventSort"];
export type EventListQuery = Filters<QueryOf<"/api/events">>;

export type AutomationEntry = Schemas["AutomationEntryOut"];
export type AutomationList = Schemas["ItemList_AutomationEntryOut_"];
export type AuditEntry = Schemas["AuditEntryOut"];
export type AuditList = Schemas["ItemList_AuditEntryOut_"];

// --- admission (viewer) ------------------------------------------------------------------

export type PaymentStatus = Schemas["PaymentStatus"];
export type RegistrationRequest = Schemas["RegistrationRequest"];
export type RegistrationResponse = Schemas["RegistrationResponse"];
/** Body of POST /api/events/{eventId}/checkout: the viewer chose to pay. */
export type CheckoutStart = Schemas["CheckoutStart"];
export type CheckoutOut = Schemas["CheckoutOut"];
export type Playback = Schemas["PlaybackOut"];

// --- media (VOD upload and transcode) ----------------------------------------

export type MediaStatus = Schemas["AssetStatus"];
export const MEDIA_STATUSES = allOf<MediaStatus>({ uploaded: true, processing: true, ready: true, failed: true });
export type Rendition = Schemas["RenditionOut"];
/** GET /api/events/{eventId}/media: the event's video and its transcode state. */
export type MediaAsset = Schemas["MediaAssetOut"];

// --- registrations (admin) ---------------------------------------------------

export type DeviceType = Schemas["DeviceType"];
export const DEVICE_TYPES = allOf<DeviceType>({ desktop: true, mobile: true, tablet: true, tv: true, bot: true, unknown: true });
export type Registration = Schemas["RegistrationOut"];
export type RegistrationPage = Schemas["Page_RegistrationOut_"];
export type RegistrationQuery = Filters<QueryOf<"/api/events/{eventId}/registrations">>;

// --- complimentary access (admin) ---------------------------------------------

export type ComplimentaryGrant = Schemas["ComplimentaryGrantOut"];
export type ComplimentaryGrantCreate = Schemas["ComplimentaryGrantCreate"];
export type ComplimentaryGrantList = Schemas["ItemList_ComplimentaryGrantOut_"];
export type GrantStatus = Schemas["GrantStatus"];
export const GRANT_STATUSES = allOf<GrantStatus>({ active: true, expired: true, revoked: true });

// --- analytics (admin) -------------------------------------------------------

/** A date range for the dashboards: ISO 8601 instants, `to` exclusive; either may be left open. */
export interface AnalyticsRange {
  from?: string | null;
  to?: string | null;
}

export type BreakdownRow = Schemas["BreakdownRow"];
export type Breakdowns = Schemas["Breakdowns"];
export type ConcurrencyPoint = Schemas["ConcurrencyPoint"];
export type Concurrency = Schemas["Concurrency"];
export type QualityOfExperience = Schemas["QualityOfExperience"];
export type AnalyticsFunnel = Schemas["Funnel"];
/** Amounts in minor units (cents). */
export type RevenueRow = Schemas["RevenueRow"];
/** GET /api/analytics/{eventId}. */
export type EventAnalytics = Schemas["EventAnalytics"];
export type EventSummary = Schemas["EventSummary"];
/** GET /api/analytics: every event with plays in the range, most viewed first. */
export type AnalyticsOverview = Schemas["AnalyticsOverview"];

/** Every error answer: `{"error": {code, message, details, timestamp}}` (seed 004). */
export type ErrorResponse = Schemas["ErrorResponse"];

// --- live ingest (admin) -----------------------------------------------------

export type LiveInputState = Schemas["IngestState"];
export const LIVE_INPUT_STATES = allOf<LiveInputState>({ idle: true, connected: true, reconnecting: true, ended: true });
/** What the RTMP ingest sees of the encoder right now; null where nothing has been measured yet. */
export type IngestHealth = Schemas["IngestHealthOut"];
/** GET /api/events/{eventId}/live-input: where the encoder publishes, and how the ingest is doing. */
export type LiveInput = Schemas["LiveInputOut"];
/** What the player of a live event shows around the video (GET /api/events/{eventId}/live-status). */
export type BroadcastState = Schemas["BroadcastState"];
export type LiveStatus = Schemas["LiveStatusOut"];
export type RecordingStatus = Schemas["RecordingStatus"];
/** The event's recording: from the moment the encoder was accepted; trim times are seconds into it. */
export type LiveRecording = Schemas["RecordingOut"];
/** Body of POST /api/events/{eventId}/replay/trim; endSeconds null keeps the recording's end. */
export type ReplayTrim = Schemas["ReplayTrimRequest"];

// --- payments (admin) --------------------------------------------------------

export type LedgerStatus = Schemas["LedgerStatus"];
export const LEDGER_STATUSES = allOf<LedgerStatus>({
  created: true,
  pending: true,
  succeeded: true,
  failed: true,
  expired: true,
  refunded: true,
});
/** One payment of the ledger; amounts in minor units. */
export type PaymentOut = Schemas["PaymentOut"];
export type PaymentPage = Schemas["Page_PaymentOut_"];
export type PaymentQuery = Filters<QueryOf<"/api/payments">>;
/** Body of POST /api/payments/{paymentId}/refund: no amount refunds what is left. */
export type RefundRequest = Schemas["RefundRequest"];
/** One event's takings in one currency (minor units). */
export type EventRevenue = Schemas["RevenueItem"];
export type RevenueReport = Schemas["RevenueReport"];
/** GET /api/events/{eventId}/funnel: the event's viewers by how they got in and what they paid. */
export type FunnelRow = Schemas["FunnelItem"];
export type ViewerFunnel = Schemas["FunnelReport"];

// --- email log (admin) ------------------------------------------------------------

export type EmailStatus = Schemas["EmailStatus"];
export const EMAIL_STATUSES = allOf<EmailStatus>({ pending: true, sent: true, delivered: true, bounced: true, failed: true });
/** One message of the email log (seed 003 `email_logs`). */
export type EmailOut = Schemas["EmailOut"];
export type EmailPage = Schemas["Page_EmailOut_"];
export type EmailTypes = Schemas["EmailTypes"];
export type EmailQuery = Filters<QueryOf<"/api/emails">>;

// --- audience accounts ---------------------------------------------------------------

export type Account = Schemas["AccountOut"];
export type AccountSignIn = Schemas["AccountSignInOut"];
export type AccountSession = Schemas["AccountSessionOut"];
export type AccountSessionList = Schemas["ItemList_AccountSessionOut_"];
export type AccountMailAccepted = Schemas["AccountMailAccepted"];
export type AccountPage = Schemas["Page_AccountOut_"];
export type AdminAccount = Schemas["AdminAccountOut"];
export type Profile = Schemas["ProfileOut"];
export type ProfileCreate = Schemas["ProfileCreate"];
export type ProfileUpdate = Schemas["ProfileUpdate"];
export type ProfileList = Schemas["ItemList_ProfileOut_"];
export type ContentRating = Schemas["ContentRating"];
export const CONTENT_RATINGS = allOf<ContentRating>({ G: true, PG: true, "PG-13": true, R: true, "TV-MA": true });
export type LibraryItem = Schemas["LibraryItemOut"];
export type LibraryState = Schemas["LibraryState"];
export type LibraryPage = Schemas["Page_LibraryItemOut_"];
export type AccountSignupRequest = Schemas["AccountSignupRequest"];
/** POST /api/account/login: a password, or the emailed code (passwordless). */
export type AccountLoginRequest = Schemas["AccountLoginRequest"];
export type AccountResetRequest = Schemas["AccountResetRequest"];

// --- the white-label site ---------------------------------------------------------------

/** GET /api/settings: what every page of the viewer site shows (name, logo, colour, home page, about). */
export type SiteSettings = Schemas["SiteSettingsOut"];
/** GET /api/admin/settings and PUT /api/settings: the console's form. */
export type AdminSiteSettings = Schemas["SiteSettingsAdminOut"];
export type SiteSettingsUpdate = Schemas["SiteSettingsUpdate"];
export type SocialNetwork = Schemas["SocialNetwork"];
export const SOCIAL_NETWORKS = allOf<SocialNetwork>({
  website: true, instagram: true, facebook: true, x: true, youtube: true, tiktok: true, linkedin: true, twitch: true, mastodon: true,
});
export type HomeSections = Schemas["HomeOut"];
export type HomeEvent = Schemas["HomeEvent"];

// --- notifications ---------------------------------------------------------------------------

export type Notification = Schemas["NotificationOut"];
export type NotificationPage = Schemas["NotificationPageOut"];
export type NotificationPreferences = Schemas["PreferencesOut"];
export type NotificationPreferencesUpdate = Schemas["PreferencesUpdate"];

// --- chat (REST; the socket's frames are in viewer/chat/protocol.ts) -------------------------------

export type ChatSettingsOut = Schemas["ChatSettingsOut"];
export type ChatSettingsUpdate = Schemas["ChatSettingsUpdate"];
export type ChatMessageOut = Schemas["ChatMessageOut"];
export type ChatMessageList = Schemas["ItemList_ChatMessageOut_"];
export type ChatReport = Schemas["ChatReportOut"];
export type ChatReportList = Schemas["ItemList_ChatReportOut_"];
export type ChatReportStatus = Schemas["ReportStatus"];
export type ChatRestriction = Schemas["RestrictionOut"];
export type ChatRestrictionList = Schemas["ItemList_RestrictionOut_"];
export type ChatModerator = Schemas["ModeratorOut"];
export type ChatModeratorList = Schemas["ItemList_ModeratorOut_"];
export type ChatModerationEntry = Schemas["ModerationEntryOut"];
export type ChatModerationLog = Schemas["ItemList_ModerationEntryOut_"];
export type ChatStats = Schemas["ChatStats"];
export type ChatReplayList = Schemas["ItemList_ReplayMessage_"];
export type ChatQuestionList = Schemas["ItemList_QuestionOut_"];
