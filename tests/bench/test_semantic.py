"""Smoke test of ``bench.semantic``: a small run of the lexical baseline and the shipped model.

Checks only that each retriever ran in its own process and gave coherent figures; the figures
themselves are the benchmark's business, not the tests'.
"""

from __future__ import annotations

from bench.semantic import LABELS, WIDER_QUESTIONS, index_texts, measure


def test_the_index_texts_come_from_content_without_repeats() -> None:
    texts = index_texts(400)
    assert 300 <= len(texts) <= 400
    assert len(set(texts)) == len(texts)
    assert "Patience, persistence and resilience" in " ".join(texts)


def test_a_small_run_measures_the_baseline_and_the_shipped_model() -> None:
    run = measure(kinds=("lexical", "onnx"), questions=WIDER_QUESTIONS, index_size=30, queries=8)
    rows = {row["retriever"]: row for row in run["rows"]}
    assert set(rows) == {LABELS["lexical"], LABELS["onnx"]}
    onnx = rows[LABELS["onnx"]]
    assert 20 < onnx["file_mb"] < 30
    assert 0 < onnx["p50_ms"] <= onnx["p99_ms"]
    assert onnx["peak_rss_mb"] > 50  # onnxruntime and the model, in a process of their own
    hits, total = (int(n) for n in onnx["top3"].split("/"))
    assert total == run["row_questions"] > 0
    assert 0 <= hits <= total
    assert run["index_texts"] == 30
    assert run["queries"] == 8
