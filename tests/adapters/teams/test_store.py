"""References and activity claims on SQLite and on PostgreSQL (when one runs locally)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from microsoft_agents.activity import Activity
from sqlalchemy import Engine, delete

from adapters.store.teams_tables import teams_conversation_references, teams_seen_activities
from adapters.teams.dedupe import KEEP_FOR, SeenActivities, activity_key
from adapters.teams.references import ReferenceStore
from bot.identity import Who
from tests.adapters.teams.harness import payload


def _unique_activity(name: str) -> Activity:
    """A recorded activity with ids of its own, so runs sharing a database never collide."""
    tag = uuid.uuid4().hex
    body = payload(name, service_url="https://smba.trafficmanager.net/uk/")
    body["id"] = f"m-{tag}"
    body["conversation"]["id"] = f"a:{tag}"
    body["conversation"]["tenantId"] = f"t-{tag}"
    body["channelData"]["tenant"]["id"] = f"t-{tag}"
    body["from"]["id"] = f"29:{tag}"
    return Activity.model_validate(body)


def test_references_round_trip(engine: Engine) -> None:
    store = ReferenceStore(engine)
    activity = _unique_activity("personal_message")
    recipient = Who(
        platform="teams",
        workspace_id=activity.conversation.tenant_id or "",
        user_id=activity.from_property.id,
    )
    try:
        store.save(activity)
        store.save(activity)  # a refresh updates the one row
        found = store.find(recipient)
        assert found is not None
        assert found.conversation_id == activity.conversation.id
        assert found.reference.service_url == activity.service_url
        assert found.reference.user is not None
        assert found.reference.user.name is None
        assert found.unreachable_at is None

        store.mark_unreachable(conversation_id=found.conversation_id, user_id=found.user_id)
        marked = store.find(recipient)
        assert marked is not None
        assert marked.unreachable_at is not None
        assert marked.unreachable_at.tzinfo is not None

        assert store.forget(activity) == 1
        assert store.find(recipient) is None
    finally:
        with engine.begin() as conn:
            conn.execute(
                delete(teams_conversation_references).where(
                    teams_conversation_references.c.conversation_id == activity.conversation.id
                )
            )


def test_claims_are_exclusive_and_pruned(engine: Engine) -> None:
    seen = SeenActivities(engine)
    tag = uuid.uuid4().hex
    key = activity_key(channel_id="msteams", conversation_id=f"a:{tag}", activity_id="1")
    old = activity_key(channel_id="msteams", conversation_id=f"a:{tag}", activity_id="0")
    now = datetime.now(UTC)
    try:
        assert seen.claim(key, now=now)
        assert not SeenActivities(engine).claim(key, now=now)  # another process
        seen.release(key)
        assert seen.claim(key, now=now)

        assert seen.claim(old, now=now - KEEP_FOR - timedelta(minutes=1))
        seen.prune(now=now)
        assert seen.claim(old, now=now)  # the stale claim was gone
        assert not seen.claim(key, now=now)  # the fresh one was kept
    finally:
        with engine.begin() as conn:
            conn.execute(
                delete(teams_seen_activities).where(teams_seen_activities.c.key.in_([key, old]))
            )


def test_a_claim_inside_a_transaction_is_exclusive(engine: Engine) -> None:
    # The turn's own path (claim_in, ON CONFLICT DO NOTHING): on PostgreSQL the insert reports
    # no row count, and a retry was once taken for a first delivery.
    tag = uuid.uuid4().hex
    key = activity_key(channel_id="msteams", conversation_id=f"a:{tag}", activity_id="1")
    now = datetime.now(UTC)
    try:
        with engine.begin() as conn:
            assert SeenActivities(engine).claim_in(conn, key, now=now)
        with engine.begin() as conn:
            assert not SeenActivities(engine).claim_in(conn, key, now=now)  # another process
    finally:
        with engine.begin() as conn:
            conn.execute(delete(teams_seen_activities).where(teams_seen_activities.c.key == key))
