"""Issue 9, item 1: in anonymous Teams mode ``coach serve`` listens on loopback only.

Started as a user would (``coach serve``), with ``TEAMS_ALLOW_ANONYMOUS=1`` and no ``HOST``;
the kernel's own table of listening sockets says which address it bound.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.faults.harness import coach_serve, serve_env

# Starts `coach serve` (and, here and there, other processes).
pytestmark = pytest.mark.slow


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as /proc shows them) with a socket listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc/net/tcp")
def test_anonymous_mode_binds_loopback_and_says_so(tmp_path: Path) -> None:
    async def scenario() -> None:
        env = serve_env(
            database_url=f"sqlite:///{tmp_path / 'bind.db'}", slack_api="http://127.0.0.1:9/api/"
        )
        env.pop("HOST")  # exactly as a new user runs it: no HOST
        async with coach_serve(env, tmp_path) as served:
            port = int(served.url.rsplit(":", 1)[1])
            assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
            log = served.log()
            assert "TEAMS_ALLOW_ANONYMOUS=1" in log
            assert "ANONYMOUS" in log
            assert "listening on 127.0.0.1:" in log

    asyncio.run(scenario())
