"""The hybrid ranker: calibrated confidence, the no-answer guard, kinds, and why a row fits."""

from __future__ import annotations

import numpy as np
import pytest

from bot.examples import Target
from bot.models import ResultKind
from bot.understanding.reader import Understanding


def test_a_situation_finds_its_row_through_the_examples(understanding):
    ranked = understanding.rank("none of the partners report to me but I need them aligned")
    roles = [m.behaviour.role for m in ranked.matches[:3] if m.behaviour]
    assert "Leading without and beyond authority" in " ".join(roles) or any(
        "Align organisations" in r for r in roles
    )


def test_scores_are_ranked_and_bounded(understanding):
    matches = understanding.rank("how do I stay resilient when the system pushes back?").matches
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 100 for s in scores)


def test_the_guard_answers_admin_questions_with_nothing(understanding):
    ranked = understanding.rank("which budget code do I use for the team building day?")
    assert ranked.matches == ()
    assert ranked.guarded


def test_kinds_restrict_the_ranking(understanding):
    ranked = understanding.rank("carers", kinds=frozenset({ResultKind.PRINCIPLE}))
    assert ranked.matches
    assert {m.kind for m in ranked.matches} == {ResultKind.PRINCIPLE}


def test_situations_explain_why_and_topics_do_not(understanding):
    situation = understanding.rank("My appraiser says I come across as arrogant in meetings")
    assert situation.matches[0].why
    topic = understanding.rank("resilience")
    assert topic.matches[0].why == ""


def test_words_alone_still_use_the_examples(words_only):
    # No row says "physios" or "OTs"; an example situation of the multi-agency row does.
    assert words_only.space is None
    assert words_only.ranker.matcher.rank("our physios and OTs keep arguing") == ()
    ranked = words_only.rank("our physios and OTs keep arguing about whose job it is")
    assert [m.behaviour.id for m in ranked.matches if m.behaviour][:1] == ["ie-1"]


@pytest.mark.parametrize("text", ["", "   ", "zxcvbnm", "x" * 300])
def test_nothing_readable_gets_nothing(understanding, text):
    assert understanding.rank(text).matches == ()


def test_the_semantic_signals_come_from_the_ranker_model(understanding):
    # The fine-tuned model ranks; the untuned one still decides the guard's nearness.
    text = "three practices, the acute trust and the council each want a different frailty model"
    vector, ranked = understanding.vector(text), understanding.ranking_vector(text)
    assert understanding.ranking is not None
    signals = understanding.ranker.signals(text, vector, ranked)
    assert np.allclose(signals.sem_row, understanding.ranking.similarities(ranked, "items"))
    base_situations = understanding.space.similarities(vector, "situations")
    assert signals.situation == pytest.approx(float(base_situations.max()))
    assert not np.allclose(signals.sem_row, understanding.space.similarities(vector, "items"))


def test_without_a_ranker_model_the_base_model_ranks(understanding):
    single = Understanding(content=understanding.content, space=understanding.space, ranking=None)
    text = "how do I keep my network going now everyone works from home"
    vector = single.vector(text)
    signals = single.ranker.signals(text, vector)
    assert np.allclose(signals.sem_row, understanding.space.similarities(vector, "items"))
    assert single.rank(text).matches


def test_only_the_rows_and_principles_examples_rank(understanding):
    targets = {s.target for s in understanding.ranker.situations}
    assert targets == {Target.ROW, Target.PRINCIPLE}
