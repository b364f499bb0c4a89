"""Which database the suite runs on: SQLite files in each test's folder (the default), or
PostgreSQL when PASSERELLE_TEST_POSTGRESQL names a server (`./dev test` starts a throw-away
cluster and runs the suite a second time with it). Each test then gets an empty database,
emptied again afterwards; every app the test makes, and every process it starts, finds it
through WIKI_DATABASE_URL."""
from __future__ import annotations

import os
import weakref
from contextlib import contextmanager
from functools import cache

import pytest
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.pool import NullPool

# A server URL whose user may create databases, e.g. postgresql+psycopg://wiki:pw@localhost/postgres
SERVER = os.environ.get("PASSERELLE_TEST_POSTGRESQL", "")
ON_POSTGRESQL = bool(SERVER)


def sqlite_only(reason: str):
    """For a test about SQLite itself (its file, its locks): says why it does not run on PostgreSQL."""
    return pytest.mark.skipif(ON_POSTGRESQL, reason=f"SQLite only: {reason}")


@cache
def _server():
    return create_engine(SERVER, poolclass=NullPool, isolation_level="AUTOCOMMIT")


# Every engine that connected: a test's apps are not all disposed by the test, and psycopg
# warns about a connection that is garbage-collected open.
_engines: weakref.WeakSet = weakref.WeakSet()


@event.listens_for(Engine, "engine_connect")
def _remember(connection):
    _engines.add(connection.engine)


@cache
def _database(use: str) -> str:
    """The URL of this process's database for `use` (the test's, a second one, the browser
    tests' server), created once: emptying a schema is far quicker than CREATE DATABASE."""
    name = f"passerelle_{use}_{os.getpid()}"
    with _server().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


def _empty(url: str) -> None:
    name = make_url(url).database
    with _server().connect() as connection:  # what a test left connected (threads, processes)
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@contextmanager
def fresh_database(use: str = "test"):
    """The URL of an empty PostgreSQL database, emptied again on the way out (after the test's
    background work has stopped and its pools are closed)."""
    from wiki import search

    url = _database(use)
    try:
        yield url
    finally:
        search.wait_for_rebuild()
        for engine in list(_engines):
            engine.dispose()
        _empty(url)


def drop_databases() -> None:
    """At the end of the run: this process's databases go."""
    for use in ("test", "other", "server"):
        name = f"passerelle_{use}_{os.getpid()}"
        with _server().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
