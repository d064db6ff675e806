"""Issue 9, item 8: installs are reproducible and hash-checked.

The locks in ``requirements/`` (made by ``make lock``) must pin every dependency that
``pyproject.toml`` names, with hashes; the dev lock must agree with the runtime lock; CI must
install from the lock with ``--require-hashes``; and build output must not be in git.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = {"runtime": ROOT / "requirements" / "runtime.txt", "dev": ROOT / "requirements" / "dev.txt"}
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)\s*\\?$")


def _pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for every requirement in ``lock``."""
    pins: dict[str, tuple[str, int]] = {}
    current = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := _PIN.match(line):
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"{lock.name}: unpinned line {line!r}")
    return pins


def _declared() -> dict[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    dev = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["dev"]}
    return {"runtime": runtime, "dev": runtime | dev}


@pytest.mark.parametrize("kind", sorted(LOCKS))
def test_every_declared_dependency_is_pinned_with_hashes(kind: str) -> None:
    pins = _pins(LOCKS[kind])
    assert pins
    assert _declared()[kind] <= set(pins), _declared()[kind] - set(pins)
    unhashed = [name for name, (_version, hashes) in pins.items() if hashes == 0]
    assert unhashed == []


def test_the_dev_lock_agrees_with_the_runtime_lock() -> None:
    runtime, dev = _pins(LOCKS["runtime"]), _pins(LOCKS["dev"])
    assert {n: v for n, (v, _h) in runtime.items()} == {
        n: v for n, (v, _h) in dev.items() if n in runtime
    }


def test_ci_installs_from_the_lock_with_hashes() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/dev.txt" in ci
    assert "--no-deps" in ci
    assert "-e '.[dev]'" not in ci  # a fresh resolve would ignore the lock


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)
def test_build_output_is_not_tracked() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert ".egg-info/" not in tracked
