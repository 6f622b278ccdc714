// The editor's form model of an event, how it is validated before saving and
// how it becomes the API body. Inputs keep strings; conversion happens here.
import type { AccessType, AdminEvent, ContentRating, EventType, EventWrite, FormField, FormFieldType } from "../../api/types";
import { currencyDecimals, majorToMinor, minorToMajor } from "../../lib/money";
import { browserTimeZone, utcIsoToZonedLocal, zonedLocalToUtcIso } from "../../lib/time";

export const TITLE_MAX_LENGTH = 120;
const FIELD_NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const COLOR_RE = /^#[0-9a-fA-F]{6}$/;
const DOMAIN_RE = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:\d+)?$/i;

export interface FormFieldDraft {
  /** Client-side key for React lists; never sent. */
  key: string;
  name: string;
  label: string;
  type: FormFieldType;
  required: boolean;
  optionsText: string;
  placeholder: string;
  maxLength: string;
  /** A new field's key follows its label until the admin types a key of their own; never sent. */
  nameFromLabel: boolean;
}

export interface EventDraft {
  title: string;
  description: string;
  thumbnailUrl: string;
  eventType: EventType;
  timezone: string;
  startLocal: string;
  endLocal: string;
  autoStart: boolean;
  autoEnd: boolean;
  accessType: AccessType;
  /** On the site's home page while published. */
  isListed: boolean;
  /** Seed 001's age rating; "" for none. */
  contentRating: ContentRating | "";
  accessPassword: string;
  formFields: FormFieldDraft[];
  isPaidEvent: boolean;
  priceText: string;
  currency: string;
  allowedDomainsText: string;
  primaryColor: string;
  autoplay: boolean;
  muted: boolean;
}

let keySeq = 0;
export const newFieldKey = () => `f${++keySeq}`;

/**
 * What a first-time streamer wants: a live event goes live when the encoder connects (not before its start
 * time) and ends when the encoder has been gone for the reconnect window. On-demand events publish by hand.
 */
export const AUTOMATION_DEFAULTS: Record<EventType, Pick<EventDraft, "autoStart" | "autoEnd">> = {
  live: { autoStart: true, autoEnd: true },
  vod: { autoStart: false, autoEnd: false },
};

/** A draft with a change applied; a new type brings its automation defaults unless they were changed. */
export function patchDraft(draft: EventDraft, patch: Partial<EventDraft>): EventDraft {
  const next = { ...draft, ...patch };
  const type = patch.eventType;
  if (type && type !== draft.eventType) {
    const before = AUTOMATION_DEFAULTS[draft.eventType];
    if (draft.autoStart === before.autoStart && draft.autoEnd === before.autoEnd && !("autoStart" in patch) && !("autoEnd" in patch)) {
      Object.assign(next, AUTOMATION_DEFAULTS[type]);
    }
  }
  return next;
}

export function emptyDraft(): EventDraft {
  return {
    title: "",
    description: "",
    thumbnailUrl: "",
    eventType: "live",
    timezone: browserTimeZone(),
    startLocal: "",
    endLocal: "",
    ...AUTOMATION_DEFAULTS.live,
    accessType: "anonymous",
    accessPassword: "",
    formFields: [],
    isPaidEvent: false,
    priceText: "",
    currency: "USD",
    allowedDomainsText: "",
    primaryColor: "",
    autoplay: false,
    muted: false,
    isListed: true,
    contentRating: "",
  };
}

export function emptyFormField(): FormFieldDraft {
  return { key: newFieldKey(), name: "", label: "", type: "text", required: false, optionsText: "", placeholder: "", maxLength: "", nameFromLabel: true };
}

/** A form field's key from its label: "Job title" -> "job_title", "Société" -> "societe", "2nd email" -> "f_2nd_email". */
export function fieldNameFromLabel(label: string): string {
  const words = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  if (!words) return "";
  return /^[a-z]/.test(words) ? words : `f_${words}`;
}

