"""What the coaching loop keeps about a person: their assessments and their focus.

These are personal development data, treated like reflections: the adapters' store encrypts the
ratings at rest, nothing here is ever logged, only the owner sees them, ``journal export``
includes them and ``forget me`` deletes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Protocol

from bot.content import Content
from bot.identity import Who

# The answer scale, lowest first; a rating is its position (1-5). "Skip" is stored as None.
SCALE: tuple[str, ...] = ("Not yet", "Sometimes", "Often", "Consistently", "Role model")
MAX_FOCUS = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """One self-assessment, finished or still under way.

    ``ratings`` holds the rows answered so far, by row id: 1-5, or ``None`` for skipped. Rows
    are matched by id, so an assessment taken against an older version of the content still
    reads; ids no longer in the content are ignored when scoring.
    """

    id: int
    started: datetime
    finished: datetime | None
    ratings: tuple[tuple[str, int | None], ...] = ()

    @property
    def by_row(self) -> Mapping[str, int | None]:
        return dict(self.ratings)


def domain_scores(assessment: Assessment, content: Content) -> dict[str, float | None]:
    """The mean rating of each domain's answered rows, by domain name; ``None`` when none."""
    rated = assessment.by_row
    scores: dict[str, float | None] = {}
    for domain in content.domains:
        values = [v for row in domain.rows if (v := rated.get(row.id)) is not None]
        scores[domain.name] = round(fmean(values), 2) if values else None
    return scores


class CoachingStore(Protocol):
    """Keeps each person's assessments and focus (encrypted at rest by the adapter)."""

    def assessments(self, owner: Who) -> tuple[Assessment, ...]:
        """Every assessment of ``owner``, oldest first, the unfinished one (if any) last."""
        ...

    def focus(self, owner: Who) -> tuple[str, ...]:
        """The row ids ``owner`` chose to work on (at most :data:`MAX_FOCUS`), in their order."""
        ...

    @property
    def writable(self) -> bool:
        """False when nothing can be stored safely (no encryption key configured)."""
        ...

    def start_assessment(self, owner: Who, *, now: datetime) -> Assessment:
        """``owner``'s unfinished assessment, or a new one started ``now`` if there is none."""
        ...

    def rate(
        self,
        owner: Who,
        assessment_id: int,
        ratings: Mapping[str, int | None],
        *,
        now: datetime,
    ) -> Assessment | None:
        """Add ``ratings`` (row id -> 1-5 or ``None`` for skip) to an unfinished assessment.

        A row rated again keeps its new rating. Returns the assessment as stored, or ``None``
        when ``owner`` has no unfinished assessment ``assessment_id`` (finished meanwhile, or
        not theirs): then nothing is changed.

        Raises:
            ValueError: for a rating outside 1-5.
        """
        ...

    def finish_assessment(
        self, owner: Who, assessment_id: int, *, now: datetime
    ) -> Assessment | None:
        """Mark the unfinished assessment finished ``now``; ``None`` if it was not unfinished."""
        ...

    def set_focus(self, owner: Who, row_ids: Sequence[str], *, now: datetime) -> tuple[str, ...]:
        """Replace ``owner``'s focus with ``row_ids`` (duplicates dropped); return it stored.

        Raises:
            ValueError: for more than :data:`MAX_FOCUS` rows.
        """
        ...

    def clear_focus(self, owner: Who) -> bool:
        """Remove ``owner``'s focus; return whether there was one."""
        ...


def check_rating(value: int | None) -> int | None:
    """``value`` if it is a rating on :data:`SCALE` (1-5) or ``None`` (skipped).

    Raises:
        ValueError: otherwise (``bool`` too: ``True`` is not a rating).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(SCALE):
        raise ValueError(f"a rating is 1-{len(SCALE)} or skipped")
    return value
