"""The vectors shipped beside the model cover the content, so a first run encodes nothing."""

from __future__ import annotations

from bot.content import load_content
from bot.semantic import Encoder, default_model_dir
from bot.semantic.cache import read_store, text_key
from bot.understanding.reader import Understanding
from bot.understanding.vectors import SHIPPED_FILE


def test_every_indexed_text_has_a_shipped_vector(encoder: Encoder) -> None:
    stored = read_store(default_model_dir() / SHIPPED_FILE)
    texts = [t for group in Understanding.groups(load_content()).values() for t in group]
    missing = [t for t in texts if text_key(fingerprint=encoder.fingerprint, text=t) not in stored]
    assert not missing, (
        f"{len(missing)} texts have no shipped vector (first: {missing[0]!r}); "
        "run python -m scripts.content_vectors"
    )
