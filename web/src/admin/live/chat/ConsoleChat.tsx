import { useEffect, useRef, useState } from "react";
import { ApiError, chat } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { useNow } from "../../../viewer/chat/announce";
import { ChatTabs, type ChatTab } from "../../../viewer/chat/ChatTabs";
import { Composer } from "../../../viewer/chat/Composer";
import { errorWords } from "../../../viewer/chat/errors";
import { MessageList } from "../../../viewer/chat/MessageList";
import { ModerationActions, timeoutLabel } from "../../../viewer/chat/ModerationActions";
import { PollCard } from "../../../viewer/chat/PollCard";
import { MAX_MESSAGE_LENGTH, type ChatMessage, type ServerFrame } from "../../../viewer/chat/protocol";
import { QuestionsPanel } from "../../../viewer/chat/QuestionsPanel";
import { useChatSocket, type ChatSocket } from "../../../viewer/chat/useChatSocket";
import { useConfirm, type ConfirmRequest } from "../../dialog/ConfirmDialog";
import { ChatSettingsForm } from "./ChatSettingsForm";
import { BansList, ModeratorsList, ModerationQueue } from "./ChatLists";
import { useModerationLists } from "./moderationLists";
import { PollControls } from "./PollControls";
import "../../../viewer/chat/chat.css";

function isStaff(personId: string): boolean {
  return personId.startsWith("s:");
}

/** One message's moderation: delete and pin on the socket, timeout and ban over REST (the note says so), hide. */
function MessageModeration({ message, socket, eventId, onRestricted, confirm }: { message: ChatMessage; socket: ChatSocket; eventId: string; onRestricted: (words: string) => void; confirm: (request: ConfirmRequest) => Promise<boolean> }) {
  const who = message.author.name;
  const person = message.author.personId;
  const restrict = async (kind: "ban" | "timeout", seconds = 0) => {
    try {
      await chat.restrict(eventId, kind === "ban" ? { personId: person, kind } : { personId: person, kind, seconds });
      onRestricted(kind === "ban" ? `${who} is banned from the chat.` : `${who} cannot post for ${timeoutLabel(seconds)}.`);
    } catch (err) {
      onRestricted(err instanceof ApiError ? err.message : "Could not do that.");
    }
  };
  return (
    <ModerationActions
      message={message}
      restrictable={!isStaff(person)}
      onDelete={() => socket.send({ type: "delete", messageId: message.messageId })}
      onPin={() => socket.send({ type: "pin", messageId: message.messageId })}
      onTimeout={(seconds) => void restrict("timeout", seconds)}
      onBan={() => void restrict("ban")}
      onHide={() => socket.send({ type: "hide", personId: person })}
      confirmBan={(name) => confirm({ title: `Ban ${name}?`, message: `${name} leaves the chat now and cannot come back until you lift the ban.`, confirmLabel: "Ban", danger: true })}
    />
  );
}

const STAT_LABELS: Record<string, string> = {
  messages: "Messages",
  chatters: "People who wrote",
  connectedHere: "Connected (this server)",
  pendingReports: "To review",
  openQuestions: "Open questions",
  reactions: "Reactions",
};

