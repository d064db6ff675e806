"""When one key means several places: pick the one a person most likely means, or say it is
ambiguous, and write the note."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from bot.places import place_key
from scripts.places.rules import (
    DOMINANCE,
    KIND_PRIORITY,
    MAX_MENTIONED,
    MIN_SHARE,
    OUTSIDE_MIN_WEIGHT,
)
from scripts.places.sources import Candidate, Group
from scripts.places.write import name_row


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
