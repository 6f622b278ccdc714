"""The bell in Chromium: a signed-in viewer's unread count appears without a reload when a reminder is written,
the panel lists it, "Mark all read" clears the count, and the email preferences save from the account page."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, expect

from golive.notify import service
from golive.notify.models import NotificationType
from golive.notify.service import NewNotification
from golive.platform.db import Database
from tests.e2e.conftest import SCREENSHOTS, Site, running_site
from tests.e2e.test_account_purchase import sign_up_here

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def bell_site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(
        fresh_database_url,
        tmp_path_factory.mktemp("bell"),
        GOLIVE_EMBEDDED_WORKER="false",
        GOLIVE_NOTIFICATION_POLL_SECONDS="1",  # the test writes as the job worker would: found by the poll
    ) as running:
        yield running


def remind(database_url: str, account_id: str, title: str, link: str) -> None:
    async def write() -> None:
        db = Database(database_url)
        try:
            async with db.sessionmaker() as session:
                note = NewNotification(NotificationType.EVENT_STARTING_SOON, title, "Be there.", link=link)
                await service.notify(session, account_id, note)
                await session.commit()
        finally:
            await db.dispose()

    with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
        pool.submit(asyncio.run, write()).result()


def test_the_bell_counts_a_new_reminder_live_and_mark_all_read_clears_it(
    bell_site: Site, browser: Browser, fresh_database_url: str
) -> None:
    event_id = bell_site.open_event(title="Launch night", eventType="live")
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(bell_site.url("/account/signup"))
        sign_up_here(page, bell_site, "ada@example.com", "Ada")
        expect(page.get_by_test_id("account-home")).to_be_visible()
        me = page.request.get(bell_site.url("/api/account")).json()

        page.goto(bell_site.url("/"))
        bell = page.get_by_test_id("bell")
        expect(bell).to_have_accessible_name("Notifications")
        remind(fresh_database_url, me["accountId"], "Launch night starts in 15 minutes", f"/e/{event_id}")
        expect(page.get_by_test_id("bell-count")).to_have_text("1")  # no reload: the stream told it
        expect(bell).to_have_accessible_name("Notifications, 1 unread")

        bell.focus()
        page.keyboard.press("Enter")
        panel = page.get_by_test_id("bell-panel")
        expect(panel.get_by_test_id("bell-item")).to_have_count(1)
        expect(panel).to_contain_text("Launch night starts in 15 minutes")
        page.screenshot(path=str(SCREENSHOTS / "notification-bell.png"))
        panel.get_by_test_id("bell-read-all").click()
        expect(page.get_by_test_id("bell-count")).to_have_count(0)
        page.keyboard.press("Escape")
        expect(panel).to_have_count(0)
        expect(bell).to_be_focused()

        page.goto(bell_site.url("/account"))
        reminders = page.get_by_test_id("pref-reminderEmails")
        expect(reminders).to_be_enabled()
        expect(reminders).not_to_be_checked()
        with page.expect_response(lambda r: r.url.endswith("/notification-preferences") and r.request.method == "PUT"):
            reminders.check()
        expect(reminders).to_be_checked()
        page.reload()  # what the server kept, not what the page shows
        expect(page.get_by_test_id("pref-reminderEmails")).to_be_checked()
        expect(page.get_by_test_id("pref-announcementEmails")).not_to_be_checked()
        assert page.request.get(bell_site.url("/api/account/notifications")).json()["unread"] == 0
    finally:
        context.close()
