"""The nudge tables: subscriptions, the delivery ledger and the journal.

Every table that holds something about a person carries ``platform``, ``workspace_id`` and
``user_id`` columns under exactly those names: :mod:`adapters.store.cleanup` finds them by
name for ``forget me`` and for uninstalls, so a new table is covered by naming its columns so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

from adapters.store.db import metadata


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite hands back naive ones otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        # SQLite stores text; without the offset every value sorts and compares alike.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


nudge_subscriptions = Table(
    "nudge_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("workspace_id", String(64), nullable=False),
    # Empty for a channel subscription, which belongs to the channel, not to a person.
    Column("user_id", String(128), nullable=False),
    # The channel of a channel subscription; empty for a person's DM subscription.
    Column("conversation_id", String(256), nullable=False),
    Column("weekday", SmallInteger, nullable=False),
    Column("hour", SmallInteger, nullable=False),
    Column("minute", SmallInteger, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("paused_until", Date, nullable=True),
    Column("skip_key", String(10), nullable=True),
    # Whose bank holidays move the nudge (bot.nudges.bank_holidays); migration 0004.
    Column("holiday_region", String(24), nullable=False, server_default="england-wales"),
    Column("seed", BigInteger, nullable=False),
    Column("position", Integer, nullable=False),
    Column("stopped_reason", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint(
        "platform", "workspace_id", "user_id", "conversation_id", name="uq_nudge_target"
    ),
    Index("ix_nudge_subscriptions_active", "active"),
)

nudge_deliveries = Table(
    "nudge_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("nudge_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # Copied from the subscription so that cleanup by column name reaches the ledger too.
    Column("platform", String(16), nullable=False),
    Column("workspace_id", String(64), nullable=False),
    Column("user_id", String(128), nullable=False),
    # The slot's local date: with subscription_id, the exactly-once key.
    Column("slot_key", String(10), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("row_id", String(32), nullable=False),
    Column("prompt_index", SmallInteger, nullable=False),
    # claimed -> sent | failed. A claimed row whose lease ran out (or was released after
    # transient failures) is claimed again by the next pass.
    Column("status", String(8), nullable=False),
    Column("claim_token", String(32), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("attempts", SmallInteger, nullable=False),
    Column("last_error", String(200), nullable=False),
    Column("message_ref", String(128), nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("subscription_id", "slot_key", name="uq_nudge_delivery_slot"),
    Index("ix_nudge_deliveries_message_ref", "platform", "workspace_id", "message_ref"),
    Index("ix_nudge_deliveries_slot_key", "slot_key"),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("workspace_id", String(64), nullable=False),
    Column("user_id", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("row_id", String(32), nullable=False),
    Column("question", Text, nullable=False),
    # A Fernet token; the reflection text itself is never stored.
    Column("body", Text, nullable=False),
    Index("ix_journal_owner", "platform", "workspace_id", "user_id", "created_at"),
)
