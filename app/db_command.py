"""``coach db upgrade|current|rotate-keys``: database maintenance from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from adapters.store.coaching import rotate_coaching
from adapters.store.crypto import Cipher
from adapters.store.db import make_engine
from adapters.store.repositories import rotate_journal
from adapters.store.schema import current_revision, ensure_schema, head_revision, upgrade


def main(argv: Sequence[str]) -> int:
    """``coach db upgrade|current|rotate-keys [--url URL]``."""
    parser = argparse.ArgumentParser(prog="coach db", description="Database maintenance.")
    parser.add_argument(
        "action",
        nargs="?",
        default="upgrade",
        choices=("upgrade", "current", "rotate-keys"),
        help="upgrade: run migrations (default); current: print the revision; "
        "rotate-keys: re-encrypt the journal, assessments and focus under the first "
        "COACH_DATA_KEY key",
    )
    parser.add_argument("--url", default=None, help="database URL (default: $DATABASE_URL)")
    args = parser.parse_args(list(argv))
    if args.action == "upgrade":
        revision = upgrade(args.url)
        print(f"database at revision {revision} (head {head_revision()})")
        return 0
    engine = make_engine(args.url)
    try:
        if args.action == "current":
            print(current_revision(engine) or "(none)")
            return 0

        cipher = Cipher.from_env()
        if cipher is None:
            print("COACH_DATA_KEY is not set: nothing to rotate with")
            return 2
        ensure_schema(engine)
        rotated, unreadable = rotate_journal(engine, cipher)
        print(f"re-encrypted {rotated} journal entries; {unreadable} could not be read")
        coached, unread = rotate_coaching(engine, cipher)
        print(f"re-encrypted {coached} assessments and focus lists; {unread} could not be read")
        return 0 if unreadable == 0 and unread == 0 else 1
    finally:
        engine.dispose()
