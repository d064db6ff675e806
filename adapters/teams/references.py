"""Conversation references: where to send a proactive Teams message, kept in the database.

Every incoming activity saves or refreshes its sender's reference (service URL, tenant,
conversation), so that the nudge clock, in this process or another, can reach them later.
Uninstalling deletes the conversation's references; a 403 from Teams marks one unreachable.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microsoft_agents.activity import Activity, ConversationReference
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from adapters.store.teams_tables import teams_conversation_references as refs
from adapters.teams import translate
from adapters.teams.reference_rows import COMPARED, Saved, Seen, row_of, upsert, utc
from bot.identity import Who

# What was last saved per (conversation, person), so that an unchanged reference (most
# messages) costs no write. Bounded: the least recently seen go first. An entry also goes
# stale after a while, because another process may have changed the row meanwhile (marked it
# unreachable after a 403, deleted it on uninstall): a stale entry is simply written again.
CACHE_SIZE = 10_000
CACHE_SECONDS = 300.0

# A channel message's conversation id names its thread ("19:…@thread.tacv2;messageid=…");
# a proactive channel message must start a new thread, so references keep the channel part.
_THREAD_MARK = ";messageid="
# Built once: every turn reads its sender's row, and building the query cost more than running it.
_SEEN = select(refs.c.updated_at, refs.c.unreachable_at).where(
    refs.c.conversation_id == bindparam("conversation_id"), refs.c.user_id == bindparam("user_id")
)


def channel_root(conversation_id: str) -> str:
    """The conversation id of the channel itself, without the thread suffix."""
    return conversation_id.split(_THREAD_MARK, 1)[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredReference:
    """One stored address: enough to send to this person in this conversation."""

    conversation_id: str
    user_id: str
    tenant_id: str
    conversation_type: str
    team_id: str | None
    service_url: str
    bot_id: str
    reference: ConversationReference
    unreachable_at: datetime | None


def reference_of(activity: Activity) -> ConversationReference:
    """The activity's conversation reference, trimmed for storage.

    The activity id goes (a proactive message answers nothing), as does the user's display
    name (not needed to send, so not kept).
    """
    reference = activity.get_conversation_reference()
    reference.activity_id = None
    reference.conversation = reference.conversation.model_copy(
        update={"id": channel_root(reference.conversation.id)}
    )
    if reference.user is not None:
        reference.user = reference.user.model_copy(update={"name": None})
    return reference


class ReferenceStore:
    """Conversation references in ``teams_conversation_references``.

    Methods are synchronous (SQLAlchemy Core); async callers run them in a worker thread.
    """

    def __init__(self, engine: Engine, *, clock: Any = time.monotonic) -> None:
        self._engine = engine
        self._clock = clock
        self._saved: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()
        # Turns save from the coach's worker threads: the cache is shared between them.
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The database the references live in."""
        return self._engine

    def save(self, activity: Activity, *, now: datetime | None = None) -> None:
        """Save or refresh the sender's reference from any incoming activity."""
        with self._engine.begin() as conn:
            saved = self.save_in(conn, activity, now=now, force=True)
        if saved is not None:
            self.remember(saved)

    def save_in(
        self, conn: Connection, activity: Activity, *, now: datetime | None, force: bool = False
    ) -> Saved | None:
        """Upsert the sender's reference on ``conn`` unless it is what this process last saved.

        ``force`` writes even so (to move ``updated_at``, which rule 3 of
        :mod:`adapters.teams.reflections` reads). Returns what to :meth:`remember` once the
        transaction commits, or None when nothing was written.
        """
        user_id = translate.user_id_of(activity)
        if not user_id or activity.conversation is None or not activity.service_url:
            return None
        reference = reference_of(activity)
        row = row_of(
            tenant_id=translate.tenant_of(activity),
            conversation_type=translate.conversation_type_of(activity),
            team_id=translate.team_of(activity),
            reference=reference,
            now=now,
        )
        key = (reference.conversation.id, user_id)
        digest = hashlib.sha256(
            "\x1f".join(str(row[c]) for c in COMPARED).encode("utf-8")
        ).hexdigest()
        if not force and self._unchanged(key, digest):
            return None
        upsert(conn, conversation_id=key[0], user_id=key[1], row=row)
        return Saved(key=key, digest=digest)

    def remember(self, saved: Saved) -> None:
        """Note a committed save, so the same reference is not written again for a while."""
        with self._lock:
            self._saved[saved.key] = (saved.digest, self._clock())
            self._saved.move_to_end(saved.key)
            while len(self._saved) > CACHE_SIZE:
                self._saved.popitem(last=False)

    def drop_cached(self) -> None:
        """Forget what was saved (after "forget me" deleted rows): the next turn writes again."""
        with self._lock:
            self._saved.clear()

    def _unchanged(self, key: tuple[str, str], digest: str) -> bool:
        with self._lock:
            cached = self._saved.get(key)
            if cached is None or cached[0] != digest:
                return False
            if self._clock() - cached[1] > CACHE_SECONDS:
                del self._saved[key]
                return False
            self._saved.move_to_end(key)
            return True

    def seen_in(self, conn: Connection, *, conversation_id: str, user_id: str) -> Seen:
        """When this person last wrote here, and whether the row is marked unreachable."""
        key = {"conversation_id": channel_root(conversation_id), "user_id": user_id}
        found = conn.execute(_SEEN, key).first()
        if found is None:
            return Seen(last_seen=None, unreachable=False)
        return Seen(last_seen=utc(found[0]), unreachable=found[1] is not None)

    def put(
        self,
        *,
        conversation_id: str,
        user_id: str,
        tenant_id: str,
        conversation_type: str,
        team_id: str | None,
        reference: ConversationReference,
        now: datetime | None = None,
    ) -> None:
        """Insert or replace one reference; a fresh reference is reachable again."""
        row = row_of(
            tenant_id=tenant_id,
            conversation_type=conversation_type,
            team_id=team_id,
            reference=reference,
            now=now,
        )
        key = and_(refs.c.conversation_id == conversation_id, refs.c.user_id == user_id)
        # Update first: after the first message every later one is an update. Two processes
        # inserting the same new row at once is the rare case the IntegrityError retry covers.
        for _ in range(2):
            try:
                with self._engine.begin() as conn:
                    if conn.execute(update(refs).where(key).values(**row)).rowcount:
                        return
                    conn.execute(
                        insert(refs).values(conversation_id=conversation_id, user_id=user_id, **row)
                    )
                    return
            except IntegrityError:
                continue

    def forget(self, activity: Activity) -> int:
        """Delete every reference of the conversation (and of its team): the app was removed."""
        if activity.conversation is None:
            return 0
        conversation_id = channel_root(activity.conversation.id)
        condition = refs.c.conversation_id == conversation_id
        team_id = translate.team_of(activity)
        if team_id:
            condition = or_(condition, refs.c.team_id == team_id)
        with self._engine.begin() as conn:
            removed = int(conn.execute(delete(refs).where(condition)).rowcount or 0)
        self.drop_cached()  # rare: a reinstall must write its reference again at once
        return removed

    def find(self, recipient: Who) -> StoredReference | None:
        """The reference to send to ``recipient``.

        A recipient with a ``conversation_id`` (a channel subscription, a known chat) gets that
        conversation; otherwise the person's personal chat with the bot.
        """
        query = select(refs).where(refs.c.tenant_id == recipient.workspace_id)
        if recipient.conversation_id:
            query = query.where(refs.c.conversation_id == channel_root(recipient.conversation_id))
            # Any member's row addresses a channel; prefer the recipient's own, then the newest.
            query = query.order_by((refs.c.user_id == recipient.user_id).desc())
        else:
            query = query.where(
                refs.c.user_id == recipient.user_id, refs.c.conversation_type == "personal"
            )
        query = query.order_by(refs.c.updated_at.desc()).limit(1)
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _stored(row)

    def last_seen(self, *, conversation_id: str, user_id: str) -> datetime | None:
        """When this person last sent anything in this conversation (None: never)."""
        query = select(refs.c.updated_at).where(
            refs.c.conversation_id == channel_root(conversation_id), refs.c.user_id == user_id
        )
        with self._engine.connect() as conn:
            return utc(conn.execute(query).scalar())

    def find_any_for_user(self, *, tenant_id: str, user_id: str) -> StoredReference | None:
        """Any reference of this person (a channel they spoke in): enough to open a 1:1 chat."""
        query = (
            select(refs)
            .where(refs.c.tenant_id == tenant_id, refs.c.user_id == user_id)
            .order_by(refs.c.updated_at.desc())
            .limit(1)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _stored(row)

    def mark_unreachable(
        self, *, conversation_id: str, user_id: str, now: datetime | None = None
    ) -> None:
        """Record that Teams refused to deliver here (the person blocked or removed the app)."""
        with self._engine.begin() as conn:
            conn.execute(
                update(refs)
                .where(refs.c.conversation_id == conversation_id, refs.c.user_id == user_id)
                .values(unreachable_at=now or datetime.now(UTC))
            )
        with self._lock:  # the person's next message must clear the mark
            self._saved.pop((conversation_id, user_id), None)


def _stored(row: object) -> StoredReference:
    data = dict(row)  # type: ignore[call-overload]
    unreachable = data["unreachable_at"]
    if isinstance(unreachable, datetime) and unreachable.tzinfo is None:
        unreachable = unreachable.replace(tzinfo=UTC)  # SQLite returns naive UTC
    return StoredReference(
        conversation_id=data["conversation_id"],
        user_id=data["user_id"],
        tenant_id=data["tenant_id"],
        conversation_type=data["conversation_type"],
        team_id=data["team_id"],
        service_url=data["service_url"],
        bot_id=data["bot_id"],
        reference=ConversationReference.model_validate_json(data["reference"]),
        unreachable_at=unreachable,
    )
