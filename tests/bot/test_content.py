"""The content files load, hold the seed's words exactly, and fail fast when malformed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.content import DEFAULT_DIR, ContentError, load_content

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_8fc35b05b9a1f64e.txt"


def _squash(text: str) -> str:
    # The seed is a PDF's text: rows wrap mid-sentence and cells run together on one line.
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_framework_has_the_four_domains_and_thirty_rows(content):
    assert [(d.name, len(d.rows)) for d in content.domains] == [
        ("Individual Effectiveness", 7),
        ("Relationships and Connectivity", 10),
        ("Innovation and Improvement", 7),
        ("Learning and Capacity Building", 6),
    ]
    assert len(content.rows) == 30
    assert len({r.id for r in content.rows}) == 30


def test_the_example_row_pairs_role_and_behaviour(content):
    row = next(r for r in content.rows if r.role.startswith("Enabler role"))
    assert row.role == "Enabler role, holding people to account for the work"
    assert row.behaviour == "Patience, persistence and resilience"
    assert row.domain == "Individual Effectiveness"


@pytest.mark.skipif(not SEED.exists(), reason="the seed document is not beside the project")
def test_every_cell_appears_word_for_word_in_the_seed(content):
    seed = _squash(SEED.read_text(encoding="utf-8"))
    for row in content.rows:
        assert _squash(row.role) in seed, row.role
        assert _squash(row.behaviour) in seed, row.behaviour
    for academy in content.academies:
        for value in (academy.region, academy.tel, academy.email, academy.web):
            assert value in seed, value
    for passage in content.passages:
        for item in passage.items:
            # The seed wraps lines mid-item; compare with spacing squashed on both sides.
            assert _squash(item) in seed, item


def test_principles_are_the_six_with_attribution(content):
    assert [p.number for p in content.principles] == [1, 2, 3, 4, 5, 6]
    assert content.principles[3].title == "Carers are identified, supported and involved"
    assert "National Voices" in content.principles_source
    assert "2016" in content.principles_source


def test_ten_academies_with_dated_contacts(content):
    assert len(content.academies) == 10
    yh = content.academy("Yorkshire and the Humber")
    assert yh.tel == "0113 887 1660 or 07766 602483"
    assert yh.email == "leadership.enquiries@yh.hee.nhs.uk"
    assert "2016" in content.academies_caveat


def test_every_row_has_a_prompt(content):
    for row in content.rows:
        assert content.prompts_for(row.id), row.id


def test_passages_are_attributed(content):
    sources = {p.id: p.attribution.source for p in content.passages}
    assert sources["collective"] == "Kings Fund"
    assert sources["stp"] == "NHS England January 2016"
    assert sources["what"] == "NHS Leadership Academy"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def test_a_malformed_file_names_the_file_and_field(tmp_path):
    target = _copy(tmp_path)
    path = target / "framework.yaml"
    path.write_text(
        path.read_text().replace("behaviour: Patience, persistence and resilience", "behaviour: ")
    )
    with pytest.raises(ContentError, match=r"framework\.yaml: domains\.0\.rows\.2\.behaviour"):
        load_content(target)


def test_broken_yaml_names_the_file(tmp_path):
    target = _copy(tmp_path)
    (target / "academies.yaml").write_text("academies: [unclosed\n")
    with pytest.raises(ContentError, match=r"academies\.yaml: not valid YAML"):
        load_content(target)


def test_an_unquoted_phone_number_is_refused(tmp_path):
    target = _copy(tmp_path)
    path = target / "academies.yaml"
    path.write_text(path.read_text().replace("tel: 01293 227 139", "tel: 01234567"))
    with pytest.raises(ContentError, match=r"academies\.yaml: academies\.2\.tel"):
        load_content(target)


def test_a_prompt_for_a_missing_row_is_refused(tmp_path):
    target = _copy(tmp_path)
    path = target / "prompts.yaml"
    path.write_text(path.read_text() + "  zz-1:\n    - What now?\n")
    with pytest.raises(ContentError, match=r"prompts\.yaml: prompts"):
        load_content(target)


def test_a_missing_file_is_named(tmp_path):
    target = _copy(tmp_path)
    (target / "principles.yaml").unlink()
    with pytest.raises(ContentError, match=r"principles\.yaml: cannot read"):
        load_content(target)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("2", "Relationships and Connectivity"),
        ("4", "Learning and Capacity Building"),
        ("5", ""),
        ("0", ""),
        ("innovation and improvment", "Innovation and Improvement"),
        ("", ""),
    ],
)
def test_a_domain_is_named_by_its_name_or_its_number(content, text, name):
    assert content.domain_named(text) == name
