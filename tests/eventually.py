"""Wait for a condition instead of sleeping: the suite's one waiting helper.

A test that needs something to *happen* (a request to reach a fake, a row to be written, a
process to come up) polls a predicate until it holds, and fails with a clear message when it
does not within ``timeout``. A fixed ``sleep`` is either too short on a loaded machine (a
flaky test) or too long on an idle one (a slow suite); a poll is neither.

A "nothing more arrives" check waits until the work that could send more has finished (see
:func:`tests.fakes.quiet`), then asserts the count: it never sleeps and hopes.

Example:
    >>> eventually(lambda: count(url, "sent") >= 250, timeout=60, what="the pass got going")
    >>> await eventually_async(lambda: fake.received("/response"), what="an answer")
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

# Polls are cheap (a list length, a COUNT(*)); 20 ms keeps waits short without busy-looping.
INTERVAL = 0.02


def eventually(
    predicate: Callable[[], T],
    timeout: float = 10.0,
    *,
    what: str = "",
    interval: float = INTERVAL,
) -> T:
    """Poll ``predicate`` until it returns a truthy value; return that value.

    Args:
        predicate: Called with no arguments; any exception it raises propagates at once.
        timeout: Seconds to wait before failing.
        what: What is awaited, for the failure message.
        interval: Seconds between polls.

    Raises:
        AssertionError: ``predicate`` stayed falsy for ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {timeout}s: {what or predicate!r} (last: {value!r})")
        time.sleep(interval)


async def eventually_async(
    predicate: Callable[[], T | Awaitable[T]],
    timeout: float = 10.0,  # noqa: ASYNC109 (same signature as the sync form; it *is* the timeout)
    *,
    what: str = "",
    interval: float = INTERVAL,
) -> T:
    """The async form of :func:`eventually`: polls without blocking the event loop.

    ``predicate`` may also be a coroutine function (an HTTP probe, say): each poll awaits it.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        value = await result if inspect.isawaitable(result) else result
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {timeout}s: {what or predicate!r} (last: {value!r})")
        await asyncio.sleep(interval)


def steady(read: Callable[[], object], *, polls: int = 5) -> Callable[[], bool]:
    """A predicate that holds once ``read()`` has returned the same value ``polls`` times in a row.

    For counts that may still be rising when a test looks (requests a killed process had
    already put on the wire): ``eventually(steady(lambda: len(fake.requests)))``.
    """
    last: list[object] = []

    def held() -> bool:
        value = read()
        if last and last[-1] != value:
            last.clear()
        last.append(value)
        return len(last) >= polls

    return held
