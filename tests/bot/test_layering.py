"""Dependencies point one way: adapters import the core, the core imports no platform."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
FORBIDDEN = (
    "adapters",
    "slack_bolt",
    "slack_sdk",
    "microsoft_agents",
    "aiohttp",
    "sqlalchemy",
    "alembic",
    "apscheduler",
    "cryptography",
    "psycopg",
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(BOT.glob("*.py")), ids=lambda p: p.name)
def test_the_core_imports_no_platform_web_or_database_library(path: Path) -> None:
    assert not _imports(path) & set(FORBIDDEN)
