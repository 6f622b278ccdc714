import { useEffect, useRef, useState } from "react";
import { useAnnouncer, useNow } from "./announce";
import { errorShowsAt, isJoinRefusal, type ErrorPlace } from "./chatState";
import { Composer } from "./Composer";
import { clock, errorWords, secondsToWait } from "./errors";
import { MessageBody, MessageList } from "./MessageList";
import { ModerationActions } from "./ModerationActions";
import { PollCard } from "./PollCard";
import { MAX_MESSAGE_LENGTH, type ChatMessage } from "./protocol";
import { QuestionsPanel } from "./QuestionsPanel";
import { ChatTabs, type ChatTab } from "./ChatTabs";
import { ReactionBar, ReactionBursts } from "./Reactions";
import { quote } from "./text";
import { useChatSocket, type ChatConnection, type ChatSocket } from "./useChatSocket";
import { useReplayChat } from "./useReplayChat";
import "./chat.css";

interface Props {
  eventId: string;
  token: string;
  /** The event is over: the chat replays read-only in step with the video. */
  replay: boolean;
  /** In the embed the chat shows only when the room's settings say so (embedChat). */
  embedded?: boolean;
  /** Where reactions float (the player's stage). */
  overlay: HTMLElement | null;
  /** Whether the panel shows (an embed's waits for the room's settings). */
  onShown?: (shown: boolean) => void;
}

/** The viewer's chat beside the player (lazy-loaded once the viewer is admitted). */
export default function ChatPanel({ eventId, token, replay, embedded = false, overlay, onShown }: Props) {
  if (replay) return embedded ? null : <ReplayChat eventId={eventId} token={token} onShown={onShown} />;
  return <LiveChat eventId={eventId} token={token} embedded={embedded} overlay={overlay} onShown={onShown} />;
}

function connectionWords(connection: ChatConnection, retryIn: number): string | null {
  if (connection === "connecting") return "Connecting to the chat…";
  if (connection === "reconnecting") return retryIn > 0 ? `Disconnected. Reconnecting in ${retryIn} s…` : "Disconnected. Reconnecting…";
  return null;
}

/** What a refusal or a closed room leaves the viewer unable to do, in plain words; null when they may write. */
export function blockedReason(socket: ChatSocket, now: number): string | null {
  const { state, connection } = socket;
  if (connection === "refused") {
    if (state.banned) return "A moderator removed you from this chat. You can keep watching.";
    return state.error ? errorWords(state.error, now) : "The chat is not open to you.";
  }
  if (connection !== "open") return connection === "connecting" ? "Connecting…" : "Reconnecting…";
  if (state.banned) return "A moderator removed you from this chat. You can keep watching.";
  if (state.mutedUntil && Date.parse(state.mutedUntil) > now) return null; // the problem line says until when
  if (state.you && !state.you.canChat && !state.mutedUntil) return state.you.message ? `${state.you.message}.` : "You cannot write in this chat.";
  return null;
}

/** A moderator's own ban or timeout, confirmed in plain words. */
export function restrictionWords(restriction: { name: string; kind: string; until: string | null }): string {
  if (restriction.kind === "ban") return `${restriction.name} is banned from the chat.`;
  const until = restriction.until ? clock(restriction.until) : "";
  return until ? `${restriction.name} cannot post until ${until}.` : `${restriction.name} cannot post for a while.`;
}

