"""Dependencies point one way, app -> adapters -> bot: the composition roots sit on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot.test_layering import FORBIDDEN, _imports

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("adapters"), ids=lambda p: str(p.relative_to(ROOT)))
def test_adapters_never_import_the_composition_roots(path: Path) -> None:
    assert "app" not in _imports(path)


@pytest.mark.parametrize("path", _modules("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_neither_adapters_nor_app(path: Path) -> None:
    assert not _imports(path) & {"adapters", "app"}


@pytest.mark.parametrize("path", _modules("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_the_core_imports_a_platform_web_or_database_library(path: Path) -> None:
    # tests/bot/test_layering.py checks bot/*.py; this reaches bot's subpackages too.
    assert not _imports(path) & set(FORBIDDEN)
