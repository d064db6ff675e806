"""Semantic retrieval: sentence embeddings from the shipped int8 MiniLM, with no torch.

``Encoder.load()`` finds ``models/minilm-l6-v2-int8/`` (or ``$COACH_MODEL_DIR``), checks the
files against their checksums and opens the ONNX model; ``SemanticIndex`` encodes a fixed set of
texts once and ranks them by cosine similarity to a query.
"""

from bot.semantic.encoder import DIMENSION, Encoder
from bot.semantic.files import ModelFileError, default_model_dir, verify_model_dir
from bot.semantic.index import Hit, SemanticIndex

__all__ = [
    "DIMENSION",
    "Encoder",
    "Hit",
    "ModelFileError",
    "SemanticIndex",
    "default_model_dir",
    "verify_model_dir",
]
