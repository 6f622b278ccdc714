import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

interface Props {
  /** Sends the text; false when it could not go (then the text stays). */
  onSend: (text: string) => boolean;
  maxLength: number;
  label: string;
  placeholder: string;
  /** Why the viewer cannot write now (the composer is disabled and says so). */
  blocked?: string | null;
  /** A refusal of what was sent, in plain words, shown by the composer. */
  problem?: string | null;
  /** Seconds to wait before the next send (a rate limit, slow mode). */
  wait?: number;
  /** Above the field: e.g. "Replying to Ada". */
  context?: ReactNode;
  submitLabel?: string;
  testId: string;
  inputRef?: React.RefObject<HTMLTextAreaElement | null>;
}

/** A message field: Enter sends, Shift+Enter starts a new line; a counter of the characters left. */
export function Composer({ onSend, maxLength, label, placeholder, blocked = null, problem = null, wait = 0, context, submitLabel = "Send", testId, inputRef }: Props) {
  const [text, setText] = useState("");
  const id = useId();
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const field = inputRef ?? ownRef;
  const left = maxLength - text.length;
  const empty = text.trim().length === 0;
  const disabled = Boolean(blocked);

  const submit = () => {
    if (disabled || empty || wait > 0) return;
    if (onSend(text.trim())) setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="chat-composer"
      data-testid={testId}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {context}
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        ref={field}
        className="chat-input"
        rows={2}
        value={text}
        maxLength={maxLength}
        placeholder={blocked ?? placeholder}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={`${id}-count ${id}-status`}
        data-testid={`${testId}-input`}
      />
      <div className="chat-composer-row">
        <span id={`${id}-count`} className={`chat-counter${left < 50 ? " chat-counter-low" : ""}`} data-testid={`${testId}-counter`} aria-live={left < 50 ? "polite" : "off"}>
          <span aria-hidden="true">
            {text.length}/{maxLength}
          </span>
          <span className="visually-hidden">{left} characters left</span>
        </span>
        <button type="submit" className="btn btn-primary btn-small" disabled={disabled || empty || wait > 0} data-testid={`${testId}-send`}>
          {wait > 0 ? `Wait ${wait} s` : submitLabel}
        </button>
      </div>
      <p id={`${id}-status`} className="chat-problem" role="status" aria-live="polite" data-testid={`${testId}-problem`}>
        {blocked && !problem ? blocked : problem}
      </p>
    </form>
  );
}
