"""Exact place names in free text: every run of words that names a place, and which is meant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.places.fuzzy import FuzzyIndex
from bot.places.names import STOPWORDS, Entry, PlaceHit

# Words before a name that make it more likely to be the place meant ("courses in Bristol").
_PREPOSITIONS: Final[frozenset[str]] = frozenset({"in", "near", "around", "at", "for", "covering"})
# Kinds that cover other places; used to disambiguate a town named alongside its county.
_BROAD_KINDS: Final[frozenset[str]] = frozenset({"nation", "region", "county"})
_SCORE_EXACT: Final[float] = 100.0
_SCORE_EXACT_WITH_EXTRA: Final[float] = 92.0


@dataclass(frozen=True, slots=True, kw_only=True)
class _Mention:
    """A run of words in the text that exactly names a place."""

    start: int
    end: int
    entry: Entry
    introduced: bool  # preceded by "in", "near", ...: more likely the place meant

    def rank(self) -> tuple[bool, int, int, int]:
        """Order mentions: introduced first, then longer, then bigger, then earlier."""
        return (self.introduced, self.end - self.start, self.entry.weight, -self.start)


class NameIndex:
    """Every place name, with what the n-gram search needs to stay cheap."""

    __slots__ = ("_fuzzy", "_max_words", "_names", "_starts")

    def __init__(self, names: Mapping[str, Entry], *, fuzzy: FuzzyIndex) -> None:
        self._names = names
        self._fuzzy = fuzzy
        # First word of every name -> most words in a name starting with it, so the n-gram
        # search only builds the runs of words that could possibly be a name.
        self._starts: dict[str, int] = {}
        for key in self._names:
            first, _, rest = key.partition(" ")
            words = rest.count(" ") + 2 if rest else 1
            if words > self._starts.get(first, 0):
                self._starts[first] = words
        self._max_words = max(self._starts.values(), default=1)

    def match(self, tokens: list[str]) -> PlaceHit | None:
        """Find the place meant among exact name matches.

        Every run of words that is a known name is a mention; longer mentions win over the
        shorter ones inside them ("Newcastle upon Tyne" over "Newcastle"). When the text names
        both a place and its county or region ("Richmond, North Yorkshire"), the county settles
        which of the place's academies is meant.
        """
        mentions = self._mentions(tokens)
        if not mentions:
            return None
        specific = [m for m in mentions if m.entry.kind not in _BROAD_KINDS]
        broad = [m for m in mentions if m.entry.kind in _BROAD_KINDS]
        chosen = max(mentions, key=_Mention.rank)
        name = ""
        used = [chosen]
        academies, note = chosen.entry.academies, chosen.entry.note
        if specific and broad:
            place = max(specific, key=_Mention.rank)
            area = max(broad, key=_Mention.rank)
            shared = tuple(a for a in place.entry.academies if a in area.entry.academies)
            if shared:
                chosen, used = place, [place, area]
                academies, note = place.entry.academies, place.entry.note
                if shared != place.entry.academies:
                    academies, note = shared, ""
                if shared[0] != place.entry.academies[0]:
                    # The table's name is the bigger namesake ("Kingston upon Hull" for
                    # "Kingston, London"), so show the words as typed instead.
                    name = " ".join(tokens[place.start : place.end]).title()
            elif not place.entry.academies and area.entry.academies:
                # "Newport, Isle of Wight": the bigger Newport is in Wales, the county is not.
                chosen, used = area, [place, area]
                academies, note = area.entry.academies, area.entry.note
            else:
                # They disagree; trust the one introduced as the place ("March in Yorkshire").
                chosen = area if area.introduced > place.introduced else place
                used = [chosen]
                academies, note = chosen.entry.academies, chosen.entry.note
        if len(used) == 1:
            longer = self._longer_typo(tokens, chosen)
            if longer is not None:
                return longer
        covered = {index for mention in used for index in range(mention.start, mention.end)}
        extra = any(
            token not in STOPWORDS for index, token in enumerate(tokens) if index not in covered
        )
        return PlaceHit(
            place=name or chosen.entry.name,
            academies=academies,
            note=note,
            score=_SCORE_EXACT_WITH_EXTRA if extra else _SCORE_EXACT,
        )

    def _longer_typo(self, tokens: list[str], mention: _Mention) -> PlaceHit | None:
        """A mistyped longer name that starts with an exact match ("Milton Keyns").

        "Milton" is a place too, but when the next word or two nearly complete a longer name
        that begins with it, that longer name is the likelier meaning.
        """
        prefix = " ".join(tokens[mention.start : mention.end]) + " "
        for end in range(mention.end + 1, min(mention.end + 3, len(tokens) + 1)):
            if tokens[end - 1] in STOPWORDS:
                continue
            found = self._fuzzy.closest(" ".join(tokens[mention.start : end]))
            if found is not None and found[1].startswith(prefix):
                return self._fuzzy.hit(found)
        return None

    def _mentions(self, tokens: list[str]) -> list[_Mention]:
        """All non-overlapping exact name matches, longest first."""
        count = len(tokens)
        taken = [False] * count
        found: list[_Mention] = []
        for size in range(min(self._max_words, count), 0, -1):
            level: list[_Mention] = []
            for start in range(count - size + 1):
                end = start + size
                if self._starts.get(tokens[start], 0) < size or tokens[end - 1] in STOPWORDS:
                    continue
                if tokens[start] in STOPWORDS or any(taken[start:end]):
                    continue
                entry = self._names.get(" ".join(tokens[start:end]))
                if entry is not None:
                    introduced = start > 0 and tokens[start - 1] in _PREPOSITIONS
                    level.append(_Mention(start=start, end=end, entry=entry, introduced=introduced))
            # Two overlapping matches of one length: the likelier one claims the words.
            for mention in sorted(level, key=_Mention.rank, reverse=True):
                if not any(taken[mention.start : mention.end]):
                    taken[mention.start : mention.end] = [True] * (mention.end - mention.start)
                    found.append(mention)
        return found
