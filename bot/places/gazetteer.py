"""The gazetteer: what someone types after "contact" -> the academies that serve that place.

Postcodes first (:mod:`bot.places.postcodes`), then exact names (:mod:`bot.places.exact`),
then near-miss spellings (:mod:`bot.places.fuzzy`), over the table that
``scripts/build_places.py`` precomputes (:mod:`bot.places.table`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

from bot.places.exact import NameIndex
from bot.places.fuzzy import FuzzyIndex
from bot.places.names import Entry, PlaceHit, normalise
from bot.places.postcodes import postcode_hit
from bot.places.table import load_tables

# Input beyond this is chatter; bounding it bounds the n-gram search.
_MAX_CHARS: Final[int] = 300
_MAX_TOKENS: Final[int] = 40


class Gazetteer:
    """Finds places in free text and says which academies serve them.

    Build one with :meth:`load` and share it: it is immutable after construction and
    :meth:`lookup` keeps no state, so it is safe to use from several threads or tasks.

    Example:
        >>> gazetteer = Gazetteer.load(Path("content/places"))  # doctest: +SKIP
        >>> gazetteer.lookup("courses in Leeds?").academies  # doctest: +SKIP
        ('Yorkshire and the Humber',)
    """

    __slots__ = ("_areas", "_districts", "_fuzzy", "_names")

    def __init__(
        self,
        *,
        names: Mapping[str, Entry],
        districts: Mapping[str, Entry],
        areas: Mapping[str, Entry],
    ) -> None:
        """Index the entries; prefer :meth:`load`, which reads them from the shipped table.

        Args:
            names: Place-name key (see :func:`bot.places.names.place_key`) to entry.
            districts: Lower-case postcode district ("ls6") to entry.
            areas: Lower-case postcode area ("ls") to entry, only for areas whose districts
                all have the same academies.
        """
        self._districts: dict[str, Entry] = dict(districts)
        self._areas: dict[str, Entry] = dict(areas)
        self._fuzzy = FuzzyIndex(dict(names))
        self._names = NameIndex(dict(names), fuzzy=self._fuzzy)

    @classmethod
    def load(cls, directory: Path) -> Gazetteer:
        """Read ``places.csv`` from ``directory`` (normally ``content/places``).

        Raises:
            ValueError: If the file is missing a column, or a row has a bad kind, academy,
                weight or key; the message names the file, line and field.
            OSError: If the file cannot be read.
        """
        tables = load_tables(directory)
        return cls(names=tables.names, districts=tables.districts, areas=tables.areas)

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
        return (
            postcode_hit(tokens, districts=self._districts, areas=self._areas)
            or self._names.match(tokens)
            or self._fuzzy.match(tokens)
        )
