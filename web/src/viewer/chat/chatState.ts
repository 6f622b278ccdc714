// What a chat client knows of its room, as a pure reducer over the server's frames (tested in chatState.test.ts).
import type { ChatMessage, ChatSettings, ChatYou, ErrorFrame, Poll, Question, ServerFrame } from "./protocol";

/** Messages kept in memory: a long chat drops its oldest. */
export const MAX_KEPT_MESSAGES = 400;

export interface ShownError {
  frame: ErrorFrame;
  /** When it arrived (ms since the epoch): a retryAfter counts from here. */
  at: number;
  /** The type of the client frame it refuses (the frame's `request`); null for the socket's own errors. */
  cause: string | null;
}

export interface ChatState {
  you: ChatYou | null;
  settings: ChatSettings | null;
  pinned: ChatMessage | null;
  /** Oldest first, by messageId. Held ones (awaiting review) have status "held". */
  messages: ChatMessage[];
  poll: Poll | null;
  pollVote: string | null;
  palette: string[];
  questions: Question[];
  /** Questions this person upvoted: by this client, or as the join frame says (the server refuses a second). */
  upvoted: string[];
  reported: string[];
  error: ShownError | null;
  /** The last `reactions` frame, numbered so the same counts twice still burst twice. */
  burst: { counts: Record<string, number>; seq: number } | null;
  /** A timeout in force: its end (ISO), from a timed_out frame. */
  mutedUntil: string | null;
  banned: boolean;
}

export const initialChatState: ChatState = {
  you: null,
  settings: null,
  pinned: null,
  messages: [],
  poll: null,
  pollVote: null,
  palette: [],
  questions: [],
  upvoted: [],
  reported: [],
  error: null,
  burst: null,
  mutedUntil: null,
  banned: false,
};

export type ChatAction =
  | { type: "frame"; frame: ServerFrame; now: number }
  | { type: "upvoted"; questionId: string }
  | { type: "dismiss-error" }
  /** Questions read over REST (the host's view holds the answered ones too): added to those the socket sent. */
  | { type: "questions-loaded"; questions: Question[] }
  | { type: "reset" };

/** Message ids are strings of digits: the longer is the later, then by text. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds (or replaces, by id) messages, keeping the room's order and at most MAX_KEPT_MESSAGES. */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current;
  const last = current[current.length - 1];
  const only = incoming.length === 1 ? incoming[0] : undefined;
  // the common case: one new message after the last
  if (only && (!last || compareIds(only.messageId, last.messageId) > 0)) {
    const next = [...current, only];
    return next.length > MAX_KEPT_MESSAGES ? next.slice(next.length - MAX_KEPT_MESSAGES) : next;
  }
  const byId = new Map(current.map((m) => [m.messageId, m]));
  for (const message of incoming) byId.set(message.messageId, message);
  const merged = [...byId.values()].sort((a, b) => compareIds(a.messageId, b.messageId));
  return merged.length > MAX_KEPT_MESSAGES ? merged.slice(merged.length - MAX_KEPT_MESSAGES) : merged;
}

/** Most upvoted first; a tie goes to the earlier question. */
export function sortQuestions(questions: Question[]): Question[] {
  return [...questions].sort(
    (a, b) => b.upvotes - a.upvotes || (a.createdAt ?? "").localeCompare(b.createdAt ?? "") || a.questionId.localeCompare(b.questionId),
  );
}

function upsertQuestion(questions: Question[], question: Question): Question[] {
  const others = questions.filter((q) => q.questionId !== question.questionId);
  return sortQuestions([...others, question]);
}

/** The last message id the client saw (what a reconnect names as `after`); held ones are the author's alone. */
export function lastSeenId(state: ChatState): string | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const message = state.messages[i];
    if (message && message.status !== "held") return message.messageId;
  }
  return null;
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "reset":
      return initialChatState;
    case "questions-loaded": {
      const known = new Set(state.questions.map((q) => q.questionId));
      return { ...state, questions: sortQuestions([...state.questions, ...action.questions.filter((q) => !known.has(q.questionId))]) };
    }
    case "dismiss-error":
      return state.error ? { ...state, error: null } : state;
    case "upvoted":
      return state.upvoted.includes(action.questionId) ? state : { ...state, upvoted: [...state.upvoted, action.questionId] };
    case "frame":
      return applyFrame(state, action.frame, action.now);
  }
}

