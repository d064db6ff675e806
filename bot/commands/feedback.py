"""The Helpful / Not quite buttons: store the vote (see :mod:`bot.feedback`)."""

from __future__ import annotations

from datetime import datetime

from bot.commands.shared import Shared
from bot.feedback.buttons import stale_reply, thanks_reply
from bot.feedback.votes import ACTION_PREFIX, FeedbackStore, academy_id, decode
from bot.models import Action, Incoming, Reply


class Feedback:
    """``feedback.helpful`` and ``feedback.not_quite``; there is nothing to type."""

    intents: frozenset[str] = frozenset()
    action_prefixes: tuple[str, ...] = (ACTION_PREFIX,)

    def __init__(self, shared: Shared, *, store: FeedbackStore) -> None:
        self._shared = shared
        self._store = store

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Never routed here (no typed intent); answer as for a stale button."""
        return stale_reply()

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Store the vote once per reply; refuse a stale or altered button."""
        vote = decode(action.value, action_id=action.action_id)
        if vote is None or not all(self._known(i) for i in vote.result_ids):
            return stale_reply()
        return thanks_reply(self._store.record(vote, now=now))

    def _known(self, result: str) -> bool:
        # A button's value is only a hint: count votes only on rows that exist.
        content = self._shared.content
        if result.startswith("academy:"):
            return result in {academy_id(a.region) for a in content.academies}
        if result.startswith("p") and result[1:].isdigit():
            return 1 <= int(result[1:]) <= len(content.principles)
        return self._shared.known(result)
