"""A message's two vectors, each computed once: the untuned model's and the ranker's.

A message that is ranked is encoded by both models (:mod:`.reader`). The two encodings do not
depend on each other, and onnxruntime releases the GIL while it runs, so the ranker's can run on
the second core while the untuned one runs here: :meth:`Encodings.prefetch` starts it as soon as
a message is known to be one to rank. Measured on the 2-core CPU with VNNI this project runs on,
over 200 messages of 20 words: both one after the other 7.0 ms, at once 4.2 ms, the untuned one
alone 2.6 ms. (On a slower CPU without VNNI the two did not overlap at all; nothing is lost there.)
Under load, when both cores are busy anyway, it costs no more CPU than encoding in turn.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache

from bot.semantic.encoder import Vectors
from bot.text import clean, words
from bot.understanding.vectors import Space

# Recent messages whose vectors are kept (a message is read several times while answered).
KEEP = 64


class Encodings:
    """The vectors of recent messages in the untuned model's space and in the ranker's."""

    def __init__(
        self,
        space: Space | None,
        ranking: Space | None,
        *,
        prepare: Callable[[str], str] = str,
    ) -> None:
        """``space`` and ``ranking`` are the two models' spaces; ``None`` for a missing one.
        ``prepare`` rewrites a cleaned message before either model reads it (typos)."""
        self._space = space
        self._ranking = ranking
        self._prepare = prepare
        self._vector: Callable[[str], Vectors | None] = lru_cache(maxsize=KEEP)(self._encode)
        self._lock = threading.Lock()
        self._ranked: OrderedDict[str, Future[Vectors | None]] = OrderedDict()
        self._worker: ThreadPoolExecutor | None = None
        # The process the worker thread belongs to (see _after_fork).
        self._worker_pid = os.getpid()

    def vector(self, text: str) -> Vectors | None:
        """The vector of ``text`` in the untuned model's space."""
        # Keyed by the cleaned text, which is what is encoded: routing hands on the cleaned
        # message ("contact" questions, searches) while other checks read it as typed, and
        # each was encoded once more (~7 ms for a long message).
        return self._vector(clean(text))

    def prefetch(self, text: str) -> None:
        """Start encoding ``text`` with the ranker's model on a worker thread, if not done."""
        if self._ranking is None:
            return
        text = clean(text)
        with self._lock:
            self._after_fork()
            if text in self._ranked:
                return
            if self._worker is None:
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ranker")
            self._keep(text, self._worker.submit(self._encode_ranked, text))

    def ranking_vector(self, text: str) -> Vectors | None:
        """The vector of ``text`` in the ranker's space (waiting for a prefetch under way)."""
        text = clean(text)
        with self._lock:
            self._after_fork()
            pending = self._ranked.get(text)
            if pending is not None:
                self._ranked.move_to_end(text)
        if pending is None:
            pending = Future()
            pending.set_result(self._encode_ranked(text))
            with self._lock:
                self._keep(text, pending)
        return pending.result()

    def clear(self) -> None:
        """Forget every kept vector (benchmarks time each message from scratch)."""
        self._vector.cache_clear()  # type: ignore[attr-defined]
        with self._lock:
            self._ranked.clear()

    def _after_fork(self) -> None:
        """In a forked child, forget the parent's worker and the work queued to it (its thread
        was not copied, so that work would never finish). Called with the lock held."""
        if self._worker_pid != os.getpid():
            self._worker = None
            self._ranked.clear()
            self._worker_pid = os.getpid()

    def _keep(self, text: str, vector: Future[Vectors | None]) -> None:
        self._ranked[text] = vector
        while len(self._ranked) > KEEP:
            self._ranked.popitem(last=False)

    # Both take cleaned text (clean() is idempotent, so the model reads what it always did).
    def _encode(self, text: str) -> Vectors | None:
        if self._space is None or not words(text):
            return None
        return self._space.encode(self._prepare(text))

    def _encode_ranked(self, text: str) -> Vectors | None:
        if self._ranking is None or not words(text):
            return None
        return self._ranking.encode(self._prepare(text))
