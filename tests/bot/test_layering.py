"""Dependencies point one way: adapters import the core, the core imports no platform."""

from __future__ import annotations

import ast
import subprocess
import sys
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


# --- the whole import graph, checked by import-linter ----------------------------------------

ROOT = BOT.parent
# The composition roots' package: optional, so that the contracts hold before and after the
# code layout moves them out of adapters/ (issue 10).
LAYERS = ("app", "adapters", "bot")
# What the core must never reach, directly or through another module.
CORE_FORBIDS = (
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


def _contracts(packages: list[str]) -> str:
    layers = "\n".join(f"    {p}" if p in packages else f"    ({p})" for p in LAYERS)
    forbidden = "\n".join(f"    {m}" for m in (*[p for p in packages if p != "bot"], *CORE_FORBIDS))
    ancestors = "\n".join(f"    {p}" for p in packages)
    return f"""[importlinter]
root_packages =
{ancestors}
include_external_packages = True

[importlinter:contract:layers]
name = app -> adapters -> bot, never the reverse
type = layers
layers =
{layers}

[importlinter:contract:pure-core]
name = bot imports no platform, web, database or scheduler library
type = forbidden
source_modules =
    bot
forbidden_modules =
{forbidden}

[importlinter:contract:no-cycles]
name = no import cycles between the modules of any package
type = acyclic_siblings
ancestors =
{ancestors}
"""


def test_import_linter_contracts_hold(tmp_path: Path) -> None:
    packages = [p for p in LAYERS if (ROOT / p / "__init__.py").is_file()]
    assert {"adapters", "bot"} <= set(packages)
    config = tmp_path / "importlinter.ini"
    config.write_text(_contracts(packages), encoding="utf-8")
    # In a process of its own: in-process, lint_imports left the loggers that already existed
    # disabled (seen: adapters.store.crypto), which silenced later log-capturing tests (caplog,
    # tests/security/test_logs.py) that ran after it in the same xdist worker.
    run = subprocess.run(
        [sys.executable, "-c", LINT, str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout, run.stdout


LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))"
)
