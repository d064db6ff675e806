"""The index ranks indexed texts by cosine to a query."""

from __future__ import annotations

import numpy as np
import pytest

from bot.semantic import Encoder, Hit, SemanticIndex

TEXTS = (
    "Patience, persistence and resilience",
    "Leading without and beyond authority",
    "Managing conflict and uncertainty",
    "Listening to carers and families",
)


@pytest.fixture(scope="module")
def index(encoder: Encoder) -> SemanticIndex:
    return SemanticIndex.build(encoder, TEXTS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("I'm worn down but have to keep going", 0),
        ("how do I lead people and partners who are not under my authority?", 1),
        ("two consultants are openly fighting in the MDT", 2),
        ("I need to get better at hearing what patients' relatives tell us", 3),
    ],
)
def test_the_fitting_text_ranks_first(index: SemanticIndex, query: str, expected: int) -> None:
    assert index.search(query, k=1)[0].position == expected


def test_hits_are_best_first_with_cosine_scores(index: SemanticIndex) -> None:
    hits = index.search("resilience under pressure", k=4)
    assert [h.position for h in hits][0] == 0
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(-1.0 <= s <= 1.0 for s in scores)
    assert sorted(h.position for h in hits) == [0, 1, 2, 3]


def test_scores_agree_with_search(index: SemanticIndex) -> None:
    scores = index.scores("conflict in my team")
    best = index.search("conflict in my team", k=1)[0]
    assert best == Hit(position=int(np.argmax(scores)), score=float(scores.max()))


def test_k_larger_than_the_index_returns_everything(index: SemanticIndex) -> None:
    assert len(index.search("anything", k=50)) == len(TEXTS) == len(index)


def test_k_zero_and_an_empty_index_return_nothing(encoder: Encoder) -> None:
    assert SemanticIndex.build(encoder, ()).search("anything") == ()
    assert SemanticIndex.build(encoder, TEXTS).search("anything", k=0) == ()
