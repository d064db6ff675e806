"""Issue 9, item 8: /healthz queries the database, says which part is down, shows no secret."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from tests.faults.harness import free_port
from tests.security.served import whole_app

PASSWORD = "hz-canary-password-77"


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
        return response.status, await response.text()


def test_healthz_names_the_database_when_it_is_down_and_never_its_url() -> None:
    async def scenario() -> None:
        closed = free_port()
        env = {"DATABASE_URL": f"postgresql://coach:{PASSWORD}@127.0.0.1:{closed}/coach"}
        async with whole_app(env) as url:
            status, text = await _get(url)
        assert status == 503, text
        assert '"database": {"ok": false' in text
        assert PASSWORD not in text
        assert "coach:" not in text

    asyncio.run(scenario())


def test_healthz_is_200_with_a_working_database(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with whole_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}) as url:
            assert await _get(url) == (200, '{"ok": true, "database": {"ok": true}}')

    asyncio.run(scenario())
