"""Sentence vectors for every text the coach compares messages with, encoded once.

The coach compares a message with the row texts and with several hundred example messages.
Encoding them all takes about two seconds on this machine, four times the start-up budget of
``coach ask``, so the vectors are kept in a cache file (:mod:`bot.semantic.cache`, keyed by the
model's checksums and the texts). A missing or unwritable cache only makes start-up slower; an
editor's new example costs one full encoding at the next start. It never changes an answer.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bot.semantic import Encoder
from bot.semantic.cache import cached_vectors
from bot.semantic.encoder import Vectors
from bot.semantic.files import default_model_dir

# Per-text vectors (bot.semantic.cache); a new name, so that a coach of the older, whole-index
# format sharing the folder never overwrites this one, nor this one that.
CACHE_FILE = "understanding-text-vectors.npz"
# The ranker's model has a file of its own: each file is rewritten with exactly its own texts.
RANKER_CACHE_FILE = "ranker-text-vectors.npz"
# Beside the model: the vectors of the content as released (``python -m scripts.content_vectors``).
SHIPPED_FILE = "content-vectors.npz"


def default_cache_dir() -> Path:
    """``$COACH_CACHE_DIR``, else ``$XDG_CACHE_HOME/system-leadership-coach`` (``~/.cache``)."""
    override = os.environ.get("COACH_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "system-leadership-coach"


class Space:
    """Named groups of unit vectors (rows, situations, no-answer examples, ...) and the encoder.

    Example:
        >>> space = Space.build(encoder, {"rows": ["Leading without authority"]}, cache=None)
        >>> space.similarities(space.encode("no one reports to me"), "rows").shape
        (1,)
    """

    def __init__(self, encoder: Encoder, groups: Mapping[str, Vectors]) -> None:
        """Wrap already-encoded groups; most callers want :meth:`build`."""
        self.encoder = encoder
        self._groups = dict(groups)
        # Every group in one matrix, so that neighbouring groups asked about together
        # (crisis and distress, on every message) cost one product instead of one each.
        self._spans: dict[str, tuple[int, int]] = {}
        start = 0
        for name, vectors in self._groups.items():
            self._spans[name] = (start, start + len(vectors))
            start += len(vectors)
        self._all = (
            np.concatenate(list(self._groups.values()))
            if self._groups
            else np.zeros((0, 0), dtype=np.float32)
        )
        self._warmed = False
        # Per tuple of groups asked about together: the rows to multiply, and where each is.
        self._plans: dict[tuple[str, ...], tuple[Vectors, list[tuple[int, int]]]] = {}
        # The groups become views of that matrix, so the vectors are held once.
        for name, (start, end) in self._spans.items():
            self._groups[name] = self._all[start:end]

    @classmethod
    def build(
        cls,
        encoder: Encoder,
        groups: Mapping[str, Sequence[str]],
        *,
        cache: Path | None,
        shipped: Path | None = None,
    ) -> Space:
        """Encode every group's texts once (through the cache files, when given)."""
        flat = [t for texts in groups.values() for t in texts]
        if cache is None:
            vectors = encoder.encode(flat)
        else:
            vectors = cached_vectors(
                cache,
                fingerprint=encoder.fingerprint,
                texts=flat,
                encode=encoder.encode,
                shipped=shipped,
            )
        out: dict[str, Vectors] = {}
        start = 0
        for name, texts in groups.items():
            out[name] = vectors[start : start + len(texts)]
            start += len(texts)
        return cls(encoder, out)

    @classmethod
    def load(
        cls,
        groups: Mapping[str, Sequence[str]],
        *,
        model_dir: Path | None = None,
        cache_file: str = CACHE_FILE,
    ) -> Space:
        """Open a shipped model (checksums verified) and encode ``groups``, cached.

        ``model_dir`` defaults to the base model's folder; each model needs its own ``cache_file``.
        """
        directory = model_dir or default_model_dir()
        encoder = Encoder.load(directory)
        cache = default_cache_dir() / cache_file
        return cls.build(encoder, groups, cache=cache, shipped=directory / SHIPPED_FILE)

    def encode(self, text: str) -> Vectors:
        """The unit vector of one message."""
        return self.encoder.encode_one(text)

    def warm(self) -> None:
        """Encode two messages once (the first call does; later calls do nothing).

        onnxruntime plans memory on its first runs: pay that at start-up, not on the first
        person's question (a long one cost ~50 ms more when cold).
        """
        if self._warmed:
            return
        for text in ("hello", "how do I lead across organisations " * 8):
            self.encode(text)
        self._warmed = True

    def group(self, name: str) -> Vectors:
        """The unit vectors of one group, in its texts' order (read-only use)."""
        return self._groups[name]

    def similarities(self, vector: Vectors, group: str) -> Vectors:
        """Cosine of ``vector`` to every text of ``group``, in the group's order."""
        return np.asarray(self._groups[group] @ vector, dtype=np.float32)

    def nearest(self, vector: Vectors, groups: Sequence[str]) -> list[tuple[int, float]]:
        """For each of ``groups``: the index of its text nearest ``vector``, and the cosine.

        ``(-1, 0.0)`` for an empty group. Groups next to each other in the space's order cost
        one matrix product between them.
        """
        plan = self._plans.get(tuple(groups))
        if plan is None:
            plan = self._plans[tuple(groups)] = self._plan(groups)
        matrix, spans = plan
        sims = matrix @ vector
        found: list[tuple[int, float]] = []
        for start, end in spans:
            if start == end:
                found.append((-1, 0.0))
                continue
            best = int(sims[start:end].argmax())
            found.append((best, float(sims[start + best])))
        return found

    def _plan(self, groups: Sequence[str]) -> tuple[Vectors, list[tuple[int, int]]]:
        """The rows spanning ``groups``, and each group's place in them (made once per tuple)."""
        spans = [self._spans[g] for g in groups]
        low, high = min(s for s, _ in spans), max(e for _, e in spans)
        return self._all[low:high], [(s - low, e - low) for s, e in spans]
