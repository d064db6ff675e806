"""The structural check in front of Bolt accepts what Slack sends and rejects the rest."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.slack import shape
from adapters.slack.shape import is_slack_shape
from tests.adapters.slack.harness import PAYLOADS, payload


@pytest.mark.parametrize("name", sorted(p.stem for p in PAYLOADS.glob("*.json")))
def test_every_recorded_payload_is_accepted(name: str) -> None:
    body = payload(name)
    if name == "slash_command":
        body = dict(parse_qsl(urlencode(body)))
    assert is_slack_shape(body)


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        {"type": ["event_callback"]},
        {"type": "event_callback", "event": "x"},
        {"type": "event_callback", "event": {"type": "message", "user": 5}},
        {"type": "event_callback", "event": {"type": "message", "channel": ["C1"]}},
        {"type": "block_actions", "actions": []},
        {"type": "block_actions", "actions": [{"action_id": 1}]},
        {"type": "block_actions", "actions": [{"action_id": "a"}], "user": {"id": 7}},
        {"type": "view_submission", "view": {"callback_id": 3}},
        {"command": "leadership"},
        {"command": "/leadership", "user_id": {"id": "U1"}},
        {"type": "url_verification"},
        {"type": "nonsense"},
    ],
)
def test_shapes_bolt_would_trip_over_are_refused(body: object) -> None:
    assert not is_slack_shape(body)


_KEYS = st.sampled_from(
    ["command", "text", "user", "team", "event", "view", "actions", "response_urls", "type", "x"]
)


@given(st.dictionaries(_KEYS, st.text(max_size=5), min_size=1))
def test_a_flat_form_is_judged_as_the_full_walk_judges_it(body: dict[str, str]) -> None:
    assert shape._well_typed(body) == shape._well_typed_nested(body)
