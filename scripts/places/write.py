"""The output rows and the fixed CSV dialect that keeps places.csv byte-for-byte stable."""

from __future__ import annotations

import csv
import io

from bot.places import PLACES_COLUMNS
from scripts.places.sources import Group


def name_row(
    key: str, name: str, kind: str, academies: tuple[str, ...], weight: int, note: str
) -> list[str]:
    """Format one output row."""
    return [key, name, kind, "|".join(academies), str(weight), note]


def postcode_row(key: str, name: str, kind: str, group: Group, weight: int) -> list[str]:
    """Format one postcode district or area row."""
    if group.outside and not group.note:
        where = f"{name} postcodes are" if kind == "postcode_area" else f"{name} is"
        note = f"{where} in {group.outside}; these academies serve England only."
    else:
        note = group.note
    return [key, name, kind, "|".join(group.academies), str(weight), note]


def render(rows: list[list[str]]) -> str:
    """Render rows as CSV text with a fixed dialect, so output is byte-for-byte stable."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLACES_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()
