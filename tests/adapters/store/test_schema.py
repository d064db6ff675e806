"""Alembic migrations: every table on ``metadata``, idempotent, safe when processes race."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from adapters.store.db import make_engine, metadata
from adapters.store.schema import (
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
)
from adapters.store.tables import import_table_modules
from app.db_command import main as main_upgrade
from tests.adapters.store.databases import pg_schema_url, sqlite_url

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with pg_schema_url() as url:
            yield url


def test_upgrade_creates_every_table_on_metadata_and_the_migration_matches_the_models(url):
    import_table_modules()
    engine = make_engine(url)
    ensure_schema(engine)
    ensure_schema(engine)  # a second run finds nothing to do
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables
    assert {"nudge_subscriptions", "nudge_deliveries", "journal_entries"} <= tables
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    # Non-empty means a table or column changed without a migration: run
    # scripts/make_migration.sh.
    assert diffs == []
    engine.dispose()


@pytest.mark.slow
def test_processes_upgrading_a_fresh_database_at_once_all_succeed(url):
    code = (
        "import sys; from app.db_command import main as main_upgrade; "
        "sys.exit(main_upgrade(['upgrade', '--url', sys.argv[1]]))"
    )
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code, url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for racer in racers:
        out, err = racer.communicate(timeout=60)
        assert racer.returncode == 0, err
        assert f"at revision {head_revision()}" in out
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_database_made_by_the_old_create_all_is_adopted_not_broken(tmp_path):
    import_table_modules()
    engine = make_engine(sqlite_url(tmp_path))
    metadata.create_all(engine)
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_coach_db_current_and_upgrade(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    assert main_upgrade(["current", "--url", url]) == 0
    assert capsys.readouterr().out.strip() == "(none)"
    assert main_upgrade(["--url", url]) == 0
    assert main_upgrade(["current", "--url", url]) == 0
    assert capsys.readouterr().out.strip().endswith(head_revision())


def test_0004_gives_existing_subscriptions_england_and_wales_holidays(url):
    engine = make_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
        conn.execute(
            text(
                "INSERT INTO nudge_subscriptions (platform, workspace_id, user_id, "
                "conversation_id, weekday, hour, minute, timezone, active, seed, position, "
                "stopped_reason, created_at, updated_at) VALUES ('slack', 'T1', 'U1', '', 0, 9, "
                "0, 'Europe/London', true, 1, 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        regions = conn.execute(text("SELECT holiday_region FROM nudge_subscriptions")).all()
    assert [r[0] for r in regions] == ["england-wales"]
    engine.dispose()
