// What an event's status means to admins (transition labels) and viewers (upcoming/live/ended/replay).
import type { EventStatus, EventType, PublicEvent } from "../api/types";

export const TRANSITION_LABELS: Record<EventStatus, string> = {
  draft: "Back to draft",
  scheduled: "Schedule",
  live: "Go live",
  ended: "End",
  archived: "Archive",
  cancelled: "Cancel event",
};

export const STATUS_LABELS: Record<EventStatus, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  live: "Live",
  ended: "Ended",
  archived: "Archived",
  cancelled: "Cancelled",
};

/** The list's status filter covers both kinds of event: `live` is "Live" for one, "Published" for the other. */
export const STATUS_FILTER_LABELS: Record<EventStatus, string> = {
  ...STATUS_LABELS,
  live: "Live / published",
  archived: "Archived / unpublished",
};

/**
 * An on-demand video is never "live": it is published while viewers can play it (API status `live`, and
 * still `ended`: an ended video plays on) and unpublished once archived.
 */
const VOD_STATUS_LABELS: Record<EventStatus, string> = {
  ...STATUS_LABELS,
  live: "Published",
  ended: "Published",
  archived: "Unpublished",
};

/** What the console's badge says for an event's status. */
export function statusLabel(status: EventStatus, eventType: EventType): string {
  return (eventType === "vod" ? VOD_STATUS_LABELS : STATUS_LABELS)[status] ?? status;
}

/** The badge's colour: an on-demand video that plays is "published" (green), never the red of a broadcast. */
export function statusTone(status: EventStatus, eventType: EventType): string {
  if (eventType !== "vod") return status;
  if (status === "live" || status === "ended") return "published";
  return status;
}

/** One button of the editor's lifecycle bar: the API transitions it makes, in order. */
export interface LifecycleAction {
  label: string;
  steps: EventStatus[];
  tone: "live" | "primary" | "secondary" | "danger";
  /** Asked before the first step, when the move cannot be undone. */
  question?: { title: string; message: string; confirmLabel: string };
}

const DANGER: EventStatus[] = ["cancelled", "ended"];

/**
 * The lifecycle buttons for an event, from the transitions the server allows. Live events get one button
 * per transition. On-demand events speak of publishing: Publish walks draft -> scheduled -> live, and
 * Unpublish walks live -> ended -> archived (an ended video still plays; only archived stops it).
 */
export function lifecycleActions(eventType: EventType, status: EventStatus, allowed: EventStatus[]): LifecycleAction[] {
  if (eventType !== "vod") {
    return allowed.map((to) => ({
      label: TRANSITION_LABELS[to] ?? to,
      steps: [to],
      tone: to === "live" ? "live" : DANGER.includes(to) ? "danger" : "secondary",
    }));
  }
  const actions: LifecycleAction[] = [];
  if (allowed.includes("live")) actions.push({ label: "Publish", steps: ["live"], tone: "primary" });
  else if (status === "draft" && allowed.includes("scheduled")) actions.push({ label: "Publish", steps: ["scheduled", "live"], tone: "primary" });
  if (status === "live" || status === "ended") {
    actions.push({
      label: "Unpublish",
      steps: status === "live" ? ["ended", "archived"] : ["archived"],
      tone: "danger",
      question: {
        title: "Unpublish this video?",
        message: "Viewers can no longer play it, and it cannot be published again.",
        confirmLabel: "Unpublish",
      },
    });
  }
  if (allowed.includes("draft")) actions.push({ label: "Back to draft", steps: ["draft"], tone: "secondary" });
  if (allowed.includes("cancelled")) actions.push({ label: "Cancel event", steps: ["cancelled"], tone: "danger" });
  return actions;
}

export type ViewerStatus = "upcoming" | "live" | "ended" | "replay" | "ondemand" | "cancelled";

/**
 * The status a viewer sees. A live event in status `live` is LIVE, and once over, a replay if the player
 * found its recording (`hasReplay`). An on-demand video was never broadcast: it is "On demand" while it
 * plays (published: `live`, and still `ended`), never a replay.
 */
export function viewerStatusOf(event: Pick<PublicEvent, "status" | "eventType">, hasReplay = false): ViewerStatus {
  const vod = event.eventType === "vod";
  switch (event.status) {
    case "draft":
    case "scheduled":
      return "upcoming";
    case "live":
      return vod ? "ondemand" : "live";
    case "cancelled":
      return "cancelled";
    case "ended":
      if (vod) return "ondemand";
      return hasReplay ? "replay" : "ended";
    default:
      return !vod && hasReplay ? "replay" : "ended";
  }
}

export const VIEWER_STATUS_LABELS: Record<ViewerStatus, string> = {
  upcoming: "Upcoming",
  live: "LIVE",
  ended: "Ended",
  replay: "Replay",
  ondemand: "On demand",
  cancelled: "Cancelled",
};
