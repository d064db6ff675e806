"""The vote store (:class:`bot.feedback.votes.FeedbackStore`) on SQLAlchemy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from adapters.store.feedback_tables import feedback_votes
from bot.feedback.votes import FeedbackVote, Recorded, Vote


class SqlFeedback:
    """Votes on one engine; the unique reply key makes a double submit count once."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, vote: FeedbackVote, *, now: datetime) -> Recorded:
        """Insert the vote; if the reply already has one, keep one row (changed or not)."""
        t = feedback_votes.c
        row = {
            "reply_key": vote.reply_key,
            "vote": vote.vote.value,
            "intent": vote.intent,
            "result_ids": " ".join(vote.result_ids),
            "voted_on": now.date(),
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(feedback_votes.insert().values(**row))
        except IntegrityError:
            # Two presses at once: the second insert loses the race on the unique key.
            with self._engine.begin() as conn:
                before = conn.execute(
                    select(t.vote).where(t.reply_key == vote.reply_key)
                ).scalar_one()
                if before == vote.vote.value:
                    return Recorded.SAME
                conn.execute(
                    update(feedback_votes)
                    .where(t.reply_key == vote.reply_key)
                    .values(vote=vote.vote.value)
                )
            return Recorded.CHANGED
        return Recorded.NEW

    def votes(self) -> tuple[FeedbackVote, ...]:
        """Every vote, oldest first."""
        t = feedback_votes.c
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(t.reply_key, t.vote, t.intent, t.result_ids).order_by(t.id)
            ).all()
        return tuple(
            FeedbackVote(
                reply_key=r.reply_key,
                vote=Vote(r.vote),
                intent=r.intent,
                result_ids=tuple(r.result_ids.split()),
            )
            for r in rows
        )
