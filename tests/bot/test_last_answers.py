"""Typed ``more``: the last answer per person and conversation, bounded and short-lived."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coach import Coach
from bot.identity import Platform, Who
from bot.last_answers import LastAnswers
from bot.models import Incoming

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


@pytest.fixture
def coach() -> Coach:
    # A fresh coach each: the last answers it remembers are the test's own.
    return Coach.load()


ALICE = Who(platform=Platform.TEAMS, workspace_id="T1", user_id="U1", conversation_id="C1")


def test_a_value_expires_and_the_map_stays_bounded() -> None:
    answers = LastAnswers(ttl=timedelta(minutes=5), limit=3)
    answers.remember(ALICE, "page 2", now=NOW)
    assert answers.recall(ALICE, now=NOW + timedelta(minutes=4)) == "page 2"
    assert answers.recall(ALICE, now=NOW + timedelta(minutes=5)) == ""
    for n in range(10):
        answers.remember(ALICE.in_conversation(f"C{n}"), "v", now=NOW)
    assert len(answers) == 3
    assert answers.recall(ALICE.in_conversation("C9"), now=NOW) == "v"
    assert answers.recall(ALICE.in_conversation("C0"), now=NOW) == ""
    answers.remember(ALICE.in_conversation("C9"), "", now=NOW)
    assert answers.recall(ALICE.in_conversation("C9"), now=NOW) == ""


def _ask(coach: Coach, text: str, who: Who = ALICE, now: datetime = NOW):
    return coach.handle(Incoming(text=text, who=who), now=now)


def _rows(reply) -> list[str]:
    return [m.behaviour.id for m in reply.results if m.behaviour is not None]


def test_typed_more_pages_the_last_answer_in_that_conversation_only(coach: Coach) -> None:
    first = _ask(coach, "leadership development")
    assert any(b.action_id == "more" for b in first.card.buttons)
    # Someone else, or the same person in another chat, has nothing to page.
    assert _ask(coach, "more", who=ALICE.in_conversation("C2")).intent == "more"
    second = _ask(coach, "more", now=NOW + timedelta(seconds=30))
    assert second.results
    assert not set(_rows(second)) & set(_rows(first))
    assert second.intent != "more"


def test_typed_more_with_nothing_more_says_so_and_offers_topics(coach: Coach) -> None:
    _ask(coach, "behaviours resilience")
    reply = _ask(coach, "more")
    assert reply.intent == "more"
    assert not reply.results
    assert "nothing more" in reply.text.lower()
    assert [b.action_id for b in reply.card.buttons] == ["ask"] * 3


def test_typed_more_long_after_the_answer_has_forgotten_it(coach: Coach) -> None:
    _ask(coach, "leadership development")
    assert _ask(coach, "more", now=NOW + timedelta(hours=1)).intent == "more"
