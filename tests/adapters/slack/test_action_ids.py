"""Action ids are unique per message and come back to the core unchanged."""

from __future__ import annotations

from adapters.slack.action_ids import ActionIds, core_action_id, is_adapter_action


def test_repeats_are_numbered_and_stripped_again() -> None:
    ids = ActionIds()
    assert [ids.unique("ask"), ids.unique("ask"), ids.unique("more")] == ["ask", "ask#2", "more"]
    assert core_action_id("ask#2") == "ask"
    assert core_action_id("nudge.pause") == "nudge.pause"


def test_adapter_ids_are_kept_from_the_core() -> None:
    assert is_adapter_action("slack.link#3")
    assert not is_adapter_action("share")
