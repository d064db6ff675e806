"""Sentence embeddings from the int8 ONNX MiniLM, with onnxruntime and ``tokenizers`` only.

The output matches sentence-transformers' all-MiniLM-L6-v2 pipeline: BERT's last hidden state,
mean-pooled over real (unmasked) tokens, then L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

from bot.semantic.files import (
    CHECKSUM_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    default_model_dir,
    read_model_files,
    verify_model_dir,
)
from bot.semantic.signed import has_vnni, signed_parts

DIMENSION = 384
Vectors = npt.NDArray[np.float32]
# One text per run by default. The int8 graph quantises activations with one scale per tensor,
# that is per batch, so in a batch a text's vector depends on its neighbours: measured, cosine to
# its own unbatched vector down to 0.966 at 32 a batch. That would make a row's score move when
# someone adds an unrelated example situation, and break calibrated thresholds. Batching buys
# only about a quarter of the index's encoding time with one thread (400 texts: 1.0 s vs 1.3 s
# with the machine loaded), so consistency wins; callers that want speed can pass batch_size.
BATCH_SIZE = 1


class Encoder:
    """Turns texts into 384-d unit vectors.

    Example:
        >>> encoder = Encoder.load()
        >>> encoder.encode_one("leading without authority").shape
        (384,)
    """

    def __init__(
        self, *, session: ort.InferenceSession, tokenizer: Tokenizer, fingerprint: str = ""
    ) -> None:
        """Wrap an open session and tokenizer; most callers want :meth:`load`.

        ``fingerprint`` names the model files (the text of their ``SHA256SUMS``) so cached
        vectors are reused only with the model that made them; empty means unknown.
        """
        self._session = session
        self._tokenizer = tokenizer
        self.fingerprint = fingerprint
        self._inputs = frozenset(node.name for node in session.get_inputs())

    @classmethod
    def load(
        cls,
        directory: Path | None = None,
        *,
        verify: bool = True,
        threads: int = 1,
        signed: bool | None = None,
    ) -> Encoder:
        """Open the shipped model.

        Args:
            directory: the model folder; defaults to :func:`default_model_dir`.
            verify: check the files against ``SHA256SUMS`` first (40-50 ms, machine loaded).
            threads: onnxruntime's intra-op threads. One by default: the server has two cores
                and a web server beside the model, a single query is a few milliseconds of
                small matrix products that gain little from a second thread, and a thread pool
                that spins while waiting steals the core the event loop needs.
            signed: run the MatMul weights as signed bytes (:mod:`bot.semantic.signed`: the same
                vectors, about twice as fast a product); ``None`` does so where the CPU has VNNI.

        Raises:
            ModelFileError: a model file is missing or differs from its recorded checksum.
        """
        directory = directory or default_model_dir()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle worker threads otherwise spin for a while after each run, burning a shared core.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = None
        if has_vnni() if signed is None else signed:
            # Read once: the checksum is of the very bytes converted and loaded.
            model, tokenizer_json = read_model_files(directory, verify=verify)
            tokenizer = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
            parts = signed_parts(model)
            del model  # only the pieces' views hold it now
            if parts is not None:
                session = _session_from_parts(parts, options)
        if session is None:
            # As shipped: onnxruntime reads the file itself.
            if verify:
                verify_model_dir(directory)
            session = ort.InferenceSession(
                str(directory / MODEL_FILE),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
            tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        sums = directory / CHECKSUM_FILE
        fingerprint = sums.read_text(encoding="utf-8") if verify else ""
        return cls(session=session, tokenizer=tokenizer, fingerprint=fingerprint)

    def vocabulary(self) -> frozenset[str]:
        """The words the tokenizer knows whole (not cut into pieces), lower case."""
        return frozenset(
            w for w in self._tokenizer.get_vocab() if w.isalpha() and not w.startswith("##")
        )

    def encode_one(self, text: str) -> npt.NDArray[np.float32]:
        """Embed one query, unpadded: the fast path for a person's question."""
        vectors = self._run((self._tokenizer.encode(text),))
        return np.asarray(vectors[0], dtype=np.float32)

    def encode(self, texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> Vectors:
        """Embed many texts, in the order given, as an ``(n, 384)`` array of unit vectors.

        With ``batch_size`` above 1, texts are grouped by token length so each batch pads
        little; see ``BATCH_SIZE`` for why the default is one text per run.
        """
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._run(tuple(encodings[i] for i in chunk))
        return out

    def _run(self, encodings: Sequence[Encoding]) -> Vectors:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            mask[row, :n] = encoding.attention_mask
            types[row, :n] = encoding.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = np.asarray(
            self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0],
            dtype=np.float32,
        )
        return pool(hidden, mask)


def _session_from_parts(
    parts: list[bytes | memoryview], options: ort.SessionOptions
) -> ort.InferenceSession | None:
    """A session of the model given in pieces, through a private temporary file.

    Handed bytes, onnxruntime keeps them referenced for the session's life (34 MB more
    resident, measured); from a file it keeps only what it loaded. The file is removed as
    soon as the model is in memory. ``None`` when no temporary file can be written.
    """
    try:
        handle, name = tempfile.mkstemp(prefix="coach-model-", suffix=".onnx")
        try:
            with os.fdopen(handle, "wb") as out:
                out.writelines(parts)
        except OSError:
            os.unlink(name)
            raise
    except OSError:
        # No writable temporary folder: the caller loads the model as shipped instead.
        return None
    finally:
        parts.clear()  # the views of the 23 MB buffer: let it go before onnxruntime loads
    try:
        return ort.InferenceSession(name, sess_options=options, providers=["CPUExecutionProvider"])
    finally:
        os.unlink(name)


def pool(hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]) -> Vectors:
    """Mean over unmasked tokens, then L2-normalise, as sentence-transformers does.

    The clamps are the library's own (1e-9 on the token count, 1e-12 on the norm), so an empty
    input gives a zero vector rather than NaNs.
    """
    weights = mask[:, :, np.newaxis].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    means = summed / counts
    norms = np.clip(np.linalg.norm(means, axis=1, keepdims=True), 1e-12, None)
    return np.asarray(means / norms, dtype=np.float32)
