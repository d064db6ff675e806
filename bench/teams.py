"""The Teams path under load: personal-chat messages through the real ``coach serve``.

Three processes: ``coach serve --no-clock`` with no Teams credentials (anonymous local mode,
a temporary SQLite ``DATABASE_URL``, ``LOG_LEVEL=WARNING``); the loopback fake Bot Connector
from ``tests/fakes/bot_connector.py``; and :mod:`bench.loadgen`, which posts message Activities
("behaviours resilience" and the rest of the mix, each with a unique id and ``serviceUrl`` set
to the fake) to ``/api/messages``.

Unlike Slack's slash commands, a Teams message is answered inside the turn: the server posts
its reply to the connector before it answers the request with 202. So the request latency
includes the whole answer (dedupe claim, conversation reference saved, the coach, the Adaptive
Card, the connector post), and every reply should have landed at the fake when the load ends;
the fake counts them.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.processes import (
    CpuWindow,
    FakeProcess,
    ServerProcess,
    answer_commands,
    clean_env,
    free_port,
    run_load,
    serving,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamsLoad:
    """How hard and how long to push, per measured run."""

    # The first is the headline (plain keys: ``teams_rps``); others get ``_c<N>`` keys.
    concurrencies: tuple[int, ...] = (50, 200)
    seconds: float = 15.0
    requests: int = 100_000
    warmup: int = 300
    # Replies are posted within the turn; this only covers the last few still in flight.
    settle_seconds: float = 5.0


FULL = TeamsLoad()
QUICK = TeamsLoad(concurrencies=(50,), seconds=2.0, requests=5_000, warmup=150)


# --- the fake Bot Connector, in its own process ------------------------------------------------


async def serve_fake() -> None:
    """Child process: run the test fake until the parent closes our stdin."""
    # Imported here: the fake lives in tests/ and only this child process needs it.
    from tests.fakes.bot_connector import FakeBotConnector

    def replied_to(received: Any) -> str:
        # A reply names the activity it answers in the path; a plain send, in replyToId.
        if received.activity_id:
            return str(received.activity_id)
        body = received.body if isinstance(received.body, dict) else {}
        return str(body.get("replyToId") or "")

    async with FakeBotConnector() as fake:

        def answer(command: str, tag: str) -> object:
            prefix = tag + "-"
            mine = [r for r in fake.requests("send", "reply") if replied_to(r).startswith(prefix)]
            if command == "count":
                return len(mine)
            # "take": distinct activities answered, then forget them to bound memory.
            answered = len({replied_to(r) for r in mine})
            gone = set(map(id, mine))
            fake.received[:] = [r for r in fake.received if id(r) not in gone]
            return {"replies": len(mine), "answered": answered}

        await answer_commands(fake.url, answer)


class FakeConnector:
    """The parent's handle on the fake Bot Connector's process."""

    def __init__(self, *, log_dir: Path) -> None:
        self._process = FakeProcess(module="bench.teams", argument="fake", log_dir=log_dir)
        self.url = ""

    def __enter__(self) -> FakeConnector:
        self.url = self._process.__enter__().base_url
        return self

    def __exit__(self, *exc: object) -> None:
        self._process.__exit__(*exc)

    def count(self, tag: str) -> int:
        """Replies to run ``tag``'s activities that have arrived so far."""
        return int(self._process.ask("count", tag))

    def take(self, tag: str) -> dict[str, int]:
        """Replies and distinct activities answered for run ``tag``; then forget them."""
        return dict(self._process.ask("take", tag))

    def settle(self, tag: str, *, expected: int, within: float) -> None:
        """Wait until ``expected`` replies of ``tag`` arrived, or ``within`` seconds passed."""
        started = time.monotonic()
        while self.count(tag) < expected and time.monotonic() - started < within:
            time.sleep(0.05)


# --- measuring --------------------------------------------------------------------------------


