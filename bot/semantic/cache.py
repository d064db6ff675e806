"""A file cache of index vectors, so start-up does not re-encode unchanged texts.

Encoding one text takes 2-3 ms on one thread, so an index of 400 texts (rows, principles and
their example situations) costs about a second at every start: too slow for ``coach ask``. The
vectors depend only on the model and the texts, so they are stored with a key made of both and
reused while neither changes. A missing, stale, damaged or unwritable cache is never an error:
the index is then encoded as if there were no cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.semantic.encoder import DIMENSION, Vectors


def cache_key(*, fingerprint: str, texts: Sequence[str]) -> str:
    """SHA-256 of the model's fingerprint and the texts, in order."""
    digest = hashlib.sha256(f"{fingerprint}\0{DIMENSION}\0".encode())
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def read_cached(path: Path, *, key: str, count: int) -> Vectors | None:
    """The cached vectors if ``path`` holds them for ``key``, else None."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["key"]) != key:
                return None
            vectors = np.asarray(stored["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        return None
    return vectors if vectors.shape == (count, DIMENSION) else None


def write_cached(path: Path, *, key: str, vectors: Vectors) -> None:
    """Store the vectors atomically (a reader never sees half a file); skip if unwritable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, key=np.array(key), vectors=vectors)
        os.replace(temporary, path)
    except OSError:
        # A read-only deployment still works; it only pays the encoding at each start.
        return


def cached_vectors(
    path: Path,
    *,
    fingerprint: str,
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], Vectors],
) -> Vectors:
    """Vectors for ``texts`` from the cache at ``path``, encoding and storing them on a miss.

    Args:
        path: the cache file (``.npz``); one per index.
        fingerprint: identifies the model (its checksums); empty disables the cache, since
            vectors from an unknown model must never be reused.
        texts: the texts to index, in order.
        encode: encodes texts when the cache cannot answer.
    """
    if not fingerprint:
        return encode(texts)
    key = cache_key(fingerprint=fingerprint, texts=texts)
    found = read_cached(path, key=key, count=len(texts))
    if found is not None:
        return found
    vectors = encode(texts)
    write_cached(path, key=key, vectors=vectors)
    return vectors
