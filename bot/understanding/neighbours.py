"""Lexical nearest neighbours: which example texts share the most informative words with a message.

The row ranker (:mod:`bot.matching`) compares a question with the framework's own words. People
describe situations in other words ("my appraiser says I come across as arrogant"), which the
example situations of ``content/situations.yaml`` hold. This index scores a message against
every example by TF-IDF cosine over topic stems, the classic vector-space measure: shared rare
words count, shared common ones barely, and long examples are not favoured for their length.

Why not rapidfuzz here: whole-string similarity rewards shared filler and word order, while a
situation is recognised by a few telling words anywhere in it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from bot.text import clean, index_stems


def _weights(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    raw = {s: (1.0 + math.log(n)) * idf[s] for s, n in counts.items() if s in idf}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    return {s: w / norm for s, w in raw.items()} if norm else {}


class LexicalNeighbours:
    """TF-IDF cosine of a message to each of a fixed list of texts, built once.

    Example:
        >>> index = LexicalNeighbours(["our rota is a mess", "reset my password"])
        >>> index.scores("how do I reset the password?")
        {1: 0.7...}
    """

    def __init__(self, texts: Sequence[str]) -> None:
        """Index ``texts``; their positions are the keys :meth:`scores` returns."""
        docs = [Counter(index_stems(clean(t))) for t in texts]
        df: Counter[str] = Counter(s for doc in docs for s in doc)
        n = max(len(docs), 1)
        self._idf = {s: math.log(1.0 + n / count) for s, count in df.items()}
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for s, w in _weights(doc, self._idf).items():
                self._postings[s].append((i, w))
        self.size = len(docs)

    def scores(self, text: str) -> dict[int, float]:
        """Cosine (0-1) of ``text`` to every indexed text that shares a word with it."""
        query = _weights(Counter(index_stems(clean(text))), self._idf)
        out: dict[int, float] = defaultdict(float)
        for s, qw in query.items():
            for i, w in self._postings.get(s, ()):
                out[i] += qw * w
        return dict(out)
