"""Ranking copes with typos, word order, plurals, stop words, case and punctuation."""

from __future__ import annotations

import pytest

from bot.content import load_content
from bot.matching import THRESHOLD, Matcher
from bot.models import ResultKind


@pytest.fixture(scope="module")
def matcher():
    content = load_content()
    return Matcher(rows=content.rows, principles=content.principles)


def _top(matcher, text, n=3, kinds=None):
    out = []
    for m in matcher.rank(text, kinds=kinds)[:n]:
        out.append(m.behaviour.behaviour if m.behaviour else m.principle.title)
        if m.behaviour:
            out.append(m.behaviour.role)
    return " | ".join(out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("resilience", "Patience, persistence and resilience"),
        ("resiliance", "Patience, persistence and resilience"),  # typo
        ("RESILIENCE!!!", "Patience, persistence and resilience"),  # case and punctuation
        ("how do I bounce back from setbacks?", "Patience, persistence and resilience"),
        ("collaberation", "collaborat"),
        ("authority without leading", "without and beyond authority"),  # word order
        ("multidisciplinary teams", "multi-disciplinary teams"),
        ("multi disciplinary team", "multi-disciplinary teams"),
        ("networks", "networks"),
        ("network", "networks"),  # plural
        ("the quality improvement", "Quality Improvement"),  # stop word
        ("PDSA cycles", "improvement cycles"),
        ("charities", "Voluntary, community and social enterprise"),
        ("person centred care", "person-centred"),
    ],
)
def test_ranks_the_right_row_in_the_top_three(matcher, text, expected):
    assert expected.lower() in _top(matcher, text).lower()


@pytest.mark.parametrize(
    "text", ["weather tomorrow", "zxcvbnm", "football scores", "lasagne recipe", "", "   ", "???"]
)
def test_returns_nothing_rather_than_a_weak_guess(matcher, text):
    assert matcher.rank(text) == ()


def test_scores_are_ranked_and_above_the_threshold(matcher):
    results = matcher.rank("managing conflict and uncertainty")
    scores = [m.score for m in results]
    assert scores == sorted(scores, reverse=True)
    assert all(THRESHOLD <= s <= 100 for s in scores)


def test_kinds_restrict_the_search(matcher):
    only_principles = matcher.rank("volunteering", kinds=frozenset({ResultKind.PRINCIPLE}))
    assert only_principles
    assert all(m.kind is ResultKind.PRINCIPLE for m in only_principles)
    both = {m.kind for m in matcher.rank("volunteering")}
    assert both == {ResultKind.PRINCIPLE, ResultKind.BEHAVIOUR}


def test_every_row_is_found_by_its_own_words(matcher):
    content = load_content()
    for row in content.rows:
        for text in (row.role, row.behaviour):
            assert row in [m.behaviour for m in matcher.rank(text)[:3]], text
