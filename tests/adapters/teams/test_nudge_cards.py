"""The nudge card and the Reflect form in Teams: golden files, and every button round-trips.

Set ``UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change, then review.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from microsoft_agents.activity import Activity

from adapters.teams import render, translate
from app.wiring import build_coach
from bot.coach import Coach
from bot.commands.journal import REFLECTION_INPUT
from bot.models import Action, Incoming, Reply
from bot.nudges.card import nudge_reply
from tests.adapters.teams.harness import MEGAN, TENANT, payload

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 11, 30, 9, 0, 30, tzinfo=UTC)
NUDGE_ACTIONS = ["nudge.reflect", "nudge.another", "nudge.skip", "nudge.pause", "nudge.stop"]


@pytest.fixture
def coach(tmp_path: Path) -> Coach:
    """The real coach with its stateful commands on a fresh SQLite database."""
    return build_coach(
        env={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cards.db'}",
            "TEAMS_ALLOW_ANONYMOUS": "1",
            "COACH_DATA_KEY": Fernet.generate_key().decode(),
        }
    )


def rendered(reply: Reply) -> dict[str, Any]:
    activity = render.to_activity(reply)
    return activity.model_dump(by_alias=True, exclude_unset=True, mode="json")


def assert_golden(name: str, value: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == value


def submitted(data: dict[str, Any]) -> Action:
    """What Teams sends back when a person presses an ``Action.Submit`` with ``data``."""
    activity = Activity.model_validate(
        payload("card_submit", service_url="http://127.0.0.1:1/", value=data)
    )
    action = translate.to_action(activity)
    assert action is not None
    return action


def submits(value: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons that send data back: Action.Submit, and Action.Execute (Universal Actions)."""
    content = value["attachments"][0]["content"]
    buttons = [a for a in content["actions"] if a["type"] in ("Action.Submit", "Action.Execute")]
    for button in buttons:
        if button["type"] == "Action.Execute":
            # Older clients press the fallback instead: it must send exactly the same data.
            assert button["fallback"]["type"] == "Action.Submit"
            assert button["fallback"]["data"] == button["data"]
            assert button["verb"] == button["data"]["action_id"]
    return buttons


def test_nudge_card_matches_golden(coach: Coach) -> None:
    value = rendered(nudge_reply(coach.content, row_id="ie-1", prompt_index=0))
    assert_golden("nudge", value)
    assert [a["data"]["action_id"] for a in submits(value)] == NUDGE_ACTIONS
    # Skip, Pause and Stop update the card in place; Reflect and Another prompt post anew.
    types = [a["type"] for a in submits(value)]
    assert types == ["Action.Submit", "Action.Submit", *["Action.Execute"] * 3]


def test_reflect_form_matches_golden(coach: Coach) -> None:
    nudge = rendered(nudge_reply(coach.content, row_id="ie-1", prompt_index=0))
    [reflect] = [a for a in submits(nudge) if a["data"]["action_id"] == "nudge.reflect"]
    form = rendered(coach.act(submitted(reflect["data"]), now=NOW))
    assert_golden("reflect_form", form)
    body = form["attachments"][0]["content"]["body"]
    assert [b["id"] for b in body if b["type"] == "Input.Text"] == [
        REFLECTION_INPUT,
        "happened",
        "learned",
        "changed",
    ]
    [theme] = [b for b in body if b["type"] == "Input.ChoiceSet"]
    assert [c["value"] for c in theme["choices"]] == [
        "Prioritise people",
        "Practise effectively",
        "Preserve safety",
        "Promote professionalism and trust",
    ]


def test_every_nudge_button_comes_back_as_the_same_action(coach: Coach) -> None:
    nudge = rendered(nudge_reply(coach.content, row_id="ie-1", prompt_index=2))
    for button in submits(nudge):
        action = submitted(button["data"])
        assert action.action_id == button["data"]["action_id"]
        assert action.value == "to=me;row=ie-1;q=2"
        assert (action.who.user_id, action.who.workspace_id, action.who.platform) == (
            MEGAN,
            TENANT,
            "teams",
        )
        assert action.form == ()
        # Each is answered by its own command, never as an expired or unknown button.
        reply = coach.act(action, now=NOW)
        assert "expired" not in reply.text
        assert reply.intent != "unknown"


def test_the_reflect_form_submits_the_typed_text_as_the_form(coach: Coach) -> None:
    nudge = rendered(nudge_reply(coach.content, row_id="ie-1", prompt_index=0))
    [reflect] = [a for a in submits(nudge) if a["data"]["action_id"] == "nudge.reflect"]
    [save] = submits(rendered(coach.act(submitted(reflect["data"]), now=NOW)))
    # Teams merges the inputs' values into the button's data.
    action = submitted(save["data"] | {REFLECTION_INPUT: "I listened first."})
    assert action.action_id == "journal.save"
    assert action.form == ((REFLECTION_INPUT, "I listened first."),)
    assert coach.act(action, now=NOW).intent == "journal"


def test_the_reflect_form_structured_parts_are_saved_under_their_headings(coach: Coach) -> None:
    nudge = rendered(nudge_reply(coach.content, row_id="ie-1", prompt_index=0))
    [reflect] = [a for a in submits(nudge) if a["data"]["action_id"] == "nudge.reflect"]
    [save] = submits(rendered(coach.act(submitted(reflect["data"]), now=NOW)))
    filled = {
        REFLECTION_INPUT: "Hard week.",
        "happened": "The handover over-ran.",
        "learned": "We rely on one clerk.",
        "changed": "",
        "theme": "Preserve safety",
    }
    assert coach.act(submitted(save["data"] | filled), now=NOW).intent == "journal"
    listing = coach.handle(Incoming(text="journal", who=submitted(save["data"]).who), now=NOW)
    assert "What I learned: We rely on one clerk." in listing.text
    assert "Theme of the NMC Code: Preserve safety" in listing.text
    assert "How I changed" not in listing.text
