"""One admin cannot hold more unfinished uploads than the cap, and what all unfinished uploads still mean to
send must fit the disk: an editor who declares 200 uploads of 10 GiB at once gets a few, then 409s and 507s."""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter

import httpx
from sqlalchemy import func, select

from golive.identity.staff.models import AdminRole
from golive.media.models import Upload
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory, assert_error

from .uploading import TUS_VERSION, create_upload

GIB = 1024**3


async def unfinished_uploads(ctx: AppContext) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Upload)) or 0)


def usable_disk(ctx: AppContext) -> int:
    ctx.settings.upload_dir.mkdir(parents=True, exist_ok=True)
    return shutil.disk_usage(ctx.settings.upload_dir).free - ctx.settings.upload_disk_reserve_bytes


async def test_two_hundred_declared_uploads_of_ten_gib_at_once_get_only_what_fits(
    factory: Factory, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    editor = await factory.admin(AdminRole.EDITOR)
    event = await factory.event(editor, eventType="vod")
    responses = await asyncio.gather(*(create_upload(client, editor, event["eventId"], 10 * GIB) for _ in range(200)))
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {201, 409, 507}, statuses
    room = max(0, usable_disk(app_ctx)) // (10 * GIB) + 1  # free space moves a little meanwhile
    assert statuses[201] <= min(app_ctx.settings.upload_max_open_per_admin, room), statuses
    assert await unfinished_uploads(app_ctx) == statuses[201]
    refused = next(r for r in responses if r.status_code != 201)
    assert_error(
        refused, refused.status_code, "too_many_open_uploads" if refused.status_code == 409 else "insufficient_storage"
    )


async def test_an_admin_past_the_open_upload_cap_gets_409_until_one_finishes_or_is_cancelled(
    factory: Factory, client: httpx.AsyncClient, app_ctx: AppContext, owner: AdminLogin
) -> None:
    app_ctx.settings.upload_max_open_per_admin = 3
    editor = await factory.admin(AdminRole.EDITOR)
    event = await factory.event(editor, eventType="vod")
    created = [await create_upload(client, editor, event["eventId"], 1000) for _ in range(3)]
    assert [r.status_code for r in created] == [201, 201, 201]

    error = assert_error(await create_upload(client, editor, event["eventId"], 1000), 409, "too_many_open_uploads")
    assert error["details"] == {"maxOpenUploads": 3}
    assert (await create_upload(client, owner, event["eventId"], 1000)).status_code == 201  # a cap per admin

    cancelled = await client.delete(created[0].headers["Location"], headers={**editor.headers, **TUS_VERSION})
    assert cancelled.status_code == 204
    assert (await create_upload(client, editor, event["eventId"], 1000)).status_code == 201


async def test_uploads_that_together_would_overfill_the_disk_get_507(
    factory: Factory, client: httpx.AsyncClient, app_ctx: AppContext, owner: AdminLogin
) -> None:
    app_ctx.settings.upload_max_bytes = 1 << 60  # the per-file limit out of the way: only the disk decides
    event = await factory.event(owner, eventType="vod")
    usable = usable_disk(app_ctx)
    assert usable > 0, "the test needs some free disk"

    error = assert_error(await create_upload(client, owner, event["eventId"], usable * 2), 507, "insufficient_storage")
    assert error["details"]["neededBytes"] == usable * 2
    first = await create_upload(client, owner, event["eventId"], usable * 6 // 10)
    assert first.status_code == 201, first.text
    assert_error(await create_upload(client, owner, event["eventId"], usable * 6 // 10), 507, "insufficient_storage")
    assert await unfinished_uploads(app_ctx) == 1
