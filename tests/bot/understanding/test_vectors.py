"""Vectors by group, encoded once and reused from the cache file at the next start."""

from __future__ import annotations

import numpy as np
import pytest

from bot.semantic import Encoder
from bot.understanding.vectors import Space, default_cache_dir


@pytest.fixture(scope="module")
def encoder(understanding) -> Encoder:
    assert understanding.space is not None
    return understanding.space.encoder


def test_groups_keep_their_order_and_size(encoder, tmp_path):
    groups = {"a": ["leading without authority", "resilience"], "b": ["reset my password"]}
    space = Space.build(encoder, groups, cache=tmp_path / "v.npz")
    query = space.encode("reset the password please")
    assert space.similarities(query, "a").shape == (2,)
    assert space.similarities(query, "b")[0] > space.similarities(query, "a").max()


def test_the_cache_file_is_written_and_reused(encoder, tmp_path):
    path = tmp_path / "v.npz"
    groups = {"a": ["one text", "another text"]}
    first = Space.build(encoder, groups, cache=path)
    assert path.exists()
    again = Space.build(encoder, groups, cache=path)
    q = first.encode("text")
    assert np.allclose(first.similarities(q, "a"), again.similarities(q, "a"))


def test_the_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path
    monkeypatch.delenv("COACH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_cache_dir() == tmp_path / "x" / "system-leadership-coach"


def test_nearest_in_several_groups_agrees_with_each_group_alone(encoder, tmp_path):
    groups = {
        "a": ["leading without authority", "resilience"],
        "empty": [],
        "b": ["reset my password", "book a room", "order a badge"],
        "c": ["I feel overwhelmed"],
    }
    space = Space.build(encoder, groups, cache=tmp_path / "v.npz")
    query = space.encode("please reset my password")
    found = space.nearest(query, ("b", "empty", "a"))
    for (index, similarity), name in zip(found, ("b", "empty", "a"), strict=True):
        sims = space.similarities(query, name)
        if not len(sims):
            assert (index, similarity) == (-1, 0.0)
            continue
        assert index == int(np.argmax(sims))
        assert similarity == pytest.approx(float(sims.max()), abs=1e-6)
    assert found[0][0] == 0  # "reset my password"
