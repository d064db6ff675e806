"""Multi-workspace install: slack_sdk's SQLAlchemy stores, made async for Bolt's ``AsyncApp``.

slack_sdk's async SQLAlchemy stores need an async engine and driver (aiosqlite, asyncpg); the
project has one synchronous engine on ``DATABASE_URL``. So the synchronous stores do the work,
on the shared tables, and these wrappers run each call in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import Engine

from adapters.slack.config import SlackConfig
from adapters.store.crypto import ENV_VAR, Cipher
from adapters.store.slack_tables import SharedInstallationStore, SharedOAuthStateStore

log = logging.getLogger(__name__)

STATE_EXPIRATION_SECONDS = 600


class ThreadedInstallationStore(AsyncInstallationStore):
    """The async face of :class:`SharedInstallationStore`."""

    def __init__(self, *, client_id: str, engine: Engine, cipher: Cipher | None) -> None:
        self.sync = SharedInstallationStore(client_id=client_id, engine=engine, cipher=cipher)

    @property
    def logger(self) -> logging.Logger:
        """The logger Bolt reports store problems on."""
        return log

    async def async_save(self, installation: Installation) -> None:
        """Save an installation (and its bot)."""
        await asyncio.to_thread(self.sync.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        """Save a bot installation."""
        await asyncio.to_thread(self.sync.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """Find the latest bot installed in a workspace."""
        return await asyncio.to_thread(
            self.sync.find_bot,
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """Find the latest installation in a workspace (by a given user, if any)."""
        return await asyncio.to_thread(
            self.sync.find_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Delete a workspace's bot installations."""
        await asyncio.to_thread(self.sync.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Delete a workspace's installations (only one user's, if given)."""
        await asyncio.to_thread(
            self.sync.delete_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
        )


class ThreadedOAuthStateStore(AsyncOAuthStateStore):
    """The async face of :class:`SharedOAuthStateStore`."""

    def __init__(
        self, *, engine: Engine, expiration_seconds: int = STATE_EXPIRATION_SECONDS
    ) -> None:
        self.sync = SharedOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine)

    @property
    def logger(self) -> logging.Logger:
        """The logger Bolt reports store problems on."""
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """Issue a new one-time ``state`` for the install link."""
        return await asyncio.to_thread(self.sync.issue)

    async def async_consume(self, state: str) -> bool:
        """Use up ``state``; True only if it was issued here and has not expired."""
        return await asyncio.to_thread(self.sync.consume, state)


def token_cipher(config: SlackConfig) -> Cipher | None:
    """The cipher for stored OAuth tokens (``COACH_DATA_KEY``), or None when it is unset.

    Raises:
        DataKeyError: when the key is malformed.
    """
    return Cipher.from_env({ENV_VAR: config.data_key})


def oauth_settings(config: SlackConfig, *, engine: Engine) -> AsyncOAuthSettings:
    """Bolt's OAuth settings: ``/slack/install`` and ``/slack/oauth_redirect`` on our stores."""
    return AsyncOAuthSettings(
        client_id=config.client_id,
        client_secret=config.client_secret,
        scopes=list(config.scopes),
        user_scopes=[],
        redirect_uri=config.redirect_uri,
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        installation_store=ThreadedInstallationStore(
            client_id=config.client_id, engine=engine, cipher=token_cipher(config)
        ),
        installation_store_bot_only=True,
        state_store=ThreadedOAuthStateStore(engine=engine),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        logger=log,
    )
