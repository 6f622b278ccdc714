"""No input produces a 500: schemathesis generates requests from /openapi.json against a running server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.live_server import LiveServer, run_server

# starts servers of its own, but nothing here has a deadline (tests/conftest.py)
pytestmark = pytest.mark.no_deadlines

FUZZ_PASSWORD = "fuzz-password-123"
TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def fuzz_server(fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(fresh_database_url, tmp_path_factory.mktemp("fuzz"), GOLIVE_EMBEDDED_WORKER="false") as server:
        yield server


@pytest.fixture(scope="module")
def admin_headers(fuzz_server: LiveServer) -> dict[str, str]:
    email = "fuzz-owner@example.com"
    fuzz_server.cli("admin", "create", "--email", email, "--password", FUZZ_PASSWORD, "--name", "Fuzz", check=False)
    login = httpx.post(f"{fuzz_server.base_url}/api/auth/login", json={"email": email, "password": FUZZ_PASSWORD})
    assert login.status_code == 200, login.text
    event = httpx.post(
        f"{fuzz_server.base_url}/api/events",
        json={"title": "Fuzz target"},
        headers={"Authorization": f"Bearer {login.json()['token']}"},
    )
    assert event.status_code == 201
    return {"Authorization": f"Bearer {login.json()['token']}"}


@pytest.fixture(scope="module")
def api_schema(fuzz_server: LiveServer) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{fuzz_server.base_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_gets_a_server_error(case: schemathesis.Case, admin_headers: dict[str, str]) -> None:
    # Generated Authorization values would shadow the real token; keep every other generated header.
    # Logout is fuzzed without it, since revoking the token would blind the rest of the run.
    if case.path != "/api/auth/logout":
        case.headers = {**(case.headers or {}), **admin_headers}
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            response_headers_conformance,  # e.g. tus's Location, Upload-Offset and Tus-Version, now documented
        ],
    )


def with_nul(value: Any) -> Any:
    """Every string of a generated value with a NUL inside, which PostgreSQL cannot store."""
    if isinstance(value, str):
        return f"{value[:1]}\x00{value[1:]}"
    if isinstance(value, dict):
        return {key: with_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_nul(item) for item in value]
    return value


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_generated_requests_with_nul_in_their_text_are_refused(
    case: schemathesis.Case, admin_headers: dict[str, str]
) -> None:
    """Schemathesis rarely draws a NUL by itself: put one in every generated path parameter, query value and
    JSON or form string, and expect the edge's 400, never a 500 (run it with PostgreSQL: SQLite stores NUL)."""
    if case.path != "/api/auth/logout":
        case.headers = {**(case.headers or {}), **admin_headers}
    poisoned = False
    if case.path_parameters:
        case.path_parameters = with_nul(case.path_parameters)
        poisoned = True
    if case.query and any(isinstance(v, str) for v in case.query.values()):
        case.query = with_nul(case.query)
        poisoned = True
    if isinstance(case.body, (dict, list, str)):
        case.body = with_nul(case.body)
    response = case.call()
    assert response.status_code < 500, response.text
    sent_type = response.request.headers.get("Content-Type", "").split(";")[0]
    sent_body = response.request.body or b""
    sent_body = sent_body.encode() if isinstance(sent_body, str) else sent_body
    # JSON escapes a NUL as \u0000, a form as %00; a body sent as anything else never reaches a text column
    nul_in_body = sent_type in TEXT_BODIES and (b"\\u0000" in sent_body or b"%00" in sent_body)
    if poisoned or nul_in_body:
        assert response.status_code == 400, response.text
        if response.request.method != "HEAD":
            assert response.json()["error"]["code"] == "unstorable_text", response.text


def test_the_openapi_document_lists_the_seed_endpoints(fuzz_server: LiveServer) -> None:
    paths = httpx.get(f"{fuzz_server.base_url}/openapi.json").json()["paths"]
    for path in ("/api/auth/login", "/api/events", "/api/events/{eventId}"):
        assert path in paths


def test_the_document_says_what_the_server_requires(fuzz_server: LiveServer) -> None:
    """Where the server refuses, the document says so, so generated clients and the fuzzing agree."""
    document = httpx.get(f"{fuzz_server.base_url}/openapi.json").json()
    paths = document["paths"]

    def headers(path: str, method: str) -> dict[str, dict[str, Any]]:
        return {p["name"]: p for p in paths[path][method]["parameters"] if p["in"] == "header"}

    for path, method, names in [
        ("/api/events/{eventId}/uploads", "post", {"Tus-Resumable", "Upload-Length", "Upload-Metadata"}),
        ("/api/uploads/{uploadId}", "head", {"Tus-Resumable"}),
        ("/api/uploads/{uploadId}", "patch", {"Tus-Resumable", "Upload-Offset"}),
        ("/api/uploads/{uploadId}", "delete", {"Tus-Resumable"}),
    ]:
        declared = headers(path, method)
        assert names <= set(declared) and all(declared[name]["required"] for name in names), (method, path)
    assert headers("/api/uploads/{uploadId}", "patch")["Tus-Resumable"]["schema"]["enum"] == ["1.0.0"]
    options = paths["/api/uploads/{uploadId}"]["options"]["responses"]["204"]["headers"]
    assert {"Tus-Version", "Tus-Extension", "Tus-Max-Size"} <= set(options)
    assert "Location" in paths["/api/events/{eventId}/uploads"]["post"]["responses"]["201"]["headers"]
    assert set(paths["/api/events/{eventId}/live-stats"]["get"]["responses"]["200"]["content"]) == {"text/event-stream"}

    event = document["components"]["schemas"]["EventCreate"]["properties"]
    zones = next(branch for branch in event["timezone"]["anyOf"] if branch.get("type") == "string")
    assert "Europe/Paris" in zones["enum"] and "Mars/Olympus" not in zones["enum"]
    ranges = {p["name"]: p for p in paths["/api/analytics/{eventId}"]["get"]["parameters"]}
    assert "later than `from`" in ranges["to"]["description"] and "2000" in ranges["from"]["description"]


def test_a_time_that_leaves_the_calendar_in_utc_is_a_422_not_a_500(
    fuzz_server: LiveServer, admin_headers: dict[str, str]
) -> None:
    response = httpx.post(
        f"{fuzz_server.base_url}/api/events",
        json={"title": "Too early", "scheduledStart": "0001-01-01T00:00:00+01:00"},
        headers=admin_headers,
    )
    assert response.status_code == 422, response.text
    assert "scheduledStart" in response.json()["error"]["details"]["fields"]
