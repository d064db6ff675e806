"""Stateful commands guarded against a database outage: "try again shortly", never a crash."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from adapters.store.outage import OUTAGE_ERRORS, OutageLog
from bot.models import Action, Incoming, Reply
from bot.notices import try_again_reply
from bot.ports import StatefulCommands


class GuardedCommands:
    """Stateful commands that answer "try again shortly" while the database is down.

    ``build`` opens and migrates the database; it is tried at start-up and, while it keeps
    failing, again on each command, so the commands come back by themselves with the database.
    """

    def __init__(self, build: Callable[[], StatefulCommands], *, outage: OutageLog) -> None:
        self._build = build
        self._outage = outage
        self._inner: StatefulCommands | None = None
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Try to open the database now; log (once) rather than raise when it is down."""
        try:
            self._commands()
        except OUTAGE_ERRORS as exc:
            self._outage.down(exc, where="start-up")

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
            self._outage.down(exc, where=f"{incoming.who.platform} {command}")
            return try_again_reply(intent=command)
        self._outage.up()
        return reply

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Run the button's action, or say "try again shortly" if the database is down."""
        intent = action.action_id.split(".")[0]
        try:
            reply = self._commands().act(action, now=now)
        except OUTAGE_ERRORS as exc:
            self._outage.down(exc, where=f"{action.who.platform} {intent}")
            return try_again_reply(intent=intent)
        self._outage.up()
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
            reply = self._commands().reflection_reply(incoming, thread_ref=thread_ref, now=now)
        except OUTAGE_ERRORS as exc:
            self._outage.down(exc, where=f"{incoming.who.platform} reflection")
            return try_again_reply(intent="journal")
        self._outage.up()
        return reply
