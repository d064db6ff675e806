"""SQLAlchemy implementations of the storage Protocols in :mod:`bot.stores`.

Synchronous, like the engine; async callers use ``asyncio.to_thread``. Journal text is
encrypted here, on its way in, and decrypted on its way out; it never appears in a log line.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.store.cleanup import forget_user
from adapters.store.coaching import SqlCoaching
from adapters.store.crypto import Cipher
from adapters.store.feedback import SqlFeedback
from adapters.store.held import SqlHeld
from adapters.store.nudge_tables import journal_entries, nudge_deliveries, nudge_subscriptions
from adapters.store.owners import owner_is, owner_values
from bot.identity import Platform, Who
from bot.stores import JournalEntry, SentNudge, Stores, Subscription

S = nudge_subscriptions.c


def subscription_from_row(row: Row[Any]) -> Subscription:
    """A :class:`Subscription` from a ``nudge_subscriptions`` row."""
    m = row._mapping
    return Subscription(
        id=m["id"],
        target=Who(
            platform=Platform(m["platform"]),
            workspace_id=m["workspace_id"],
            user_id=m["user_id"],
            conversation_id=m["conversation_id"],
        ),
        weekday=m["weekday"],
        at=time(m["hour"], m["minute"]),
        timezone=m["timezone"],
        active=m["active"],
        paused_until=m["paused_until"],
        skip_key=m["skip_key"],
        holiday_region=m["holiday_region"],
        seed=m["seed"],
        position=m["position"],
        stopped_reason=m["stopped_reason"],
    )


def _target_is(target: Who) -> list[Any]:
    return [
        S.platform == target.platform,
        S.workspace_id == target.workspace_id,
        S.user_id == target.user_id,
        S.conversation_id == target.conversation_id,
    ]


class SqlSubscriptions:
    """Subscriptions in ``nudge_subscriptions``, one row per target."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, target: Who) -> Subscription | None:
        """The subscription for ``target``, active or not."""
        with self._engine.connect() as conn:
            row = conn.execute(select(nudge_subscriptions).where(*_target_is(target))).first()
        return subscription_from_row(row) if row else None

    def put(self, subscription: Subscription, *, now: datetime) -> Subscription:
        """Insert or update the subscription for its target; return it as stored."""
        values = _settings(subscription, now=now)
        target = subscription.target
        for _ in range(2):
            with self._engine.begin() as conn:
                updated = conn.execute(
                    update(nudge_subscriptions).where(*_target_is(target)).values(**values)
                ).rowcount
            if updated:
                break
            try:
                with self._engine.begin() as conn:
                    conn.execute(insert(nudge_subscriptions).values(**_new_row(subscription, now)))
                break
            except IntegrityError:
                continue  # inserted by someone else a moment ago: update theirs instead
        stored = self.get(target)
        if stored is None:  # pragma: no cover - only if deleted between the two statements
            raise RuntimeError("subscription vanished while being saved")
        return stored

    def add_many(self, subscriptions: Iterable[Subscription], *, now: datetime) -> None:
        """Insert many new subscriptions in batches (imports, load tests, benchmarks).

        Unlike :meth:`put` this does not update existing ones: a target already subscribed
        makes the whole batch fail with ``IntegrityError``.
        """
        rows = [_new_row(s, now) for s in subscriptions]
        with self._engine.begin() as conn:
            for start in range(0, len(rows), 1000):
                conn.execute(insert(nudge_subscriptions), rows[start : start + 1000])

    def advance(self, subscription_id: int) -> int:
        """Move the prompt walk on by one; return the position before the move."""
        with self._engine.begin() as conn:
            position = conn.execute(
                update(nudge_subscriptions)
                .where(S.id == subscription_id)
                .values(position=S.position + 1)
                .returning(S.position)
            ).scalar_one()
        return int(position) - 1


