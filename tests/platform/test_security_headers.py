"""Every answer says nosniff and a referrer policy; only the event page and the embed may be framed, and only
by whom the event allows; the console and the other site pages refuse any frame."""

from __future__ import annotations

import httpx

from tests.support import AdminLogin, Factory

NO_FRAMES = "frame-ancestors 'none'"


def assert_common_headers(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff", response.request.url
    # the local checkout page keeps its own, stricter policy
    assert response.headers["referrer-policy"] in {"strict-origin-when-cross-origin", "no-referrer"}, response.url


async def test_the_console_and_site_pages_refuse_every_frame(client: httpx.AsyncClient) -> None:
    for path in ("/", "/admin", "/admin/events/01JSOMEEVENT", "/pay/local/cs_unknown", "/docs"):
        response = await client.get(path)
        assert_common_headers(response)
        assert response.headers["content-security-policy"] == NO_FRAMES, path
        assert response.headers["x-frame-options"] == "DENY", path


async def test_the_event_page_may_be_framed_by_its_allowed_domains_only(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    limited = await factory.event(owner, embedSettings={"allowedDomains": ["partner.example"]})
    unlisted = await factory.event(owner)
    pages = {
        f"/e/{limited['eventId']}": "frame-ancestors 'self' https://partner.example http://partner.example",
        f"/e/{unlisted['eventId']}": "frame-ancestors 'self'",  # an open embed does not open the event page
        "/e/01JNOSUCHEVENT": "frame-ancestors 'self'",
        f"/embed/{unlisted['eventId']}": "frame-ancestors *",
    }
    for path, policy in pages.items():
        response = await client.get(path)
        assert_common_headers(response)
        assert response.headers["content-security-policy"] == policy, path
        assert "x-frame-options" not in response.headers, path


async def test_api_answers_and_refusals_at_the_edge_carry_the_headers(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event = await factory.open_event(owner)
    answers = [
        await client.get(f"/api/events/{event['eventId']}"),
        await client.get("/api/events/01JNOSUCHEVENT"),  # a route's 404
        await factory.register(event["eventId"]),  # the admission lane
        await client.get("/api/events/a%00b"),  # refused ahead of every route
        await client.post("/api/registrations", content=b"x" * (2 * 1024 * 1024)),  # the body limit's 413
        await client.get("/healthz"),
    ]
    assert [r.status_code for r in answers] == [200, 404, 200, 400, 413, 200]
    for response in answers:
        assert_common_headers(response)
        assert response.headers["content-security-policy"] == NO_FRAMES
