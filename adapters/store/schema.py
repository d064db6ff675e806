"""Bring a database's schema up to date with Alembic (``alembic upgrade head``).

``coach db upgrade``, ``coach serve`` and ``coach clock`` all call :func:`ensure_schema`, and
may do so at the same moment during a deploy; the upgrade therefore runs under a lock
(PostgreSQL: an advisory lock; SQLite: ``BEGIN IMMEDIATE``), so the second process waits and
then finds nothing to do. Every table is found through :mod:`adapters.store.tables`; the
``coach db`` command line lives in :mod:`app.db_command`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from adapters.store.db import make_engine, metadata
from adapters.store.tables import import_table_modules

log = logging.getLogger(__name__)
# Alembic announces each of its plugins at INFO on every start; that is not news.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed number will do; it only has to be the same in every process of this app.
_PG_LOCK_KEY = 0x5EC0AC4


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for our migrations, with no ``alembic.ini`` needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration's revision id."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` if it has never been migrated."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(engine: Engine) -> None:
    """Create or migrate every table the coach uses on ``engine`` (``upgrade head``)."""
    import_table_modules()
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        elif conn.dialect.name == "sqlite":
            # Take the write lock before reading the version, so two processes cannot both
            # decide to create the tables.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        _adopt_unversioned(conn)
        command.upgrade(alembic_config(conn), "head")
        conn.commit()


def _adopt_unversioned(conn: Connection) -> None:
    # A database made by the old create_all() start-up has every table but no version row:
    # stamp it as the first revision, rather than fail on "table already exists".
    present = set(inspect(conn).get_table_names())
    if "alembic_version" in present or not present:
        return
    missing = {t.name for t in metadata.sorted_tables} - present
    if missing:
        return
    script = ScriptDirectory.from_config(alembic_config())
    base = [r for r in script.walk_revisions() if r.down_revision is None]
    if base:
        log.warning("database has tables but no migration history: stamping %s", base[0].revision)
        command.stamp(alembic_config(conn), base[0].revision)


def upgrade(url: str | None = None) -> str | None:
    """Upgrade the database at ``url`` (default ``$DATABASE_URL``); return its new revision."""
    engine = make_engine(url)
    try:
        ensure_schema(engine)
        return current_revision(engine)
    finally:
        engine.dispose()
