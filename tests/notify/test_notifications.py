"""The bell's notifications: a signed-in purchase's receipt, the reminders sweep (15 minutes before, live now,
access ending; emailed only to those who asked), marking read, and the email preferences."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from golive.notify import reminders, service
from golive.notify.models import Notification, NotificationPreferences, NotificationType
from golive.notify.service import NewNotification
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.settings import Settings
from tests.commerce.conftest import TINY_LADDER, loopback  # noqa: F401  (the local provider's webhooks)
from tests.commerce.support import CARD, paid_event, pay
from tests.email.smtp_sink import SmtpSink
from tests.identity.accounts.conftest import PASSWORD, Accounts
from tests.identity.accounts.test_account_rights import admit, bearer
from tests.live_server import free_port
from tests.support import AdminLogin, Factory, assert_error, new_client_viewer_id

pytestmark = pytest.mark.usefixtures("loopback")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The SMTP sink's settings, on a port the local provider's webhooks reach."""
    return settings.model_copy(update={"host": "127.0.0.1", "port": free_port(), "ladder": TINY_LADDER})


async def bell(client: httpx.AsyncClient, token: str, **query: Any) -> dict[str, Any]:
    response = await client.get("/api/account/notifications", params=query, headers=bearer(token))
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def registered(factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, token: str, **fields: Any) -> str:
    """A live event the account cleared the gate of, signed in; its id."""
    event = await factory.event(owner, eventType="live", **fields)
    moved = await client.post(
        f"/api/events/{event['eventId']}/transitions", json={"to": "scheduled"}, headers=owner.headers
    )
    assert moved.status_code == 200, moved.text
    answer = await admit(client, event["eventId"], new_client_viewer_id(), token)
    assert answer["accessVerified"] is True
    return str(event["eventId"])


