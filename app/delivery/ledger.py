"""The delivery ledger's SQL, in batches: find what is due, claim it, record how it went.

The exactly-once rule lives in one constraint: ``UNIQUE (subscription_id, slot_key)`` on
``nudge_deliveries``. A pass *claims* a slot by inserting its row before sending; whoever's
insert lands owns the slot, so racing passes, two clock processes and reruns cannot both send.
A claim carries a lease: a row still ``claimed`` after its lease ran out (the pass died) or
released after transient failures is claimed again by a later pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from adapters.store.coaching import focus_by_person
from adapters.store.nudge_tables import nudge_deliveries, nudge_subscriptions
from adapters.store.repositories import subscription_from_row
from bot.content import Content
from bot.nudges import Slot, slot_owed
from bot.nudges.walk import Walk
from bot.stores import Subscription

D = nudge_deliveries.c
S = nudge_subscriptions.c
# Keeps every statement's bound parameters well under SQLite's and psycopg's limits.
_CHUNK = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class Due:
    """A subscription and the slot a pass at ``now`` owes it."""

    subscription: Subscription
    slot: Slot


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A delivery this pass now owns: send it, then record the outcome under ``token``."""

    delivery_id: int
    subscription: Subscription
    slot_key: str
    row_id: str
    prompt_index: int
    attempts: int
    # About a row in the person's focus (the nudge says so); lost if another pass takes over.
    focus: bool = False


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the write lock from its first statement.

    On SQLite a deferred transaction that reads and then writes fails outright ("database is
    locked") when another process wrote in between; ``BEGIN IMMEDIATE`` waits its turn
    instead. PostgreSQL needs nothing special: the unique index arbitrates.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def find_due(
    engine: Engine, now: datetime, *, grace: timedelta, platforms: Sequence[str]
) -> list[Due]:
    """Every active subscription on ``platforms`` with a slot owed at ``now``.

    The slot arithmetic is per subscriber's zone, so it happens here in Python; one pass over
    100,000 subscriptions takes well under a second.
    """
    query = select(nudge_subscriptions).where(S.active.is_(True), S.platform.in_(platforms))
    due: list[Due] = []
    with engine.connect() as conn:
        for row in conn.execute(query):
            sub = subscription_from_row(row)
            try:
                slot = slot_owed(sub.schedule, now, hold=sub.hold, grace=grace)
            except (ValueError, KeyError):
                continue  # a zone this machine no longer knows; the next deploy will
            if slot is not None:
                due.append(Due(subscription=sub, slot=slot))
    return due


def claim(
    engine: Engine,
    due: Sequence[Due],
    *,
    content: Content,
    token: str,
    wall_now: datetime,
    lease: timedelta,
) -> list[Claim]:
    """Claim every slot in ``due`` that nobody has sent or is sending; return what we own.

    New slots are inserted (``ON CONFLICT DO NOTHING``: the loser of a race gets nothing back)
    and their subscriptions' prompt walk moves on in the same transaction, so a rerun sends
    the prompt already chosen. Slots whose claim lapsed are taken over with a conditional
    ``UPDATE``, which two passes cannot both win either.
    """
    if not due:
        return []
    by_key = {(d.subscription.id, d.slot.key): d for d in due}
    claims: list[Claim] = []
    lease_until = wall_now + lease
    with write_transaction(engine) as conn:
        existing = _existing(conn, list(by_key))
        fresh = [d for key, d in by_key.items() if key not in existing]
        lapsed = [
            row_id
            for row_id, status, held_until in existing.values()
            if status == "claimed" and (held_until is None or held_until < wall_now)
        ]
        claims += _insert_fresh(
            conn, fresh, content=content, token=token, wall_now=wall_now, lease_until=lease_until
        )
        claims += _take_over(
            conn, lapsed, by_key=by_key, token=token, wall_now=wall_now, lease_until=lease_until
        )
    return claims


def _existing(
    conn: Connection, keys: list[tuple[int, str]]
) -> dict[tuple[int, str], tuple[int, str, datetime | None]]:
    found: dict[tuple[int, str], tuple[int, str, datetime | None]] = {}
    wanted = set(keys)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        # Two plain IN lists use the (subscription_id, slot_key) index on every backend;
        # a row-value IN does not on SQLite. The few extra pairs are dropped below.
        rows = conn.execute(
            select(D.id, D.subscription_id, D.slot_key, D.status, D.lease_until).where(
                D.subscription_id.in_({sub_id for sub_id, _ in chunk}),
                D.slot_key.in_({slot_key for _, slot_key in chunk}),
            )
        )
        for row in rows:
            key = (row.subscription_id, row.slot_key)
            if key in wanted:
                found[key] = (row.id, row.status, row.lease_until)
    return found


def _insert_fresh(
    conn: Connection,
    fresh: list[Due],
    *,
    content: Content,
    token: str,
    wall_now: datetime,
    lease_until: datetime,
) -> list[Claim]:
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    # One cached statement run with many parameter sets ("insertmanyvalues"): compiling a
    # 500-row VALUES clause afresh for every batch costs more than the insert itself.
    statement = (
        insert(nudge_deliveries)
        .on_conflict_do_nothing(index_elements=["subscription_id", "slot_key"])
        .returning(D.id, D.subscription_id, D.slot_key)
    )
    walk = Walk.of(content)
    claims: list[Claim] = []
    for start in range(0, len(fresh), _CHUNK):
        chunk = fresh[start : start + _CHUNK]
        focus = focus_by_person(conn, [d.subscription.target for d in chunk])
        picks = {
            d.subscription.id: walk.pick(
                d.subscription.seed, d.subscription.position, focus=focus.get(_person(d), ())
            )
            for d in chunk
        }
        values = [
            {
                "subscription_id": d.subscription.id,
                "platform": d.subscription.target.platform,
                "workspace_id": d.subscription.target.workspace_id,
                "user_id": d.subscription.target.user_id,
                "slot_key": d.slot.key,
                "due_at": d.slot.due,
                "row_id": picks[d.subscription.id].row_id,
                "prompt_index": picks[d.subscription.id].prompt_index,
                "status": "claimed",
                "claim_token": token,
                "lease_until": lease_until,
                "attempts": 0,
                "last_error": "",
                "message_ref": "",
                "created_at": wall_now,
            }
            for d in chunk
        ]
        won = conn.execute(statement, values).all()
        if not won:
            continue
        winners = {row.subscription_id for row in won}
        for start_w in range(0, len(winners), _CHUNK):
            ids = sorted(winners)[start_w : start_w + _CHUNK]
            conn.execute(
                update(nudge_subscriptions).where(S.id.in_(ids)).values(position=S.position + 1)
            )
        subs = {d.subscription.id: d.subscription for d in chunk}
        claims += [
            Claim(
                delivery_id=row.id,
                subscription=subs[row.subscription_id],
                slot_key=row.slot_key,
                row_id=picks[row.subscription_id].row_id,
                prompt_index=picks[row.subscription_id].prompt_index,
                attempts=0,
                focus=picks[row.subscription_id].focus,
            )
            for row in won
        ]
    return claims


def _person(due: Due) -> tuple[str, str, str]:
    target = due.subscription.target
    return (str(target.platform), target.workspace_id, target.user_id)


def _take_over(
    conn: Connection,
    lapsed: list[int],
    *,
    by_key: dict[tuple[int, str], Due],
    token: str,
    wall_now: datetime,
    lease_until: datetime,
) -> list[Claim]:
    claims: list[Claim] = []
    for start in range(0, len(lapsed), _CHUNK):
        ids = lapsed[start : start + _CHUNK]
        rows = conn.execute(
            update(nudge_deliveries)
            .where(
                D.id.in_(ids),
                D.status == "claimed",
                or_(D.lease_until.is_(None), D.lease_until < wall_now),
            )
            .values(claim_token=token, lease_until=lease_until)
            .returning(D.id, D.subscription_id, D.slot_key, D.row_id, D.prompt_index, D.attempts)
        ).all()
        claims += [
            Claim(
                delivery_id=row.id,
                subscription=by_key[(row.subscription_id, row.slot_key)].subscription,
                slot_key=row.slot_key,
                row_id=row.row_id,
                prompt_index=row.prompt_index,
                attempts=row.attempts,
            )
            for row in rows
        ]
    return claims


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """How one claimed delivery ended in this pass."""

    delivery_id: int
    subscription_id: int
    status: str  # "sent", "failed" (permanent) or "owed" (transient, retried next pass)
    attempts: int
    message_ref: str = ""
    detail: str = ""


def record(engine: Engine, outcomes: Sequence[Outcome], *, token: str, wall_now: datetime) -> int:
    """Write a batch of outcomes under this pass's claim ``token``; return rows updated.

    A row whose claim was taken over (our lease ran out) is left to its new owner.
    """
    if not outcomes:
        return 0
    mine = and_(D.id == bindparam("b_id"), D.claim_token == token, D.status == "claimed")
    updated = 0
    sent = [o for o in outcomes if o.status == "sent"]
    failed = [o for o in outcomes if o.status == "failed"]
    owed = [o for o in outcomes if o.status == "owed"]
    with write_transaction(engine) as conn:
        if sent:
            updated += _many(
                conn,
                update(nudge_deliveries)
                .where(mine)
                .values(
                    status="sent",
                    message_ref=bindparam("b_ref"),
                    sent_at=wall_now,
                    lease_until=None,
                    attempts=bindparam("b_attempts"),
                ),
                [
                    {"b_id": o.delivery_id, "b_ref": o.message_ref[:128], "b_attempts": o.attempts}
                    for o in sent
                ],
            )
        for status, batch in (("failed", failed), ("claimed", owed)):
            if not batch:
                continue
            updated += _many(
                conn,
                update(nudge_deliveries)
                .where(mine)
                .values(
                    status=status,
                    lease_until=None,
                    attempts=bindparam("b_attempts"),
                    last_error=bindparam("b_error"),
                ),
                [
                    {"b_id": o.delivery_id, "b_attempts": o.attempts, "b_error": o.detail[:200]}
                    for o in batch
                ],
            )
        if failed:
            # A permanent failure (user gone, app uninstalled, blocked) stops that
            # subscription only; everything else carries on.
            _many(
                conn,
                update(nudge_subscriptions)
                .where(S.id == bindparam("b_sub"))
                .values(active=False, stopped_reason=bindparam("b_reason"), updated_at=wall_now),
                [{"b_sub": o.subscription_id, "b_reason": o.detail[:200]} for o in failed],
            )
    return updated


def _many(conn: Connection, statement: Any, params: list[dict[str, Any]]) -> int:
    result = conn.execute(statement, params)
    return int(result.rowcount or 0)
