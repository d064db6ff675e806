"""Typos corrected before the models read a message (``bot.understanding.spelling``)."""

from __future__ import annotations

import pytest

from bot.understanding.spelling import Speller


@pytest.fixture(scope="module")
def speller() -> Speller:
    known = {"manage", "conflict", "team", "really", "station", "voices", "leaflet", "take"}
    known |= {"acute", "behave", "network", "how", "do", "i", "in", "my"}
    texts = ["manage conflict in the team", "a really busy station", "national voices", "take"]
    return Speller(vocabulary=known, texts=texts)


def test_a_word_one_slip_from_a_content_word_is_corrected(speller):
    assert speller.correct("how do i mange confict in my team") == (
        "how do i manage conflict in my team"
    )
    assert speller.correct("Realyl hard") == "really hard"


@pytest.mark.parametrize(
    "word",
    [
        "statins",  # two edits from "station": a real word the model does not know
        "leaflets",  # another form of a known word, not a typo
        "taker",
        "acutes",  # known with a plain ending
        "behaves",
        "networker",
        "teem",  # four letters: too many words are one slip away
        "SDEC",  # an acronym
    ],
)
def test_real_words_forms_acronyms_and_short_words_are_left_as_typed(speller, word):
    assert speller.correct(f"the {word} again") == f"the {word} again"


def test_a_capitalised_name_inside_a_sentence_is_left_but_a_sentence_start_is_not(speller):
    assert speller.correct("we met Mangee today") == "we met Mangee today"
    assert speller.correct("fine. Confict again") == "fine. conflict again"


def test_the_shipped_speller_reads_typos_in_a_situation(understanding):
    assert understanding.speller is not None
    assert understanding.speller.correct("how do i mange confict in my teem") == (
        "how do i manage conflict in my teem"
    )
    # Places and NHS words the model does not know stay as typed.
    for text in ("Sunderland and Gateshead place teams", "our SDEC and the PCN", "statins"):
        assert understanding.speller.correct(text) == text


def test_a_situation_with_typos_gets_rows_as_it_would_spelt_right(coach):
    typed = coach.answer("how do i mange confict in my teem")
    spelt = coach.answer("how do i manage conflict in my team")
    assert typed.results
    assert {m.behaviour.id for m in typed.results[:3] if m.behaviour} & {
        m.behaviour.id for m in spelt.results[:3] if m.behaviour
    }


@pytest.mark.parametrize(
    "word", ["unlearning", "admin", "humber", "resent", "contradict", "theyre", "wouldnt"]
)
def test_real_words_the_model_cuts_into_pieces_are_not_corrected(understanding, word):
    # Known to the content, or a different first letter from any near word, or a contraction.
    assert understanding.speller.correct(f"it is {word} again") == f"it is {word} again"


def test_both_models_know_the_same_whole_words(understanding):
    # The speller is built from the ranker's tokenizer (see Understanding.load) and corrects
    # what both models read: the fine-tuned ranker keeps MiniLM's tokenizer.
    assert understanding.space.encoder.vocabulary() == understanding.ranking.encoder.vocabulary()
