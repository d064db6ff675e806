"""The vote store on SQLite and PostgreSQL: one vote per reply, changes kept, no person."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import inspect

from adapters.store.feedback import SqlFeedback
from bot.feedback.votes import FeedbackVote, Recorded, Vote

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def vote(key="a" * 20, choice=Vote.HELPFUL, ids=("rc-1", "ie-5")):
    return FeedbackVote(reply_key=key, vote=choice, intent="search", result_ids=ids)


def test_a_vote_is_stored_once_per_reply_and_can_be_changed(engine):
    store = SqlFeedback(engine)
    assert store.record(vote(), now=NOW) is Recorded.NEW
    assert store.record(vote(), now=NOW) is Recorded.SAME
    assert store.record(vote(choice=Vote.NOT_QUITE), now=NOW) is Recorded.CHANGED
    assert store.record(vote(key="b" * 20, ids=("p4",)), now=NOW) is Recorded.NEW
    assert store.votes() == (vote(choice=Vote.NOT_QUITE), vote(key="b" * 20, ids=("p4",)))


def test_double_submits_at_the_same_moment_leave_one_row(engine):
    store = SqlFeedback(engine)
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda _: store.record(vote(), now=NOW), range(8)))
    assert outcomes.count(Recorded.NEW) == 1
    assert set(outcomes) <= {Recorded.NEW, Recorded.SAME}
    assert len(store.votes()) == 1


def test_the_table_holds_no_person_and_no_question(engine):
    columns = {c["name"] for c in inspect(engine).get_columns("feedback_votes")}
    assert columns == {"id", "reply_key", "vote", "intent", "result_ids", "voted_on"}
