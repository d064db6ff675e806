"""Smoke tests of the Slack, Teams and fan-out benchmarks: a tiny load through every real process.

Each runs the whole section as ``python -m bench`` does (``coach serve`` and the fakes in
their own processes, the load generator in another) with a handful of requests, and checks
only that figures come back, nothing failed, and every request was really answered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fanout import run_in_child as fanout_in_child
from bench.plot import plot
from bench.slack import SlackLoad
from bench.slack import measure as measure_slack
from bench.teams import TeamsLoad
from bench.teams import measure as measure_teams


@pytest.mark.slow
def test_slack_benchmark_answers_every_command_and_compares_with_bare_bolt() -> None:
    # Two alternating rounds of 12 requests per server, combined.
    load = SlackLoad(
        concurrencies=(4,), rounds=2, seconds=2.0, requests=12, warmup=4, drain_seconds=10.0
    )
    figures = measure_slack(load)

    assert figures["slash_requests"] == 24
    assert figures["bare_bolt_requests"] == 24
    assert figures["slash_errors"] == 0
    assert figures["bare_bolt_errors"] == 0
    # Every command was answered (through the response_url, or in the ack), none with an apology.
    assert figures["slash_unanswered"] == 0
    assert figures["slash_responses"] + figures["slash_answers_in_ack"] == 24  # type: ignore[operator]
    assert figures["slash_apologies"] == 0
    assert float(figures["slash_rps"]) > 0  # type: ignore[arg-type]
    assert float(figures["slash_vs_bare_bolt"]) > 0  # type: ignore[arg-type]
    assert 0 < float(figures["ack_p50_ms"]) <= float(figures["ack_p99_ms"])  # type: ignore[arg-type]


@pytest.mark.slow
def test_teams_benchmark_gets_a_reply_for_every_activity() -> None:
    figures = measure_teams(TeamsLoad(concurrencies=(4,), seconds=2.0, requests=16, warmup=4))

    assert figures["teams_requests"] == 16
    assert figures["teams_errors"] == 0
    assert figures["teams_replies"] == 16
    assert figures["teams_unanswered"] == 0
    assert float(figures["teams_rps"]) > 0  # type: ignore[arg-type]
    assert 0 < float(figures["teams_p50_ms"]) <= float(figures["teams_p99_ms"])  # type: ignore[arg-type]


@pytest.mark.slow
def test_fanout_runs_in_a_process_of_its_own_and_loses_nothing() -> None:
    figures = fanout_in_child(users=200)

    assert figures["fanout_users"] == 200
    assert figures["fanout_lost"] == 0
    assert figures["fanout_duplicates"] == 0
    assert float(figures["fanout_per_s"]) > 0
    # This process's models and test data are not counted: the child's own peak only.
    assert 0 < float(figures["fanout_peak_mb"]) < 300


def test_plot_draws_whatever_figures_there_are(tmp_path: Path) -> None:
    path = tmp_path / "bench.png"
    plot({"slash_rps": 300.0, "bare_bolt_rps": 1000.0, "ack_p99_ms": 250.0}, path)

    assert path.read_bytes().startswith(b"\x89PNG")
