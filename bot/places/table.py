"""Reading ``content/places/places.csv``: names, postcode districts and postcode areas."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bot.places.names import ACADEMY_SET, KINDS, PLACE_KINDS, PLACES_COLUMNS, PLACES_FILE, Entry


@dataclass(frozen=True, slots=True, kw_only=True)
class Tables:
    """The three look-up tables, keyed by :func:`bot.places.names.place_key` or postcode."""

    names: dict[str, Entry]
    districts: dict[str, Entry]
    areas: dict[str, Entry]


def load_tables(directory: Path) -> Tables:
    """Read ``places.csv`` from ``directory`` (normally ``content/places``).

    The other CSV files there (``unitary_counties.csv``, ``academy_overrides.csv``) are
    inputs to ``scripts/build_places.py`` and are already folded into ``places.csv``.

    Args:
        directory: The folder holding ``places.csv``.

    Returns:
        The tables.

    Raises:
        ValueError: If the file is missing a column, or a row has a bad kind, academy,
            weight or key; the message names the file, line and field.
        OSError: If the file cannot be read.
    """
    path = directory / PLACES_FILE
    names: dict[str, Entry] = {}
    districts: dict[str, Entry] = {}
    areas: dict[str, Entry] = {}
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
                    f"{path}: line {line}: expected {len(PLACES_COLUMNS)} fields, got {len(row)}"
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
            entry = Entry(
                name=name, kind=kind, academies=academies, weight=int(weight_text), note=note
            )
            table = (
                names
                if kind in PLACE_KINDS
                else districts
                if kind == "postcode_district"
                else areas
            )
            if key in table:
                raise ValueError(f"{path}: line {line}: field 'key': duplicate key {key!r}")
            table[key] = entry
    return Tables(names=names, districts=districts, areas=areas)


def _parse_academies(text: str, path: Path, line: int) -> tuple[str, ...]:
    """Split a ``|``-separated academy list and check every name, reporting where it broke."""
    if not text:
        return ()
    names = tuple(text.split("|"))
    for name in names:
        if name not in ACADEMY_SET:
            raise ValueError(f"{path}: line {line}: field 'academies': unknown academy {name!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: line {line}: field 'academies': repeated academy in {text!r}")
    return names
