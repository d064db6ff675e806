"""Typos corrected before a message is encoded, so the models read the word that was meant.

The lexical ranker already forgives typos in the framework's words (:mod:`bot.matching`). The
models do not: their tokenizer cuts "confict" into pieces that mean nothing, so "how do i mange
confict in my teem" read as an admin question. With the words the message was meant to have,
the models see what a person sees. On the tune parts of ``tests/data`` with one or two typos
put into each case (417 cases, ``tests/data/situational_typos.jsonl``), the right answer went
from 355 to 387; the same messages spelt right score 405.

Only words that neither the model (its tokenizer's whole words, with plain inflections:
"acutes", "networker") nor the coach's content ("unlearning", "admin", "Humber") knows are
candidates, and they are corrected only to a word of the content that the model knows, one edit
away (two for a word of nine letters or more), with the same first letter. So "statins" (two
edits from "station"), "invoices" (two from "voices") and "humber" ("number") stay as typed, and
a word that is only a plural or a stem of the candidate ("leaflet", "leaflets") is left alone.
Over the seed briefing's 256 lines, the public questions and the tune parts of ``tests/data``
(1,002 messages), it changed 21 words: 20 typos and the "dolor" of a lorem ipsum.

Why not a general spelling corrector (pyspellchecker, symspellpy): pyspellchecker's English
dictionary took 167 ms to load here (the coach starts in about 700 ms), is American ("prioritise"
and "organisational" are not in it) and holds "mange" and "teem", so it keeps two typos this
module corrects. Near a few thousand words of leadership situations one edit is rarely
ambiguous, and rapidfuzz, already a dependency, finds it in well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Shorter words are left as typed: one edit turns a four-letter word into too many others.
MIN_LETTERS = 5
# Words this long or longer may be two edits off ("organisaton" needs one, "leadrship" one).
TWO_EDITS_FROM = 9
# Endings a known word may carry and still be known ("acutes", "blames", "networker"), and
# contractions typed without their apostrophe ("theyre", "wouldnt", "youve").
_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ies", "nt", "re", "ve", "ll")
_PARTS = re.compile(r"[A-Za-z]+|[^A-Za-z]+")
# Where a sentence starts, a capital says nothing; elsewhere it marks a name ("Gateshead").
_SENTENCE_END = re.compile(r"[.!?]")


class Speller:
    """Corrects a message's unknown words to the content's known ones; pure once built.

    Example:
        >>> speller = Speller(vocabulary={"manage", "conflict", "team"}, texts=["manage conflict"])
        >>> speller.correct("how do i mange confict")
        'how do i manage conflict'
    """

    def __init__(self, *, vocabulary: Iterable[str], texts: Iterable[str]) -> None:
        """``vocabulary`` holds the words the model knows whole; ``texts`` the content, whose
        known words are what a typo may be corrected to."""
        model = frozenset(w.lower() for w in vocabulary)
        found = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text)}
        self._targets = tuple(sorted(w for w in found if w in model))
        self._known = model | found
        self._word = lru_cache(maxsize=4096)(self._word_uncached)

    def correct(self, text: str) -> str:
        """``text`` with each correctable typo replaced; everything else as typed."""
        out: list[str] = []
        starts_sentence = True
        for part in _PARTS.findall(text):
            if not part.isalpha():
                starts_sentence = starts_sentence or bool(_SENTENCE_END.search(part))
                out.append(part)
                continue
            named = _named(part, starts_sentence=starts_sentence)
            out.append(part if named else self._word(part.lower()) or part)
            starts_sentence = False
        return "".join(out)

    def knows(self, word: str) -> bool:
        """Whether the model knows ``word`` (lower case) whole, or with a plain ending."""
        if word in self._known:
            return True
        for ending in _ENDINGS:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 3:
                if stem in self._known or stem + "e" in self._known:
                    return True
                if ending == "ies" and stem + "y" in self._known:
                    return True
        return False

    def _word_uncached(self, word: str) -> str:
        """The correction of one lower-case word, or "" to keep it."""
        if len(word) < MIN_LETTERS or self.knows(word):
            return ""
        edits = 2 if len(word) >= TWO_EDITS_FROM else 1
        found = process.extractOne(word, self._targets, scorer=OSA.distance, score_cutoff=edits)
        if found is None:
            return ""
        target = str(found[0])
        # A slip keeps the first letter: "humber" is not "number", nor "resent" "present".
        if target[0] != word[0]:
            return ""
        # "leaflet" to "leaflets", "taker" to "take": another form of the same word, not a typo.
        if target.startswith(word) or word.startswith(target):
            return ""
        return target


def _named(part: str, *, starts_sentence: bool) -> bool:
    """Whether ``part`` is an acronym ("SDEC") or a capitalised name inside a sentence."""
    if len(part) > 1 and part.isupper():
        return True
    return part[0].isupper() and not starts_sentence
