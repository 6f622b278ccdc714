"""The viewer pages pass axe-core (no serious or critical violation, everything inside landmarks): the event
page with its gate card and with the player, the embed on another site; the player's menu buttons are named
by what they show, the focus moves to the player once a gate opens (and a screen reader hears it), and the
page has a meta description."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.e2e.axe import assert_accessible, axe_violations
from tests.e2e.conftest import ParentSite, Site
from tests.e2e.test_viewer_gates import expect_video_plays

pytestmark = pytest.mark.e2e

FIELDS = [
    {"name": "name", "label": "Name", "type": "text", "required": True},
    {"name": "email", "label": "Email", "type": "email", "required": True},
    {"name": "plan", "label": "Plan", "type": "select", "options": ["Free", "Pro"], "required": True},
    {"name": "terms", "label": "I agree to the terms", "type": "checkbox", "required": True},
]


def outside_landmarks(target: Page | Frame) -> list[str]:
    return [target for v in axe_violations(target) if v["id"] == "region" for target in v["targets"]]


def test_the_event_page_gate_and_player_pass_axe_and_the_focus_follows_the_gate(
    site: Site, page: Page, clip: Path
) -> None:
    event_id = site.open_event(
        title="Accessible town hall",
        description="Questions and answers with the **whole** team, live from the main hall.",
        accessType="form",
        formFields=FIELDS,
        video=clip,
    )
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-form")).to_be_visible()
    assert_accessible(page, "the event page with its form gate")
    assert outside_landmarks(page) == [], "page chrome outside any landmark"
    summary = "Questions and answers with the whole team, live from the main hall."
    expect(page.locator("meta[name=description]")).to_have_attribute("content", summary)

    page.get_by_test_id("field-name").fill("Alan Turing")
    page.get_by_test_id("field-email").fill("alan@example.com")
    page.get_by_test_id("field-plan").select_option("Pro")
    page.get_by_test_id("field-terms").check()
    page.get_by_test_id("gate-submit").press("Enter")  # a keyboard user

    expect(page.get_by_test_id("access-announcement")).to_have_text("You are in. The video player is open.")
    expect_video_plays(page)
    focused = page.get_by_test_id("player").and_(page.locator(":focus"))
    expect(focused).to_have_count(1)  # the keyboard is on the player, not back at the page's start
    page.keyboard.press("k")  # and the player's own keys work at once
    page.wait_for_function("() => document.querySelector('video').paused")

    # the speed button's name contains what it shows
    expect(page.get_by_role("button", name="Playback speed: 1\u00d7")).to_have_count(1)
    page.get_by_test_id("player").hover()
    assert_accessible(page, "the event page with the player")


def test_a_paid_gate_card_and_the_embed_on_another_site_pass_axe(
    site: Site, page: Page, parent_site: ParentSite
) -> None:
    event_id = site.open_event(title="Accessible premiere", isPaidEvent=True, priceAmount=500, currency="EUR")
    page.goto(site.url(f"/e/{event_id}"))
    expect(page.get_by_test_id("gate-anonymous")).to_be_visible()
    assert_accessible(page, "a paid event's gate card")
    page.get_by_test_id("gate-submit").click()
    expect(page.get_by_test_id("payment-overlay")).to_be_visible()
    assert_accessible(page, "the payment card")

    parent_site.publish(
        "a11y.html",
        "<!doctype html><html lang='en'><title>Partner</title><main><h1>Partner</h1>"
        f"<iframe title='Accessible premiere' src='{site.url(f'/embed/{event_id}')}' "
        "style='width:100%;aspect-ratio:16/9;border:0'></iframe></main></html>",
    )
    page.goto(parent_site.url("localhost", "a11y.html"))
    expect(page.frame_locator("iframe").get_by_test_id("embed")).to_be_visible(timeout=10_000)
    frame = page.frames[1]
    assert_accessible(frame, "the embed")
    assert outside_landmarks(frame) == [], "embed content outside any landmark"
