"""Both storage backends behave the same; S3 runs against moto's real S3 protocol server on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from golive.media.storage import InvalidStorageKey, LocalStorage, MediaStorage, S3Storage, make_storage
from golive.platform.settings import Settings


def s3_settings(endpoint: str, tmp_path: Path, bucket: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        secret_key="test-secret",
        storage_backend="s3",
        s3_bucket=bucket,
        s3_endpoint_url=endpoint,
        s3_region="us-east-1",
        s3_access_key_id="testing",
        s3_secret_access_key="testing",
    )


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MediaStorage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "store")
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        yield make_storage(s3_settings(endpoint, tmp_path, f"golive-{uuid.uuid4().hex[:12]}"), create_bucket=True)


@pytest.fixture
def asset_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "asset"
    (folder / "720p").mkdir(parents=True)
    (folder / "master.m3u8").write_text("#EXTM3U\n")
    (folder / "720p" / "index.m3u8").write_text("#EXTM3U\n#EXT-X-ENDLIST\n")
    (folder / "720p" / "seg_00000.m4s").write_bytes(b"\x00segment" * 100)
    (folder / "poster.jpg").write_bytes(b"\xff\xd8jpeg")
    return folder


def test_tree_round_trip(storage: MediaStorage, asset_folder: Path) -> None:
    keys = storage.put_tree(asset_folder, "01HASSET/")

    assert (
        sorted(keys)
        == storage.list("01HASSET/")
        == [
            "01HASSET/720p/index.m3u8",
            "01HASSET/720p/seg_00000.m4s",
            "01HASSET/master.m3u8",
            "01HASSET/poster.jpg",
        ]
    )
    assert storage.read_bytes("01HASSET/720p/seg_00000.m4s") == b"\x00segment" * 100
    with storage.open("01HASSET/master.m3u8") as handle:
        assert handle.read() == b"#EXTM3U\n"
    assert storage.exists("01HASSET/poster.jpg")
    assert not storage.exists("01HASSET/missing.jpg")
    with pytest.raises(FileNotFoundError):
        storage.read_bytes("01HASSET/missing.jpg")


def test_delete_prefix_removes_one_asset_only(storage: MediaStorage, asset_folder: Path) -> None:
    storage.put_tree(asset_folder, "01HASSET/")
    storage.put_file(asset_folder / "poster.jpg", "01HOTHER/poster.jpg")

    assert storage.delete_prefix("01HASSET/") == 4

    assert storage.list("01HASSET/") == []
    assert storage.list("01HOTHER/") == ["01HOTHER/poster.jpg"]


@pytest.mark.parametrize("key", ["../escape.txt", "/etc/passwd", "a/../../b", "a//b", "", "a\\b", "./a"])
def test_keys_that_could_escape_are_refused(storage: MediaStorage, asset_folder: Path, key: str) -> None:
    with pytest.raises(InvalidStorageKey):
        storage.put_file(asset_folder / "poster.jpg", key)
    with pytest.raises(InvalidStorageKey):
        storage.exists(key)


def test_local_storage_gives_a_path_for_fast_serving(tmp_path: Path, asset_folder: Path) -> None:
    store = LocalStorage(tmp_path / "store")
    store.put_tree(asset_folder, "01HASSET/")
    local = store.local_path_for("01HASSET/720p/seg_00000.m4s")
    assert local == (tmp_path / "store" / "01HASSET" / "720p" / "seg_00000.m4s").resolve()
    assert store.local_path_for("01HASSET/nothing.m4s") is None


def test_local_storage_refuses_symlinks_out_of_the_root(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path / "store")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "store" / "link").symlink_to(tmp_path)
    with pytest.raises(InvalidStorageKey):
        store.read_bytes("link/secret.txt")


def test_s3_objects_carry_hls_content_types(moto_endpoint: str, tmp_path: Path, asset_folder: Path) -> None:
    settings = s3_settings(moto_endpoint, tmp_path, "golive-types")
    store = S3Storage.from_settings(settings, create_bucket=True)
    store.put_tree(asset_folder, "01HASSET/")

    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    head = client.head_object(Bucket="golive-types", Key="01HASSET/master.m3u8")
    assert head["ContentType"] == "application/vnd.apple.mpegurl"
    assert client.head_object(Bucket="golive-types", Key="01HASSET/720p/seg_00000.m4s")["ContentType"] == ("video/mp4")
    assert store.local_path_for("01HASSET/master.m3u8") is None
