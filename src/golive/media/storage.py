"""Where finished media lives: a local folder (embedded default) or an S3-compatible bucket.

Methods are synchronous: they are called from Huey workers (threads) and, in request handlers,
through `asyncio.to_thread`. boto3 is blocking anyway, and a sync interface keeps both backends honest.
Keys are relative POSIX paths like `<assetId>/720p/index.m3u8`; anything that could escape is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol, cast

from golive.platform.settings import Settings

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/mp4",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".vtt": "text/vtt",
    ".json": "application/json",
}
_KEY_PART = re.compile(r"^[A-Za-z0-9._~=+@,-]+$")
# Within every file system's name limit and S3's key limit (keys are ASCII, so characters are bytes).
MAX_KEY_PART_LENGTH = 255
MAX_KEY_LENGTH = 1024


class InvalidStorageKey(ValueError):
    """A key that is absolute, contains `..`, or otherwise could name something outside the store."""


def content_type_for(key: str) -> str:
    """The Content-Type players expect for each HLS artefact (segments included)."""
    return CONTENT_TYPES.get(PurePosixPath(key).suffix.lower(), "application/octet-stream")


def check_key(key: str, *, prefix: bool = False) -> str:
    """Validate a key (or a `prefix/` when `prefix` is true) and return it unchanged."""
    body = key[:-1] if prefix and key.endswith("/") else key
    parts = body.split("/")
    if (
        not body
        or len(key) > MAX_KEY_LENGTH
        or any(len(part) > MAX_KEY_PART_LENGTH or part in {"", ".", ".."} for part in parts)
        or not all(_KEY_PART.match(part) for part in parts)
    ):
        raise InvalidStorageKey(f"invalid storage key: {key[:80]!r}")
    return key


class MediaStorage(Protocol):
    """What the media pipeline and playback need from a store; both backends pass the same tests."""

    def put_file(self, local_path: Path, key: str) -> None: ...

    def put_tree(self, local_dir: Path, prefix: str) -> list[str]: ...

    def open(self, key: str) -> BinaryIO: ...

    def read_bytes(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete_prefix(self, prefix: str) -> int: ...

    def move_prefix(self, prefix: str, target: str) -> int: ...

    def list(self, prefix: str) -> list[str]: ...

    def local_path_for(self, key: str) -> Path | None: ...


def _tree_files(local_dir: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(local_dir.rglob("*")):
        if path.is_file():
            yield path, path.relative_to(local_dir).as_posix()


def _join(prefix: str, relative: str) -> str:
    return f"{prefix.rstrip('/')}/{relative}"


class LocalStorage:
    """A folder on disk; nginx (or the app) serves straight from it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str, *, prefix: bool = False) -> Path:
        check_key(key, prefix=prefix)
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise InvalidStorageKey(f"key escapes the storage root: {key!r}")
        return path

    def put_file(self, local_path: Path, key: str) -> None:
        """Copy then rename, so a reader never sees a half-written file."""
        target = self._path(key)
        if local_path.resolve() == target:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        os.close(handle)
        try:
            shutil.copyfile(local_path, temp_name)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def put_tree(self, local_dir: Path, prefix: str) -> list[str]:
        keys = []
        same_place = local_dir.resolve() == self._path(prefix, prefix=True)
        for path, relative in _tree_files(local_dir):
            key = _join(prefix, relative)
            if not same_place:
                self.put_file(path, key)
            keys.append(key)
        return keys

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def read_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete_prefix(self, prefix: str) -> int:
        keys = self.list(prefix)
        for key in keys:
            self._path(key).unlink(missing_ok=True)
        base = self._path(prefix, prefix=True)
        if prefix.endswith("/") and base.is_dir():
            shutil.rmtree(base, ignore_errors=True)
        return len(keys)

    def move_prefix(self, prefix: str, target: str) -> int:
        """One rename of the folder: atomic, so nothing under `prefix` can be read a moment later."""
        source, destination = self._path(prefix, prefix=True), self._path(target, prefix=True)
        if not source.is_dir():
            return 0
        moved = len(self.list(prefix))
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.exists():
            shutil.rmtree(destination)
        os.rename(source, destination)
        return moved

    def list(self, prefix: str) -> list[str]:
        base = self._path(prefix, prefix=True)
        folder = base if prefix.endswith("/") else base.parent
        if not folder.is_dir():
            return []
        keys = (path.relative_to(self.root).as_posix() for path in folder.rglob("*") if path.is_file())
        return sorted(key for key in keys if key.startswith(prefix))

    def local_path_for(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None


class S3Storage:
    """An S3-compatible bucket (AWS, MinIO, R2). Uploads carry Content-Type so a CDN can serve them as-is."""

    def __init__(self, bucket: str, client: Any, *, upload_threads: int = 8) -> None:
        self.bucket = bucket
        self._client = client
        self._upload_threads = upload_threads

    @classmethod
    def from_settings(cls, settings: Settings, *, create_bucket: bool = False) -> S3Storage:
        import boto3

        if not settings.s3_bucket:
            raise ValueError("GOLIVE_S3_BUCKET is required when GOLIVE_STORAGE_BACKEND=s3")
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region or None,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=settings.s3_secret_access_key or None,
        )
        storage = cls(settings.s3_bucket, client)
        if create_bucket:
            storage.ensure_bucket(settings.s3_region)
        return storage

    def ensure_bucket(self, region: str = "us-east-1") -> None:
        from botocore.exceptions import ClientError

        try:
            self._client.head_bucket(Bucket=self.bucket)
        except ClientError:
            options: dict[str, Any] = {"Bucket": self.bucket}
            if region and region != "us-east-1":
                options["CreateBucketConfiguration"] = {"LocationConstraint": region}
            self._client.create_bucket(**options)

    def put_file(self, local_path: Path, key: str) -> None:
        check_key(key)
        self._client.upload_file(str(local_path), self.bucket, key, ExtraArgs={"ContentType": content_type_for(key)})

    def put_tree(self, local_dir: Path, prefix: str) -> list[str]:
        """Segments are many small files: upload them in parallel (boto3 clients are thread-safe)."""
        check_key(prefix, prefix=True)
        files = [(path, _join(prefix, relative)) for path, relative in _tree_files(local_dir)]
        with ThreadPoolExecutor(max_workers=self._upload_threads) as pool:
            list(pool.map(lambda item: self.put_file(*item), files))
        return [key for _, key in files]

    def open(self, key: str) -> BinaryIO:
        check_key(key)
        from botocore.exceptions import ClientError

        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(key) from None
            raise
        return cast(BinaryIO, response["Body"])

    def read_bytes(self, key: str) -> bytes:
        body = self.open(key)
        with contextlib.closing(body):
            return body.read()

    def exists(self, key: str) -> bool:
        check_key(key)
        from botocore.exceptions import ClientError

        try:
            self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                return False
            raise
        return True

    def delete_prefix(self, prefix: str) -> int:
        keys = self.list(prefix)
        self._delete_keys(keys)
        return len(keys)

    def _delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    def move_prefix(self, prefix: str, target: str) -> int:
        """Buckets cannot rename: copy every object (server side, in parallel), then delete the originals
        in batches of 1,000, so the old keys stop answering together, a moment after the copy."""
        check_key(target, prefix=True)
        keys = self.list(prefix)

        def copy(key: str) -> None:
            destination = _join(target, key.removeprefix(prefix))
            self._client.copy_object(
                Bucket=self.bucket, Key=destination, CopySource={"Bucket": self.bucket, "Key": key}
            )

        with ThreadPoolExecutor(max_workers=self._upload_threads) as pool:
            list(pool.map(copy, keys))
        self._delete_keys(keys)
        return len(keys)

    def list(self, prefix: str) -> list[str]:
        check_key(prefix, prefix=True)
        keys: list[str] = []
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            keys.extend(str(item["Key"]) for item in page.get("Contents", []))
        return sorted(keys)

    def local_path_for(self, key: str) -> Path | None:
        check_key(key)
        return None


def make_storage(settings: Settings, *, create_bucket: bool | None = None) -> MediaStorage:
    """The configured backend. `create_bucket` defaults to `settings.s3_create_bucket` when that exists."""
    if settings.storage_backend == "s3":
        if create_bucket is None:
            create_bucket = bool(getattr(settings, "s3_create_bucket", False))
        return S3Storage.from_settings(settings, create_bucket=create_bucket)
    return LocalStorage(settings.media_dir)
