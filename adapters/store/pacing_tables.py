"""The shared pacing buckets (:mod:`app.delivery.shared_pacing`): one row per paced scope.

A row holds transient timing, not data: a scope is a tenant, workspace or channel id, never a
person, so ``forget me`` has nothing to find here. Only PostgreSQL clocks use it (SQLite means
one clock, which paces in memory); it is migrated on every backend so the schemas match.
"""

from __future__ import annotations

from sqlalchemy import Column, Double, Table, Text

from adapters.store.db import metadata

coach_pacing = Table(
    "coach_pacing",
    metadata,
    # "teams\x1f<tenant>", "slack\x1f<workspace>" or "slack-channel\x1f<workspace>\x1f<channel>".
    Column("scope", Text, primary_key=True),
    # The earliest time (seconds since the epoch, the database's clock) the next send may go.
    Column("next_at", Double, nullable=False),
)
