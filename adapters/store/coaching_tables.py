"""The coaching loop's tables: self-assessments and the chosen focus, both encrypted.

Both follow the ``platform``/``workspace_id``/``user_id`` convention, so ``forget me`` and
uninstalls (:mod:`adapters.store.cleanup`) delete them with everything else. The ratings and
the focus rows are personal development data: they are stored only as Fernet tokens, like
reflections; what stays in the clear is who and when, which the store needs to find them.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text, UniqueConstraint

from adapters.store.db import metadata
from adapters.store.nudge_tables import UTCDateTime

coaching_assessments = Table(
    "coaching_assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("workspace_id", String(64), nullable=False),
    Column("user_id", String(128), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    # True while unfinished, NULL once finished. With the unique constraint below this allows
    # one unfinished assessment per person (NULLs never clash, on SQLite and PostgreSQL alike)
    # without a partial index, so two "assess" at once cannot start two.
    Column("unfinished", Boolean, nullable=True),
    # Bumped on every write: a rating is read, merged and written back only if nobody else
    # wrote in between (two forms submitted at once both keep their answers).
    Column("version", Integer, nullable=False, default=0),
    # A Fernet token of the ratings as JSON: the ratings themselves are never stored.
    Column("ratings", Text, nullable=False),
    UniqueConstraint(
        "platform", "workspace_id", "user_id", "unfinished", name="uq_assessment_open"
    ),
    Index("ix_coaching_assessments_owner", "platform", "workspace_id", "user_id"),
)

coaching_focus = Table(
    "coaching_focus",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("workspace_id", String(64), nullable=False),
    Column("user_id", String(128), nullable=False),
    # A Fernet token of the chosen row ids as JSON, in the person's order.
    Column("rows", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "workspace_id", "user_id", name="uq_focus_owner"),
)
