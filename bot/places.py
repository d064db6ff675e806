"""Place gazetteer: map what someone types after "contact" to a regional leadership academy.

England has ten regional NHS leadership academies. People name their patch in many ways: a city
("Leeds"), a county ("Hampshire"), a postcode ("LS6 3AB"), a region ("the North East") or a
nickname ("Wessex"). :class:`Gazetteer` turns any of those into a :class:`PlaceHit` naming the
academies that serve it, most likely first.

All the geography is precomputed by ``scripts/build_places.py`` into ``content/places/places.csv``
(one row per normalised name, postcode district or postcode area, with the academies already
ordered and any explanation already written), so a look-up here is a handful of dictionary
probes. Fuzzy matching (for typos such as "Manchestr") is only a fallback: it needs a word of at
least seven letters, allows one slip (two in long names), and only aims at regions, counties,
councils and sizeable towns, so that chatter ("wellbeing", "working") never becomes a place.

This module is pure: no I/O at import time, no platform code. :func:`normalise` and
:func:`place_key` are shared with the build script so the keys in the table and the keys looked
up at run time can never drift apart.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = [
    "ACADEMIES",
    "KINDS",
    "PLACES_COLUMNS",
    "PLACES_FILE",
    "STOPWORDS",
    "Gazetteer",
    "PlaceHit",
    "normalise",
    "place_key",
]

#: The ten academies, spelt exactly as in the source briefing.
ACADEMIES: Final[tuple[str, ...]] = (
    "East Midlands",
    "East of England",
    "Kent, Surrey and Sussex",
    "London",
    "North East",
    "North West",
    "South West",
    "Thames Valley and Wessex",
    "West Midlands",
    "Yorkshire and the Humber",
)

#: What a row of the table describes. Postcode rows live in their own namespace at run time.
KINDS: Final[frozenset[str]] = frozenset(
    {"nation", "region", "county", "district", "town", "postcode_district", "postcode_area"}
)

PLACES_FILE: Final[str] = "places.csv"
PLACES_COLUMNS: Final[tuple[str, ...]] = ("key", "name", "kind", "academies", "weight", "note")

#: Words people wrap around a place name ("the leadership academy in Newcastle?"). A name may
#: contain them in the middle ("Barrow in Furness", "Yorkshire and the Humber") but a match may
#: never start or end with one, so "in", "the" or "area" alone can never be a place.
_STOPWORD_LIST: Final[str] = """
    a about academies academy address an and any are area around at based be can contact
    contacts course courses details do does email for from get give got have hello hi how i in
    info information is it leadership live local me my near nearby nearest need nhs number
    numbers of office on or our phone please programme programmes region regional team tel
    telephone thanks the their there they to what where which who with work works you your
    consent working workshop workshops
