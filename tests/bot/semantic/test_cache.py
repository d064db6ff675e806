"""Index vectors are reused from the caches only for the same model and text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.semantic import DIMENSION, Encoder, SemanticIndex
from bot.semantic.cache import cached_vectors, read_store, text_key, write_store
from bot.semantic.encoder import Vectors

TEXTS = ("Patience, persistence and resilience", "Leading without and beyond authority")


class Counting:
    """Our real encoder, counting how many texts it was asked to encode."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.texts = 0

    def __call__(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        return self.encoder.encode(texts)


def test_a_second_build_reads_the_cache_instead_of_encoding(
    encoder: Encoder, tmp_path: Path
) -> None:
    cache = tmp_path / "index.npz"
    counting = Counting(encoder)
    first = cached_vectors(cache, fingerprint=encoder.fingerprint, texts=TEXTS, encode=counting)
    second = cached_vectors(cache, fingerprint=encoder.fingerprint, texts=TEXTS, encode=counting)
    assert counting.texts == len(TEXTS)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    ("fingerprint", "texts", "encoded"),
    [("another model", TEXTS, 2), (None, (*TEXTS, "a new situation"), 1), (None, TEXTS[::-1], 0)],
    ids=["model-changed", "text-added", "order-changed"],
)
def test_only_texts_never_encoded_by_this_model_are_encoded(
    encoder: Encoder,
    tmp_path: Path,
    fingerprint: str | None,
    texts: tuple[str, ...],
    encoded: int,
) -> None:
    cache = tmp_path / "index.npz"
    cached_vectors(cache, fingerprint=encoder.fingerprint, texts=TEXTS, encode=encoder.encode)
    counting = Counting(encoder)
    fresh = cached_vectors(
        cache, fingerprint=fingerprint or encoder.fingerprint, texts=texts, encode=counting
    )
    assert counting.texts == encoded
    np.testing.assert_allclose(fresh, encoder.encode(texts), atol=1e-6)


def test_the_shipped_vectors_spare_a_first_run_all_encoding(
    encoder: Encoder, tmp_path: Path
) -> None:
    shipped = tmp_path / "shipped.npz"
    cached_vectors(shipped, fingerprint=encoder.fingerprint, texts=TEXTS, encode=encoder.encode)
    mine = tmp_path / "user" / "index.npz"
    counting = Counting(encoder)
    first = cached_vectors(
        mine, fingerprint=encoder.fingerprint, texts=TEXTS, encode=counting, shipped=shipped
    )
    assert counting.texts == 0
    assert not mine.exists()
    np.testing.assert_allclose(first, encoder.encode(TEXTS), atol=1e-6)
    # An editor adds a situation: only it is encoded, and the user cache keeps exactly the
    # current texts.
    edited = (*TEXTS, "two councils want their own dashboards")
    cached_vectors(
        mine, fingerprint=encoder.fingerprint, texts=edited, encode=counting, shipped=shipped
    )
    assert counting.texts == 1
    assert set(read_store(mine)) == {
        text_key(fingerprint=encoder.fingerprint, text=t) for t in edited
    }


@pytest.mark.parametrize("damage", [b"", b"not a zip file", b"PK\x03\x04 truncated"])
def test_a_damaged_cache_is_rebuilt_not_an_error(
    encoder: Encoder, tmp_path: Path, damage: bytes
) -> None:
    cache = tmp_path / "index.npz"
    cache.write_bytes(damage)
    index = SemanticIndex.build(encoder, TEXTS, cache=cache)
    assert index.search("keep going despite setbacks", k=1)[0].position == 0
    assert len(read_store(cache)) == len(TEXTS)


def test_a_cache_of_the_wrong_shape_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "index.npz"
    write_store(cache, {"a": np.zeros(DIMENSION, dtype=np.float32)})
    assert set(read_store(cache)) == {"a"}
    with cache.open("wb") as out:
        np.savez(out, keys=np.array(["a", "b"]), vectors=np.zeros((3, DIMENSION)))
    assert read_store(cache) == {}


def test_an_unwritable_cache_still_builds_the_index(encoder: Encoder, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    index = SemanticIndex.build(encoder, TEXTS, cache=blocker / "index.npz")
    assert len(index) == len(TEXTS)


def test_an_unknown_model_never_uses_the_cache(encoder: Encoder, tmp_path: Path) -> None:
    cache = tmp_path / "index.npz"
    counting = Counting(encoder)
    cached_vectors(cache, fingerprint="", texts=TEXTS, encode=counting)
    cached_vectors(cache, fingerprint="", texts=TEXTS, encode=counting)
    assert counting.texts == 2 * len(TEXTS)
    assert not cache.exists()


def test_the_loaded_encoder_is_fingerprinted_by_its_checksums(encoder: Encoder) -> None:
    assert "model.onnx" in encoder.fingerprint
    assert "tokenizer.json" in encoder.fingerprint
