"""The vote, its button value, and the store port for votes (see :mod:`bot.feedback`)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from bot import compact_json
from bot.identity import Who
from bot.models import Match

ACTION_PREFIX = "feedback."
# A reply key: hex, as :func:`reply_key` makes it. Anything else in a button value is stale
# or forged, and is refused before it reaches storage.
_KEY = re.compile(r"^[0-9a-f]{20}$")
_RESULT_ID = re.compile(r"^[a-z0-9][a-z0-9:-]{0,40}$")
_INTENT = re.compile(r"^[a-z]{1,24}$")
# A page shows at most three results; a few more leaves room without trusting any length.
MAX_RESULTS = 6


class Vote(StrEnum):
    """What the person thought of the answer."""

    HELPFUL = "helpful"
    NOT_QUITE = "not_quite"


class Recorded(StrEnum):
    """What storing a vote did: a double submit records nothing new."""

    NEW = "new"
    SAME = "same"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackVote:
    """One vote on one reply: no question text and no person, by design."""

    reply_key: str
    vote: Vote
    intent: str
    result_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """Votes on one intent or one row: how many, and how many said "Not quite"."""

    name: str
    votes: int
    not_quite: int

    @property
    def not_quite_rate(self) -> float:
        """The share of votes that said "Not quite" (0 when there are none)."""
        return self.not_quite / self.votes if self.votes else 0.0


class FeedbackStore(Protocol):
    """Votes, one per reply (the reply's key is unique)."""

    def record(self, vote: FeedbackVote, *, now: datetime) -> Recorded:
        """Store ``vote``; a second press on the same reply replaces the first, never adds."""
        ...

    def votes(self) -> tuple[FeedbackVote, ...]:
        """Every vote, for the editors' report."""
        ...


def result_id(match: Match) -> str:
    """A stable id for a result: the row id, ``p<number>`` for a principle, or the region."""
    if match.behaviour is not None:
        return match.behaviour.id
    if match.principle is not None:
        return f"p{match.principle.number}"
    if match.academy is not None:
        return academy_id(match.academy.region)
    return "unknown"


@lru_cache(maxsize=64)
def academy_id(region: str) -> str:
    """An academy's result id: ``academy:`` and its region as a slug."""
    return "academy:" + re.sub(r"[^a-z0-9]+", "-", region.lower()).strip("-")


def reply_key(who: Who, *, now: datetime, text: str, offset: int = 0) -> str:
    """A key for one reply, the same on every press of its buttons.

    A one-way hash of who asked, when and what: it names one reply so that a double submit
    counts once, and nothing can be read back from it (no question, no person).
    """
    seed = "\x1f".join(
        (who.platform, who.workspace_id, who.user_id, who.conversation_id, now.isoformat())
    )
    digest = hashlib.sha256(f"{seed}\x1f{offset}\x1f{text}".encode()).hexdigest()
    return digest[:20]


def encode(*, key: str, intent: str, result_ids: tuple[str, ...]) -> str:
    """The button value: what a vote needs, and nothing of the question."""
    return compact_json.dumps({"r": key, "i": intent, "ids": list(result_ids)})


def decode(value: str, *, action_id: str) -> FeedbackVote | None:
    """Read a button back; ``None`` for a stale, malformed or forged one."""
    try:
        vote = Vote(action_id.removeprefix(ACTION_PREFIX))
        data = json.loads(value)
        key, intent, ids = data["r"], data["i"], data["ids"]
    except (ValueError, KeyError, TypeError):
        return None
    if not (isinstance(key, str) and _KEY.match(key)):
        return None
    if not (isinstance(intent, str) and _INTENT.match(intent)):
        return None
    if not isinstance(ids, list) or not 0 < len(ids) <= MAX_RESULTS:
        return None
    if not all(isinstance(i, str) and _RESULT_ID.match(i) for i in ids):
        return None
    return FeedbackVote(reply_key=key, vote=vote, intent=intent, result_ids=tuple(ids))


def tallies(votes: tuple[FeedbackVote, ...]) -> tuple[tuple[Tally, ...], tuple[Tally, ...]]:
    """Votes per intent and per row, rows with the highest "Not quite" rate first."""
    by_intent: dict[str, list[int]] = {}
    by_row: dict[str, list[int]] = {}
    for v in votes:
        miss = int(v.vote is Vote.NOT_QUITE)
        for table, name in ((by_intent, v.intent), *((by_row, r) for r in v.result_ids)):
            counts = table.setdefault(name, [0, 0])
            counts[0] += 1
            counts[1] += miss

    def ordered(table: dict[str, list[int]]) -> tuple[Tally, ...]:
        rows = (Tally(name=n, votes=c[0], not_quite=c[1]) for n, c in table.items())
        return tuple(sorted(rows, key=lambda t: (-t.not_quite_rate, -t.votes, t.name)))

    return ordered(by_intent), ordered(by_row)
