"""Proactive Teams messages through stored conversation references (the nudge clock's sender).

:class:`TeamsMessenger` implements :class:`bot.ports.Messenger`. It never raises for what
Teams answers; it classifies:

* 429, 412, 502 and 504 are retried here, with exponential backoff and jitter (bounded), and
  are TRANSIENT if they persist;
* 403 (blocked, uninstalled) and 404 (conversation gone) are PERMANENT, and the reference is
  marked unreachable so that later sends stop at once;
* other 4xx are PERMANENT (the message can never be delivered as it is); 401, other 5xx,
  timeouts and network errors are TRANSIENT.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from sqlalchemy import Engine

from adapters.teams import render
from adapters.teams.config import connection_manager, load_config
from adapters.teams.connector import ConnectorClients, NoRedirectClientFactory
from adapters.teams.references import ReferenceStore, StoredReference
from bot.identity import Who
from bot.models import Reply
from bot.ports import SendResult, SendStatus

log = logging.getLogger(__name__)

# Microsoft's guidance for Teams bots: these answers mean "try again shortly".
RETRY_STATUSES = frozenset({412, 429, 502, 504})
GONE_STATUSES = frozenset({403, 404})


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """How hard one send tries before reporting TRANSIENT.

    ``attempts`` counts every try; the waits between them double from ``base_delay`` up to
    ``max_delay`` (a ``Retry-After`` longer than that is reported, not waited for), and each
    wait is jittered to between half and all of its length so that many senders spread out.
    """

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 15.0


class _Gone(Exception):
    """No way to reach the recipient at all."""


class TeamsMessenger:
    """Sends a :class:`~bot.models.Reply` to a Teams user or channel without a turn.

    Example:
        >>> messenger = TeamsMessenger.from_env(os.environ)  # doctest: +SKIP
        >>> await messenger.send(  # doctest: +SKIP
        ...     recipient=Who(platform="teams", workspace_id=tenant, user_id="29:1abc"),
        ...     reply=reply,
        ... )
        SendResult(status=<SendStatus.SENT: 'sent'>, ...)
    """

    def __init__(
        self,
        *,
        references: ReferenceStore,
        clients: ConnectorClients,
        bot_id: str = "",
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._references = references
        self._clients = clients
        self._bot_id = bot_id
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str],
        *,
        engine: Engine,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> TeamsMessenger:
        """A messenger for another process (``coach clock``), configured like the server."""
        config = load_config(env)
        # As in the server: sessions that refuse redirects, shared across sends.
        factory = NoRedirectClientFactory(connection_manager(config))
        clients = ConnectorClients(
            factory=factory, app_id=config.client_id, anonymous=not config.authenticated
        )
        return cls(
            references=ReferenceStore(engine),
            clients=clients,
            bot_id=config.client_id,
            retry=retry,
            sleep=sleep,
        )

    async def aclose(self) -> None:
        """Close the shared connector sessions (``app.delivery.messengers.close_all``)."""
        await self._clients.aclose()

    async def send(self, *, recipient: Who, reply: Reply) -> SendResult:
        """Send ``reply`` to ``recipient``; classify failures, never raise for them."""
        return await self.send_activity(recipient=recipient, activity=render.to_activity(reply))

    async def send_activity(self, *, recipient: Who, activity: Activity) -> SendResult:
        """Send an already rendered ``activity`` (a file consent card, say) like :meth:`send`."""
        if recipient.platform != "teams":
            return SendResult(status=SendStatus.PERMANENT, detail="not a Teams recipient")
        try:
            stored = await self._address(recipient)
        except _Gone as gone:
            return SendResult(status=SendStatus.PERMANENT, detail=str(gone))
        except aiohttp.ClientResponseError as exc:  # creating the 1:1 chat was refused
            return classify(exc.status, exc.headers)
        except Exception as exc:  # noqa: BLE001 - a nudge pass must not die on one recipient
            return _failed(exc)
        if stored.unreachable_at is not None:
            return SendResult(status=SendStatus.PERMANENT, detail="marked unreachable earlier")
        addressed = activity.apply_conversation_reference(stored.reference)
        return await self._deliver(stored, addressed)

    async def _address(self, recipient: Who) -> StoredReference:
        """The reference for ``recipient``; opens a 1:1 chat when only a channel is known."""
        stored = await asyncio.to_thread(self._references.find, recipient)
        if stored is not None or recipient.conversation_id:
            if stored is None:
                raise _Gone("no stored reference for that conversation")
            return stored
        known = await asyncio.to_thread(
            self._references.find_any_for_user,
            tenant_id=recipient.workspace_id,
            user_id=recipient.user_id,
        )
        if known is None:
            raise _Gone("no stored reference for that user (never installed, or uninstalled)")
        return await self._open_personal_chat(known)

    async def _open_personal_chat(self, known: StoredReference) -> StoredReference:
        """Create the bot's 1:1 chat with someone known only from a channel, and keep it."""
        bot = known.reference.agent or ChannelAccount(id=known.bot_id or self._bot_id)
        parameters = ConversationParameters(
            is_group=False, bot=bot, members=[ChannelAccount(id=known.user_id)]
        )
        if known.tenant_id:
            # Teams needs the tenant twice: the field, and channelData as older services read it.
            parameters.tenant_id = known.tenant_id
            parameters.channel_data = {"tenant": {"id": known.tenant_id}}
        async with self._clients.open(known.service_url) as client:
            created = await asyncio.wait_for(
                client.conversations.create_conversation(parameters), self.retry.timeout
            )
        if not created.id:
            raise _Gone("Teams did not create a personal chat")
        reference = ConversationReference(
            user=ChannelAccount(id=known.user_id),
            agent=bot,
            conversation=ConversationAccount(
                id=created.id, conversation_type="personal", tenant_id=known.tenant_id or None
            ),
            channel_id=known.reference.channel_id,
            service_url=created.service_url or known.service_url,
        )
        await asyncio.to_thread(
            self._references.put,
            conversation_id=created.id,
            user_id=known.user_id,
            tenant_id=known.tenant_id,
            conversation_type="personal",
            team_id=None,
            reference=reference,
        )
        return StoredReference(
            conversation_id=created.id,
            user_id=known.user_id,
            tenant_id=known.tenant_id,
            conversation_type="personal",
            team_id=None,
            service_url=reference.service_url or known.service_url,
            bot_id=bot.id or "",
            reference=reference,
            unreachable_at=None,
        )

    async def _deliver(self, stored: StoredReference, activity: Activity) -> SendResult:
        policy = self.retry
        for attempt in range(1, policy.attempts + 1):
            last = attempt == policy.attempts
            try:
                async with self._clients.open(stored.service_url) as client:
                    response = await asyncio.wait_for(
                        client.conversations.send_to_conversation(stored.conversation_id, activity),
                        policy.timeout,
                    )
                return SendResult(status=SendStatus.SENT, message_ref=response.id or "")
            except aiohttp.ClientResponseError as exc:
                wait = (
                    None if last else self._backoff(attempt, retry_after=_retry_after(exc.headers))
                )
                if exc.status in RETRY_STATUSES and wait is not None:
                    log.info("teams: send got %d; try %d in %.2fs", exc.status, attempt + 1, wait)
                    await self._sleep(wait)
                    continue
                if exc.status in GONE_STATUSES:
                    await asyncio.to_thread(
                        self._references.mark_unreachable,
                        conversation_id=stored.conversation_id,
                        user_id=stored.user_id,
                        now=datetime.now(UTC),
                    )
                return classify(exc.status, exc.headers)
            except aiohttp.ClientConnectorError as exc:
                # Nothing reached Teams, so trying again cannot post twice.
                if last:
                    return _failed(exc)
                await self._sleep(self._backoff(attempt, retry_after=None) or policy.max_delay)
            except Exception as exc:  # noqa: BLE001 - a timeout may have been delivered: no retry
                return _failed(exc)
        return SendResult(status=SendStatus.TRANSIENT, detail="no attempts configured")

    def _backoff(self, attempt: int, *, retry_after: float | None) -> float | None:
        """The wait before try ``attempt + 1``; None when Teams asks for longer than we wait."""
        policy = self.retry
        ceiling = min(policy.max_delay, policy.base_delay * 2.0 ** (attempt - 1))
        wait = ceiling / 2 + self._jitter() * ceiling / 2
        if retry_after is not None:
            if retry_after > policy.max_delay:
                return None
            wait = max(wait, retry_after)
        return wait


