"""Pacing shared across clock processes on PostgreSQL: two processes, one tenant's budget.

Two real processes (``tests/app/delivery/pacing_worker.py``) take tokens for the same tenant
from their own :class:`~app.delivery.pacing.Pacer` on one PostgreSQL database, starting at the
same instant. Together they must stay within the tenant's rate, not twice it, and a
``Retry-After`` recorded by one must hold the other too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from adapters.store.db import make_engine
from adapters.store.schema import ensure_schema
from app.delivery.pacing import Limits
from tests.adapters.store.databases import pg_schema_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
RATE = 20.0
EACH = 30
# Both processes import the app first; they start taking at this many seconds from launch.
START_IN = 8.0  # generous: the machine may be busy


@contextmanager
def _migrated_url() -> Iterator[str]:
    """A fresh schema migrated to head (``coach_pacing`` included), as a clock's start-up does."""
    with pg_schema_url() as url:  # skips, saying why, without PostgreSQL
        engine = make_engine(url)
        ensure_schema(engine)
        engine.dispose()
        yield url


def _run_workers(url: str, *plans: tuple[float, float]) -> tuple[float, list[list[float]]]:
    """Run one worker per ``(pause, delay)``; return the common start and each one's times."""
    start = time.time() + START_IN
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.app.delivery.pacing_worker",
                url,
                str(RATE),
                str(EACH),
                str(start + delay),
                str(pause),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pause, delay in plans
    ]
    stamps = []
    for worker in workers:
        out, err = worker.communicate(timeout=90)
        assert worker.returncode == 0, err[-2000:]
        stamps.append(json.loads(out.strip().splitlines()[-1]))
    return start, stamps


def _most_in_one_second(stamps: list[float]) -> int:
    ordered = sorted(stamps)
    most, first = 0, 0
    for last, stamp in enumerate(ordered):
        while stamp - ordered[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def test_two_processes_share_one_tenant_budget() -> None:
    with _migrated_url() as url:
        _start, (one, two) = _run_workers(url, (0.0, 0.0), (0.0, 0.0))
    merged = sorted(one + two)
    burst = RATE * Limits().burst_seconds
    # Both worked, and together they kept to one tenant's rate: each alone could have taken
    # its 30 in 1.5 s; sharing, the 60 take about 3 s.
    assert one
    assert two
    assert len(merged) == 2 * EACH
    assert _most_in_one_second(merged) <= RATE + burst
    assert merged[-1] - merged[0] >= (2 * EACH - burst) / RATE * 0.95
    # They took turns (else the rates above would prove nothing about sharing).
    assert max(one[0], two[0]) < min(one[-1], two[-1]), "the processes did not overlap"


def test_a_retry_after_in_one_process_holds_the_other() -> None:
    with _migrated_url() as url:
        # The first records a 2 s Retry-After as it starts; the second starts 1 s later.
        start, (paused, other) = _run_workers(url, (2.0, 0.0), (0.0, 1.0))
    assert min(paused) >= start + 2.0 - 0.05
    assert min(other) >= start + 2.0 - 0.05  # held by a pause it never saw itself
    assert _most_in_one_second(paused + other) <= RATE + RATE * Limits().burst_seconds
