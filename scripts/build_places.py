#!/usr/bin/env python3
"""Build ``content/places/places.csv``, the gazetteer table behind ``bot/places.py``.

Reads the open data in ``shared/data/places/`` (see its ``SOURCES.md``) plus our two small
hand-written tables in ``content/places/`` and writes one row per normalised place name, postcode
district and postcode area, each with its academies already ordered and any note already
written. Doing all the geography here keeps the bot's look-up down to a dictionary probe.

How a place gets its academies:

* A current English council: its ONS region maps to one academy, except the South East, which is
  split by ceremonial county (its ``county-la`` in the mySociety data, or
  ``unitary_counties.csv`` for unitary councils). ``academy_overrides.csv`` can replace that
  answer for a council (Dorset, BCP) and everything inside it.
* A former council: the academies of the council(s) that replaced it.
* A county: the academies of its member councils, most populous first.
* A postcode district: the council named in the Doogal export if it is one we know in the same
  region, else its ONS region, else (South East only) a vote of its neighbouring districts.
* A town (ONS built-up areas and sub-divisions, Royal Mail post towns, Doogal localities): the
  academies of its council where we can find it, else its region.

When one name means several places (Newcastle upon Tyne and Newcastle-under-Lyme both answer to
"Newcastle"), population decides: a place at least twice as big as the next goes first and the
note mentions the smaller ones; otherwise the name is called ambiguous.

The output is sorted and written with fixed formatting, so rebuilding from the same inputs
reproduces the committed file byte for byte (``tests/bot/test_places.py`` checks this).

Usage (from the project root)::

    python scripts/build_places.py                       # --source ../shared/data/places
    python scripts/build_places.py --source /path/to/places --out content/places
    python scripts/build_places.py --check               # fail if places.csv is stale
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Run from a checkout without installing: the key functions must be the bot's own.
sys.path.insert(0, str(PROJECT_ROOT))

from bot.places import (  # noqa: E402
    ACADEMIES,
    PLACES_COLUMNS,
    PLACES_FILE,
    STOPWORDS,
    normalise,
    place_key,
)

DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "data" / "places"
DEFAULT_OUT = PROJECT_ROOT / "content" / "places"

LA_FILE = "uk_local_authorities.csv"
REGISTRY_FILE = "lookup_name_to_registry.csv"
LAD_COUNTY_FILE = "Local_Authority_District_to_County_(April_2021)_Lookup_in_England.csv"
BUA_REGION_FILE = "jtrim-ons_ons-lookups/039.csv"
BUA_LAD_FILE = "jtrim-ons_ons-lookups/101.csv"
BUASD_REGION_FILE = "jtrim-ons_ons-lookups/124.csv"
POSTCODE_FILE = "Postcode districts.csv"
UNITARY_FILE = "unitary_counties.csv"
OVERRIDES_FILE = "academy_overrides.csv"

KSS = "Kent, Surrey and Sussex"
TVW = "Thames Valley and Wessex"
SOUTH_EAST = "South East"

# ONS region -> academy, from the brief. The South East is deliberately absent: it is split.
REGION_ACADEMY: dict[str, str] = {
    "North East": "North East",
    "North West": "North West",
    "Yorkshire and The Humber": "Yorkshire and the Humber",
    "East Midlands": "East Midlands",
    "West Midlands": "West Midlands",
    "East of England": "East of England",
    "London": "London",
    "South West": "South West",
}
# South East ceremonial county -> academy, from the brief.
SOUTH_EAST_COUNTY_ACADEMY: dict[str, str] = {
    "Kent": KSS,
    "Surrey": KSS,
    "East Sussex": KSS,
    "West Sussex": KSS,
    "Berkshire": TVW,
    "Buckinghamshire": TVW,
    "Oxfordshire": TVW,
    "Hampshire": TVW,
    "Isle of Wight": TVW,
}
OUTSIDE_NATIONS = ("Scotland", "Wales", "Northern Ireland")
# Doogal leaves the region empty for these; they are not in the UK proper either.
CROWN_DEPENDENCIES = {
    "Guernsey": "Guernsey",
    "Jersey": "Jersey",
    "Isle of Man": "the Isle of Man",
}

# Variants of council names that only add council jargon; the plain name (a shorter match inside
# the same words) already answers them, so they would just bloat the table.
JUNK_WORDS = frozenset(
    {"council", "borough", "boro", "district", "ua", "metropolitan", "authority", "unitary"}
)
# Doogal "localities" that are descriptions, not places.
JUNK_LOCALITY = re.compile(
    r"centre|center|central|non-geographic|\bpo box|large user|\bdocks?\b|\bairport\b|"
    r"\bestate\b|\bhospital\b|\buniversity\b|\bparts? of\b|\band\b|[0-9]",
    re.IGNORECASE,
)
# "Newcastle upon Tyne" is "Newcastle" to most people; the alias competes with other
# Newcastles on population. Only for places big enough for the short form to be usual.
ALIAS_SPLIT = re.compile(r"^(.+?) (?:upon|under|on|in|super) \S.*$")
ALIAS_MIN_WEIGHT = 10_000

# An ONS town that Doogal only mentions inside a longer name ("Bexhill" in "Bexhill-on-Sea") is
# real, but how big it is is unknown: give it at most this weight.
CONTAINED_MAX_WEIGHT = 5_000
# Generic words that are also the names of small places; as keys they would turn chatter
# ("the city", "my street") into a place.
GENERIC_KEYS = frozenset(
    {
        "bank",
        "boundary",
        "castle",
        "chapel",
        "church",
        "city",
        "common",
        "cross",
        "down",
        "edge",
        "end",
        "forest",
        "gate",
        "green",
        "guide",
        "hatch",
        "heath",
        "hill",
        "hope",
        "manor",
        "marsh",
        "matching",
        "mill",
        "moor",
        "over",
        "park",
        "pool",
        "quarter",
        "read",
        "send",
        "shore",
        "street",
        "town",
        "valley",
        "wing",
        "wood",
    }
)
# A place at least this many times bigger than the next of the same name is "the" place.
DOMINANCE = 2.0
# Places smaller than this share of the biggest of the same name are not worth mentioning.
MIN_SHARE = 0.05
MAX_MENTIONED = 4
# Towns outside England smaller than this are left out: knowing that a village is in Wales
# rather than nowhere is not worth the table space (cities and counties are always kept).
OUTSIDE_MIN_WEIGHT = 10_000

KIND_PRIORITY = {"nation": 5, "region": 4, "county": 3, "district": 2, "town": 1}


class BuildError(Exception):
    """The inputs are inconsistent; the message says which file and row."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """Who serves a place: academies (most likely first) or, outside England, the nation."""

    academies: tuple[str, ...]
    outside: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One reading of a key: a particular place that answers to that name."""

    key: str
    label: str  # the name as the person would write it for this key ("Newcastle")
    name: str  # the full name of the place ("Newcastle upon Tyne")
    kind: str
    group: Group
    weight: int
    source: int  # 0 for ONS/mySociety/hand-written names, 1 for Doogal's (spelling is looser)


