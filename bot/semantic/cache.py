"""File caches of index vectors, so start-up does not re-encode texts it has seen.

Encoding one text takes 2-3 ms on one thread, so an index of 500 texts (rows, principles and
their example situations) costs one to eight seconds: far too slow for ``coach ask``. A vector
depends only on the model and its text, so each is stored under a key made of both. Two files
are read: one shipped beside the model (built by ``python -m scripts.content_vectors`` for the
content as released, so a first run on a new machine encodes nothing) and one in the user's
cache folder, for texts edited since. Only texts found in neither are encoded (an edited
example costs milliseconds, not a re-encoding of everything), and the user cache is rewritten
with exactly the current texts, so it never grows. A missing, stale, damaged or unwritable file
is never an error: what it would have held is simply encoded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from bot.semantic.encoder import DIMENSION, Vectors


def text_key(*, fingerprint: str, text: str) -> str:
    """The key of one text's vector: SHA-256 of the model's fingerprint and the text."""
    digest = hashlib.sha256(f"{fingerprint}\0{DIMENSION}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def read_store(path: Path | None) -> dict[str, Vectors]:
    """The vectors stored at ``path`` by key; empty when there is no readable file."""
    if path is None:
        return {}
    try:
        with np.load(path, allow_pickle=False) as stored:
            keys = [str(k) for k in stored["keys"]]
            vectors = np.asarray(stored["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        return {}
    if vectors.shape != (len(keys), DIMENSION):
        return {}
    return dict(zip(keys, vectors, strict=True))


def write_store(path: Path, entries: Mapping[str, Vectors]) -> None:
    """Store the vectors atomically (a reader never sees half a file); skip if unwritable."""
    keys = np.array(list(entries), dtype=np.str_)
    vectors = np.zeros((len(entries), DIMENSION), dtype=np.float32)
    for i, vector in enumerate(entries.values()):
        vectors[i] = vector
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, keys=keys, vectors=vectors)
        os.replace(temporary, path)
    except OSError:
        # A read-only deployment still works; it only pays for edited texts at each start.
        return


def cached_vectors(
    path: Path,
    *,
    fingerprint: str,
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], Vectors],
    shipped: Path | None = None,
) -> Vectors:
    """Vectors for ``texts``, from the shipped file and the cache at ``path`` where they can.

    Args:
        path: the user's cache file (``.npz``); rewritten when anything had to be encoded.
        fingerprint: identifies the model (its checksums); empty disables both files, since
            vectors from an unknown model must never be reused.
        texts: the texts to index, in order.
        encode: encodes the texts neither file holds.
        shipped: the file released with the content (read, never written here).
    """
    if not fingerprint:
        return encode(texts)
    keys = [text_key(fingerprint=fingerprint, text=t) for t in texts]
    if not keys:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    known = read_store(shipped) | read_store(path)
    todo = list(dict.fromkeys(k for k in keys if k not in known))
    if todo:
        first = {k: i for i, k in reversed(list(enumerate(keys)))}
        fresh = encode([texts[first[k]] for k in todo])
        known.update((k, np.asarray(v, dtype=np.float32)) for k, v in zip(todo, fresh, strict=True))
        # Exactly the current texts: the file never grows with old edits.
        write_store(path, {k: known[k] for k in dict.fromkeys(keys)})
    return np.stack([known[k] for k in keys])
