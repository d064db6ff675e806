"""The no-answer guard's tiers, on made-up cosines (no model needed)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.understanding.guard import LONG_MESSAGE_WORDS, guarded


@dataclass(frozen=True, slots=True, kw_only=True)
class Near:
    no_answer: float
    situation: float
    no_answer_pair: float
    situation_pair: float


# Nearer to the no-answer pair than to the situations by 0.07, but no example very close.
MIDDLING = Near(no_answer=0.40, situation=0.33, no_answer_pair=0.39, situation_pair=0.32)


def test_a_close_no_answer_example_guards_any_message():
    near = Near(no_answer=0.6, situation=0.4, no_answer_pair=0.55, situation_pair=0.4)
    assert guarded(near)
    assert guarded(near, words=3)


def test_a_long_message_needs_a_less_close_example_than_a_short_one():
    assert not guarded(MIDDLING, words=4)
    assert not guarded(MIDDLING)  # length unknown: judged as a short message
    assert guarded(MIDDLING, words=LONG_MESSAGE_WORDS + 1)


def test_a_long_message_about_as_near_the_situations_is_not_guarded():
    near = Near(no_answer=0.44, situation=0.44, no_answer_pair=0.41, situation_pair=0.40)
    assert not guarded(near, words=12)
