"""Helpful / Not quite on an answer with results, and the reply to a press."""

from __future__ import annotations

import dataclasses

from bot.feedback.votes import ACTION_PREFIX, Recorded, Vote, encode, result_id
from bot.models import Audience, Button, Reply

_LABELS = {Vote.HELPFUL: "Helpful", Vote.NOT_QUITE: "Not quite"}
# (label, action id) of each vote button, in the order they are shown.
_VOTES = tuple((_LABELS[v], ACTION_PREFIX + v.value) for v in Vote)
_THANKS = {
    Recorded.NEW: "Thanks, noted. Votes help the people who write the coach's content.",
    Recorded.SAME: "Thanks, I already have your vote on that answer.",
    Recorded.CHANGED: "Thanks, I've changed your vote on that answer.",
}


def with_feedback(reply: Reply, *, key: str) -> Reply:
    """``reply`` with Helpful / Not quite buttons, when it shows results on a card."""
    if not reply.results or reply.card is None:
        return reply
    value = encode(
        key=key, intent=reply.intent, result_ids=tuple(result_id(m) for m in reply.results)
    )
    votes = tuple(Button(label=label, action_id=action, value=value) for label, action in _VOTES)
    card = dataclasses.replace(reply.card, buttons=(*reply.card.buttons, *votes))
    return dataclasses.replace(reply, card=card)


def thanks_reply(recorded: Recorded) -> Reply:
    """What a press says back: only to the person who pressed."""
    return Reply(text=_THANKS[recorded], intent="feedback", audience=Audience.ASKER)


def stale_reply() -> Reply:
    """A button from an old or altered message: say so rather than guess."""
    return Reply(
        text="That button is no longer available. Ask again and vote on the new answer.",
        intent="feedback",
        audience=Audience.ASKER,
    )
