"""The payments screens in a real Chromium against a real server: a viewer pays through the built-in test
provider's checkout, an owner refunds it in parts (one refusal shown next to the amount), revenue follows,
and an editor sees the same ledger with no refund button."""

from __future__ import annotations

import re
import secrets
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.admin_fixtures import AdminApi, admin_server, log_in, owner_api, owner_page, page, screenshot
from tests.live_server import LiveServer

__all__ = ["admin_server", "owner_api", "owner_page", "page"]

pytestmark = pytest.mark.e2e

SUCCESS_CARD = "4242 4242 4242 4242"


def unique(title: str) -> str:
    return f"{title} {secrets.token_hex(3)}"


def paid_event(api: AdminApi, title: str, price: int = 2500, currency: str = "USD") -> str:
    event = api.create_event(
        title=title, isPaidEvent=True, priceAmount=price, currency=currency, accessType="anonymous"
    )
    event_id = str(event["eventId"])
    for target in ("scheduled", "live"):
        api.transition(event_id, target)
    return event_id


def pay(server: LiveServer, api: AdminApi, event_id: str, email: str) -> str:
    """A viewer registers, opens the checkout the API hands out and pays with the success test card, as a
    browser's form post would; returns the payment once the provider's webhook marked it succeeded."""
    with httpx.Client(base_url=server.base_url, timeout=30) as viewer:
        joined = viewer.post("/api/registrations", json={"eventId": event_id, "clientViewerId": secrets.token_hex(8)})
        assert joined.status_code == 200, joined.text
        started = viewer.post(
            f"/api/events/{event_id}/checkout", headers={"Authorization": f"Bearer {joined.json()['token']}"}
        )
        assert started.status_code == 200, started.text
        checkout_url = started.json()["checkoutUrl"]
        form = viewer.get(checkout_url)
        assert form.status_code == 200 and 'name="cardNumber"' in form.text
        paid = viewer.post(
            checkout_url,
            data={
                "email": email,
                "cardNumber": SUCCESS_CARD,
                "cardExpiry": "12/40",
                "cardCvc": "123",
                "cardName": "Pat",
            },
        )
        assert paid.status_code == 303, paid.text
    deadline = time.monotonic() + 20
    while True:
        listed = api.http.get("/api/payments", params={"eventId": event_id}).json()["items"]
        if listed and listed[0]["status"] == "succeeded":
            return str(listed[0]["paymentId"])
        assert time.monotonic() < deadline, f"the payment never succeeded: {listed}"
        time.sleep(0.2)


def test_owner_refunds_part_then_the_rest_and_revenue_follows(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer
) -> None:
    page = owner_page
    title = unique("Paid masterclass")
    event_id = paid_event(owner_api, title)
    email = f"payer-{secrets.token_hex(3)}@example.com"
    payment_id = pay(admin_server, owner_api, event_id, email)

    page.get_by_test_id("nav-payments").click()
    page.get_by_test_id("filter-payment-event").select_option(event_id)
    expect(page).to_have_url(re.compile(rf"eventId={event_id}"))
    row = page.get_by_test_id("payment-row").filter(has_text=email)
    expect(row.get_by_test_id("payment-status")).to_have_text("Succeeded")
    expect(row.get_by_test_id("payment-amount")).to_contain_text("$25.00")
    net = page.get_by_test_id("revenue-total").filter(has_text="USD").get_by_test_id("revenue-total-net")
    expect(net).to_have_text("$25.00")
    expect(page.get_by_test_id("viewer-funnel-chart").locator('[data-key="anonymous:success"]')).to_have_attribute(
        "data-value", "1"
    )

    # A partial refund: more than was paid is refused before anything is sent; then 10 of 25.
    row.get_by_test_id("refund-button").click()
    dialog = page.get_by_test_id("refund-dialog")
    dialog.get_by_test_id("refund-partial").check()
    dialog.get_by_test_id("refund-amount").fill("30")
    dialog.get_by_test_id("refund-review").click()
    expect(dialog.get_by_test_id("refund-amount-error")).to_contain_text("At most $25.00")
    dialog.get_by_test_id("refund-amount").fill("10")
    dialog.get_by_test_id("refund-reason").fill("Left after the first hour")
    dialog.get_by_test_id("refund-review").click()
    expect(dialog.get_by_test_id("refund-confirm-text")).to_contain_text("$10.00")
    dialog.get_by_test_id("refund-confirm").click()
    expect(page.get_by_test_id("payments-notice")).to_contain_text("Refunded $10.00")
    expect(row.get_by_test_id("payment-refunded")).to_contain_text("$10.00 refunded")
    expect(row.get_by_test_id("payment-status")).to_have_text("Succeeded")
    expect(net).to_have_text("$15.00")

    # Someone else refunds 5 meanwhile: asking for the 15 the dialog thought was left is refused by the
    # server, and its reason appears next to the amount.
    row.get_by_test_id("refund-button").click()
    dialog.get_by_test_id("refund-partial").check()
    dialog.get_by_test_id("refund-amount").fill("15")
    dialog.get_by_test_id("refund-review").click()
    elsewhere = owner_api.http.post(f"/api/payments/{payment_id}/refund", json={"amount": 500})
    assert elsewhere.status_code == 200, elsewhere.text
    dialog.get_by_test_id("refund-confirm").click()
    expect(dialog.get_by_test_id("refund-amount-error")).to_contain_text("at most 1000")
    expect(dialog.get_by_test_id("refund-amount")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "payments-refund")

    # The rest, whatever it is now: the payment becomes refunded and the event nets nothing.
    dialog.get_by_test_id("refund-full").check()
    expect(dialog).to_contain_text("$10.00")
    dialog.get_by_test_id("refund-review").click()
    expect(dialog.get_by_test_id("refund-confirm-text")).to_contain_text("access")
    dialog.get_by_test_id("refund-confirm").click()
    expect(row.get_by_test_id("payment-status")).to_have_text("Refunded")
    expect(row.get_by_test_id("refund-button")).to_have_count(0)
    expect(net).to_have_text("$0.00")
    expect(
        page.get_by_test_id("revenue-total").filter(has_text="USD").get_by_test_id("revenue-total-detail")
    ).to_contain_text("$25.00 refunded")

    page.get_by_test_id("filter-payment-status").select_option("refunded")
    expect(page.get_by_test_id("payment-row")).to_have_count(1)
    page.get_by_test_id("filter-payment-status").select_option("succeeded")
    expect(page.get_by_test_id("payments-empty")).to_be_visible()

    # every event again: its row in the revenue table shows the refund too
    page.get_by_test_id("filter-payment-status").select_option("")
    page.get_by_test_id("filter-payment-event").select_option("")
    revenue_row = page.locator(f'[data-testid="revenue-event-row"][data-event-id="{event_id}"]')
    expect(revenue_row.get_by_test_id("revenue-event-refunded")).to_have_text("$25.00")
    expect(revenue_row.get_by_test_id("revenue-event-net")).to_have_text("$0.00")
    screenshot(page, "payments")


