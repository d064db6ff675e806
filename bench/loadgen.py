"""A load generator that runs in its own process: ``python -m bench.loadgen slack|teams …``.

It must not share a process (or an event loop) with the server it measures, or the server's
latency would include the load generator's own work. ``N`` aiohttp workers send requests until
a request count or a time limit is reached, whichever comes first, after an unmeasured warm-up.
The last line on stdout is one JSON object: ``count`` (2xx answers), ``answered`` (of those,
how many carried a message in the body), ``errors``, ``rps``, ``p50_ms``, ``p90_ms``,
``p99_ms``, ``max_ms``, ``seconds``, ``statuses`` (and with ``--samples``, ``latencies_ms`` and
``answered_ms``, so that a parent can :func:`combine` several runs).

Two kinds of traffic, both shaped as the platform sends them:

- ``slack``: signed ``/leadership <text>`` slash-command form bodies. The signing secret is
  read from ``BENCH_SLACK_SIGNING_SECRET`` (not argv, where ``ps`` would show it). Each body's
  ``response_url`` names the run's tag, a sequence number and the send time (monotonic ns), so
  the fake Slack API can count the answers and time them end to end.
- ``teams``: personal-chat message Activities with unique ids, posted anonymously, whose
  ``serviceUrl`` is the fake Bot Connector.

The second half of the module is the parent's side: :func:`run_load` runs this module in a new
process, :class:`ServerProcess` and :class:`FakeProcess` run the servers and fakes it drives.

Example::

    BENCH_SLACK_SIGNING_SECRET=dummy python -m bench.loadgen slack \\
        --url http://127.0.0.1:3978/slack/events --response-base http://127.0.0.1:9000/response \\
        --concurrency 200 --requests 5000 --seconds 10 --tag c200
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

# A fixed mix of what people ask: commands, topics, places and a long natural question.
QUERIES: tuple[str, ...] = (
    "behaviours resilience",
    "principles carers",
    "contact Leeds",
    "behaviours collaboration",
    "how do I stay resilient when the system pushes back?",
    "principles",
    "contact Bristol",
    "how do I lead without authority?",
    "help",
    "managing conflict and uncertainty in a multi-disciplinary team",
)
# Enough distinct people that the timezone cache and the reference table see real variety,
# few enough that a short run warms the cache as a long-running server's would be.
USERS = 100
TEAM_ID = "T0001"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c"
SECRET_ENV = "BENCH_SLACK_SIGNING_SECRET"
WARM = "warm"
# The longest the load generator waits for the parent's go-ahead after warming up.
PAUSE_SECONDS = 120.0
# One request never holds a worker longer than this; a hung server shows up as errors.
REQUEST_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Prepared:
    """One request, ready to send."""

    data: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What one timed request came back with (status 0 for a connection error or timeout)."""

    status: int
    seconds: float
    # True when the response body itself carried a message (Slack shows the body of a slash
    # command's acknowledgement as the answer), so no response_url post will follow.
    answered: bool = False


def slack_request(*, index: int, tag: str, response_base: str, secret: str) -> Prepared:
    """A signed ``/leadership`` slash command, as Slack posts it to the request URL."""
    user = index % USERS
    form = {
        "token": "bench-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "nhs-leaders",
        "channel_id": "C2147483705",
        "channel_name": "leadership-team",
        "user_id": f"UBENCH{user:04d}",
        "user_name": f"leader{user}",
        "command": "/leadership",
        "text": QUERIES[index % len(QUERIES)],
        "api_app_id": "A0001",
        "is_enterprise_install": "false",
        # The fake reads the send time back out of the path to time the whole answer.
        "response_url": f"{response_base}/{tag}-{index}-{time.monotonic_ns()}",
        "trigger_id": f"13345224609.738474920.{index:032x}",
    }
    body = urlencode(form).encode()
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return Prepared(
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature,
        },
    )


def teams_request(*, index: int, tag: str, service_url: str) -> Prepared:
    """A personal-chat message Activity with a unique id, as the Bot Connector posts it."""
    user = index % USERS
    activity = {
        "type": "message",
        # Unique per request, so the endpoint's dedupe never drops one.
        "id": f"{tag}-{index}",
        "timestamp": "2026-11-26T10:00:00.000Z",
        "localTimezone": "Europe/London",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:bench-user-{user:04d}", "name": f"Leader {user}"},
        "conversation": {
            "conversationType": "personal",
            "tenantId": TENANT_ID,
            "id": f"a:bench-conversation-{user:04d}",
        },
        "recipient": {"id": BOT_ID, "name": "Leadership Coach"},
        "textFormat": "plain",
        "text": QUERIES[index % len(QUERIES)],
        "attachments": [],
        "entities": [{"type": "clientInfo", "locale": "en-GB", "timezone": "Europe/London"}],
        "channelData": {"tenant": {"id": TENANT_ID}},
        "locale": "en-GB",
    }
    return Prepared(
        data=json.dumps(activity).encode(), headers={"Content-Type": "application/json"}
    )


async def _send(session: aiohttp.ClientSession, url: str, request: Prepared) -> Outcome:
    start = time.perf_counter()
    body = b""
    try:
        async with session.post(url, data=request.data, headers=request.headers) as response:
            body = await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError, OSError):
        status = 0
    return Outcome(status=status, seconds=time.perf_counter() - start, answered=b'"blocks"' in body)


