"""``progress`` and ``home`` over the real SQL stores, with the matplotlib renderer wired in."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from adapters.charts import HEIGHT_PX, WIDTH_PX, MatplotlibCharts
from adapters.store.coaching_tables import coaching_assessments, coaching_focus
from adapters.store.crypto import Cipher
from adapters.store.repositories import sql_stores
from bot.commands.progress import NOTHING_YET
from bot.commands.router import build
from bot.content import Content
from bot.identity import Who
from bot.models import Audience, Reply
from tests.bot.test_nudge_commands import KEY, NOW, press, say

ME = Who(platform="slack", workspace_id="T1", user_id="U1")


@pytest.fixture
def router(engine, content):  # noqa: ANN001, ANN201 - shared fixtures from conftest
    return build(
        sql_stores(engine, cipher=Cipher([KEY])), content=content, charts=MatplotlibCharts()
    )


def _assess(router, content: Content, *, when: datetime, rating: int) -> None:  # noqa: ANN001
    """One finished assessment rating every row of the first domain ``rating``, the rest 3."""
    store = router.shared.stores.coaching
    started = store.start_assessment(ME, now=when)
    ratings = {row.id: (rating if row in content.domains[0].rows else 3) for row in content.rows}
    store.rate(ME, started.id, ratings, now=when)
    store.finish_assessment(ME, started.id, now=when)


def test_progress_with_nothing_says_what_to_do_first(router) -> None:  # noqa: ANN001
    reply = say(router, "progress")
    assert reply.text == NOTHING_YET
    assert reply.attachment is None
    assert reply.audience is Audience.PERSON
    assert reply.data == {
        "intent": "progress",
        "assessments": [],
        "focus": [],
        "reflections_per_month": {},
    }


def test_progress_figures_chart_and_text_match_the_stored_data(router, content) -> None:  # noqa: ANN001
    _assess(router, content, when=NOW - timedelta(days=200), rating=2)
    _assess(router, content, when=NOW - timedelta(days=100), rating=3)
    _assess(router, content, when=NOW - timedelta(days=1), rating=5)
    router.shared.stores.coaching.set_focus(ME, ["rc-2", "ie-1"], now=NOW)
    for days in (40, 39, 2):
        say(
            router,
            "journal add Tried a new way into the ICS meeting.",
            now=NOW - timedelta(days=days),
        )
    reply = say(router, "progress")
    assert reply.audience is Audience.PERSON
    data = reply.data
    assert data is not None
    first_domain = content.domains[0].name
    assert [a["date"] for a in data["assessments"]] == ["2024-11-16", "2025-02-24", "2025-06-03"]
    assert [a["domains"][first_domain] for a in data["assessments"]] == [2.0, 3.0, 5.0]
    assert all(
        a["domains"][d.name] == 3.0 for a in data["assessments"] for d in content.domains[1:]
    )
    assert data["focus"] == ["rc-2", "ie-1"]
    assert data["reflections_per_month"] == {"2025-04": 2, "2025-05": 0, "2025-06": 1}
    # The text says the same numbers: latest against first, focus by name, reflections.
    assert f"{first_domain}: 5.0 (first 2.0, +3.0)" in reply.text
    rows = {r.id: r for r in content.rows}
    assert rows["rc-2"].behaviour in reply.text
    assert "Reflections: 3 in all" in reply.text
    chart = reply.attachment
    assert chart is not None
    assert chart.media_type == "image/png"
    assert chart.filename == "progress-2025-06-04.png"
    assert "A line per domain across your 3 assessments." in chart.description
    with Image.open(io.BytesIO(chart.data)) as image:
        assert image.size == (WIDTH_PX, HEIGHT_PX)


def test_an_unfinished_assessment_is_not_charted(router, content) -> None:  # noqa: ANN001
    store = router.shared.stores.coaching
    started = store.start_assessment(ME, now=NOW)
    store.rate(ME, started.id, {content.rows[0].id: 1}, now=NOW)
    reply = say(router, "progress")
    assert reply.text == NOTHING_YET


def test_progress_is_only_ever_the_askers(router, content) -> None:  # noqa: ANN001
    _assess(router, content, when=NOW, rating=4)
    other = say(router, "progress", user="U2")
    assert other.text == NOTHING_YET
    teams_me = say(router, "progress", platform="teams")
    assert teams_me.text == NOTHING_YET


def test_home_shows_focus_scores_and_nudges_with_pickers(router, content) -> None:  # noqa: ANN001
    empty = say(router, "home")
    assert empty.intent == "home"
    assert "No focus yet" in empty.text
    assert "No self-assessment yet" in empty.text
    assert "Off: choose a day and time" in empty.text
    _assess(router, content, when=NOW, rating=4)
    router.shared.stores.coaching.set_focus(ME, ["ie-1"], now=NOW)
    say(router, "nudges on wednesday 08:15")
    reply = say(router, "home")
    card = reply.card
    assert card is not None
    assert [i.id for i in card.inputs] == ["day", "time"]
    assert card.inputs[0].value == "Wednesday"
    assert card.inputs[1].value == "08:15"
    assert card.inputs[1].time
    assert card.submit is not None
    assert card.submit.action_id == "home.when"
    assert [b.value for b in card.buttons] == ["assess", "progress", "journal", "journal export"]
    assert f"{content.domains[0].name}: 4.0 out of 5" in reply.text
    assert content.rows[0].behaviour in reply.text
    assert "Wednesdays at 08:15" in reply.text


def test_home_when_turns_nudges_on_and_changes_day_or_time_alone(router) -> None:  # noqa: ANN001
    on = press(router, "home.when", form=(("day", "Friday"), ("time", "17:30")))
    assert "Done: nudges come Fridays at 17:30" in on.text
    sub = router.shared.stores.subscriptions.get(ME)
    assert sub.active
    router.shared.stores.subscriptions.put(
        sub.__class__(
            **{**{f: getattr(sub, f) for f in sub.__dataclass_fields__}, "skip_key": "2099-01-01"}
        ),
        now=NOW,
    )
    only_time = press(router, "home.when", form=(("time", "07:45"),))
    assert "Fridays at 07:45" in only_time.text
    kept = router.shared.stores.subscriptions.get(ME)
    # Changing the time keeps a skip or pause already set.
    assert kept.skip_key == "2099-01-01"
    only_day = press(router, "home.when", form=(("day", "tuesday"),))
    assert "Tuesdays at 07:45" in only_day.text


@pytest.mark.parametrize(
    "form",
    [
        (),
        (("day", "Someday"),),
        (("time", "25:99"),),
        (("day", "Friday"), ("time", "half past")),
        (("day", "x" * 10_000),),
    ],
)
def test_home_when_refuses_what_it_cannot_read_and_changes_nothing(router, form) -> None:  # noqa: ANN001
    say(router, "nudges on monday 09:00")
    reply = press(router, "home.when", form=form)
    assert reply.intent == "nudges.error"
    assert "Choose a day" in reply.text
    sub = router.shared.stores.subscriptions.get(ME)
    assert (sub.weekday, f"{sub.at:%H:%M}") == (0, "09:00")


def test_a_stale_home_button_gets_a_clear_answer(router) -> None:  # noqa: ANN001
    reply = press(router, "home.gone")
    assert "expired" in reply.text


def test_forget_me_leaves_nothing_progress_or_home_could_show(router, content, engine) -> None:  # noqa: ANN001
    _assess(router, content, when=NOW, rating=4)
    router.shared.stores.coaching.set_focus(ME, ["ie-1"], now=NOW)
    say(router, "journal add A note.")
    say(router, "forget me")
    press(router, "forget.confirm")
    with engine.connect() as conn:
        for table in (coaching_assessments, coaching_focus):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    assert say(router, "progress").text == NOTHING_YET


def known_replies(engine, content: Content) -> tuple[Reply, Reply]:  # noqa: ANN001
    """The home and progress replies for known data (the golden files' input), without a chart."""
    router = build(sql_stores(engine, cipher=Cipher([KEY])), content=content)
    _assess(router, content, when=NOW - timedelta(days=90), rating=2)
    _assess(router, content, when=NOW - timedelta(days=1), rating=4)
    router.shared.stores.coaching.set_focus(ME, ["rc-2"], now=NOW)
    say(router, "nudges on friday 17:30")
    say(router, "journal add Named the tension in the room.", now=NOW - timedelta(days=35))
    say(router, "journal add Asked for help early.", now=NOW)
    return say(router, "home"), say(router, "progress")