def test_a_paid_event_shows_its_payments_revenue_and_viewer_funnel(
    owner_page: Page, owner_api: AdminApi, admin_server: LiveServer
) -> None:
    page = owner_page
    title = unique("Concert stream")
    event_id = paid_event(owner_api, title, price=1200, currency="EUR")
    emails = [f"fan{n}-{secrets.token_hex(2)}@example.com" for n in range(2)]
    for email in emails:
        pay(admin_server, owner_api, event_id, email)
    # one more viewer who registers, presses "Pay" and never pays
    joined = httpx.post(
        f"{admin_server.base_url}/api/registrations", json={"eventId": event_id, "clientViewerId": secrets.token_hex(8)}
    )
    assert joined.status_code == 200, joined.text
    started = httpx.post(
        f"{admin_server.base_url}/api/events/{event_id}/checkout",
        headers={"Authorization": f"Bearer {joined.json()['token']}"},
    )
    assert started.status_code == 200, started.text

    page.goto(f"/admin/events/{event_id}")
    page.get_by_test_id("payments-link").click()
    expect(page).to_have_url(re.compile(rf"/admin/events/{event_id}/payments$"))
    # the viewer who did not pay has an open checkout: a pending payment, counted nowhere in revenue
    expect(page.get_by_test_id("payment-row")).to_have_count(3)
    expect(page.locator('[data-testid="payment-row"][data-status="succeeded"]')).to_have_count(2)
    unpaid = page.locator('[data-testid="payment-row"]:not([data-status="succeeded"])')
    expect(unpaid.get_by_test_id("payment-status")).to_have_text(re.compile(r"^(Created|Pending)$"))
    expect(page.get_by_test_id("revenue-total-net")).to_have_text("€24.00")
    chart = page.get_by_test_id("viewer-funnel-chart")
    expect(chart.locator('[data-key="anonymous:success"]')).to_have_attribute("data-value", "2")
    expect(chart.locator('[data-key="anonymous:none"]')).to_have_attribute("data-value", "1")
    expect(page.get_by_test_id("viewer-funnel-total")).to_contain_text("3 registered")

    page.get_by_test_id("payments-search").fill(emails[1])
    expect(page.get_by_test_id("payment-row")).to_have_count(1)
    expect(page.get_by_test_id("payment-email")).to_have_text(emails[1])
    csv_href = page.get_by_test_id("payments-csv").get_attribute("href")
    assert csv_href is not None and "format=csv" in csv_href and f"eventId={event_id}" in csv_href
    csv = page.request.get(csv_href)
    assert csv.ok and emails[1] in csv.text() and emails[0] not in csv.text()
    page.get_by_test_id("payments-search").fill("")
    expect(page.get_by_test_id("payment-row")).to_have_count(3)
    screenshot(page, "payments-event")


def test_an_editor_sees_payments_but_no_refund_button(
    page: Page, owner_api: AdminApi, admin_server: LiveServer
) -> None:
    event_id = paid_event(owner_api, unique("Editor can look"))
    email = f"seen-{secrets.token_hex(3)}@example.com"
    payment_id = pay(admin_server, owner_api, event_id, email)
    editor_email = f"editor-{secrets.token_hex(3)}@example.com"
    created = owner_api.http.post(
        "/api/admins",
        json={"name": "Eddie Editor", "email": editor_email, "password": "editor password 1", "role": "editor"},
    )
    assert created.status_code == 201, created.text

    log_in(page, editor_email, "editor password 1")
    page.get_by_test_id("nav-payments").click()
    page.get_by_test_id("filter-payment-event").select_option(event_id)
    row = page.get_by_test_id("payment-row").filter(has_text=email)
    expect(row.get_by_test_id("payment-status")).to_have_text("Succeeded")
    expect(page.get_by_test_id("payments-read-only")).to_be_visible()
    expect(page.get_by_test_id("refund-button")).to_have_count(0)
    expect(page.get_by_test_id("revenue-total")).to_have_count(1)  # this event's revenue, not every event's
    expect(page.get_by_test_id("revenue-total-net")).to_have_text("$25.00")

    # the server agrees: the editor's own session (with its CSRF token) cannot refund either
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "golive_csrf")
    refused = page.request.post(f"/api/payments/{payment_id}/refund", data={}, headers={"X-CSRF-Token": csrf})
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "insufficient_role"
