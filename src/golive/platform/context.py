"""What every request, CLI command and job shares: settings, database, signers, limiter."""

from __future__ import annotations

from dataclasses import dataclass, field

from golive.platform.db import Database, DatabaseTimeouts
from golive.platform.micro_cache import MicroCache
from golive.platform.passwords import use_password_hash_profile
from golive.platform.ratelimit import RateLimiter
from golive.platform.settings import Settings
from golive.platform.tokens import TokenSigner, UrlSigner


@dataclass
class AppContext:
    settings: Settings
    db: Database
    tokens: TokenSigner
    urls: UrlSigner
    limiter: RateLimiter
    # this process's public answers every visitor reads alike (the site's settings and home page)
    public_answers: MicroCache = field(default_factory=MicroCache)

    @classmethod
    def from_settings(cls, settings: Settings) -> AppContext:
        settings.ensure_data_dir()
        use_password_hash_profile(settings.password_hash_profile)
        secret = settings.effective_secret_key()
        return cls(
            settings=settings,
            db=Database(
                settings.resolved_database_url,
                DatabaseTimeouts(
                    connect_seconds=settings.db_connect_timeout_seconds,
                    pool_seconds=settings.db_pool_timeout_seconds,
                    statement_seconds=settings.db_statement_timeout_seconds,
                    command_seconds=settings.db_command_timeout_seconds,
                ),
            ),
            tokens=TokenSigner(secret),
            urls=UrlSigner(secret),
            limiter=RateLimiter(settings.redis_url),
        )

    async def close(self) -> None:
        await self.db.dispose()