async def test_a_purchase_made_signed_in_leaves_a_receipt_in_the_bell_and_reading_it_clears_the_count(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    token = await accounts.signed_up("ada@example.com")
    other = await accounts.signed_up("bob@example.com")
    event = await paid_event(factory, owner, title="Masterclass")
    owed = await admit(client, event["eventId"], new_client_viewer_id(), token)
    started = await pay(factory, event["eventId"], owed["token"])
    assert (await client.post(urlsplit(started.json()["checkoutUrl"]).path, data=CARD)).status_code == 303

    page = await bell(client, token)
    assert page["unread"] == 1 and page["total"] == 1
    receipt = page["items"][0]
    assert receipt["type"] == "purchase_receipt" and receipt["isRead"] is False
    assert receipt["title"] == "Payment received: Masterclass" and "12.00 USD" in receipt["body"]
    assert receipt["link"] == f"/e/{event['eventId']}"
    assert (await bell(client, other))["total"] == 0  # nobody else's

    mine = {"notificationIds": [receipt["notificationId"]]}
    stranger = await client.post("/api/account/notifications/read", json=mine, headers=bearer(other))
    assert stranger.status_code == 200 and (await bell(client, token))["unread"] == 1  # another account cannot
    read = await client.post("/api/account/notifications/read", json=mine, headers=bearer(token))
    assert read.status_code == 200 and read.json() == {"unread": 0}
    after = await bell(client, token)
    assert after["items"][0]["isRead"] is True and after["items"][0]["readAt"] is not None
    assert (await bell(client, token, unread="true"))["total"] == 0
    assert_error(await client.get("/api/account/notifications"), 401, "not_signed_in")
    bad = await client.post("/api/account/notifications/read", json={"notificationIds": "all"}, headers=bearer(token))
    assert_error(bad, 422, "validation_error")


async def test_the_sweep_reminds_once_before_the_start_and_when_live_and_emails_only_who_asked(
    factory: Factory,
    owner: AdminLogin,
    client: httpx.AsyncClient,
    accounts: Accounts,
    app_ctx: AppContext,
    smtp: SmtpSink,
) -> None:
    ada = await accounts.signed_up("ada@example.com")
    bob = await accounts.signed_up("bob@example.com")
    opted = await client.put(
        "/api/account/notification-preferences", json={"reminderEmails": True}, headers=bearer(bob)
    )
    assert opted.status_code == 200 and opted.json() == {"reminderEmails": True, "announcementEmails": False}
    soon = (utcnow() + timedelta(minutes=10)).isoformat()
    later = (utcnow() + timedelta(days=2)).isoformat()
    launch = await registered(factory, owner, client, ada, title="Launch", scheduledStart=soon)
    await admit(client, launch, new_client_viewer_id(), bob)
    not_yet = await registered(factory, owner, client, ada, title="Next month", scheduledStart=later)
    await admit(client, launch, new_client_viewer_id())  # a guest has no bell
    mails_before = len(smtp.received)

    assert await reminders.sweep(app_ctx) == 2  # ada's and bob's
    assert await reminders.sweep(app_ctx) == 0  # once per occasion
    [starting] = (await bell(client, ada))["items"]
    assert starting["type"] == "event_starting_soon" and starting["title"] == "Launch starts in 10 minutes"
    assert starting["eventId"] == launch and not_yet not in {starting["eventId"]}
    reminder = smtp.wait_for("bob@example.com")
    assert reminder.message["Subject"] == "Launch starts in 10 minutes" and f"/e/{launch}" in reminder.text
    assert [m for m in smtp.received[mails_before:] if "ada@example.com" in m.recipients] == []  # she did not ask

    live = await client.post(f"/api/events/{launch}/transitions", json={"to": "live"}, headers=owner.headers)
    assert live.status_code == 200, live.text
    assert await reminders.sweep(app_ctx) == 2
    newest = (await bell(client, ada))["items"][0]
    assert (newest["type"], newest["title"]) == ("event_live", "Launch is live now")


async def test_access_ending_within_a_day_is_told_once(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, title="Archive talk", accessType="email")
    ends = (utcnow() + timedelta(hours=12)).isoformat()
    invite = {"email": "ada@example.com", "validUntil": ends}
    assert (
        await client.post(f"/api/events/{event['eventId']}/grants", json=invite, headers=owner.headers)
    ).status_code == 201
    ada = await accounts.signed_up("ada@example.com")
    assert await reminders.sweep(app_ctx) == 1
    assert await reminders.sweep(app_ctx) == 0
    [expiring] = (await bell(client, ada))["items"]
    assert expiring["type"] == "access_expiring" and expiring["title"] == "Your access to Archive talk ends soon"


async def test_email_preferences_start_opted_out_and_a_kids_profile_cannot_change_them(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    token = await accounts.signed_up("ada@example.com")
    shown = await client.get("/api/account/notification-preferences", headers=bearer(token))
    assert shown.json() == {"reminderEmails": False, "announcementEmails": False}
    changed = await client.put(
        "/api/account/notification-preferences", json={"announcementEmails": True}, headers=bearer(token)
    )
    assert changed.json() == {"reminderEmails": False, "announcementEmails": True}
    bad = await client.put(
        "/api/account/notification-preferences", json={"reminderEmails": "often"}, headers=bearer(token)
    )
    assert_error(bad, 422, "validation_error")

    kids = await client.post("/api/account/profiles", json={"name": "Kid", "isKids": True}, headers=bearer(token))
    assert kids.status_code == 201, kids.text
    chosen = await client.post(
        f"/api/account/profiles/{kids.json()['profileId']}/select", json={}, headers=bearer(token)
    )
    assert chosen.status_code == 200, chosen.text
    refused = await client.put(
        "/api/account/notification-preferences", json={"reminderEmails": True}, headers=bearer(token)
    )
    assert_error(refused, 403, "kids_profile")


async def test_the_export_holds_the_notifications_and_deleting_the_account_erases_them(
    client: httpx.AsyncClient, accounts: Accounts, app_ctx: AppContext
) -> None:
    token = await accounts.signed_up("ada@example.com")
    account_id = (await accounts.me(token)).json()["accountId"]
    await client.put("/api/account/notification-preferences", json={"reminderEmails": True}, headers=bearer(token))
    async with app_ctx.db.sessionmaker() as session:
        await service.notify(session, account_id, NewNotification(NotificationType.ANNOUNCEMENT, "Season two is here"))
        await session.commit()
    data = (await client.get("/api/account/export", headers=bearer(token))).json()
    assert [n["title"] for n in data["notifications"]] == ["Season two is here"]
    assert data["emailPreferences"] == {"reminderEmails": True, "announcementEmails": False}

    deleted = await client.request("DELETE", "/api/account", json={"password": PASSWORD}, headers=bearer(token))
    assert deleted.status_code == 204, deleted.text
    async with app_ctx.db.sessionmaker() as session:
        left = await session.scalar(
            select(func.count()).select_from(Notification).where(Notification.account_id == account_id)
        )
        kept = await session.get(NotificationPreferences, account_id)
    assert left == 0 and kept is None


async def test_an_emailed_time_is_written_in_the_sites_default_time_zone(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, accounts: Accounts, app_ctx: AppContext
) -> None:
    zoned = await client.put("/api/settings", json={"timezone": "Asia/Tokyo"}, headers=owner.headers)
    assert zoned.status_code == 200, zoned.text
    event = await factory.open_event(owner, title="Night talk", accessType="email")
    ends = (utcnow() + timedelta(hours=12)).replace(minute=0, second=0, microsecond=0)
    invite = {"email": "ada@example.com", "validUntil": ends.isoformat()}
    assert (
        await client.post(f"/api/events/{event['eventId']}/grants", json=invite, headers=owner.headers)
    ).status_code == 201
    tokyo = f"{ends.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M} Asia/Tokyo"
    assert tokyo in (await factory.last_email("ada@example.com")).body_text  # the invitation
    ada = await accounts.signed_up("ada@example.com")
    await reminders.sweep(app_ctx)
    assert tokyo in (await bell(client, ada))["items"][0]["body"]  # and the bell's "ends soon"
