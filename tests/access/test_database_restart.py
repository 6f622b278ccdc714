"""Viewers keep getting in when PostgreSQL drops the app's connections (a restart, a failover): at most
one join is asked to retry (503), none sees a 500, and the pool heals by itself."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.support import AdminLogin, Factory


def drop_every_other_connection(database_url: str) -> int:
    """What a server restart does to the app's pooled connections, from outside the app."""
    url = make_url(database_url)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


async def test_admissions_heal_after_the_database_drops_its_connections(
    factory: Factory, owner: AdminLogin, database_url: str, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite has no server to drop connections")
    event = await factory.open_event(owner)
    form_fields = [{"name": "email", "label": "Email", "type": "email", "required": True}]
    form_event = await factory.open_event(owner, accessType="form", formFields=form_fields)
    warm = await asyncio.gather(*(factory.register(event["eventId"]) for _ in range(20)))  # a pool full of them
    assert {r.status_code for r in warm} == {200}

    assert drop_every_other_connection(database_url) > 0
    statuses = [(await factory.register(event["eventId"])).status_code for _ in range(12)]
    # a person's registration takes a transaction on asyncpg's pool
    people = [
        (await factory.register(form_event["eventId"], formData={"email": f"p{n}@example.com"})).status_code
        for n in range(6)
    ]

    assert 500 not in statuses + people, (statuses, people)
    assert statuses.count(503) <= 1 and statuses[-5:] == [200] * 5, statuses
    # the first may meet SQLAlchemy's dropped connection (the form event's gate is read there first)
    assert people.count(503) <= 1 and people[-5:] == [200] * 5, people
