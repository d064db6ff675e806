"""Towns: ONS built-up areas and sub-divisions and Doogal localities."""

from __future__ import annotations

from collections import Counter, defaultdict

from bot.places import place_key
from scripts.places.names import bracketed, strip_brackets, town_names
from scripts.places.postcodes import Postcodes
from scripts.places.resolve import sort_group
from scripts.places.rules import REGION_ACADEMY
from scripts.places.sources import (
    BUA_LAD_FILE,
    BUA_REGION_FILE,
    BUASD_REGION_FILE,
    BuildError,
    Group,
    population,
    read_csv,
    split_names,
)


class Towns(Postcodes):
    """Adds the towns, each weighted by population."""

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
