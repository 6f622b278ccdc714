"""The `golive` command: serve, worker, migrate, admin, events, media, demo, openapi."""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from golive import __version__
from golive.events.models import EventStatus, EventType
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from golive.platform.errors import AppError
from golive.platform.settings import get_settings

if TYPE_CHECKING:
    from golive.media.models import MediaAsset

T = TypeVar("T")

app = typer.Typer(help="GoLive: live and on-demand video events.", no_args_is_help=True)
admin_app = typer.Typer(help="Manage admin accounts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
events_app = typer.Typer(help="Look at events.", no_args_is_help=True)
app.add_typer(events_app, name="events")
media_app = typer.Typer(help="Manage on-demand media.", no_args_is_help=True)
app.add_typer(media_app, name="media")
console = Console()


def _print_version(asked: bool) -> None:
    if asked:
        console.print(f"golive {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit")
    ] = False,
) -> None:
    """GoLive: live and on-demand video events."""


def _invalid_options(exc: ValidationError) -> str:
    """One line naming each bad option, instead of pydantic's report."""
    problems = []
    for error in exc.errors(include_url=False):
        option = "--" + "-".join(str(part) for part in error["loc"]).replace("_", "-")
        problems.append(f"{option}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(problems)


def _with_context(work: Callable[[AppContext], Awaitable[T]]) -> T:
    async def runner() -> T:
        ctx = AppContext.from_settings(get_settings())
        try:
            return await work(ctx)
        finally:
            await ctx.close()

    return asyncio.run(runner())


CHAT_FRAME_BYTES = 64 * 1024


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic)."""
    from golive.migrate import upgrade

    settings = get_settings()
    settings.ensure_data_dir()
    upgrade(settings.resolved_database_url)
    console.print(f"[green]Database is up to date[/green] ({_safe_url(settings.resolved_database_url)})")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Overrides GOLIVE_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Overrides GOLIVE_PORT")] = None,
) -> None:
    """Serve the API, the web app and (unless GOLIVE_EMBEDDED_WORKER=false) the job worker."""
    import uvicorn

    from golive.platform.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    console.print(f"GoLive on [bold]http://{host or settings.host}:{port or settings.port}[/bold]")
    if settings.rtmp_port:
        rtmp_host = settings.rtmp_host or settings.host
        console.print(f"RTMP ingest on [bold]rtmp://{rtmp_host}:{settings.rtmp_port}/live[/bold] (GOLIVE_RTMP_PORT)")
    uvicorn.run(
        "golive.app:create_app_from_env",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        proxy_headers=False,  # the app reads them itself, from GOLIVE_TRUSTED_PROXIES only (create_app)
        log_config=None,  # uvicorn's loggers propagate to ours (golive.platform.logs)
        log_level=settings.log_level,
        access_log=settings.access_log,
        ws_max_size=CHAT_FRAME_BYTES,  # a chat frame is a line of text, not 16 MiB (uvicorn's default)
    )


@app.command()
def worker(threads: Annotated[int, typer.Option(help="Worker threads")] = 2) -> None:
    """Run a job worker on its own (for several machines: set GOLIVE_REDIS_URL everywhere)."""
    from golive import tasks  # noqa: F401  (registers every task)
    from golive.platform.jobs import run_worker
    from golive.platform.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    run_worker(settings, threads)


@admin_app.command("create")
def admin_create(
    email: Annotated[str, typer.Option(help="Login email")],
    password: Annotated[str, typer.Option(help="At least 10 characters", prompt=True, hide_input=True)],
    name: Annotated[str, typer.Option(help="Display name")] = "Admin",
    role: Annotated[AdminRole, typer.Option(help="owner, admin or editor")] = AdminRole.OWNER,
) -> None:
    """Create an admin account."""
    from golive.identity.staff import service
    from golive.identity.staff.schemas import AdminCreate

    try:
        AdminCreate(name=name, email=email, password=password, role=role)
    except ValidationError as exc:
        console.print(f"[red]{_invalid_options(exc)}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None

    async def work(ctx: AppContext) -> None:
        async with ctx.db.sessionmaker() as session:
            await service.create_admin(session, email=email, password=password, name=name, role=role)

    try:
        _with_context(work)
    except AppError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from None
    console.print(f"[green]Created {role.value}[/green] {email}")


@admin_app.command("set-password")
def admin_set_password(
    email: Annotated[str, typer.Option(help="Login email")],
    password: Annotated[str, typer.Option(help="At least 10 characters", prompt=True, hide_input=True)],
) -> None:
    """Set a new password for an admin (for a forgotten one)."""
    from golive.identity.staff import service

    if len(password) < 10:
        console.print("[red]The password needs at least 10 characters[/red]")
        raise typer.Exit(2)

    async def work(ctx: AppContext) -> bool:
        async with ctx.db.sessionmaker() as session:
            admin = await service.get_admin_by_email(session, email)
            if admin is None:
                return False
            await service.update_admin(session, admin, actor=admin, password=password)
            return True

    if not _with_context(work):
        console.print(f"[red]No admin with email {email}[/red]")
        raise typer.Exit(1)
    console.print(f"[green]Password changed[/green] for {email}")


@events_app.command("list")
def events_list(
    status: Annotated[EventStatus | None, typer.Option(help="Only events in this state")] = None,
    event_type: Annotated[EventType | None, typer.Option("--type", help="live or vod")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many, newest first")] = 50,
) -> None:
    """The events, newest first: id, title, type, status and start (in the event's time zone)."""
    from golive.events import listing
    from golive.events.schemas import EventSort

    filters = listing.EventFilter(status=status, event_type=event_type, sort=EventSort.CREATED_DESC, limit=limit)

    async def work(ctx: AppContext) -> tuple[list[Any], int]:
        async with ctx.db.sessionmaker() as session:
            return await listing.list_events(session, filters)

    rows, total = _with_context(work)
    if not rows:
        console.print("No events yet" if status is None and event_type is None else "No events match")
        return
    table = Table(box=None, header_style="bold")
    table.add_column("id", no_wrap=True, min_width=26)  # whole, to copy into other commands
    table.add_column("title", min_width=12, overflow="fold")
    for name in ("type", "status", "start"):
        table.add_column(name, no_wrap=True)
    for row in rows:
        table.add_row(row.event_id, row.title, row.event_type.value, row.status.value, _local_start(row))
    # piped into grep or a file: one line per event, whatever its width
    (console if console.is_terminal else Console(width=1000)).print(table)
    if total > len(rows):
        console.print(f"{len(rows)} of {total} events (--limit)")


def _local_start(row: Any) -> str:
    """The scheduled start in the event's own zone, which it names."""
    if row.scheduled_start is None:
        return "-"
    return f"{row.scheduled_start.astimezone(ZoneInfo(row.timezone)):%Y-%m-%d %H:%M} {row.timezone}"


@app.command()
def demo() -> None:
    """Create the demo admin and events and the welcome video (once each), and print the demo login."""
    from golive.demo import ensure_demo, needs_video

    settings = get_settings()
    login_file = settings.data_dir / "demo-login.txt"
    login = _with_context(lambda ctx: ensure_demo(ctx, secrets.token_urlsafe(12)))
    password = login.password
    if login.created:
        login_file.write_text(f"{login.email}\n{password}\n")
        login_file.chmod(0o600)
    elif login_file.exists():
        password = login_file.read_text().splitlines()[1]
    welcome_id = login.welcome_event_id
    if welcome_id is not None and _with_context(lambda ctx: needs_video(ctx, welcome_id)):
        _make_welcome_video(welcome_id)
    console.rule("GoLive demo")
    console.print(f"Home page:     [bold]{settings.base_url}/[/bold]")
    console.print(f"Admin console: [bold]{settings.base_url}/admin[/bold]")
    if welcome_id is not None:
        console.print(f"Welcome video: [bold]{settings.base_url}/e/{welcome_id}[/bold]")
    console.print(f"Email:    [bold]{login.email}[/bold]")
    console.print(f"Password: [bold]{password or '(changed since; see golive admin set-password)'}[/bold]")
    console.rule()


def _make_welcome_video(event_id: str) -> None:
    """The demo's video, made with ffmpeg and transcoded here; a failure is told, and the demo goes on."""
    from golive.demo import make_demo_video
    from golive.media.models import AssetStatus

    console.print("Making the demo video (ffmpeg's test pattern) and transcoding it:")
    with tempfile.TemporaryDirectory(prefix="golive-demo-") as folder:
        source = Path(folder) / "welcome-to-golive.mp4"
        try:
            make_demo_video(source)
            asset = _import_video(event_id, source)
        except (AppError, OSError, subprocess.SubprocessError) as exc:
            reason = exc.message if isinstance(exc, AppError) else str(exc)
            console.print(f"[yellow]No demo video[/yellow] ({reason}); upload one in the admin console.")
            return
    if asset.status != AssetStatus.READY:
        console.print(f"[yellow]No demo video[/yellow] ({asset.error or 'the transcode failed'})")


@media_app.command("import")
def media_import(
    event_id: Annotated[str, typer.Argument(help="The on-demand event the video is for")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The source video")],
) -> None:
    """Copy a video into an event and transcode it in this process (no worker needed), with progress."""
    from golive.media.models import AssetStatus

    try:
        asset = _import_video(event_id, file)
    except AppError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from None
    if asset.status != AssetStatus.READY:
        console.print(f"[red]Transcode {asset.status.value}[/red]: {asset.error or 'see the automation log'}")
        raise typer.Exit(1)
    names = ", ".join(rendition["name"] for rendition in asset.renditions)
    console.print(f"[green]Ready[/green] asset {asset.asset_id} ({names}, {asset.duration or 0:.1f} s)")


def _import_video(event_id: str, file: Path) -> MediaAsset:
    """The upload path without HTTP: copy, probe, transcode in this process, with progress bars."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    from golive.audit.actor import Actor
    from golive.media import service, transcoding, uploads
    from golive.media.models import MediaAsset

    size = file.stat().st_size

    async def work(ctx: AppContext, progress: Progress) -> MediaAsset:
        copying = progress.add_task("Copying", total=size)
        async with ctx.db.sessionmaker() as session:
            upload = await uploads.create_upload(
                session, ctx.settings, event_id=event_id, length=size, metadata={"filename": file.name}, created_by=None
            )
            target = uploads.upload_file(ctx.settings, upload.upload_id)
            await asyncio.to_thread(_copy_file, file, target, lambda n: progress.advance(copying, n))
            asset = await service.accept_upload(session, ctx.settings, upload, Actor.system("cli"))
        transcoding_task = progress.add_task("Transcoding", total=100)
        await transcoding.run_transcode(
            ctx, asset.asset_id, on_progress=lambda percent: progress.update(transcoding_task, completed=percent)
        )
        async with ctx.db.sessionmaker() as session:
            return await session.get_one(MediaAsset, asset.asset_id)

    columns = (TextColumn("{task.description:<12}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, TimeRemainingColumn(), console=console) as progress:
        return _with_context(lambda ctx: work(ctx, progress))


def _copy_file(source: Path, target: Path, advance: Callable[[int], None]) -> None:
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(1024 * 1024):
            writer.write(chunk)
            advance(len(chunk))


@app.command()
def openapi() -> None:
    """Print the API's OpenAPI document (web/src/api/schema.d.ts is generated from it): no server, no database.

    Built from the default settings, whatever GOLIVE_* says, so every machine prints the same bytes.
    """
    import json
    import sys

    from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

    from golive.app import create_app
    from golive.platform.settings import Settings

    class DefaultSettings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (init_settings,)  # no environment, no files

    with tempfile.TemporaryDirectory(prefix="golive-openapi-") as folder:
        document = create_app(DefaultSettings(data_dir=Path(folder))).openapi()
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _safe_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
