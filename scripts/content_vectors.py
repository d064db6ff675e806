"""Rebuild each model folder's ``content-vectors.npz``: the content's vectors, shipped.

The base model (``models/minilm-l6-v2-int8``) encodes every group the coach compares with; the
ranker's fine-tuned model (``models/coach-ranker-int8``) only the rows and their situations.

``python -m scripts.content_vectors`` after editing ``content/`` (before a release), so that
``coach ask`` on a new machine starts without encoding anything. Without it nothing breaks: the
edited texts are encoded at the first start and kept in the user's cache.

A text whose vector is already in the file keeps it: only new texts are encoded. So a rerun
changes nothing but what was edited, whichever CPU it runs on (onnxruntime's int8 kernels
differ in their last digits between CPUs with and without VNNI).
"""

from __future__ import annotations

import sys

from bot.content import load_content
from bot.semantic import Encoder
from bot.semantic.cache import read_store, text_key, write_store
from bot.semantic.files import default_model_dir, ranker_model_dir
from bot.understanding.reader import Understanding
from bot.understanding.vectors import SHIPPED_FILE


def main() -> int:
    """Encode every text each model indexes and write its shipped file; print what it did."""
    content = load_content()
    for directory, groups in (
        (default_model_dir(), Understanding.groups(content)),
        (ranker_model_dir(), Understanding.ranking_groups(content)),
    ):
        encoder = Encoder.load(directory)
        texts = list(dict.fromkeys(t for group in groups.values() for t in group))
        path = directory / SHIPPED_FILE
        stored = read_store(path)
        keys = {t: text_key(fingerprint=encoder.fingerprint, text=t) for t in texts}
        new = [t for t in texts if keys[t] not in stored]
        encoded = dict(zip(new, encoder.encode(new), strict=True)) if new else {}
        vectors = {keys[t]: stored[keys[t]] if keys[t] in stored else encoded[t] for t in texts}
        write_store(path, vectors)
        print(
            f"{path}: {len(texts)} texts ({len(new)} newly encoded), "
            f"{path.stat().st_size / 1e6:.1f} MB",
            file=sys.stdout,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
