import type { ReactNode } from "react";
import { Composer } from "./Composer";
import { MAX_QUESTION_LENGTH, type Question } from "./protocol";

interface Props {
  questions: readonly Question[];
  upvoted: readonly string[];
  yourId: string | null;
  onAsk?: (text: string) => boolean;
  onUpvote?: (questionId: string) => void;
  /** The host's buttons on a question (mark answered, hide). */
  actions?: (question: Question) => ReactNode;
  blocked?: string | null;
  problem?: string | null;
  wait?: number;
}

/** Q&A: the questions, most upvoted first (answered ones marked), an upvote each, and a field to ask. */
export function QuestionsPanel({ questions, upvoted, yourId, onAsk, onUpvote, actions, blocked, problem, wait }: Props) {
  return (
    <div className="chat-questions">
      <div className="chat-scroll" tabIndex={0} role="region" aria-label="Questions">
        {questions.length === 0 ? (
          <div className="chat-empty" data-testid="chat-questions-empty">No questions yet.{onAsk ? " Ask the first one." : ""}</div>
        ) : (
          <ol className="chat-list" data-testid="chat-questions">
            {questions.map((question) => {
              const mine = question.author.personId === yourId;
              const voted = question.upvoted === true || upvoted.includes(question.questionId);
              return (
                <li key={question.questionId} className={`chat-question${question.status === "answered" ? " chat-question-answered" : ""}`} data-testid="chat-question" data-question-id={question.questionId}>
                  <div className="chat-question-votes">
                    {onUpvote ? (
                      <button
                        type="button"
                        className="chat-upvote"
                        aria-pressed={voted}
                        disabled={voted || mine}
                        onClick={() => onUpvote(question.questionId)}
                        aria-label={`Upvote: ${question.text}`}
                        data-testid="chat-question-upvote"
                      >
                        ▲
                      </button>
                    ) : null}
                    <span className="chat-question-count" data-testid="chat-question-upvotes" aria-label={`${question.upvotes} upvotes`}>
                      {question.upvotes}
                    </span>
                  </div>
                  <div className="chat-question-body">
                    <p className="chat-text" data-testid="chat-question-text">{question.text}</p>
                    <p className="chat-question-meta">
                      {question.author.name}
                      {question.status === "answered" ? (
                        <span className="chat-badge chat-badge-answered" data-testid="chat-question-answered">
                          Answered
                        </span>
                      ) : null}
                    </p>
                    {actions ? <div className="chat-actions chat-actions-visible">{actions(question)}</div> : null}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {onAsk ? (
        <Composer
          onSend={onAsk}
          maxLength={MAX_QUESTION_LENGTH}
          label="Your question"
          placeholder="Ask the host a question…"
          blocked={blocked}
          problem={problem}
          wait={wait}
          submitLabel="Ask"
          testId="chat-ask"
        />
      ) : null}
    </div>
  );
}
