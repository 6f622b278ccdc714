"""Events on the wire: what admins send, what admins see, and the viewer-safe view."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Self
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field, field_validator, model_validator
from sqlalchemy import Row

from golive.events.currencies import ISO_4217
from golive.events.hooks import EventPrice
from golive.events.lifecycle import allowed_transitions
from golive.events.models import AccessType, Event, EventStatus, EventType, StripeSetupStatus
from golive.platform.ratings import ContentRating
from golive.platform.schemas import CamelModel, InputModel, Page

FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
DOMAIN_PATTERN = re.compile(
    r"^(https?://)?(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(:\d{1,5})?$"
)
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TIMEZONES = frozenset(available_timezones()) | {"UTC"}


class FormFieldType(enum.StrEnum):
    TEXT = "text"
    EMAIL = "email"
    TEL = "tel"
    SELECT = "select"
    CHECKBOX = "checkbox"
    TEXTAREA = "textarea"
    NUMBER = "number"


def _as_utc(value: datetime | None) -> datetime | None:
    """A time without an offset is taken as UTC; every stored time is UTC."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC date
        raise ValueError("is out of range once converted to UTC") from None


UtcDatetime = Annotated[
    datetime,
    AfterValidator(_as_utc),
    Field(description="RFC 3339; without an offset, UTC; must stay within years 1-9999 once converted to UTC"),
]


class FormField(InputModel):
    name: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=200)
    type: FormFieldType = FormFieldType.TEXT
    required: bool = False
    options: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list, max_length=100)
    placeholder: str | None = Field(default=None, max_length=200)
    max_length: int | None = Field(default=None, ge=1, le=10000)

    @field_validator("name")
    @classmethod
    def _name_is_identifier(cls, value: str) -> str:
        if not FIELD_NAME.match(value):
            raise ValueError("must start with a letter and use only letters, digits and _ (max 40)")
        return value

    @model_validator(mode="after")
    def _options_match_type(self) -> Self:
        if self.type == FormFieldType.SELECT:
            if not self.options:
                raise ValueError("a select field needs at least one option")
            if len(set(self.options)) != len(self.options):
                raise ValueError("options must be unique")
        elif self.options:
            raise ValueError("only select fields take options")
        return self


def _unique_field_names(fields: list[FormField] | None) -> list[FormField] | None:
    if fields is not None:
        names = [f.name.lower() for f in fields]
        if len(set(names)) != len(names):
            raise ValueError("field names must be unique")
    return fields


FormFields = Annotated[list[FormField], Field(max_length=50), AfterValidator(_unique_field_names)]


class EmbedSettings(InputModel):
    allowed_domains: list[Annotated[str, Field(min_length=1, max_length=253)]] = Field(
        default_factory=list, max_length=50
    )
    primary_color: str | None = None
    autoplay: bool = False
    muted: bool = False

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, values: list[str]) -> list[str]:
        cleaned = []
        for value in values:
            domain = value.strip().lower().rstrip("/")
            if not DOMAIN_PATTERN.match(domain):
                raise ValueError(f"{value!r} is not a domain like example.com, *.example.com or https://host:port")
            cleaned.append(domain)
        return cleaned

    @field_validator("primary_color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is not None and not COLOR.match(value):
            raise ValueError("must be a colour like #1a73e8")
        return value


def timezone_name(value: str) -> str:
    if value not in _TIMEZONES:
        raise ValueError("must be an IANA time zone such as Europe/Paris")
    return value


def _currency(value: str | None) -> str | None:
    if value is None:
        return None
    upper = value.upper()
    if upper not in ISO_4217:
        raise ValueError("must be an ISO 4217 currency code such as USD or EUR")
    return upper


# An ISO 4217 code (upper-cased), as events and offers take it.
Currency = Annotated[str, AfterValidator(_currency)]


class EventFields(InputModel):
    """Every field an admin may set; None means "not sent" on update."""

    title: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=20000)
    thumbnail_url: str | None = Field(default=None, max_length=1024, pattern=r"^(https?://|/)\S+$")
    event_type: EventType | None = None
    scheduled_start: UtcDatetime | None = None
    scheduled_end: UtcDatetime | None = None
    timezone: (
        Annotated[
            str,
            AfterValidator(timezone_name),
            Field(description="An IANA time zone", json_schema_extra={"enum": sorted(_TIMEZONES)}),
        ]
        | None
    ) = None
    auto_start: bool | None = None
    auto_end: bool | None = None
    access_type: AccessType | None = None
    access_password: str | None = Field(default=None, min_length=4, max_length=128)
    form_fields: FormFields | None = None
    is_paid_event: bool | None = None
    is_listed: bool | None = Field(default=None, description="Shown on the site's home page (when published)")
    content_rating: ContentRating | None = Field(
        default=None, description="Age rating (seed 001); a profile limited to a lower one may not watch"
    )
    price_amount: int | None = Field(default=None, gt=0, le=100_000_000)
    currency: Currency | None = None
    embed_settings: EmbedSettings | None = None


