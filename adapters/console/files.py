"""A reply's file in the console: written next to the person, and its path shown.

The console's "private delivery" is the person's own disk. Files are written with owner-only
permissions into ``COACH_EXPORT_DIR`` (default: the current directory), never overwriting an
earlier export.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.models import Attachment


def export_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where console exports go: ``COACH_EXPORT_DIR``, else the current directory."""
    env = os.environ if env is None else env
    return Path(env.get("COACH_EXPORT_DIR") or ".").expanduser()


def save(attachment: Attachment, *, directory: Path) -> Path:
    """Write ``attachment`` into ``directory`` (created if need be); return its path.

    The name is the attachment's own, made safe; ``-2``, ``-3`` … are added rather than
    overwrite an earlier file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    name = Path(attachment.filename).name or "export"
    stem, suffix = Path(name).stem, Path(name).suffix
    path = directory / name
    number = 1
    while True:
        try:
            # O_EXCL: never overwrite, even if another process writes the same name meanwhile.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            number += 1
            path = directory / f"{stem}-{number}{suffix}"
    with os.fdopen(fd, "wb") as handle:
        handle.write(attachment.data)
    return path.resolve()
