"""Place names: the academies, the words around a name, and one way to fold any name to a key.

:func:`normalise` and :func:`place_key` are shared with ``scripts/build_places.py``, so the keys
in the table and the keys looked up at run time can never drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final, NamedTuple

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

ACADEMY_SET: Final[frozenset[str]] = frozenset(ACADEMIES)
PLACE_KINDS: Final[frozenset[str]] = KINDS - {"postcode_district", "postcode_area"}

# Apostrophes vanish ("King's Lynn" -> "kings lynn"); everything else that is not a letter or
# digit separates words, so "Stoke-on-Trent", "stoke on trent" and "Stoke on Trent." agree.
_APOSTROPHES: Final[re.Pattern[str]] = re.compile(r"['\u2019\u2018`]")
_NON_ALNUM: Final[re.Pattern[str]] = re.compile(r"[^a-z0-9]+")


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


class Entry(NamedTuple):
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


def hit(entry: Entry, score: float) -> PlaceHit:
    """Turn a table entry into the public result."""
    return PlaceHit(place=entry.name, academies=entry.academies, note=entry.note, score=score)


def introduced(text: str, place: str) -> bool:
    """Whether ``place`` follows "in", "near", "at", "from" ... in ``text``, or is a postcode."""
    name = place.lower()
    if any(ch.isdigit() for ch in name):
        return True
    return bool(
        re.search(
            r"\b(?:in|near|at|from|around|covering|covers|for|outside|round|to)\s+(?:the\s+)?"
            + re.escape(name),
            text.lower(),
        )
    )
