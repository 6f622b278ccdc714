"""What a shared link to an event page shows (OpenGraph and Twitter card tags), written into the page's HTML
shell on the server: link-preview crawlers do not run the web app."""

from __future__ import annotations

import re
from html import escape

from golive.events.description import plain_summary
from golive.events.models import Event

SITE_NAME = "GoLive"
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_GENERIC_DESCRIPTION = re.compile(r'[ \t]*<meta name="description"[^>]*>\n?')


def absolute_url(base_url: str, url: str) -> str:
    """A site-relative URL (`/...`) made absolute on the public address; absolute ones stay as they are."""
    return f"{base_url}{url}" if url.startswith("/") and not url.startswith("//") else url


def preview_tags(event: Event, page_url: str, image_url: str | None) -> str:
    """The <head> tags of an event page: title, description, poster, canonical address."""
    description = plain_summary(event.description or "") or f"Watch {event.title} on {SITE_NAME}"
    properties = {
        "og:type": "video.other",
        "og:site_name": SITE_NAME,
        "og:title": event.title,
        "og:description": description,
        "og:url": page_url,
    }
    names = {
        "description": description,
        "twitter:card": "summary_large_image" if image_url else "summary",
        "twitter:title": event.title,
        "twitter:description": description,
    }
    if image_url:
        properties["og:image"] = image_url
        names["twitter:image"] = image_url
    tags = [f'<meta property="{key}" content="{escape(value)}" />' for key, value in properties.items()]
    tags += [f'<meta name="{key}" content="{escape(value)}" />' for key, value in names.items()]
    tags.append(f'<link rel="canonical" href="{escape(page_url)}" />')
    return "\n    ".join(tags)


def with_preview(shell: str, event: Event, tags: str) -> str:
    """The HTML shell with the event's title and tags (a generic description in the shell gives way)."""
    head, end, body = shell.partition("</head>")
    if not end:
        return shell
    head = _GENERIC_DESCRIPTION.sub("", head)
    head = _TITLE.sub(f"<title>{escape(event.title)} · {SITE_NAME}</title>", head, count=1)
    return f"{head}  {tags}\n  </head>{body}"
