"""The hybrid ranker: lexical and semantic evidence fused into one calibrated ranking.

Five signals score each framework row and principle for a message:

* ``lex``: the row ranker of :mod:`bot.matching` (the framework's own words, stems, typos);
* ``lexex``: TF-IDF cosine to the row's nearest example situation (:mod:`.neighbours`);
* ``sem_row``: cosine of the message's vector to the row's text;
* ``sem_ex`` / ``sem_ex2``: cosine to its nearest example situation, and the mean of the
  nearest two (one lucky example counts less than two close ones).

The three semantic signals come from the ranker's own model, MiniLM fine-tuned on the example
situations (``scripts/export_model/finetune.py``), when it is given; the guard's nearness to
no-answer examples and to situations always comes from the untuned model, whose cosines its
thresholds were fitted on.

Why a weighted sum and not reciprocal-rank fusion: on the dev set (``tests/data``) both found
the right row equally often, but ranks throw away how sure each signal is, and the sum is a
confidence in itself: below :data:`Weights.threshold` the ranker returns nothing. The weights
and thresholds were fitted on the tune parts of ``tests/data`` only (``bench/calibrate.py``).

The no-answer guard comes first: a message nearer to an example of ``no_answer.yaml`` (budget
codes, passwords, doses, room bookings) than to any situation gets no rows at all, however
many framework words it borrows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.examples import Situation, Target
from bot.matching import Matcher
from bot.models import Behaviour, Match, Principle, ResultKind
from bot.semantic.encoder import Vectors
from bot.text import clean, topic_words, words
from bot.understanding.guard import guarded, pair_mean, situational
from bot.understanding.neighbours import LexicalNeighbours
from bot.understanding.probe import KindShares
from bot.understanding.vectors import Space
from bot.understanding.weights import HYBRID, LEXICAL, Weights

# Up to this many topic words, a question is a topic, not a situation to explain a fit for.
_TOPIC_WORDS = 3
# The lexical ranker's own cut-offs (see bot.matching.THRESHOLD and RELATIVE_CUTOFF).
LEXICAL_SHARE = 0.5
LEXICAL_RELATIVE = 0.6
# Longest shown list: two pages of "More like this".
MAX_RESULTS = 6


@dataclass(frozen=True, slots=True, kw_only=True)
class Signals:
    """Every signal for one message, per item (index order of :attr:`Matcher.items`)."""

    lex: Vectors
    lexex: Vectors
    sem_row: Vectors
    sem_ex: Vectors
    sem_ex2: Vectors
    nearest_example: tuple[int, ...]
    no_answer: float
    situation: float
    # The mean cosine to the nearest two no-answer examples, and to the nearest two situations.
    no_answer_pair: float
    situation_pair: float
    # How much the message reads as a no-answer question to the kind probe (:mod:`.probe`).
    no_answer_share: float = 0.0
    # ... and as a leadership situation (0.0: not asked).
    situation_share: float = 0.0

    def fused(self, w: Weights) -> Vectors:
        """The weighted sum of the signals, per item."""
        return np.asarray(
            w.sem_row * self.sem_row
            + w.sem_ex * self.sem_ex
            + w.sem_ex2 * self.sem_ex2
            + w.lex * self.lex
            + w.lexex * self.lexex,
            dtype=np.float32,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Ranked:
    """The ranker's answer: confident matches (maybe none) and why nothing was shown."""

    matches: tuple[Match, ...]
    guarded: bool = False
    # Cosine to the nearest example situation of any row: how much the message reads like a
    # leadership situation at all (a question about the briefing is compared with it).
    situation: float = 0.0


