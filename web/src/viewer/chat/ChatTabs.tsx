import { useRef, type KeyboardEvent } from "react";

export type ChatTab = "chat" | "questions";

interface Props {
  tab: ChatTab;
  onChange: (tab: ChatTab) => void;
  /** Open questions, shown in the tab's name. */
  questions: number;
  chatLabel?: string;
  /** The ids' prefix (the tab panels are `${prefix}-tabpanel-<tab>`) and the test ids'. */
  prefix?: string;
}

/** The Chat and Q&A tabs: a tablist the arrow keys (and Home, End) move along. */
export function ChatTabs({ tab, onChange, questions, chatLabel = "Chat", prefix = "chat" }: Props) {
  const refs = useRef<Record<ChatTab, HTMLButtonElement | null>>({ chat: null, questions: null });
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const next: ChatTab = event.key === "Home" ? "chat" : event.key === "End" ? "questions" : tab === "chat" ? "questions" : "chat";
    onChange(next);
    refs.current[next]?.focus();
  };
  const tabButton = (id: ChatTab, label: string) => (
    <button
      ref={(el) => {
        refs.current[id] = el;
      }}
      type="button"
      role="tab"
      id={`${prefix}-tab-${id}`}
      aria-selected={tab === id}
      aria-controls={`${prefix}-tabpanel-${id}`}
      tabIndex={tab === id ? 0 : -1}
      className="tab"
      onClick={() => onChange(id)}
      data-testid={`${prefix}-tab-${id}`}
    >
      {label}
    </button>
  );
  return (
    <div className="tabs chat-tabs" role="tablist" aria-label={`${chatLabel} and questions`} onKeyDown={onKeyDown}>
      {tabButton("chat", chatLabel)}
      {tabButton("questions", questions ? `Q&A (${questions})` : "Q&A")}
    </div>
  );
}