class SqlJournal:
    """Reflections in ``journal_entries``, encrypted with ``COACH_DATA_KEY``."""

    def __init__(self, engine: Engine, cipher: Cipher | None) -> None:
        self._engine = engine
        self._cipher = cipher

    @property
    def writable(self) -> bool:
        """False without an encryption key: reflections are never stored in plain text."""
        return self._cipher is not None

    def add(
        self, owner: Who, *, text: str, row_id: str, question: str, now: datetime
    ) -> JournalEntry:
        """Encrypt and store a reflection for ``owner``."""
        if self._cipher is None:
            raise RuntimeError("no COACH_DATA_KEY: refusing to store a reflection")
        with self._engine.begin() as conn:
            entry_id = conn.execute(
                insert(journal_entries)
                .values(
                    **owner_values(owner),
                    created_at=now,
                    row_id=row_id,
                    question=question,
                    body=self._cipher.encrypt(text),
                )
                .returning(journal_entries.c.id)
            ).scalar_one()
        return JournalEntry(
            id=entry_id, created_at=now, text=text, row_id=row_id, question=question
        )

    def latest(self, owner: Who, *, limit: int) -> tuple[JournalEntry, ...]:
        """``owner``'s newest entries, newest first."""
        return self._query(owner, newest_first=True, limit=limit)

    def everything(self, owner: Who) -> tuple[JournalEntry, ...]:
        """All of ``owner``'s entries, oldest first."""
        return self._query(owner, newest_first=False, limit=None)

    def _query(
        self, owner: Who, *, newest_first: bool, limit: int | None
    ) -> tuple[JournalEntry, ...]:
        j = journal_entries.c
        order = (j.created_at.desc(), j.id.desc()) if newest_first else (j.created_at, j.id)
        query = select(journal_entries).where(owner_is(j, owner)).order_by(*order).limit(limit)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return tuple(
            JournalEntry(
                id=r.id,
                created_at=r.created_at,
                text=self._cipher.decrypt(r.body) if self._cipher else None,
                row_id=r.row_id,
                question=r.question,
            )
            for r in rows
        )


class SqlDeliveries:
    """The delivery ledger, as the commands see it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find_sent(self, *, platform: str, workspace_id: str, message_ref: str) -> SentNudge | None:
        """The nudge posted as ``message_ref`` in that workspace, if there is one."""
        if not message_ref:
            return None
        d = nudge_deliveries.c
        query = (
            select(nudge_subscriptions, d.id.label("delivery_id"), d.row_id, d.prompt_index)
            .join(nudge_deliveries, d.subscription_id == S.id)
            .where(
                d.platform == platform,
                d.workspace_id == workspace_id,
                d.message_ref == message_ref,
                d.status == "sent",
            )
            .limit(1)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return SentNudge(
            delivery_id=row.delivery_id,
            subscription=subscription_from_row(row),
            row_id=row.row_id,
            prompt_index=row.prompt_index,
        )


class SqlForget:
    """``forget me``: every table, found by its column names (see :mod:`cleanup`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def forget_user(self, owner: Who) -> int:
        """Delete every row about ``owner``; return how many went."""
        counts = forget_user(
            self._engine,
            platform=owner.platform,
            workspace_id=owner.workspace_id,
            user_id=owner.user_id,
        )
        return sum(counts.values())


def sql_stores(engine: Engine, *, cipher: Cipher | None) -> Stores:
    """Every store the stateful commands need, on one engine."""
    return Stores(
        subscriptions=SqlSubscriptions(engine),
        journal=SqlJournal(engine, cipher),
        deliveries=SqlDeliveries(engine),
        forget=SqlForget(engine),
        held=SqlHeld(engine, cipher),
        coaching=SqlCoaching(engine, cipher),
        feedback=SqlFeedback(engine),
    )


def rotate_journal(engine: Engine, cipher: Cipher, *, batch: int = 500) -> tuple[int, int]:
    """Re-encrypt every journal entry under the first key; return (rotated, unreadable).

    Run after putting a new key first in ``COACH_DATA_KEY``; then the old keys can go.
    """
    j = journal_entries.c
    rotated = unreadable = 0
    last_id = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                select(j.id, j.body).where(j.id > last_id).order_by(j.id).limit(batch)
            ).all()
            if not rows:
                return rotated, unreadable
            for row in rows:
                token = cipher.rotate(row.body)
                if token is None:
                    unreadable += 1
                    continue
                conn.execute(update(journal_entries).where(j.id == row.id).values(body=token))
                rotated += 1
            last_id = rows[-1].id


def _settings(subscription: Subscription, *, now: datetime) -> dict[str, object]:
    """The columns a person can change, as stored."""
    return {
        "weekday": subscription.weekday,
        "hour": subscription.at.hour,
        "minute": subscription.at.minute,
        "timezone": subscription.timezone,
        "active": subscription.active,
        "paused_until": subscription.paused_until,
        "skip_key": subscription.skip_key,
        "holiday_region": subscription.holiday_region,
        "stopped_reason": subscription.stopped_reason,
        "updated_at": now,
    }


def _new_row(subscription: Subscription, now: datetime) -> dict[str, object]:
    """Every column of a new subscription's row."""
    target = subscription.target
    return {
        "platform": target.platform,
        "workspace_id": target.workspace_id,
        "user_id": target.user_id,
        "conversation_id": target.conversation_id,
        "seed": subscription.seed,
        "position": subscription.position,
        "created_at": now,
        **_settings(subscription, now=now),
    }
