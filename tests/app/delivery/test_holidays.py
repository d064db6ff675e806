"""Moved slots through the real ledger: a nudge moved off a bank holiday is sent exactly once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from adapters.store.nudge_tables import nudge_deliveries
from adapters.store.repositories import SqlSubscriptions
from app.delivery.send import send_due
from app.delivery.settings import PassSettings
from bot.nudges.bank_holidays import SCOTLAND
from tests.app.delivery.loopback import LoopbackMessenger
from tests.app.delivery.test_delivery import run, statuses, subscribe

# Easter Monday 2027 and the Tuesday after, 09:00:30 BST.
EASTER_MONDAY = datetime(2027, 3, 29, 8, 0, 30, tzinfo=UTC)
TUESDAY = EASTER_MONDAY + timedelta(days=1)


def with_region(engine, sub, region):
    return SqlSubscriptions(engine).put(replace(sub, holiday_region=region), now=EASTER_MONDAY)


def racing_passes(engine, platform, content, now, *, passes=3):
    async def go():
        messenger = LoopbackMessenger(platform.url)
        small = PassSettings(claim_batch=5, flush_interval=0.01)
        try:
            return await asyncio.gather(
                *(
                    send_due(
                        now,
                        engine=engine,
                        messengers={"slack": messenger},
                        content=content,
                        settings=small,
                    )
                    for _ in range(passes)
                )
            )
        finally:
            await messenger.aclose()

    return asyncio.run(go())


def test_racing_passes_send_a_nudge_moved_off_easter_monday_once_on_tuesday(
    engine, platform, content
):
    for i in range(30):
        subscribe(engine, f"U{i}")
    scot = with_region(engine, subscribe(engine, "USCOT"), SCOTLAND)

    # On Easter Monday only the Scottish subscriber (no holiday in Scotland) is due.
    monday = racing_passes(engine, platform, content, EASTER_MONDAY)
    assert sum(r.sent for r in monday) == 1
    assert platform.per_recipient() == {scot.target.user_id: 1}

    # On Tuesday at the same time, everyone else: once each, whichever pass wins each claim.
    tuesday = racing_passes(engine, platform, content, TUESDAY)
    assert sum(r.sent for r in tuesday) == 30
    assert platform.per_recipient() == {"USCOT": 1, **{f"U{i}": 1 for i in range(30)}}
    assert statuses(engine) == {"sent": 31}
    with engine.connect() as conn:
        keys = set(conn.execute(select(nudge_deliveries.c.slot_key)).scalars())
    assert keys == {"2027-03-29"}  # the scheduled Monday, for the moved slots too

    # Later passes within the grace period find everything already sent.
    again = racing_passes(engine, platform, content, TUESDAY + timedelta(hours=3), passes=2)
    assert sum(r.claimed for r in again) == 0
    assert len(platform.accepted) == 31


def test_a_change_of_region_after_delivery_never_sends_the_same_week_twice(
    engine, platform, content
):
    # Monday 4 January 2027 is a working day in England, a New Year holiday in Scotland.
    sub = subscribe(engine, "U1")
    monday = datetime(2027, 1, 4, 9, 0, 30, tzinfo=UTC)
    assert run(engine, platform, content, monday).sent == 1
    with_region(engine, sub, SCOTLAND)  # the slot now reads "moved to Tuesday"...
    tuesday = run(engine, platform, content, monday + timedelta(days=1))
    assert (tuesday.due, tuesday.claimed, tuesday.sent) == (1, 0, 0)  # ...but it was sent
    assert platform.per_recipient() == {"U1": 1}


def test_christmas_2027_moves_to_wednesday_and_the_grace_period_runs_from_there(
    engine, platform, content
):
    subscribe(engine, "U1")  # Mondays 09:00
    subscribe(engine, "U2", at=time(17))  # Mondays 17:00
    christmas_observed = datetime(2027, 12, 27, 9, 0, 30, tzinfo=UTC)
    assert run(engine, platform, content, christmas_observed).due == 0
    assert run(engine, platform, content, christmas_observed + timedelta(days=1)).due == 0
    wednesday = christmas_observed + timedelta(days=2)
    assert run(engine, platform, content, wednesday).sent == 1  # U1 at 09:00 GMT
    # 17:00 plus the 12-hour grace is 05:00 on Thursday: just past it, U2's slot is skipped.
    late = datetime(2027, 12, 30, 5, 0, 1, tzinfo=UTC)
    assert run(engine, platform, content, late).due == 0
    assert platform.per_recipient() == {"U1": 1}
