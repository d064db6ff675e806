"""Issue 12's "done when" on the console: ``coach chat`` runs the coaching loop as the OS user."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

COACH = [sys.executable, "-m", "app.cli"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
        "COACH_DATA_KEY": Fernet.generate_key().decode(),
        "COACH_EXPORT_DIR": str(tmp_path / "exports"),
        "USER": "megan",
        "LOGNAME": "megan",
    }


def coach(env: dict[str, str], *args: str, stdin: str = "") -> str:
    out = subprocess.run(
        [*COACH, *args], input=stdin, capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_chat_runs_the_loop_assess_summary_focus_reflect_and_it_is_kept(env):
    ratings = ["3"] * 7 + ["stop"]
    first = coach(env, "chat", stdin="\n".join(["assess", "9", *ratings, "quit"]) + "\n")
    assert first.startswith("This week's reflection.")
    assert "Self-assessment: 1 of 30 (Individual Effectiveness)" in first
    assert "That is not one of the answers." in first
    assert "Saved: 7 of 30 rows answered." in first

    # Carry on where it stopped: 23 rows left, the lowest two rated 1.
    rest = ["1", "1", *(["4"] * 20), "skip"]
    script = ["assess", *rest, "set this focus", "focus resilience", "nudges on"]
    script += ["journal add Asked the ward what they needed before I spoke.", "quit"]
    second = coach(env, "chat", stdin="\n".join(script) + "\n")
    assert "Self-assessment: 8 of 30 (Relationships and Connectivity)" in second
    assert "Your self-assessment of" in second
    assert "29 rows rated, 1 skipped." in second
    assert "• Individual Effectiveness: 3.0" in second
    assert "Where to grow:" in second
    assert "Your focus is set." in second
    assert "remove one" in second  # three rows already
    assert "delivered in Slack or Teams" in second
    assert "Saved to your private journal" in second

    # A reflection this week: no prompt at the next start. The same data through `coach ask`.
    third = coach(env, "chat", stdin="quit\n")
    assert "This week's reflection" not in third
    answer = json.loads(coach(env, "ask", "--json", "focus"))
    assert answer["intent"] == "focus"
    assert "Create shared vision" in answer["reply"]
    assert "Your self-assessment" in coach(env, "ask", "assess", "summary")


def test_each_os_user_sees_only_their_own(env):
    coach(env, "chat", stdin="focus resilience\nquit\n")
    other = env | {"USER": "adele", "LOGNAME": "adele"}
    assert "No focus set" in coach(other, "ask", "focus")
    assert "Patience, persistence and resilience" in coach(env, "ask", "focus")
