"""Reflections are encrypted at rest; keys rotate; no key means no journal, said loudly."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from adapters.store.crypto import Cipher, DataKeyError, warn_if_missing
from adapters.store.nudge_tables import journal_entries
from adapters.store.repositories import SqlJournal, rotate_journal
from app.db_command import main as main_upgrade
from bot.identity import Who
from tests.adapters.store.databases import sqlite_engine, sqlite_url

NOW = datetime(2025, 6, 2, 9, tzinfo=UTC)
ALICE = Who(platform="slack", workspace_id="T1", user_id="UALICE")
SECRET = "I lost my temper with the team today and I want to do better"


@pytest.fixture
def engine(tmp_path):
    engine = sqlite_engine(tmp_path)
    yield engine
    engine.dispose()


def raw_bodies(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(journal_entries.c.body)).scalars())


def test_the_stored_column_never_holds_the_reflection_text(engine, tmp_path):
    key = Fernet.generate_key().decode()
    SqlJournal(engine, Cipher([key])).add(ALICE, text=SECRET, row_id="ie-1", question="q", now=NOW)
    [body] = raw_bodies(engine)
    assert SECRET not in body
    assert "temper" not in body
    assert Fernet(key.encode()).decrypt(body.encode()).decode() == SECRET
    # Nor anywhere in the database file, WAL included.
    engine.dispose()
    for path in tmp_path.glob("coach.db*"):
        assert b"temper" not in path.read_bytes()


def test_rotation_reads_old_entries_then_reencrypts_them_under_the_new_key(engine):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    SqlJournal(engine, Cipher([old])).add(ALICE, text="before", row_id="", question="", now=NOW)
    rotated = Cipher([new, old])
    journal = SqlJournal(engine, rotated)
    journal.add(ALICE, text="after", row_id="", question="", now=NOW)
    assert [e.text for e in journal.everything(ALICE)] == ["before", "after"]
    # Without the old key the first entry is unreadable (and says so, rather than crash).
    assert [e.text for e in SqlJournal(engine, Cipher([new])).everything(ALICE)] == [None, "after"]

    assert rotate_journal(engine, rotated) == (2, 0)
    assert [e.text for e in SqlJournal(engine, Cipher([new])).everything(ALICE)] == [
        "before",
        "after",
    ]
    assert [e.text for e in SqlJournal(engine, Cipher([old])).everything(ALICE)] == [None, None]


def test_coach_db_rotate_keys(engine, tmp_path, monkeypatch, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    SqlJournal(engine, Cipher([old])).add(ALICE, text="x", row_id="", question="", now=NOW)
    monkeypatch.setenv("COACH_DATA_KEY", f" {new} , {old} ")
    assert main_upgrade(["rotate-keys", "--url", sqlite_url(tmp_path)]) == 0
    assert "re-encrypted 1 journal entries" in capsys.readouterr().out
    assert [e.text for e in SqlJournal(engine, Cipher([new])).everything(ALICE)] == ["x"]
    monkeypatch.delenv("COACH_DATA_KEY")
    assert main_upgrade(["rotate-keys", "--url", sqlite_url(tmp_path)]) == 2


def test_a_malformed_key_fails_fast_without_echoing_it():
    good = Fernet.generate_key().decode()
    with pytest.raises(DataKeyError) as caught:
        Cipher.from_env({"COACH_DATA_KEY": f"{good},not-a-real-key-abc123"})
    assert "key 2 of 2" in str(caught.value)
    assert "not-a-real-key-abc123" not in str(caught.value)
    assert good not in str(caught.value)


def test_no_key_warns_at_start_up_and_the_journal_refuses_to_store(engine, caplog):
    with caplog.at_level(logging.WARNING):
        assert warn_if_missing({}) is None
    assert "COACH_DATA_KEY is not set" in caplog.text
    assert "Fernet.generate_key()" in caplog.text
    journal = SqlJournal(engine, None)
    assert journal.writable is False
    with pytest.raises(RuntimeError, match="refusing"):
        journal.add(ALICE, text=SECRET, row_id="", question="", now=NOW)
    assert raw_bodies(engine) == []


def test_reflection_text_is_never_logged(engine, caplog):
    from adapters.store.repositories import sql_stores
    from bot.commands.router import build as NudgeCommands  # noqa: N812
    from bot.models import Action

    commands = NudgeCommands(sql_stores(engine, cipher=Cipher([Fernet.generate_key().decode()])))
    with caplog.at_level(logging.DEBUG):
        commands.act(
            Action(
                action_id="journal.save",
                form=(("reflection", SECRET),),
                who=Who(platform="slack", workspace_id="T1", user_id="U1"),
            ),
            now=NOW,
        )
    assert "temper" not in caplog.text
