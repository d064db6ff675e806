"""Questions naming National Voices or the principles (``bot.principle_answers``)."""

from __future__ import annotations

import pytest

from bot.coach import Coach


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach.load()


@pytest.mark.parametrize(
    "text",
    ["principles", "national voices principles", "show me the six principles", "national voices"],
)
def test_asking_for_the_principles_lists_all_six(coach, text):
    reply = coach.answer(text)
    assert reply.intent == "principles"
    assert [m.principle.number for m in reply.results] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "text",
    [
        "who are national voices",
        "is national voices a charity or part of the nhs",
        "what was the 5YFV",
    ],
)
def test_who_national_voices_are_gets_our_passage_not_the_principles(coach, text):
    reply = coach.answer(text)
    assert reply.intent == "about"
    assert reply.results == ()
    assert "coalition of health and social care charities" in reply.text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("what does National Voices say about fairness", 3),
        ("what does national voices mean by empowering care", 1),
        ("principle 4", 4),
    ],
)
def test_what_national_voices_say_gets_that_principle(coach, text, number):
    assert coach.answer(text).results[0].principle.number == number
