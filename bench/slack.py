"""The Slack path under load: signed slash commands through the real ``coach serve``.

Four processes, so that no measurement shares an event loop or a core with what it measures:

- ``coach serve --no-clock`` (single-workspace: ``SLACK_SIGNING_SECRET``, ``SLACK_BOT_TOKEN``,
  ``SLACK_API_URL``, a temporary SQLite ``DATABASE_URL``, ``LOG_LEVEL=WARNING``);
- the baseline, :mod:`bench.bare_bolt`: a bare slack-bolt app on the same aiohttp stack that
  only acks;
- the loopback fake Slack Web API from ``tests/fakes/slack_api.py``, which answers
  ``auth.test`` and ``users.info`` and receives every ``response_url`` post;
- :mod:`bench.loadgen`, one process per measured run.

For each concurrency (50 and 200) the coach and the bare app take turns (``rounds`` runs each).
Throughput is acks per second over the measured windows; ack latency is the time until the
HTTP 200. After each of the coach's runs its after-ack work, the answers posted to the
``response_url``, is drained and counted (an answer carried in the ack's own body, should the
adapter ever answer that way, is counted by the load generator instead), so that every command
is shown to have been answered and none of the work is skipped. The answer latency (request
sent until the answer arrived) and the server's CPU time per request, after-ack work included,
say where the time goes.

Goals from issue 6: at 200 concurrent requests, at least 0.7 of the bare app's throughput and
an ack p99 under 300 ms.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.loadgen import SECRET_ENV, combine, percentile
from bench.machine import load_average
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

SIGNING_SECRET = "bench-signing-secret-not-a-real-one"
BOT_TOKEN = "xoxb-bench"
APOLOGY = b"Sorry, something went wrong"


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackLoad:
    """How hard and how long to push."""

    concurrencies: tuple[int, ...] = (50, 200)
    # Each server gets ``rounds`` runs of ``seconds`` per concurrency, alternating with the
    # other's, so that noise from elsewhere on the machine falls on both sides of the ratio.
    rounds: int = 3
    seconds: float = 5.0
    requests: int = 100_000
    warmup: int = 400
    # How long the coach may take to post the answers it has already acked.
    drain_seconds: float = 60.0


FULL = SlackLoad()
# Three short turns each, not one: with one 1-second turn a hiccup on either side moved the
# ratio by half (0.53-0.90 in three quiet runs). Two seconds a turn, not one: three quiet runs
# of 1-second turns gave 0.77 / 0.69 / 0.78 with the CPU-per-command ratio steady at 0.71-0.75
# (about 2,500 commands a turn is too few to even out the loop's pauses). The quick bench stays
# under three minutes.
QUICK = SlackLoad(rounds=3, seconds=2.0, requests=10_000, warmup=150, drain_seconds=20.0)


# --- the fake Slack API, in its own process ----------------------------------------------------


async def serve_fake() -> None:
    """Child process: run the test fake until the parent closes our stdin."""
    # Imported here: the fake lives in tests/ and only this child process needs it.
    from tests.fakes.slack_api import FakeSlackApi

    class TimedFake(FakeSlackApi):
        """The test fake, noting when each ``response_url`` post arrives."""

        def __init__(self) -> None:
            super().__init__()
            # CLOCK_MONOTONIC is system-wide, so it compares with the load generator's.
            self.arrivals: dict[str, int] = {}

        async def _response_url(self, request: Any) -> Any:
            self.arrivals[request.match_info["name"]] = time.monotonic_ns()
            return await super()._response_url(request)

    def phase(fake: TimedFake, tag: str) -> dict[str, Any]:
        prefix = tag + "-"
        names = [n for n in fake.arrivals if n.startswith(prefix)]
        latencies = sorted((fake.arrivals[n] - int(n.rsplit("-", 1)[1])) / 1e6 for n in names)
        posts = [
            r
            for r in fake.requests
            if r.path == "/response" and r.url.rsplit("/", 1)[1].startswith(prefix)
        ]
        stats = {
            "answers": len(names),
            "apologies": sum(APOLOGY in r.raw for r in posts),
            "latencies_ms": latencies,
        }
        # Forget the phase's posts: a full run would otherwise hold every body in memory.
        kept = set(map(id, posts))
        fake.requests[:] = [r for r in fake.requests if id(r) not in kept]
        for name in names:
            del fake.arrivals[name]
        return stats

    fake = TimedFake()

    def answer(command: str, argument: str) -> object:
        if command == "count":
            return sum(n.startswith(argument + "-") for n in fake.arrivals)
        if command == "phase":
            return phase(fake, argument)
        return len(fake.received(argument))  # "calls"

    await fake.start()
    try:
        await answer_commands(fake.base_url, answer)
    finally:
        await fake.stop()


class FakeSlack:
    """The parent's handle on the fake Slack API's process."""

    def __init__(self, *, log_dir: Path) -> None:
        self._process = FakeProcess(module="bench.slack", argument="fake", log_dir=log_dir)
        self.base_url = ""

    def __enter__(self) -> FakeSlack:
        self.base_url = self._process.__enter__().base_url
        return self

    def __exit__(self, *exc: object) -> None:
        self._process.__exit__(*exc)

    def answers(self, tag: str) -> int:
        """How many ``response_url`` posts of run ``tag`` have arrived so far."""
        return int(self._process.ask("count", tag))

    def phase(self, tag: str) -> dict[str, Any]:
        """What arrived for run ``tag``: answers, apologies, answer latency; then forget it."""
        return dict(self._process.ask("phase", tag))

    def calls(self, path: str) -> int:
        """How many calls of a Web API method (``/users.info``) arrived in all."""
        return int(self._process.ask("calls", path))

    def drain(self, tag: str, *, expected: int, within: float) -> float:
        """Wait until ``expected`` answers of ``tag`` arrived (or ``within`` passed); seconds."""
        started = time.monotonic()
        while self.answers(tag) < expected and time.monotonic() - started < within:
            time.sleep(0.05)
        return time.monotonic() - started


# --- measuring --------------------------------------------------------------------------------


def _measure(
    server: ServerProcess,
    *,
    tag: str,
    concurrency: int,
    load: SlackLoad,
    warmup: int,
    response_base: str,
    before_window: Callable[[Mapping[str, Any]], None] = lambda _warm: None,
) -> tuple[dict[str, Any], CpuWindow]:
    """One measured run against ``server``: its summary, and its CPU window (still open).

    ``before_window`` gets the warm-up's summary once the warm-up is over.
    """
    window = CpuWindow(server)

    def between(warm: Mapping[str, Any]) -> None:
        before_window(warm)
        window.start()

    result = run_load(
        "slack",
        url=server.url + "/slack/events",
        concurrency=concurrency,
        requests=load.requests,
        seconds=load.seconds,
        warmup=warmup,
        tag=tag,
        env={SECRET_ENV: SIGNING_SECRET},
        response_base=response_base,
        between=between,
    )
    return result, window


def _per_request_ms(cpu_seconds: list[float | None], count: int) -> float | None:
    if not count or any(used is None for used in cpu_seconds):
        return None
    return round(sum(used or 0.0 for used in cpu_seconds) * 1000 / count, 3)


def _compare(
    *,
    coach: ServerProcess,
    bare: ServerProcess,
    fake: FakeSlack,
    concurrency: int,
    load: SlackLoad,
) -> dict[str, object]:
    """The coach and the bare app in alternating runs at one concurrency; unsuffixed figures."""
    tag = f"c{concurrency}"
    response_base = fake.base_url + "/response"
    ours_runs: list[dict[str, Any]] = []
    bare_runs: list[dict[str, Any]] = []
    ours_cpu: list[float | None] = []
    bare_cpu: list[float | None] = []
    drain_s = 0.0

    def drain_warmup(warm: Mapping[str, Any]) -> None:
        # Warm-up answers still being posted would steal the measured window's CPU.
        posts = int(warm.get("count", 0)) - int(warm.get("answered", 0))
        fake.drain(f"warm{tag}", expected=posts, within=load.drain_seconds)

    for round_ in range(load.rounds):
        warmup = load.warmup if round_ == 0 else 0
        ours, window = _measure(
            coach,
            tag=tag,
            concurrency=concurrency,
            load=load,
            warmup=warmup,
            response_base=response_base,
            before_window=drain_warmup,
        )
        ours_runs.append(ours)
        # Answers posted to the response_url are real work done after the ack: wait for every
        # one, and count them, before the bare app's run (and charge the coach their CPU).
        # An answer that came back in the ack's own body needs no post.
        posts = sum(int(run["count"]) - int(run["answered"]) for run in ours_runs)
        drain_s += fake.drain(tag, expected=posts, within=load.drain_seconds)
        ours_cpu.append(window.used())
        theirs, window = _measure(
            bare,
            tag=f"bare{tag}",
            concurrency=concurrency,
            load=load,
            warmup=warmup,
            response_base=response_base,
        )
        bare_runs.append(theirs)
        bare_cpu.append(window.used())

    ours, theirs = combine(ours_runs), combine(bare_runs)
    posted = fake.phase(tag)
    fake.phase(f"warm{tag}")
    # Every acked command must have been answered, one way or the other.
    answers = sorted(ours["answered_ms"] + posted["latencies_ms"])
    ratio = ours["rps"] / theirs["rps"] if theirs["rps"] else 0.0
    return {
        "slash_rps": ours["rps"],
        "bare_bolt_rps": theirs["rps"],
        "slash_vs_bare_bolt": round(ratio, 3),
        "ack_p50_ms": ours["p50_ms"],
        "ack_p99_ms": ours["p99_ms"],
        "bare_bolt_ack_p50_ms": theirs["p50_ms"],
        "bare_bolt_ack_p99_ms": theirs["p99_ms"],
        "slash_requests": ours["count"],
        "slash_errors": ours["errors"],
        "bare_bolt_requests": theirs["count"],
        "bare_bolt_errors": theirs["errors"],
        "slash_responses": posted["answers"],
        "slash_answers_in_ack": ours["answered"],
        "slash_unanswered": ours["count"] - ours["answered"] - posted["answers"],
        "slash_apologies": posted["apologies"],
        "slash_answer_p50_ms": percentile(answers, 0.50),
        "slash_answer_p99_ms": percentile(answers, 0.99),
        "slash_drain_s": round(drain_s, 2),
        "slash_cpu_ms_per_req": _per_request_ms(ours_cpu, ours["count"]),
        "bare_bolt_cpu_ms_per_req": _per_request_ms(bare_cpu, theirs["count"]),
    }


def measure(load: SlackLoad) -> dict[str, object]:
    """Run the Slack benchmark with ``load``; return its figures.

    The highest concurrency's figures have plain keys (``slash_rps``, ``ack_p99_ms``); the
    others carry their concurrency (``slash_rps_c50``).
    """
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder, FakeSlack(log_dir=Path(folder)) as fake:
        settings = clean_env(
            {
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_API_URL": fake.base_url + "/api/",
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
                "LOG_LEVEL": "WARNING",
                "HOST": "127.0.0.1",
            }
        )
        coach_port, bare_port = free_port(), free_port()
        coach = ServerProcess(
            name="coach-serve",
            args=["-m", "app.cli", "serve", "--no-clock", "--port", str(coach_port)],
            port=coach_port,
            env=settings,
            log_dir=Path(folder),
        )
        bare = ServerProcess(
            name="bare-bolt",
            args=["-m", "bench.bare_bolt", "--port", str(bare_port)],
            port=bare_port,
            env=settings,
            log_dir=Path(folder),
        )
        headline = max(load.concurrencies)
        with serving(coach, bare):
            for concurrency in load.concurrencies:
                suffix = "" if concurrency == headline else f"_c{concurrency}"
                found = _compare(
                    coach=coach, bare=bare, fake=fake, concurrency=concurrency, load=load
                )
                figures |= {key + suffix: value for key, value in found.items()}
            figures["slash_users_info_calls"] = fake.calls("/users.info")
            # The machine may be shared: what else was running when the figures were taken.
            figures["slack_load_avg_1m"] = load_average()
    return figures


def run(*, quick: bool) -> dict[str, object]:
    """The ``bench.slack`` section of ``python -m bench``."""
    return measure(QUICK if quick else FULL)


if __name__ == "__main__":
    # ``python -m bench.slack fake``: the fake Slack API's process (see :class:`FakeSlack`).
    if sys.argv[1:] != ["fake"]:
        sys.exit("usage: python -m bench.slack fake  (run the benchmark with python -m bench)")
    asyncio.run(serve_fake())
