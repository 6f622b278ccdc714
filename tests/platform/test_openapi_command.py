"""`golive openapi`: the document web/src/api/schema.d.ts is generated from, and `make lint` compares against."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.live_server import GOLIVE


def print_openapi(env: dict[str, str]) -> str:
    result = subprocess.run([GOLIVE, "openapi"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_openapi_prints_the_same_document_whatever_the_machine_sets(tmp_path: Path) -> None:
    plain = {k: v for k, v in os.environ.items() if not k.startswith("GOLIVE_")}
    configured = plain | {
        "GOLIVE_DATA_DIR": str(tmp_path / "var"),
        "GOLIVE_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:9/nowhere",  # never connected to
        "GOLIVE_ENVIRONMENT": "production",
        "GOLIVE_SECRET_KEY": "a-production-secret-" + "z" * 32,
        "GOLIVE_PUBLIC_URL": "https://video.example.com",
        "GOLIVE_MAX_REQUEST_BODY_BYTES": "4096",
    }

    first = print_openapi(plain)
    assert print_openapi(configured) == first
    document = json.loads(first)
    for path in ("/api/auth/login", "/api/events", "/api/events/{eventId}", "/api/registrations"):
        assert path in document["paths"]
    assert "ErrorBody" in document["components"]["schemas"]
    assert not (tmp_path / "var").exists()  # it wrote nothing where the settings point
