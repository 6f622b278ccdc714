import { useState } from "react";
import type { ClientFrame, Poll } from "../../../viewer/chat/protocol";

export const POLL_DURATIONS = [
  { seconds: 30, label: "30 seconds" },
  { seconds: 60, label: "1 minute" },
  { seconds: 120, label: "2 minutes" },
  { seconds: 300, label: "5 minutes" },
  { seconds: 900, label: "15 minutes" },
  { seconds: 1800, label: "30 minutes" },
];
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 5;

/** The poll_start frame for the form, or the words of what is missing (tested). */
export function pollFrame(question: string, options: readonly string[], durationSeconds: number): ClientFrame | string {
  const asked = question.trim();
  const filled = options.map((o) => o.trim()).filter(Boolean);
  if (!asked) return "Write the question.";
  if (filled.length < MIN_OPTIONS) return `Give at least ${MIN_OPTIONS} options.`;
  if (filled.length > MAX_OPTIONS) return `A poll has at most ${MAX_OPTIONS} options.`;
  if (new Set(filled.map((o) => o.toLowerCase())).size !== filled.length) return "Two options say the same thing.";
  return { type: "poll_start", question: asked, options: filled, durationSeconds: Math.min(1800, Math.max(15, durationSeconds)) };
}

/** Start a poll (2 to 5 options, a duration), or end the running one. */
export function PollControls({ poll, send, disabled }: { poll: Poll | null; send: (frame: ClientFrame) => boolean; disabled: boolean }) {
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState(["", ""]);
  const [duration, setDuration] = useState(60);
  const [problem, setProblem] = useState<string | null>(null);

  if (poll?.status === "active") {
    return (
      <button type="button" className="btn btn-secondary btn-small" onClick={() => send({ type: "poll_end", pollId: poll.pollId })} disabled={disabled} data-testid="poll-end">
        End the poll now
      </button>
    );
  }
  const start = () => {
    const frame = pollFrame(question, options, duration);
    if (typeof frame === "string") {
      setProblem(frame);
      return;
    }
    setProblem(null);
    if (send(frame)) {
      setQuestion("");
      setOptions(["", ""]);
    }
  };
  return (
    <form
      className="poll-form"
      data-testid="poll-form"
      onSubmit={(event) => {
        event.preventDefault();
        start();
      }}
    >
      <div className="field">
        <label className="field-label" htmlFor="poll-question">
          {poll ? "A new poll" : "Question"}
        </label>
        <input id="poll-question" value={question} maxLength={200} onChange={(e) => setQuestion(e.target.value)} placeholder="What should we play next?" data-testid="poll-question" />
      </div>
      <fieldset className="poll-options">
        <legend className="field-label">Options</legend>
        {options.map((option, i) => (
          <div className="poll-option-row" key={i}>
            <label className="visually-hidden" htmlFor={`poll-option-${i}`}>
              Option {i + 1}
            </label>
            <input
              id={`poll-option-${i}`}
              value={option}
              maxLength={80}
              placeholder={`Option ${i + 1}`}
              onChange={(e) => setOptions((current) => current.map((o, j) => (j === i ? e.target.value : o)))}
              data-testid="poll-option"
            />
            {options.length > MIN_OPTIONS ? (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setOptions((current) => current.filter((_, j) => j !== i))} aria-label={`Remove option ${i + 1}`}>
                ✕
              </button>
            ) : null}
          </div>
        ))}
        {options.length < MAX_OPTIONS ? (
          <button type="button" className="btn-link" onClick={() => setOptions((current) => [...current, ""])} data-testid="poll-add-option">
            + Add an option
          </button>
        ) : null}
      </fieldset>
      <div className="field">
        <label className="field-label" htmlFor="poll-duration">
          Runs for
        </label>
        <select id="poll-duration" value={duration} onChange={(e) => setDuration(Number(e.target.value))} data-testid="poll-duration">
          {POLL_DURATIONS.map((d) => (
            <option key={d.seconds} value={d.seconds}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary btn-small" disabled={disabled} data-testid="poll-start">
        Start the poll
      </button>
    </form>
  );
}
