"""What a database outage looks like, and one log line per outage.

Every process (``coach serve``, ``coach clock``) keeps running while ``DATABASE_URL`` is
unreachable (see :mod:`app.outage`). The log says what is wrong once, when the outage starts
(``database unreachable ...``), and once when it ends (``database reachable again``), rather
than a stack trace per request. The state lives in an :class:`OutageLog` that the
composition root makes once per process and hands to everything that talks to the database.

Example:
    >>> outage = OutageLog()
    >>> try:  # doctest: +SKIP
    ...     store.save(row)
    ... except OUTAGE_ERRORS as exc:
    ...     outage.down(exc, where="slack dedupe")
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

# What an unreachable, refusing, restarting or unreadable database raises. SQLite's
# "unable to open database file" and PostgreSQL's "connection refused" / "terminating
# connection" are both OperationalError; InterfaceError is a connection already closed; the
# pool's TimeoutError is every connection stuck. Integrity and programming errors are bugs
# or races, not outages, so they are deliberately not here.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
)


def describe(exc: BaseException) -> str:
    """A one-line, secret-free description of a database error (no SQL, no parameters)."""
    cause = getattr(exc, "orig", None) or exc
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    # psycopg names the host and port, which is what an operator needs; a URL could carry a
    # password, so anything after "://" is cut.
    if "://" in first:
        first = first.split("://", 1)[0] + "://…"
    return f"{type(cause).__name__}: {first}"[:300]


class OutageLog:
    """Whether this process last found the database down, logged once per change.

    Thread-safe: repositories run on worker threads while the event loop also reports.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down = False

    @property
    def is_down(self) -> bool:
        """True between :meth:`down` and the next :meth:`up`."""
        return self._down

    def down(self, exc: BaseException, *, where: str) -> None:
        """Log the start of an outage once (a WARNING line); later failures only at DEBUG."""
        with self._lock:
            first, self._down = not self._down, True
        if first:
            log.warning(
                "database unreachable (%s): %s; answering 'try again shortly' until it returns",
                where,
                describe(exc),
            )
        else:
            log.debug("database still unreachable (%s): %s", where, describe(exc))

    def up(self) -> None:
        """Log the end of an outage once, the first time the database answers again."""
        with self._lock:
            was_down, self._down = self._down, False
        if was_down:
            log.warning("database reachable again")
