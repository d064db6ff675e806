"""A message's two vectors: the ranker's may be started on a worker thread, and is then the
same vector, computed once, as when asked for directly."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from bot.understanding.encodings import KEEP, Encodings
from tests.eventually import eventually

TEXT = "the two trusts cannot agree who runs the joint discharge hub"


def _fresh(understanding) -> Encodings:
    return Encodings(understanding.space, understanding.ranking)


def test_a_prefetched_vector_is_the_one_computed_directly(understanding):
    direct = _fresh(understanding).ranking_vector(TEXT)
    encodings = _fresh(understanding)
    encodings.prefetch(TEXT)
    assert direct is not None
    np.testing.assert_allclose(encodings.ranking_vector(TEXT), direct, atol=1e-6)
    # The two models differ: the ranker's is not the untuned one's.
    assert float(direct @ encodings.vector(TEXT)) < 0.999


def test_each_text_is_encoded_once(understanding, monkeypatch):
    encodings = _fresh(understanding)
    calls: list[str] = []
    encode = understanding.ranking.encode
    monkeypatch.setattr(understanding.ranking, "encode", lambda t: calls.append(t) or encode(t))
    encodings.prefetch(TEXT)
    encodings.prefetch(TEXT)
    first = encodings.ranking_vector(TEXT)
    assert encodings.ranking_vector(TEXT) is first
    assert len(calls) == 1


def test_only_the_latest_texts_are_kept_and_clear_forgets_them(understanding):
    encodings = _fresh(understanding)
    for i in range(KEEP + 5):
        encodings.prefetch(f"message {i} about partnership working")
    encodings.ranking_vector("message 70 about partnership working")
    assert len(encodings._ranked) == KEEP
    encodings.clear()
    assert not encodings._ranked


def test_text_without_words_and_a_missing_model_give_no_vector(understanding, words_only):
    encodings = _fresh(understanding)
    encodings.prefetch("!!! ???")
    assert encodings.ranking_vector("!!! ???") is None
    assert encodings.vector("") is None
    without = Encodings(None, None)
    without.prefetch(TEXT)
    assert without.ranking_vector(TEXT) is None


def test_many_threads_asking_at_once_all_get_the_vector(understanding):
    encodings = _fresh(understanding)
    texts = [f"{TEXT} number {i % 8}" for i in range(64)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(encodings.prefetch, texts))
        vectors = list(pool.map(encodings.ranking_vector, texts))
    assert all(v is not None and v.shape == (384,) for v in vectors)


def test_a_forked_child_starts_its_own_worker(understanding):
    encodings = _fresh(understanding)
    encodings.prefetch("first message about the ICB")
    assert encodings.ranking_vector("first message about the ICB") is not None
    # The child inherits the executor but not its thread: work queued to it would never run.
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the child)
        try:
            encodings.prefetch("second message about the ICB")
            found = encodings.ranking_vector("second message about the ICB") is not None
            os._exit(0 if found else 1)
        finally:
            os._exit(2)
    reaped: list[int] = []

    def finished() -> bool:
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid:
            reaped.append(status)
        return bool(pid)

    try:
        eventually(finished, what="the forked child's vector")
    finally:
        if not reaped:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(reaped[0]) == 0