@dataclass(frozen=True, slots=True, kw_only=True)
class Council:
    """A row of the mySociety table."""

    code: str
    name: str
    nation: str
    region: str
    kind: str
    county: str
    replaced_by: tuple[str, ...]
    current: bool
    lower: bool
    population: int
    gss: tuple[str, ...]


# ---------------------------------------------------------------------------- reading


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a CSV file, skipping ``#`` comment lines and a BOM."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise BuildError(f"{path}: cannot read: {error}") from error
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    kept = [(number, line) for number, line in lines if not line.lstrip().startswith("#")]
    numbers = [number for number, _ in kept]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in kept)))
    for row in reader:
        # line_num counts physical lines read so far; map back to the file's own numbering.
        yield numbers[reader.line_num - 1], {k: (v or "").strip() for k, v in row.items() if k}


def population(text: str) -> int:
    """Parse a population figure ("465866.0"), treating blanks as unknown (0)."""
    return round(float(text)) if text else 0


def split_names(text: str) -> list[str]:
    """Split a comma-separated list of names, dropping blanks."""
    return [part.strip() for part in text.split(",") if part.strip()]


# ---------------------------------------------------------------------------- the model


class Builder:
    """Holds the source data and derives every candidate reading of every key."""

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

    # -- hand-written tables --------------------------------------------------------------

    def read_hand_written(self) -> None:
        """Read ``unitary_counties.csv`` and ``academy_overrides.csv``, checking every row."""
        current_by_name: dict[str, list[str]] = defaultdict(list)
        for council in self.councils.values():
            if council.current and council.lower and council.nation == "England":
                current_by_name[council.name].append(council.code)

        path = self.content / UNITARY_FILE
        for line, row in read_csv(path):
            codes = current_by_name.get(row.get("authority", ""), [])
            if len(codes) != 1:
                raise BuildError(
                    f"{path}: line {line}: field 'authority': {row.get('authority')!r} is not "
                    "exactly one current English council (use the mySociety nice-name)"
                )
            if self.councils[codes[0]].kind != "UA":
                raise BuildError(f"{path}: line {line}: {row['authority']!r} is not a unitary")
            if not row.get("ceremonial_county"):
                raise BuildError(f"{path}: line {line}: field 'ceremonial_county' is empty")
            self.unitary_county[codes[0]] = row["ceremonial_county"]

        path = self.content / OVERRIDES_FILE
        for line, row in read_csv(path):
            where = f"{path}: line {line}"
            academies = tuple(split_academies(row.get("academies", ""), where))
            why = row.get("why", "")
            if not why:
                raise BuildError(f"{where}: field 'why' is empty")
            note = why if len(academies) != 1 else ""
            applies_to, name = row.get("applies_to", ""), row.get("name", "")
            if applies_to == "authority":
                codes = current_by_name.get(name, [])
                if len(codes) != 1:
                    raise BuildError(f"{where}: field 'name': {name!r} is not a current council")
                self.authority_override[codes[0]] = Group(academies=academies, note=note)
            elif applies_to == "name":
                kind = row.get("kind", "")
                if kind not in KIND_PRIORITY:
                    raise BuildError(f"{where}: field 'kind': {kind!r}")
                outside = "" if academies else name
                group = Group(academies=academies, outside=outside, note=note)
                self.name_override[place_key(name)] = (name, kind, group)
            else:
                raise BuildError(f"{where}: field 'applies_to': {applies_to!r}")

    # -- candidates ---------------------------------------------------------------

    def add(
        self,
        name: str,
        kind: str,
        group: Group,
        weight: int,
        *,
        label: str = "",
        source: int = 0,
    ) -> None:
        """Record that ``label`` (default ``name``) can mean the place ``name``."""
        label = label or name
        key = place_key(label)
        self.candidates.append(
            Candidate(
                key=key,
                label=label,
                name=name,
                kind=kind,
                group=group,
                weight=weight,
                source=source,
            )
        )
        if weight >= ALIAS_MIN_WEIGHT or kind == "district":
            match = ALIAS_SPLIT.match(normalise(label))
            if match:
                short = shorten(label, match.group(1))
                self.candidates.append(
                    Candidate(
                        key=place_key(short),
                        label=short,
                        name=name,
                        kind=kind,
                        group=group,
                        weight=weight,
                        source=source,
                    )
                )

    def add_councils(self) -> None:
        """Every council, current or former, under each of its spellings."""
        for council in self.councils.values():
            if not council.lower or council.kind in {"COMB", "SRA", "CTY"}:
                continue
            current = self.current_of(council.code)
            group = self.merged_group(current)
            # A former council keeps its own name ("Barrow-in-Furness"): people still use it,
            # and its successor's name ("Westmorland and Furness") would only confuse.
            display = council.name
            # One label per key, preferring a properly capitalised spelling to a lower-case one.
            labels: dict[str, str] = {}
            for name in sorted([council.name, *self.council_names[council.code]], key=by_case):
                if not set(normalise(name).split()) & JUNK_WORDS:
                    labels.setdefault(place_key(name), name if not name.islower() else name.title())
            for label in sorted(labels.values()):
                self.add(display, "district", group, council.population, label=label)

    def add_counties(self) -> None:
        """Counties: two-tier, former, metropolitan, and ceremonial ones for unitaries."""
        members: dict[str, set[str]] = defaultdict(set)
        for council in self.councils.values():
            if council.kind == "CTY":
                name = council.name.removesuffix(" County")
                if council.current:
                    members[name].update(
                        c.code
                        for c in self.councils.values()
                        if c.current and c.lower and c.county == council.code
                    )
                else:
                    members[name].update(self.current_of(council.code))
        path = self.source / LAD_COUNTY_FILE
        for line, row in read_csv(path):
            code = self.by_gss.get(row["LAD21CD"])
            if code is None:
                raise BuildError(f"{path}: line {line}: unknown district {row['LAD21CD']}")
            members[row["CTY21NM"]].update(self.current_of(code))
        for code, county in self.unitary_county.items():
            members[county].add(code)
        for name, codes in sorted(members.items()):
            if not codes:
                raise BuildError(f"county {name!r} has no member councils")
            group = self.merged_group(sorted(codes))
            if len(group.academies) > 1 and not group.note:
                group = Group(
                    academies=group.academies,
                    note=f"{name} is split: most of it is served by {group.academies[0]}, "
                    f"the rest by {' and '.join(group.academies[1:])}.",
                )
            weight = sum(self.councils[code].population for code in codes)
            self.add(name, "county", group, weight)

    def add_regions_and_nations(self) -> None:
        """ONS regions, the academies' own names, Greater London and the four nations."""
        by_region: dict[str, list[str]] = defaultdict(list)
        by_nation: dict[str, int] = Counter()
        for council in self.councils.values():
            if council.current and council.lower:
                by_nation[council.nation] += council.population
                if council.nation == "England":
                    by_region[council.region].append(council.code)
        for region, codes in sorted(by_region.items()):
            group = self.merged_group(codes)
            if region == SOUTH_EAST:
                group = Group(
                    academies=group.academies,
                    note="The South East has two academies: Kent, Surrey and Sussex, and "
                    "Thames Valley and Wessex (Berkshire, Buckinghamshire, Oxfordshire, "
                    "Hampshire and the Isle of Wight).",
                )
            elif len(group.academies) > 1:
                # Dorset's override leaks into the South West total; the region itself is
                # still the South West academy's.
                group = Group(academies=(REGION_ACADEMY[region],))
            weight = sum(self.councils[code].population for code in codes)
            self.add(region, "region", group, weight)
        academy_weight = self.academy_weight
        for codes in by_region.values():
            for code in codes:
                academy_weight[self.council_group(code).academies[0]] += self.councils[
                    code
                ].population
        for academy in ACADEMIES:
            # source=-1: show the academy's own spelling ("the Humber", not ONS's "The Humber").
            self.add(
                academy, "region", Group(academies=(academy,)), academy_weight[academy], source=-1
            )
        london = sum(self.councils[code].population for code in by_region["London"])
        self.add("Greater London", "region", Group(academies=("London",)), london)
        england = tuple(sorted(ACADEMIES, key=lambda a: (-academy_weight[a], a)))
        self.add(
            "England",
            "nation",
            Group(
                academies=england,
                note="England has ten regional academies; tell me your town, county or "
                "postcode and I can pick yours.",
            ),
            by_nation["England"],
        )
        for nation in OUTSIDE_NATIONS:
            self.add(nation, "nation", Group(academies=(), outside=nation), by_nation[nation])

    # -- postcodes ------------------------------------------------------------------

    def postcode_groups(self) -> dict[str, tuple[Group, dict[str, str]]]:
        """Resolve every Doogal postcode district to who serves it."""
        path = self.source / POSTCODE_FILE
        rows: dict[str, dict[str, str]] = {}
        resolved: dict[str, Group] = {}
        pending: list[str] = []
        for line, row in read_csv(path):
            district = row["Postcode"].upper()
            if not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?", district):
                # Special codes such as Girobank's "GIR" are not places.
                self.warnings.append(f"{path.name}: line {line}: skipped {district!r}")
                continue
            rows[district] = row
            region, council_name = row["UK region"], row["Region"]
            if not region:
                if council_name in CROWN_DEPENDENCIES:
                    resolved[district] = Group(
                        academies=(), outside=CROWN_DEPENDENCIES[council_name]
                    )
                continue
            if region in OUTSIDE_NATIONS:
                resolved[district] = Group(academies=(), outside=region)
                continue
            code = self.council_by_name(council_name, region)
            if code is not None:
                resolved[district] = self.council_group(code)
            elif region != SOUTH_EAST:
                resolved[district] = Group(academies=(REGION_ACADEMY[region],))
            elif council_name in SOUTH_EAST_COUNTY_ACADEMY:
                resolved[district] = Group(academies=(SOUTH_EAST_COUNTY_ACADEMY[council_name],))
            elif place_key(council_name) in self.name_override:
                resolved[district] = self.name_override[place_key(council_name)][2]
            else:
                pending.append(district)
        # South East districts Doogal files under a town or a neighbouring borough ("Camberley",
        # "Croydon"): take the academy of their South East neighbours, nearest counting most
        # (Doogal lists them nearest first).
        for district in sorted(pending):
            votes: defaultdict[Group, float] = defaultdict(float)
            nearby = [name.upper() for name in split_names(rows[district]["Nearby districts"])]
            for rank, near in enumerate(nearby):
                group = resolved.get(near)
                if group is not None and rows[near]["UK region"] == SOUTH_EAST:
                    votes[group] += 1 / (rank + 1)
            ranked = sorted(votes.items(), key=lambda item: (-item[1], sort_group(item[0])))
            if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
                self.warnings.append(f"postcode district {district}: no clear neighbour vote")
                continue
            resolved[district] = ranked[0][0]
        return {district: (group, rows[district]) for district, group in resolved.items()}

    def add_postcodes_and_post_towns(
        self, postcodes: dict[str, tuple[Group, dict[str, str]]]
    ) -> tuple[list[list[str]], dict[tuple[str, Group], int]]:
        """Postcode rows, plus post towns and localities as town candidates.

        Returns:
            The postcode rows, and an estimated population for (key, group) pairs: the
            population of the postcode districts whose post town or locality is that name (or,
            failing that, contains it: "Bexhill" in "Bexhill-on-Sea"), for weighting ONS towns.
        """
        rows: list[list[str]] = []
        area_groups: dict[str, set[Group]] = defaultdict(set)
        town_weight: dict[tuple[str, Group], float] = defaultdict(float)
        town_label: dict[tuple[str, Group], str] = {}
        locality_weight: dict[tuple[str, Group], float] = defaultdict(float)
        part_weight: dict[tuple[str, Group], float] = defaultdict(float)
        post_town_groups: dict[tuple[str, str], defaultdict[Group, float]] = defaultdict(
            lambda: defaultdict(float)
        )
        post_town_label: dict[tuple[str, str], str] = {}
        for district, (group, row) in sorted(postcodes.items()):
            people = population(row["Population"])
            rows.append(
                postcode_row(district.lower(), district, "postcode_district", group, people)
            )
            area_groups[area_of(district)].add(group)
            post_towns = split_names(row["Post Town"])
            for town in post_towns:
                post_town = (place_key(town), area_of(district))
                post_town_groups[post_town][group] += people / len(post_towns)
                post_town_label.setdefault(post_town, town)
            localities = [
                name for name in split_names(row["Town/Area"]) if not JUNK_LOCALITY.search(name)
            ]
            for name in localities:
                pair = (place_key(name), group)
                locality_weight[pair] += people / len(localities)
                town_label.setdefault(pair, name)
            names = post_towns + localities
            for name in names:
                words = place_key(name).split()
                for size in range(1, len(words) + 1):
                    for start in range(len(words) - size + 1):
                        part = " ".join(words[start : start + size])
                        part_weight[(part, group)] += people / len(names)
        # A post town is one place even where its outskirts cross a region border (some
        # "Middlesbrough" postcodes are in North Yorkshire), so it goes to the group holding
        # most of its people. The same name in another postcode area is another place
        # (Newport in Wales, on the Isle of Wight and in Shropshire).
        for post_town, shares in post_town_groups.items():
            group = sorted(shares.items(), key=lambda item: (-item[1], sort_group(item[0])))[0][0]
            pair = (post_town[0], group)
            town_weight[pair] = max(town_weight[pair], sum(shares.values()))
            town_label.setdefault(pair, post_town_label[post_town])
        for area, answers in sorted(area_groups.items()):
            if len(answers) == 1:
                rows.append(
                    postcode_row(area.lower(), area, "postcode_area", next(iter(answers)), 0)
                )
        weights: dict[tuple[str, Group], int] = {}
        for pair in sorted(set(town_weight) | set(locality_weight), key=sort_pair):
            weight = round(max(town_weight.get(pair, 0.0), locality_weight.get(pair, 0.0)))
            weights[pair] = weight
            self.add(town_label[pair], "town", pair[1], weight, source=1)
        # Only a token weight: "Wells" is inside "Tunbridge Wells" but is not that big.
        for pair, estimate in part_weight.items():
            weights.setdefault(pair, min(round(estimate), CONTAINED_MAX_WEIGHT))
        return rows, weights

    # -- towns ----------------------------------------------------------------------

    def add_towns(
        self,
        postcodes: dict[str, tuple[Group, dict[str, str]]],
        doogal_weight: dict[tuple[str, Group], int],
    ) -> None:
        """ONS built-up areas (via their councils) and sub-divisions (via names)."""
        bua_councils: dict[str, set[str]] = defaultdict(set)
        path = self.source / BUA_LAD_FILE
        for line, row in read_csv(path):
            code = self.by_gss.get(row["LAD11CD"])
            if code is None:
                raise BuildError(f"{path}: line {line}: unknown district {row['LAD11CD']}")
            bua_councils[row["BUA11CD"]].update(self.current_of(code))

        bua_by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
        path = self.source / BUA_REGION_FILE
        for _line, row in read_csv(path):
            region = row["RGN11NM"]
            codes = {c for c in bua_councils[row["BUA11CD"]] if self.councils[c].region == region}
            if region == "Wales":
                group = Group(academies=(), outside="Wales")
            elif codes:
                group = self.merged_group(sorted(codes))
            elif region in REGION_ACADEMY:
                group = Group(academies=(REGION_ACADEMY[region],))
            else:
                self.warnings.append(f"built-up area {row['BUA11NM']}: no council in {region}")
                continue
            for name in town_names(row["BUA11NM"].removesuffix(" BUA")):
                key = place_key(strip_brackets(name))
                bua_by_key[(key, region)].update(codes)
                self.add_town(name, group, doogal_weight)

        # Sub-divisions carry no council, so find it by name: a council of that name, a
        # built-up area of that name, or postcode districts whose post town or locality it is.
        by_town: dict[tuple[str, str], Counter[Group]] = defaultdict(Counter)
        by_words: dict[tuple[str, str], Counter[Group]] = defaultdict(Counter)
        for group, row in postcodes.values():
            people = max(population(row["Population"]), 1)
            names = split_names(row["Post Town"]) + split_names(row["Town/Area"])
            for name in names:
                key = place_key(name)
                by_town[(key, row["UK region"])][group] += people
                # Also every run of words, so "Bexhill" finds "Bexhill-on-Sea" and "Bletchley"
                # finds "Old Bletchley".
                words = key.split()
                for size in range(1, len(words) + 1):
                    for start in range(len(words) - size + 1):
                        part = " ".join(words[start : start + size])
                        by_words[(part, row["UK region"])][group] += people
        path = self.source / BUASD_REGION_FILE
        for _line, row in read_csv(path):
            region = row["RGN11NM"]
            for name in town_names(row["BUASD11NM"].removesuffix(" BUASD")):
                key = place_key(strip_brackets(name))
                found = self.subdivision_group(
                    key, bracketed(name), region, bua_by_key, by_town, by_words
                )
                if found is None:
                    self.warnings.append(f"sub-division {name} ({region}): academy unknown")
                    continue
                self.add_town(name, found, doogal_weight)

    def subdivision_group(
        self,
        key: str,
        qualifier: str,
        region: str,
        bua_by_key: dict[tuple[str, str], set[str]],
        by_town: dict[tuple[str, str], Counter[Group]],
        by_words: dict[tuple[str, str], Counter[Group]],
    ) -> Group | None:
        """Who serves an ONS built-up area sub-division, found through its name."""
        if region == "Wales":
            return Group(academies=(), outside="Wales")
        # ONS tells namesakes apart by council: "Hale (New Forest)", "Hale (Trafford)".
        code = self.council_by_name(qualifier, region) if qualifier else None
        if code is None:
            code = self.council_by_name(key, region)
        if code is not None:
            return self.council_group(code)
        if bua_by_key.get((key, region)):
            return self.merged_group(sorted(bua_by_key[(key, region)]))
        votes = by_town.get((key, region)) or by_words.get((key, region))
        if votes:
            return sorted(votes.items(), key=lambda item: (-item[1], sort_group(item[0])))[0][0]
        if region in REGION_ACADEMY:
            return Group(academies=(REGION_ACADEMY[region],))
        return None

    def add_town(
        self, name: str, group: Group, doogal_weight: dict[tuple[str, Group], int]
    ) -> None:
        """A built-up area, weighted by the Doogal population of its name in the same academy."""
        plain = strip_brackets(name)
        weight = doogal_weight.get((place_key(plain), group), 0)
        self.add(name, "town", group, weight, label=plain)

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


