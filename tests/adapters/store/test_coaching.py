"""The coaching store: assessments and focus, encrypted, owner-only, race-safe, forgettable."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from adapters.store.cleanup import forget_user
from adapters.store.coaching import SqlCoaching, rotate_coaching
from adapters.store.coaching_tables import coaching_assessments, coaching_focus
from adapters.store.crypto import Cipher
from adapters.store.repositories import sql_stores
from bot.identity import Who

NOW = datetime(2025, 6, 2, 9, tzinfo=UTC)
ALICE = Who(platform="teams", workspace_id="TEN1", user_id="29:alice")
BOB = Who(platform="teams", workspace_id="TEN1", user_id="29:bob")
KEY = Fernet.generate_key().decode()


# ``engine`` (SQLite and PostgreSQL) comes from the package's conftest, as for the other stores.
@pytest.fixture
def store(engine):
    return SqlCoaching(engine, Cipher([KEY]))


def test_an_assessment_is_started_once_rated_in_parts_then_finished(store):
    first = store.start_assessment(ALICE, now=NOW)
    assert first.finished is None
    assert first.ratings == ()
    # Asking again carries on with the same one: stop after any domain, carry on later.
    assert store.start_assessment(ALICE, now=NOW + timedelta(days=3)).id == first.id

    store.rate(ALICE, first.id, {"ie-1": 4, "ie-2": None}, now=NOW)
    rated = store.rate(ALICE, first.id, {"ie-3": 2, "ie-1": 5}, now=NOW)
    assert rated.ratings == (("ie-1", 5), ("ie-2", None), ("ie-3", 2))
    assert store.assessments(ALICE)[-1].by_row == {"ie-1": 5, "ie-2": None, "ie-3": 2}

    done = store.finish_assessment(ALICE, first.id, now=NOW + timedelta(hours=1))
    assert done.finished == NOW + timedelta(hours=1)
    assert done.ratings == rated.ratings
    # A finished assessment is kept as it was: late and double submits change nothing.
    assert store.rate(ALICE, first.id, {"ie-1": 1}, now=NOW) is None
    assert store.finish_assessment(ALICE, first.id, now=NOW) is None
    assert store.assessments(ALICE)[0].by_row["ie-1"] == 5


def test_assessments_are_oldest_first_with_the_unfinished_one_last(store):
    for days in (0, 90):
        taken = store.start_assessment(ALICE, now=NOW + timedelta(days=days))
        store.rate(ALICE, taken.id, {"ie-1": 1 + days // 45}, now=NOW)
        store.finish_assessment(ALICE, taken.id, now=NOW + timedelta(days=days, hours=1))
    retake = store.start_assessment(ALICE, now=NOW + timedelta(days=180))
    found = store.assessments(ALICE)
    assert [a.id for a in found][-1] == retake.id
    assert [a.by_row.get("ie-1") for a in found] == [1, 3, None]
    assert [a.finished is None for a in found] == [False, False, True]


def test_nobody_else_can_read_or_write_an_assessment_or_focus(store):
    mine = store.start_assessment(ALICE, now=NOW)
    store.rate(ALICE, mine.id, {"ie-1": 4}, now=NOW)
    store.set_focus(ALICE, ["ie-1"], now=NOW)
    assert store.assessments(BOB) == ()
    assert store.focus(BOB) == ()
    assert store.rate(BOB, mine.id, {"ie-1": 1}, now=NOW) is None
    assert store.finish_assessment(BOB, mine.id, now=NOW) is None
    assert store.assessments(ALICE)[0].by_row == {"ie-1": 4}
    # The same user id on another platform or workspace is someone else.
    assert store.assessments(Who(platform="slack", workspace_id="TEN1", user_id="29:alice")) == ()


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.5, "3"])
def test_out_of_range_ratings_are_refused_and_nothing_is_lost(store, bad):
    taken = store.start_assessment(ALICE, now=NOW)
    store.rate(ALICE, taken.id, {"ie-1": 3}, now=NOW)
    with pytest.raises(ValueError, match="1-5"):
        store.rate(ALICE, taken.id, {"ie-2": 4, "ie-3": bad}, now=NOW)
    assert store.assessments(ALICE)[0].by_row == {"ie-1": 3}


def test_forms_submitted_at_once_all_keep_their_answers(store):
    taken = store.start_assessment(ALICE, now=NOW)
    rows = [f"ie-{n}" for n in range(1, 9)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda row: store.rate(ALICE, taken.id, {row: 3}, now=NOW), rows))
    assert store.assessments(ALICE)[0].by_row == dict.fromkeys(rows, 3)


def test_starting_at_once_makes_one_unfinished_assessment(store):
    with ThreadPoolExecutor(4) as pool:
        ids = {a.id for a in pool.map(lambda _: store.start_assessment(ALICE, now=NOW), range(8))}
    assert len(ids) == 1


def test_focus_is_set_replaced_deduplicated_capped_and_cleared(store):
    assert store.focus(ALICE) == ()
    assert store.set_focus(ALICE, ["sw-2", "ie-1", "sw-2"], now=NOW) == ("sw-2", "ie-1")
    assert store.set_focus(ALICE, ["ie-4", "ie-5", "ie-6"], now=NOW) == ("ie-4", "ie-5", "ie-6")
    assert store.focus(ALICE) == ("ie-4", "ie-5", "ie-6")
    with pytest.raises(ValueError, match="at most 3"):
        store.set_focus(ALICE, ["a", "b", "c", "d"], now=NOW)
    assert store.focus(ALICE) == ("ie-4", "ie-5", "ie-6")
    assert store.clear_focus(ALICE) is True
    assert store.clear_focus(ALICE) is False
    assert store.focus(ALICE) == ()


def test_setting_focus_at_once_leaves_one_row(store, engine):
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: store.set_focus(ALICE, [f"ie-{n}"], now=NOW), range(1, 9)))
    with engine.connect() as conn:
        assert len(conn.execute(select(coaching_focus)).all()) == 1
    assert len(store.focus(ALICE)) == 1


def test_ratings_and_focus_are_never_stored_in_the_clear(engine):
    store = SqlCoaching(engine, Cipher([KEY]))
    taken = store.start_assessment(ALICE, now=NOW)
    store.rate(ALICE, taken.id, {"ie-1": 4, "sw-7": 2}, now=NOW)
    store.set_focus(ALICE, ["sw-7"], now=NOW)
    with engine.connect() as conn:
        [ratings] = conn.execute(select(coaching_assessments.c.ratings)).scalars()
        [rows] = conn.execute(select(coaching_focus.c.rows)).scalars()
    for token in (ratings, rows):
        assert "ie-1" not in token
        assert "sw-7" not in token
        assert Fernet(KEY.encode()).decrypt(token.encode())


def test_without_a_key_nothing_is_written_and_nothing_is_read_in_the_clear(engine):
    store = SqlCoaching(engine, None)
    assert store.writable is False
    with pytest.raises(RuntimeError, match="COACH_DATA_KEY"):
        store.start_assessment(ALICE, now=NOW)
    with pytest.raises(RuntimeError, match="COACH_DATA_KEY"):
        store.set_focus(ALICE, ["ie-1"], now=NOW)
    keyed = SqlCoaching(engine, Cipher([KEY]))
    taken = keyed.start_assessment(ALICE, now=NOW)
    keyed.rate(ALICE, taken.id, {"ie-1": 4}, now=NOW)
    keyed.set_focus(ALICE, ["ie-1"], now=NOW)
    # A lost key reads as nothing rated, never as an error or as ciphertext.
    assert store.assessments(ALICE)[0].ratings == ()
    assert store.focus(ALICE) == ()


def test_rotation_reencrypts_assessments_and_focus_under_the_new_key(engine):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = SqlCoaching(engine, Cipher([old]))
    taken = before.start_assessment(ALICE, now=NOW)
    before.rate(ALICE, taken.id, {"ie-1": 4}, now=NOW)
    before.set_focus(ALICE, ["ie-1"], now=NOW)
    assert rotate_coaching(engine, Cipher([new, old])) == (2, 0)
    after = SqlCoaching(engine, Cipher([new]))
    assert after.assessments(ALICE)[0].by_row == {"ie-1": 4}
    assert after.focus(ALICE) == ("ie-1",)
    assert rotate_coaching(engine, Cipher([Fernet.generate_key().decode()])) == (0, 2)


def test_forget_me_deletes_assessments_and_focus_of_that_person_only(engine):
    stores = sql_stores(engine, cipher=Cipher([KEY]))
    for who in (ALICE, BOB):
        taken = stores.coaching.start_assessment(who, now=NOW)
        stores.coaching.rate(who, taken.id, {"ie-1": 3}, now=NOW)
        stores.coaching.finish_assessment(who, taken.id, now=NOW)
        stores.coaching.start_assessment(who, now=NOW)
        stores.coaching.set_focus(who, ["ie-1"], now=NOW)

    assert stores.forget.forget_user(ALICE) == 3
    assert stores.coaching.assessments(ALICE) == ()
    assert stores.coaching.focus(ALICE) == ()
    assert len(stores.coaching.assessments(BOB)) == 2
    assert stores.coaching.focus(BOB) == ("ie-1",)
    # Forgetting Bob takes his, table by table.
    assert forget_user(engine, platform="teams", workspace_id="TEN1", user_id="29:bob") == {
        "coaching_assessments": 2,
        "coaching_focus": 1,
    }
