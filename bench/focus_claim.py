"""What following a focus costs the delivery pass: claiming 5,000 due nudges in chunks of 500.

Run from the project root::

    python -m bench.focus_claim               # SQLite in a temp folder
    python -m bench.focus_claim --users 2000

Three runs, each on a fresh database with the same subscriptions, timed around ``claim`` only
(``find_due`` is the same in all three):

1. baseline: no ``COACH_DATA_KEY``, so no focus is looked up (the pass before issue 12);
2. a key, nobody has a focus (one extra query per chunk that finds nothing);
3. a key, half the subscribers have a focus of three rows (the query finds and decrypts them).

The last line is JSON with each run's seconds and the ratios against the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from cryptography.fernet import Fernet

from adapters.store.coaching import SqlCoaching
from adapters.store.crypto import Cipher
from adapters.store.db import make_engine
from adapters.store.repositories import SqlSubscriptions
from adapters.store.schema import ensure_schema
from app.delivery.ledger import claim, find_due
from bot.content import load_content
from bot.identity import Platform, Who
from bot.stores import Subscription

# Monday 1 June 2026, 09:00:30 London.
MONDAY = datetime(2026, 6, 1, 8, 0, 30, tzinfo=UTC)
CHUNK = 500


def claim_seconds(folder: Path, *, users: int, key: str | None, focused: float) -> float:
    """Seconds spent claiming every due nudge, in chunks as a pass does."""
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    ensure_schema(engine)
    people = [
        Who(platform=Platform.TEAMS, workspace_id="T1", user_id=f"U{n}") for n in range(users)
    ]
    subs = [
        Subscription(target=p, weekday=0, at=clock_time(9), timezone="Europe/London", seed=n)
        for n, p in enumerate(people)
    ]
    SqlSubscriptions(engine).add_many(subs, now=MONDAY - timedelta(days=7))
    if key:
        store = SqlCoaching(engine, Cipher([key]))
        for person in people[: int(users * focused)]:
            store.set_focus(person, ["ie-1", "rc-3", "lcb-6"], now=MONDAY)
    content = load_content()
    if key:
        os.environ["COACH_DATA_KEY"] = key
    else:
        os.environ.pop("COACH_DATA_KEY", None)
    due = find_due(engine, MONDAY, grace=timedelta(hours=1), platforms=("teams",))
    assert len(due) == users, len(due)
    started = time.perf_counter()
    claimed = 0
    for start in range(0, len(due), CHUNK):
        claims = claim(
            engine,
            due[start : start + CHUNK],
            content=content,
            token="bench",
            wall_now=MONDAY,
            lease=timedelta(minutes=3),
        )
        claimed += len(claims)
    elapsed = time.perf_counter() - started
    assert claimed == users
    engine.dispose()
    return elapsed


def measure(users: int) -> dict[str, object]:
    """Each case's seconds, and its ratio to the baseline measured in the same run."""
    key = Fernet.generate_key().decode()
    seconds = {}
    for name, run_key, focused in (
        ("baseline_no_key", None, 0.0),
        ("key_no_focus", key, 0.0),
        ("key_half_focused", key, 0.5),
    ):
        with tempfile.TemporaryDirectory() as folder:
            seconds[name] = round(
                claim_seconds(Path(folder), users=users, key=run_key, focused=focused), 3
            )
    base = seconds["baseline_no_key"]
    return {
        "users": users,
        "seconds": seconds,
        "ratio_key_no_focus": round(seconds["key_no_focus"] / base, 2),
        "ratio_key_half_focused": round(seconds["key_half_focused"] / base, 2),
    }


def run(*, quick: bool = False) -> dict[str, object]:
    """The figures for ``python -m bench``."""
    found = measure(1000 if quick else 5000)
    return {
        "focus_claim_ratio_no_focus": found["ratio_key_no_focus"],
        "focus_claim_ratio_half_focused": found["ratio_key_half_focused"],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the three cases and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=5000)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.users)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
