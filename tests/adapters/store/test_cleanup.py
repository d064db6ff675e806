"""``forget me`` and uninstall cleanup: every table, found by the column-name convention."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Column, Integer, String, Table, func, insert, select

from adapters.store.cleanup import forget_user, forget_workspace
from adapters.store.crypto import Cipher
from adapters.store.db import metadata
from adapters.store.nudge_tables import journal_entries, nudge_deliveries, nudge_subscriptions
from adapters.store.repositories import SqlJournal, SqlSubscriptions
from bot.identity import Who
from bot.stores import Subscription
from tests.adapters.store.databases import pg_engine, sqlite_engine

NOW = datetime(2025, 6, 2, 9, tzinfo=UTC)


@pytest.fixture
def extra_tables():
    """Two tables another adapter might add: one named by convention, one via ``info``."""
    by_name = Table(
        "test_cleanup_by_name",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("platform", String(16)),
        Column("workspace_id", String(64)),
        Column("user_id", String(64)),
    )
    by_info = Table(
        "test_cleanup_by_info",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("tenant_id", String(64)),
        Column("aad_id", String(64)),
        info={"platform": "teams", "workspace_column": "tenant_id", "user_column": "aad_id"},
    )
    yield by_name, by_info
    metadata.remove(by_name)
    metadata.remove(by_info)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, extra_tables):
    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path)
        metadata.create_all(engine, tables=list(extra_tables))
        yield engine
        engine.dispose()
    else:
        with pg_engine() as engine:
            metadata.create_all(engine, tables=list(extra_tables))
            yield engine


def populate(engine, extra_tables, *, platform, workspace, user):
    by_name, by_info = extra_tables
    target = Who(platform=platform, workspace_id=workspace, user_id=user)
    sub = SqlSubscriptions(engine).put(
        Subscription(target=target, weekday=0, at=time(9), timezone="Europe/London", seed=1),
        now=NOW,
    )
    SqlJournal(engine, Cipher([Fernet.generate_key().decode()])).add(
        Who(platform=platform, workspace_id=workspace, user_id=user),
        text="t",
        row_id="",
        question="",
        now=NOW,
    )
    with engine.begin() as conn:
        conn.execute(
            insert(nudge_deliveries).values(
                subscription_id=sub.id, platform=platform, workspace_id=workspace, user_id=user,
                slot_key="2025-06-02", due_at=NOW, row_id="ie-1", prompt_index=0, status="sent",
                attempts=1, last_error="", message_ref="1.1", created_at=NOW,
            )
        )  # fmt: skip
        conn.execute(
            insert(by_name).values(platform=platform, workspace_id=workspace, user_id=user)
        )
        if platform == "teams":
            conn.execute(insert(by_info).values(tenant_id=workspace, aad_id=user))


def counts(engine, extra_tables):
    tables = (nudge_subscriptions, nudge_deliveries, journal_entries, *extra_tables)
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in tables}


def test_forget_user_deletes_that_persons_rows_in_every_conventional_table(engine, extra_tables):
    populate(engine, extra_tables, platform="teams", workspace="TEN1", user="29:alice")
    populate(engine, extra_tables, platform="teams", workspace="TEN1", user="29:bob")
    populate(engine, extra_tables, platform="teams", workspace="TEN2", user="29:alice")
    populate(engine, extra_tables, platform="slack", workspace="TEN1", user="29:alice")
    SqlSubscriptions(engine).put(
        Subscription(
            target=Who(platform="teams", workspace_id="TEN1", conversation_id="19:channel"),
            weekday=0, at=time(9), timezone="Europe/London", seed=1,
        ),
        now=NOW,
    )  # fmt: skip
    before = counts(engine, extra_tables)

    removed = forget_user(engine, platform="teams", workspace_id="TEN1", user_id="29:alice")

    assert removed == {
        "test_cleanup_by_info": 1,
        "test_cleanup_by_name": 1,
        "journal_entries": 1,
        "nudge_deliveries": 1,
        "nudge_subscriptions": 1,
    }
    after = counts(engine, extra_tables)
    assert {name: before[name] - after[name] for name in before} == removed
    # Bob, Alice elsewhere, and the channel's own subscription are all still there.
    assert SqlSubscriptions(engine).get(
        Who(platform="teams", workspace_id="TEN1", user_id="29:bob")
    )
    assert SqlSubscriptions(engine).get(
        Who(platform="teams", workspace_id="TEN2", user_id="29:alice")
    )
    assert SqlSubscriptions(engine).get(
        Who(platform="slack", workspace_id="TEN1", user_id="29:alice")
    )
    assert SqlSubscriptions(engine).get(
        Who(platform="teams", workspace_id="TEN1", conversation_id="19:channel")
    )
    assert forget_user(engine, platform="teams", workspace_id="TEN1", user_id="29:alice") == {}


def test_forget_workspace_deletes_everything_held_for_that_workspace(engine, extra_tables):
    populate(engine, extra_tables, platform="teams", workspace="TEN1", user="29:alice")
    populate(engine, extra_tables, platform="teams", workspace="TEN1", user="29:bob")
    populate(engine, extra_tables, platform="teams", workspace="TEN2", user="29:carol")
    removed = forget_workspace(engine, platform="teams", workspace_id="TEN1")
    assert removed["nudge_subscriptions"] == 2
    assert removed["test_cleanup_by_info"] == 2
    assert counts(engine, extra_tables) == {
        "nudge_subscriptions": 1,
        "nudge_deliveries": 1,
        "journal_entries": 1,
        "test_cleanup_by_name": 1,
        "test_cleanup_by_info": 1,
    }


@pytest.mark.parametrize("missing", [{"platform": ""}, {"user_id": ""}])
def test_empty_identifiers_are_refused_so_nothing_is_swept_up_by_mistake(tmp_path, missing):
    engine = sqlite_engine(tmp_path)
    args = {"platform": "slack", "workspace_id": "T1", "user_id": "U1"} | missing
    with pytest.raises(ValueError, match="needs"):
        forget_user(engine, **args)
    engine.dispose()


def test_a_person_with_no_workspace_can_be_forgotten_and_only_they_are(tmp_path):
    # Teams activities without a tenant store workspace_id="" (issue 9, item 4).
    engine = sqlite_engine(tmp_path)
    with engine.begin() as conn:
        for workspace in ("", "TEN1"):
            conn.execute(
                insert(journal_entries).values(
                    platform="teams",
                    workspace_id=workspace,
                    user_id="29:alice",
                    created_at=datetime.now(UTC),
                    row_id="",
                    question="",
                    body="token",
                )
            )
    assert forget_user(engine, platform="teams", workspace_id="", user_id="29:alice") == {
        "journal_entries": 1
    }
    with engine.connect() as conn:
        left = conn.execute(select(journal_entries.c.workspace_id)).scalars().all()
    assert left == ["TEN1"]
    with pytest.raises(ValueError, match="needs"):
        forget_workspace(engine, platform="teams", workspace_id="")
    engine.dispose()


def test_tables_outside_the_convention_are_left_alone(tmp_path):
    from adapters.store.slack_tables import slack_installations

    engine = sqlite_engine(tmp_path)
    with engine.begin() as conn:
        conn.execute(
            insert(slack_installations).values(
                client_id="c", app_id="A", team_id="T1", user_id="U1", is_enterprise_install=False,
                installed_at=datetime(2025, 1, 1),  # noqa: DTZ001 - slack_sdk's own naive column
            )
        )  # fmt: skip
    forget_user(engine, platform="slack", workspace_id="T1", user_id="U1")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(slack_installations)).scalar() == 1
    engine.dispose()


def test_forget_user_reaches_the_slack_and_teams_tables_too(tmp_path):
    from adapters.store.slack_tables import slack_home_visits
    from adapters.store.teams_tables import teams_conversation_references as refs

    engine = sqlite_engine(tmp_path)
    with engine.begin() as conn:
        for user in ("29:alice", "29:bob"):
            conn.execute(
                insert(refs).values(
                    conversation_id=f"a:{user}", user_id=user, tenant_id="TEN1",
                    conversation_type="personal", service_url="http://127.0.0.1:9/",
                    bot_id="28:bot", reference="{}", updated_at=NOW,
                )
            )  # fmt: skip
        for user in ("UALICE", "UBOB"):
            conn.execute(
                insert(slack_home_visits).values(team_id="T1", user_id=user, first_opened_at=NOW)
            )

    assert forget_user(engine, platform="teams", workspace_id="TEN1", user_id="29:alice") == {
        "teams_conversation_references": 1
    }
    assert forget_user(engine, platform="slack", workspace_id="T1", user_id="UALICE") == {
        "slack_home_visits": 1
    }
    with engine.connect() as conn:
        assert conn.execute(select(refs.c.user_id)).scalars().all() == ["29:bob"]
        assert conn.execute(select(slack_home_visits.c.user_id)).scalars().all() == ["UBOB"]
    engine.dispose()
