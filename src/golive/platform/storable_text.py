"""Text PostgreSQL cannot store is refused at the edge, before any route or the admission lane sees it.

PostgreSQL's text and jsonb hold neither NUL nor lone UTF-16 surrogates (which UTF-8 cannot even encode),
and a query carrying one fails inside the driver: a 500 on any endpoint that reaches the database, while
SQLite stored them. One check here, on the path, the query, the headers and JSON or form bodies, gives
every endpoint the same 400 on either database.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from golive.platform.body_limit import EXEMPT_PREFIXES, replay_body, send_error

FORM_TYPE = "application/x-www-form-urlencoded"


def has_unstorable(text: str) -> bool:
    """NUL, or a surrogate code point (only a lone one reaches a Python str, from `\\ud800` in JSON)."""
    return "\x00" in text or (not text.isascii() and any("\ud800" <= char <= "\udfff" for char in text))


def _holds_unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return has_unstorable(value)
    if isinstance(value, dict):
        return any(has_unstorable(key) or _holds_unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable(item) for item in value)
    return False


def json_body_is_unstorable(body: bytes) -> bool:
    """Raw NUL bytes, or a `\\u` escape that decodes to NUL or a lone surrogate. A body without `\\u` (nearly
    all) is judged by one byte scan; JSON that does not parse is left to the app's own 400."""
    if b"\x00" in body:
        return True
    if b"\\u" not in body:
        return False
    try:
        return _holds_unstorable(json.loads(body))
    except ValueError:
        return False


def form_body_is_unstorable(body: bytes) -> bool:
    """A `%00` always decodes to NUL, whatever surrounds it."""
    return b"\x00" in body or b"%00" in body


def _media_type(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower().decode("latin-1")
    return ""


def _unstorable_outside_body(scope: Scope) -> str | None:
    if "\x00" in scope["path"]:
        return "path"
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        return "query"
    if any(b"\x00" in value for _, value in scope["headers"]):
        return "headers"
    return None


class RefuseUnstorableText:
    """Answers 400 `unstorable_text` for NUL anywhere in a request, or a lone surrogate in its JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = _unstorable_outside_body(scope)
        if where is not None:
            await _refuse(send, where)
            return
        media_type = _media_type(scope["headers"])
        is_json = media_type == "application/json" or media_type.endswith("+json")
        if not (is_json or media_type == FORM_TYPE) or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":  # the client left before its body arrived
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)  # the size limit outside this middleware has capped it
        if (json_body_is_unstorable if is_json else form_body_is_unstorable)(body):
            await _refuse(send, "body")
            return
        await self.app(scope, replay_body(body, receive), send)


async def _refuse(send: Send, where: str) -> None:
    await send_error(
        send,
        400,
        "unstorable_text",
        "The request contains a NUL character or an unpaired surrogate, which no text can hold here",
        {"in": where},
    )
