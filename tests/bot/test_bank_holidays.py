"""Bank holidays move a weekly nudge to the next working day, same local time, same slot key."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nudges import Hold, Schedule, describe_slot, due_slot, next_slot, slot_owed, upcoming
from bot.nudges.bank_holidays import (
    ENGLAND_AND_WALES,
    NO_REGION,
    NORTHERN_IRELAND,
    REGIONS,
    SCOTLAND,
    is_bank_holiday,
    parse_region,
    region_label,
)
from bot.nudges.schedule import working_day

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


MONDAY_NINE = Schedule(weekday=0, at=time(9), timezone="Europe/London")


def test_the_package_agrees_on_the_dates_these_tests_rely_on():
    england = holidays.country_holidays("GB", subdiv="ENG", years=2027)
    scotland = holidays.country_holidays("GB", subdiv="SCT", years=[2025, 2027])
    assert date(2027, 3, 28).weekday() == 6  # Easter Sunday 2027
    assert date(2027, 3, 29) in england  # Easter Monday
    assert date(2027, 3, 29) not in scotland  # not a bank holiday in Scotland
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= set(
        england
    )  # Christmas, Boxing Day observed
    assert date(2027, 1, 4) in scotland  # 2 January falls on a Saturday: substitute Monday
    assert date(2027, 1, 4) not in england
    assert date(2025, 12, 1) in scotland  # St Andrew's Day (a Sunday) substitute Monday


def test_easter_monday_2027_moves_a_monday_nine_nudge_to_tuesday_nine_london_time():
    slot = next_slot(MONDAY_NINE, london(2027, 3, 26, 12))
    assert slot.key == "2027-03-29"  # the scheduled Monday stays the key...
    assert slot.local == london(2027, 3, 30, 9)  # ...and it is due on Tuesday at 09:00 BST
    assert slot.due == datetime(2027, 3, 30, 8, tzinfo=UTC)
    assert slot.moved_from == date(2027, 3, 29)
    assert describe_slot(slot) == (
        "Tuesday 30 March 2027, 09:00 BST (moved from Monday 29 March, a bank holiday)"
    )


def test_nothing_is_owed_on_easter_monday_and_the_moved_slot_is_owed_on_tuesday():
    assert slot_owed(MONDAY_NINE, london(2027, 3, 29, 9)) is None
    assert slot_owed(MONDAY_NINE, london(2027, 3, 29, 23, 59)) is None
    assert slot_owed(MONDAY_NINE, london(2027, 3, 30, 8, 59)) is None
    owed = slot_owed(MONDAY_NINE, london(2027, 3, 30, 9))
    assert owed is not None
    assert owed.key == "2027-03-29"
    # The grace period runs from the moved time, not the holiday.
    assert slot_owed(MONDAY_NINE, london(2027, 3, 30, 21)) is not None
    assert slot_owed(MONDAY_NINE, london(2027, 3, 30, 21, 1)) is None
    # The week after is untouched.
    assert slot_owed(MONDAY_NINE, london(2027, 4, 5, 9)).local == london(2027, 4, 5, 9)


def test_christmas_and_boxing_day_observed_2027_move_a_monday_nudge_to_wednesday():
    slot = next_slot(MONDAY_NINE, london(2027, 12, 24))
    assert (slot.key, slot.local) == ("2027-12-27", london(2027, 12, 29, 9))
    assert slot.local.tzname() == "GMT"
    # Tuesday's nudge (Boxing Day observed) moves to Wednesday too; Saturday's (Christmas Day
    # itself) to the first working day after the run of holidays.
    tuesday = Schedule(weekday=1, at=time(17, 30), timezone="Europe/London")
    assert next_slot(tuesday, london(2027, 12, 24)).local == london(2027, 12, 29, 17, 30)
    saturday = Schedule(weekday=5, at=time(8), timezone="Europe/London")
    assert next_slot(saturday, london(2027, 12, 24)).local == london(2027, 12, 29, 8)
    # An ordinary Saturday stays a Saturday: only holidays move a slot.
    assert next_slot(saturday, london(2028, 1, 5)).local == london(2028, 1, 8, 8)


def test_a_scottish_user_keeps_scottish_holidays():
    scot = Schedule(weekday=0, at=time(9), timezone="Europe/London", region=SCOTLAND)
    # 2 January 2027 is a Saturday, so Monday 4 January is Scotland's holiday, not England's.
    assert next_slot(scot, london(2027, 1, 1)).local == london(2027, 1, 5, 9)
    assert next_slot(MONDAY_NINE, london(2027, 1, 1)).local == london(2027, 1, 4, 9)
    # St Andrew's Day 2025 fell on a Sunday: its substitute Monday moves the nudge.
    assert next_slot(scot, london(2025, 11, 28)).local == london(2025, 12, 2, 9)
    # Easter Monday is no bank holiday in Scotland.
    assert next_slot(scot, london(2027, 3, 26)).local == london(2027, 3, 29, 9)


def test_northern_ireland_and_no_region():
    ni = Schedule(weekday=0, at=time(9), timezone="Europe/London", region=NORTHERN_IRELAND)
    assert next_slot(ni, london(2027, 7, 9)).local == london(2027, 7, 13, 9)  # the Twelfth
    assert next_slot(MONDAY_NINE, london(2027, 7, 9)).local == london(2027, 7, 12, 9)
    off = Schedule(weekday=0, at=time(9), timezone="Europe/London", region=NO_REGION)
    assert next_slot(off, london(2027, 3, 26)).local == london(2027, 3, 29, 9)


def test_skip_and_pause_work_on_a_moved_slot():
    skip = Hold(skip_key="2027-03-29")
    assert slot_owed(MONDAY_NINE, london(2027, 3, 30, 9), hold=skip) is None
    assert upcoming(MONDAY_NINE, london(2027, 3, 26), hold=skip).key == "2027-04-05"
    # Away until the Tuesday the slot moved to: the moved slot is sent that day.
    back_tuesday = Hold(paused_until=date(2027, 3, 30))
    assert slot_owed(MONDAY_NINE, london(2027, 3, 30, 9), hold=back_tuesday) is not None
    back_wednesday = Hold(paused_until=date(2027, 3, 31))
    assert slot_owed(MONDAY_NINE, london(2027, 3, 30, 9), hold=back_wednesday) is None


def test_working_day_walks_past_weekends_and_holiday_runs():
    assert working_day(date(2027, 3, 26), ENGLAND_AND_WALES) == date(2027, 3, 30)  # Good Friday
    assert working_day(date(2027, 3, 30), ENGLAND_AND_WALES) == date(2027, 3, 30)
    assert working_day(date(2027, 12, 25), ENGLAND_AND_WALES) == date(2027, 12, 29)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("scotland", SCOTLAND),
        ("Scotland.", SCOTLAND),
        ("northern  ireland", NORTHERN_IRELAND),
        ("NI", NORTHERN_IRELAND),
        ("england", ENGLAND_AND_WALES),
        ("Wales", ENGLAND_AND_WALES),
        ("england and wales", ENGLAND_AND_WALES),
        ("off", NO_REGION),
        ("france", None),
        ("", None),
        ("scotland" * 1000, None),
    ],
)
def test_parse_region(text, region):
    assert parse_region(text) == region


def test_every_region_has_a_label_and_an_unknown_one_reads_as_the_default():
    assert {region_label(r) for r in REGIONS} >= {"England and Wales", "Scotland"}
    assert region_label("atlantis") == "England and Wales"
    assert is_bank_holiday(date(2027, 3, 29), "atlantis")


@settings(max_examples=200, deadline=None)
@given(
    region=st.sampled_from(REGIONS),
    weekday=st.integers(0, 6),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    now=st.datetimes(
        min_value=datetime(2024, 1, 1),  # noqa: DTZ001
        max_value=datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_moved_slots_still_bracket_now_and_keep_their_scheduled_key(region, weekday, at, now):
    schedule = Schedule(weekday=weekday, at=at, timezone="Europe/London", region=region)
    due, nxt = due_slot(schedule, now), next_slot(schedule, now)
    assert due.due <= now < nxt.due
    assert date.fromisoformat(nxt.key) - date.fromisoformat(due.key) == timedelta(days=7)
    for slot in (due, nxt):
        scheduled = date.fromisoformat(slot.key)
        assert scheduled.weekday() == weekday
        if slot.moved_from is None:
            assert slot.local.date() == scheduled
        else:
            assert slot.moved_from == scheduled
            assert is_bank_holiday(scheduled, region)
            assert timedelta(days=1) <= slot.local.date() - scheduled <= timedelta(days=6)
            assert slot.local.weekday() < 5
            assert not is_bank_holiday(slot.local.date(), region)
