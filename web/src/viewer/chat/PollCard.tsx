import type { Poll } from "./protocol";

interface Props {
  poll: Poll;
  /** The option this viewer chose, if any. */
  vote: string | null;
  /** Absent: results only (the console, or a viewer who may not vote). */
  onVote?: (optionId: string) => void;
  now: number;
  /** A refused vote, in plain words. */
  problem?: string | null;
}

export function pollShare(votes: number, total: number): number {
  return total > 0 ? Math.round((votes / total) * 100) : 0;
}

/** A poll: its options to vote for once, then (and for everyone once it ended) the results as bars. */
export function PollCard({ poll, vote, onVote, now, problem = null }: Props) {
  const ended = poll.status === "ended";
  const showResults = ended || vote !== null || !onVote;
  const left = poll.endsAt && !ended ? Math.max(0, Math.ceil((Date.parse(poll.endsAt) - now) / 1000)) : null;
  return (
    <section className="chat-poll" aria-labelledby={`poll-${poll.pollId}`} data-testid="chat-poll" data-status={poll.status}>
      <div className="chat-poll-head">
        <span className="chat-poll-kicker">{ended ? "Poll ended" : "Poll"}</span>
        {left !== null ? <span className="chat-poll-time" aria-hidden="true">{left} s left</span> : null}
      </div>
      <h3 id={`poll-${poll.pollId}`} className="chat-poll-question">{poll.question}</h3>
      {showResults ? (
        <ul className="chat-poll-results" data-testid="chat-poll-results">
          {poll.options.map((option) => {
            const share = pollShare(option.votes, poll.totalVotes);
            return (
              <li key={option.optionId} className={option.optionId === vote ? "chat-poll-mine" : undefined} data-testid="chat-poll-result">
                <div className="chat-poll-label">
                  <span>
                    {option.text}
                    {option.optionId === vote ? <span className="chat-poll-yours"> (your vote)</span> : null}
                  </span>
                  <span data-testid="chat-poll-share">{share}%</span>
                </div>
                <div className="chat-poll-bar" role="img" aria-label={`${option.text}: ${share}%, ${option.votes} ${option.votes === 1 ? "vote" : "votes"}`}>
                  <span style={{ width: `${share}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      ) : (
        <div className="chat-poll-options" role="group" aria-label="Vote">
          {poll.options.map((option) => (
            <button key={option.optionId} type="button" className="btn btn-secondary btn-small chat-poll-option" onClick={() => onVote?.(option.optionId)} data-testid="chat-poll-option">
              {option.text}
            </button>
          ))}
        </div>
      )}
      {problem ? (
        <p className="chat-problem" role="status" data-testid="chat-poll-problem">
          {problem}
        </p>
      ) : null}
      <p className="chat-poll-total" aria-live="polite">
        {poll.totalVotes} {poll.totalVotes === 1 ? "vote" : "votes"}
        {ended ? " · final results" : ""}
      </p>
    </section>
  );
}
