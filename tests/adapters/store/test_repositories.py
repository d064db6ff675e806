"""The SQL stores behind the commands: upserts, the prompt walk, journal order and isolation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from itertools import starmap

from cryptography.fernet import Fernet

from adapters.store.crypto import Cipher
from adapters.store.repositories import SqlDeliveries, SqlJournal, SqlSubscriptions
from bot.identity import Who
from bot.stores import Subscription

NOW = datetime(2025, 6, 2, 9, tzinfo=UTC)


def sub(user="U1", **changes):
    base = Subscription(
        target=Who(platform="slack", workspace_id="T1", user_id=user),
        weekday=0,
        at=time(9),
        timezone="Europe/London",
        seed=42,
    )
    return Subscription(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, **changes})


def test_put_inserts_then_updates_one_row_per_target(engine):
    subs = SqlSubscriptions(engine)
    first = subs.put(sub(), now=NOW)
    assert first.id > 0
    second = subs.put(
        sub(weekday=4, at=time(17, 30), paused_until=date(2025, 7, 1), skip_key="2025-06-06"),
        now=NOW,
    )
    assert second.id == first.id
    assert (second.weekday, second.at, second.paused_until, second.skip_key) == (
        4,
        time(17, 30),
        date(2025, 7, 1),
        "2025-06-06",
    )
    assert subs.get(Who(platform="slack", workspace_id="T1", user_id="U2")) is None


def test_concurrent_first_puts_for_one_person_make_one_row(engine):
    subs = SqlSubscriptions(engine)
    with ThreadPoolExecutor(4) as pool:
        ids = {s.id for s in pool.map(lambda _: subs.put(sub(), now=NOW), range(8))}
    assert len(ids) == 1


def test_advance_returns_each_position_once(engine):
    subs = SqlSubscriptions(engine)
    stored = subs.put(sub(), now=NOW)
    with ThreadPoolExecutor(4) as pool:
        positions = sorted(pool.map(lambda _: subs.advance(stored.id), range(20)))
    assert positions == list(range(20))
    assert subs.get(stored.target).position == 20


def test_journal_is_newest_first_for_latest_and_oldest_first_for_everything(engine):
    journal = SqlJournal(engine, Cipher([Fernet.generate_key().decode()]))
    alice = Who(platform="slack", workspace_id="T1", user_id="UA")
    list(
        starmap(
            lambda i, when: journal.add(alice, text=f"n{i}", row_id="", question="", now=when),
            ((i, NOW + timedelta(hours=i)) for i in range(4)),
        )
    )
    assert [e.text for e in journal.latest(alice, limit=3)] == ["n3", "n2", "n1"]
    assert [e.text for e in journal.everything(alice)] == ["n0", "n1", "n2", "n3"]
    assert journal.everything(Who(platform="slack", workspace_id="T1", user_id="UB")) == ()
    assert all(e.created_at.tzinfo is not None for e in journal.everything(alice))


def test_find_sent_ignores_refs_from_other_workspaces(engine):
    assert (
        SqlDeliveries(engine).find_sent(platform="slack", workspace_id="T1", message_ref="") is None
    )
    assert (
        SqlDeliveries(engine).find_sent(platform="slack", workspace_id="T9", message_ref="1.1")
        is None
    )
