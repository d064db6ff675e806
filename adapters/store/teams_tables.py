"""Tables the Teams adapter keeps: conversation references and activity ids already handled.

Both live on the shared :data:`adapters.store.db.metadata`, so ``ensure_schema`` (and the
Alembic migrations that replace it) create them alongside every other table.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Text, UniqueConstraint

from adapters.store.db import metadata

# One row per (conversation, person): the proactive-messaging address of that person in that
# conversation. A personal chat has one row; a channel has one per person who spoke there, so
# that a channel-only user can still be reached (a 1:1 chat is created from their row).
teams_conversation_references = Table(
    "teams_conversation_references",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Teams ids are opaque and long (channel ids run past 100 characters); 512 is ample.
    Column("conversation_id", String(512), nullable=False),
    Column("user_id", String(256), nullable=False),
    Column("tenant_id", String(64), nullable=False, default=""),
    Column("conversation_type", String(32), nullable=False, default="personal"),
    Column("team_id", String(256), nullable=True),
    Column("service_url", String(1024), nullable=False),
    Column("bot_id", String(256), nullable=False, default=""),
    # The SDK's ConversationReference as JSON, without the user's display name.
    Column("reference", Text, nullable=False),
    # Set when Teams answered 403 (blocked, uninstalled); cleared when the person writes again.
    Column("unreachable_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conversation_id", "user_id"),
    Index("ix_teams_refs_tenant_user", "tenant_id", "user_id"),
    Index("ix_teams_refs_team", "team_id"),
    # How adapters.store.cleanup finds a person's rows for "forget me" (no platform column).
    info={"platform": "teams", "workspace_column": "tenant_id", "user_column": "user_id"},
)

# Keys of activities (and welcomes) already handled, so that a retried delivery is handled once
# even when another process took the first attempt. The key is a SHA-256 hex digest, which keeps
# the primary key short whatever the length of Teams' ids.
teams_seen_activities = Table(
    "teams_seen_activities",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Index("ix_teams_seen_at", "seen_at"),
)
