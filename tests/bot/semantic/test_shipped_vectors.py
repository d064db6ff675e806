"""The vectors shipped beside each model cover the content, so a first run encodes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import load_content
from bot.semantic import Encoder, default_model_dir
from bot.semantic.cache import read_store, text_key
from bot.semantic.files import ranker_model_dir
from bot.understanding.reader import Understanding
from bot.understanding.vectors import SHIPPED_FILE


@pytest.mark.parametrize(
    ("folder", "groups"),
    [
        (default_model_dir, Understanding.groups),
        (ranker_model_dir, Understanding.ranking_groups),
    ],
    ids=["base", "ranker"],
)
def test_every_indexed_text_has_a_shipped_vector(folder, groups) -> None:  # type: ignore[no-untyped-def]
    directory: Path = folder()
    encoder = Encoder.load(directory)
    stored = read_store(directory / SHIPPED_FILE)
    texts = [t for group in groups(load_content()).values() for t in group]
    missing = [t for t in texts if text_key(fingerprint=encoder.fingerprint, text=t) not in stored]
    assert not missing, (
        f"{len(missing)} texts have no shipped vector in {directory.name} (first: "
        f"{missing[0]!r}); run python -m scripts.content_vectors"
    )
