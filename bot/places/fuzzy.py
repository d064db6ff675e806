"""Near-miss spellings of well-known places ("Manchestr"): a cheap, conservative fallback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.places.names import STOPWORDS, Entry, PlaceHit, hit

# Fuzzy matching is for typos of places people actually ask about: it only considers names of
# regions, counties, districts and towns at least this big, and only accepts one slip (an
# extra, missing, wrong or swapped letter: "Manchestr", "Newcastel") in words shorter than
# _FUZZY_LONG_CHARS, two in longer ones. That rejects near-words such as "wellbeing" for
# "Welling" (two letters apart in a nine-letter word).
_FUZZY_MIN_CHARS: Final[int] = 7
_FUZZY_LONG_CHARS: Final[int] = 10
_FUZZY_MIN_WEIGHT: Final[int] = 15_000
_FUZZY_MAX_TOKENS: Final[int] = 16
# A fuzzy hit scores between these (60 + 30 x similarity), always below an exact match.
_FUZZY_BASE: Final[float] = 60.0
_FUZZY_SPAN: Final[float] = 30.0
_FUZZY_KINDS: Final[frozenset[str]] = frozenset({"nation", "region", "county", "district"})


class FuzzyIndex:
    """The fuzzy-matchable names, bucketed by first letter and length."""

    __slots__ = ("_buckets", "_names")

    def __init__(self, names: Mapping[str, Entry]) -> None:
        self._names = names
        self._buckets = _fuzzy_buckets(names)

    def match(self, tokens: list[str]) -> PlaceHit | None:
        """Fall back to the closest well-known name for a near-miss spelling.

        Only the first few words are tried (a mistyped place comes early in "contact ..."),
        and only against names of about the same length that share the first letter, which
        keeps this fallback cheap even for long chatter.
        """
        tokens = tokens[:_FUZZY_MAX_TOKENS]
        best: tuple[float, str] | None = None
        tried: set[str] = set()
        for size in (2, 1):
            for start in range(len(tokens) - size + 1):
                end = start + size
                if tokens[start] in STOPWORDS or tokens[end - 1] in STOPWORDS:
                    continue
                query = " ".join(tokens[start:end])
                if query in tried:
                    continue
                tried.add(query)
                found = self.closest(query)
                if found is not None and (best is None or found[0] > best[0]):
                    best = found
        if best is None:
            return None
        return self.hit(best)

    def closest(self, query: str) -> tuple[float, str] | None:
        """The (similarity, key) of the closest fuzzy-matchable name, if close enough."""
        if len(query) < _FUZZY_MIN_CHARS or query.isdigit():
            return None
        allowed = 1 if len(query) < _FUZZY_LONG_CHARS else 2
        best: tuple[float, str] | None = None
        for length in range(len(query) - allowed, len(query) + allowed + 1):
            bucket = self._buckets.get((query[0], length))
            if not bucket:
                continue
            found = process.extractOne(
                query, bucket, scorer=OSA.distance, processor=None, score_cutoff=allowed
            )
            if found is not None:
                similarity = 1 - found[1] / max(len(query), length)
                if best is None or similarity > best[0]:
                    best = (similarity, str(found[0]))
        return best

    def hit(self, found: tuple[float, str]) -> PlaceHit:
        """The result for a fuzzy match: always less certain than an exact one."""
        score = round(_FUZZY_BASE + _FUZZY_SPAN * found[0], 1)
        return hit(self._names[found[1]], score)


def _fuzzy_buckets(names: Mapping[str, Entry]) -> dict[tuple[str, int], list[str]]:
    """Group the fuzzy-matchable keys by first letter and length, biggest places first.

    A typo rarely changes the first letter, and an edit or two changes the length by at most
    that much, so each search only looks at a handful of names. Sorting by weight means that,
    between equally close spellings, the larger place wins (``extractOne`` keeps the first).
    """
    buckets: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for key, entry in names.items():
        if len(key) >= _FUZZY_MIN_CHARS and (
            entry.kind in _FUZZY_KINDS or entry.weight >= _FUZZY_MIN_WEIGHT
        ):
            buckets.setdefault((key[0], len(key)), []).append((-entry.weight, key))
    return {slot: [key for _, key in sorted(pairs)] for slot, pairs in buckets.items()}
