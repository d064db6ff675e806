"""``coach chat`` typed votes and ``coach feedback``, as an editor runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COACH = [sys.executable, "-m", "app.cli"]


def _run(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COACH, *args], input=stdin, capture_output=True, text=True, timeout=90, env=env
    )


def test_votes_typed_in_chat_show_in_the_report_without_the_question(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    empty = _run("feedback", env=env)
    assert empty.returncode == 0, empty.stderr
    assert "No votes yet" in empty.stdout
    script = (
        "principles carers\nhelpful\n"
        "my appraiser says I come across as arrogant in meetings\nnot quite\nquit\n"
    )
    chat = _run("chat", env=env, stdin=script)
    assert chat.returncode == 0, chat.stderr
    assert "`Helpful` · `Not quite`" in chat.stdout
    assert "Thanks, noted" in chat.stdout
    report = _run("feedback", env=env)
    assert report.returncode == 0, report.stderr
    lines = report.stdout.splitlines()
    assert any(line.split()[:4] == ["principles", "1", "0", "0%"] for line in lines)
    assert any(line.split()[:4] == ["search", "1", "1", "100%"] for line in lines)
    assert any(line.startswith("p4 ") and "Carers are identified" in line for line in lines)
    assert b"arrogant" not in db.read_bytes()
