"""The progress figures: built from known assessments and reflection dates, in the person's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.coaching.progress import CHART_MONTHS, describe, month_label, progress_figures
from bot.coaching.records import Assessment
from bot.content import Content, load_content

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def _assessment(
    number: int, finished: datetime | None, ratings: dict[str, int | None]
) -> Assessment:
    return Assessment(
        id=number,
        started=datetime(2026, 1, 1, tzinfo=UTC),
        finished=finished,
        ratings=tuple(ratings.items()),
    )


def test_scores_follow_the_framework_order_and_skip_unfinished(content: Content) -> None:
    first = _assessment(
        1, datetime(2026, 3, 1, 9, tzinfo=UTC), {"ie-1": 2, "ie-2": 3, "rc-1": 4, "ii-1": None}
    )
    latest = _assessment(2, datetime(2026, 9, 1, 9, tzinfo=UTC), {"ie-1": 4, "lcb-1": 5})
    unfinished = _assessment(3, None, {"ie-1": 1})
    figures = progress_figures(
        content=content,
        assessments=(first, latest, unfinished),
        written=(),
        focus=("rc-2",),
        zone=LONDON,
        today=date(2026, 12, 3),
    )
    assert figures.domains == tuple(d.name for d in content.domains)
    assert [s.day for s in figures.assessments] == [date(2026, 3, 1), date(2026, 9, 1)]
    assert figures.first is not None
    assert figures.latest is not None
    assert figures.first.scores == (2.5, 4.0, None, None)
    assert figures.latest.scores == (4.0, None, None, 5.0)
    assert not figures.has_trend
    assert not figures.empty
    assert figures.to_json() == {
        "assessments": [
            {
                "date": "2026-03-01",
                "domains": dict(zip(figures.domains, (2.5, 4.0, None, None), strict=True)),
            },
            {
                "date": "2026-09-01",
                "domains": dict(zip(figures.domains, (4.0, None, None, 5.0), strict=True)),
            },
        ],
        "focus": ["rc-2"],
        "reflections_per_month": {},
    }


def test_three_assessments_make_a_trend(content: Content) -> None:
    done = [_assessment(n, datetime(2026, n, 1, tzinfo=UTC), {"ie-1": n}) for n in (1, 2, 3)]
    figures = progress_figures(
        content=content, assessments=done, written=(), focus=(), zone=LONDON, today=date(2026, 3, 2)
    )
    assert figures.has_trend
    assert "A line per domain across your 3 assessments." in describe(figures)


def test_reflections_count_by_local_month_without_gaps(content: Content) -> None:
    written = (
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): a July reflection.
        datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
        datetime(2026, 4, 2, 12, tzinfo=UTC),
        datetime(2026, 4, 20, 12, tzinfo=UTC),
    )
    figures = progress_figures(
        content=content,
        assessments=(),
        written=written,
        focus=(),
        zone=LONDON,
        today=date(2026, 8, 1),
    )
    assert figures.to_json()["reflections_per_month"] == {
        "2026-04": 2,
        "2026-05": 0,
        "2026-06": 0,
        "2026-07": 1,
        "2026-08": 0,
    }
    assert figures.first is None
    text = describe(figures)
    assert text.startswith("No self-assessment yet.")
    assert "Apr 2026 to Aug 2026: 2, 0, 0, 1, 0." in text


def test_the_chart_keeps_the_last_year_and_the_json_every_month(content: Content) -> None:
    written = [datetime(2024, 1, 15, tzinfo=UTC), datetime(2026, 12, 1, 12, tzinfo=UTC)]
    figures = progress_figures(
        content=content,
        assessments=(),
        written=written,
        focus=(),
        zone=LONDON,
        today=date(2026, 12, 3),
    )
    assert len(figures.months) == 36
    assert len(figures.chart_months) == CHART_MONTHS
    assert figures.chart_months[-1] == ("2026-12", 1)
    assert sum(figures.reflections) == 2


def test_a_reflection_dated_after_today_keeps_its_month(content: Content) -> None:
    figures = progress_figures(
        content=content,
        assessments=(),
        written=[datetime(2027, 2, 1, 12, tzinfo=UTC)],
        focus=(),
        zone=LONDON,
        today=date(2026, 12, 3),
    )
    assert figures.months == ("2027-02",)
    assert figures.reflections == (1,)


def test_nothing_at_all_is_empty(content: Content) -> None:
    figures = progress_figures(
        content=content, assessments=(), written=(), focus=(), zone=LONDON, today=date(2026, 12, 3)
    )
    assert figures.empty
    assert describe(figures) == "No self-assessment yet. No reflections yet."


def test_month_label() -> None:
    assert month_label("2026-11") == "Nov 2026"
