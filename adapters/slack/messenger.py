"""Proactive messages to Slack (weekly nudges): ``bot.ports.Messenger`` for Slack.

A send never raises for a platform error; it says what happened, by kind, so that the nudge
clock knows whether to try again (:attr:`SendStatus.TRANSIENT`) or to stop trying
(:attr:`SendStatus.PERMANENT`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine

from adapters.slack.client import make_web_client
from adapters.slack.config import SlackConfig
from adapters.slack.render import render_reply
from bot.identity import Who
from bot.models import Reply
from bot.ports import SendResult, SendStatus

log = logging.getLogger(__name__)

# Errors that retrying will never fix: the person, channel or installation is gone or barred.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "cannot_dm_bot",
        "team_access_not_granted",
        "no_installation",
    }
)
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
DEFAULT_RETRY_AFTER = 30.0
# Distinct rendered nudges kept: the framework has 30 rows with a few prompts each.
MAX_RENDERED = 256


class TokenSource(Protocol):
    """Finds the bot token for a workspace."""

    async def bot_token(self, workspace_id: str) -> str | None:
        """Return the workspace's bot token, or None when the app is not installed there."""
        ...


class StaticToken:
    """Single-workspace mode: one bot token, whatever the workspace."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def bot_token(self, workspace_id: str) -> str | None:
        """Return the one token."""
        return self._token


class InstalledTokens:
    """OAuth mode: each workspace's bot token from the installation store."""

    def __init__(self, store: AsyncInstallationStore) -> None:
        self._store = store

    async def bot_token(self, workspace_id: str) -> str | None:
        """Return the latest bot token installed in ``workspace_id``."""
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=workspace_id)
        return bot.bot_token if bot is not None else None


class SlackMessenger:
    """Sends replies to a person's DM with the app, or to a channel."""

    def __init__(
        self,
        *,
        tokens: TokenSource,
        base_url: str,
        timeout: int = 10,
        rate_limit_retries: int = 1,
        max_dm_cache: int = 50_000,
    ) -> None:
        self._tokens = tokens
        self._base_url = base_url
        self._timeout = timeout
        self._rate_limit_retries = rate_limit_retries
        self._clients: dict[str, AsyncWebClient] = {}
        # One pooled HTTP session for every send: a nudge run makes thousands of calls, and a
        # session per call would open a connection per call. Bound to the loop that made it.
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None
        # conversations.open is idempotent but costs a call; a nudge run reuses the DM id.
        self._dm_channels: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._max_dm_cache = max_dm_cache
        # A delivery pass sends thousands of people one of a few dozen nudges, and rendering
        # one costs more than its HTTP call: each distinct reply is rendered once. Bounded;
        # a reply is a frozen value, so an equal reply always renders the same.
        self._rendered: OrderedDict[Reply, dict[str, Any]] = OrderedDict()

    @classmethod
    def from_env(
        cls, env: Mapping[str, str], *, engine: Engine | None = None
    ) -> SlackMessenger | None:
        """Build the messenger the environment configures; None when Slack is not configured.

        OAuth mode needs ``engine`` to find each workspace's token.
        """
        config = SlackConfig.from_env(env)
        if config.oauth and engine is not None:
            from adapters.slack.installation import ThreadedInstallationStore, token_cipher

            store = ThreadedInstallationStore(
                client_id=config.client_id, engine=engine, cipher=token_cipher(config)
            )
            return cls(tokens=InstalledTokens(store), base_url=config.api_url)
        if config.bot_token:
            return cls(tokens=StaticToken(config.bot_token), base_url=config.api_url)
        return None

    async def send(self, *, recipient: Who, reply: Reply) -> SendResult:
        """Post ``reply`` to the recipient's channel, or their DM; classify any failure."""
        try:
            # A message needs no conversations.open: chat.postMessage given a person's user
            # id posts in the app's DM with them (its Messages tab). Half the calls of a pass.
            target = await self._target(recipient, open_dm=False)
            if target is None:
                return SendResult(status=SendStatus.PERMANENT, detail="no_installation")
            client, channel = target
            response = await client.chat_postMessage(channel=channel, **self._render(reply))
            return SendResult(status=SendStatus.SENT, message_ref=str(response.get("ts") or ""))
        except _FAILURES as err:
            return _failure(err)

    async def send_file(
        self,
        *,
        recipient: Who,
        filename: str,
        content: bytes,
        title: str = "",
        initial_comment: str = "",
    ) -> SendResult:
        """Upload a file (a journal export, say) into the recipient's DM or channel."""
        try:
            target = await self._target(recipient)
            if target is None:
                return SendResult(status=SendStatus.PERMANENT, detail="no_installation")
            client, channel = target
            response = await client.files_upload_v2(
                channel=channel,
                filename=filename,
                content=content,
                title=title or filename,
                initial_comment=initial_comment or None,
            )
            file_info = response.get("file") or {}
            return SendResult(status=SendStatus.SENT, message_ref=str(file_info.get("id") or ""))
        except _FAILURES as err:
            return _failure(err)

    async def _target(
        self, recipient: Who, *, open_dm: bool = True
    ) -> tuple[AsyncWebClient, str] | None:
        """The workspace's client and the channel to post in; None when not installed there.

        A file upload needs the DM's own id (``open_dm``); a message can name the person.
        """
        client = await self._client(recipient.workspace_id)
        if client is None:
            return None
        if recipient.conversation_id:
            return client, recipient.conversation_id
        if not open_dm:
            return client, recipient.user_id
        return client, await self._dm_channel(client, recipient)

    async def __aenter__(self) -> SlackMessenger:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled HTTP session (the nudge clock calls this when it stops)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        self._clients.clear()

    async def _client(self, workspace_id: str) -> AsyncWebClient | None:
        token = await self._tokens.bot_token(workspace_id)
        if not token:
            return None
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            # A session cannot cross event loops (a CLI pass per asyncio.run, say).
            # slack_sdk applies its timeout only to sessions it makes itself.
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout)
            )
            self._session_loop = loop
            self._clients.clear()
        client = self._clients.get(token)
        if client is None:
            client = make_web_client(
                token=token,
                base_url=self._base_url,
                timeout=self._timeout,
                rate_limit_retries=self._rate_limit_retries,
                session=self._session,
            )
            self._clients[token] = client
        return client

    def _render(self, reply: Reply) -> dict[str, Any]:
        """The ``text`` and ``blocks`` of ``reply``, rendered once per distinct reply."""
        found = self._rendered.get(reply)
        if found is None:
            found = render_reply(reply).as_kwargs(validate=False)
            self._rendered[reply] = found
            while len(self._rendered) > MAX_RENDERED:
                self._rendered.popitem(last=False)
        # A fresh outer dict per call: slack_sdk adds the channel and replaces the block list
        # in the arguments it is given, and never changes the blocks themselves.
        return dict(found)

    async def _dm_channel(self, client: AsyncWebClient, recipient: Who) -> str:
        key = (recipient.workspace_id, recipient.user_id)
        cached = self._dm_channels.get(key)
        if cached:
            return cached
        opened = await client.conversations_open(users=recipient.user_id)
        channel = str((opened.get("channel") or {}).get("id") or "")
        self._dm_channels[key] = channel
        while len(self._dm_channels) > self._max_dm_cache:
            self._dm_channels.popitem(last=False)
        return channel


