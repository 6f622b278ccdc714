// The chat socket's frames (docs/chat.md). The socket is not in the OpenAPI document, so its shapes live here;
// the REST shapes come from the generated schema (api/types.ts).
import type { ChatReport, ChatRestriction } from "../../api/types";

export type ChatPolicy = "everyone" | "accounts" | "nobody";
export type BlockedTermAction = "mask" | "hold";

export interface ChatAuthor {
  personId: string;
  name: string;
  moderator: boolean;
}

export interface ChatMessage {
  /** A string of digits, increasing in the room's order. */
  messageId: string;
  author: ChatAuthor;
  text: string;
  replyTo: string | null;
  mentions: string[];
  status: string;
  createdAt: string | null;
}

export interface ChatSettings {
  policy: ChatPolicy;
  linksAllowed: boolean;
  slowModeSeconds: number;
  emoteOnly: boolean;
  blockedTermAction: BlockedTermAction;
  pinnedMessageId: string | null;
  /** Whether the embed shows the chat (absent from servers that predate it: no). */
  embedChat?: boolean;
  /** Moderators only. */
  blockedTerms?: string[];
}

export interface PollOption {
  optionId: string;
  text: string;
  votes: number;
}

export interface Poll {
  pollId: string;
  question: string;
  options: PollOption[];
  totalVotes: number;
  status: "active" | "ended";
  endsAt: string | null;
  createdAt: string | null;
  endedAt: string | null;
}

export interface Question {
  questionId: string;
  author: { personId: string; name: string };
  text: string;
  upvotes: number;
  status: "open" | "answered";
  createdAt: string | null;
  /** Whether this viewer upvoted it (if the server says; otherwise the client remembers its own). */
  upvoted?: boolean;
}

export interface ChatYou {
  personId: string;
  name: string;
  moderator: boolean;
  canChat: boolean;
  reason: string;
  message: string;
}

export interface ErrorFrame {
  type: "error";
  code: string;
  message: string;
  details?: { retryAfter?: number; until?: string | null; reason?: string; [key: string]: unknown };
  /** The `type` of the client frame it answers; null (or absent, from older servers) for the socket's own. */
  request?: string | null;
}

export type ServerFrame =
  | {
      type: "hello";
      you: ChatYou;
      settings: ChatSettings;
      pinned: ChatMessage | null;
      poll?: Poll | null;
      pollVote?: string | null;
      reactions?: string[];
    }
  | { type: "history"; messages: ChatMessage[] }
  | { type: "questions"; questions: Question[] }
  | { type: "message"; message: ChatMessage }
  | { type: "held"; message: ChatMessage }
  | { type: "deleted"; messageIds: string[] }
  | { type: "cleared" }
  | { type: "pinned"; message: ChatMessage | null }
  | { type: "settings"; settings: ChatSettings }
  | { type: "reactions"; counts: Record<string, number> }
  | { type: "poll"; poll: Poll }
  | { type: "voted"; pollId: string; optionId: string }
  | { type: "question"; question: Question }
  | { type: "question_removed"; questionId: string }
  | { type: "reported"; messageId: string }
  /** Moderators: a viewer reported a message (the queue's item, as GET chat/reports lists it). */
  | { type: "report"; report: ChatReport }
  /** Moderators: a report settled (by any moderator): it leaves every console's queue. */
  | { type: "report_settled"; reportId: string; status: "approved" | "rejected" }
  /** Moderators: a ban or a timeout (as GET chat/bans lists it). */
  | { type: "restricted"; restriction: ChatRestriction }
  /** Moderators: a person's ban or timeout lifted. */
  | { type: "lifted"; personId: string }
  | { type: "restored" }
  | { type: "pong" }
  | ErrorFrame;

export type ClientFrame =
  | { type: "message"; text: string; replyTo?: string }
  | { type: "ping" }
  | { type: "report"; messageId: string; reason?: string }
  | { type: "reaction"; emoji: string }
  | { type: "vote"; pollId: string; optionId: string }
  | { type: "ask"; text: string }
  | { type: "upvote"; questionId: string }
  | { type: "delete"; messageId: string; reason?: string }
  | { type: "timeout"; personId: string; seconds: number; reason?: string }
  | { type: "ban" | "unban" | "hide"; personId: string; reason?: string }
  | { type: "clear"; reason?: string }
  | { type: "pin"; messageId: string | null }
  | { type: "poll_start"; question: string; options: string[]; durationSeconds: number }
  | { type: "poll_end"; pollId: string }
  | { type: "answer" | "hide_question"; questionId: string };

export const MAX_MESSAGE_LENGTH = 500;
export const MAX_QUESTION_LENGTH = 300;

/** The socket's URL for an event, on this page's host (ws: or wss: as the page). */
export function chatSocketUrl(eventId: string, token: string | null, after: string | null, origin: string = window.location.origin): string {
  const url = new URL(`/api/events/${encodeURIComponent(eventId)}/chat/ws`, origin);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (token) url.searchParams.set("token", token);
  if (after) url.searchParams.set("after", after);
  return url.toString();
}

/** Reads one frame; anything that is not a JSON object with a `type` is dropped. */
export function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (value && typeof value === "object" && typeof (value as { type?: unknown }).type === "string") return value as ServerFrame;
  } catch {
    // not JSON
  }
  return null;
}
