"""What ``progress`` shows, as a neutral value: the figures a chart and a summary are made from.

:class:`ProgressFigures` is built here, in the core, from a person's assessments, focus and
journal dates; a :class:`ChartRenderer` (``adapters/charts``, matplotlib) draws it as a PNG,
injected through the port as the Word and PDF renderers are. Nothing here draws or formats
a file, so the same figures feed the chart, the text summary and ``coach ask --json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.coaching.records import Assessment, domain_scores
from bot.content import Content

#: The chart shows at most this many months of reflections; the JSON keeps every month.
CHART_MONTHS = 12
#: A line per domain needs this many assessments (two points make a comparison, not a trend).
TREND_AFTER = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Scored:
    """One finished assessment: its date and its score per domain (framework order)."""

    day: date
    scores: tuple[float | None, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressFigures:
    """Everything a progress chart shows, in the person's own time zone.

    ``domains`` are the framework's domain names in order; each :class:`Scored` holds one
    score per domain, ``None`` where no row of that domain was answered. ``months`` run without
    gaps from the first reflection's month to the month of ``today`` (``"2026-11"``), each with
    its count in ``reflections``.
    """

    domains: tuple[str, ...]
    assessments: tuple[Scored, ...] = ()
    months: tuple[str, ...] = ()
    reflections: tuple[int, ...] = ()
    focus: tuple[str, ...] = ()

    @property
    def first(self) -> Scored | None:
        """The first finished assessment, if any."""
        return self.assessments[0] if self.assessments else None

    @property
    def latest(self) -> Scored | None:
        """The latest finished assessment, if any."""
        return self.assessments[-1] if self.assessments else None

    @property
    def has_trend(self) -> bool:
        """True when there are enough assessments for a line per domain."""
        return len(self.assessments) >= TREND_AFTER

    @property
    def empty(self) -> bool:
        """True when there is nothing to chart: no assessment and no reflection."""
        return not self.assessments and not any(self.reflections)

    @property
    def chart_months(self) -> tuple[tuple[str, int], ...]:
        """The last :data:`CHART_MONTHS` months and their reflection counts."""
        pairs = tuple(zip(self.months, self.reflections, strict=True))
        return pairs[-CHART_MONTHS:]

    def to_json(self) -> dict[str, object]:
        """The figures in the ``coach ask --json progress`` contract (the chart path aside)."""
        return {
            "assessments": [
                {
                    "date": scored.day.isoformat(),
                    "domains": dict(zip(self.domains, scored.scores, strict=True)),
                }
                for scored in self.assessments
            ],
            "focus": list(self.focus),
            "reflections_per_month": dict(zip(self.months, self.reflections, strict=True)),
        }


class ChartRenderer(Protocol):
    """Draws :class:`ProgressFigures` as a PNG. The adapter (``adapters.charts``) implements it.

    Example:
        >>> png = renderer.render(figures)  # doctest: +SKIP
        >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"  # doctest: +SKIP
        True
    """

    def render(self, figures: ProgressFigures) -> bytes:
        """The chart as PNG bytes, the same bytes for the same figures."""
        ...


def progress_figures(
    *,
    content: Content,
    assessments: Sequence[Assessment],
    written: Iterable[datetime],
    focus: Sequence[str],
    zone: ZoneInfo,
    today: date,
) -> ProgressFigures:
    """Build the figures from what the stores hold about one person.

    Args:
        content: the framework (domain order and names).
        assessments: the person's assessments, oldest first; unfinished ones are left out,
            since half an assessment would read as a fall in the domains not yet answered.
        written: when each reflection was written (only the dates are used, never the text).
        focus: the focus row ids, in the person's order.
        zone: the person's time zone, which decides a date's day and a reflection's month.
        today: the person's date today, the last month shown.
    """
    domains = tuple(d.name for d in content.domains)
    finished = sorted(
        (a for a in assessments if a.finished is not None),
        key=lambda a: (a.finished, a.id),
    )
    scored = []
    for assessment in finished:
        assert assessment.finished is not None  # filtered above; for the type checker
        scores = domain_scores(assessment, content)
        scored.append(
            Scored(
                day=assessment.finished.astimezone(zone).date(),
                scores=tuple(scores.get(name) for name in domains),
            )
        )
    counts = Counter(_month(moment.astimezone(zone).date()) for moment in written)
    # A reflection dated after "today" (a clock moved back) still shows in its own month.
    months = _months_between(min(counts), max(_month(today), *counts)) if counts else ()
    return ProgressFigures(
        domains=domains,
        assessments=tuple(scored),
        months=months,
        reflections=tuple(counts.get(m, 0) for m in months),
        focus=tuple(focus),
    )


def describe(figures: ProgressFigures) -> str:
    """The chart in words: its alt text, and what a screen reader says about the image."""
    parts: list[str] = []
    first, latest = figures.first, figures.latest
    if first is not None and latest is not None:
        if first is latest:
            parts.append(
                f"Bar chart of your domain scores out of 5 on {_day(latest.day)}: "
                + "; ".join(
                    f"{name} {_score(s)}"
                    for name, s in zip(figures.domains, latest.scores, strict=True)
                )
                + "."
            )
        else:
            parts.append(
                f"Bar chart of your domain scores out of 5, first ({_day(first.day)}) against "
                f"latest ({_day(latest.day)}): "
                + "; ".join(
                    f"{name} {_score(a)} to {_score(b)}"
                    for name, a, b in zip(figures.domains, first.scores, latest.scores, strict=True)
                )
                + "."
            )
        if figures.has_trend:
            parts.append(f"A line per domain across your {len(figures.assessments)} assessments.")
    else:
        parts.append("No self-assessment yet.")
    shown = figures.chart_months
    if any(count for _, count in shown):
        parts.append(
            f"Reflections per month, {month_label(shown[0][0])} to {month_label(shown[-1][0])}: "
            + ", ".join(str(count) for _, count in shown)
            + "."
        )
    else:
        parts.append("No reflections yet.")
    return " ".join(parts)


def month_label(month: str) -> str:
    """``"2026-11"`` as ``"Nov 2026"``."""
    year, number = month.split("-")
    return f"{date(int(year), int(number), 1):%b} {year}"


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(first: str, last: str) -> tuple[str, ...]:
    year, month = (int(x) for x in first.split("-"))
    end = tuple(int(x) for x in last.split("-"))
    months: list[str] = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _score(value: float | None) -> str:
    return "not rated" if value is None else f"{value:.1f}"
