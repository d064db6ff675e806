"""A reply to one of our nudges, typed in its thread or quoting it, is a reflection.

Decided here, once, for every platform: the adapter only says which message was replied to
(Slack ``thread_ts``, Teams ``replyToId`` or a quoted message's id, or the nudge a Teams
chat's first message since the nudge answers).
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.commands.journal import Journal
from bot.commands.shared import Shared
from bot.models import Incoming, Reply

# A command typed in a nudge's thread ("nudges off") is a command, not a reflection.
_COMMAND = re.compile(r"^\W*(?:nudges?|journal|forget|help)\b", re.IGNORECASE)


class Reflections:
    """Saves replies to a person's own nudges into their journal."""

    def __init__(self, shared: Shared, *, journal: Journal) -> None:
        self._shared = shared
        self._journal = journal

    def reflection_reply(
        self, incoming: Incoming, *, thread_ref: str, now: datetime
    ) -> Reply | None:
        """Save a reply typed in a nudge's thread (or quoting it) as a reflection.

        Adapters call this before routing a threaded message to the coach: ``thread_ref`` is
        the Slack ``thread_ts`` or the Teams ``replyToId``. Returns ``None`` when the message
        is not a reply to a nudge sent to this person (the adapter then answers as usual).
        Replies in a *channel* nudge's thread are the team's conversation and are left alone,
        and so are commands (``nudges off``) typed in the thread.
        """
        if not thread_ref or not incoming.text.strip() or _COMMAND.match(incoming.text):
            return None
        sent = self._shared.stores.deliveries.find_sent(
            platform=incoming.who.platform,
            workspace_id=incoming.who.workspace_id,
            message_ref=thread_ref,
        )
        if sent is None or sent.subscription.target.is_channel:
            return None
        if sent.subscription.target.user_id != incoming.who.user_id:
            return None
        owner = incoming.who.person
        known = self._shared.known(sent.row_id)
        return self._journal.save(
            owner,
            incoming.text,
            row_id=sent.row_id if known else "",
            question=self._shared.question(sent.row_id, sent.prompt_index),
            now=now,
        )
