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

The package is pure: no I/O at import time, no platform code. Modules: :mod:`names` (the
academies, stop words, :func:`normalise`, :func:`place_key`), :mod:`table` (loading),
:mod:`postcodes`, :mod:`exact` and :mod:`fuzzy` (the three ways of matching) and
:mod:`gazetteer` (the look-up). The names the build script and the core use are re-exported.
"""

from bot.places.gazetteer import Gazetteer
from bot.places.names import (
    ACADEMIES,
    KINDS,
    PLACES_COLUMNS,
    PLACES_FILE,
    STOPWORDS,
    PlaceHit,
    normalise,
    place_key,
)

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