export function fieldToDraft(field: FormField): FormFieldDraft {
  return {
    key: newFieldKey(),
    name: field.name,
    label: field.label,
    type: field.type,
    required: field.required,
    optionsText: (field.options ?? []).join(", "),
    placeholder: field.placeholder ?? "",
    maxLength: field.maxLength ? String(field.maxLength) : "",
    nameFromLabel: false, // a saved key is what registrations are stored under: never renamed by a label edit
  };
}

export function parseOptions(text: string): string[] {
  return text.split(",").map((o) => o.trim()).filter(Boolean);
}

export function draftToField(field: FormFieldDraft): FormField {
  const maxLength = Number(field.maxLength);
  return {
    name: field.name.trim(),
    label: field.label.trim(),
    type: field.type,
    required: field.required,
    options: field.type === "select" ? parseOptions(field.optionsText) : [],
    placeholder: field.placeholder.trim() || null,
    maxLength: field.maxLength.trim() && Number.isInteger(maxLength) && maxLength > 0 ? maxLength : null,
  };
}

export function eventToDraft(event: AdminEvent): EventDraft {
  // Not scheduled yet and on the server's default zone: offer the admin's own zone, as a new event does.
  const unscheduled = !event.scheduledStart && !event.scheduledEnd;
  const timezone = !event.timezone || (unscheduled && event.timezone === "UTC") ? browserTimeZone() : event.timezone;
  const currency = event.currency ?? "USD";
  return {
    title: event.title,
    description: event.description ?? "",
    thumbnailUrl: event.thumbnailUrl ?? "",
    eventType: event.eventType,
    timezone,
    startLocal: utcIsoToZonedLocal(event.scheduledStart, timezone),
    endLocal: utcIsoToZonedLocal(event.scheduledEnd, timezone),
    autoStart: event.autoStart,
    autoEnd: event.autoEnd,
    accessType: event.accessType,
    isListed: event.isListed,
    contentRating: event.contentRating ?? "",
    accessPassword: "",
    formFields: (event.formFields ?? []).map(fieldToDraft),
    isPaidEvent: event.isPaidEvent,
    priceText: minorToMajor(event.priceAmount, currency),
    currency,
    allowedDomainsText: (event.embedSettings?.allowedDomains ?? []).join("\n"),
    primaryColor: event.embedSettings?.primaryColor ?? "",
    autoplay: event.embedSettings?.autoplay ?? false,
    muted: event.embedSettings?.muted ?? false,
  };
}

export function parseDomains(text: string): string[] {
  return text.split(/[\n,]/).map((d) => d.trim().toLowerCase()).filter(Boolean);
}

/**
 * Errors keyed by the API's field paths (`title`, `scheduledEnd`, `priceAmount`,
 * `formFields.0.name`, ...) so client and server errors show in the same place.
 */
