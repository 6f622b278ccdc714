"""Reading a page's <head> as a link-preview crawler does: its meta tags, title and canonical address."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx

# GOLIVE_PUBLIC_URL in the tests of link previews
PUBLIC_URL = "https://video.example.com"


class HeadTags(HTMLParser):
    """The page's <meta> tags (by property or name), <title> and canonical link."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.canonical: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            key = values.get("property") or values["name"]
            assert key not in self.meta, f"{key} twice"
            self.meta[key] = values.get("content", "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


async def head_of(client: httpx.AsyncClient, path: str) -> HeadTags:
    response = await client.get(path)
    assert response.status_code == 200
    assert '<div id="root">' in response.text  # still the web app for people
    parser = HeadTags()
    parser.feed(response.text)
    return parser
