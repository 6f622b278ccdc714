"""offers and prices: an event's price becomes its default ticket offer; payments name offer and price

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:00:00.000000

Every event with a price (price_amount and currency) gets a default ticket offer with one price: that
amount and currency, its Stripe Product (on the offer) and Price (on the price), its setup status; the offer
is archived when the event is not paid (an unpaid event kept its price, and the event API still shows it).
Payments of those events name the offer and price. Then the moved columns leave the events table:
price_amount, currency, payment_provider (never written), stripe_product_id, stripe_price_id,
stripe_setup_status. events.is_paid_event stays, as "requires payment" (commerce keeps it).

Columns are added and dropped with plain ALTER TABLE (SQLite 3.35+ drops a column in place): rebuilding
`events` or `payments` the batch way would run the implicit DELETE of DROP TABLE, whose ON DELETE CASCADE
would empty the tables that reference them.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from ulid_transform import ulid_now

import golive.platform.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
MOVED = (
    ("price_amount", sa.Integer()),
    ("currency", sa.String(length=3)),
    ("payment_provider", sa.String(length=20)),
    ("stripe_product_id", sa.String(length=255)),
    ("stripe_price_id", sa.String(length=255)),
    ("stripe_setup_status", sa.String(length=20)),
)
SETUP_STATUS = sa.Enum("pending", "created", "failed", name="stripesetupstatus", native_enum=False, length=20)


def upgrade() -> None:
    offers = op.create_table(
        "offers",
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ticket",
                "purchase",
                "rental",
                "bundle",
                "plan",
                "booking",
                "tip",
                "gift",
                name="offerkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("scope_kind", sa.Enum("event", name="offerscope", native_enum=False, length=20), nullable=False),
        sa.Column("scope_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("provider_product_id", sa.String(length=255), nullable=True),
        sa.Column("provider_setup_status", SETUP_STATUS, nullable=True),
        sa.Column("archived_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_offers")),
    )
    op.create_index("ix_offers_scope_kind_scope_id", "offers", ["scope_kind", "scope_id"])
    op.create_index(
        "uq_offers_default",
        "offers",
        ["scope_kind", "scope_id"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )
    prices = op.create_table(
        "prices",
        sa.Column("price_id", sa.String(length=40), nullable=False),
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("sale_starts", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sale_ends", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("sold", sa.Integer(), nullable=False),
        sa.Column("provider_price_id", sa.String(length=255), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived_at", golive.platform.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", golive.platform.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.offer_id"], name=op.f("fk_prices_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("price_id", name=op.f("pk_prices")),
    )
    op.create_index("ix_prices_offer_id_position", "prices", ["offer_id", "position"])
    op.add_column("payments", sa.Column("offer_id", sa.String(length=40), nullable=True))
    op.add_column("payments", sa.Column("price_id", sa.String(length=40), nullable=True))
    op.add_column("payments", sa.Column("unit_held", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index("ix_payments_price_id", "payments", ["price_id"])
    _backfill(offers, prices)
    for name, _ in MOVED:
        op.execute(f"ALTER TABLE events DROP COLUMN {name}")


def _backfill(offers: sa.Table, prices: sa.Table) -> None:
    connection = op.get_bind()
    events = sa.table(
        "events",
        sa.column("event_id", sa.String),
        sa.column("is_paid_event", sa.Boolean),
        sa.column("price_amount", sa.Integer),
        sa.column("currency", sa.String),
        sa.column("stripe_product_id", sa.String),
        sa.column("stripe_price_id", sa.String),
        sa.column("stripe_setup_status", sa.String),
        sa.column("created_at", golive.platform.db.UTCDateTime(timezone=True)),
        sa.column("updated_at", golive.platform.db.UTCDateTime(timezone=True)),
    )
    payments = sa.table(
        "payments",
        sa.column("payment_id", sa.String),
        sa.column("event_id", sa.String),
        sa.column("status", sa.String),
        sa.column("offer_id", sa.String),
        sa.column("price_id", sa.String),
    )
    # a paid ticket keeps its unit (refunded ones too: a refund does not put a ticket back on sale)
    sold = Counter(
        event_id
        for (event_id,) in connection.execute(
            sa.select(payments.c.event_id).where(payments.c.status.in_(["succeeded", "refunded"]))
        )
    )
    now = datetime.now(UTC)
    offer_rows: list[dict[str, object]] = []
    price_rows: list[dict[str, object]] = []
    ids: dict[str, tuple[str, str]] = {}
    priced = connection.execute(
        sa.select(events).where(events.c.price_amount.is_not(None), events.c.currency.is_not(None))
    )
    for event in priced.mappings():
        offer_id, price_id = f"off_{ulid_now()}", f"price_{ulid_now()}"
        ids[event["event_id"]] = (offer_id, price_id)
        offer_rows.append(
            {
                "offer_id": offer_id,
                "kind": "ticket",
                "scope_kind": "event",
                "scope_id": event["event_id"],
                "name": "Ticket",
                "is_default": True,
                "provider_product_id": event["stripe_product_id"],
                "provider_setup_status": event["stripe_setup_status"],
                "archived_at": None if event["is_paid_event"] else now,
                "created_at": event["created_at"],
                "updated_at": event["updated_at"],
            }
        )
        price_rows.append(
            {
                "price_id": price_id,
                "offer_id": offer_id,
                "name": "",
                "amount": event["price_amount"],
                "currency": event["currency"],
                "sale_starts": None,
                "sale_ends": None,
                "quantity": None,
                "sold": sold[event["event_id"]],
                "provider_price_id": event["stripe_price_id"],
                "position": 0,
                "archived_at": None,
                "created_at": event["created_at"],
                "updated_at": event["updated_at"],
            }
        )
    for start in range(0, len(offer_rows), BATCH):
        op.bulk_insert(offers, offer_rows[start : start + BATCH])
        op.bulk_insert(prices, price_rows[start : start + BATCH])
    for event_id, (offer_id, price_id) in ids.items():
        connection.execute(
            sa.update(payments).where(payments.c.event_id == event_id).values(offer_id=offer_id, price_id=price_id)
        )
    # "requires payment" is now an active ticket offer with a price: a paid event without a price had none
    connection.execute(
        sa.update(events)
        .where(events.c.is_paid_event.is_(True), sa.or_(events.c.price_amount.is_(None), events.c.currency.is_(None)))
        .values(is_paid_event=False)
    )


def downgrade() -> None:
    for name, kind in MOVED:
        op.add_column("events", sa.Column(name, kind, nullable=True))
    _restore_event_prices()
    op.drop_index("ix_payments_price_id", table_name="payments")
    for name in ("unit_held", "price_id", "offer_id"):
        op.execute(f"ALTER TABLE payments DROP COLUMN {name}")
    op.drop_index("ix_prices_offer_id_position", table_name="prices")
    op.drop_table("prices")
    op.drop_index("uq_offers_default", table_name="offers")
    op.drop_index("ix_offers_scope_kind_scope_id", table_name="offers")
    op.drop_table("offers")


def _restore_event_prices() -> None:
    """The default offer's first price back onto its event (other offers and prices have no place there)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT o.scope_id, p.amount, p.currency, o.provider_product_id, p.provider_price_id,"
            " o.provider_setup_status FROM offers o JOIN prices p ON p.offer_id = o.offer_id"
            " WHERE o.is_default AND o.scope_kind = 'event' AND p.archived_at IS NULL"
            " ORDER BY o.scope_id, p.position DESC, p.price_id DESC"
        )
    )
    first = {row[0]: row for row in rows}  # the last row per event wins: the first by position
    update = sa.text(
        "UPDATE events SET price_amount = :amount, currency = :currency, stripe_product_id = :product,"
        " stripe_price_id = :price, stripe_setup_status = :status WHERE event_id = :event_id"
    )
    for event_id, amount, currency, product, price, status in first.values():
        connection.execute(
            update,
            {
                "amount": amount,
                "currency": currency,
                "product": product,
                "price": price,
                "status": status,
                "event_id": event_id,
            },
        )
