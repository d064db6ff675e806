"""Rank framework rows and National Voices principles for a question.

Why not one ``rapidfuzz.process.extract`` over the row texts (the baseline in ``bench/``)?
Whole-string similarity rewards long rows and shared filler, and it cannot tell a weak guess
from a real answer. Instead each question is reduced to topic stems, each stem is corrected
against the vocabulary with rapidfuzz (typos), and rows score by the IDF-weighted share of the
question they explain, plus a bonus for a curated phrase said in full. That share is a
confidence: below :data:`THRESHOLD` the matcher returns nothing rather than a guess.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz import fuzz, process

from bot.models import Behaviour, Match, Principle, ResultKind
from bot.text import all_stems, clean, index_stems, is_topic, stem, topic_words

# A result must explain at least this share (0-100) of the question to be shown at all.
THRESHOLD = 50.0
# Results far below the best one are noise even when above the threshold.
RELATIVE_CUTOFF = 0.6

# Field weights: the source's own words count fully; our curated vocabulary a little less,
# so a row whose text says the word ranks above a row that only lists it as a synonym.
_SOURCE_WEIGHT = 1.0
_KEYWORD_WEIGHT = 0.9
# A question word we do not know at all still counts against the match, but less than a
# known rare word: long natural questions carry filler the stop list does not catch.
_UNKNOWN_WEIGHT = 1.2
_PHRASE_BONUS = 0.35
# Corrections at this similarity count for nothing; see _confidence.
_MIN_SIMILARITY = 0.5

Item = Behaviour | Principle


@dataclass(frozen=True, slots=True)
class _Entry:
    item: Item
    weights: dict[str, float]
    phrases: tuple[tuple[str, ...], ...]


def _fields(item: Item) -> Iterable[tuple[str, float]]:
    if isinstance(item, Behaviour):
        yield item.role, _SOURCE_WEIGHT
        yield item.behaviour, _SOURCE_WEIGHT
    else:
        yield item.title, _SOURCE_WEIGHT
    for keyword in item.keywords:
        yield keyword, _KEYWORD_WEIGHT


class Matcher:
    """An index over rows and principles, built once at start-up; :meth:`rank` is pure."""

    def __init__(self, *, rows: tuple[Behaviour, ...], principles: tuple[Principle, ...]) -> None:
        entries: list[_Entry] = []
        items: tuple[Item, ...] = (*rows, *principles)
        for item in items:
            weights: dict[str, float] = {}
            phrases: set[tuple[str, ...]] = set()
            for text, weight in _fields(item):
                for s in index_stems(clean(text)):
                    weights[s] = max(weights.get(s, 0.0), weight)
                seq = all_stems(clean(text))
                if len(seq) >= 2:
                    phrases.add(seq)
            entries.append(_Entry(item=item, weights=weights, phrases=tuple(sorted(phrases))))
        self._entries = tuple(entries)
        df: dict[str, int] = defaultdict(int)
        for entry in entries:
            for s in entry.weights:
                df[s] += 1
        n = len(entries)
        self._idf = {s: math.log(1 + n / count) for s, count in df.items()}
        self._vocab = tuple(sorted(self._idf))
        self._postings: dict[str, tuple[int, ...]] = {
            s: tuple(i for i, e in enumerate(entries) if s in e.weights) for s in self._vocab
        }
        # Whole words too, not only stems: a typo in an ending ("innovaton") stops the stemmer
        # reducing the word, so its stem is far from "innov" but the word is close to "innovation".
        surface: dict[str, str] = {}
        for item in items:
            for text, _weight in _fields(item):
                for w in topic_words(clean(text)):
                    for part in (w, *w.split("-")) if "-" in w else (w,):
                        if len(part) >= 5 and stem(part) in self._idf:
                            surface.setdefault(part, stem(part))
        self._surface = surface
        self._surface_vocab = tuple(sorted(surface))
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)
        # One message is scored several times (routing, small talk, ranking): compute it once.
        self._shares = lru_cache(maxsize=256)(self._shares_uncached)

    def _correct_uncached(self, stem: str) -> tuple[str, float]:
        """Map a question stem to a vocabulary stem and a similarity in 0..1 ("" when none)."""
        if stem in self._idf:
            return stem, 1.0
        if len(stem) < 4:
            return "", 0.0
        # Short words tolerate fewer typos: one slip in five letters is 80, in four it is 75.
        cutoff = 80.0 if len(stem) >= 5 else 85.0
        found = process.extractOne(stem, self._vocab, scorer=fuzz.ratio, score_cutoff=cutoff)
        if len(stem) >= 6:
            alt = process.extractOne(
                stem, self._surface_vocab, scorer=fuzz.ratio, score_cutoff=max(cutoff, 85.0)
            )
            if alt is not None and (found is None or alt[1] > found[1]):
                return self._surface[str(alt[0])], float(alt[1]) / 100.0
        if found is None:
            return "", 0.0
        return str(found[0]), float(found[1]) / 100.0

    def _query_stems(self, cleaned: str) -> tuple[str, ...]:
        """Topic stems of a question; a hyphenated word we do not know whole counts by its parts."""
        out: list[str] = []
        for w in topic_words(cleaned):
            whole = stem(w)
            if "-" in w and whole not in self._idf:
                out.extend(stem(p) for p in w.split("-") if is_topic(p))
            else:
                out.append(whole)
        return tuple(out)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every row and principle, in index order (the order :meth:`shares` uses)."""
        return tuple(e.item for e in self._entries)

    def clear_cache(self) -> None:
        """Forget cached shares (benchmarks time every message from scratch)."""
        self._shares.cache_clear()

    def shares(self, text: str) -> Mapping[int, float]:
        """The share (0-100) of ``text`` each item explains, by index, before any threshold.

        Items that share no word with ``text`` are absent. The hybrid ranker fuses these with
        the example and semantic scores; :meth:`rank` thresholds them.
        """
        return self._shares(text)

    def _shares_uncached(self, text: str) -> Mapping[int, float]:
        cleaned = clean(text)
        stems = self._query_stems(cleaned)
        if not stems:
            return MappingProxyType({})
        corrected = [self._correct(s) for s in stems]
        denominator = 0.0
        for vocab_stem, _sim in corrected:
            denominator += self._idf[vocab_stem] if vocab_stem else _UNKNOWN_WEIGHT
        # Typos are corrected before phrase matching too, so "bounse back" still forms a phrase.
        sequence = tuple(
            self._correct(s)[0] or s if s not in self._idf and len(s) >= 4 else s
            for s in all_stems(cleaned)
        )
        # Where each stem starts in the question, so a phrase is only compared where it could be.
        starts: dict[str, list[int]] = defaultdict(list)
        for position, token in enumerate(sequence):
            starts[token].append(position)
        scores: dict[int, float] = defaultdict(float)
        for vocab_stem, sim in corrected:
            if not vocab_stem:
                continue
            idf = self._idf[vocab_stem] * _confidence(sim)
            for i in self._postings[vocab_stem]:
                scores[i] += idf * sim * self._entries[i].weights[vocab_stem]
        out: dict[int, float] = {}
        for i, raw in scores.items():
            share = raw / denominator
            if any(_contains(sequence, starts, phrase) for phrase in self._entries[i].phrases):
                share += _PHRASE_BONUS
            out[i] = min(share, 1.0) * 100.0
        return MappingProxyType(out)

    def shared_words(self, text: str, index: int) -> tuple[str, ...]:
        """The words of ``text`` (as typed) that item ``index`` is indexed by, typos corrected."""
        weights = self._entries[index].weights
        out: list[str] = []
        for w in topic_words(clean(text)):
            found, _sim = self._correct(stem(w))
            if found in weights and w not in out:
                out.append(w)
        return tuple(out)

    def rank(self, text: str, *, kinds: frozenset[ResultKind] | None = None) -> tuple[Match, ...]:
        """Rank every row and principle for ``text``, best first, confident ones only.

        Args:
            text: what the person typed (already stripped of any command word).
            kinds: restrict to behaviours or principles; ``None`` searches both.

        Returns:
            Matches scoring at least :data:`THRESHOLD`, best first; empty when nothing fits.
        """
        results = [
            (score, i)
            for i, score in self.shares(text).items()
            if kinds is None or _kind(self._entries[i].item) in kinds
        ]
        if not results:
            return ()
        results.sort(key=lambda r: (-r[0], r[1]))
        best = results[0][0]
        floor = max(THRESHOLD, best * RELATIVE_CUTOFF)
        return tuple(_match(self._entries[i].item, score) for score, i in results if score >= floor)


def _confidence(similarity: float) -> float:
    """How much a corrected word counts: fully when exact, little for a borderline correction.

    A one-letter slip in a five-letter word ("thank" for "think", "happy" for "apply") is as
    close as a real typo, so a lone borderline correction must not clear the threshold alone.
    """
    if similarity >= 1.0:
        return 1.0
    return max(0.0, (similarity - _MIN_SIMILARITY) / (1.0 - _MIN_SIMILARITY))


def _kind(item: Item) -> ResultKind:
    return ResultKind.BEHAVIOUR if isinstance(item, Behaviour) else ResultKind.PRINCIPLE


def _match(item: Item, score: float) -> Match:
    if isinstance(item, Behaviour):
        return Match(kind=ResultKind.BEHAVIOUR, score=score, behaviour=item)
    return Match(kind=ResultKind.PRINCIPLE, score=score, principle=item)


def _contains(
    sequence: tuple[str, ...], starts: Mapping[str, list[int]], phrase: tuple[str, ...]
) -> bool:
    n = len(phrase)
    return any(sequence[i : i + n] == phrase for i in starts.get(phrase[0], ()))
