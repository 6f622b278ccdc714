"""A paid event in real Chromium with the built-in test provider: the viewer pays on its checkout page,
its signed webhook comes back over HTTP, and only then does the video play. Declines and asynchronous
failures say "payment failed, try again"; asynchronous successes wait; a refund takes access away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, Site, running_site
from tests.e2e.test_viewer_gates import expect_video_plays, shoot

pytestmark = pytest.mark.e2e

SUCCEEDS, DECLINED = "4242 4242 4242 4242", "4000 0000 0000 0002"
SETTLES_LATER, FAILS_LATER = "4000 0000 0000 0077", "4000 0000 0000 0093"


@pytest.fixture(scope="module")
def paid_site(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The platform with its job worker on: the asynchronous test cards settle in a delayed Huey job."""
    with running_site(
        fresh_database_url,
        tmp_path_factory.mktemp("paid"),
        GOLIVE_EMBEDDED_WORKER="true",
        GOLIVE_LOCAL_ASYNC_PAYMENT_SECONDS="1",
    ) as running:
        yield running


@pytest.fixture(scope="module")
def paid_event(paid_site: Site, clip: Path) -> str:
    """One paid on-demand event with a video; every test is a new viewer (a new browser context)."""
    return paid_site.open_event(
        title="Paid masterclass", video=clip, isPaidEvent=True, priceAmount=1200, currency="USD"
    )


@pytest.fixture
def viewer_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


def open_checkout(page: Page, site: Site, event_id: str) -> None:
    """The viewer passes the (open) gate, sees the price, and goes to the checkout."""
    page.goto(site.url(f"/e/{event_id}"))
    page.get_by_test_id("gate-submit").click()
    overlay = page.get_by_test_id("payment-overlay")
    expect(overlay).to_have_attribute("data-state", "due")
    expect(page.get_by_test_id("price")).to_have_text("$12.00")
    page.get_by_test_id("pay-button").click()
    expect(page.get_by_test_id("checkout-form")).to_be_visible()


def pay_with(page: Page, number: str, email: str) -> None:
    page.get_by_test_id("checkout-email").fill(email)
    page.get_by_test_id("checkout-card-number").fill(number)
    page.get_by_test_id("checkout-card-expiry").fill("12 / 34")
    page.get_by_test_id("checkout-card-cvc").fill("123")
    page.get_by_test_id("checkout-submit").click()


def payment_of(site: Site, event_id: str, email: str) -> dict[str, object]:
    listed = httpx.get(
        site.url("/api/payments"), params={"eventId": event_id, "q": email}, headers=site.admin_headers
    ).json()
    assert listed["total"] == 1, listed
    payment: dict[str, object] = listed["items"][0]
    return payment


def test_the_success_card_pays_and_the_video_plays_with_a_receipt_emailed(
    paid_site: Site, paid_event: str, viewer_page: Page
) -> None:
    page = viewer_page
    open_checkout(page, paid_site, paid_event)
    expect(page.get_by_test_id("checkout-amount")).to_have_text("12.00 USD")
    shoot(page, "checkout-local.png")
    pay_with(page, SUCCEEDS, "ada@example.com")

    expect(page.get_by_test_id("player").first).to_be_visible(timeout=15_000)
    expect_video_plays(page)
    assert "checkout=" not in page.url  # the return marker is dropped once the viewer is in
    receipt = paid_site.smtp.wait_for("ada@example.com")
    assert "12.00 USD" in receipt.text and "Paid masterclass" in str(receipt.message["Subject"])
    payment = payment_of(paid_site, paid_event, "ada@example.com")
    assert payment["status"] == "succeeded" and payment["paymentMethod"] == "visa •••• 4242"


def test_a_payer_on_a_new_device_restores_access_with_the_emailed_code_and_does_not_pay_again(
    paid_site: Site, paid_event: str, viewer_page: Page, browser: Browser
) -> None:
    open_checkout(viewer_page, paid_site, paid_event)
    pay_with(viewer_page, SUCCEEDS, "fay@example.com")
    expect(viewer_page.get_by_test_id("player").first).to_be_visible(timeout=15_000)

    phone = browser.new_context(viewport={"width": 390, "height": 740})
    try:
        page = phone.new_page()
        page.goto(paid_site.url(f"/e/{paid_event}"))
        page.get_by_test_id("restore-purchase").click()
        page.get_by_test_id("field-email").fill("fay@example.com")
        page.get_by_test_id("gate-submit").click()
        expect(page.get_by_test_id("code-sent")).to_contain_text("fay@example.com")
        shoot(page, "purchase-restore.png")
        code = re.search(r"\b(\d{6})\b", paid_site.smtp.wait_for("fay@example.com").text)
        assert code is not None
        page.get_by_test_id("field-code").fill(code.group(1))
        page.get_by_test_id("gate-submit").click()
        expect_video_plays(page)
    finally:
        phone.close()
    assert payment_of(paid_site, paid_event, "fay@example.com")["status"] == "succeeded"  # still one payment


