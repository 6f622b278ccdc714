"""Every option is a GOLIVE_* environment variable with a safe default (see docs/configuration.md)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class RenditionSpec(BaseModel):
    """One rung of the adaptive ladder."""

    name: str
    height: int
    video_kbps: int
    audio_kbps: int = 128


DEFAULT_LADDER = [
    RenditionSpec(name="1080p", height=1080, video_kbps=5000, audio_kbps=128),
    RenditionSpec(name="720p", height=720, video_kbps=2800, audio_kbps=128),
    RenditionSpec(name="480p", height=480, video_kbps=1400, audio_kbps=96),
    RenditionSpec(name="360p", height=360, video_kbps=800, audio_kbps=96),
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOLIVE_", env_file=None, extra="ignore")

    data_dir: Path = Path("./var")
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = ""
    public_url: str = ""
    secret_key: str = ""
    redis_url: str = ""
    environment: Literal["development", "production", "test"] = "development"
    trust_proxy_headers: bool = False
    # largest JSON body any endpoint accepts (upload chunks have their own limit)
    max_request_body_bytes: int = 1024 * 1024
    # one log line per request; off by default: the proxy or CDN in front logs requests at scale
    access_log: bool = False

    # jobs
    embedded_worker: bool = True
    worker_threads: int = 2

    # admin auth
    admin_session_hours: int = 12
    login_max_failures: int = 5
    login_window_seconds: int = 300
    login_max_attempts_per_ip: int = 30
    cookie_secure: bool = False

    # how long the public event JSON may be served from memory (0 turns the micro-cache off)
    public_cache_seconds: float = 2.0

    # viewers: the access token, the password throttle, the emailed one-time codes
    viewer_token_minutes: int = 240
    viewer_password_max_failures: int = 5
    viewer_password_max_failures_per_ip: int = 30
    viewer_password_window_seconds: int = 300
    email_code_minutes: int = 15
    email_code_max_attempts: int = 5
    email_code_max_requests: int = 5
    email_code_max_requests_per_ip: int = 30
    email_code_request_window_seconds: int = 900

    # media
    upload_max_bytes: int = 10 * 1024**3
    segment_seconds: int = 4
    ladder: list[RenditionSpec] = Field(default_factory=lambda: list(DEFAULT_LADDER))
    hls_segment_type: Literal["fmp4", "mpegts"] = "fmp4"
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_create_bucket: bool = False
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    playback_url_minutes: int = 120
    delete_grace_hours: int = 24
    # an unfinished tus upload may be resumed for this long (tus expiration extension)
    upload_expiry_hours: int = 24
    # a transcode's progress is written at most this often; its heartbeat proves the worker is alive
    transcode_progress_seconds: float = 1.0
    transcode_heartbeat_seconds: float = 10.0
    # a processing asset whose heartbeat is older than this is retried, at most transcode_max_attempts times
    transcode_stale_seconds: int = 120
    transcode_max_attempts: int = 3

    # email
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "GoLive <no-reply@golive.local>"
    smtp_timeout_seconds: float = 10.0

    # analytics: player telemetry, live counters, retention (docs/configuration.md)
    # a MaxMind-format (.mmdb) city or country database; empty: no GeoIP lookup
    geoip_db: str = ""
    # a header naming the viewer's country that a CDN in front sets (e.g. CF-IPCountry); honoured only when named
    geoip_country_header: str = ""
    # telemetry is written in batches: every this many seconds, or sooner once this many events wait
    telemetry_flush_seconds: float = 1.0
    telemetry_flush_events: int = 5000
    # while the database is unreachable events wait in memory up to this many, then new ones get 503
    telemetry_buffer_max_events: int = 200_000
    # how often the player should send a heartbeat; a session silent this long is closed by the job
    playback_heartbeat_seconds: int = 15
    playback_session_timeout_seconds: int = 120
    # a viewer counts as watching now while their last heartbeat is younger than this
    live_viewer_window_seconds: int = 45
    # raw events and per-session reports older than this are rolled into daily aggregates and deleted
    analytics_retention_days: int = 90

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or the embedded SQLite file inside the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'golive.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def upload_dir(self) -> Path:
        """Unfinished tus uploads, one file per upload."""
        return self.data_dir / "uploads"

    @property
    def source_dir(self) -> Path:
        """Accepted source files, kept until their asset is purged (re-runs and re-transcodes need them)."""
        return self.data_dir / "sources"

    def ensure_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)

    def effective_secret_key(self) -> str:
        """The secret from the environment, or one generated into the data dir on first use."""
        if self.secret_key:
            return self.secret_key
        self.ensure_data_dir()
        key_file = self.data_dir / "secret.key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