def classify(err: SlackApiError) -> SendResult:
    """Sort a Web API error into transient (try later) or permanent (stop trying)."""
    response = err.response
    status = getattr(response, "status_code", 0) or 0
    data = getattr(response, "data", None)
    code = str(data.get("error") or "") if isinstance(data, dict) else ""
    if status == 429 or code == "ratelimited":
        return SendResult(
            status=SendStatus.TRANSIENT,
            detail="ratelimited",
            retry_after=_retry_after(response.headers if response is not None else {}),
        )
    if status >= 500 or code in TRANSIENT_ERRORS:
        return SendResult(
            status=SendStatus.TRANSIENT,
            detail=code or f"http_{status}",
            retry_after=DEFAULT_RETRY_AFTER,
        )
    if code in PERMANENT_ERRORS:
        return SendResult(status=SendStatus.PERMANENT, detail=code)
    # An error we do not know: say so, and let the clock try again within its grace period
    # rather than silently unsubscribing someone over what may be our own bug.
    log.warning("Slack answered a send with an unclassified error: %s", code or status)
    return SendResult(
        status=SendStatus.TRANSIENT,
        detail=code or f"http_{status}",
        retry_after=DEFAULT_RETRY_AFTER,
    )


def _retry_after(headers: Mapping[str, object]) -> float:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                return max(float(str(raw)), 0.0)
            except ValueError:
                break
    return DEFAULT_RETRY_AFTER


# What a send may raise: Slack's own answers, and network trouble on the way to Slack.
_FAILURES = (SlackApiError, TimeoutError, aiohttp.ClientError, SlackClientError, OSError)


def _failure(err: BaseException) -> SendResult:
    """A Slack error classified by its code; network trouble is transient."""
    if isinstance(err, SlackApiError):
        return classify(err)
    return SendResult(
        status=SendStatus.TRANSIENT, detail=type(err).__name__, retry_after=DEFAULT_RETRY_AFTER
    )
