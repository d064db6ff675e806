"""Questions piped through ``coach ask --json`` in its own process, as the shared scorer does."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def ask_json(questions: Sequence[str], *, timeout: float = 600) -> list[dict[str, Any]]:
    """One answer per question, in order (a question's line breaks become spaces)."""
    feed = "".join(q.replace("\n", " ") + "\n" for q in questions)
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "ask", "--json"],
        input=feed,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answers = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(answers) == len(questions), f"{len(answers)} answers for {len(questions)} questions"
    return answers
