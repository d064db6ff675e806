"""What follows an answer: typed ``more`` pages it, and Helpful / Not quite vote on it."""

from __future__ import annotations

from datetime import datetime

from bot.feedback.buttons import with_feedback
from bot.feedback.votes import reply_key
from bot.identity import Who
from bot.last_answers import LastAnswers
from bot.models import Reply


class FollowUps:
    """Remembers each answer's next page for typed ``more`` and adds the vote buttons.

    One per coach (so per process): every adapter's messages pass through it.
    """

    def __init__(self, last_answers: LastAnswers | None = None) -> None:
        self.last_answers = last_answers or LastAnswers()

    def next_page(self, who: Who, *, now: datetime) -> str:
        """The "More like this" value typed ``more`` pages for ``who``, or ""."""
        return self.last_answers.recall(who, now=now)

    def after(self, reply: Reply, *, who: Who, now: datetime, text: str) -> Reply:
        """Remember ``reply``'s next page (or that it has none) and add the vote buttons."""
        buttons = reply.card.buttons if reply.card else ()
        more = [b.value for b in buttons if b.action_id == "more"]
        self.last_answers.remember(who, more[0] if more else "", now=now)
        return with_feedback(reply, key=reply_key(who, now=now, text=text))
