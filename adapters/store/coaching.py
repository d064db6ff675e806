"""Assessments and focus in ``coaching_assessments`` and ``coaching_focus``, encrypted.

Implements :class:`bot.coaching.records.CoachingStore`. Ratings and focus rows are encrypted
with ``COACH_DATA_KEY`` on their way in and decrypted on their way out; they never appear in
a log line. Without a key nothing is written (``writable`` is False), as for the journal.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    delete,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError

from adapters.store.coaching_tables import coaching_assessments, coaching_focus
from adapters.store.crypto import ENV_VAR, Cipher
from adapters.store.owners import owner_is, owner_values
from bot.coaching.records import MAX_FOCUS, Assessment, check_rating
from bot.identity import Who

A = coaching_assessments.c
F = coaching_focus.c
# Optimistic writes retry this often before giving up; two forms at once need one retry.
_ATTEMPTS = 8


class SqlCoaching:
    """Implements :class:`bot.coaching.records.CoachingStore` on one engine."""

    def __init__(self, engine: Engine, cipher: Cipher | None) -> None:
        self._engine = engine
        self._cipher = cipher

    @property
    def writable(self) -> bool:
        """False without an encryption key: ratings are never stored in plain text."""
        return self._cipher is not None

    def assessments(self, owner: Who) -> tuple[Assessment, ...]:
        """Every assessment of ``owner``, oldest first, the unfinished one (if any) last."""
        query = (
            select(coaching_assessments)
            .where(owner_is(A, owner))
            .order_by(A.finished_at.is_(None), A.started_at, A.id)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return tuple(self._assessment(row) for row in rows)

    def focus(self, owner: Who) -> tuple[str, ...]:
        """The row ids ``owner`` chose, in their order; () when none or unreadable."""
        with self._engine.connect() as conn:
            token = conn.execute(select(F.rows).where(owner_is(F, owner))).scalar()
        if token is None or self._cipher is None:
            return ()
        plain = self._cipher.decrypt(token)
        if plain is None:
            return ()
        return tuple(str(r) for r in json.loads(plain))[:MAX_FOCUS]

    def start_assessment(self, owner: Who, *, now: datetime) -> Assessment:
        """``owner``'s unfinished assessment, or a new one started ``now``."""
        cipher = self._need_cipher()
        for _ in range(_ATTEMPTS):
            existing = self._unfinished(owner)
            if existing is not None:
                return self._assessment(existing)
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        insert(coaching_assessments).values(
                            **owner_values(owner),
                            started_at=now,
                            updated_at=now,
                            unfinished=True,
                            version=0,
                            ratings=cipher.encrypt(_encode(())),
                        )
                    )
            except IntegrityError:
                continue  # started by a second request a moment ago: use theirs
        found = self._unfinished(owner)
        if found is None:  # pragma: no cover - only if finished between the statements
            raise RuntimeError("assessment vanished while being started")
        return self._assessment(found)

    def rate(
        self,
        owner: Who,
        assessment_id: int,
        ratings: Mapping[str, int | None],
        *,
        now: datetime,
    ) -> Assessment | None:
        """Merge ``ratings`` into the unfinished assessment; ``None`` if it is not unfinished."""
        cipher = self._need_cipher()
        checked = {str(row): check_rating(value) for row, value in ratings.items()}
        for _ in range(_ATTEMPTS):
            row = self._unfinished(owner, assessment_id)
            if row is None:
                return None
            merged = dict(self._ratings(row.ratings))
            merged.update(checked)
            with self._engine.begin() as conn:
                changed = conn.execute(
                    update(coaching_assessments)
                    .where(A.id == row.id, A.version == row.version, A.unfinished.is_(True))
                    .values(
                        ratings=cipher.encrypt(_encode(tuple(merged.items()))),
                        version=row.version + 1,
                        updated_at=now,
                    )
                ).rowcount
            if changed:
                return Assessment(
                    id=row.id,
                    started=row.started_at,
                    finished=None,
                    ratings=tuple(merged.items()),
                )
        raise RuntimeError("assessment kept changing while being rated")

    def finish_assessment(
        self, owner: Who, assessment_id: int, *, now: datetime
    ) -> Assessment | None:
        """Mark it finished ``now``; ``None`` when ``owner`` had no such unfinished one."""
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(coaching_assessments)
                .where(owner_is(A, owner), A.id == assessment_id, A.unfinished.is_(True))
                .values(unfinished=None, finished_at=now, updated_at=now, version=A.version + 1)
            ).rowcount
            if not changed:
                return None
            row = conn.execute(select(coaching_assessments).where(A.id == assessment_id)).one()
        return self._assessment(row)

    def set_focus(self, owner: Who, row_ids: Sequence[str], *, now: datetime) -> tuple[str, ...]:
        """Replace ``owner``'s focus with ``row_ids``; return it as stored."""
        cipher = self._need_cipher()
        rows = tuple(dict.fromkeys(str(r) for r in row_ids))
        if len(rows) > MAX_FOCUS:
            raise ValueError(f"a focus has at most {MAX_FOCUS} rows")
        token = cipher.encrypt(json.dumps(list(rows)))
        for _ in range(2):
            with self._engine.begin() as conn:
                updated = conn.execute(
                    update(coaching_focus)
                    .where(owner_is(F, owner))
                    .values(rows=token, updated_at=now)
                ).rowcount
            if updated:
                return rows
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        insert(coaching_focus).values(
                            **owner_values(owner), rows=token, updated_at=now
                        )
                    )
                return rows
            except IntegrityError:
                continue  # inserted by a second request a moment ago: update it instead
        raise RuntimeError("focus could not be saved")  # pragma: no cover

    def clear_focus(self, owner: Who) -> bool:
        """Remove ``owner``'s focus; return whether there was one."""
        with self._engine.begin() as conn:
            return bool(conn.execute(delete(coaching_focus).where(owner_is(F, owner))).rowcount)

    def _need_cipher(self) -> Cipher:
        if self._cipher is None:
            raise RuntimeError("no COACH_DATA_KEY: refusing to store an assessment or focus")
        return self._cipher

    def _unfinished(self, owner: Who, assessment_id: int | None = None) -> Row[Any] | None:
        query = select(coaching_assessments).where(owner_is(A, owner), A.unfinished.is_(True))
        if assessment_id is not None:
            query = query.where(A.id == assessment_id)
        with self._engine.connect() as conn:
            return conn.execute(query).first()

    def _ratings(self, token: str) -> tuple[tuple[str, int | None], ...]:
        plain = self._cipher.decrypt(token) if self._cipher else None
        if plain is None:
            return ()
        return tuple((str(row), value) for row, value in json.loads(plain))

    def _assessment(self, row: Row[Any]) -> Assessment:
        return Assessment(
            id=row.id,
            started=row.started_at,
            finished=row.finished_at,
            ratings=self._ratings(row.ratings),
        )


