"""Notification tests sign accounts up through the API and mail through a real SMTP server on loopback."""

from tests.email.conftest import settings, smtp
from tests.identity.accounts.conftest import accounts

__all__ = ["accounts", "settings", "smtp"]