def _measure(
    server: ServerProcess,
    *,
    fake: FakeConnector,
    concurrency: int,
    load: TeamsLoad,
    prefix: str = "teams",
) -> dict[str, object]:
    """One measured run at ``concurrency``; figures without a key suffix."""
    tag = f"{prefix}{concurrency}"
    window = CpuWindow(server)

    def between(_warm: Mapping[str, Any]) -> None:
        window.start()

    result = run_load(
        "teams",
        url=server.url + "/api/messages",
        concurrency=concurrency,
        requests=load.requests,
        seconds=load.seconds,
        warmup=load.warmup,
        tag=tag,
        service_url=fake.url,
        between=between,
    )
    count = int(result["count"])
    fake.settle(tag, expected=count, within=load.settle_seconds)
    cpu_ms = window.ms_per_request(count)
    landed = fake.take(tag)
    fake.take(f"warm{tag}")
    return {
        f"{prefix}_rps": result["rps"],
        f"{prefix}_p50_ms": result["p50_ms"],
        f"{prefix}_p99_ms": result["p99_ms"],
        f"{prefix}_requests": count,
        f"{prefix}_errors": result["errors"],
        f"{prefix}_replies": landed["replies"],
        f"{prefix}_unanswered": count - landed["answered"],
        f"{prefix}_cpu_ms_per_req": cpu_ms,
    }


def _compare(
    coach: ServerProcess,
    bare: ServerProcess,
    *,
    fake: FakeConnector,
    concurrency: int,
    load: TeamsLoad,
) -> dict[str, object]:
    """The coach, then the bare SDK app, at ``concurrency``; and our share of its rate."""
    ours = _measure(coach, fake=fake, concurrency=concurrency, load=load)
    theirs = _measure(bare, fake=fake, concurrency=concurrency, load=load, prefix="bare_agents")
    bare_rps = float(theirs["bare_agents_rps"])  # type: ignore[arg-type]
    ratio = float(ours["teams_rps"]) / bare_rps if bare_rps else 0.0  # type: ignore[arg-type]
    return ours | theirs | {"teams_vs_bare_agents": round(ratio, 3)}


def measure(load: TeamsLoad) -> dict[str, object]:
    """Run the Teams benchmark with ``load``; return its figures.

    The headline concurrency is 50: a turn holds its request open until the reply is posted,
    so past the server's capacity more concurrency only lengthens the queue (the full run
    shows 200 as well, under ``_c200`` keys).
    """
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder, FakeConnector(log_dir=Path(folder)) as fake:
        port = free_port()
        server = ServerProcess(
            name="coach-serve",
            args=["-m", "app.cli", "serve", "--no-clock", "--port", str(port)],
            port=port,
            # No CONNECTIONS__* settings: anonymous local mode, which accepts a loopback
            # serviceUrl (clean_env drops any the shell has).
            env=clean_env(
                {
                    "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
                    "TEAMS_ALLOW_ANONYMOUS": "1",
                    "LOG_LEVEL": "WARNING",
                    "HOST": "127.0.0.1",
                }
            ),
            log_dir=Path(folder),
        )
        bare_port = free_port()
        bare = ServerProcess(
            name="bare-agents",
            args=["-m", "bench.bare_agents", "--port", str(bare_port)],
            port=bare_port,
            env=clean_env({"LOG_LEVEL": "WARNING"}),
            log_dir=Path(folder),
        )
        headline = load.concurrencies[0]
        with serving(server, bare):
            for concurrency in load.concurrencies:
                suffix = "" if concurrency == headline else f"_c{concurrency}"
                found = _compare(server, bare, fake=fake, concurrency=concurrency, load=load)
                figures |= {key + suffix: value for key, value in found.items()}
            figures["teams_concurrency"] = headline
    return figures


def run(*, quick: bool) -> dict[str, object]:
    """The ``bench.teams`` section of ``python -m bench``."""
    return measure(QUICK if quick else FULL)


if __name__ == "__main__":
    # ``python -m bench.teams fake``: the fake Bot Connector's process (see FakeConnector).
    if sys.argv[1:] != ["fake"]:
        sys.exit("usage: python -m bench.teams fake  (run the benchmark with python -m bench)")
    asyncio.run(serve_fake())