class HybridRanker:
    """Ranks rows and principles for a message; built once at start-up, then pure."""

    def __init__(
        self,
        *,
        matcher: Matcher,
        situations: Sequence[Situation],
        no_answer: Sequence[str],
        space: Space | None,
        ranking: Space | None = None,
    ) -> None:
        """Index the examples.

        Args:
            matcher: the lexical row ranker.
            situations: example situations; only those for rows and principles are used.
            no_answer: example questions that must get no answer.
            space: the semantic vectors (groups ``items``, ``situations``, ``no_answer``), or
                ``None`` to rank on words alone.
            ranking: the fine-tuned model's vectors (groups ``items`` and ``situations``) for
                the semantic signals; ``None`` takes them from ``space``.
        """
        self.matcher = matcher
        self.items = matcher.items
        keys = [_key(item) for item in self.items]
        self.situations = tuple(s for s in situations if s.ranked)
        self._owner = np.array(
            [keys.index((s.target.value, s.key)) for s in self.situations], dtype=np.int64
        )
        # Example positions per item, padded with one past the end (a -1 similarity).
        width = max((int((self._owner == i).sum()) for i in range(len(keys))), default=0)
        slots = np.full((len(keys), max(width, 1)), len(self.situations), dtype=np.int64)
        for i in range(len(keys)):
            mine = np.flatnonzero(self._owner == i)
            slots[i, : len(mine)] = mine
        self._slots = slots
        self._lexical_situations = LexicalNeighbours([s.text for s in self.situations])
        self._lexical_no_answer = LexicalNeighbours(list(no_answer))
        self.space = space
        self.ranking = ranking if space is not None else None
        self.weights = HYBRID if space is not None else LEXICAL

    @staticmethod
    def texts(item: Behaviour | object) -> str:
        """The text an item is embedded by: a row's role and behaviours, a principle's title."""
        if isinstance(item, Behaviour):
            return f"{item.role}. {item.behaviour}"
        return str(getattr(item, "title", ""))

    def signals(
        self,
        text: str,
        vector: Vectors | None = None,
        ranking_vector: Vectors | None = None,
        *,
        shares: KindShares | None = None,
    ) -> Signals:
        """Compute every signal for ``text``.

        ``vector`` and ``ranking_vector`` are its vectors in :attr:`space` and :attr:`ranking`,
        when the caller already has them; ``shares`` what the kind probe made of it.
        """
        n = len(self.items)
        lex = np.zeros(n, dtype=np.float32)
        for i, share in self.matcher.shares(text).items():
            lex[i] = share / 100.0
        lexex = np.zeros(n, dtype=np.float32)
        for j, score in self._lexical_situations.scores(text).items():
            owner = self._owner[j]
            lexex[owner] = max(lexex[owner], score)
        sem_row = np.zeros(n, dtype=np.float32)
        sem_ex = np.zeros(n, dtype=np.float32)
        sem_ex2 = np.zeros(n, dtype=np.float32)
        nearest: tuple[int, ...] = (-1,) * n
        no_answer = max(self._lexical_no_answer.scores(text).values(), default=0.0)
        situation = float(lexex.max()) if n else 0.0
        no_answer_pair, situation_pair = no_answer, situation
        if self.space is not None:
            vector = self.space.encode(text) if vector is None else vector
            sims = self.space.similarities(vector, "situations")
            semantic, ranked = self.space, vector
            if self.ranking is not None:
                semantic = self.ranking
                ranked = self.ranking.encode(text) if ranking_vector is None else ranking_vector
            sem_row = semantic.similarities(ranked, "items")
            ranked_sims = (
                semantic.similarities(ranked, "situations") if semantic is not self.space else sims
            )
            # Each item's examples as one row of a padded table: two sorts per query in numpy
            # rather than a Python loop over every example (which cost ~3 ms).
            table = np.append(ranked_sims, np.float32(-1.0))[self._slots]
            order = np.argsort(-table, axis=1)
            first = np.take_along_axis(table, order[:, :1], axis=1)[:, 0]
            second = np.take_along_axis(table, order[:, 1:2], axis=1)[:, 0]
            has = first > -1.0
            sem_ex = np.where(has, first, 0.0).astype(np.float32)
            sem_ex2 = np.where(second > -1.0, (first + second) / 2.0, 0.0).astype(np.float32)
            picked = self._slots[np.arange(n), order[:, 0]]
            nearest = tuple(int(j) if ok else -1 for j, ok in zip(picked, has, strict=True))
            admin = self.space.similarities(vector, "no_answer")
            no_answer = float(admin.max(initial=0.0))
            situation = float(sims.max(initial=0.0))
            no_answer_pair = pair_mean(admin)
            situation_pair = pair_mean(sims)
        return Signals(
            lex=lex,
            lexex=lexex,
            sem_row=sem_row,
            sem_ex=sem_ex,
            sem_ex2=sem_ex2,
            nearest_example=tuple(nearest),
            no_answer=no_answer,
            situation=situation,
            no_answer_pair=no_answer_pair,
            situation_pair=situation_pair,
            no_answer_share=shares.no_answer if shares is not None else 0.0,
            situation_share=shares.situation if shares is not None else 0.0,
        )

    def rank(
        self,
        text: str,
        *,
        kinds: frozenset[ResultKind] | None = None,
        vector: Vectors | None = None,
        ranking_vector: Vectors | None = None,
        shares: KindShares | None = None,
    ) -> Ranked:
        """Rank rows and principles for ``text``, best first, confident ones only.

        Args:
            text: what the person typed (without a command word).
            kinds: restrict to behaviours or principles; ``None`` ranks both.
            vector: the message's vector in :attr:`space` when the caller already has it.
            ranking_vector: likewise in :attr:`ranking`.
            shares: what the kind probe made of the message (``None``: not asked).

        Returns:
            The matches, best first (none when nothing fits, or when the guard fired).
        """
        s = self.signals(text, vector, ranking_vector, shares=shares)
        if guarded(s, words=len(words(clean(text)))):
            return Ranked(matches=(), guarded=True, situation=s.situation)
        w = self.weights
        fused = s.fused(w)
        allowed = [i for i, item in enumerate(self.items) if kinds is None or _kind(item) in kinds]
        if not allowed:
            return Ranked(matches=())
        order = sorted(allowed, key=lambda i: (-float(fused[i]), i))
        best = order[0]
        top = float(fused[best])
        if not confident(s, w, best=best, top=top):
            return Ranked(matches=(), situation=s.situation)
        floor = top * w.relative
        # Rows the framework's own words explain as well as the best one stay too, so a topic
        # ("inclusive") still pages through every row that says it.
        lex_best = max(float(s.lex[i]) for i in allowed)
        lex_floor = max(LEXICAL_SHARE, lex_best * LEXICAL_RELATIVE)
        chosen = [i for i in order if float(fused[i]) >= floor or float(s.lex[i]) >= lex_floor][
            :MAX_RESULTS
        ]
        return Ranked(
            matches=tuple(self._match(i, float(fused[i]), s, text) for i in chosen),
            situation=s.situation,
        )

    def _match(self, i: int, fused: float, s: Signals, text: str) -> Match:
        item = self.items[i]
        # Twice the share of a perfect score: a fused score of half the maximum is already an
        # excellent match (no message is a word-for-word copy of a row and of its examples).
        score = min(100.0, 200.0 * fused / self.weights.full)
        why = self._why(i, s, text)
        if isinstance(item, Behaviour):
            return Match(kind=ResultKind.BEHAVIOUR, score=score, behaviour=item, why=why)
        assert isinstance(item, Principle)
        return Match(kind=ResultKind.PRINCIPLE, score=score, principle=item, why=why)

    def _why(self, i: int, s: Signals, text: str) -> str:
        """One line on why the item fits: the words it shares, else the nearest situation.

        A short topic ("behaviours resilience") needs no explanation: the row says the word.
        """
        if len(topic_words(clean(text))) <= _TOPIC_WORDS:
            return ""
        lexical = self.weights.lex * float(s.lex[i])
        semantic = self.weights.sem_ex * float(s.sem_ex[i])
        if lexical >= semantic and s.lex[i] > 0:
            shared = self.matcher.shared_words(text, i)
            if shared:
                return "Matches your words: " + ", ".join(shared)
        j = s.nearest_example[i]
        if j >= 0:
            return f"Close to situations such as “{self.situations[j].text}”"
        return ""


def confident(s: Signals, w: Weights, *, best: int, top: float) -> bool:
    """Whether the best item (index ``best``, fused score ``top``) is worth showing at all.

    Just under the threshold, a message far nearer the example situations than any admin
    question ("the ward sister gets defensive when I ask why the obs weren't done") still counts.
    """
    if top >= w.threshold or (s.lex[best] >= w.lexical_share and top >= w.lexical_threshold):
        return True
    return top >= w.situational_threshold and situational(s, margin=w.situational_margin)


def _key(item: object) -> tuple[str, str]:
    if isinstance(item, Behaviour):
        return (Target.ROW.value, item.id)
    return (Target.PRINCIPLE.value, str(getattr(item, "number", "")))


def _kind(item: object) -> ResultKind:
    return ResultKind.BEHAVIOUR if isinstance(item, Behaviour) else ResultKind.PRINCIPLE