function StatsLine({ eventId, socket, refresh }: { eventId: string; socket: ChatSocket; refresh: number }) {
  const stats = useApi((signal) => chat.stats(eventId, signal), [eventId, refresh], { describe: () => "" });
  const shown = stats.data && typeof stats.data === "object" ? Object.entries(stats.data).filter(([, v]) => typeof v === "number") : [];
  const words = (key: string) => STAT_LABELS[key] ?? key.replace(/([A-Z])/g, " $1").toLowerCase();
  return (
    <dl className="chat-stats" data-testid="chat-stats">
      {shown.length === 0 ? (
        <>
          <div>
            <dt>Messages on screen</dt>
            <dd>{socket.state.messages.length}</dd>
          </div>
          <div>
            <dt>Open questions</dt>
            <dd>{socket.state.questions.filter((q) => q.status === "open").length}</dd>
          </div>
        </>
      ) : null}
      {shown.map(([key, value]) => (
        <div key={key} data-testid={`chat-stat-${key}`}>
          <dt>{words(key)}</dt>
          <dd>{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The control room's chat: the room as it runs, with a moderator's hands on it. */
export function ConsoleChat({ eventId }: { eventId: string }) {
  const hearRef = useRef<(frame: ServerFrame) => void>(() => undefined);
  const socket = useChatSocket(eventId, null, { onFrame: (frame) => hearRef.current(frame) });
  const { state, connection, send, dispatch } = socket;
  // the queue and the bans: read when the socket opens (and after a reconnect), then moved by its frames
  const lists = useModerationLists(eventId, connection === "open");
  hearRef.current = lists.hear;
  const [note, setNote] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [tab, setTab] = useState<ChatTab>("chat");
  const { confirm, dialog } = useConfirm();
  const now = useNow(state.poll?.status === "active" || connection === "reconnecting");
  const problem = state.error ? errorWords(state.error, now) : null;

  // the socket sends the open questions; the host's view also keeps the answered ones
  useEffect(() => {
    if (connection !== "open") return;
    const controller = new AbortController();
    chat
      .questions(eventId, controller.signal)
      .then((list) => dispatch({ type: "questions-loaded", questions: list.items.map((q) => ({ ...q, status: q.status === "answered" ? "answered" : "open" })) }))
      .catch(() => undefined);
    return () => controller.abort();
  }, [eventId, connection, dispatch]);

  // the figures are read again every 15 s (no frame carries them)
  useEffect(() => {
    const id = window.setInterval(() => setTick((t) => t + 1), 15_000);
    return () => window.clearInterval(id);
  }, []);

  const clearChat = async () => {
    if (await confirm({ title: "Clear the chat?", message: "Every message leaves every viewer's screen. The transcript keeps them.", confirmLabel: "Clear chat", danger: true })) {
      send({ type: "clear" });
    }
  };
  const restricted = (words: string) => setNote(words);
  const status =
    connection === "open" ? null : connection === "refused" ? (state.error?.frame.message ?? "The chat refused this session.") : connection === "connecting" ? "Connecting to the chat…" : "Disconnected. Reconnecting…";

  return (
    <section className="chat-console" aria-labelledby="chat-console-title" data-testid="console-chat">
      <div className="live-section-head">
        <h2 id="chat-console-title">Chat</h2>
        <div className="chat-console-links">
          <a href={chat.transcriptUrl(eventId, "json")} download={`chat-${eventId}.json`} data-testid="chat-transcript-json">
            Transcript (JSON)
          </a>
          <a href={chat.transcriptUrl(eventId, "csv")} download data-testid="chat-transcript-csv">
            Transcript (CSV)
          </a>
        </div>
      </div>
      <StatsLine eventId={eventId} socket={socket} refresh={tick} />
      <div className="chat-console-grid">
        <div className="chat-console-room card">
          <div className="chat-head">
            <ChatTabs tab={tab} onChange={setTab} questions={state.questions.filter((q) => q.status === "open").length} chatLabel="Messages" prefix="console" />
            <button type="button" className="btn btn-danger-outline btn-small" onClick={() => void clearChat()} disabled={connection !== "open"} data-testid="chat-clear">
              Clear chat
            </button>
          </div>
          {status ? (
            <p className={`chat-connection${connection === "refused" ? " chat-connection-refused" : ""}`} role="status" data-testid="chat-connection">
              {status}
            </p>
          ) : null}
          {note ? (
            <p className="chat-connection chat-replay-note" role="status" data-testid="chat-console-note">
              {note}
            </p>
          ) : null}
          {state.pinned ? (
            <div className="chat-pinned" data-testid="chat-pinned">
              <span className="chat-pinned-label">Pinned</span>
              <p className="chat-text">
                <strong>{state.pinned.author.name}</strong>: {state.pinned.text}
              </p>
              <button type="button" className="btn-link chat-action" onClick={() => send({ type: "pin", messageId: null })} data-testid="chat-unpin">
                Unpin
              </button>
            </div>
          ) : null}
          <div className="chat-body" role="tabpanel" id={`console-tabpanel-${tab}`} aria-labelledby={`console-tab-${tab}`}>
            {tab === "chat" ? (
              <>
                <MessageList
                  messages={state.messages}
                  yourName={state.you?.name ?? null}
                  yourId={state.you?.personId ?? null}
                  actions={(message) => (message.status === "held" ? <span className="chat-badge chat-badge-held">Held: see the queue</span> : <MessageModeration message={message} socket={socket} eventId={eventId} onRestricted={restricted} confirm={confirm} />)}
                  empty="No messages yet."
                  label="Chat messages (moderation)"
                />
                <Composer
                  onSend={(text) => {
                    dispatch({ type: "dismiss-error" });
                    return send({ type: "message", text });
                  }}
                  maxLength={MAX_MESSAGE_LENGTH}
                  label="Message as a moderator"
                  placeholder="Write to the room as a moderator…"
                  blocked={connection === "open" ? null : "Not connected"}
                  problem={problem}
                  testId="console-composer"
                />
              </>
            ) : (
              <QuestionsPanel
                questions={state.questions}
                upvoted={[]}
                yourId={state.you?.personId ?? null}
                actions={(question) => (
                  <>
                    {question.status !== "answered" ? (
                      <button type="button" className="btn-link chat-action" onClick={() => send({ type: "answer", questionId: question.questionId })} data-testid="chat-question-answer">
                        Mark answered
                      </button>
                    ) : null}
                    <button type="button" className="btn-link chat-action chat-action-danger" onClick={() => send({ type: "hide_question", questionId: question.questionId })} data-testid="chat-question-hide">
                      Hide
                    </button>
                  </>
                )}
              />
            )}
          </div>
        </div>
        <div className="chat-console-side">
          <div className="card live-section">
            <h3 className="chat-console-h">Poll</h3>
            {state.poll ? <PollCard poll={state.poll} vote={null} now={now} /> : null}
            <PollControls poll={state.poll} send={send} disabled={connection !== "open"} />
          </div>
          <ModerationQueue eventId={eventId} lists={lists} />
        </div>
      </div>
      <div className="chat-console-grid chat-console-admin">
        <ChatSettingsForm eventId={eventId} />
        <div>
          <BansList eventId={eventId} lists={lists} />
          <ModeratorsList eventId={eventId} />
        </div>
      </div>
      {dialog}
      <p className="visually-hidden" aria-live="polite">
        {state.you ? `Connected to the chat as ${state.you.name}` : ""}
      </p>
    </section>
  );
}
