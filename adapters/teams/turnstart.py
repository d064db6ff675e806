"""Everything a Teams turn reads and writes before the coach answers: one transaction, one hop.

A turn used to make four database calls, each in its own thread hop: the dedupe claim, the
sender's last-seen time, the refreshed conversation reference and (for rule 3 of
:mod:`adapters.teams.reflections`) the latest unanswered nudge. Here they are statements of one
transaction, run once per turn on the coach's worker pool by :class:`TurnStarter`:

1. claim the activity (``ON CONFLICT DO NOTHING``): a retry stops here, having written nothing;
2. read the sender's row (last seen, unreachable: two columns by its unique key) and, in a
   personal chat, look for a nudge sent since then;
3. save the reference only when it changed since this process last saved it (most messages:
   it did not), or when the row must be written anyway: it is missing (deleted by an
   uninstall or "forget me", maybe in another process), marked unreachable (writing clears
   it), or a nudge is waiting (``updated_at`` must move, so that the *next* message is no
   longer "first since the nudge").

The endpoint runs it before the SDK's turn and hands the result to the agent through
:data:`CURRENT` (a context variable: it follows the turn's task, not a shared attribute).
Turns that arrive together share one such transaction (:mod:`adapters.teams.turnbatch`):
each does the same statements, in arrival order, as if it ran alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes
from sqlalchemy import Connection, Engine

from adapters.store.outage import OUTAGE_ERRORS, OutageLog
from adapters.teams import translate
from adapters.teams.dedupe import SeenActivities
from adapters.teams.reference_rows import Saved
from adapters.teams.references import ReferenceStore
from adapters.teams.reflections import NudgeThreads

# How blocking work reaches a worker thread: the coach's pool (CoachService.run) in the app.
Runner = Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnStart:
    """What the turn's transaction found.

    ``rule3`` says whether the nudge lookup ran for this message (a plain personal message,
    database up); ``nudge_ref`` is the nudge it may answer ("" for none).
    """

    claimed: bool = True
    rule3: bool = False
    nudge_ref: str = ""


NOT_CLAIMED = TurnStart(claimed=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnRequest:
    """One turn's input to :meth:`TurnStarter.start_batch`: its activity and dedupe key."""

    activity: Activity
    key: str | None
    now: datetime


CURRENT: ContextVar[TurnStart | None] = ContextVar("teams_turn_start", default=None)


class TurnStarter:
    """Runs turns' database work (see the module docstring), several in one transaction."""

    def __init__(
        self,
        engine: Engine,
        *,
        seen: SeenActivities,
        references: ReferenceStore,
        threads: NudgeThreads | None,
        outage: OutageLog | None = None,
    ) -> None:
        self._engine = engine
        self._seen = seen
        self._references = references
        self._threads = threads
        self._outage = outage or OutageLog()

    def start_batch(self, requests: Sequence[TurnRequest]) -> list[TurnStart | Exception]:
        """Several turns' database work in one transaction (one commit); blocking.

        For each turn, in the order given: claim its key (if any), find rule 3's nudge and
        refresh its reference. Each result is what the turn would have found alone (a retry
        later in the batch than its original is not claimed). Should a statement fail for
        another reason than an outage, the batch is rolled back and each turn runs alone, so
        that one bad activity fails only its own turn (its exception is its result).
        """
        saved: list[Saved] = []
        try:
            with self._engine.begin() as conn:
                results: list[TurnStart | Exception] = [
                    self._start_in(conn, request, saved) for request in requests
                ]
        except OUTAGE_ERRORS as exc:
            # Database down: still answer (a rare retry answered twice beats nobody answered);
            # rule 3 simply does not apply and the reference is refreshed on a later message.
            self._outage.down(exc, where="teams turn start")
            return [TurnStart() for _ in requests]
        except Exception as exc:
            if len(requests) == 1:
                return [exc]
            return [self.start_batch([request])[0] for request in requests]
        for one in saved:
            self._references.remember(one)
        return results

    def _start_in(self, conn: Connection, request: TurnRequest, saved: list[Saved]) -> TurnStart:
        activity, key, now = request.activity, request.key, request.now
        if key is not None and not self._seen.claim_in(conn, key, now=now):
            return NOT_CLAIMED
        if is_departure(activity):
            return TurnStart()
        # Read the row (two columns by its unique key) whatever the cache says: a row
        # another process deleted or marked unreachable must be written again.
        conversation_id = activity.conversation.id if activity.conversation else ""
        user_id = translate.user_id_of(activity)
        seen = self._references.seen_in(conn, conversation_id=conversation_id, user_id=user_id)
        force = seen.last_seen is None or seen.unreachable
        nudge = ""
        if self._threads is not None and translate.conversation_type_of(activity) == "personal":
            nudge = self._threads.latest_unanswered_in(
                conn,
                tenant_id=translate.tenant_of(activity),
                user_id=user_id,
                last_seen=seen.last_seen,
                now=now,
            )
            force = force or bool(nudge)
        written = self._references.save_in(conn, activity, now=now, force=force)
        if written is not None:
            saved.append(written)
        candidate = self._threads is not None and is_plain_personal_message(activity)
        return TurnStart(rule3=candidate, nudge_ref=nudge if candidate else "")


def is_departure(activity: Activity) -> bool:
    """True for activities that remove the bot, after which nothing may be sent there."""
    if activity.type == ActivityTypes.installation_update:
        return (activity.action or "").startswith("remove")
    if activity.type == ActivityTypes.conversation_update and activity.recipient is not None:
        return any(m.id == activity.recipient.id for m in activity.members_removed or [])
    return False


def is_plain_personal_message(activity: Activity) -> bool:
    """A typed message in a personal chat (not a card submission): rule 3's candidates."""
    return (
        activity.type == ActivityTypes.message
        and activity.value is None
        and translate.conversation_type_of(activity) == "personal"
    )