def classify(status: int, headers: Mapping[str, str] | None = None) -> SendResult:
    """What an HTTP error from the Bot Connector means for the caller."""
    if status in GONE_STATUSES:
        return SendResult(
            status=SendStatus.PERMANENT, detail=f"Teams answered {status}: unreachable"
        )
    if status in RETRY_STATUSES or status == 401 or status >= 500:
        # 401 is our credentials, not the recipient: keep the nudge owed until that is fixed.
        return SendResult(
            status=SendStatus.TRANSIENT,
            detail=f"Teams answered {status}",
            retry_after=_retry_after(headers),
        )
    return SendResult(status=SendStatus.PERMANENT, detail=f"Teams refused the message ({status})")


def _failed(exc: Exception) -> SendResult:
    if isinstance(exc, TimeoutError):
        detail = "timed out waiting for Teams"
    elif isinstance(exc, aiohttp.ClientError):
        detail = f"could not reach Teams ({type(exc).__name__})"
    else:
        log.exception("teams: unexpected failure sending a proactive message")
        detail = f"unexpected {type(exc).__name__}"
    return SendResult(status=SendStatus.TRANSIENT, detail=detail)


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from a ``Retry-After`` header (Teams sends seconds, not HTTP dates)."""
    raw: str | None = (headers or {}).get("Retry-After")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None
