"""Issue 9, item 8: the SQLite file is deleted or replaced under a running ``coach serve``.

Before, the open connections went on writing into the deleted file: ``journal add`` said
"Saved" for a reflection nobody could ever read, and /healthz said ``{"ok": true}``. Now
/healthz is a 503 naming the database, and a write gets "try again shortly".
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

import aiohttp
import pytest
from cryptography.fernet import Fernet

from bot.notices import TRY_AGAIN_TEXT
from tests.fakes.slack_api import FakeSlackApi
from tests.faults.harness import Served, coach_serve, serve_env

# Starts `coach serve` (and, here and there, other processes).
pytestmark = pytest.mark.slow

SAVED = "Saved to your private journal"


async def _journal_add(
    served: Served, http: aiohttp.ClientSession, fake: FakeSlackApi, name: str
) -> str:
    answered = len(fake.received("/response"))
    status, acked = await served.command(
        http, f"journal add note {name}", response_url=fake.response_url(name)
    )
    assert status == 200
    if acked.strip():
        return acked
    posted = await fake.wait_for("/response", count=answered + 1, within=10)
    [answer] = [r for r in posted if r.url.endswith("/" + name)]
    return answer.text_everywhere


async def _health(served: Served, http: aiohttp.ClientSession) -> tuple[int, dict[str, object]]:
    async with http.get(f"{served.url}/healthz") as response:
        return response.status, await response.json()


def _lose(database: Path, how: str) -> None:
    if how == "deleted":
        for path in database.parent.glob(database.name + "*"):
            path.unlink()
    else:  # a copy (an older backup, say) put in its place
        copy = database.with_name("copy.db")
        shutil.copy(database, copy)
        os.replace(copy, database)


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_lost_database_file_is_an_outage_not_saved(tmp_path: Path, how: str) -> None:
    database = tmp_path / "coach.db"

    async def scenario() -> None:
        async with FakeSlackApi() as fake:
            env = serve_env(database_url=f"sqlite:///{database}", slack_api=fake.api_url)
            env["COACH_DATA_KEY"] = Fernet.generate_key().decode()
            async with coach_serve(env, tmp_path) as served, aiohttp.ClientSession() as http:
                assert (await _health(served, http))[0] == 200
                assert SAVED in await _journal_add(served, http, fake, "before")

                _lose(database, how)

                answer = await _journal_add(served, http, fake, "after")
                assert SAVED not in answer
                assert json.dumps(TRY_AGAIN_TEXT)[1:-1] in answer or TRY_AGAIN_TEXT in answer
                status, body = await _health(served, http)
                assert status == 503, body
                assert body["ok"] is False
                database_part = body["database"]
                assert isinstance(database_part, dict)
                assert how in str(database_part["error"])
            assert "Traceback" not in served.log()

    asyncio.run(scenario())
