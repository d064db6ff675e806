"""The no-answer guard's tiers, on made-up cosines (no model needed)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.understanding.guard import (
    LONG_MESSAGE_WORDS,
    PROBE_MIN_WORDS,
    PROBE_NO_ANSWER,
    PROBE_SITUATION,
    PROBE_SITUATION_SLACK,
    guarded,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Near:
    no_answer: float
    situation: float
    no_answer_pair: float
    situation_pair: float
    no_answer_share: float = 0.0
    situation_share: float = 0.0


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


def test_the_probe_guards_a_longer_message_it_reads_as_a_no_answer_question():
    # The nearest examples alone would not guard it: the situations are as near.
    near = Near(
        no_answer=0.35, situation=0.36, no_answer_pair=0.33, situation_pair=0.35,
        no_answer_share=PROBE_NO_ANSWER,
    )  # fmt: skip
    assert not guarded(near, words=PROBE_MIN_WORDS)
    assert guarded(near, words=PROBE_MIN_WORDS + 1)


def test_the_probe_is_not_asked_when_the_nearest_examples_clearly_say_situation():
    near = Near(
        no_answer=0.30, situation=0.45, no_answer_pair=0.28,
        situation_pair=0.28 + PROBE_SITUATION_SLACK + 0.1, no_answer_share=0.99,
    )  # fmt: skip
    assert not guarded(near, words=14)


def test_a_probe_share_below_its_threshold_guards_nothing():
    near = Near(
        no_answer=0.35, situation=0.36, no_answer_pair=0.33, situation_pair=0.35,
        no_answer_share=PROBE_NO_ANSWER - 0.01,
    )  # fmt: skip
    assert not guarded(near, words=14)


def test_a_message_the_probe_is_sure_is_a_situation_needs_the_admin_pair_clearly_nearer():
    # The admin pair nearer by a hair, and one admin example close: guarded on the nearest
    # examples alone, not when the probe is sure it is a situation.
    hair = Near(no_answer=0.58, situation=0.5, no_answer_pair=0.464, situation_pair=0.461)
    assert guarded(hair, words=25)
    sure = Near(
        no_answer=0.58, situation=0.5, no_answer_pair=0.464, situation_pair=0.461,
        situation_share=PROBE_SITUATION,
    )  # fmt: skip
    assert not guarded(sure, words=25)
    clear = Near(
        no_answer=0.58, situation=0.5, no_answer_pair=0.464 + PROBE_SITUATION_SLACK,
        situation_pair=0.461, situation_share=PROBE_SITUATION,
    )  # fmt: skip
    assert guarded(clear, words=25)
