"""The kind probe (a ridge classifier over the example groups' vectors), on made-up vectors and
on the shipped model with messages written for these tests (not taken from any example or test
set)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.understanding.probe import KINDS, KindProbe, KindShares


def _cluster(rng: np.random.Generator, centre: int, n: int) -> np.ndarray:
    """``n`` unit vectors around one axis of a 384-dimensional space."""
    vectors = rng.normal(scale=0.3, size=(n, 384)).astype(np.float32)
    vectors[:, centre] += 3.0
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _unit(axis: int) -> np.ndarray:
    vector = np.zeros(384, dtype=np.float32)
    vector[axis] = 1.0
    return vector


def test_each_group_is_told_from_the_others_and_the_shares_sum_to_one():
    rng = np.random.default_rng(0)
    # Unequal sizes on purpose: the fit weighs each group alike, so the biggest does not win.
    sizes = {"situations": 400, "no_answer": 60, "passages": 30, "small_talk": 20, "academies": 25}
    probe = KindProbe({k: _cluster(rng, i, sizes[k]) for i, k in enumerate(KINDS)})
    for axis, field in enumerate(("situation", "no_answer", "passage", "small_talk", "academy")):
        shares = probe.shares(_unit(axis))
        assert getattr(shares, field) > 0.9, (field, shares)
        total = sum(getattr(shares, f) for f in KindShares.__dataclass_fields__)
        assert total == pytest.approx(1.0, abs=1e-5)


def test_the_fit_is_the_same_every_time():
    rng = np.random.default_rng(1)
    groups = {k: _cluster(rng, i, 30) for i, k in enumerate(KINDS)}
    message = _cluster(np.random.default_rng(2), 1, 1)[0]
    assert KindProbe(groups).shares(message) == KindProbe(groups).shares(message)


def test_without_examples_every_message_reads_as_a_situation():
    assert KindProbe({}).shares(_unit(0)) == KindShares()
    assert KindProbe({"no_answer": np.zeros((0, 384), dtype=np.float32)}).shares(_unit(0)) == (
        KindShares()
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("where do I claim mileage for the community visits this month", "no_answer"),
        ("our two trusts keep arguing about who pays for the joint discharge team", "situation"),
        ("who actually came up with this system leadership framework", "passage"),
        ("cheers, much appreciated", "small_talk"),
        ("I'd love to do a leadership fellowship next year, where would I go for that", "academy"),
    ],
)
def test_the_shipped_examples_teach_each_kind(understanding, text, kind):
    shares = understanding.shares(text)
    assert getattr(shares, kind) > 0.8, shares


def test_without_the_model_the_probe_is_not_asked(words_only):
    assert words_only.probe is None
    assert words_only.shares("where do I claim mileage") == KindShares()
