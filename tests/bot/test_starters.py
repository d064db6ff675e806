"""Starter questions come from content, and the coach answers every one of them."""

from __future__ import annotations

import pytest

from bot.coach import Coach
from bot.starters import MAX_SITUATION_CHARS, MAX_STARTERS, starters


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach.load()


def test_up_to_four_starters_of_each_kind(coach: Coach) -> None:
    found = starters(coach.content, seed="1729999327.187299")
    assert 1 <= len(found) <= MAX_STARTERS
    situation, domain, academy, journal = found
    texts = {s.text for s in coach.content.examples.situations}
    assert situation.message in texts
    assert len(situation.message) <= MAX_SITUATION_CHARS
    assert domain.message.removeprefix("domains ") in {d.name for d in coach.content.domains}
    assert academy.message.removeprefix("contact ") in {a.region for a in coach.content.academies}
    assert journal.message == "journal"


def test_the_same_seed_gives_the_same_starters_and_seeds_vary_them(coach: Coach) -> None:
    assert starters(coach.content, seed="a") == starters(coach.content, seed="a")
    seen = {starters(coach.content, seed=str(n)) for n in range(20)}
    assert len(seen) > 1


def test_every_stateless_starter_gets_a_real_answer(coach: Coach) -> None:
    for seed in ("", "1", "1729999327.187299", "zz"):
        for starter in starters(coach.content, seed=seed):
            if coach.needs_state(starter.message):
                continue
            reply = coach.answer(starter.message)
            # A domain is answered with its rows as a card; anything else with matches.
            assert reply.results or (reply.intent == "domains" and reply.card), starter
