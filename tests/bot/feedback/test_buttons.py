"""Where the vote buttons appear: answers with results, never elsewhere or on a shared copy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.coach import Coach
from bot.models import Action, Incoming, Reply

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach.load()


def _ids(reply: Reply) -> list[str]:
    return [b.action_id for b in reply.card.buttons] if reply.card else []


@pytest.mark.parametrize(
    "text", ["how do I lead without authority", "principles carers", "contact Leeds"]
)
def test_answers_with_results_carry_the_two_votes(coach: Coach, text: str) -> None:
    reply = coach.handle(Incoming(text=text), now=NOW)
    assert reply.results
    assert _ids(reply)[-2:] == ["feedback.helpful", "feedback.not_quite"]


@pytest.mark.parametrize("text", ["cheers", "help", "what's the wifi password", "more"])
def test_replies_without_results_carry_no_votes(coach: Coach, text: str) -> None:
    reply = coach.handle(Incoming(text=text), now=NOW)
    assert not any(i.startswith("feedback.") for i in _ids(reply))


def test_the_json_contract_and_shared_copies_have_no_votes(coach: Coach) -> None:
    # coach ask --json answers through Coach.answer: the contract is unchanged.
    assert not any(i.startswith("feedback.") for i in _ids(coach.answer("resilience")))
    shared = coach.act(Action(action_id="share", value='{"q":"resilience","o":0}'), now=NOW)
    assert _ids(shared) == []


def test_without_storage_a_vote_says_so_rather_than_failing(coach: Coach) -> None:
    reply = coach.handle(Incoming(text="resilience"), now=NOW)
    [helpful] = [b for b in reply.card.buttons if b.action_id == "feedback.helpful"]
    answer = coach.act(Action(action_id=helpful.action_id, value=helpful.value), now=NOW)
    assert answer.text
    assert not answer.results
