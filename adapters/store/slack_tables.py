"""The Slack adapter's tables, all on the shared ``metadata`` so that ``ensure_schema`` makes them.

- ``slack_installations``, ``slack_bots``, ``slack_oauth_states``: slack_sdk's own SQLAlchemy
  layouts (built with its ``build_*_table`` class methods), so its installation and OAuth
  state stores read and write them, except that the OAuth tokens are stored encrypted with
  ``COACH_DATA_KEY`` (the reflections' cipher) in columns widened to ``Text`` for it;
- ``slack_seen_events``: Events API ``event_id`` values already handled, so that a retried
  event is answered once even when the retry reaches another process;
- ``slack_home_visits``: who has opened the App Home, so that we greet each person once.

The repository functions here are synchronous (the engine is); async callers use
``asyncio.to_thread``.
"""

from __future__ import annotations

import copy
import logging
from datetime import datetime
from typing import Any, TypeVar

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Column, DateTime, Engine, String, Table, Text, delete, insert, or_
from sqlalchemy.exc import IntegrityError

from adapters.store.crypto import ENV_VAR, Cipher, DataKeyError
from adapters.store.db import metadata

log = logging.getLogger(__name__)

_Entity = TypeVar("_Entity", Installation, Bot)

slack_installations: Table = SQLAlchemyInstallationStore.build_installations_table(
    metadata, SQLAlchemyInstallationStore.default_installations_table_name
)
slack_bots: Table = SQLAlchemyInstallationStore.build_bots_table(
    metadata, SQLAlchemyInstallationStore.default_bots_table_name
)
# The OAuth tokens, stored as Fernet tokens: longer than slack_sdk's String(200) allows for a
# rotated token, so they are Text (migration 0002 widened them and encrypted existing rows).
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
for _table in (slack_installations, slack_bots):
    for _name in TOKEN_COLUMNS:
        if _name in _table.c:
            _table.c[_name].type = Text()

slack_oauth_states: Table = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    metadata, SQLAlchemyOAuthStateStore.default_table_name
)

slack_seen_events = Table(
    "slack_seen_events",
    metadata,
    # Slack's event ids are about 11 characters; the headroom costs nothing.
    Column("event_id", String(64), primary_key=True),
    Column("team_id", String(32), nullable=True, index=True),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
    # How adapters.store.cleanup finds a workspace's rows in a Slack-only table.
    info={"platform": "slack", "workspace_column": "team_id"},
)

slack_home_visits = Table(
    "slack_home_visits",
    metadata,
    Column("team_id", String(32), primary_key=True),
    Column("user_id", String(32), primary_key=True),
    Column("first_opened_at", DateTime(timezone=True), nullable=False),
    info={"platform": "slack", "workspace_column": "team_id", "user_column": "user_id"},
)


class SharedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy installation store, on the tables registered above.

    The parent's constructor builds its tables on a private ``MetaData``; we point it at the
    shared tables instead so that one ``ensure_schema`` (and later Alembic) owns the schema.
    """

    def __init__(self, *, client_id: str, engine: Engine, cipher: Cipher | None) -> None:
        self.metadata = metadata
        self.bots = slack_bots
        self.installations = slack_installations
        self.client_id = client_id
        self.engine = engine
        self._logger = log
        # None: COACH_DATA_KEY is unset, and no token is stored or read (never in plain text).
        self._cipher = cipher

    def save(self, installation: Installation) -> None:
        """Save an installation (and its bot) with every token encrypted."""
        super().save(self._sealed(installation))

    def save_bot(self, bot: Bot) -> None:
        """Save a bot installation with its tokens encrypted."""
        super().save_bot(self._sealed(bot))

    # An instance method where slack_sdk has a classmethod: decrypting needs this store's key.
    def build_installation_entity(self, row: Any) -> Installation:  # type: ignore[override]
        """The stored row as an ``Installation``, tokens decrypted."""
        return super().build_installation_entity(self._opened(row))

    def build_bot_entity(self, row: Any) -> Bot:  # type: ignore[override]
        """The stored row as a ``Bot``, tokens decrypted."""
        return super().build_bot_entity(self._opened(row))

    def _sealed(self, entity: _Entity) -> _Entity:
        if self._cipher is None:
            raise DataKeyError(
                f"{ENV_VAR} is not set: Slack tokens are only stored encrypted (see README)"
            )
        sealed = copy.copy(entity)
        for name in TOKEN_COLUMNS:
            value = getattr(sealed, name, None)
            # save() hands the already sealed installation's bot to save_bot: seal once.
            if value and self._cipher.decrypt(value) is None:
                setattr(sealed, name, self._cipher.encrypt(value))
        return sealed

    def _opened(self, row: Any) -> dict[str, Any]:
        opened = dict(row)
        for name in TOKEN_COLUMNS:
            value = opened.get(name)
            if value:
                plain = self._cipher.decrypt(value) if self._cipher is not None else None
                if plain is None:
                    log.warning("slack: a stored %s cannot be decrypted with %s", name, ENV_VAR)
                opened[name] = plain
        return opened


class SharedOAuthStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's SQLAlchemy OAuth state store, on the shared ``slack_oauth_states`` table."""

    def __init__(self, *, expiration_seconds: int, engine: Engine) -> None:
        self.expiration_seconds = expiration_seconds
        self.engine = engine
        self.metadata = metadata
        self.oauth_states = slack_oauth_states
        self._logger = log


def record_event(engine: Engine, *, event_id: str, team_id: str | None, now: datetime) -> bool:
    """Remember ``event_id``; return True the first time it is seen, False for a repeat.

    The primary key does the deciding, so two processes racing on one retry cannot both win.
    """
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(slack_seen_events).values(event_id=event_id, team_id=team_id, seen_at=now)
            )
    except IntegrityError:
        return False
    return True


def prune_events(engine: Engine, *, before: datetime) -> int:
    """Forget event ids seen before ``before`` (Slack stops retrying after about an hour)."""
    with engine.begin() as conn:
        result = conn.execute(delete(slack_seen_events).where(slack_seen_events.c.seen_at < before))
    return result.rowcount or 0


def record_home_visit(engine: Engine, *, team_id: str, user_id: str, now: datetime) -> bool:
    """Remember that a person opened the App Home; return True only on their first visit."""
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(slack_home_visits).values(
                    team_id=team_id, user_id=user_id, first_opened_at=now
                )
            )
    except IntegrityError:
        return False
    return True


def delete_workspace(engine: Engine, *, team_id: str | None, enterprise_id: str | None) -> None:
    """Delete every Slack-specific row held for a workspace (or an org-wide install).

    Installations are deleted for every client id: an uninstalled workspace must not keep a
    token because the app's credentials changed since it was installed.
    """
    with engine.begin() as conn:
        for table in (slack_installations, slack_bots):
            if team_id:
                conn.execute(delete(table).where(table.c.team_id == team_id))
            elif enterprise_id:
                conn.execute(
                    delete(table).where(
                        table.c.enterprise_id == enterprise_id,
                        or_(table.c.team_id.is_(None), table.c.is_enterprise_install.is_(True)),
                    )
                )
        if team_id:
            conn.execute(delete(slack_home_visits).where(slack_home_visits.c.team_id == team_id))
            conn.execute(delete(slack_seen_events).where(slack_seen_events.c.team_id == team_id))
