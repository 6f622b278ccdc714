// A tiny, safe Markdown preview: escape all HTML first, then paragraphs, line
// breaks, **bold**, *italic* and [links](https://...) only. The server's
// sanitized `descriptionHtml` is the real rendering; this is the live preview.

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function isSafeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:|\/(?!\/)|#)/i.test(href);
}

function renderInline(escaped: string): string {
  return escaped
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) =>
      isSafeHref(href) ? `<a href="${href}" rel="noopener noreferrer" target="_blank">${label}</a>` : whole,
    )
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/__([^_]+)__/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_([^_\s][^_]*)_(?!\w)/g, "$1<em>$2</em>");
}

export function renderMarkdownPreview(markdown: string): string {
  const escaped = escapeHtml(markdown.replace(/\r\n?/g, "\n"));
  return escaped
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => `<p>${block.split("\n").map(renderInline).join("<br>")}</p>`)
    .join("\n");
}