"""
STOPWORDS: Final[frozenset[str]] = frozenset(_STOPWORD_LIST.split())

_ACADEMY_SET: Final[frozenset[str]] = frozenset(ACADEMIES)
_PLACE_KINDS: Final[frozenset[str]] = KINDS - {"postcode_district", "postcode_area"}

# Apostrophes vanish ("King's Lynn" -> "kings lynn"); everything else that is not a letter or
# digit separates words, so "Stoke-on-Trent", "stoke on trent" and "Stoke on Trent." agree.
_APOSTROPHES: Final[re.Pattern[str]] = re.compile(r"['\u2019\u2018`]")
_NON_ALNUM: Final[re.Pattern[str]] = re.compile(r"[^a-z0-9]+")

# UK postcodes: an outward code (area letters, district digit, optional digit or letter) and an
# inward code (digit and two letters). Typed compactly ("ls63ab") the inward code is always the
# last three characters, which is what the second pattern relies on.
_OUTWARD: Final[re.Pattern[str]] = re.compile(r"[a-z]{1,2}[0-9][a-z0-9]?")
_INWARD: Final[re.Pattern[str]] = re.compile(r"[0-9][a-z]{2}")
_COMPACT: Final[re.Pattern[str]] = re.compile(r"([a-z]{1,2}[0-9][a-z0-9]?)([0-9][a-z]{2})")
_DIGIT_END: Final[re.Pattern[str]] = re.compile(r"[a-z]{1,2}[0-9]{1,2}")

# Input beyond this is chatter; bounding it bounds the n-gram search.
_MAX_CHARS: Final[int] = 300
_MAX_TOKENS: Final[int] = 40
# Words before a name that make it more likely to be the place meant ("courses in Bristol").
_PREPOSITIONS: Final[frozenset[str]] = frozenset({"in", "near", "around", "at", "for", "covering"})

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
# Kinds that cover other places; used to disambiguate a town named alongside its county.
_BROAD_KINDS: Final[frozenset[str]] = frozenset({"nation", "region", "county"})

# Confidence reported for each way of matching.
_SCORE_EXACT: Final[float] = 100.0
_SCORE_EXACT_WITH_EXTRA: Final[float] = 92.0
_SCORE_POSTCODE_FULL: Final[float] = 100.0
_SCORE_POSTCODE_DISTRICT: Final[float] = 96.0
_SCORE_POSTCODE_AREA: Final[float] = 75.0


def normalise(text: str) -> str:
    """Fold text to lower-case ASCII words separated by single spaces.

    Accents are dropped, ``&`` becomes ``and``, apostrophes disappear, any other punctuation
    separates words and ``saint`` is spelt ``st`` (Royal Mail and ONS disagree on that).

    Args:
        text: Anything a person typed, or a name from the source data.

    Returns:
        The normalised text, possibly empty.
    """
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    text = _APOSTROPHES.sub("", text.lower().replace("&", " and "))
    words = _NON_ALNUM.sub(" ", text).split()
    return " ".join("st" if word == "saint" else word for word in words)


def place_key(name: str) -> str:
    """Return the look-up key for a place name: normalised, without a leading "the".

    Args:
        name: A place name as written in the data ("The Wirral", "Kingston upon Hull").

    Returns:
        The key, for example ``"wirral"`` or ``"kingston upon hull"``.
    """
    key = normalise(name)
    if key.startswith("the "):
        key = key[4:]
    return key


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceHit:
    """A place found in some text and the academies that serve it.

    Attributes:
        place: Display name of what matched, e.g. "Leeds", "LS6", "Dorset", "Glasgow".
        academies: Academy names (exactly as in :data:`ACADEMIES`), most likely first; empty
            for places outside England.
        note: A short reason when there is more than one academy or none, otherwise "".
        score: Confidence from 0 to 100 that this is the place meant.
    """

    place: str
    academies: tuple[str, ...]
    note: str
    score: float


class _Entry(NamedTuple):
    """One row of the table, as held in memory.

    A named tuple rather than a frozen dataclass: ten thousand are built at load, and a frozen
    dataclass's ``__init__`` is several times slower, which alone would eat a third of the
    load budget.
    """

    name: str
    kind: str
    academies: tuple[str, ...]
    weight: int
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Mention:
    """A run of words in the text that exactly names a place."""

    start: int
    end: int
    entry: _Entry
    introduced: bool  # preceded by "in", "near", ...: more likely the place meant

    def rank(self) -> tuple[bool, int, int, int]:
        """Order mentions: introduced first, then longer, then bigger, then earlier."""
        return (self.introduced, self.end - self.start, self.entry.weight, -self.start)


class Gazetteer:
    """Finds places in free text and says which academies serve them.

    Build one with :meth:`load` and share it: it is immutable after construction and
    :meth:`lookup` keeps no state, so it is safe to use from several threads or tasks.
    """

    __slots__ = ("_areas", "_districts", "_fuzzy", "_max_words", "_names", "_starts")

    def __init__(
        self,
        *,
        names: Mapping[str, _Entry],
        districts: Mapping[str, _Entry],
        areas: Mapping[str, _Entry],
    ) -> None:
        """Index the entries; prefer :meth:`load`, which reads them from the shipped table.

        Args:
            names: Place-name key (see :func:`place_key`) to entry.
            districts: Lower-case postcode district ("ls6") to entry.
            areas: Lower-case postcode area ("ls") to entry, only for areas whose districts
                all have the same academies.
        """
        self._names: dict[str, _Entry] = dict(names)
        self._districts: dict[str, _Entry] = dict(districts)
        self._areas: dict[str, _Entry] = dict(areas)
        # First word of every name -> most words in a name starting with it, so the n-gram
        # search only builds the runs of words that could possibly be a name.
        self._starts: dict[str, int] = {}
        for key in self._names:
            first, _, rest = key.partition(" ")
            words = rest.count(" ") + 2 if rest else 1
            if words > self._starts.get(first, 0):
                self._starts[first] = words
        self._max_words = max(self._starts.values(), default=1)
        self._fuzzy = _fuzzy_buckets(self._names)

    @classmethod
    def load(cls, directory: Path) -> Gazetteer:
        """Read ``places.csv`` from ``directory`` (normally ``content/places``).

        The other CSV files there (``unitary_counties.csv``, ``academy_overrides.csv``) are
        inputs to ``scripts/build_places.py`` and are already folded into ``places.csv``.

        Args:
            directory: The folder holding ``places.csv``.

        Returns:
            A ready gazetteer.

        Raises:
            ValueError: If the file is missing a column, or a row has a bad kind, academy,
                weight or key; the message names the file, line and field.
            OSError: If the file cannot be read.
        """
        path = directory / PLACES_FILE
        names: dict[str, _Entry] = {}
        districts: dict[str, _Entry] = {}
        areas: dict[str, _Entry] = {}
        # Most rows share one of a few dozen academy lists; parse each list once.
        parsed: dict[str, tuple[str, ...]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or tuple(header) != PLACES_COLUMNS:
                raise ValueError(
                    f"{path}: line 1: expected columns {','.join(PLACES_COLUMNS)}, got {header!r}"
                )
            for line, row in enumerate(reader, start=2):
                if len(row) != len(PLACES_COLUMNS):
                    raise ValueError(
                        f"{path}: line {line}: expected {len(PLACES_COLUMNS)} fields, "
                        f"got {len(row)}"
                    )
                key, name, kind, academies_text, weight_text, note = row
                academies = parsed.get(academies_text)
                if academies is None:
                    academies = _parse_academies(academies_text, path, line)
                    parsed[academies_text] = academies
                if not key or key != key.strip() or key != key.lower():
                    raise ValueError(f"{path}: line {line}: field 'key': bad key {key!r}")
                if not name:
                    raise ValueError(f"{path}: line {line}: field 'name' is empty")
                if kind not in KINDS:
                    raise ValueError(f"{path}: line {line}: field 'kind': unknown kind {kind!r}")
                if not weight_text.isdigit():
                    raise ValueError(
                        f"{path}: line {line}: field 'weight': not a whole number {weight_text!r}"
                    )
                entry = _Entry(
                    name=name, kind=kind, academies=academies, weight=int(weight_text), note=note
                )
                table = (
                    names
                    if kind in _PLACE_KINDS
                    else districts
                    if kind == "postcode_district"
                    else areas
                )
                if key in table:
                    raise ValueError(f"{path}: line {line}: field 'key': duplicate key {key!r}")
                table[key] = entry
        return cls(names=names, districts=districts, areas=areas)

    def lookup(self, text: str) -> PlaceHit | None:
        """Find the place meant in ``text`` and the academies that serve it.

        Postcodes win over names (they are unambiguous). Among names, a longer match hides the
        shorter ones inside it; of the rest, one introduced by "in"/"near" wins, then the
        longest, then the most populous, and a county or region named alongside a town decides
        between that town's academies. Typos are only tried when nothing matches exactly.

        Args:
            text: What followed the command word, e.g. "Leeds", "LS6 3AB", "courses in Bristol?".

        Returns:
            The best hit, or ``None`` when no place is mentioned.
        """
        tokens = normalise(text[:_MAX_CHARS]).split()[:_MAX_TOKENS]
        if not tokens:
            return None
        return self._postcode(tokens) or self._exact(tokens) or self._fuzzy_match(tokens)

    def _postcode(self, tokens: list[str]) -> PlaceHit | None:
        """Match a full postcode ("ls6 3ab", "ls63ab") or a postcode district ("ls6")."""
        for index, token in enumerate(tokens):
            outward: str | None = None
            full = False
            if compact := _COMPACT.fullmatch(token):
                outward, full = compact.group(1), True
            elif _OUTWARD.fullmatch(token):
                outward = token
                full = index + 1 < len(tokens) and bool(_INWARD.fullmatch(tokens[index + 1]))
            if outward is None:
                continue
            entry = self._districts.get(outward)
            if entry is not None:
                score = _SCORE_POSTCODE_FULL if full else _SCORE_POSTCODE_DISTRICT
                return _hit(entry, score)
            # An unknown district is only trusted as a postcode when it is clearly one: typed as
            # a full postcode, or shaped like an ordinary district (letters then digits), so
            # that "B2B" or "A1" are not read as Birmingham.
            if full or _DIGIT_END.fullmatch(outward):
                area = self._areas.get(_area_letters(outward))
                if area is not None:
                    return PlaceHit(
                        place=outward.upper(),
                        academies=area.academies,
                        note=area.note,
                        score=_SCORE_POSTCODE_AREA,
                    )
        return None

    def _exact(self, tokens: list[str]) -> PlaceHit | None:
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
            found = self._closest(" ".join(tokens[mention.start : end]))
            if found is not None and found[1].startswith(prefix):
                return self._fuzzy_hit(found)
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

    def _fuzzy_match(self, tokens: list[str]) -> PlaceHit | None:
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
                found = self._closest(query)
                if found is not None and (best is None or found[0] > best[0]):
                    best = found
        if best is None:
            return None
        return self._fuzzy_hit(best)

    def _closest(self, query: str) -> tuple[float, str] | None:
        """The (similarity, key) of the closest fuzzy-matchable name, if close enough."""
        if len(query) < _FUZZY_MIN_CHARS or query.isdigit():
            return None
        allowed = 1 if len(query) < _FUZZY_LONG_CHARS else 2
        best: tuple[float, str] | None = None
        for length in range(len(query) - allowed, len(query) + allowed + 1):
            bucket = self._fuzzy.get((query[0], length))
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

    def _fuzzy_hit(self, found: tuple[float, str]) -> PlaceHit:
        """The result for a fuzzy match: always less certain than an exact one."""
        score = round(_FUZZY_BASE + _FUZZY_SPAN * found[0], 1)
        return _hit(self._names[found[1]], score)


def _area_letters(outward: str) -> str:
    """Return the postcode area of an outward code: its leading letters ("ls6" -> "ls")."""
    end = 0
    while end < len(outward) and outward[end].isalpha():
        end += 1
    return outward[:end]


def _hit(entry: _Entry, score: float) -> PlaceHit:
    """Turn a table entry into the public result."""
    return PlaceHit(place=entry.name, academies=entry.academies, note=entry.note, score=score)


def _parse_academies(text: str, path: Path, line: int) -> tuple[str, ...]:
    """Split a ``|``-separated academy list and check every name, reporting where it broke."""
    if not text:
        return ()
    names = tuple(text.split("|"))
    for name in names:
        if name not in _ACADEMY_SET:
            raise ValueError(f"{path}: line {line}: field 'academies': unknown academy {name!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: line {line}: field 'academies': repeated academy in {text!r}")
    return names


def _fuzzy_buckets(names: Mapping[str, _Entry]) -> dict[tuple[str, int], list[str]]:
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
