"""Small helpers on names and academies, shared by every step."""

from __future__ import annotations

import re

from bot.places import (
    ACADEMIES,
    STOPWORDS,
)
from scripts.places.rules import GENERIC_KEYS
from scripts.places.sources import BuildError


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
