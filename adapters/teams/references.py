"""Conversation references: where to send a proactive Teams message, kept in the database.

Every incoming activity saves or refreshes its sender's reference (service URL, tenant,
conversation), so that the nudge clock, in this process or another, can reach them later.
Uninstalling deletes the conversation's references; a 403 from Teams marks one unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from microsoft_agents.activity import Activity, ConversationReference
from sqlalchemy import Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from adapters.store.teams_tables import teams_conversation_references as refs
from adapters.teams import translate
from bot.identity import Who

# A channel message's conversation id names its thread ("19:…@thread.tacv2;messageid=…");
# a proactive channel message must start a new thread, so references keep the channel part.
_THREAD_MARK = ";messageid="


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

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save(self, activity: Activity, *, now: datetime | None = None) -> None:
        """Save or refresh the sender's reference from any incoming activity."""
        user_id = translate.user_id_of(activity)
        if not user_id or activity.conversation is None or not activity.service_url:
            return
        reference = reference_of(activity)
        self.put(
            conversation_id=reference.conversation.id,
            user_id=user_id,
            tenant_id=translate.tenant_of(activity),
            conversation_type=translate.conversation_type_of(activity),
            team_id=translate.team_of(activity),
            reference=reference,
            now=now,
        )

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
        row = {
            "tenant_id": tenant_id,
            "conversation_type": conversation_type,
            "team_id": team_id,
            "service_url": reference.service_url or "",
            "bot_id": reference.agent.id if reference.agent and reference.agent.id else "",
            "reference": reference.model_dump_json(by_alias=True, exclude_none=True),
            "unreachable_at": None,
            "updated_at": now or datetime.now(UTC),
        }
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
            return int(conn.execute(delete(refs).where(condition)).rowcount or 0)

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
            seen = conn.execute(query).scalar()
        if not isinstance(seen, datetime):
            return None
        return seen if seen.tzinfo is not None else seen.replace(tzinfo=UTC)  # SQLite: naive UTC

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
