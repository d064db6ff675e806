"""Weekly slots in real timezones (DST both ways, zones far apart), holds, parsing, rotation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nudges import (
    DEFAULT_GRACE,
    Hold,
    Schedule,
    cycle_order,
    due_slot,
    next_slot,
    parse_duration,
    parse_time,
    parse_weekday,
    pick_prompt,
    seed_for,
    slot_owed,
    upcoming,
    valid_timezone,
)
from bot.nudges.bank_holidays import NO_REGION

LONDON = "Europe/London"
ROWS = tuple(f"r-{i}" for i in range(1, 31))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def simulate(schedule: Schedule, start: datetime, end: datetime, *, every: timedelta):
    """Run a pass every ``every`` from start to end with a ledger; return (instant, slot) sent."""
    sent: list[tuple[datetime, str]] = []
    ledger: set[str] = set()
    now = start
    while now <= end:
        slot = slot_owed(schedule, now)
        if slot is not None and slot.key not in ledger:
            ledger.add(slot.key)
            sent.append((now, slot.key))
        now += every
    return sent


# --- DST in London ---------------------------------------------------------------------------


def test_london_spring_forward_nonexistent_time_delivers_once_at_the_shifted_instant():
    # 30 March 2025: clocks go 01:00 GMT -> 02:00 BST, so 01:30 never happens on the wall.
    schedule = Schedule(weekday=6, at=time(1, 30), timezone=LONDON)
    sent = simulate(schedule, utc(2025, 3, 29, 22), utc(2025, 3, 30, 6), every=timedelta(minutes=1))
    assert sent == [(utc(2025, 3, 30, 1, 30), "2025-03-30")]
    # That instant reads 02:30 BST on the wall clock: the "shifted" time.
    slot = due_slot(schedule, utc(2025, 3, 30, 1, 30))
    assert (slot.local.hour, slot.local.minute, slot.local.tzname()) == (2, 30, "BST")


def test_london_fall_back_repeated_time_delivers_once_at_the_first_occurrence():
    # 26 October 2025: 01:00-02:00 BST, then 01:00-02:00 GMT again; 01:30 happens twice.
    schedule = Schedule(weekday=6, at=time(1, 30), timezone=LONDON)
    sent = simulate(
        schedule, utc(2025, 10, 25, 22), utc(2025, 10, 26, 6), every=timedelta(minutes=1)
    )
    assert sent == [(utc(2025, 10, 26, 0, 30), "2025-10-26")]
    # A pass during the second 01:30 (GMT) sees the same slot, already in the ledger.
    assert due_slot(schedule, utc(2025, 10, 26, 1, 30)).key == "2025-10-26"


@pytest.mark.parametrize(
    ("week_of", "expected_utc"),
    [
        (utc(2025, 3, 24), utc(2025, 3, 24, 9)),  # Monday before the change: GMT
        (utc(2025, 3, 31), utc(2025, 3, 31, 8)),  # Monday after: BST, an hour earlier in UTC
        (utc(2025, 10, 20), utc(2025, 10, 20, 8)),
        (utc(2025, 10, 27), utc(2025, 10, 27, 9)),
    ],
)
def test_monday_nine_stays_nine_local_across_london_changes(week_of, expected_utc):
    schedule = Schedule(weekday=0, at=time(9), timezone=LONDON)
    sent = simulate(schedule, week_of, week_of + timedelta(days=1), every=timedelta(minutes=1))
    assert sent == [(expected_utc, week_of.date().isoformat())]


# --- zones far apart -----------------------------------------------------------------------


def test_auckland_monday_morning_is_sunday_evening_in_utc_and_keyed_by_local_date():
    schedule = Schedule(weekday=0, at=time(9), timezone="Pacific/Auckland")
    # June: NZST (+12). Monday 9 June 09:00 is Sunday 8 June 21:00 UTC.
    sent = simulate(schedule, utc(2025, 6, 8), utc(2025, 6, 10), every=timedelta(minutes=1))
    assert sent == [(utc(2025, 6, 8, 21), "2025-06-09")]
    # January: NZDT (+13).
    sent = simulate(schedule, utc(2025, 1, 12), utc(2025, 1, 14), every=timedelta(minutes=1))
    assert sent == [(utc(2025, 1, 12, 20), "2025-01-13")]


def test_auckland_spring_forward_gap_and_autumn_repeat_each_deliver_once():
    # 28 Sept 2025 02:00 NZST -> 03:00 NZDT (02:30 missing); 6 April 2025 03:00 -> 02:00.
    gap = Schedule(weekday=6, at=time(2, 30), timezone="Pacific/Auckland")
    sent = simulate(gap, utc(2025, 9, 27, 10), utc(2025, 9, 27, 20), every=timedelta(minutes=1))
    assert sent == [(utc(2025, 9, 27, 14, 30), "2025-09-28")]
    twice = Schedule(weekday=6, at=time(2, 30), timezone="Pacific/Auckland")
    sent = simulate(twice, utc(2025, 4, 5, 10), utc(2025, 4, 5, 18), every=timedelta(minutes=1))
    assert sent == [(utc(2025, 4, 5, 13, 30), "2025-04-06")]  # 02:30 NZDT, the first


def test_los_angeles_gap_and_repeat_each_deliver_once():
    # 9 March 2025 02:00 PST -> 03:00 PDT; 2 Nov 2025 02:00 PDT -> 01:00 PST.
    gap = Schedule(weekday=6, at=time(2, 30), timezone="America/Los_Angeles")
    sent = simulate(gap, utc(2025, 3, 9, 6), utc(2025, 3, 9, 14), every=timedelta(minutes=1))
    assert sent == [(utc(2025, 3, 9, 10, 30), "2025-03-09")]  # 02:30 PST == 03:30 PDT
    twice = Schedule(weekday=6, at=time(1, 30), timezone="America/Los_Angeles")
    sent = simulate(twice, utc(2025, 11, 2, 6), utc(2025, 11, 2, 14), every=timedelta(minutes=1))
    assert sent == [(utc(2025, 11, 2, 8, 30), "2025-11-02")]  # 01:30 PDT, the first


def test_same_local_time_in_auckland_and_los_angeles_lands_a_day_apart_in_utc():
    nz = Schedule(weekday=4, at=time(17), timezone="Pacific/Auckland")
    la = Schedule(weekday=4, at=time(17), timezone="America/Los_Angeles")
    now = utc(2025, 7, 5)
    assert due_slot(nz, now).due == utc(2025, 7, 4, 5)
    assert due_slot(la, now).due == utc(2025, 7, 5, 0)
    assert due_slot(nz, now).key == due_slot(la, now).key == "2025-07-04"


ZONES = ("Europe/London", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata", "UTC")


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    weekday=st.integers(0, 6),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    # hypothesis takes naive bounds and adds the zone itself.
    now=st.datetimes(
        min_value=datetime(2024, 1, 1),  # noqa: DTZ001
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_due_and_next_bracket_now_a_week_apart(zone, weekday, at, now):
    # The wall-clock arithmetic alone: bank holidays, which move slots, are off here (their
    # property is in tests/bot/test_bank_holidays.py).
    schedule = Schedule(weekday=weekday, at=at, timezone=zone, region=NO_REGION)
    due, nxt = due_slot(schedule, now), next_slot(schedule, now)
    assert due.due <= now < nxt.due
    assert timedelta(days=7) - timedelta(hours=1) <= nxt.due - due.due <= timedelta(days=7, hours=1)
    assert date.fromisoformat(nxt.key) - date.fromisoformat(due.key) == timedelta(days=7)
    assert date.fromisoformat(due.key).weekday() == weekday
    assert due.local.date().isoformat() == due.key
    # Off DST edges the slot is exactly the wall-clock time asked for.
    wall = datetime.combine(date.fromisoformat(due.key), at, tzinfo=ZoneInfo(zone))
    if wall.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None) == wall.replace(
        tzinfo=None
    ):
        assert (due.local.hour, due.local.minute) == (at.hour, at.minute)


def test_now_must_be_aware():
    with pytest.raises(ValueError, match="aware"):
        due_slot(Schedule(weekday=0, at=time(9), timezone=LONDON), datetime(2025, 1, 1))  # noqa: DTZ001


# --- grace, pause and skip -------------------------------------------------------------------


def test_a_slot_missed_by_more_than_the_grace_period_is_skipped_not_sent_late():
    schedule = Schedule(weekday=0, at=time(9), timezone=LONDON)
    slot_time = utc(2025, 6, 2, 8)  # Monday 09:00 BST
    assert slot_owed(schedule, slot_time + DEFAULT_GRACE - timedelta(seconds=1)) is not None
    assert slot_owed(schedule, slot_time + DEFAULT_GRACE) is not None
    assert slot_owed(schedule, slot_time + DEFAULT_GRACE + timedelta(seconds=1)) is None
    assert slot_owed(schedule, slot_time, grace=timedelta(0)) is not None
    assert slot_owed(schedule, slot_time + timedelta(minutes=1), grace=timedelta(0)) is None


def test_pause_holds_slots_before_the_resume_date_and_skip_holds_exactly_one():
    schedule = Schedule(weekday=0, at=time(9), timezone=LONDON)
    monday = utc(2025, 6, 2, 8, 0, 30)
    paused = Hold(paused_until=date(2025, 6, 16))
    assert slot_owed(schedule, monday, hold=paused) is None
    assert slot_owed(schedule, monday + timedelta(days=7), hold=paused) is None
    assert slot_owed(schedule, monday + timedelta(days=14), hold=paused) is not None
    assert upcoming(schedule, utc(2025, 6, 1), hold=paused).key == "2025-06-16"

    skip = Hold(skip_key="2025-06-02")
    assert slot_owed(schedule, monday, hold=skip) is None
    assert slot_owed(schedule, monday + timedelta(days=7), hold=skip) is not None
    assert upcoming(schedule, utc(2025, 6, 1), hold=skip).key == "2025-06-09"


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [("monday", 0), ("Mon", 0), ("tue", 1), ("tues", 1), ("Wednesday", 2), ("thu", 3),
     ("thurs", 3), ("fri.", 4), ("Fridays", 4), ("sat", 5), ("sun", 6), ("mo", None),
     ("funday", None), ("", None)],
)  # fmt: skip
def test_parse_weekday(word, expected):
    assert parse_weekday(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("09:00", time(9)), ("17:30", time(17, 30)), ("9am", time(9)), ("5:30pm", time(17, 30)),
     ("12pm", time(12)), ("12am", time(0)), ("9", time(9)), ("0930", time(9, 30)),
     ("9.15", time(9, 15)), ("24:00", None), ("13pm", None), ("9:75", None), ("noon", None)],
)  # fmt: skip
def test_parse_time(word, expected):
    assert parse_time(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2 weeks", timedelta(weeks=2)), ("1 week", timedelta(weeks=1)), ("3w", timedelta(weeks=3)),
     ("10 days", timedelta(days=10)), ("a week", timedelta(weeks=1)), ("0 weeks", None),
     ("weeks", None), ("2 fortnights", None)],
)  # fmt: skip
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("name", "ok"),
    [("Europe/London", True), ("Pacific/Auckland", True), ("UTC", True), ("GMT+1", False),
     ("UTC+01:00", False), ("Mars/Olympus", False), ("../etc/passwd", False), ("", False)],
)  # fmt: skip
def test_valid_timezone(name, ok):
    assert (valid_timezone(name) == name) is ok


# --- rotation --------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**62), cycles=st.integers(1, 4))
def test_each_pass_walks_every_row_once_and_never_repeats_back_to_back(seed, cycles):
    walk = [pick_prompt(seed, p, ROWS, prompt_counts={}).row_id for p in range(len(ROWS) * cycles)]
    for c in range(cycles):
        assert sorted(walk[c * 30 : (c + 1) * 30]) == sorted(ROWS)
    assert all(a != b for a, b in zip(walk, walk[1:], strict=False))


def test_rotation_is_deterministic_per_seed_and_differs_between_people():
    assert cycle_order(7, 0, ROWS) == cycle_order(7, 0, ROWS)
    alice, bob = seed_for("slack", "T1", "UALICE", ""), seed_for("slack", "T1", "UBOB", "")
    assert alice == seed_for("slack", "T1", "UALICE", "")
    assert cycle_order(alice, 0, ROWS) != cycle_order(bob, 0, ROWS)
    assert cycle_order(alice, 0, ROWS) != cycle_order(alice, 1, ROWS)


def test_rows_with_several_prompts_ask_a_different_one_each_pass():
    picks = [pick_prompt(3, p, ROWS, prompt_counts={"r-1": 2}) for p in range(90)]
    indices = [p.prompt_index for p in picks if p.row_id == "r-1"]
    assert indices == [0, 1, 0]
