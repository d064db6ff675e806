"""Assign academies: the hand-written tables, then councils, counties, regions and nations."""

from __future__ import annotations

from collections import Counter, defaultdict

from bot.places import (
    ACADEMIES,
    normalise,
    place_key,
)
from scripts.places.councils import Councils
from scripts.places.names import by_case, shorten, split_academies
from scripts.places.rules import (
    ALIAS_MIN_WEIGHT,
    ALIAS_SPLIT,
    JUNK_WORDS,
    KIND_PRIORITY,
    OUTSIDE_NATIONS,
    REGION_ACADEMY,
    SOUTH_EAST,
)
from scripts.places.sources import (
    LAD_COUNTY_FILE,
    OVERRIDES_FILE,
    UNITARY_FILE,
    BuildError,
    Candidate,
    Group,
    read_csv,
)


class Academies(Councils):
    """Adds the hand-written tables and the council, county, region and nation candidates."""

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
