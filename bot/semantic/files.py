"""Where the shipped model lives, and the checksum check that guards it.

The model sits in ``models/minilm-l6-v2-int8/`` beside ``content/``, found the same way: from the
source tree, overridable by ``$COACH_MODEL_DIR``. A non-editable install has no source tree, so
the wheel also carries the folder as data files under ``<prefix>/share/system-leadership-coach/``
and the loader looks there when the source tree has none.

A model file that differs from the one the build recorded (a truncated Git LFS pointer, a bad
merge, a hand edit) would give quietly wrong rankings, so every file named in ``SHA256SUMS`` is
hashed at load and a mismatch is an error.
"""

from __future__ import annotations

import hashlib
import os
import sysconfig
from pathlib import Path

MODEL_NAME = "minilm-l6-v2-int8"
# MiniLM fine-tuned on the example situations (scripts/export_model/finetune.py): only the
# ranker's row and example signals use it; see bot/understanding/reader.py.
RANKER_NAME = "coach-ranker-int8"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CHECKSUM_FILE = "SHA256SUMS"
_SOURCE_MODELS = Path(__file__).resolve().parents[2] / "models"
_INSTALLED_MODELS = (
    Path(sysconfig.get_path("data")) / "share" / "system-leadership-coach" / "models"
)
DEFAULT_DIR = _SOURCE_MODELS / MODEL_NAME
_CHUNK = 1 << 20


class ModelFileError(RuntimeError):
    """A model file is missing or differs from its recorded checksum; the message names it."""


def default_model_dir() -> Path:
    """The model folder: ``$COACH_MODEL_DIR``, else the source tree's, else the installed one.

    With neither present the source tree's path is returned, so the checksum check names the
    place a developer expects the model to be.
    """
    return _model_dir(MODEL_NAME, "COACH_MODEL_DIR")


def ranker_model_dir() -> Path:
    """The fine-tuned ranker's folder: ``$COACH_RANKER_DIR``, else found as the base model is."""
    return _model_dir(RANKER_NAME, "COACH_RANKER_DIR")


def _model_dir(name: str, variable: str) -> Path:
    override = os.environ.get(variable)
    if override:
        return Path(override)
    source, installed = _SOURCE_MODELS / name, _INSTALLED_MODELS / name
    if not source.is_dir() and installed.is_dir():
        return installed
    return source


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks so a large file is never held twice."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_checksums(directory: Path) -> dict[str, str]:
    """Parse ``SHA256SUMS`` (``sha256sum`` format: ``<hex>  <name>`` per line).

    Raises:
        ModelFileError: the file is missing or a line is malformed.
    """
    path = directory / CHECKSUM_FILE
    if not path.is_file():
        raise ModelFileError(f"{path}: checksum file not found; is the model folder complete?")
    sums: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise ModelFileError(f"{path}, line {number}: expected '<sha256>  <file name>'")
        sums[name.lstrip("*")] = digest.lower()
    return sums


def verify_model_dir(directory: Path) -> None:
    """Check the model and tokenizer against ``SHA256SUMS``.

    Args:
        directory: the model folder.

    Raises:
        ModelFileError: a file is missing, unlisted or differs; the message names the file.
    """
    sums = _listed_sums(directory)
    for name, expected in sums.items():
        path = directory / name
        if not path.is_file():
            raise ModelFileError(f"{path}: model file not found")
        _check(path, expected=expected, actual=sha256_of(path))


def read_model_files(directory: Path, *, verify: bool = True) -> tuple[bytearray, bytes]:
    """The model's and the tokenizer's bytes, each read once and checked as read.

    Hashing the very bytes that are then loaded costs one read of the 23 MB file, not two, and
    leaves no moment for the file to change between the check and the load. Any other file
    listed in ``SHA256SUMS`` is checked too, as :func:`verify_model_dir` does.

    Returns:
        The model (a ``bytearray``, which the loader may change in place: see
        ``bot/semantic/signed.py``) and the tokenizer's JSON.

    Raises:
        ModelFileError: with ``verify``, as :func:`verify_model_dir`.
    """
    sums = _listed_sums(directory) if verify else {}
    for name in sums.keys() - {MODEL_FILE, TOKENIZER_FILE}:
        path = directory / name
        if not path.is_file():
            raise ModelFileError(f"{path}: model file not found")
        _check(path, expected=sums[name], actual=sha256_of(path))
    model, tokenizer = (_read(directory / n, sums.get(n)) for n in (MODEL_FILE, TOKENIZER_FILE))
    return model, bytes(tokenizer)


def _listed_sums(directory: Path) -> dict[str, str]:
    sums = read_checksums(directory)
    for name in (MODEL_FILE, TOKENIZER_FILE):
        if name not in sums:
            raise ModelFileError(f"{directory / CHECKSUM_FILE}: no checksum listed for {name}")
    return sums


def _read(path: Path, expected: str | None) -> bytearray:
    try:
        with path.open("rb") as handle:
            data = bytearray(os.fstat(handle.fileno()).st_size)
            size = handle.readinto(data)
    except FileNotFoundError:
        raise ModelFileError(f"{path}: model file not found") from None
    del data[size:]
    if expected is not None:
        _check(path, expected=expected, actual=hashlib.sha256(data).hexdigest())
    return data


def _check(path: Path, *, expected: str, actual: str) -> None:
    if actual != expected:
        raise ModelFileError(
            f"{path}: checksum mismatch (expected sha256 {expected}, found {actual}); "
            "the file is damaged or is not the one the build produced: rebuild it with "
            "`python -m scripts.export_model` or restore it from git"
        )
