"""UK postcodes in free text: a full postcode, a district ("LS6") or, failing those, an area."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from bot.places.names import Entry, PlaceHit, hit

# UK postcodes: an outward code (area letters, district digit, optional digit or letter) and an
# inward code (digit and two letters). Typed compactly ("ls63ab") the inward code is always the
# last three characters, which is what the second pattern relies on.
_OUTWARD: Final[re.Pattern[str]] = re.compile(r"[a-z]{1,2}[0-9][a-z0-9]?")
_INWARD: Final[re.Pattern[str]] = re.compile(r"[0-9][a-z]{2}")
_COMPACT: Final[re.Pattern[str]] = re.compile(r"([a-z]{1,2}[0-9][a-z0-9]?)([0-9][a-z]{2})")
_DIGIT_END: Final[re.Pattern[str]] = re.compile(r"[a-z]{1,2}[0-9]{1,2}")

_SCORE_POSTCODE_FULL: Final[float] = 100.0
_SCORE_POSTCODE_DISTRICT: Final[float] = 96.0
_SCORE_POSTCODE_AREA: Final[float] = 75.0


def postcode_hit(
    tokens: list[str], *, districts: Mapping[str, Entry], areas: Mapping[str, Entry]
) -> PlaceHit | None:
    """Match a full postcode ("ls6 3ab", "ls63ab") or a postcode district ("ls6")."""
    for index, token in enumerate(tokens):
        outward: str | None = None
        full = False
        if compact := _COMPACT.fullmatch(token):
            outward, full = compact.group(1), True
        elif _OUTWARD.fullmatch(token):
            outward = token
            full = index + 1 < len(tokens) and bool(_INWARD.fullmatch(tokens[index + 1]))
        if outward is None:
            continue
        entry = districts.get(outward)
        if entry is not None:
            score = _SCORE_POSTCODE_FULL if full else _SCORE_POSTCODE_DISTRICT
            return hit(entry, score)
        # An unknown district is only trusted as a postcode when it is clearly one: typed as
        # a full postcode, or shaped like an ordinary district (letters then digits), so
        # that "B2B" or "A1" are not read as Birmingham.
        if full or _DIGIT_END.fullmatch(outward):
            area = areas.get(_area_letters(outward))
            if area is not None:
                return PlaceHit(
                    place=outward.upper(),
                    academies=area.academies,
                    note=area.note,
                    score=_SCORE_POSTCODE_AREA,
                )
    return None


def _area_letters(outward: str) -> str:
    """Return the postcode area of an outward code: its leading letters ("ls6" -> "ls")."""
    end = 0
    while end < len(outward) and outward[end].isalpha():
        end += 1
    return outward[:end]
