"""Reading a /slack/events body: the same dict Bolt's own parser gives, except for its bug."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_bolt.request.internals import parse_body

from adapters.slack.body import form_fields, parse

FORM = "application/x-www-form-urlencoded"

names = st.text(min_size=1, max_size=12).filter(lambda s: "payload" not in s)
values = st.text(max_size=40).filter(lambda s: "payload" not in s)


@given(st.dictionaries(names, values, max_size=8))
def test_a_form_reads_as_bolt_reads_it(fields: dict[str, str]) -> None:
    body = urlencode(fields)
    assert parse(body, FORM) == parse_body(body, FORM) == fields


@pytest.mark.parametrize(
    "body",
    ["a=1&&b=2", "a=1&a=2", "novalue&x=", "t=caf%C3%A9+au+lait", "bad=%zz%C3", "x=a%2Bb+c"],
)
def test_odd_forms_read_as_parse_qsl_reads_them(body: str) -> None:
    assert form_fields(body) == parse_body(body, FORM)


def test_json_and_interaction_payloads() -> None:
    event = {"type": "event_callback", "event": {"type": "app_mention"}}
    assert parse(json.dumps(event), "application/json") == event
    assert parse(json.dumps(event), None) == event
    action = {"type": "block_actions", "actions": [{"action_id": "more"}]}
    assert parse(urlencode({"payload": json.dumps(action)}), FORM) == action
    assert parse("", FORM) == {}


def test_the_word_payload_in_a_command_is_just_a_word() -> None:
    body = urlencode({"command": "/leadership", "text": "what is a payload"})
    assert parse(body, FORM) == {"command": "/leadership", "text": "what is a payload"}
    assert parse_body(body, FORM) == {}  # Bolt's reading, which this module avoids


def test_malformed_json_is_a_value_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        parse(urlencode({"payload": "{not json"}), FORM)