def test_a_declined_card_says_payment_failed_and_another_try_succeeds(
    paid_site: Site, paid_event: str, viewer_page: Page
) -> None:
    page = viewer_page
    open_checkout(page, paid_site, paid_event)
    first_checkout = page.url
    pay_with(page, DECLINED, "bob@example.com")
    expect(page.get_by_test_id("checkout-error")).to_have_text("Your card was declined.")
    # the ledger names the payer by the address typed on the checkout page (the gate asked for none)
    declined = payment_of(paid_site, paid_event, "bob@example.com")
    assert declined["status"] == "failed" and declined["viewerEmail"] == "bob@example.com"

    page.get_by_test_id("checkout-cancel").click()  # back to the event, as a viewer would
    overlay = page.get_by_test_id("payment-overlay")
    expect(overlay).to_have_attribute("data-state", "failed")
    expect(page.get_by_test_id("payment-failed")).to_be_visible()
    shoot(page, "payment-failed.png")

    page.get_by_test_id("pay-button").click()
    expect(page.get_by_test_id("checkout-form")).to_be_visible()
    assert page.url == first_checkout  # the same checkout, not a second payment
    pay_with(page, SUCCEEDS, "bob@example.com")
    expect_video_plays(page)
    assert payment_of(paid_site, paid_event, "bob@example.com")["status"] == "succeeded"  # still one payment


def test_looking_at_the_paywall_leaves_no_payment_until_the_viewer_presses_pay(
    paid_site: Site, viewer_page: Page
) -> None:
    page = viewer_page
    event_id = paid_site.open_event(title="Paywall only", isPaidEvent=True, priceAmount=500, currency="USD")
    page.goto(paid_site.url(f"/e/{event_id}"))
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("payment-overlay")).to_have_attribute("data-state", "due")
    page.reload()
    expect(page.get_by_test_id("payment-overlay")).to_be_visible()

    def ledger() -> list[dict[str, object]]:
        listed = httpx.get(
            paid_site.url("/api/payments"), params={"eventId": event_id}, headers=paid_site.admin_headers
        ).json()
        items: list[dict[str, object]] = listed["items"]
        return items

    assert ledger() == []
    page.get_by_test_id("pay-button").click()
    expect(page.get_by_test_id("checkout-form")).to_be_visible()
    [opened] = ledger()
    assert opened["status"] == "pending"


def test_an_asynchronous_payment_waits_for_its_confirmation_then_plays(
    paid_site: Site, paid_event: str, viewer_page: Page
) -> None:
    page = viewer_page
    open_checkout(page, paid_site, paid_event)
    pay_with(page, SETTLES_LATER, "cleo@example.com")

    expect(page.get_by_test_id("payment-waiting")).to_be_visible()
    shoot(page, "payment-waiting.png")
    # the Huey job settles it after GOLIVE_LOCAL_ASYNC_PAYMENT_SECONDS; the page polls and starts the video
    expect(page.get_by_test_id("player").first).to_be_visible(timeout=30_000)
    expect_video_plays(page)


def test_an_asynchronous_failure_ends_in_payment_failed_try_again(
    paid_site: Site, paid_event: str, viewer_page: Page
) -> None:
    page = viewer_page
    open_checkout(page, paid_site, paid_event)
    pay_with(page, FAILS_LATER, "dan@example.com")

    expect(page.get_by_test_id("payment-waiting")).to_be_visible()
    expect(page.get_by_test_id("payment-overlay")).to_have_attribute("data-state", "failed", timeout=30_000)
    expect(page.get_by_test_id("pay-button")).to_be_visible()
    assert payment_of(paid_site, paid_event, "dan@example.com")["status"] == "failed"


def test_a_refund_by_an_admin_takes_the_viewers_access_away(
    paid_site: Site, paid_event: str, viewer_page: Page
) -> None:
    page = viewer_page
    open_checkout(page, paid_site, paid_event)
    pay_with(page, SUCCEEDS, "eve@example.com")
    expect_video_plays(page)
    payment = payment_of(paid_site, paid_event, "eve@example.com")
    token = page.evaluate(TOKEN_OF, paid_event)
    assert token

    refunded = httpx.post(
        paid_site.url(f"/api/payments/{payment['paymentId']}/refund"),
        json={"reason": "e2e"},
        headers=paid_site.admin_headers,
    )
    assert refunded.status_code == 200 and refunded.json()["status"] == "refunded", refunded.text

    page.reload()  # the stored token now opens nothing: the player is refused and the overlay explains
    expect(page.get_by_test_id("payment-overlay")).to_have_attribute("data-state", "refunded", timeout=15_000)
    expect(page.get_by_test_id("player")).to_have_count(0)
    playback = httpx.get(
        paid_site.url(f"/api/events/{paid_event}/playback"), headers={"Authorization": f"Bearer {token}"}
    )
    assert playback.status_code == 403 and playback.json()["error"]["code"] == "not_admitted"


TOKEN_OF = "eventId => sessionStorage.getItem(`golive.token.${eventId}`)"


def test_the_embed_opens_the_checkout_in_a_new_tab_and_plays_once_paid(
    paid_site: Site, paid_event: str, viewer_page: Page
) -> None:
    """Providers refuse to be framed: the embed's "Pay" opens the checkout in a tab of its own (opened during
    the click, so popup blockers let it through) and waits for the payment meanwhile."""
    page = viewer_page
    page.goto(paid_site.url(f"/embed/{paid_event}"))
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("payment-overlay")).to_have_attribute("data-state", "due")
    with page.context.expect_page() as opened:
        page.get_by_test_id("pay-button").click()
    checkout = opened.value
    expect(checkout.get_by_test_id("checkout-form")).to_be_visible()
    assert "/pay/local/" in checkout.url
    expect(page.get_by_test_id("payment-waiting")).to_be_visible()
    pay_with(checkout, SUCCEEDS, "embed.payer@example.com")

    expect(page.get_by_test_id("player").first).to_be_visible(timeout=20_000)
    assert payment_of(paid_site, paid_event, "embed.payer@example.com")["status"] == "succeeded"