def focus_by_person(
    conn: Connection, people: Sequence[Who], *, cipher: Cipher | None = None
) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """The focus of each of ``people`` that has one, keyed by (platform, workspace, user).

    For the delivery pass, which picks thousands of prompts in one transaction. ``cipher``
    defaults to ``COACH_DATA_KEY``'s; without a key nobody has a readable focus.
    """
    keys = {(str(p.platform), p.workspace_id, p.user_id) for p in people if p.user_id}
    cipher = cipher or _env_cipher(os.environ.get(ENV_VAR, ""))
    if not keys or cipher is None:
        return {}
    query = select(F.platform, F.workspace_id, F.user_id, F.rows).where(
        tuple_(F.platform, F.workspace_id, F.user_id).in_(sorted(keys))
    )
    found: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for row in conn.execute(query):
        plain = cipher.decrypt(row.rows)
        if plain is not None:
            found[(row.platform, row.workspace_id, row.user_id)] = tuple(json.loads(plain))
    return found


@lru_cache(maxsize=4)
def _env_cipher(keys: str) -> Cipher | None:
    # Cached by the variable's value: a pass reads it once per chunk, and tests change it.
    return Cipher.from_env({ENV_VAR: keys})


def _encode(ratings: tuple[tuple[str, int | None], ...]) -> str:
    # Pairs, not an object: the order rows were answered in is kept.
    return json.dumps([[row, value] for row, value in ratings])


def rotate_coaching(engine: Engine, cipher: Cipher) -> tuple[int, int]:
    """Re-encrypt every assessment and focus under the first key; return (rotated, unreadable)."""
    rotated = unreadable = 0
    for table, column in ((coaching_assessments, "ratings"), (coaching_focus, "rows")):
        with engine.begin() as conn:
            for row in conn.execute(select(table.c.id, table.c[column])).all():
                token = cipher.rotate(row[1])
                if token is None:
                    unreadable += 1
                    continue
                conn.execute(update(table).where(table.c.id == row.id).values({column: token}))
                rotated += 1
    return rotated, unreadable
