"""What typed ``more`` pages: the last answer per person and conversation, briefly.

Slack and Teams send ``more`` as a plain message, with no button value to say what it
follows; so the core remembers the last answer's "More like this" value per person *and*
conversation (two chats never page each other's answers). It holds the question's text, so it
lives only in memory, is bounded (oldest dropped first) and expires after a few minutes:
nothing of it is ever written to disk or a database, and a restart forgets it all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timedelta

from bot.identity import Who

# Long enough to read an answer and type "more"; short enough that the text soon goes.
DEFAULT_TTL = timedelta(minutes=15)
# One entry per active conversation; more than a busy hour of a large trust's use.
DEFAULT_LIMIT = 2000


class LastAnswers:
    """A bounded, expiring map from (person, conversation) to a "More like this" value.

    Example:
        >>> answers = LastAnswers()
        >>> answers.remember(who, more_value, now=now)  # doctest: +SKIP
        >>> answers.recall(who, now=now)  # doctest: +SKIP
    """

    def __init__(self, *, ttl: timedelta = DEFAULT_TTL, limit: int = DEFAULT_LIMIT) -> None:
        self._ttl = ttl
        self._limit = limit
        self._entries: OrderedDict[Who, tuple[datetime, str]] = OrderedDict()
        # Stateless answers run on the event loop, storage work on worker threads: both reach
        # here, so every change is made under the lock.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def remember(self, who: Who, value: str, *, now: datetime) -> None:
        """Keep ``value`` as what ``more`` pages next for ``who`` (or forget it, if empty)."""
        with self._lock:
            self._entries.pop(who, None)
            if value:
                self._entries[who] = (now + self._ttl, value)
            self._trim(now)

    def recall(self, who: Who, *, now: datetime) -> str:
        """The value ``more`` should page for ``who``, or "" when there is none or it expired."""
        with self._lock:
            entry = self._entries.get(who)
            if entry is None:
                return ""
            expires, value = entry
            if expires <= now:
                del self._entries[who]
                return ""
            return value

    def _trim(self, now: datetime) -> None:
        while self._entries:
            oldest_who, (expires, _value) = next(iter(self._entries.items()))
            if expires > now and len(self._entries) <= self._limit:
                return
            del self._entries[oldest_who]
