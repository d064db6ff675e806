"""Run a loopback fake in a process of its own, so that it never shares the measured event loop.

The fake's function is called as ``target(conn, stop, *args)``: it sends its address on
``conn`` once it listens, waits for ``stop``, then sends its counts and returns.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any


class FakeProcess:
    """A fake's process, started and stopped around one benchmark run."""

    def __init__(self, target: Callable[..., None], *args: Any, name: str = "fake") -> None:
        ctx = multiprocessing.get_context("spawn")
        self._parent, child = ctx.Pipe()
        self._stop = ctx.Event()
        self._process = ctx.Process(target=target, args=(child, self._stop, *args))
        self._name = name
        self.address: Any = None

    def __enter__(self) -> FakeProcess:
        self._process.start()
        if not self._parent.poll(60):
            raise RuntimeError(f"the {self._name} did not start within 60 s")
        self.address = self._parent.recv()
        return self

    def results(self) -> dict[str, Any]:
        """Stop the fake and return what it counted."""
        self._stop.set()
        if not self._parent.poll(120):
            raise RuntimeError(f"the {self._name} did not report within 120 s")
        result: dict[str, Any] = self._parent.recv()
        self._process.join(10)
        return result

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
