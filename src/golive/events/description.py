"""Event descriptions are Markdown written by admins, rendered once on save and sanitized for viewers."""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip


def render_description(markdown: str) -> str:
    """HTML safe to put in any page: raw HTML is escaped by the parser, then nh3 strips what remains."""
    html = _markdown.render(markdown or "")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_summary(markdown: str, limit: int = 200) -> str:
    """The description as one line of text (link previews, meta tags), cut at a word before `limit` characters."""
    text = " ".join(html.unescape(nh3.clean(_markdown.render(markdown or ""), tags=set())).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
