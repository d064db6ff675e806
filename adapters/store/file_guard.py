"""Notice when the SQLite file under a running process is deleted or replaced.

SQLite keeps using a deleted file through the connections already open (the inode lives on
until they close), so writes "succeed" into a file nobody will ever read again, and a new
connection would quietly create an empty one. Either way a person would be told "Saved" for
a reflection that is gone. So every connection checked out of the pool first compares the
file at the path with the one the engine started with, and refuses (an ``OperationalError``,
which the callers already answer with "try again shortly", and /healthz with a 503) when it
is missing or another file. Reconnecting to a replacement silently is not safe either: it
may be an old backup; an operator restarts the process once the right file is in place.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import exc as sa_exc


class DatabaseFileGone(Exception):
    """The SQLite file was deleted or replaced while the process was using it."""


def guard_sqlite_file(engine: Engine) -> None:
    """Make ``engine``'s connections refuse to work once its SQLite file changes identity."""
    path = engine.url.database
    if (
        engine.dialect.name != "sqlite"
        or not path
        or path == ":memory:"
        or path.startswith("file:")
    ):
        return
    path = os.path.abspath(path)
    lock = threading.Lock()
    started: list[tuple[int, int]] = []  # the file's (device, inode) at first use

    @event.listens_for(engine, "checkout")
    def _same_file(_dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise _gone("deleted") from None
        current = (info.st_dev, info.st_ino)
        with lock:
            if not started:
                started.append(current)
            elif started[0] != current:
                raise _gone("replaced")


def _gone(how: str) -> sa_exc.OperationalError:
    return sa_exc.OperationalError(
        "(database file check)",
        None,
        DatabaseFileGone(f"the SQLite database file was {how} while the server was running"),
    )
