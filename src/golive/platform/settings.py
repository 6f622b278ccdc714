"""Every option is a GOLIVE_* environment variable with a safe default (see docs/configuration.md)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from golive.platform.passwords import PasswordHashProfile


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


# The live ladder's encoded rungs; the publisher's own stream is the top rung (passthrough).
DEFAULT_LIVE_LADDER = [
    RenditionSpec(name="720p", height=720, video_kbps=2500, audio_kbps=128),
    RenditionSpec(name="480p", height=480, video_kbps=1200, audio_kbps=96),
    RenditionSpec(name="360p", height=360, video_kbps=700, audio_kbps=96),
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
    # with trust_proxy_headers: the proxies (comma-separated addresses or CIDRs) whose X-Forwarded-For counts
    trusted_proxies: str = "127.0.0.1,::1"
    # largest JSON body any endpoint accepts (upload chunks have their own limit)
    max_request_body_bytes: int = 1024 * 1024
    # one log line per request; off by default: the proxy or CDN in front logs requests at scale
    access_log: bool = False
    # the server's log on stderr: its least level, and plain text or one JSON object per line
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["text", "json"] = "text"

    # database deadlines (PostgreSQL; SQLite has its busy timeout): past any of them a request answers 503
    # instead of waiting on a database that accepts connections but answers nothing (docs/decisions.md)
    # opening a connection (asyncpg's connect timeout)
    db_connect_timeout_seconds: float = 5.0
    # waiting for a free pooled connection (SQLAlchemy's pool and asyncpg's own)
    db_pool_timeout_seconds: float = 10.0
    # the server cancels a statement running longer (statement_timeout; jobs included; 0 turns it off)
    db_statement_timeout_seconds: float = 30.0
    # the client gives up on an answer that has not come (asyncpg's command_timeout; 0 turns it off)
    db_command_timeout_seconds: float = 35.0
    # /healthz answers 503 when the database has not answered its SELECT 1 within this
    healthz_timeout_seconds: float = 2.0

    # jobs
    embedded_worker: bool = True
    worker_threads: int = 2

    # admin auth
    admin_session_hours: int = 12
    login_max_failures: int = 5
    login_window_seconds: int = 300
    login_max_attempts_per_ip: int = 30
    # audience accounts: how long a sign-in lasts on a device (the credential throttles are the admins')
    account_session_days: int = 30
    # session cookies say Secure (sent over https only); unset: when GOLIVE_PUBLIC_URL is https
    cookie_secure: bool | None = None
    # argon2 parameters for new password hashes: `default` (RFC 9106, argon2-cffi's default) or `fast` (the
    # cheapest argon2 allows, for test suites); `fast` is never implied and is refused in production
    password_hash_profile: PasswordHashProfile = "default"

    # how long the public event JSON may be served from memory (0 turns the micro-cache off)
    public_cache_seconds: float = 2.0

    # viewers: the access token, the password throttle, the emailed one-time codes
    viewer_token_minutes: int = 240
    viewer_password_max_failures: int = 5
    viewer_password_max_failures_per_ip: int = 30
    viewer_password_window_seconds: int = 300
    # wrong passwords per event and window, from all addresses together (0: no per-event budget)
    viewer_password_max_failures_per_event: int = 100
    email_code_minutes: int = 15
    email_code_max_attempts: int = 5
    email_code_max_requests: int = 5
    email_code_max_requests_per_ip: int = 30
    email_code_request_window_seconds: int = 900

    # media
    upload_max_bytes: int = 10 * 1024**3
    # unfinished uploads one admin may hold open at once; one more answers 409
    upload_max_open_per_admin: int = 10
    # every unfinished upload's declared bytes still to come must fit the upload folder's free disk space,
    # less this reserve (the database, logs and transcodes need room too); past it a new upload answers 507
    upload_disk_reserve_bytes: int = 1024**3
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
    # admins' links (console previews): signed for this long
    playback_url_minutes: int = 120
    # a viewer's media links are signed for this long only, and the player renews them through the playback
    # endpoint (which asks access) at a third of it: a refund or a changed gate stops a playing stream this soon,
    # while nginx still checks segments with the key and the clock alone
    playback_signature_seconds: int = Field(default=60, ge=3)
    delete_grace_hours: int = 24
    # an unfinished tus upload may be resumed for this long (tus expiration extension)
    upload_expiry_hours: int = 24
    # a transcode's progress is written at most this often; its heartbeat proves the worker is alive
    transcode_progress_seconds: float = 1.0
    transcode_heartbeat_seconds: float = 5.0
    # a processing asset whose heartbeat is older than this is retried, at most transcode_max_attempts times
    transcode_stale_seconds: float = 20.0
    # every worker looks for stale transcodes this often: a dead worker's job is re-queued within
    # transcode_stale_seconds + transcode_recovery_seconds
    transcode_recovery_seconds: float = 5.0
    transcode_max_attempts: int = 3

    # email
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "GoLive <no-reply@golive.local>"
    smtp_timeout_seconds: float = 10.0

    # payments: `local` is the built-in test provider (its own checkout page, test cards, signed webhooks);
    # `stripe` needs the secret key and the webhook endpoint's signing secret
    payment_provider: Literal["local", "stripe"] = "local"
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    # another Stripe API address (a stand-in in tests, a proxy); empty: Stripe's own
    stripe_api_base: str = ""
    # a viewer's checkout stays open this long (Stripe accepts 30 minutes to 24 hours)
    checkout_expiry_minutes: int = 60
    # webhook signatures older than this are refused (Stripe's default tolerance)
    webhook_tolerance_seconds: int = 300
    # where the local provider delivers its webhooks; empty: this server over loopback
    local_webhook_url: str = ""
    # the local provider's asynchronous test cards settle (succeed or fail) after this many seconds
    local_async_payment_seconds: int = 5

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
    # open playback sessions per viewer (tabs, devices); opening one more closes the viewer's oldest
    playback_max_open_sessions_per_viewer: int = 1
    # an open playback session's telemetry and a viewer's live-stats stream ask `access.decide` again at most
    # this often (0: on every post): a refund or revocation stops them within this many seconds
    playback_access_recheck_seconds: float = Field(default=15.0, ge=0, le=30)
    # a viewer counts as watching now while their last heartbeat is younger than this
    live_viewer_window_seconds: int = 45
    # open live viewer-count streams (SSE) per client IP on one instance; more answer 429
    live_stats_max_streams_per_ip: int = 20
    # how often an open notifications stream looks for what another process wrote (a commit here wakes it at once)
    notification_poll_seconds: float = Field(default=15.0, gt=0, le=300)
    # raw events and per-session reports older than this are rolled into daily aggregates and deleted
    analytics_retention_days: int = 90

    # live: the embedded RTMP ingest, the live ladder, reconnects, the nginx-rtmp hooks (docs/decisions.md, "Live")
    # where encoders publish (rtmp://HOST:PORT/live/<stream key>); 0 or "off" turns the listener off
    rtmp_port: int = 1935
    # the address the RTMP listener binds; empty: GOLIVE_HOST
    rtmp_host: str = ""
    # the RTMP URL shown to admins (e.g. behind nginx-rtmp); empty: rtmp://<public host>:<rtmp port>/live
    rtmp_public_url: str = ""
    # a connection must have sent `publish` this soon after connecting, or it is closed
    rtmp_publish_deadline_seconds: float = 10.0
    # connections from one address at a time (publishers, idle sockets, guesses)
    rtmp_max_connections_per_ip: int = 5
    # live HLS: segment length, the sliding window every viewer gets, and how far back the DVR playlists reach
    live_segment_seconds: int = 1
    live_window_seconds: int = 30
    live_dvr_seconds: int = 1800
    # lower rungs encoded next to the passthrough source (only those smaller than the source)
    live_ladder: list[RenditionSpec] = Field(default_factory=lambda: list(DEFAULT_LIVE_LADDER))
    # a publisher who drops and comes back within this window continues the same broadcast
    live_reconnect_window_seconds: int = 60
    # how often ingest health and the publisher's lease are written (and ended events noticed)
    live_health_seconds: float = 2.0
    # a publisher's lease (renewed every live_health_seconds) lapses after this long without a renewal: its
    # instance died. An nginx-rtmp stream is then pulled again by another instance (at least 2 renewals long)
    live_lease_seconds: float = 10.0
    # nginx-rtmp's on_publish/on_publish_done must send ?secret=<this>; empty: the hooks answer 404
    ingest_hook_secret: str = ""
    # where GoLive pulls a stream nginx-rtmp accepted (rtmp://nginx:1935/live); empty: the hook's tcurl
    ingest_relay_url: str = ""
    # nginx-rtmp's rtmp_control (http://127.0.0.1:8086/control): encoders of rotated keys and ended events are
    # dropped there; empty: they stay connected to nginx (GoLive ignores them)
    ingest_control_url: str = ""

    @model_validator(mode="after")
    def _stripe_needs_its_keys(self) -> Settings:
        if self.payment_provider == "stripe" and not (self.stripe_secret_key and self.stripe_webhook_secret):
            raise ValueError(
                "GOLIVE_PAYMENT_PROVIDER=stripe needs GOLIVE_STRIPE_SECRET_KEY and GOLIVE_STRIPE_WEBHOOK_SECRET"
            )
        return self

    @model_validator(mode="after")
    def _fast_hashing_is_for_tests(self) -> Settings:
        if self.password_hash_profile == "fast" and self.environment == "production":
            raise ValueError("GOLIVE_PASSWORD_HASH_PROFILE=fast is for test suites, not GOLIVE_ENVIRONMENT=production")
        return self

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("rtmp_port", mode="before")
    @classmethod
    def _rtmp_off(cls, value: object) -> object:
        """`GOLIVE_RTMP_PORT=off` (or empty) turns the embedded RTMP listener off, like 0."""
        if isinstance(value, str) and value.strip().lower() in {"", "off", "false", "no", "none"}:
            return 0
        return value

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        """`GOLIVE_LOG_LEVEL=INFO` and `=info` mean the same."""
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or the embedded SQLite file inside the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'golive.platform.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        """Asked for, or by default whenever viewers and admins reach us over https."""
        return self.cookie_secure if self.cookie_secure is not None else self.base_url.startswith("https://")

    @property
    def local_webhook_target(self) -> str:
        """The local provider's webhook destination: this very server, reached over loopback."""
        if self.local_webhook_url:
            return self.local_webhook_url
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/api/webhooks/local"

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
