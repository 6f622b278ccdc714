"""A real tus client (tuspy) against a running server: chunks, a dropped connection, a restart, and resuming.
Also `golive media import`, the same path from the command line."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from tusclient.client import TusClient

from tests.live_server import LiveServer, run_server

MakeVideo = Callable[..., Path]
PASSWORD = "live-upload-password"
CHUNK = 64 * 1024


def admin_headers(server: LiveServer, email: str) -> dict[str, str]:
    server.cli("admin", "create", "--email", email, "--password", PASSWORD, "--name", "Uploader", check=False)
    login = httpx.post(f"{server.base_url}/api/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


def new_event(server: LiveServer, headers: dict[str, str]) -> str:
    response = httpx.post(f"{server.base_url}/api/events", json={"title": "Uploaded talk"}, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["eventId"])


def server_offset(url: str, headers: dict[str, str]) -> int:
    response = httpx.head(url, headers={**headers, "Tus-Resumable": "1.0.0"})
    assert response.status_code == 200, response.status_code
    return int(response.headers["upload-offset"])


def patch_and_drop(url: str, headers: dict[str, str], offset: int, body: bytes, sent: int) -> None:
    """Announce the whole body, send only `sent` bytes, then cut the connection, as a failing network does."""
    parts = urlsplit(url)
    lines = [
        f"PATCH {parts.path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Tus-Resumable: 1.0.0",
        "Content-Type: application/offset+octet-stream",
        f"Upload-Offset: {offset}",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body[:sent])
        time.sleep(0.3)


def wait_for_offset(url: str, headers: dict[str, str], expected: int) -> None:
    deadline = time.monotonic() + 10
    while server_offset(url, headers) != expected:
        assert time.monotonic() < deadline, "the server never recorded the bytes that arrived"
        time.sleep(0.05)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "server"


@pytest.fixture
def server(database_url: str, data_dir: Path) -> Iterator[LiveServer]:
    with run_server(database_url, data_dir, GOLIVE_EMBEDDED_WORKER="false") as live:
        yield live


def test_tuspy_resumes_after_a_dropped_connection_and_a_server_restart(
    database_url: str, data_dir: Path, make_video: MakeVideo
) -> None:
    source = make_video(size="640x360", duration=4.0)
    data = source.read_bytes()
    assert len(data) > 5 * CHUNK
    metadata = {"filename": "talk.mp4", "filetype": "video/mp4"}

    with run_server(database_url, data_dir, GOLIVE_EMBEDDED_WORKER="false") as first:
        headers = admin_headers(first, "tus-uploader@example.com")
        event_id = new_event(first, headers)
        client = TusClient(f"{first.base_url}/api/events/{event_id}/uploads", headers=headers)
        uploader = client.uploader(file_path=str(source), chunk_size=CHUNK, metadata=metadata)
        uploader.upload(stop_at=2 * CHUNK)
        assert uploader.url is not None and server_offset(uploader.url, headers) == 2 * CHUNK

        patch_and_drop(uploader.url, headers, 2 * CHUNK, data[2 * CHUNK :], sent=CHUNK + 1000)
        wait_for_offset(uploader.url, headers, 3 * CHUNK + 1000)
        upload_path = urlsplit(uploader.url).path

    with run_server(database_url, data_dir, GOLIVE_EMBEDDED_WORKER="false") as second:
        url = f"{second.base_url}{upload_path}"
        resumed = TusClient(f"{second.base_url}/api/events/{event_id}/uploads", headers=headers).uploader(
            file_path=str(source), url=url, chunk_size=CHUNK, metadata=metadata
        )
        assert resumed.offset == 3 * CHUNK + 1000  # tuspy asked the server (HEAD) where to go on
        resumed.upload()

        media = httpx.get(f"{second.base_url}/api/events/{event_id}/media", headers=headers).json()
    assert media["status"] == "uploaded"
    assert (data_dir / "sources" / media["assetId"] / "source").read_bytes() == data
    assert not any((data_dir / "uploads").iterdir())


def test_media_import_copies_and_transcodes_with_progress(server: LiveServer, make_video: MakeVideo) -> None:
    headers = admin_headers(server, "importer@example.com")
    event_id = new_event(server, headers)
    source = make_video(size="320x180", duration=2.0)

    result = server.cli("media", "import", event_id, str(source), check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Copying" in result.stdout and "Transcoding" in result.stdout and "Ready" in result.stdout
    media = httpx.get(f"{server.base_url}/api/events/{event_id}/media", headers=headers).json()
    assert media["status"] == "ready" and media["renditions"]
    assert source.exists()  # the original is copied, never moved


def test_media_import_refuses_a_file_that_is_not_a_video(server: LiveServer, tmp_path: Path) -> None:
    headers = admin_headers(server, "importer2@example.com")
    event_id = new_event(server, headers)
    text = tmp_path / "notes.mp4"
    text.write_text("not a video\n" * 100)

    result = server.cli("media", "import", event_id, str(text), check=False)

    assert result.returncode == 1
    assert "not an audio or video file" in result.stdout
    assert httpx.get(f"{server.base_url}/api/events/{event_id}/media", headers=headers).status_code == 404
