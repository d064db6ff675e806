"""Read a content YAML file and check its fields, naming the file and the field at fault.

Content is edited by people who are not programmers, so every loader (``bot.content`` and the
example files of ``bot.understanding``) fails the same way: ``file: field.path: what is wrong``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import yaml


class ContentError(ValueError):
    """A content file is missing or malformed; the message names the file and the field."""


# Why hand-written checks rather than pydantic: the README promises start-up under 300 ms,
# and importing pydantic plus building these models cost ~150 ms of it (measured with
# ``python -X importtime``). The schema is small, so a few explicit checks that name the file
# and the field are clearer than the library and five times cheaper.


class Checker:
    """Reads one parsed YAML document, raising :class:`ContentError` at the first problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> NoReturn:
        raise ContentError(f"{self.path}: {where}: {message}")

    def mapping(
        self, value: Any, where: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where or "(top level)", "expected a mapping of fields")
        unknown = sorted(set(value) - set(required) - set(optional))
        if unknown:
            self.fail(join(where, str(unknown[0])), "unknown field (check its spelling)")
        for key in required:
            if key not in value:
                self.fail(join(where, key), "field required")
        return value

    def text(self, value: Any, where: str, *, allow_empty: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(where, "expected text")
        if not isinstance(value, str):
            self.fail(where, "expected text; put it in quotes")
        stripped: str = value.strip()
        if not stripped and not allow_empty:
            self.fail(where, "must not be empty")
        return stripped

    def items(self, value: Any, where: str, *, allow_empty: bool = True) -> list[Any]:
        if value is None and allow_empty:
            return []
        if not isinstance(value, list):
            self.fail(where, "expected a list")
        if not value and not allow_empty:
            self.fail(where, "must not be empty")
        return value

    def texts(self, value: Any, where: str) -> tuple[str, ...]:
        return tuple(self.text(v, f"{where}.{i}") for i, v in enumerate(self.items(value, where)))


def join(where: str, key: str) -> str:
    """The dotted path of ``key`` inside ``where`` (``domains.0`` + ``rows``)."""
    return f"{where}.{key}" if where else key


def read_yaml(directory: Path, name: str) -> tuple[Checker, Any]:
    """Parse ``directory/name`` and return a checker for it with the parsed document.

    Raises:
        ContentError: the file cannot be read or is not valid YAML.
    """
    path = directory / name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except OSError as exc:
        raise ContentError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from exc
    return Checker(path), raw


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
