"""Reflections held by the safe-reflection check (``bot.safety.held``), encrypted, short-lived.

Named by the ``platform``/``workspace_id``/``user_id`` convention, so ``forget me`` and
uninstalls delete them with everything else.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text, UniqueConstraint

from adapters.store.db import metadata
from adapters.store.nudge_tables import UTCDateTime

held_reflections = Table(
    "held_reflections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("workspace_id", String(64), nullable=False),
    Column("user_id", String(128), nullable=False),
    Column("row_id", String(32), nullable=False),
    Column("question", Text, nullable=False),
    # A Fernet token, as in journal_entries: the text itself is never stored.
    Column("body", Text, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    # One held reflection per person: holding a new one replaces the old.
    UniqueConstraint("platform", "workspace_id", "user_id", name="uq_held_owner"),
)
