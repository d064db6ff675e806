"""The judgement calls: which academy serves which region or county, and which names are junk.

The region and South East county tables come from the brief; the numbers are tuning for
when one name means several places."""

from __future__ import annotations

import re

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
