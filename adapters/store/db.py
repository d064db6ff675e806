"""Engine creation and the one SQLAlchemy ``MetaData`` every table registers on.

``DATABASE_URL`` defaults to SQLite in the working folder. Heroku's ``postgres://`` form is
accepted, because Heroku still hands it out and SQLAlchemy 1.4+ refuses it.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine, MetaData, create_engine, event

from adapters.store.file_guard import guard_sqlite_file

DEFAULT_URL = "sqlite:///coach.db"

# A naming convention keeps Alembic's constraint names stable across SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def database_url(raw: str | None = None) -> str:
    """Return the SQLAlchemy URL for ``raw`` (or ``$DATABASE_URL``), normalising Heroku's form."""
    url = raw if raw is not None else os.environ.get("DATABASE_URL", "")
    url = url.strip() or DEFAULT_URL
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(raw: str | None = None) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so that two processes can share it."""
    url = database_url(raw)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        guard_sqlite_file(engine)  # a deleted or replaced file is an outage, not "Saved"
        return engine
    # A database host that drops packets would otherwise hold a request (and a worker thread)
    # for the OS's TCP timeout of minutes; five seconds then "try again shortly" is kinder.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
