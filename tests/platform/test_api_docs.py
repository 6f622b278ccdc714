"""/docs and /redoc work without internet access: every asset they load comes from the app itself."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


class AssetLinks(HTMLParser):
    """Every src and href in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def asset_urls(html: str) -> list[str]:
    parser = AssetLinks()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_docs_load_only_assets_the_app_serves(client: httpx.AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert "http://" not in response.text and "https://" not in response.text  # no CDN, no web fonts
    urls = asset_urls(response.text)
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".svg") for url in urls)
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = await client.get(url)
        assert asset.status_code == 200, url
        expected = next(kind for suffix, kind in CONTENT_TYPES.items() if url.endswith(suffix))
        assert asset.headers["content-type"].startswith(expected), (url, asset.headers["content-type"])
        assert len(asset.content) > 1000 or url.endswith(".svg")


async def test_both_pages_read_the_app_s_own_openapi_document(client: httpx.AsyncClient) -> None:
    swagger, redoc = (await client.get("/docs")).text, (await client.get("/redoc")).text
    assert "url: '/openapi.json'" in swagger
    assert 'spec-url="/openapi.json"' in redoc
    assert (await client.get("/openapi.json")).json()["info"]["title"] == "GoLive"


async def test_the_favicon_is_served_at_its_conventional_address(client: httpx.AsyncClient) -> None:
    icon = await client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.lstrip().startswith("<svg")
    shell = await client.get("/admin")
    assert '<link rel="icon" type="image/svg+xml" href="/static/app/favicon.svg"' in shell.text