# ---------------------------------------------------------------------------- helpers


def split_academies(text: str, where: str) -> list[str]:
    """Parse a ``|``-separated academy list from a hand-written file."""
    names = [part.strip() for part in text.split("|") if part.strip()]
    for name in names:
        if name not in ACADEMIES:
            raise BuildError(f"{where}: field 'academies': unknown academy {name!r}")
    return names


def area_of(district: str) -> str:
    """The postcode area of a district: its leading letters ("LS6" -> "LS")."""
    return re.sub(r"[0-9].*$", "", district)


def by_case(name: str) -> tuple[bool, str]:
    """Sort key putting capitalised spellings before lower-case ones."""
    return (name.islower(), name)


def shorten(label: str, short_key: str) -> str:
    """Cut a display name to the words of ``short_key`` ("Newcastle-under-Lyme" -> "Newcastle")."""
    words = len(short_key.split())
    return " ".join(re.split(r"[\s-]+", label)[:words])


def strip_brackets(name: str) -> str:
    """Drop ONS disambiguators: "Drayton (South Somerset)" -> "Drayton"."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


def bracketed(name: str) -> str:
    """The ONS disambiguator in a name: "Hale (New Forest)" -> "New Forest", else ""."""
    match = re.search(r"\(([^)]*)\)", name)
    return match.group(1) if match else ""


def town_names(name: str) -> list[str]:
    """Split ONS joint names ("Sutton Valence/Langley Heath") into their places."""
    return [part.strip() for part in name.split("/") if part.strip()]


def usable_key(key: str) -> bool:
    """Whether a key is worth a row: ``lookup`` never matches a run of words that starts or
    ends on a stopword, and generic words are not places."""
    words = key.split()
    return (
        bool(words)
        and words[0] not in STOPWORDS
        and words[-1] not in STOPWORDS
        and key not in GENERIC_KEYS
    )


def sort_group(group: Group) -> tuple[tuple[str, ...], str]:
    """A stable sort key for groups."""
    return (group.academies, group.outside)


def sort_pair(pair: tuple[str, Group]) -> tuple[str, tuple[str, ...], str]:
    """A stable sort key for (key, group) pairs."""
    return (pair[0], *sort_group(pair[1]))


def describe(candidate: Candidate) -> str:
    """Say where a candidate is: "Newcastle-under-Lyme (West Midlands)"."""
    where = " and ".join(candidate.group.academies) or candidate.group.outside
    name = re.sub(r"\s*\(([^)]*)\)", r", \1", candidate.name)  # "Newport (Isle of Wight)"
    return f"{name} ({where})"


def resolve(key: str, candidates: list[Candidate]) -> list[str] | None:
    """Turn every reading of one key into a single output row.

    Readings are grouped by who serves them; each group's weight is its biggest reading (the
    same town appears as council, built-up area and post town, so adding them up would double
    count). Then the biggest group wins outright if it is at least ``DOMINANCE`` times the next,
    and groups too small to matter are dropped. Returns ``None`` for a small town outside
    England, or a hamlet no postcode district mentions: not worth the space.
    """
    # Readings with the same academies are one answer, whatever their notes say; keep the
    # group (and so the note) of the biggest reading.
    by_answer: dict[tuple[tuple[str, ...], str], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_answer[(candidate.group.academies, candidate.group.outside)].append(candidate)
    groups: dict[Group, list[Candidate]] = {}
    for members in by_answer.values():
        biggest = min(members, key=lambda c: (-c.weight, -KIND_PRIORITY[c.kind], c.name))
        groups[biggest.group] = members
    ranked = sorted(
        (
            (max(c.weight for c in members), fullest(members), group)
            for group, members in groups.items()
        ),
        key=lambda item: (-item[0], -KIND_PRIORITY[item[1].kind], sort_group(item[2])),
    )
    top_weight, top, top_group = ranked[0]
    kind = max((c.kind for c in groups[top_group]), key=KIND_PRIORITY.__getitem__)
    if kind == "town" and top_weight < (OUTSIDE_MIN_WEIGHT if top_group.outside else 1):
        return None
    if top_weight > 0:
        ranked = [item for item in ranked if item[0] >= top_weight * MIN_SHARE]
    ranked = ranked[:MAX_MENTIONED]
    shown = as_typed(key, groups[top_group]).name
    label = as_typed(key, candidates).label

    if len(ranked) == 1:
        if top_group.note:
            note = top_group.note
        elif top_group.outside and kind == "nation":
            note = f"{shown} is not part of England; these academies serve England only."
        elif top_group.outside:
            note = f"{shown} is in {top_group.outside}; these academies serve England only."
        elif len(top_group.academies) > 1:
            note = f"{shown} spans more than one academy's area."
        else:
            note = ""
        return name_row(key, shown, kind, top_group.academies, top_weight, note)

    others = [describe(item[1]) for item in ranked[1:]]
    academies = merge_academies(item[2] for item in ranked)
    if top_weight > 0 and top_weight >= DOMINANCE * ranked[1][0]:
        also = f"; there {'is' if len(others) == 1 else 'are'} also {join_names(others)}."
        if top_group.outside:
            # The likeliest place is outside England: say so, and name the English ones, but
            # do not offer their academies as the answer.
            note = (
                f"{label} usually means {top.name} in {top_group.outside}, which these "
                f"academies do not cover{also}"
            )
            academies = ()
        else:
            note = f"{label} usually means {describe(top)}{also}"
            if top_group.note:
                note += " " + top_group.note
    elif len({item[1].name for item in ranked}) == 1 and not any(i[2].outside for i in ranked):
        note = f"Several places are called {label}; add the county or postcode to be sure."
    else:
        options = " or ".join(describe(item[1]) for item in ranked)
        note = f"{label} could be {options}; add the county or postcode to be sure."
    return name_row(key, shown, kind, academies, top_weight, note)


def join_names(names: list[str]) -> str:
    """Join names for a sentence: "A", "A and B", "A; B and C" (names may hold commas)."""
    if len(names) == 1:
        return names[0]
    return "; ".join(names[:-1]) + " and " + names[-1]


def fullest(members: list[Candidate]) -> Candidate:
    """The reading that best identifies a place in a note: the council over the post town."""
    return min(members, key=lambda c: (-KIND_PRIORITY[c.kind], c.source, -c.weight, c.name))


def as_typed(key: str, members: list[Candidate]) -> Candidate:
    """The reading to show as the place: spelt like the key if possible ("Bristol" over
    "City of Bristol"), then as :func:`fullest`."""
    return min(
        members,
        key=lambda c: (
            place_key(c.name) != key,
            place_key(c.label) != key,
            -KIND_PRIORITY[c.kind],
            c.source,
            -c.weight,
            c.name,
        ),
    )


def merge_academies(groups: Iterable[Group]) -> tuple[str, ...]:
    """Concatenate the academies of several groups, keeping the first of each."""
    merged: list[str] = []
    for group in groups:
        for academy in group.academies:
            if academy not in merged:
                merged.append(academy)
    return tuple(merged)


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


def build(source: Path, content: Path) -> tuple[str, list[str]]:
    """Build the table text from ``source`` data and the hand-written files in ``content``.

    Returns:
        The CSV text and any warnings (places that could not be given an academy).
    """
    builder = Builder(source, content)
    return render(builder.build()), builder.warnings


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="shared/data/places")
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="content/places: holds the hand-written inputs and receives places.csv",
    )
    parser.add_argument("--verbose", action="store_true", help="print every warning")
    parser.add_argument(
        "--check", action="store_true", help="do not write; fail if places.csv is out of date"
    )
    args = parser.parse_args(argv)
    try:
        text, warnings = build(args.source, args.out)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    target = args.out / PLACES_FILE
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {target} ({len(text.encode()):,} bytes, {text.count(chr(10)) - 1:,} rows)")
    if warnings:
        print(f"{len(warnings)} places left out (no academy found)", file=sys.stderr)
        for warning in warnings if args.verbose else warnings[:5]:
            print(f"  {warning}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
