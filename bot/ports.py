"""Protocols the core needs from the edges.

The core never imports a platform SDK or a database driver; adapters provide these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.models import Action, Incoming, Reply


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    """Where a proactive message goes: a user's DM, or a channel for channel nudges.

    ``platform`` is "slack" or "teams"; ``workspace_id`` is the Slack team id or the Teams
    tenant id; ``user_id`` is the platform's user id; ``conversation_id`` is set for a
    channel subscription (and may be set for a known DM).
    """

    platform: str
    workspace_id: str
    user_id: str
    conversation_id: str = ""


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

    async def send(self, *, recipient: Recipient, reply: Reply) -> SendResult:
        """Send ``reply`` to ``recipient``; never raise for platform errors, classify them."""
        ...


class ReflectionReplies(Protocol):
    """Recognises a reply typed in a nudge's thread or chat as a reflection for the journal."""

    def reflection_reply(
        self, incoming: Incoming, *, thread_ref: str, now: datetime
    ) -> Reply | None:
        """Save ``incoming`` as a reflection if ``thread_ref`` is a nudge we sent; else ``None``."""
        ...


class StatefulCommands(Protocol):
    """The commands that need storage: ``nudges …``, ``journal …``, ``forget me``.

    The core routes those intents, and actions whose id starts with ``nudge.``, ``journal.``
    or ``forget.``, here. Implemented in ``bot.nudge_commands`` against the store protocols.
    """

    def handle(self, incoming: Incoming, *, command: str, args: str, now: datetime) -> Reply:
        """Answer ``command`` ("nudges", "journal" or "forget") with its argument text."""
        ...

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a button press or form submission."""
        ...
