"""Living with a database that is down: one log line per outage, and a polite reply meanwhile.

Every process (``coach serve``, ``coach clock``) keeps running while ``DATABASE_URL`` is
unreachable: the stateless questions need no database, and crash-looping a web dyno only
turns a storage outage into a total one. What needs the database answers "try again
shortly" instead, and the schema is created or migrated as soon as the database returns.

The log says what is wrong once, when the outage starts (``database unreachable ...``), and
once when it ends (``database reachable again``), rather than a stack trace per request.

Example:
    >>> try:  # doctest: +SKIP
    ...     store.save(row)
    ... except OUTAGE_ERRORS as exc:
    ...     note_outage(exc, where="slack dedupe")
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

from aiohttp import web
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from bot.models import Action, Card, Incoming, Reply, Section
from bot.ports import StatefulCommands

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
# How often a process retries creating the schema after failing at start-up.
DEFAULT_RETRY_SECONDS = 15.0
TRY_AGAIN_TEXT = (
    "I can't reach my saved settings right now, so I couldn't do that. "
    "Please try again shortly. You can still ask me questions in the meantime."
)

_state_lock = threading.Lock()
_down = False


def describe(exc: BaseException) -> str:
    """A one-line, secret-free description of a database error (no SQL, no parameters)."""
    cause = getattr(exc, "orig", None) or exc
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    # psycopg names the host and port, which is what an operator needs; a URL could carry a
    # password, so anything after "://" is cut.
    if "://" in first:
        first = first.split("://", 1)[0] + "://…"
    return f"{type(cause).__name__}: {first}"[:300]


def note_outage(exc: BaseException, *, where: str) -> None:
    """Log the start of an outage once (a WARNING line); later failures only at DEBUG."""
    global _down
    with _state_lock:
        first, _down = not _down, True
    if first:
        log.warning(
            "database unreachable (%s): %s; answering 'try again shortly' until it returns",
            where,
            describe(exc),
        )
    else:
        log.debug("database still unreachable (%s): %s", where, describe(exc))


def note_ok() -> None:
    """Log the end of an outage once, the first time the database answers again."""
    global _down
    with _state_lock:
        was_down, _down = _down, False
    if was_down:
        log.warning("database reachable again")


def is_down() -> bool:
    """True between :func:`note_outage` and the next :func:`note_ok` in this process."""
    return _down


def retry_seconds(env: Mapping[str, str]) -> float:
    """``COACH_DB_RETRY_SECONDS`` (default 15): how often to retry a database at start-up."""
    raw = env.get("COACH_DB_RETRY_SECONDS", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_RETRY_SECONDS
    except ValueError:
        raise ValueError(f"COACH_DB_RETRY_SECONDS must be a number, not {raw!r}") from None
    return value if value > 0 else DEFAULT_RETRY_SECONDS


def try_again_reply(*, intent: str) -> Reply:
    """The reply to a command that needs the database while it is down."""
    return Reply(
        text=TRY_AGAIN_TEXT,
        intent=intent,
        card=Card(title="Try again shortly", sections=(Section(body=TRY_AGAIN_TEXT),)),
    )


class SchemaGate:
    """Creates or migrates the schema once, retrying on later calls while the database is down."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._ready = False
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """True once the schema is known to be at head."""
        return self._ready

    def ensure(self) -> None:
        """Run ``ensure_schema`` unless it has already succeeded.

        Raises:
            sqlalchemy.exc.OperationalError: (or another of :data:`OUTAGE_ERRORS`) while the
                database is unreachable.
        """
        if self._ready:
            return
        from adapters.store.schema import ensure_schema

        with self._lock:
            if not self._ready:
                ensure_schema(self._engine)
                self._ready = True


def ensure_schema_on_startup(
    app: web.Application, engine: Engine, *, where: str, env: Mapping[str, str]
) -> SchemaGate:
    """Add start-up hooks to ``app`` that migrate ``engine``, or keep retrying if it is down.

    A database that is down at start-up is logged once; the server starts anyway and a
    background task retries every ``COACH_DB_RETRY_SECONDS`` until the schema is in place.
    """
    gate = SchemaGate(engine)
    every = retry_seconds(env)
    tasks: list[asyncio.Task[None]] = []

    async def retry() -> None:
        while not gate.ready:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(gate.ensure)
            except OUTAGE_ERRORS as exc:
                note_outage(exc, where=where)
            else:
                note_ok()

    async def start(_app: web.Application) -> None:
        try:
            await asyncio.to_thread(gate.ensure)
        except OUTAGE_ERRORS as exc:
            note_outage(exc, where=f"{where} start-up")
            tasks.append(asyncio.create_task(retry()))

    async def stop(_app: web.Application) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return gate


class GuardedCommands:
    """Stateful commands that answer "try again shortly" while the database is down.

    ``build`` opens and migrates the database; it is tried at start-up and, while it keeps
    failing, again on each command, so the commands come back by themselves with the database.
    """

    def __init__(self, build: Callable[[], StatefulCommands]) -> None:
        self._build = build
        self._inner: StatefulCommands | None = None
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Try to open the database now; log (once) rather than raise when it is down."""
        try:
            self._commands()
        except OUTAGE_ERRORS as exc:
            note_outage(exc, where="start-up")

    def _commands(self) -> StatefulCommands:
        if self._inner is None:
            with self._lock:
                if self._inner is None:
                    self._inner = self._build()
        return self._inner

    def handle(self, incoming: Incoming, *, command: str, args: str, now: datetime) -> Reply:
        """Run the command, or say "try again shortly" if the database cannot be reached."""
        try:
            reply = self._commands().handle(incoming, command=command, args=args, now=now)
        except OUTAGE_ERRORS as exc:
            note_outage(exc, where=f"{incoming.platform} {command}")
            return try_again_reply(intent=command)
        note_ok()
        return reply

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Run the button's action, or say "try again shortly" if the database is down."""
        intent = action.action_id.split(".")[0]
        try:
            reply = self._commands().act(action, now=now)
        except OUTAGE_ERRORS as exc:
            note_outage(exc, where=f"{action.platform} {intent}")
            return try_again_reply(intent=intent)
        note_ok()
        return reply

    def reflection_reply(
        self, incoming: Incoming, *, thread_ref: str, now: datetime
    ) -> Reply | None:
        """Save a reflection typed in a nudge's thread; "try again shortly" if the DB is down.

        While the database is down there is no telling whether ``thread_ref`` is one of our
        nudges, and a reflection silently dropped would be lost: so the person is asked to
        send it again.
        """
        try:
            inner = self._commands()
            reflect = getattr(inner, "reflection_reply", None)
            reply = None if reflect is None else reflect(incoming, thread_ref=thread_ref, now=now)
        except OUTAGE_ERRORS as exc:
            note_outage(exc, where=f"{incoming.platform} reflection")
            return try_again_reply(intent="journal")
        note_ok()
        return reply if isinstance(reply, Reply) else None
