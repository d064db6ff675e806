"""Replies about the coach itself rather than about leadership: storage unavailable for now."""

from __future__ import annotations

from bot.models import Audience, Card, Reply, Section

TRY_AGAIN_TEXT = (
    "I can't reach my saved settings right now, so I couldn't do that. "
    "Please try again shortly. You can still ask me questions in the meantime."
)


def try_again_reply(*, intent: str) -> Reply:
    """The reply to a command that needs storage while the database cannot be reached."""
    return Reply(
        text=TRY_AGAIN_TEXT,
        intent=intent,
        audience=Audience.ASKER,
        card=Card(title="Try again shortly", sections=(Section(body=TRY_AGAIN_TEXT),)),
    )
