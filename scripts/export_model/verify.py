"""Compare the shipped int8 encoder with the fp32 torch model it was made from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sentence_transformers import SentenceTransformer

from bot.semantic.encoder import Encoder
from scripts.export_model.sentences import CHECK_SENTENCES


@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement:
    """Cosine similarity of each sentence's two embeddings, summarised."""

    sentences: int
    minimum: float
    mean: float
    worst: str


def compare(
    *, model_dir: Path, source: Path, fp32_onnx: Path | None = None
) -> dict[str, Agreement]:
    """Cosine of int8 (and, if given, fp32 ONNX) embeddings to sentence-transformers' fp32 ones.

    The reference is the full sentence-transformers pipeline on torch, so the check covers the
    tokenizer settings, pooling and normalisation as well as the export and the quantisation.
    """
    reference = SentenceTransformer(str(source), device="cpu").encode(
        list(CHECK_SENTENCES), normalize_embeddings=True, convert_to_numpy=True
    )
    found = {"int8": Encoder.load(model_dir)}
    if fp32_onnx is not None:
        found["fp32-onnx"] = _encoder_for(fp32_onnx, model_dir)
    result: dict[str, Agreement] = {}
    for name, encoder in found.items():
        ours = encoder.encode(CHECK_SENTENCES)
        cosines = np.sum(ours * reference, axis=1)
        worst = int(np.argmin(cosines))
        result[name] = Agreement(
            sentences=len(CHECK_SENTENCES),
            minimum=float(cosines.min()),
            mean=float(cosines.mean()),
            worst=CHECK_SENTENCES[worst][:80],
        )
    return result


def _encoder_for(model: Path, model_dir: Path) -> Encoder:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    return Encoder(session=session, tokenizer=tokenizer)
