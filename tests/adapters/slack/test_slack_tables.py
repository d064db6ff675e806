"""The Slack tables: made by ensure_schema, used by slack_sdk's stores, found by the cleanup."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine, inspect, select

from adapters.store import slack_tables
from adapters.store.cleanup import forget_user, forget_workspace
from adapters.store.crypto import Cipher
from adapters.store.db import make_engine
from adapters.store.schema import ensure_schema

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CIPHER = Cipher([Fernet.generate_key().decode()])


def _engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'tables.db'}")
    ensure_schema(engine)
    return engine


def test_ensure_schema_creates_every_slack_table(tmp_path: Path) -> None:
    names = set(inspect(_engine(tmp_path)).get_table_names())
    assert {
        "slack_installations",
        "slack_bots",
        "slack_oauth_states",
        "slack_seen_events",
        "slack_home_visits",
    } <= names


def test_slack_sdk_stores_work_on_the_shared_tables(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    store = slack_tables.SharedInstallationStore(client_id="C1", engine=engine, cipher=CIPHER)
    store.save(
        Installation(app_id="A1", team_id="T1", bot_token="xoxb-1", bot_id="B1", user_id="U1")
    )
    bot = store.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None
    assert bot.bot_token == "xoxb-1"
    assert store.find_installation(enterprise_id=None, team_id="T1") is not None
    states = slack_tables.SharedOAuthStateStore(expiration_seconds=60, engine=engine)
    state = states.issue()
    assert states.consume(state)
    assert not states.consume(state)


def test_delete_workspace_leaves_other_workspaces_alone(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    store = slack_tables.SharedInstallationStore(client_id="C1", engine=engine, cipher=CIPHER)
    for team in ("T1", "T2"):
        store.save(Installation(app_id="A1", team_id=team, bot_token=f"xoxb-{team}", user_id="U1"))
        slack_tables.record_home_visit(engine, team_id=team, user_id="U1", now=NOW)
        slack_tables.record_event(engine, event_id=f"Ev{team}", team_id=team, now=NOW)
    slack_tables.delete_workspace(engine, team_id="T1", enterprise_id=None)
    with engine.connect() as conn:
        for table in (
            slack_tables.slack_installations,
            slack_tables.slack_bots,
            slack_tables.slack_home_visits,
            slack_tables.slack_seen_events,
        ):
            teams = {row.team_id for row in conn.execute(select(table.c.team_id))}
            assert teams == {"T2"}, table.name


def test_home_visits_are_remembered_once(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    assert slack_tables.record_home_visit(engine, team_id="T1", user_id="U1", now=NOW)
    assert not slack_tables.record_home_visit(engine, team_id="T1", user_id="U1", now=NOW)
    assert slack_tables.record_home_visit(engine, team_id="T2", user_id="U1", now=NOW)


def test_the_shared_cleanup_finds_slack_rows(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    slack_tables.record_home_visit(engine, team_id="T1", user_id="U1", now=NOW)
    slack_tables.record_home_visit(engine, team_id="T1", user_id="U2", now=NOW)
    slack_tables.record_event(engine, event_id="Ev1", team_id="T1", now=NOW)
    assert forget_user(engine, platform="slack", workspace_id="T1", user_id="U1") == {
        "slack_home_visits": 1
    }
    assert forget_user(engine, platform="teams", workspace_id="T1", user_id="U2") == {}
    assert forget_workspace(engine, platform="slack", workspace_id="T1") == {
        "slack_home_visits": 1,
        "slack_seen_events": 1,
    }
