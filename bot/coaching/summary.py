"""An assessment's summary: a score per domain, three strengths, three to grow, a focus.

Pure: it reads an :class:`Assessment` against the content and, when there is one, the
previous finished assessment to compare with. Rows are matched by id, so ratings of rows no
longer in the content are left out rather than misread.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching.records import MAX_FOCUS, SCALE, Assessment, domain_scores
from bot.content import Content
from bot.models import Behaviour

# How many strengths and rows to grow a summary names.
TOP = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Rated:
    """One framework row and the rating given to it (1-5)."""

    row: Behaviour
    rating: int

    @property
    def label(self) -> str:
        """The rating as the scale says it: "4 Consistently"."""
        return scale_label(self.rating)


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """What an assessment says, ready to be shown."""

    assessment: Assessment
    scores: tuple[tuple[str, float | None], ...]
    # The previous finished assessment's scores by domain name; empty when there was none.
    previous_scores: tuple[tuple[str, float | None], ...]
    previous: Assessment | None
    strengths: tuple[Rated, ...]
    to_grow: tuple[Rated, ...]
    answered: int
    skipped: int

    @property
    def suggested_focus(self) -> tuple[str, ...]:
        """The row ids to work on first: the lowest rated, at most :data:`MAX_FOCUS`."""
        return tuple(r.row.id for r in self.to_grow[:MAX_FOCUS])


def scale_label(rating: int) -> str:
    """``"3 Often"`` for 3: the number and its word, as the forms offer them."""
    return f"{rating} {SCALE[rating - 1]}"


def rated_rows(assessment: Assessment, content: Content) -> tuple[Rated, ...]:
    """The rows rated 1-5 in ``assessment`` that the content still has, in framework order."""
    by_row = assessment.by_row
    return tuple(
        Rated(row=row, rating=value)
        for row in content.rows
        if isinstance(value := by_row.get(row.id), int)
    )


def lowest_rows(assessment: Assessment, content: Content) -> tuple[Rated, ...]:
    """Every rated row, lowest rating first (framework order among equals)."""
    return tuple(sorted(rated_rows(assessment, content), key=lambda r: r.rating))


def summarise(
    assessment: Assessment, content: Content, *, previous: Assessment | None = None
) -> Summary:
    """Summarise ``assessment``, compared with ``previous`` when given."""
    rated = rated_rows(assessment, content)
    # Stable sorts: among equal ratings the framework's order decides, so a summary is
    # the same every time it is shown.
    strengths = tuple(sorted(rated, key=lambda r: -r.rating)[:TOP])
    chosen = {r.row.id for r in strengths}
    # With few rows rated a row is either a strength or one to grow, never both.
    to_grow = tuple(r for r in sorted(rated, key=lambda r: r.rating) if r.row.id not in chosen)
    known = {row.id for row in content.rows}
    by_row = assessment.by_row
    return Summary(
        assessment=assessment,
        scores=tuple(domain_scores(assessment, content).items()),
        previous_scores=tuple(domain_scores(previous, content).items()) if previous else (),
        previous=previous,
        strengths=strengths,
        to_grow=to_grow[:TOP],
        answered=len(rated),
        skipped=sum(1 for row, value in by_row.items() if value is None and row in known),
    )


def change(score: float | None, before: float | None) -> str:
    """A domain score beside its previous one: "3.4 (was 2.8, +0.6)"."""
    if score is None:
        return "not rated" if before is None else f"not rated (was {before:.1f})"
    if before is None:
        return f"{score:.1f}"
    delta = score - before
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    return f"{score:.1f} (was {before:.1f}, {sign}{abs(delta):.1f})"
