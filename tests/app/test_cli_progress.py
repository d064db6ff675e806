"""``coach ask --json progress``: the figures other tools read, and the chart written to disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet
from PIL import Image

from adapters.charts import HEIGHT_PX, WIDTH_PX
from adapters.console.identity import console_who
from adapters.store.crypto import Cipher
from adapters.store.db import make_engine
from adapters.store.repositories import sql_stores
from adapters.store.schema import ensure_schema
from bot.content import load_content

COACH = [sys.executable, "-m", "app.cli"]


def _env(tmp_path: Path, key: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "DATABASE_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
        "COACH_DATA_KEY": key,
        "COACH_EXPORT_DIR": str(tmp_path / "out"),
        "LOG_LEVEL": "WARNING",
    }


def _ask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COACH, "ask", *args], capture_output=True, text=True, timeout=120, env=env, check=True
    )


def test_ask_json_progress_returns_the_contract_and_writes_the_chart(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    env = _env(tmp_path, key)
    empty = json.loads(_ask(env, "--json", "progress").stdout)
    assert empty == {
        "intent": "progress",
        "assessments": [],
        "focus": [],
        "reflections_per_month": {},
        "chart": None,
    }

    content = load_content()
    engine = make_engine(env["DATABASE_URL"])
    ensure_schema(engine)
    stores = sql_stores(engine, cipher=Cipher([key]))
    me = console_who()  # the OS user, as the subprocess sees it too
    when = datetime(2026, 11, 20, 10, tzinfo=UTC)
    started = stores.coaching.start_assessment(me, now=when)
    stores.coaching.rate(me, started.id, {"ie-1": 3, "ie-2": 4, "rc-1": 2}, now=when)
    stores.coaching.finish_assessment(me, started.id, now=when)
    stores.coaching.set_focus(me, ["rc-1"], now=when)
    stores.journal.add(me, text="A note.", row_id="", question="", now=when)
    engine.dispose()

    answer = json.loads(_ask(env, "--json", "progress").stdout)
    assert set(answer) == {"intent", "assessments", "focus", "reflections_per_month", "chart"}
    assert answer["intent"] == "progress"
    names = [d.name for d in content.domains]
    assert answer["assessments"] == [
        {"date": "2026-11-20", "domains": dict(zip(names, [3.5, 2.0, None, None], strict=True))}
    ]
    assert answer["focus"] == ["rc-1"]
    months = answer["reflections_per_month"]
    assert months["2026-11"] == 1
    assert sum(months.values()) == 1
    chart = Path(answer["chart"])
    assert chart.parent == (tmp_path / "out").resolve()
    with Image.open(chart) as image:
        assert image.format == "PNG"
        assert image.size == (WIDTH_PX, HEIGHT_PX)

    # As a person reads it: the summary, then where the chart was saved.
    text = _ask(env, "progress").stdout
    assert text.startswith("Your progress.")
    assert "Individual Effectiveness: 3.5" in text
    assert text.rstrip().splitlines()[-1].startswith("File saved: ")
