import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { ChatMessage } from "./protocol";
import { mentionsYou, messageParts, quote } from "./text";

interface Props {
  messages: readonly ChatMessage[];
  /** The viewer's chat name: their mentions stand out. */
  yourName: string | null;
  yourId?: string | null;
  /** Buttons under a message (reply, report, moderation). */
  actions?: (message: ChatMessage) => ReactNode;
  empty: ReactNode;
  label?: string;
  testId?: string;
}

function time(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
}

/** One message: author, badge, what it replies to, the text with its mentions. */
export function MessageBody({ message, yourName, replied }: { message: ChatMessage; yourName: string | null; replied?: ChatMessage | null }) {
  return (
    <>
      {message.replyTo ? (
        <div className="chat-reply-context" data-testid="chat-reply-context">
          <span aria-hidden="true">↩ </span>
          {replied ? (
            <>
              <span className="visually-hidden">In reply to </span>
              <strong>{replied.author.name}</strong>: {quote(replied.text)}
            </>
          ) : (
            "In reply to an earlier message"
          )}
        </div>
      ) : null}
      <div className="chat-message-line">
        <span className="chat-author">{message.author.name}</span>
        {message.author.moderator ? (
          <span className="chat-badge" title="Moderator" data-testid="chat-moderator-badge">
            Mod
          </span>
        ) : null}
        {message.createdAt ? (
          <time className="chat-time" dateTime={message.createdAt}>
            {time(message.createdAt)}
          </time>
        ) : null}
      </div>
      <p className="chat-text" data-testid="chat-text">
        {messageParts(message.text, message.mentions, yourName).map((part, i) =>
          part.kind === "text" ? (
            part.text
          ) : (
            <mark key={i} className={`chat-mention${part.you ? " chat-mention-you" : ""}`}>
              {part.text}
            </mark>
          ),
        )}
      </p>
      {message.status === "held" ? (
        <p className="chat-held-note" data-testid="chat-held-note">
          Held for a moderator's review: the room does not see it yet.
        </p>
      ) : null}
    </>
  );
}

/**
 * The messages, oldest first, kept scrolled to the newest unless the reader scrolled up (then a button
 * brings them back). Not a live region: the panel announces new messages in summaries.
 */
export function MessageList({ messages, yourName, yourId = null, actions, empty, label = "Chat messages", testId = "chat-messages" }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const byId = new Map(messages.map((m) => [m.messageId, m]));
  const newest = messages[messages.length - 1]?.messageId;

  useLayoutEffect(() => {
    const element = box.current;
    if (element && atBottom) element.scrollTop = element.scrollHeight;
  }, [newest, messages.length, atBottom]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const onScroll = () => setAtBottom(element.scrollHeight - element.scrollTop - element.clientHeight < 40);
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => element.removeEventListener("scroll", onScroll);
  }, []);

  return (
    <div className="chat-scroll-wrap">
      <div className="chat-scroll" ref={box} tabIndex={0} role="region" aria-label={label}>
        {messages.length === 0 ? (
          <div className="chat-empty" data-testid={`${testId}-empty`}>{empty}</div>
        ) : (
          <ol className="chat-list" data-testid={testId}>
            {messages.map((message) => {
              const mine = yourId !== null && message.author.personId === yourId;
              const mentioned = !mine && mentionsYou(message.mentions, yourName);
              return (
                <li
                  key={message.messageId}
                  className={`chat-message${mentioned ? " chat-message-mentioned" : ""}${mine ? " chat-message-mine" : ""}${message.status === "held" ? " chat-message-held" : ""}`}
                  data-testid="chat-message"
                  data-message-id={message.messageId}
                  data-person-id={message.author.personId}
                >
                  <MessageBody message={message} yourName={yourName} replied={message.replyTo ? byId.get(message.replyTo) : null} />
                  {actions ? <div className="chat-actions">{actions(message)}</div> : null}
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {!atBottom && messages.length > 0 ? (
        <button
          type="button"
          className="btn btn-secondary btn-small chat-jump"
          onClick={() => {
            const element = box.current;
            if (element) element.scrollTop = element.scrollHeight;
            setAtBottom(true);
          }}
        >
          Newest messages ↓
        </button>
      ) : null}
    </div>
  );
}
