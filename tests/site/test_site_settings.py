"""The white-label settings: who may change them, what is refused, and that pages and emails carry them."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy import select

from golive.audit.models import AuditLog
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from tests.email.conftest import settings, smtp  # noqa: F401  (the app mails through a real SMTP sink)
from tests.email.smtp_sink import SmtpSink
from tests.support import AdminLogin, Factory, assert_error


def png(width: int, height: int, color: str = "#1d4ed8") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


async def test_a_new_site_reads_the_defaults_and_shows_no_private_field(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/settings")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["platformName"] == "GoLive"
    assert body["primaryColor"] == "#4f46e5"
    assert body["logoUrl"] is None and body["heroBackgroundUrl"] is None
    assert "emailFromName" not in body and "aboutContent" not in body and "updatedBy" not in body


async def test_owners_and_admins_change_the_site_and_editors_and_strangers_cannot(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    editor = await factory.admin(AdminRole.EDITOR)
    admin = await factory.admin(AdminRole.ADMIN)
    change = {"platformName": "Acme TV"}
    assert_error(await client.put("/api/settings", json=change), 401, "not_authenticated")
    assert_error(await client.put("/api/settings", json=change, headers=editor.headers), 403, "insufficient_role")
    assert_error(await client.get("/api/admin/settings", headers=editor.headers), 403, "insufficient_role")
    assert (await client.get("/api/settings")).json()["platformName"] == "GoLive"

    saved = await client.put(
        "/api/settings",
        json={"platformName": "Acme TV", "primaryColor": "#0F766E", "emailFromName": "Acme Events"},
        headers=admin.headers,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["primaryColor"] == "#0f766e"
    assert saved.json()["updatedBy"] == admin.admin_id
    public = (await client.get("/api/settings")).json()
    assert (public["platformName"], public["primaryColor"]) == ("Acme TV", "#0f766e")
    by_owner = await client.put("/api/settings", json={"heroTitle": "Tonight on Acme"}, headers=owner.headers)
    assert by_owner.status_code == 200 and by_owner.json()["platformName"] == "Acme TV"  # the rest is kept

    async with app_ctx.db.sessionmaker() as session:
        entries = list(await session.scalars(select(AuditLog).where(AuditLog.action == "site.update")))
    first = next(e for e in entries if e.actor_id == admin.admin_id)
    assert first.before is not None and first.after is not None
    assert (first.before["platformName"], first.after["platformName"]) == ("GoLive", "Acme TV")


async def test_a_primary_colour_that_makes_buttons_unreadable_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, owner: AdminLogin
) -> None:
    for color, fragment in (("#ffff00", "1.1:1"), ("#3b82f6", "3.7:1")):
        error = assert_error(
            await client.put("/api/settings", json={"primaryColor": color, "platformName": "X"}, headers=owner.headers),
            422,
            "validation_error",
        )
        assert fragment in str(error["details"]) and "4.5:1" in str(error["details"])
    assert_error(
        await client.put("/api/settings", json={"primaryColor": "blue"}, headers=owner.headers), 422, "validation_error"
    )
    assert (await client.get("/api/settings")).json()["platformName"] == "GoLive"


async def test_bad_fields_are_named_and_nothing_is_saved(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    bad = [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"socialLinks": {"myspace": "https://myspace.com/acme"}}, "socialLinks"),
        ({"socialLinks": {"instagram": "not a url"}}, "socialLinks"),
        ({"contactEmail": "nobody"}, "contactEmail"),
        ({"heroCtaLink": "javascript:alert(1)"}, "heroCtaLink"),
        ({"platformName": ""}, "platformName"),
        ({"platformName": None}, "platformName"),
        ({"emailFromName": "Acme\r\nBcc: everyone@example.com"}, "emailFromName"),
        ({"heroCtaText": "Watch now"}, "heroCtaLink"),  # a call to action needs its link
        ({"featuredEventIds": ["x"] * 13}, "featuredEventIds"),
        ({"colour": "#000000"}, "colour"),
    ]
    for body, field in bad:
        response = await client.put("/api/settings", json={**body}, headers=owner.headers)
        error = assert_error(response, 422, "validation_error")
        assert field in str(error["details"]), (body, error)
    after = (await client.get("/api/admin/settings", headers=owner.headers)).json()
    assert after["heroCtaText"] is None and after["timezone"] == "UTC" and after["socialLinks"] == {}


async def test_the_about_page_is_markdown_rendered_and_sanitized(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    markdown = "## Who we are\n\nA [link](https://acme.example) <script>alert(1)</script> [x](javascript:alert(1))"
    saved = await client.put("/api/settings", json={"aboutContent": markdown}, headers=owner.headers)
    assert saved.status_code == 200, saved.text
    html = (await client.get("/api/settings")).json()["aboutHtml"]
    assert "<h2>Who we are</h2>" in html and 'href="https://acme.example"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html and 'href="javascript' not in html
    assert saved.json()["aboutContent"] == markdown  # the console edits what was written


async def test_only_published_events_can_be_featured(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    draft = await factory.event(owner, title="Not yet")
    first = await factory.open_event(owner, title="First")
    second = await factory.open_event(owner, title="Second")
    for ids in ([draft["eventId"]], ["01NOSUCHEVENT0000000000000"], [first["eventId"], first["eventId"]]):
        assert_error(
            await client.put("/api/settings", json={"featuredEventIds": ids}, headers=owner.headers),
            422,
            "validation_error",
        )
    order = [second["eventId"], first["eventId"]]
    saved = await client.put("/api/settings", json={"featuredEventIds": order}, headers=owner.headers)
    assert saved.status_code == 200, saved.text
    assert (await client.get("/api/settings")).json()["featuredEventIds"] == order


async def test_logo_and_background_are_checked_resized_and_served(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    assert_error(
        await client.put("/api/settings/logo", content=b"<svg onload=alert(1)>", headers=owner.headers),
        415,
        "unsupported_image",
    )
    assert (await client.get("/api/settings")).json()["logoUrl"] is None
    saved = await client.put(
        "/api/settings/logo", content=png(2400, 600), headers={**owner.headers, "Content-Type": "image/png"}
    )
    assert saved.status_code == 200, saved.text
    logo_url = (await client.get("/api/settings")).json()["logoUrl"]
    assert logo_url.startswith("/api/settings/logo?v=")
    served = await client.get(logo_url)
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(served.content)) as logo:
        assert logo.format == "WEBP" and logo.size == (960, 240)  # shrunk, its shape kept

    background = await client.put("/api/settings/hero-background", content=png(800, 450), headers=owner.headers)
    assert background.status_code == 200, background.text
    with Image.open(io.BytesIO((await client.get(background.json()["heroBackgroundUrl"])).content)) as picture:
        assert picture.size == (800, 450)  # never enlarged

    cleared = await client.delete("/api/settings/logo", headers=owner.headers)
    assert cleared.status_code == 200 and cleared.json()["logoUrl"] is None
    assert_error(await client.get("/api/settings/logo"), 404, "picture_not_found")
    assert_error(await client.put("/api/settings/logo", content=png(10, 10)), 401, "not_authenticated")


async def test_every_email_carries_the_site_name_sender_and_contact(
    client: httpx.AsyncClient,
    owner: AdminLogin,
    smtp: SmtpSink,  # noqa: F811
) -> None:
    saved = await client.put(
        "/api/settings",
        json={
            "platformName": "Acme TV",
            "emailFromName": "Acme Events",
            "contactEmail": "help@acme.example",
            "primaryColor": "#0f766e",
        },
        headers=owner.headers,
    )
    assert saved.status_code == 200, saved.text
    signup = await client.post(
        "/api/account/signup", json={"email": "ada@example.com", "password": "a quiet lantern by the harbour"}
    )
    assert signup.status_code == 202, signup.text
    mail = smtp.wait_for("ada@example.com")
    assert str(mail.message["From"]).startswith("Acme Events <")
    assert "Acme TV" in mail.text and "help@acme.example" in mail.text
    assert "Acme TV" in mail.html and "#0f766e" in mail.html and "mailto:help@acme.example" in mail.html
