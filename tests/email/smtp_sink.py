"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that send email."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.live_server import free_port


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None
        return str(part.get_content())


@dataclass
class SmtpSink:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._arrived:
            self.received.append(Received(recipients=list(envelope.rcpt_tos), message=parsed))
            self._arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, recipient: str, timeout: float = 10.0) -> Received:
        """The newest message to recipient, waiting for it to arrive (used by the browser tests)."""
        with self._arrived:
            found = self._arrived.wait_for(
                lambda: next((m for m in reversed(self.received) if recipient in m.recipients), None), timeout
            )
        assert found is not None, f"no email to {recipient} within {timeout}s"
        return found


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(host="127.0.0.1", port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
