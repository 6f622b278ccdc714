"""Who may frame the embed page: the event's allowed domains as a CSP frame-ancestors source list."""

from __future__ import annotations


def frame_ancestors(allowed_domains: list[str] | None) -> str:
    """`None` (unknown event) allows only ourselves; an empty list allows any site, like an open embed."""
    if allowed_domains is None:
        return "'self'"
    if not allowed_domains:
        return "*"
    sources = ["'self'"]
    for domain in allowed_domains:
        if domain.startswith(("http://", "https://")):
            sources.append(domain)
        else:
            sources += [f"https://{domain}", f"http://{domain}"]
    return " ".join(sources)


def event_page_frame_ancestors(allowed_domains: list[str] | None) -> str:
    """The event page (`/e/`) is a site page, not an embed: with no domains listed only we may frame it."""
    return frame_ancestors(allowed_domains) if allowed_domains else "'self'"
