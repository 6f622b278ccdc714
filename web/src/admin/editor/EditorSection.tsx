import type { ReactNode } from "react";

/** A titled card grouping related settings on the event editor. */
export function EditorSection({ title, description, children, testId }: { title: string; description?: ReactNode; children: ReactNode; testId?: string }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section className="card editor-section" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {description ? <p className="muted section-description">{description}</p> : null}
      {children}
    </section>
  );
}
