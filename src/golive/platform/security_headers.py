"""Headers every response carries: no MIME sniffing, a referrer that never leaves paths and queries on other
sites, and no framing unless the page itself says who may frame it (the event page and the embed do)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Sent unless the response set its own: pages that may be framed set their Content-Security-Policy.
DEFAULT_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
NO_FRAMING = (
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),  # for browsers that predate frame-ancestors
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                added = DEFAULT_HEADERS if b"content-security-policy" in present else DEFAULT_HEADERS + NO_FRAMING
                headers += [(name, value) for name, value in added if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
