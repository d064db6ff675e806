"""The example files load, point only at rows, principles and passages that exist, and fail
fast, naming the file and the field, when an editor makes a mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import DEFAULT_DIR, ContentError, load_content
from bot.examples import Target


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_row_and_principle_has_at_least_eight_situations(content):
    situations = content.examples.situations
    for row in content.rows:
        assert sum(s.key == row.id for s in situations if s.target is Target.ROW) >= 8, row.id
    for p in content.principles:
        count = sum(s.key == str(p.number) for s in situations if s.target is Target.PRINCIPLE)
        assert count >= 8, p.number


def test_the_context_passage_has_examples(content):
    about = {s.key for s in content.examples.situations if s.target is Target.PASSAGE}
    assert "ics" in about


def test_requests_for_the_academies_load_apart_from_the_rows(content):
    academies = [s for s in content.examples.situations if s.target is Target.ACADEMY]
    assert len(academies) >= 20
    assert {s.key for s in academies} == {"regions"}


def test_no_answer_small_talk_and_wellbeing_load(content):
    examples = content.examples
    assert {n.category for n in examples.no_answer} >= {"admin", "it", "clinical", "hr_process"}
    assert {k.kind for k in examples.small_talk} >= {"greeting", "thanks", "acknowledgement"}
    assert all(k.replies for k in examples.small_talk)
    assert "116 123" in examples.wellbeing.distress_text
    assert "116 123" in examples.wellbeing.crisis_text
    assert all(s.url.startswith("https://") for s in examples.wellbeing.sources)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "situations.yaml",
            "\n  ie-2:\n",
            "\n  ie-99:\n",
            "situations.yaml: rows.ie-99: no framework",
        ),
        ("situations.yaml", "\n  1:\n", "\n  7:\n", "situations.yaml: principles.7: no principle"),
        ("situations.yaml", "\n  ics:\n", "\n  icss:\n", "situations.yaml: about.icss: no passage"),
        ("situations.yaml", "\nrows:\n", "\nrowz:\n", "situations.yaml: rowz: unknown field"),
        (
            "situations.yaml",
            "\nacademies:\n  # Asking",
            "\nacademies:\n  - 7\n  # Asking",
            "situations.yaml: academies.0",
        ),
        ("no_answer.yaml", '  - "reset my NHSmail password"', "  - 42", "no_answer.yaml: it.1"),
        ("small_talk.yaml", "    replies:\n", "    answers:\n", "small_talk.yaml: kinds.greeting"),
        ("wellbeing.yaml", 'url: "https://www.samaritans', 'url: "http://www.samaritans', "url"),
        ("wellbeing.yaml", "  crisis:\n    text:", "  crisis:\n    txt:", "signposts.crisis"),
    ],
)
def test_a_mistake_names_the_file_and_the_field(content_dir, file, old, new, message):
    _edit(content_dir / file, old, new)
    with pytest.raises(ContentError, match=message.replace(".", r"\.")):
        load_content(content_dir)


def test_an_overlong_example_is_rejected(content_dir):
    _edit(
        content_dir / "situations.yaml",
        '  ie-1:\n    - "',
        '  ie-1:\n    - "' + "very long " * 40,
    )
    with pytest.raises(ContentError, match=r"rows\.ie-1\.0: longer than"):
        load_content(content_dir)


def test_an_empty_list_is_rejected(content_dir):
    path = content_dir / "situations.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  ie-2:\n")
    end = text.index("\n  ie-3:\n")
    path.write_text(text[:start] + "\n  ie-2: []" + text[end:], encoding="utf-8")
    with pytest.raises(ContentError, match=r"rows\.ie-2: must not be empty"):
        load_content(content_dir)


def test_only_row_and_principle_examples_teach_the_ranker(content):
    ranked = {s.target for s in content.examples.situations if s.ranked}
    assert ranked == {Target.ROW, Target.PRINCIPLE}
