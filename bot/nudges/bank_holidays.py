"""Bank holidays: which UK region's holidays a subscriber keeps, and whether a day is one.

The dates come from the ``holidays`` package (GB, by subdivision), never from a list of our
own: substitute days ("Boxing Day (observed)") and one-off holidays arrive with its releases.
England and Wales share one set of bank holidays, so they are one region here.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

ENGLAND_AND_WALES = "england-wales"
SCOTLAND = "scotland"
NORTHERN_IRELAND = "northern-ireland"
# For subscribers outside the UK, or who want their nudge on bank holidays too.
NO_REGION = "none"
DEFAULT_REGION = ENGLAND_AND_WALES

# Region -> the ``holidays`` package's GB subdivision (None: no holidays kept).
_SUBDIVISIONS: dict[str, str | None] = {
    ENGLAND_AND_WALES: "ENG",
    SCOTLAND: "SCT",
    NORTHERN_IRELAND: "NIR",
    NO_REGION: None,
}
_LABELS = {
    ENGLAND_AND_WALES: "England and Wales",
    SCOTLAND: "Scotland",
    NORTHERN_IRELAND: "Northern Ireland",
    NO_REGION: "none (nudges come on bank holidays too)",
}
# What people type after "nudges holidays", already lower-cased and space-joined.
_NAMES = {
    "england": ENGLAND_AND_WALES,
    "wales": ENGLAND_AND_WALES,
    "england and wales": ENGLAND_AND_WALES,
    "england & wales": ENGLAND_AND_WALES,
    "england-wales": ENGLAND_AND_WALES,
    "scotland": SCOTLAND,
    "northern ireland": NORTHERN_IRELAND,
    "northern-ireland": NORTHERN_IRELAND,
    "ni": NORTHERN_IRELAND,
    "none": NO_REGION,
    "off": NO_REGION,
}
REGIONS = tuple(_SUBDIVISIONS)


def parse_region(text: str) -> str | None:
    """``"Scotland"``, ``"northern ireland"``, ``"england"``, ``"off"`` -> a region, or None."""
    return _NAMES.get(" ".join(text.strip().lower().rstrip(".!").split()))


def region_label(region: str) -> str:
    """``"England and Wales"``: a region as people name it (unknown ones read as the default)."""
    return _LABELS.get(region, _LABELS[DEFAULT_REGION])


def is_bank_holiday(day: date, region: str) -> bool:
    """Whether ``day`` is a bank holiday in ``region`` (an unknown region reads as the default).

    Substitute days count: when Christmas falls on a Saturday, the Monday after is the holiday.
    """
    return day in _holidays(region if region in _SUBDIVISIONS else DEFAULT_REGION, day.year)


@lru_cache(maxsize=64)
def _holidays(region: str, year: int) -> frozenset[date]:
    # Building a year's calendar costs about a millisecond; a delivery pass asks for the
    # same few (region, year) pairs once per subscriber, so keep them.
    subdivision = _SUBDIVISIONS[region]
    if subdivision is None:
        return frozenset()
    # Imported here: the package takes ~50 ms to import, and ``coach ask`` reaches this module
    # (through bot.nudges) for a reflection button without ever asking for a holiday.
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))
