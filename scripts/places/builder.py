"""Run every step in order and render the table."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from scripts.places.names import usable_key
from scripts.places.resolve import resolve
from scripts.places.sources import Candidate
from scripts.places.towns import Towns
from scripts.places.write import render


class Builder(Towns):
    """Every step, in order: read, succeed, assign, resolve, write."""

    # -- output -----------------------------------------------------------------------

    def name_rows(self) -> list[list[str]]:
        """Collapse the candidates of each key into one row."""
        by_key: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in self.candidates:
            if usable_key(candidate.key):
                by_key[candidate.key].append(candidate)
        for key, (name, kind, group) in self.name_override.items():
            weight = max((c.weight for c in by_key.get(key, [])), default=0)
            weight = max(weight, sum(self.academy_weight[a] for a in group.academies))
            by_key[key] = [
                Candidate(
                    key=key, label=name, name=name, kind=kind, group=group, weight=weight, source=0
                )
            ]
        rows = (resolve(key, by_key[key]) for key in sorted(by_key))
        return [row for row in rows if row is not None]

    def build(self) -> list[list[str]]:
        """Run every step and return the sorted output rows (without the header)."""
        self.read_councils()
        self.read_hand_written()
        self.add_councils()
        self.add_counties()
        self.add_regions_and_nations()
        postcodes = self.postcode_groups()
        postcode_rows, doogal_weight = self.add_postcodes_and_post_towns(postcodes)
        self.add_towns(postcodes, doogal_weight)
        rows = self.name_rows() + postcode_rows
        rows.sort(key=lambda row: (row[2] in {"postcode_district", "postcode_area"}, row[0]))
        return rows


def build(source: Path, content: Path) -> tuple[str, list[str]]:
    """Build the table text from ``source`` data and the hand-written files in ``content``.

    Returns:
        The CSV text and any warnings (places that could not be given an academy).
    """
    builder = Builder(source, content)
    return render(builder.build()), builder.warnings
