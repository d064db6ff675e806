"""Postcode districts and areas, and Royal Mail post towns."""

from __future__ import annotations

import re
from collections import defaultdict

from bot.places import place_key
from scripts.places.academies import Academies
from scripts.places.names import area_of
from scripts.places.resolve import sort_group, sort_pair
from scripts.places.rules import (
    CONTAINED_MAX_WEIGHT,
    CROWN_DEPENDENCIES,
    JUNK_LOCALITY,
    OUTSIDE_NATIONS,
    REGION_ACADEMY,
    SOUTH_EAST,
    SOUTH_EAST_COUNTY_ACADEMY,
)
from scripts.places.sources import POSTCODE_FILE, Group, population, read_csv, split_names
from scripts.places.write import postcode_row


class Postcodes(Academies):
    """Adds postcode districts and areas and the post towns they name."""

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