class EventCreate(EventFields):
    title: str = Field(min_length=1, max_length=120)
    event_type: EventType = EventType.VOD


class EventUpdate(EventFields):
    pass


class TransitionRequest(InputModel):
    to: EventStatus


class FormFieldOut(CamelModel):
    name: str
    label: str
    type: FormFieldType
    required: bool
    options: list[str]
    placeholder: str | None = None
    max_length: int | None = None


class PublicEmbedSettings(CamelModel):
    primary_color: str | None = None
    autoplay: bool = False
    muted: bool = False


class AdminEmbedSettings(PublicEmbedSettings):
    allowed_domains: list[str] = Field(default_factory=list)


class PublicEventOut(CamelModel):
    """What any visitor may see: no password hash, no admin ids, no embed allow-list."""

    event_id: str
    title: str
    description: str
    description_html: str
    thumbnail_url: str | None
    status: EventStatus
    event_type: EventType
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    timezone: str
    access_type: AccessType
    form_fields: list[FormFieldOut]
    is_paid_event: bool
    price_amount: int | None
    currency: str | None
    content_rating: ContentRating | None
    embed_settings: PublicEmbedSettings


class EventOut(PublicEventOut):
    auto_start: bool
    auto_end: bool
    is_listed: bool
    has_password: bool
    embed_settings: AdminEmbedSettings
    allowed_transitions: list[EventStatus]
    stripe_setup_status: StripeSetupStatus | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class EventSort(enum.StrEnum):
    START_ASC = "scheduledStart"
    START_DESC = "-scheduledStart"
    CREATED_ASC = "createdAt"
    CREATED_DESC = "-createdAt"
    TITLE = "title"


def public_event_out(event: Event, price: EventPrice) -> PublicEventOut:
    """`price` is the event's default price (events.hooks.event_prices)."""
    return PublicEventOut(
        event_id=event.event_id,
        title=event.title,
        description=event.description,
        description_html=event.description_html,
        thumbnail_url=event.thumbnail_url,
        status=event.status,
        event_type=event.event_type,
        scheduled_start=event.scheduled_start,
        scheduled_end=event.scheduled_end,
        timezone=event.timezone,
        access_type=event.access_type,
        form_fields=[FormFieldOut.model_validate(f) for f in event.form_fields],
        is_paid_event=event.is_paid_event,
        price_amount=price.amount,
        currency=price.currency,
        content_rating=event.content_rating,
        embed_settings=PublicEmbedSettings.model_validate(event.embed_settings or {}),
    )


_TRANSITIONS = {status: allowed_transitions(status) for status in EventStatus}
_EVENT_PAGE = Page[EventOut]
# The Event columns that pass to EventOut under their own name.
_SAME_NAMED = [name for name in EventOut.model_fields if name in Event.__table__.c and name != "embed_settings"]


def event_page(rows: Sequence[Row[Any]], total: int, limit: int, offset: int) -> Page[EventOut]:
    """The admin list from Core rows with their default prices (see events.listing.list_events, priced),
    validated in one pydantic call: the same items event_out gives, without building ORM objects and
    intermediate models per row."""
    items = []
    for row in rows:
        fields = row._mapping
        item = {name: fields[name] for name in _SAME_NAMED}
        item["price_amount"] = fields["price_amount"]
        item["currency"] = fields["currency"]
        item["stripe_setup_status"] = fields["stripe_setup_status"]
        item["embed_settings"] = fields["embed_settings"] or {}
        item["has_password"] = bool(fields["has_password"])
        item["allowed_transitions"] = _TRANSITIONS[fields["status"]]
        items.append(item)
    return _EVENT_PAGE.model_validate({"items": items, "total": total, "limit": limit, "offset": offset})


def event_out(event: Event, price: EventPrice) -> EventOut:
    public = public_event_out(event, price)
    return EventOut(
        **{name: getattr(public, name) for name in PublicEventOut.model_fields if name != "embed_settings"},
        auto_start=event.auto_start,
        auto_end=event.auto_end,
        is_listed=event.is_listed,
        has_password=event.access_password_hash is not None,
        embed_settings=AdminEmbedSettings.model_validate(event.embed_settings or {}),
        allowed_transitions=allowed_transitions(event.status),
        stripe_setup_status=price.setup_status,
        created_by=event.created_by,
        created_at=event.created_at,
        updated_at=event.updated_at,
        deleted_at=event.deleted_at,
    )
