"""Protocols the core needs from the edges.

The core never imports a platform SDK or a database driver; adapters provide these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.content import Content
from bot.identity import Who
from bot.models import Action, Incoming, Reply

if TYPE_CHECKING:
    from bot.search import Found

T = TypeVar("T")


class SendStatus(StrEnum):
    """How a send ended, by kind, so that the caller knows whether to try again."""

    SENT = "sent"
    TRANSIENT = "transient"  # 429, 5xx, timeout: still owed, try again later
    PERMANENT = "permanent"  # user gone, app uninstalled, blocked: stop trying


@dataclass(frozen=True, slots=True, kw_only=True)
class SendResult:
    """The outcome of one proactive send."""

    status: SendStatus
    detail: str = ""
    retry_after: float | None = None
    message_ref: str = ""  # platform id of the posted message (Slack ts, Teams activity id)


class Messenger(Protocol):
    """Sends a reply proactively to one recipient on one platform."""

    async def send(self, *, recipient: Who, reply: Reply) -> SendResult:
        """Send ``reply`` to ``recipient``; never raise for platform errors, classify them."""
        ...


class StatefulCommands(Protocol):
    """The commands that need storage: ``nudges …``, ``journal …``, ``forget me``.

    The core routes those intents, and actions whose id starts with ``nudge.``, ``journal.``
    or ``forget.``, here. Implemented by :class:`bot.commands.router.Router` over the store
    protocols.
    """

    def handle(self, incoming: Incoming, *, command: str, args: str, now: datetime) -> Reply:
        """Answer ``command`` ("nudges", "journal" or "forget") with its argument text."""
        ...

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a button press or form submission."""
        ...

    def reflection_reply(
        self, incoming: Incoming, *, thread_ref: str, now: datetime
    ) -> Reply | None:
        """Save ``incoming`` as a reflection if ``thread_ref`` is a nudge we sent; else ``None``.

        ``thread_ref`` is the platform's id of the message replied to (Slack ``thread_ts``,
        Teams ``replyToId`` or a quoted message's id).
        """
        ...


class AsyncCoach(Protocol):
    """The one asynchronous way into the core, for every adapter (Slack, Teams, console).

    Stateless questions are answered inline (they take well under a millisecond); anything
    that touches storage runs off the event loop, so that an adapter can always acknowledge
    a request at once, whatever the database is doing.

    Example:
        >>> reply = await coach.handle(incoming)  # doctest: +SKIP
    """

    @property
    def content(self) -> Content:
        """The framework content the coach answers from."""
        ...

    @property
    def keeps_state(self) -> bool:
        """True when storage-backed commands (nudges, journal, forget me) are plugged in."""
        ...

    def answer(self, text: str) -> Reply:
        """Answer a stateless question at once (no storage, no thread hop)."""
        ...

    def needs_state(self, text: str) -> bool:
        """Whether answering ``text`` reads or writes storage."""
        ...

    def search(self, text: str, *, limit: int) -> tuple[Found, ...]:
        """Shareable results for a search box (no storage; see :func:`bot.search.search`)."""

    def answer_now(self, incoming: Incoming) -> Reply | None:
        """The answer at once if ``incoming`` needs no storage (routed once), else ``None``."""
        ...

    async def handle(self, incoming: Incoming) -> Reply:
        """Answer what a person typed."""
        ...

    async def act(self, action: Action) -> Reply:
        """Answer a button press or form submission."""
        ...

    async def reflection(self, incoming: Incoming, *, thread_ref: str) -> Reply | None:
        """Save a reply to one of our nudges as a reflection; ``None`` if it is not one."""
        ...

    async def run(self, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run an adapter's own blocking storage call off the event loop, on the same workers."""
        ...
