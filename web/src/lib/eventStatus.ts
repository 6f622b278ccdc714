// What an event's status means to admins (transition labels) and viewers (upcoming/live/ended/replay).
import type { EventStatus, PublicEvent } from "../api/types";

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

export type ViewerStatus = "upcoming" | "live" | "ended" | "replay" | "cancelled";

/**
 * The status a viewer sees. A live event in status `live` is LIVE; a VOD event
 * in status `live` (published) is a replay; ended/archived events become a
 * replay once the player found a recording (`hasReplay`).
 */
export function viewerStatusOf(event: Pick<PublicEvent, "status" | "eventType">, hasReplay = false): ViewerStatus {
  switch (event.status) {
    case "draft":
    case "scheduled":
      return "upcoming";
    case "live":
      return event.eventType === "vod" ? "replay" : "live";
    case "cancelled":
      return "cancelled";
    default:
      return hasReplay ? "replay" : "ended";
  }
}

export const VIEWER_STATUS_LABELS: Record<ViewerStatus, string> = {
  upcoming: "Upcoming",
  live: "LIVE",
  ended: "Ended",
  replay: "Replay",
  cancelled: "Cancelled",
};
