"""A delivery pass of 2,000 nudges killed with SIGKILL mid-run, then run again.

Every nudge must arrive. A nudge can arrive twice only in the documented in-flight window:
Slack accepted it but the killed process had not yet recorded it as sent. The test measures
that window (how many arrived twice) and prints it, rather than hiding it; it must stay
within the pass's concurrency, the most sends that can be in flight at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time as clock
from pathlib import Path

import pytest

from tests.adapters.store.databases import pg_schema_url
from tests.app.delivery.fake_slack import slack_in_thread
from tests.app.delivery.test_processes import count, env_for, finish, start_pass, subscribe_all
from tests.eventually import eventually, steady

NUDGES = 2000
CONCURRENCY = 64
LEASE_SECONDS = 4.0


def _running(process: subprocess.Popen[str]) -> bool:
    assert process.poll() is None, process.communicate()[1]
    return True


# A 2,000-nudge pass started three or more times: minutes on a loaded 2-core machine.
@pytest.mark.slow
@pytest.mark.timeout(300)
def test_sigkill_mid_pass_then_restart_delivers_every_nudge_and_measures_the_window(
    tmp_path: Path,
) -> None:
    users = [f"U{i:05d}" for i in range(NUDGES)]
    with pg_schema_url() as url, slack_in_thread() as slack:
        subscribe_all(url, users)
        settings = {
            "COACH_NUDGE_CONCURRENCY": str(CONCURRENCY),
            # Pacing is measured elsewhere; here the kill must land in a fast, full pass. Off
            # rather than very high: on PostgreSQL every token is a round trip to the shared
            # bucket (app/delivery/shared_pacing.py), and 2,000 of them would slow the pass
            # past its 1.6 s claim window.
            "COACH_SLACK_WORKSPACE_RPS": "off",
        }
        # A short lease so the test need not wait long for the dead pass's claims to lapse.
        env = env_for(
            url,
            slack.api_url,
            COACH_NUDGE_LEASE_SECONDS=str(LEASE_SECONDS),
            COACH_NUDGE_SEND_TIMEOUT_SECONDS="2",
            **settings,
        )
        # The restarted passes get production-like room: with a 2 s send timeout, a loaded
        # machine made sends time out *after* the fake had accepted them, and the next pass
        # sent those again: doubles outside the window this test measures.
        restart_env = env_for(
            url,
            slack.api_url,
            COACH_NUDGE_LEASE_SECONDS="120",
            COACH_NUDGE_SEND_TIMEOUT_SECONDS="30",
            **settings,
        )
        doomed = start_pass(env)
        try:
            # Kill it in full flight: some sent, many still to go.
            eventually(
                lambda: _running(doomed) and count(url, "sent") >= NUDGES // 8,
                timeout=60,
                what="the pass to get going",
            )
            os.kill(doomed.pid, signal.SIGKILL)
            doomed.wait(10)
        finally:
            if doomed.poll() is None:
                doomed.kill()
                doomed.wait(10)
        # Sends the dead process had already put on the wire still land after the kill: wait
        # until the fake has answered every request that reached it and its count holds still
        # before reading it (reading at once once gave ``assert 91 == 52``).
        accepted = steady(lambda: len(slack.accepted))
        eventually(
            lambda: slack.in_flight == 0 and accepted(),
            timeout=30,
            what="the requests on the wire at the kill to land",
        )
        recorded_at_kill = count(url, "sent")
        reached_slack_at_kill = sum(slack.per_channel().values())
        assert recorded_at_kill < NUDGES, "the pass finished before it could be killed"

        clock.sleep(LEASE_SECONDS + 0.3)  # the dead pass's claims lapse
        # The restarted clock's passes (one a minute in production) until one finds nothing
        # owed; a pass may leave some for the next one, but never loses or repeats them.
        resent = []
        for _ in range(10):
            resent.append(finish(start_pass(restart_env))["sent"])
            if resent[-1] == 0:
                break
        assert resent[-1] == 0, resent

        per_user = slack.per_channel()
        assert len(per_user) == NUDGES, "a nudge was lost"
        assert count(url, "sent") == NUDGES
        twice = sum(n - 1 for n in per_user.values() if n > 1)
        window = reached_slack_at_kill - recorded_at_kill
        print(
            f"\nSIGKILL window: killed with {recorded_at_kill} recorded as sent and "
            f"{reached_slack_at_kill} received by Slack; later passes sent {resent}; "
            f"delivered twice: {twice} of {NUDGES}"
        )
        # Only what Slack had accepted but the dead pass had not recorded can be doubled.
        assert twice == window
        # Bounded by the sends in flight plus the accepted sends whose outcomes wait for the
        # next batched commit: 50 ms of flush interval plus the commit itself. Passes now send
        # at 1,000-1,200/s, and a commit on a loaded CI machine can take 50-100 ms, so that is
        # up to about 150 sends (a fresh-clone CI run measured 180 doubled: 64 + 116). What
        # must hold exactly is the line above; this one catches outcomes left unrecorded for
        # far longer than a batch (a stuck outcome writer would double hundreds).
        assert twice <= CONCURRENCY + 200