export function validateDraft(draft: EventDraft, hasPassword = false): Record<string, string> {
  const errors: Record<string, string> = {};
  const title = draft.title.trim();
  if (!title) errors.title = "Title is required.";
  else if (title.length > TITLE_MAX_LENGTH) errors.title = `Title must be at most ${TITLE_MAX_LENGTH} characters.`;

  const start = draft.startLocal ? zonedLocalToUtcIso(draft.startLocal, draft.timezone) : null;
  const end = draft.endLocal ? zonedLocalToUtcIso(draft.endLocal, draft.timezone) : null;
  if (draft.startLocal && !start) errors.scheduledStart = "Enter a valid date and time.";
  if (draft.endLocal && !end) errors.scheduledEnd = "Enter a valid date and time.";
  if (start && end && new Date(end) <= new Date(start)) errors.scheduledEnd = "End must be after the start.";
  // A live event's automation follows its encoder, so it needs no times; an on-demand event's follows the clock.
  if (draft.eventType === "vod" && draft.autoStart && !draft.startLocal) errors.scheduledStart = "Set a start time to start automatically.";
  if (draft.eventType === "vod" && draft.autoEnd && !draft.endLocal) errors.scheduledEnd = "Set an end time to end automatically.";

  if (draft.accessType === "password" && !hasPassword && !draft.accessPassword) {
    errors.accessPassword = "Set a password for password access.";
  }
  if (draft.accessType === "form") {
    if (draft.formFields.length === 0) errors.formFields = "Add at least one field to the registration form.";
    const seen = new Set<string>();
    draft.formFields.forEach((field, i) => {
      const name = field.name.trim();
      if (!name) errors[`formFields.${i}.name`] = "Name is required.";
      else if (!FIELD_NAME_RE.test(name)) errors[`formFields.${i}.name`] = "Use letters, digits and _ , starting with a letter.";
      else if (seen.has(name)) errors[`formFields.${i}.name`] = "Each field needs a different name.";
      seen.add(name);
      if (!field.label.trim()) errors[`formFields.${i}.label`] = "Label is required.";
      if (field.type === "select" && parseOptions(field.optionsText).length === 0) {
        errors[`formFields.${i}.options`] = "List at least one option.";
      }
      if (field.maxLength.trim() && !/^[1-9]\d*$/.test(field.maxLength.trim())) {
        errors[`formFields.${i}.maxLength`] = "Enter a whole number.";
      }
    });
  }

  if (draft.isPaidEvent) {
    const minor = majorToMinor(draft.priceText, draft.currency);
    const decimals = currencyDecimals(draft.currency);
    if (!draft.priceText.trim()) errors.priceAmount = "Enter a price.";
    else if (minor === null) errors.priceAmount = decimals === 0 ? `Enter a whole amount in ${draft.currency}.` : "Enter an amount like 12.50.";
    else if (minor <= 0) errors.priceAmount = "The price must be more than zero.";
  }

  if (draft.primaryColor && !COLOR_RE.test(draft.primaryColor)) errors["embedSettings.primaryColor"] = "Use a colour like #3b82f6.";
  const badDomain = parseDomains(draft.allowedDomainsText).find((d) => !DOMAIN_RE.test(d));
  if (badDomain) errors["embedSettings.allowedDomains"] = `“${badDomain}” is not a domain name (example.com or *.example.com).`;
  return errors;
}

/** The API body for a draft. `accessPassword` is sent only when typed (write-only). */
export function draftToWrite(draft: EventDraft): EventWrite {
  const body: EventWrite = {
    title: draft.title.trim(),
    description: draft.description,
    thumbnailUrl: draft.thumbnailUrl.trim() || null,
    eventType: draft.eventType,
    timezone: draft.timezone,
    scheduledStart: draft.startLocal ? zonedLocalToUtcIso(draft.startLocal, draft.timezone) : null,
    scheduledEnd: draft.endLocal ? zonedLocalToUtcIso(draft.endLocal, draft.timezone) : null,
    autoStart: draft.autoStart,
    autoEnd: draft.autoEnd,
    accessType: draft.accessType,
    isListed: draft.isListed,
    contentRating: draft.contentRating || null,
    formFields: draft.accessType === "form" ? draft.formFields.map(draftToField) : [],
    isPaidEvent: draft.isPaidEvent,
    priceAmount: draft.isPaidEvent ? majorToMinor(draft.priceText, draft.currency) : null,
    currency: draft.isPaidEvent ? draft.currency : null,
    embedSettings: {
      allowedDomains: parseDomains(draft.allowedDomainsText),
      primaryColor: draft.primaryColor || null,
      autoplay: draft.autoplay,
      muted: draft.muted,
    },
  };
  if (draft.accessPassword) body.accessPassword = draft.accessPassword;
  return body;
}

/**
 * The embed code: an iframe that fills the width at 16:9, and the script that lets it grow when a gate
 * card needs more room (the embed posts its height; see web/public/embed.js). Without the script the
 * card scrolls inside the 16:9 frame.
 */
export function iframeSnippet(origin: string, eventId: string): string {
  const frame = `<iframe src="${origin}/embed/${eventId}" title="Video player" style="display:block;width:100%;aspect-ratio:16/9;border:0" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>`;
  return `${frame}\n<script src="${origin}/static/app/embed.js" async></script>`;
}
