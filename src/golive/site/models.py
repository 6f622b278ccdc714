"""Seed 003 `platform_settings`: the one row that brands the site, its pages and its emails."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, column_property, mapped_column

from golive.platform.db import Base, TimestampMixin

THE_ROW = 1  # only one row ever exists (the migration writes it)
DEFAULT_NAME = "GoLive"
# seed 003's default #3b82f6 gives white button text 3.7:1, under WCAG AA's 4.5:1; ours gives 6.3:1
DEFAULT_PRIMARY_COLOR = "#4f46e5"


class PlatformSettings(TimestampMixin, Base):
    __tablename__ = "platform_settings"

    settings_id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=THE_ROW)
    platform_name: Mapped[str] = mapped_column(String(80), default=DEFAULT_NAME)
    primary_color: Mapped[str] = mapped_column(String(7), default=DEFAULT_PRIMARY_COLOR)
    # the uploads, re-encoded as WebP (golive.platform.images): small enough for the row, so every instance has them
    # (deferred: the settings are read on every page; the pictures only by their own URLs)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    hero_background: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    has_logo: Mapped[bool] = column_property(logo.is_not(None))
    has_hero_background: Mapped[bool] = column_property(hero_background.is_not(None))
    hero_title: Mapped[str | None] = mapped_column(String(120))
    hero_subtitle: Mapped[str | None] = mapped_column(String(300))
    hero_cta_text: Mapped[str | None] = mapped_column(String(40))
    hero_cta_link: Mapped[str | None] = mapped_column(String(500))
    featured_event_ids: Mapped[list[Any]] = mapped_column(default=list)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    social_links: Mapped[dict[str, Any]] = mapped_column(default=dict)
    about_content: Mapped[str] = mapped_column(Text, default="")  # Markdown, as written
    about_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitized on save
    email_from_name: Mapped[str | None] = mapped_column(String(80))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    updated_by: Mapped[str | None] = mapped_column(String(26))  # the admin who saved last (audit has the history)

    @property
    def version(self) -> int:
        """Changes whenever the row does: the pictures' URLs carry it, so browsers may cache them for good."""
        stamp: datetime = self.updated_at
        return int(stamp.timestamp() * 1000)
