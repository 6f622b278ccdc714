"""The API docs in Chromium with the network limited to the app: they render as they would offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.live_server import LiveServer, run_server

pytestmark = pytest.mark.e2e

# ReDoc's "API docs by Redocly" footer always asks for this logo, and hides it when it cannot load
REDOC_FOOTER_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture(scope="module")
def server(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(fresh_database_url, tmp_path_factory.mktemp("docs"), GOLIVE_EMBEDDED_WORKER="false") as running:
        yield running


@pytest.fixture
def offline_page(server: LiveServer, browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that reaches only the app; every other request is refused and listed."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, base_url=server.base_url)
    refused: list[str] = []

    def only_the_app(route: Route) -> None:
        if route.request.url.startswith(server.base_url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_the_app)
    yield context.new_page(), refused
    context.close()


def test_swagger_ui_renders_the_api_without_the_internet(offline_page: tuple[Page, list[str]]) -> None:
    page, refused = offline_page
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("GoLive", timeout=20_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/auth/login").first).to_be_visible()
    assert refused == []


def test_redoc_renders_the_api_without_the_internet(offline_page: tuple[Page, list[str]]) -> None:
    page, refused = offline_page
    page.goto("/redoc")
    expect(page.locator("h1", has_text="GoLive")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("/api/auth/login").first).to_be_attached()
    expect(page.get_by_alt_text("redocly logo")).to_have_count(0)
    assert set(refused) <= {REDOC_FOOTER_LOGO}
