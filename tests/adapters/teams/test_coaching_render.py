"""The coaching loop's cards and forms as Adaptive Cards: golden files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from adapters.teams import render
from tests.adapters.coaching_replies import NAMES, coaching_replies

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def replies(tmp_path_factory):
    return coaching_replies(tmp_path_factory.mktemp("coaching"))


@pytest.mark.parametrize("name", NAMES)
def test_coaching_cards_match_their_golden_files(replies, name):
    activity = render.to_activity(replies[name])
    rendered = activity.model_dump(by_alias=True, exclude_unset=True, mode="json")
    path = GOLDEN / f"coaching_{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(json.dumps(rendered, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == rendered


def test_a_domain_form_is_choice_sets_that_wrap_and_a_submit(replies):
    card = render.card_json(replies["assess_form_first"].card)
    sets = [b for b in card["body"] if b["type"] == "Input.ChoiceSet"]
    assert [s["id"] for s in sets] == [f"ie-{n}" for n in range(1, 8)]
    assert all(s["wrap"] for s in sets)
    assert [c["title"] for c in sets[0]["choices"]][0] == "1 Not yet"
    assert card["actions"][0]["data"]["action_id"] == "assess.save"
