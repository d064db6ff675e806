"""TF-IDF nearest examples: rare shared words count, filler does not, nothing shared is absent."""

from __future__ import annotations

import pytest

from bot.understanding.neighbours import LexicalNeighbours


@pytest.fixture(scope="module")
def index() -> LexicalNeighbours:
    return LexicalNeighbours(
        [
            "our discharge meeting goes round in circles",
            "reset my NHSmail password",
            "the team meeting is always about money",
        ]
    )


def test_the_example_sharing_the_rare_word_is_nearest(index):
    scores = index.scores("how do I reset a password?")
    assert max(scores, key=scores.get) == 1
    assert 0.0 < scores[1] <= 1.0 + 1e-9


def test_stems_meet_across_word_forms(index):
    assert 0 in index.scores("discharging patients from meetings")


@pytest.mark.parametrize("text", ["", "zxcvbnm", "the and of"])
def test_nothing_shared_scores_nothing(index, text):
    assert index.scores(text) == {}


def test_an_identical_text_scores_one(index):
    assert index.scores("reset my NHSmail password")[1] == pytest.approx(1.0)
