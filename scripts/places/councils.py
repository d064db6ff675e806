"""Council succession: current councils, the ones they replaced, and their counties."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from bot.places import place_key
from scripts.places.rules import (
    OUTSIDE_NATIONS,
    REGION_ACADEMY,
    SOUTH_EAST,
    SOUTH_EAST_COUNTY_ACADEMY,
)
from scripts.places.sources import (
    LA_FILE,
    REGISTRY_FILE,
    UNITARY_FILE,
    BuildError,
    Candidate,
    Council,
    Group,
    population,
    read_csv,
    split_names,
)


class Councils:
    """The build's state (sources, councils, candidates) and the council succession steps.

    Each later step is a subclass (academies, postcodes, towns), so that each module holds one
    step while the candidates accumulate in one place; ``builder.Builder`` runs them in order.
    """

    def __init__(self, source: Path, content: Path) -> None:
        self.source = source
        self.content = content
        self.councils: dict[str, Council] = {}
        self.council_names: dict[str, list[str]] = defaultdict(list)
        self.by_gss: dict[str, str] = {}
        self.unitary_county: dict[str, str] = {}
        self.authority_override: dict[str, Group] = {}
        self.name_override: dict[str, tuple[str, str, Group]] = {}
        self.candidates: list[Candidate] = []
        self.warnings: list[str] = []
        self._groups: dict[str, Group] = {}
        self.academy_weight: Counter[str] = Counter()
        self._name_index: dict[str, set[str]] = defaultdict(set)

    # -- councils -------------------------------------------------------------------

    def read_councils(self) -> None:
        """Read the mySociety councils and their name spellings."""
        path = self.source / LA_FILE
        for _line, row in read_csv(path):
            code = row["local-authority-code"]
            gss = tuple([row["gss-code"], *split_names(row["former-gss-codes"])])
            self.councils[code] = Council(
                code=code,
                # "Dorset Council" is the only nice-name with council jargon in it.
                name=row["nice-name"].removesuffix(" Council"),
                nation=row["nation"],
                region=row["region"],
                kind=row["local-authority-type"],
                county=row["county-la"],
                replaced_by=tuple(split_names(row["replaced-by"])),
                current=row["current-authority"] == "True",
                lower=row["lower-or-unitary"] == "True",
                population=population(row["pop-2020"]),
                gss=tuple(code for code in gss if code),
            )
            self.council_names[code].extend([row["nice-name"], row["official-name"]])
            for gss_code in gss:
                if gss_code:
                    self.by_gss.setdefault(gss_code, code)
        for line, row in read_csv(self.source / REGISTRY_FILE):
            code = row["local-authority-code"]
            if code not in self.councils:
                raise BuildError(f"{self.source / REGISTRY_FILE}: line {line}: unknown {code!r}")
            self.council_names[code].append(row["la-name"])
        for council in self.councils.values():
            if council.kind in {"COMB", "SRA"}:
                continue
            for name in self.council_names[council.code]:
                key = place_key(name)
                for current in self.current_of(council.code):
                    self._name_index[key].add(current)

    def current_of(self, code: str) -> tuple[str, ...]:
        """The current council(s) that a council is, or was replaced by."""
        council = self.councils[code]
        if council.current or not council.replaced_by:
            return (code,)
        found: list[str] = []
        for successor in council.replaced_by:
            for current in self.current_of(successor):
                if current not in found:
                    found.append(current)
        return tuple(found)

    def council_by_name(self, name: str, region: str) -> str | None:
        """The one current council in ``region`` known by ``name``, if exactly one."""
        codes = {
            code
            for code in self._name_index.get(place_key(name), ())
            if self.councils[code].region == region and self.councils[code].lower
        }
        return codes.pop() if len(codes) == 1 else None

    def county_of(self, code: str) -> str:
        """The ceremonial county of a current South East council."""
        council = self.councils[code]
        if council.county:
            return self.councils[council.county].name.removesuffix(" County")
        if code in self.unitary_county:
            return self.unitary_county[code]
        raise BuildError(
            f"{self.content / UNITARY_FILE}: no ceremonial county for South East unitary "
            f"{council.name!r}; add a row"
        )

    def council_group(self, code: str) -> Group:
        """Who serves a current council (overrides applied)."""
        cached = self._groups.get(code)
        if cached is not None:
            return cached
        council = self.councils[code]
        if code in self.authority_override:
            group = self.authority_override[code]
        elif council.nation in OUTSIDE_NATIONS:
            group = Group(academies=(), outside=council.nation)
        elif council.region == SOUTH_EAST:
            county = self.county_of(code)
            if county not in SOUTH_EAST_COUNTY_ACADEMY:
                raise BuildError(f"{council.name}: South East county {county!r} has no academy")
            group = Group(academies=(SOUTH_EAST_COUNTY_ACADEMY[county],))
        elif council.region in REGION_ACADEMY:
            group = Group(academies=(REGION_ACADEMY[council.region],))
        else:
            raise BuildError(f"{LA_FILE}: {council.name}: unknown region {council.region!r}")
        self._groups[code] = group
        return group

    def merged_group(self, codes: Iterable[str]) -> Group:
        """Who serves several current councils together, most populous academy first."""
        weights: defaultdict[str, float] = defaultdict(float)
        outside = ""
        note = ""
        # Most populous first, so the note kept is the one that explains most of the area.
        for code in sorted(codes, key=lambda c: (-self.councils[c].population, c)):
            group = self.council_group(code)
            outside = outside or group.outside
            note = note or group.note
            for rank, academy in enumerate(group.academies):
                # A council's second academy counts for less, so Dorset stays Wessex-first.
                weights[academy] += max(self.councils[code].population, 1) / (rank + 1)
        academies = tuple(sorted(weights, key=lambda a: (-weights[a], a)))
        if not academies:
            return Group(academies=(), outside=outside)
        return Group(academies=academies, note=note)
