"""The hybrid ranker's weights and calibrated thresholds, with and without the model.

Fitted on ``tests/data/situational_dev.jsonl`` and ``situational_tune.jsonl`` only
(``bench/calibrate.py``); the held-out sets are only scored.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Weights:
    """How much each signal counts, and the calibrated thresholds (see :mod:`.ranker`)."""

    sem_row: float
    sem_ex: float
    sem_ex2: float
    lex: float
    lexex: float
    # The best row must reach this fused score for any answer at all ...
    threshold: float
    # ... or this lower one when the framework's own words already explain the question well.
    lexical_threshold: float
    lexical_share: float
    # ... or this one when the message reads as a situation (see guard.situational).
    situational_threshold: float
    situational_margin: float
    # Further rows are shown down to this share of the best one's score.
    relative: float

    @property
    def full(self) -> float:
        """The fused score of a perfect match on every signal (for a 0-100 scale)."""
        return self.sem_row + self.sem_ex + self.sem_ex2 + self.lex + self.lexex


HYBRID = Weights(
    sem_row=1.0,
    sem_ex=1.5,
    sem_ex2=0.5,
    lex=1.0,
    lexex=0.25,
    threshold=1.05,
    lexical_threshold=0.7,
    lexical_share=0.5,
    # Fitted on the tune and dev sets: 0.85-1.0 with 0.08-0.12 all give the same answers.
    situational_threshold=0.9,
    situational_margin=0.1,
    relative=0.55,
)
# Without the model (a bench baseline): the row ranker plus the example situations' words.
LEXICAL = Weights(
    sem_row=0.0,
    sem_ex=0.0,
    sem_ex2=0.0,
    lex=1.0,
    lexex=1.0,
    threshold=0.6,
    lexical_threshold=0.5,
    lexical_share=0.5,
    situational_threshold=0.6,  # off: words alone cannot tell situations from admin
    situational_margin=2.0,
    relative=0.6,
)
