"""Sentence vectors for every text the coach compares messages with, encoded once.

The coach compares a message with the row texts and with several hundred example messages.
Encoding them all takes about two seconds on this machine, four times the start-up budget of
``coach ask``, so vectors are kept in a cache file keyed by the model's checksums and each text's
own hash: an editor who adds one example costs one encoding at the next start, not all of them.
A missing or unwritable cache only makes start-up slower; it never changes an answer.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bot.semantic import Encoder
from bot.semantic.encoder import DIMENSION, Vectors
from bot.semantic.files import CHECKSUM_FILE, default_model_dir

CACHE_VERSION = "1"


def default_cache_dir() -> Path:
    """``$COACH_CACHE_DIR``, else ``$XDG_CACHE_HOME/system-leadership-coach`` (``~/.cache``)."""
    override = os.environ.get("COACH_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "system-leadership-coach"


class VectorCache:
    """Vectors by text, in one ``.npz`` file per model, read once and rewritten when it grows."""

    def __init__(self, path: Path | None) -> None:
        """Open the cache at ``path``; ``None`` keeps nothing between runs."""
        self.path = path
        self._known: dict[str, Vectors] = {}
        if path is not None:
            try:
                with np.load(path, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
                if vectors.ndim == 2 and vectors.shape[1] == DIMENSION:
                    self._known = {str(k): vectors[i] for i, k in enumerate(keys)}
            except (OSError, ValueError, KeyError):
                # Absent, truncated or from another numpy: rebuild it rather than fail.
                self._known = {}

    @staticmethod
    def key(text: str) -> str:
        """A text's cache key: its SHA-256, so the file holds no message text in the clear."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def encode(self, encoder: Encoder, texts: Sequence[str]) -> Vectors:
        """Vectors for ``texts`` in order, encoding only those the cache lacks."""
        keys = [self.key(t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._known}.items()
        )
        if missing:
            fresh = encoder.encode([t for _, t in missing])
            for (k, _), vector in zip(missing, fresh, strict=True):
                self._known[k] = vector
            self._save()
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return np.stack([self._known[k] for k in keys]).astype(np.float32)

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = sorted(self._known)
            # Write beside the target and rename: a reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz.tmp")
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle, keys=np.array(keys), vectors=np.stack([self._known[k] for k in keys])
                )
            os.replace(tmp, self.path)
        except OSError:
            return


def cache_path(model_dir: Path, cache_dir: Path) -> Path:
    """The cache file for the model in ``model_dir``: named after its checksum file's hash."""
    digest = hashlib.sha256((model_dir / CHECKSUM_FILE).read_bytes()).hexdigest()[:16]
    return cache_dir / f"vectors-v{CACHE_VERSION}-{digest}.npz"


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

    @classmethod
    def build(
        cls, encoder: Encoder, groups: Mapping[str, Sequence[str]], *, cache: VectorCache | None
    ) -> Space:
        """Encode every group's texts once (through ``cache`` when given)."""
        store = cache or VectorCache(None)
        flat = [t for texts in groups.values() for t in texts]
        vectors = store.encode(encoder, flat)
        out: dict[str, Vectors] = {}
        start = 0
        for name, texts in groups.items():
            out[name] = vectors[start : start + len(texts)]
            start += len(texts)
        return cls(encoder, out)

    @classmethod
    def load(cls, groups: Mapping[str, Sequence[str]], *, model_dir: Path | None = None) -> Space:
        """Open the shipped model and encode ``groups``, with the default cache."""
        directory = model_dir or default_model_dir()
        encoder = Encoder.load(directory)
        cache = VectorCache(cache_path(directory, default_cache_dir()))
        return cls.build(encoder, groups, cache=cache)

    def encode(self, text: str) -> Vectors:
        """The unit vector of one message."""
        return self.encoder.encode_one(text)

    def similarities(self, vector: Vectors, group: str) -> Vectors:
        """Cosine of ``vector`` to every text of ``group``, in the group's order."""
        return np.asarray(self._groups[group] @ vector, dtype=np.float32)
