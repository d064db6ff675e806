"""A process that takes pacing tokens for one tenant and prints when it got each one.

``python -m tests.app.delivery.pacing_worker URL RATE COUNT START [PAUSE]``: wait until the
wall-clock instant START (so that processes started one after another begin together), take
COUNT tokens from the shared Pacer on the database at URL, print their wall-clock times as
one JSON list. With PAUSE, first record a ``Retry-After`` of PAUSE seconds for the tenant.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from adapters.store.db import make_engine
from app.delivery.pacing import Limits, Pacer
from bot.identity import Who

TENANT = Who(platform="teams", workspace_id="tenant-shared", user_id="29:someone")


async def main(url: str, rate: float, count: int, start: float, pause: float) -> list[float]:
    engine = make_engine(url)
    pacer = Pacer(Limits(teams_tenant_rps=rate), engine=engine)
    await asyncio.sleep(max(0.0, start - time.time()))
    if pause:
        pacer.pause(TENANT, seconds=pause)
        await asyncio.sleep(0.2)  # let the row update land before anyone else takes
    stamps = []
    for _ in range(count):
        await pacer.take(TENANT)
        stamps.append(time.time())
    engine.dispose()
    return stamps


if __name__ == "__main__":
    url, rate, count, start = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    pause = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    print(json.dumps(asyncio.run(main(url, rate, count, start, pause))))
