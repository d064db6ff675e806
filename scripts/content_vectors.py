"""Rebuild ``models/minilm-l6-v2-int8/content-vectors.npz``: the content's vectors, shipped.

``python -m scripts.content_vectors`` after editing ``content/`` (before a release), so that
``coach ask`` on a new machine starts without encoding anything. Without it nothing breaks: the
edited texts are encoded at the first start and kept in the user's cache.
"""

from __future__ import annotations

import sys

from bot.content import load_content
from bot.semantic import Encoder
from bot.semantic.cache import text_key, write_store
from bot.semantic.files import default_model_dir
from bot.understanding.reader import Understanding
from bot.understanding.vectors import SHIPPED_FILE


def main() -> int:
    """Encode every text the coach indexes and write the shipped file; print what it did."""
    directory = default_model_dir()
    encoder = Encoder.load(directory)
    texts = list(
        dict.fromkeys(t for group in Understanding.groups(load_content()).values() for t in group)
    )
    vectors = encoder.encode(texts)
    path = directory / SHIPPED_FILE
    write_store(
        path,
        {
            text_key(fingerprint=encoder.fingerprint, text=t): v
            for t, v in zip(texts, vectors, strict=True)
        },
    )
    print(f"{path}: {len(texts)} texts, {path.stat().st_size / 1e6:.1f} MB", file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
