"""``nudges holidays …`` and ``nudges away …`` over the real SQL stores, through to the ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.store.nudge_tables import nudge_subscriptions
from app.delivery.ledger import find_due
from bot.models import Audience
from bot.nudges.bank_holidays import ENGLAND_AND_WALES, NO_REGION, NORTHERN_IRELAND, SCOTLAND
from tests.bot.test_nudge_commands import press, say, sub_of

# Friday 1 January 2027, 10:00 GMT (New Year's Day).
NEW_YEAR = datetime(2027, 1, 1, 10, tzinfo=UTC)


def due_users(engine, now):
    found = find_due(engine, now, grace=timedelta(hours=12), platforms=("slack",))
    return sorted(d.subscription.target.user_id for d in found)


# --- holidays --------------------------------------------------------------------------------


def test_a_new_subscription_keeps_england_and_wales_holidays_and_the_card_says_so(commands):
    reply = say(commands, "nudges on", now=NEW_YEAR)
    assert sub_of(commands).holiday_region == ENGLAND_AND_WALES
    facts = {f.label: f.value for s in reply.card.sections for f in s.facts}
    assert facts["Bank holidays"] == "England and Wales"
    shown = say(commands, "nudges holidays", now=NEW_YEAR)
    assert "Bank holidays: England and Wales" in shown.text
    assert "nudges holidays scotland" in shown.text


@pytest.mark.parametrize(
    ("typed", "region", "label"),
    [
        ("nudges holidays scotland", SCOTLAND, "Scotland"),
        ("nudges holidays Northern Ireland", NORTHERN_IRELAND, "Northern Ireland"),
        ("nudges bank holidays scotland", SCOTLAND, "Scotland"),
        ("nudges holidays england", ENGLAND_AND_WALES, "England and Wales"),
        ("nudges holidays off", NO_REGION, "none"),
    ],
)
def test_nudges_holidays_sets_the_region(commands, typed, region, label):
    say(commands, "nudges on", now=NEW_YEAR)
    reply = say(commands, typed, now=NEW_YEAR)
    assert sub_of(commands).holiday_region == region
    facts = {f.label: f.value for s in reply.card.sections for f in s.facts}
    assert facts["Bank holidays"].startswith(label)


def test_a_scottish_users_next_nudge_moves_off_the_new_year_holiday(commands):
    say(commands, "nudges on", now=NEW_YEAR)
    assert "Monday 4 January 2027, 09:00 GMT." in say(commands, "nudges", now=NEW_YEAR).text
    reply = say(commands, "nudges holidays scotland", now=NEW_YEAR)
    assert (
        "Next: Tuesday 5 January 2027, 09:00 GMT (moved from Monday 4 January, a bank holiday)"
        in reply.text
    )


def test_an_unknown_region_or_no_subscription_gets_a_clear_reply(commands):
    assert "Weekly nudges are off" in say(commands, "nudges holidays scotland").text
    say(commands, "nudges on", now=NEW_YEAR)
    reply = say(commands, "nudges holidays france", now=NEW_YEAR)
    assert "I don't know the bank holidays of “france”" in reply.text
    assert reply.audience is Audience.ASKER
    assert sub_of(commands).holiday_region == ENGLAND_AND_WALES
    huge = say(commands, "nudges holidays " + "ß" * 5000, now=NEW_YEAR)
    assert len(huge.text) < 500


def test_the_region_is_stored_and_read_back_by_the_clock(commands, engine):
    say(commands, "nudges on", now=NEW_YEAR)
    say(commands, "nudges on", user="U2", now=NEW_YEAR)
    say(commands, "nudges holidays scotland", user="U2", now=NEW_YEAR)
    with engine.connect() as conn:
        stored = dict(
            conn.execute(
                select(nudge_subscriptions.c.user_id, nudge_subscriptions.c.holiday_region)
            ).all()
        )
    assert stored == {"U1": ENGLAND_AND_WALES, "U2": SCOTLAND}
    # Monday 4 January 2027 09:00: England's Monday; Scotland's substitute New Year holiday.
    assert due_users(engine, datetime(2027, 1, 4, 9, 0, 30, tzinfo=UTC)) == ["U1"]
    assert due_users(engine, datetime(2027, 1, 5, 9, 0, 30, tzinfo=UTC)) == ["U2"]


def test_forget_me_deletes_the_region_with_the_rest_of_the_subscription(commands):
    say(commands, "nudges on", now=NEW_YEAR)
    say(commands, "nudges holidays scotland", now=NEW_YEAR)
    say(commands, "forget me", now=NEW_YEAR)
    press(commands, "forget.confirm", now=NEW_YEAR)
    assert sub_of(commands) is None
    # Subscribing again starts from the default, not the forgotten choice.
    say(commands, "nudges on", now=NEW_YEAR)
    assert sub_of(commands).holiday_region == ENGLAND_AND_WALES


# --- away ------------------------------------------------------------------------------------

# Wednesday 16 December 2026, 10:00 GMT.
DECEMBER = datetime(2026, 12, 16, 10, tzinfo=UTC)


def test_away_until_holds_nudges_and_they_resume_by_themselves(commands, engine):
    say(commands, "nudges on", now=DECEMBER)
    reply = say(commands, "nudges away until 2027-01-04", now=DECEMBER)
    assert "You're away until Monday 4 January 2027" in reply.text
    assert "start again by themselves" in reply.text
    assert "The next one is Monday 4 January 2027, 09:00 GMT." in reply.text
    assert [b.action_id for b in reply.card.buttons] == ["nudge.resume"]
    assert sub_of(commands).paused_until == date(2027, 1, 4)
    card = say(commands, "nudges", now=DECEMBER)
    facts = {f.label: f.value for s in card.card.sections for f in s.facts}
    assert facts["Status"] == "Away until Mon 4 Jan 2027, resuming by itself"
    # Nothing is owed on the Mondays away; the Monday back is owed with no one typing anything.
    assert due_users(engine, datetime(2026, 12, 21, 9, 0, 30, tzinfo=UTC)) == []
    assert due_users(engine, datetime(2026, 12, 29, 9, 0, 30, tzinfo=UTC)) == []  # moved slot
    assert due_users(engine, datetime(2027, 1, 4, 9, 0, 30, tzinfo=UTC)) == ["U1"]
    after = say(commands, "nudges", now=datetime(2027, 1, 4, 12, tzinfo=UTC))
    assert {f.label: f.value for s in after.card.sections for f in s.facts}["Status"] == "On"


@pytest.mark.parametrize(
    ("typed", "back"),
    [
        ("nudges away for 2 weeks", date(2026, 12, 30)),
        ("nudges away 10 days", date(2026, 12, 26)),
        ("nudges away until 4 January 2027", date(2027, 1, 4)),
        ("nudges away until 4/1/2027", date(2027, 1, 4)),
        ("nudges away till 4 jan 2027.", date(2027, 1, 4)),
    ],
)
def test_away_reads_durations_and_british_dates(commands, typed, back):
    say(commands, "nudges on", now=DECEMBER)
    assert "You're away until" in say(commands, typed, now=DECEMBER).text
    assert sub_of(commands).paused_until == back


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("nudges away until 2026-12-01", "is in the past"),
        ("nudges away until 2026-12-16", "is today"),
        ("nudges away until 2028-06-01", "more than a year"),
        ("nudges away until someday", "couldn't read when you're back"),
        ("nudges away until 2027-02-30", "couldn't read when you're back"),
        ("nudges away", "couldn't read when you're back"),
        ("nudges away for 0 weeks", "couldn't read when you're back"),
    ],
)
def test_away_refuses_past_and_unreadable_dates_and_changes_nothing(commands, typed, why):
    say(commands, "nudges on", now=DECEMBER)
    reply = say(commands, typed, now=DECEMBER)
    assert why in reply.text
    assert "nudges away until 2027-01-04" in reply.text
    assert reply.audience is Audience.ASKER
    assert sub_of(commands).paused_until is None


def test_a_channel_can_be_away_too(commands):
    say(commands, "nudges channel on", direct=False, channel="C9", now=DECEMBER)
    reply = say(
        commands, "nudges channel away for 1 week", direct=False, channel="C9", now=DECEMBER
    )
    assert "The channel is away until Wednesday 23 December 2026" in reply.text
    assert reply.audience is Audience.EVERYONE
    card = say(commands, "nudges channel", direct=False, channel="C9", now=DECEMBER)
    facts = {f.label: f.value for s in card.card.sections for f in s.facts}
    assert facts["Status"] == "Away until Wed 23 Dec, resuming by itself"


def test_back_early_with_the_resume_button(commands):
    say(commands, "nudges on", now=DECEMBER)
    say(commands, "nudges away for 2 weeks", now=DECEMBER)
    reply = press(commands, "nudge.resume", now=DECEMBER)
    assert "Nudges resumed" in reply.text
    assert sub_of(commands).paused_until is None
