"""Embeddings are 384-d unit vectors that put paraphrases closer than unrelated sentences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.semantic import DIMENSION, Encoder
from bot.semantic.encoder import pool

ROOT = Path(__file__).resolve().parents[3]


def test_embeddings_are_384_dimensional_unit_vectors(encoder: Encoder) -> None:
    texts = [
        "Patience, persistence and resilience",
        "ok",
        "",
        "x" * 3000,
        "Ça va? 🙂",
        "\x00\u202e<script>alert(1)</script>",
        "leadership " * 500,  # past the 256-token truncation
    ]
    vectors = encoder.encode(texts)
    assert vectors.shape == (len(texts), DIMENSION)
    assert vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


TEXTS = (
    "a long sentence about leading across organisations and systems when nobody reports to me",
    "hi",
    "budget",
    "how do I lead when the partners disagree?",
)


def test_index_encoding_gives_exactly_the_query_vectors(encoder: Encoder) -> None:
    # By default each text runs alone, so an indexed text and the same text as a query match.
    vectors = encoder.encode(TEXTS)
    for text, vector in zip(TEXTS, vectors, strict=True):
        np.testing.assert_allclose(encoder.encode_one(text), vector, atol=1e-6)


def test_batches_keep_the_callers_order_and_mask_the_padding(encoder: Encoder) -> None:
    # Batched runs differ a little (activation scales are per batch) but a pad token leaking
    # into the mean, or a row put back in the wrong place, would drop the cosine far lower.
    together = encoder.encode(TEXTS, batch_size=3)
    for position, text in enumerate(TEXTS):
        assert float(together[position] @ encoder.encode_one(text)) > 0.95


def test_no_texts_give_an_empty_matrix(encoder: Encoder) -> None:
    assert encoder.encode([]).shape == (0, DIMENSION)


@pytest.mark.parametrize(
    ("anchor", "paraphrase", "unrelated"),
    [
        (
            "I'm exhausted and burnt out",
            "I feel completely worn down and have no energy left",
            "Where do I order a new ID badge?",
        ),
        (
            "How do I get partners who don't report to me to agree?",
            "influencing organisations I have no authority over",
            "The car park barrier is broken again",
        ),
        (
            "Patients should have a say in decisions about their care",
            "involving people in choices about their own treatment",
            "how do I make a bar chart in a spreadsheet",
        ),
        (
            "My appraiser says I come across as arrogant",
            "feedback that I seem overconfident and don't listen",
            "book a room for Tuesday's board meeting",
        ),
    ],
)
def test_paraphrases_are_closer_than_unrelated_sentences(
    encoder: Encoder, anchor: str, paraphrase: str, unrelated: str
) -> None:
    a, p, u = encoder.encode([anchor, paraphrase, unrelated])
    assert float(a @ p) > float(a @ u) + 0.1


def test_pooling_ignores_masked_tokens_and_normalises() -> None:
    hidden = np.zeros((1, 3, DIMENSION), dtype=np.float32)
    hidden[0, 0, 0] = 2.0
    hidden[0, 1, 1] = 2.0
    hidden[0, 2, 2] = 100.0  # a pad token: must not count
    mask = np.array([[1, 1, 0]], dtype=np.int64)
    vector = pool(hidden, mask)[0]
    np.testing.assert_allclose(vector[:3], [2**-0.5, 2**-0.5, 0.0], atol=1e-6)


def test_an_all_masked_input_pools_to_zeros_not_nans() -> None:
    hidden = np.ones((1, 2, DIMENSION), dtype=np.float32)
    vector = pool(hidden, np.zeros((1, 2), dtype=np.int64))
    assert not np.any(np.isnan(vector))


def test_loading_and_encoding_never_import_torch() -> None:
    code = (
        "import sys, json\n"
        "from bot.semantic import Encoder, SemanticIndex\n"
        "index = SemanticIndex.build(Encoder.load(), ['resilience', 'collaboration'])\n"
        "index.search('staying resilient', k=1)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'torch', 'transformers', 'sentence_transformers'})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []
