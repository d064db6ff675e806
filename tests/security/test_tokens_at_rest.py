"""Issue 9, item 8: Slack OAuth tokens are encrypted at rest, old rows included.

A copy of the database file (a backup, a stolen disk) must not hand out working bot tokens.
An install through the whole app must leave no token in the SQLite file's bytes, while the
app still uses the token; and migration 0002 must encrypt rows a previous version stored in
plain text, or refuse to run without the key.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import insert, select

from adapters.store import slack_tables
from adapters.store.crypto import Cipher
from adapters.store.db import make_engine
from adapters.store.schema import alembic_config, ensure_schema
from tests.adapters.slack.harness import slack_server
from tests.adapters.slack.test_installation import (
    OAUTH_ENV,
    _install,
    _token_used_in_installed_team,
)
from tests.fakes.slack_api import INSTALLED_TOKEN

OLD_BOT = "xoxb-old-plain-token-1234567890"
OLD_USER = "xoxp-old-plain-user-token-0987654321"


def test_an_installed_token_is_never_written_in_plain_text(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with slack_server(tmp_path, env=OAUTH_ENV) as server:
            await _install(server)
            # The app can still use it.
            assert await _token_used_in_installed_team(server) == INSTALLED_TOKEN

    asyncio.run(scenario())
    files = list(tmp_path.glob("slack.db*"))
    assert files
    for file in files:
        assert INSTALLED_TOKEN.encode() not in file.read_bytes(), file.name


def _database_at_0001_with_plain_tokens(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    common = {"client_id": "C1", "app_id": "A1", "team_id": "T1", "installed_at": now}
    with engine.begin() as conn:
        conn.execute(
            insert(slack_tables.slack_installations).values(
                **common, user_id="U1", bot_token=OLD_BOT, user_token=OLD_USER
            )
        )
        conn.execute(insert(slack_tables.slack_bots).values(**common, bot_token=OLD_BOT))
    engine.dispose()
    return url


def test_migration_encrypts_tokens_stored_by_earlier_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Fernet.generate_key().decode()
    url = _database_at_0001_with_plain_tokens(tmp_path)
    monkeypatch.setenv("COACH_DATA_KEY", key)
    engine = make_engine(url)
    ensure_schema(engine)
    ensure_schema(engine)  # a second run changes nothing (no double encryption)
    with engine.connect() as conn:
        stored = [
            *conn.execute(select(slack_tables.slack_installations)).mappings(),
            *conn.execute(select(slack_tables.slack_bots)).mappings(),
        ]
    assert all(OLD_BOT not in str(dict(row)) for row in stored)
    assert all(OLD_USER not in str(dict(row)) for row in stored)
    store = slack_tables.SharedInstallationStore(
        client_id="C1", engine=engine, cipher=Cipher([key])
    )
    bot = store.find_bot(enterprise_id=None, team_id="T1")
    installation = store.find_installation(enterprise_id=None, team_id="T1")
    assert bot is not None
    assert bot.bot_token == OLD_BOT
    assert installation is not None
    assert installation.user_token == OLD_USER
    engine.dispose()
    assert OLD_BOT.encode() not in (tmp_path / "old.db").read_bytes() or _only_in_free_pages(
        tmp_path / "old.db"
    )


def _only_in_free_pages(path: Path) -> bool:
    # SQLite may keep the old bytes in free pages until VACUUM; the rows themselves are what
    # the migration promises to change, and VACUUM shows that nothing live still holds them.
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")
    return OLD_BOT.encode() not in path.read_bytes()


def test_migration_refuses_to_leave_plain_tokens_without_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _database_at_0001_with_plain_tokens(tmp_path)
    monkeypatch.delenv("COACH_DATA_KEY", raising=False)
    engine = make_engine(url)
    with pytest.raises(ValueError, match="COACH_DATA_KEY"):
        ensure_schema(engine)
    engine.dispose()
