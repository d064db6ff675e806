"""What kind of message this is: a leadership situation, a question for no one, about the
briefing, small talk or a request for an academy, by a linear classifier over the example
files' vectors.

The nearest-example tests (:mod:`.guard`) look at a message's two nearest neighbours in each
group, so one admin example that shares a phrase, or none that does, decides. A linear
classifier weighs every example of each group at once: it learns which directions of the
model's space separate "where is the budget code" from "the budget conversation with the
council went badly", whatever the words. On the tune part of a set by a separate writer
(``tests/data/situational_probe.jsonl``), before anything was fitted on it, it recognised 34
of 35 admin questions where the nearest-example guard recognised 25, and flagged none of 22
leadership situations.

Small talk is one of its kinds so that chit-chat is not mistaken for admin, but the small-talk
reply does not ask it: to it any message of a word or two reads as small talk.

Why ridge regression (least squares to one-hot targets) and not logistic regression: it has a
closed form, one 385 x 385 solve (~10 ms at start-up, deterministic, no iterations or learning
rate to choose), and on the tune parts of ``tests/data`` it separated the groups as well as a
logistic regression trained for a second. Every group counts equally however many examples it
has (there are three times as many situations as admin examples).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.semantic.encoder import Vectors

# The groups of :meth:`Understanding.groups` the classifier tells apart, in this order.
KINDS = ("situations", "no_answer", "passages", "small_talk", "academies")
# How strongly the fit is pulled towards zero weights (fitted on the tune parts; 0.1-1 alike).
RIDGE = 1.0
# The fit's scores are near +1 for its kind and -1 for the others; a softmax of five times the
# scores turns them into shares that sum to one (the thresholds below are on that scale).
SHARPNESS = 5.0


@dataclass(frozen=True, slots=True, kw_only=True)
class KindShares:
    """How much a message reads as each kind (shares summing to 1)."""

    situation: float = 1.0
    no_answer: float = 0.0
    passage: float = 0.0
    small_talk: float = 0.0
    academy: float = 0.0


class KindProbe:
    """The classifier, fitted once from the example groups' vectors; pure afterwards."""

    def __init__(self, groups: Mapping[str, Vectors]) -> None:
        """Fit on the vectors of each of :data:`KINDS` (a missing or empty group is skipped)."""
        present = [k for k in KINDS if k in groups and len(groups[k])]
        self._kinds: Sequence[str] = tuple(present)
        self._weights, self._bias = _fit([groups[k] for k in present])

    def shares(self, vector: Vectors) -> KindShares:
        """How much ``vector`` (a unit vector of the same model) reads as each kind."""
        if not self._kinds:
            return KindShares()
        scores = (vector @ self._weights + self._bias) * SHARPNESS
        odds = np.exp(scores - scores.max())
        share = dict(zip(self._kinds, (odds / odds.sum()).tolist(), strict=True))
        return KindShares(
            situation=share.get("situations", 0.0),
            no_answer=share.get("no_answer", 0.0),
            passage=share.get("passages", 0.0),
            small_talk=share.get("small_talk", 0.0),
            academy=share.get("academies", 0.0),
        )


def _fit(groups: Sequence[Vectors]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Weights and bias of a class-balanced ridge fit of each group to +1, the others to -1."""
    if not groups:
        return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.float32)
    k = len(groups)
    x = np.concatenate([np.asarray(g, dtype=np.float64) for g in groups])
    label = np.concatenate([np.full(len(g), i) for i, g in enumerate(groups)])
    target = np.where(np.eye(k)[label] > 0, 1.0, -1.0)
    # Each group weighs as much as any other in the fit, however many examples it has.
    weight = (len(x) / (k * np.bincount(label, minlength=k)))[label][:, None]
    x = np.hstack([x, np.ones((len(x), 1))])
    gram = x.T @ (x * weight) + RIDGE * np.eye(x.shape[1])
    solved = np.linalg.solve(gram, x.T @ (target * weight))
    return solved[:-1].astype(np.float32), solved[-1].astype(np.float32)
