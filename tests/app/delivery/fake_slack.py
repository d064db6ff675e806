"""The project's fake Slack Web API, run in a thread of its own so that subprocesses can use it.

:class:`CountingSlackApi` adds two things the delivery tests need: the list of messages it
*accepted* (answered ``ok``), and two ways to hold ``chat.postMessage`` unanswered:
``hang_after`` (once that many were let through, every further post hangs, as if Slack had
stalled) and :meth:`CountingSlackApi.hold` (every post waits until :meth:`release`).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import web

from tests.fakes.slack_api import FakeSlackApi, RecordedRequest


class CountingSlackApi(FakeSlackApi):
    """The fake, counting accepted posts and able to stall after N of them."""

    def __init__(self, *, loop: asyncio.AbstractEventLoop | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.accepted: list[dict[str, Any]] = []
        self.hang_after: int | None = None
        # Posts let through so far. Counted when a post arrives, not when it is answered, so that
        # posts arriving together cannot all slip past ``hang_after`` before any is recorded.
        self._admitted = 0
        # The loop the fake serves on, for :meth:`release` from the test's thread.
        self._loop = loop
        self._gate: asyncio.Event | None = None

    def _chat_postMessage(self, request: RecordedRequest) -> dict[str, Any]:  # noqa: N802
        answer = super()._chat_postMessage(request)
        self.accepted.append({**request.body, "channel": answer["channel"], "ts": answer["ts"]})
        return answer

    async def _fault(self, path: str) -> web.Response | None:
        if path == "/chat.postMessage":
            if self.hang_after is not None and self._admitted >= self.hang_after:
                await asyncio.sleep(3600)
            self._admitted += 1
            if self._gate is not None:
                await self._gate.wait()
        return await super()._fault(path)

    def hold(self) -> None:
        """Hold every post from now on until :meth:`release`; call before clients start."""
        self._gate = asyncio.Event()

    def release(self) -> None:
        """Let held and later posts through; safe to call from any thread."""
        if self._loop is not None and self._gate is not None:
            self._loop.call_soon_threadsafe(self._gate.set)

    def per_channel(self) -> Counter:
        return Counter(m["channel"] for m in list(self.accepted))


@contextmanager
def slack_in_thread(**kwargs: Any) -> Iterator[CountingSlackApi]:
    """Start :class:`CountingSlackApi` on its own event loop thread; stop it afterwards."""
    loop = asyncio.new_event_loop()
    fake = CountingSlackApi(loop=loop, **kwargs)
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(fake.start())
        ready.set()
        loop.run_forever()
        # Held requests are still sleeping; cancel them so the loop can close cleanly.
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.run_until_complete(fake.stop())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10), "fake Slack did not start"
    try:
        yield fake
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