function LiveChat({ eventId, token, embedded, overlay, onShown }: { eventId: string; token: string; embedded: boolean; overlay: HTMLElement | null; onShown?: (shown: boolean) => void }) {
  const [note, setNote] = useState<string | null>(null);
  const youRef = useRef<string | null>(null);
  // a moderator hears every ban and timeout: the ones they made are confirmed here
  const socket = useChatSocket(eventId, token, {
    onFrame: (frame) => {
      if (frame.type === "restricted" && frame.restriction.createdBy === youRef.current) setNote(restrictionWords(frame.restriction));
    },
  });
  const { state, connection, send, dispatch } = socket;
  youRef.current = state.you?.personId ?? null;
  const [tab, setTab] = useState<ChatTab>("chat");
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const error = state.error;
  const ticking = connection === "reconnecting" || secondsToWait(error, Date.now()) > 0 || Boolean(state.mutedUntil) || state.poll?.status === "active";
  const now = useNow(ticking);
  const youId = state.you?.personId ?? null;
  const youName = state.you?.name ?? null;
  const said = useAnnouncer(state.messages, youId, tab === "chat");

  const hidden = embedded && state.settings?.embedChat !== true;
  useEffect(() => {
    onShown?.(!hidden);
    return () => onShown?.(false);
  }, [hidden, onShown]);
  if (hidden) return null;

  const retryIn = socket.retryAt ? Math.max(0, Math.ceil((socket.retryAt - now) / 1000)) : 0;
  const status = connectionWords(connection, retryIn);
  const blocked = blockedReason(socket, now);
  // a refusal shows by what it answers (the error frame's `request`); a refused join is the banner's
  const shownAt = (place: ErrorPlace) => (error && errorShowsAt(error, place) && !isJoinRefusal(error.frame.code) ? errorWords(error, now) : null);
  const problem = shownAt("composer");
  const wait = errorShowsAt(error, "composer") ? secondsToWait(error, now) : 0;
  const questionProblem = shownAt("questions");
  const questionWait = errorShowsAt(error, "questions") ? secondsToWait(error, now) : 0;
  const reactionProblem = shownAt("reactions");
  const voteProblem = shownAt("poll");
  const moderator = state.you?.moderator === true;
  const muted = state.banned || connection !== "open";

  const sendMessage = (text: string): boolean => {
    dispatch({ type: "dismiss-error" });
    const sent = send(replyTo ? { type: "message", text, replyTo: replyTo.messageId } : { type: "message", text });
    if (sent) setReplyTo(null);
    return sent;
  };
  const ask = (text: string) => {
    dispatch({ type: "dismiss-error" });
    return send({ type: "ask", text });
  };
  const upvote = (questionId: string) => {
    if (send({ type: "upvote", questionId })) dispatch({ type: "upvoted", questionId });
  };

  const actions = (message: ChatMessage) => {
    if (message.status === "held") return null;
    const mine = message.author.personId === youId;
    const reported = state.reported.includes(message.messageId);
    return (
      <>
        <button
          type="button"
          className="btn-link chat-action"
          disabled={Boolean(blocked)}
          onClick={() => {
            setReplyTo(message);
            input.current?.focus();
          }}
          aria-label={`Reply to ${message.author.name}`}
          data-testid="chat-reply"
        >
          Reply
        </button>
        {!mine ? (
          reported ? (
            <span className="chat-action-done" data-testid="chat-reported">Reported</span>
          ) : (
            <button type="button" className="btn-link chat-action" onClick={() => send({ type: "report", messageId: message.messageId })} aria-label={`Report this message by ${message.author.name}`} data-testid="chat-report">
              Report
            </button>
          )
        ) : null}
        {moderator ? (
          <ModerationActions
            message={message}
            restrictable={!mine && !message.author.moderator && !message.author.personId.startsWith("s:")}
            onDelete={() => send({ type: "delete", messageId: message.messageId })}
            onPin={() => send({ type: "pin", messageId: message.messageId })}
            onTimeout={(seconds) => send({ type: "timeout", personId: message.author.personId, seconds })}
            onBan={() => send({ type: "ban", personId: message.author.personId })}
            onHide={() => send({ type: "hide", personId: message.author.personId })}
          />
        ) : null}
      </>
    );
  };

  return (
    <aside className="chat-panel" aria-label="Live chat" data-testid="chat-panel" data-connection={connection}>
      <div className="chat-head">
        <ChatTabs tab={tab} onChange={setTab} questions={state.questions.filter((q) => q.status === "open").length} />
        {moderator ? <span className="chat-badge">You moderate</span> : null}
      </div>
      {status ? (
        <p className="chat-connection" role="status" data-testid="chat-connection">
          {status}
          {connection === "reconnecting" ? (
            <button type="button" className="btn-link" onClick={socket.reconnect}>
              Retry now
            </button>
          ) : null}
        </p>
      ) : null}
      {connection === "refused" ? (
        <p className="chat-connection chat-connection-refused" role="alert" data-testid="chat-refused">
          {blocked}
        </p>
      ) : null}
      {note && moderator ? (
        <p className="chat-connection chat-replay-note" role="status" data-testid="chat-moderation-note">
          {note}
          <button type="button" className="btn-link" onClick={() => setNote(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
      {state.pinned ? (
        <div className="chat-pinned" data-testid="chat-pinned">
          <span className="chat-pinned-label">Pinned</span>
          <MessageBody message={state.pinned} yourName={youName} />
          {moderator ? (
            <button type="button" className="btn-link chat-action" onClick={() => send({ type: "pin", messageId: null })}>
              Unpin
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="chat-body" role="tabpanel" id={`chat-tabpanel-${tab}`} aria-labelledby={`chat-tab-${tab}`}>
        {tab === "chat" ? (
          <>
            {state.poll ? (
              <PollCard
                poll={state.poll}
                vote={state.pollVote}
                now={now}
                onVote={muted ? undefined : (optionId) => state.poll && send({ type: "vote", pollId: state.poll.pollId, optionId })}
                problem={voteProblem}
              />
            ) : null}
            <MessageList
              messages={state.messages}
              yourName={youName}
              yourId={youId}
              actions={connection === "refused" ? undefined : actions}
              empty={connection === "open" ? "No messages yet. Say hello!" : "…"}
            />
            <ReactionBar palette={state.palette} onReact={(emoji) => send({ type: "reaction", emoji })} disabled={muted || (errorShowsAt(error, "reactions") && secondsToWait(error, now) > 0)} problem={reactionProblem} />
            <Composer
              onSend={sendMessage}
              maxLength={MAX_MESSAGE_LENGTH}
              label="Message"
              placeholder="Say something…"
              blocked={blocked}
              problem={problem}
              wait={wait}
              inputRef={input}
              testId="chat-composer"
              context={
                replyTo ? (
                  <div className="chat-replying" data-testid="chat-replying">
                    <span>
                      Replying to <strong>{replyTo.author.name}</strong>: {quote(replyTo.text, 60)}
                    </span>
                    <button type="button" className="btn-link" onClick={() => setReplyTo(null)} aria-label="Cancel the reply">
                      Cancel
                    </button>
                  </div>
                ) : null
              }
            />
          </>
        ) : (
          <QuestionsPanel
            questions={state.questions}
            upvoted={state.upvoted}
            yourId={youId}
            onAsk={ask}
            onUpvote={muted ? undefined : upvote}
            blocked={blocked}
            problem={questionProblem}
            wait={questionWait}
          />
        )}
      </div>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="chat-announcer">
        {said}
      </p>
      <ReactionBursts burst={state.burst} target={overlay} />
    </aside>
  );
}

/** The chat of an ended event: read-only, in step with the replay. */
function ReplayChat({ eventId, token, onShown }: { eventId: string; token: string; onShown?: (shown: boolean) => void }) {
  const { messages, error, unavailable, playing } = useReplayChat(eventId, token);
  useEffect(() => {
    onShown?.(!unavailable);
    return () => onShown?.(false);
  }, [unavailable, onShown]);
  if (unavailable) return null;
  return (
    <aside className="chat-panel chat-panel-replay" aria-label="Chat replay" data-testid="chat-replay">
      <div className="chat-head">
        <h2 className="chat-title">Chat replay</h2>
      </div>
      <p className="chat-connection chat-replay-note">The live chat, replayed as the video plays. It is read-only.</p>
      {error ? (
        <p className="chat-connection chat-connection-refused" role="status">
          {error}
        </p>
      ) : null}
      <div className="chat-body">
        <MessageList
          messages={messages}
          yourName={null}
          empty={playing ? "No messages at this point of the replay." : "Messages appear here as the video plays."}
          label="Chat replay messages"
          testId="chat-replay-messages"
        />
      </div>
    </aside>
  );
}
