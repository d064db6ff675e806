"""Throwaway databases for tests: a SQLite file, or a private schema on the local PostgreSQL.

PostgreSQL tests use a fresh schema each (``search_path`` in the URL), so that parallel runs
and other engineers' tests never see each other's rows. They skip, saying why, when no
server answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from adapters.store.db import make_engine
from adapters.store.schema import ensure_schema

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'coach.db'}"


def sqlite_engine(folder: Path) -> Engine:
    engine = make_engine(sqlite_url(folder))
    ensure_schema(engine)
    return engine


def _pg_admin() -> Engine:
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 database 'test': {exc}")
    return engine


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections live in a brand-new schema, dropped afterwards."""
    admin = _pg_admin()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def pg_engine() -> Iterator[Engine]:
    with pg_schema_url() as url:
        engine = make_engine(url)
        ensure_schema(engine)
        try:
            yield engine
        finally:
            engine.dispose()
