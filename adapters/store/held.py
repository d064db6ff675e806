"""Held reflections in ``held_reflections``, encrypted with ``COACH_DATA_KEY``.

Key rotation (``rotate_journal``) leaves them alone: they live for half an hour, and one that
can no longer be decrypted reads as expired, so the person is asked to send it again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, insert, select

from adapters.store.crypto import Cipher
from adapters.store.held_tables import held_reflections
from adapters.store.owners import owner_is, owner_values
from bot.identity import Who
from bot.safety.held import HOLD_FOR, Held

H = held_reflections.c


class SqlHeld:
    """Implements :class:`bot.safety.held.HeldStore`."""

    def __init__(self, engine: Engine, cipher: Cipher | None) -> None:
        self._engine = engine
        self._cipher = cipher

    def hold(self, owner: Who, *, text: str, row_id: str, question: str, now: datetime) -> Held:
        """Hold ``text`` for ``owner``, replacing whatever they had held (and any expired)."""
        if self._cipher is None:
            raise RuntimeError("no COACH_DATA_KEY: refusing to hold a reflection")
        expires_at = now + HOLD_FOR
        with self._engine.begin() as conn:
            conn.execute(delete(held_reflections).where(owner_is(H, owner)))
            conn.execute(delete(held_reflections).where(H.expires_at <= now))
            held_id = conn.execute(
                insert(held_reflections)
                .values(
                    **owner_values(owner),
                    row_id=row_id,
                    question=question,
                    body=self._cipher.encrypt(text),
                    expires_at=expires_at,
                )
                .returning(H.id)
            ).scalar_one()
        return Held(id=held_id, text=text, row_id=row_id, question=question, expires_at=expires_at)

    def get(self, owner: Who, held_id: int, *, now: datetime) -> Held | None:
        """The held reflection, only for its owner, only before it expires."""
        query = select(held_reflections).where(owner_is(H, owner), H.id == held_id)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or row.expires_at <= now or self._cipher is None:
            return None
        text = self._cipher.decrypt(row.body)
        if text is None:
            return None
        return Held(
            id=row.id,
            text=text,
            row_id=row.row_id,
            question=row.question,
            expires_at=row.expires_at,
        )

    def drop(self, owner: Who) -> None:
        """Delete ``owner``'s held reflection, if any."""
        with self._engine.begin() as conn:
            conn.execute(delete(held_reflections).where(owner_is(H, owner)))
