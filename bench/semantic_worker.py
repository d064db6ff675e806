"""One retriever measured alone in its own process: ``python -m bench.semantic_worker KIND FILE``.

``bench/semantic.py`` starts one of these per retriever so each memory figure is that
retriever's alone. Heavy libraries are imported inside the loaders, never at the top, so the
process's peak memory and start time are the retriever's own. The payload file holds the texts
to index, the queries to time and the questions to rank; the answer is one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 3
EncodeMany = Callable[[Sequence[str]], Any]
EncodeOne = Callable[[str], Any]


def _onnx(payload: dict[str, Any]) -> tuple[EncodeMany, EncodeOne, int]:
    from bot.semantic import Encoder
    from bot.semantic.files import MODEL_FILE, TOKENIZER_FILE, default_model_dir

    encoder = Encoder.load()
    size = sum((default_model_dir() / n).stat().st_size for n in (MODEL_FILE, TOKENIZER_FILE))
    return encoder.encode, encoder.encode_one, size


def _onnx_cached(payload: dict[str, Any]) -> tuple[EncodeMany, EncodeOne, int]:
    """The shipped model with the index's vectors read from a warm cache, as at a restart."""
    from bot.semantic.cache import cached_vectors

    many, one, size = _onnx(payload)
    encoder = many.__self__  # type: ignore[attr-defined]
    calls = []

    def index_then_plain(texts: Sequence[str]) -> Any:
        # The first call is the index (see _semantic); later ones, the rows, are encoded.
        calls.append(len(texts))
        if len(calls) > 1:
            return many(texts)
        cache = Path(payload["cache"])
        return cached_vectors(cache, fingerprint=encoder.fingerprint, texts=texts, encode=many)

    return index_then_plain, one, size


def _model2vec(payload: dict[str, Any]) -> tuple[EncodeMany, EncodeOne, int]:
    from model2vec import StaticModel

    folder = Path(payload["model2vec_dir"])
    model = StaticModel.from_pretrained(str(folder))
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    return model.encode, lambda text: model.encode([text])[0], size


def _torch(payload: dict[str, Any]) -> tuple[EncodeMany, EncodeOne, int]:
    import torch
    from sentence_transformers import SentenceTransformer

    # One thread, as the ONNX runtime uses: the same share of a 2-core machine.
    torch.set_num_threads(1)
    folder = Path(payload["torch_dir"])
    model = SentenceTransformer(str(folder), device="cpu")
    size = (folder / "model.safetensors").stat().st_size

    def many(texts: Sequence[str]) -> Any:
        return model.encode(list(texts), batch_size=32, convert_to_numpy=True)

    def one(text: str) -> Any:
        return model.encode(text, convert_to_numpy=True)

    return many, one, size


LOADERS = {
    "onnx": _onnx,
    "onnx-cached": _onnx_cached,
    "model2vec": _model2vec,
    "torch": _torch,
}


def _unit(vectors: Any) -> Any:
    import numpy as np

    matrix = np.asarray(vectors, dtype=np.float32)
    return matrix / np.clip(np.linalg.norm(matrix, axis=-1, keepdims=True), 1e-12, None)


def _memory_mb() -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory, from the kernel's own accounting."""
    fields: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmHWM", "VmRSS"}:
            fields[key] = int(value.split()[0]) / 1024
    return fields


def _semantic(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    start = time.perf_counter()
    many, one, size = LOADERS[kind](payload)
    loaded = time.perf_counter()
    index = _unit(many(payload["index_texts"]))
    started = time.perf_counter()
    rows = _unit(many(payload["row_texts"]))

    def top3(text: str, matrix: Any) -> list[int]:
        scores = matrix @ _unit(one(text))
        return [int(i) for i in np.argsort(-scores, kind="stable")[:3]]

    for text in payload["queries"][:WARMUP]:
        top3(text, index)
    samples = []
    for text in payload["queries"]:
        begin = time.perf_counter_ns()
        top3(text, index)  # the whole query path: encode, score every text, take the top 3
        samples.append(time.perf_counter_ns() - begin)
    return {
        "file_bytes": size,
        "load_s": loaded - start,
        "start_s": started - start,
        "samples_ns": samples,
        "top3": [top3(q, rows) for q in payload["accuracy_queries"]],
        **_memory_mb(),
    }


def _lexical(payload: dict[str, Any]) -> dict[str, Any]:
    """Today's coach, routing and lexical ranker together: the baseline the issue asks for."""
    start = time.perf_counter()
    from bot.coach import Coach

    coach = Coach.load()
    started = time.perf_counter()
    for text in payload["queries"][:WARMUP]:
        coach.answer(text)
    samples = []
    for text in payload["queries"]:
        begin = time.perf_counter_ns()
        coach.answer(text)
        samples.append(time.perf_counter_ns() - begin)
    results = [
        [m.to_json() for m in coach.answer(q).results[:3]] for q in payload["accuracy_queries"]
    ]
    return {
        "file_bytes": 0,
        "load_s": started - start,
        "start_s": started - start,
        "samples_ns": samples,
        "results": results,
        **_memory_mb(),
    }


def main(argv: list[str]) -> int:
    """Measure one retriever and print its figures as one JSON object."""
    kind, payload_file = argv
    payload = json.loads(Path(payload_file).read_text(encoding="utf-8"))
    figures = _lexical(payload) if kind == "lexical" else _semantic(kind, payload)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