function applyFrame(state: ChatState, frame: ServerFrame, now: number): ChatState {
  switch (frame.type) {
    case "hello": {
      const samePoll = frame.poll && state.poll && frame.poll.pollId === state.poll.pollId;
      return {
        ...state,
        you: frame.you,
        settings: frame.settings,
        pinned: frame.pinned,
        poll: frame.poll ?? null,
        pollVote: frame.pollVote ?? (samePoll ? state.pollVote : null),
        palette: frame.reactions ?? state.palette,
        banned: false,
        mutedUntil: frame.you.canChat ? null : state.mutedUntil,
        // a refusal of the last connection does not stand once the room let us in again
        error: state.error && isJoinRefusal(state.error.frame.code) ? null : state.error,
      };
    }
    case "history":
      return { ...state, messages: mergeMessages(state.messages, frame.messages) };
    case "message":
      return { ...state, messages: mergeMessages(state.messages, [frame.message]) };
    case "held":
      return { ...state, messages: mergeMessages(state.messages, [{ ...frame.message, status: "held" }]) };
    case "deleted": {
      const gone = new Set(frame.messageIds);
      return {
        ...state,
        messages: state.messages.filter((m) => !gone.has(m.messageId)),
        pinned: state.pinned && gone.has(state.pinned.messageId) ? null : state.pinned,
      };
    }
    case "cleared":
      return { ...state, messages: [], pinned: null };
    case "pinned":
      return { ...state, pinned: frame.message };
    case "settings":
      // a moderator's socket keeps the blocked terms a public settings frame leaves out
      return { ...state, settings: { ...state.settings, ...frame.settings } };
    case "reactions":
      return { ...state, burst: { counts: frame.counts, seq: (state.burst?.seq ?? 0) + 1 } };
    case "poll": {
      const newPoll = !state.poll || state.poll.pollId !== frame.poll.pollId;
      return { ...state, poll: frame.poll, pollVote: newPoll ? null : state.pollVote };
    }
    case "voted":
      return state.poll && state.poll.pollId === frame.pollId ? { ...state, pollVote: frame.optionId } : state;
    case "questions": {
      // the join frame says which this person upvoted (a reload forgets what the client did); a later
      // `question` frame, the same for everyone, does not, so the ids are kept apart from the questions
      const mine = frame.questions.filter((q) => q.upvoted === true && !state.upvoted.includes(q.questionId)).map((q) => q.questionId);
      return { ...state, questions: sortQuestions(frame.questions), upvoted: mine.length ? [...state.upvoted, ...mine] : state.upvoted };
    }
    case "question":
      return { ...state, questions: upsertQuestion(state.questions, frame.question) };
    case "question_removed":
      return { ...state, questions: state.questions.filter((q) => q.questionId !== frame.questionId) };
    case "reported":
      return state.reported.includes(frame.messageId) ? state : { ...state, reported: [...state.reported, frame.messageId] };
    case "restored":
      return {
        ...state,
        mutedUntil: null,
        banned: false,
        you: state.you ? { ...state.you, canChat: true } : state.you,
        error: state.error && ["timed_out", "banned"].includes(state.error.frame.code) ? null : state.error,
      };
    case "pong":
      return state;
    case "error": {
      const next: ChatState = { ...state, error: { frame, at: now, cause: frame.request ?? null } };
      if (frame.code === "timed_out") next.mutedUntil = frame.details?.until ?? null;
      if (frame.code === "banned") next.banned = true;
      return next;
    }
    default:
      return state;
  }
}

/** Codes that refuse the socket itself (it closes): no use reconnecting until something changes. */
export function isJoinRefusal(code: string): boolean {
  return ["banned", "viewer_token_missing", "viewer_token_invalid", "viewer_token_other_event", "event_not_found"].includes(code) || code.endsWith("_required");
}

/** Where the panel shows a refusal: by the composer, the Q&A (its field), the reactions or the poll. */
export type ErrorPlace = "composer" | "questions" | "reactions" | "poll";

/**
 * Whether a refusal shows at a place, by the frame it answers (`request`): a refused reaction by the reactions,
 * a vote by the poll, a question or an upvote in the Q&A, the rest (a message, a report, a moderator's command,
 * the socket's own) by the composer. A timeout or a ban stops every writing, so both fields say so.
 */
export function errorShowsAt(error: ShownError | null, place: ErrorPlace): boolean {
  if (!error) return false;
  if (["timed_out", "banned"].includes(error.frame.code)) return place === "composer" || place === "questions";
  switch (error.cause) {
    case "reaction":
      return place === "reactions";
    case "vote":
      return place === "poll";
    case "ask":
    case "upvote":
      return place === "questions";
    default:
      return place === "composer";
  }
}
