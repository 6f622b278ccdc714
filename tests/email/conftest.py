"""Email tests send through a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from golive.platform.settings import Settings
from tests.email.smtp_sink import SmtpSink, smtp_sink


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with smtp_sink() as sink:
        yield sink


@pytest.fixture
def settings(settings: Settings, smtp: SmtpSink) -> Settings:
    return settings.model_copy(update={"smtp_host": smtp.host, "smtp_port": smtp.port})