async def _drive(
    *,
    url: str,
    build: Callable[[int], Prepared],
    concurrency: int,
    requests: int,
    seconds: float,
) -> tuple[list[Outcome], float]:
    """Send up to ``requests`` requests within ``seconds`` from ``concurrency`` workers."""
    indexes = itertools.count()
    outcomes: list[Outcome] = []
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            # Bounded twice: by the shared request budget and by the deadline.
            while time.perf_counter() < deadline:
                index = next(indexes)
                if index >= requests:
                    return
                outcomes.append(await _send(session, url, build(index)))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return outcomes, elapsed


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile of the sorted ``ordered``, to 0.01 (0 when it is empty)."""
    if not ordered:
        return 0.0
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))], 2)


def _summary(
    latencies_ms: Sequence[float],
    *,
    answered: int,
    errors: int,
    seconds: float,
    statuses: Mapping[str, int],
    concurrency: int,
) -> dict[str, Any]:
    return {
        "concurrency": concurrency,
        "count": len(latencies_ms),
        "answered": answered,
        "errors": errors,
        "rps": round(len(latencies_ms) / seconds, 1) if seconds > 0 else 0.0,
        "p50_ms": percentile(latencies_ms, 0.50),
        "p90_ms": percentile(latencies_ms, 0.90),
        "p99_ms": percentile(latencies_ms, 0.99),
        "max_ms": round(latencies_ms[-1], 2) if latencies_ms else 0.0,
        "seconds": round(seconds, 3),
        "statuses": dict(statuses),
    }


def summarise(
    outcomes: Sequence[Outcome], *, elapsed: float, concurrency: int, samples: bool = False
) -> dict[str, Any]:
    """Counts, throughput and latency percentiles of the 2xx answers (and each, if ``samples``)."""
    ok = sorted(o.seconds * 1000 for o in outcomes if 200 <= o.status < 300)
    answered = sorted(o.seconds * 1000 for o in outcomes if 200 <= o.status < 300 and o.answered)
    summary = _summary(
        ok,
        answered=len(answered),
        errors=len(outcomes) - len(ok),
        seconds=elapsed,
        statuses=Counter(str(o.status) for o in outcomes),
        concurrency=concurrency,
    )
    if samples:
        summary["latencies_ms"] = [round(x, 3) for x in ok]
        summary["answered_ms"] = [round(x, 3) for x in answered]
    return summary


def combine(summaries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One summary of several runs made with ``samples``: throughput over their summed time.

    Alternating short runs of two servers, then combining each server's runs, keeps a burst of
    noise from another process on the machine from landing on one side of a ratio only.
    """
    statuses: Counter[str] = Counter()
    for summary in summaries:
        statuses.update(summary["statuses"])
    combined = _summary(
        sorted(x for summary in summaries for x in summary["latencies_ms"]),
        answered=sum(int(summary["answered"]) for summary in summaries),
        errors=sum(int(summary["errors"]) for summary in summaries),
        seconds=sum(float(summary["seconds"]) for summary in summaries),
        statuses=statuses,
        concurrency=int(summaries[0]["concurrency"]),
    )
    combined["answered_ms"] = sorted(x for summary in summaries for x in summary["answered_ms"])
    return combined


def _builder(args: argparse.Namespace, tag: str) -> Callable[[int], Prepared]:
    if args.kind == "slack":
        secret = os.environ.get(SECRET_ENV, "")
        if not secret:
            raise SystemExit(f"set {SECRET_ENV} to the server's signing secret")

        def build_slack(index: int) -> Prepared:
            return slack_request(
                index=index, tag=tag, response_base=args.response_base, secret=secret
            )

        return build_slack

    def build_teams(index: int) -> Prepared:
        return teams_request(index=index, tag=tag, service_url=args.service_url)

    return build_teams


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    warm: list[Outcome] = []
    if args.warmup:
        # Unmeasured: fills keep-alive pools and the server's caches (auth.test, users.info).
        warm, _ = await _drive(
            url=args.url,
            build=_builder(args, f"warm{args.tag}"),
            concurrency=args.concurrency,
            requests=args.warmup,
            seconds=args.seconds,
        )
    if args.pause:
        # The parent lets the server finish its warm-up work (and reads its CPU time) first;
        # the warm-up's summary tells it how much work that is.
        summary = summarise(warm, elapsed=1.0, concurrency=args.concurrency)
        print(WARM, json.dumps(summary), flush=True)
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline), PAUSE_SECONDS)
    outcomes, elapsed = await _drive(
        url=args.url,
        build=_builder(args, args.tag),
        concurrency=args.concurrency,
        requests=args.requests,
        seconds=args.seconds,
    )
    return summarise(outcomes, elapsed=elapsed, concurrency=args.concurrency, samples=args.samples)


def build_parser() -> argparse.ArgumentParser:
    """The command line: the kind of traffic, where to send it, and how much."""
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen")
    parser.add_argument("kind", choices=("slack", "teams"))
    parser.add_argument("--url", required=True, help="the endpoint to POST to")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000, help="at most this many")
    parser.add_argument("--seconds", type=float, default=10.0, help="for at most this long")
    parser.add_argument("--warmup", type=int, default=0, help="unmeasured requests first")
    parser.add_argument("--tag", default="run", help="names this run's requests")
    parser.add_argument("--samples", action="store_true", help="print every latency as well")
    parser.add_argument(
        "--pause",
        action="store_true",
        help=f"after the warm-up, print {WARM!r} and its summary, then wait for a line",
    )
    parser.add_argument("--response-base", default="", help="slack: response_url prefix")
    parser.add_argument("--service-url", default="", help="teams: the Bot Connector URL")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one measured load and print its summary as the last line of stdout."""
    args = build_parser().parse_args(argv)
    for url in (args.url, args.response_base, args.service_url):
        # Benchmark traffic never leaves this machine.
        if url and not url.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise SystemExit(f"refusing a non-loopback URL: {url}")
    print(json.dumps(asyncio.run(_main(args))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
