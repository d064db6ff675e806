"""The default install runs the model without torch; the build tools stay in their extra."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BUILD_ONLY = ("torch", "transformers", "sentence-transformers", "onnx", "model2vec")


def _name(requirement: str) -> str:
    for mark in "<>=![; ":
        requirement = requirement.split(mark)[0]
    return requirement.strip().lower()


def test_runtime_dependencies_hold_the_runtime_and_no_build_tools() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    assert {"onnxruntime", "tokenizers", "numpy"} <= runtime
    assert not runtime & set(BUILD_ONLY)
    build = {_name(r) for r in project["optional-dependencies"]["model-build"]}
    assert {"torch", "onnx", "transformers"} <= build


def test_the_wheel_carries_every_file_of_the_model_folder() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = {
        Path(f).name for files in config["tool"]["setuptools"]["data-files"].values() for f in files
    }
    shipped = {p.name for p in (ROOT / "models" / "minilm-l6-v2-int8").iterdir() if p.is_file()}
    assert listed == shipped
