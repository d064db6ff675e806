"""A small in-memory vector index: encode N texts once, then rank them for each query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.semantic.cache import cached_vectors
from bot.semantic.encoder import Encoder, Vectors


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One ranked text: its position in the indexed sequence and its cosine to the query."""

    position: int
    score: float


class SemanticIndex:
    """Cosine top-k over a fixed set of texts.

    A brute-force matrix-vector product: for the few thousand texts the coach holds (rows,
    principles and their example situations) it takes microseconds, so an approximate index
    would add a dependency and error for nothing.

    Example:
        >>> index = SemanticIndex.build(encoder, ["Patience, persistence and resilience", ...])
        >>> index.search("how do I keep going when I'm worn down?", k=3)[0].position
        0
    """

    def __init__(self, *, encoder: Encoder, vectors: Vectors) -> None:
        """Wrap already-encoded unit vectors; most callers want :meth:`build`."""
        self._encoder = encoder
        self._vectors = vectors

    @classmethod
    def build(
        cls, encoder: Encoder, texts: Sequence[str], *, cache: Path | None = None
    ) -> SemanticIndex:
        """Encode ``texts`` once.

        Args:
            encoder: the model.
            texts: the texts to rank, in the order hits refer to.
            cache: a file for the vectors (see ``bot/semantic/cache.py``); reused at the next
                start while the model and the texts are unchanged.
        """
        if cache is None:
            return cls(encoder=encoder, vectors=encoder.encode(texts))
        vectors = cached_vectors(
            cache, fingerprint=encoder.fingerprint, texts=texts, encode=encoder.encode
        )
        return cls(encoder=encoder, vectors=vectors)

    def __len__(self) -> int:
        return int(self._vectors.shape[0])

    def scores(self, query: str) -> Vectors:
        """The cosine of ``query`` to every indexed text, in index order (vectors are unit)."""
        return np.asarray(self._vectors @ self._encoder.encode_one(query), dtype=np.float32)

    def search(self, query: str, *, k: int = 3) -> tuple[Hit, ...]:
        """The ``k`` most similar texts, best first."""
        scores = self.scores(query)
        k = min(k, len(scores))
        if k <= 0:
            return ()
        # argpartition then a sort of k items: linear, not n log n, in the index size.
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return tuple(Hit(position=int(i), score=float(scores[i])) for i in top)
