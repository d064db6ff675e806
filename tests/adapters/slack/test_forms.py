"""Form cards as modals, and submissions back as the core's Action."""

from __future__ import annotations

from adapters.slack.forms import (
    FormOrigin,
    build_modal,
    decode_form,
    encode_form,
    form_values,
)
from bot.models import Button, Card, Input, Section
from tests.adapters.slack.golden import assert_golden
from tests.adapters.slack.harness import payload

REFLECT = Card(
    title="Reflect on this week's prompt",
    sections=(Section(heading="Enabler role", body="When did patience <help> you this week?"),),
    inputs=(
        Input(
            id="reflection",
            label="Your reflection",
            placeholder="What happened? What did you notice? What will you try next?",
            max_length=4000,
        ),
    ),
    submit=Button(label="Save to my journal", action_id="journal.save", value="ref-7"),
    footer="Only you can read your journal.",
)


def test_modal_matches_golden_file() -> None:
    origin = FormOrigin(
        action_id="journal.save", value="ref-7", channel_id="D1", response_url="https://r.test/1"
    )
    view = build_modal(REFLECT, origin=origin).to_dict()
    assert view["title"]["text"] == "Reflect on this week's…"
    assert len(view["title"]["text"]) <= 24
    assert view["blocks"][-1]["element"]["max_length"] == 3000
    assert_golden("modal_reflect", view)


def test_origin_round_trips_through_private_metadata() -> None:
    origin = FormOrigin(action_id="journal.save", value="v", channel_id="C1", thread_ts="1.2")
    assert FormOrigin.from_metadata(origin.to_metadata()) == origin
    assert FormOrigin.from_metadata("not json") is None
    assert FormOrigin.from_metadata('{"something": "else"}') is None


def test_oversized_origin_drops_the_response_url_first() -> None:
    origin = FormOrigin(
        action_id="a", value="v" * 1990, response_url="https://r.test/" + "x" * 1500
    )
    metadata = origin.to_metadata()
    assert len(metadata) <= 3000
    restored = FormOrigin.from_metadata(metadata)
    assert restored is not None
    assert restored.value == origin.value
    assert restored.response_url == ""


def test_submitted_values_come_back_in_the_modal_order() -> None:
    view = payload("view_submission")["view"]
    assert form_values(view) == (("reflection", "I held the line on the discharge plan."),)


def test_an_empty_input_submits_empty_text() -> None:
    view = {
        "blocks": [],
        "state": {"values": {"a": {"a": {"type": "plain_text_input", "value": None}}}},
    }
    assert form_values(view) == (("a", ""),)


def test_form_packs_into_a_button_value_and_back() -> None:
    packed = encode_form(REFLECT)
    assert packed is not None
    assert len(packed) <= 2000
    restored = decode_form(packed)
    assert restored is not None
    assert restored.inputs == REFLECT.inputs
    assert restored.submit == REFLECT.submit
    assert decode_form("{bad") is None


def test_a_form_too_big_for_a_button_drops_its_text_then_gives_up() -> None:
    wordy = Card(
        title="t",
        sections=(Section(body="w" * 3000),),
        inputs=(Input(id="a", label="A"),),
        submit=Button(label="Go", action_id="go"),
    )
    packed = encode_form(wordy)
    assert packed is not None
    assert decode_form(packed).sections == ()  # type: ignore[union-attr]
    huge = Card(
        title="t",
        inputs=tuple(Input(id=f"i{n}", label="L" * 100) for n in range(30)),
        submit=Button(label="Go", action_id="go"),
    )
    assert encode_form(huge) is None


def test_optional_boxes_and_a_choice_become_optional_inputs_and_a_select() -> None:
    card = Card(
        title="Reflect",
        inputs=(
            Input(id="reflection", label="Your reflection"),
            Input(id="learned", label="What I learned (optional)", optional=True),
            Input(id="theme", label="Theme", optional=True, choices=("Preserve safety", "B")),
        ),
        submit=Button(label="Save", action_id="journal.save", value="v"),
    )
    origin = FormOrigin(action_id="journal.save", value="v", channel_id="C1", thread_ts="")
    view = build_modal(card, origin=origin).to_dict()
    reflection, learned, theme = view["blocks"][-3:]
    assert "optional" not in reflection
    assert learned["optional"] is True
    assert theme["element"]["type"] == "static_select"
    assert [o["value"] for o in theme["element"]["options"]] == ["Preserve safety", "B"]
    submitted = view | {
        "state": {
            "values": {
                "reflection": {"reflection": {"type": "plain_text_input", "value": "x"}},
                "learned": {"learned": {"type": "plain_text_input", "value": None}},
                "theme": {
                    "theme": {
                        "type": "static_select",
                        "selected_option": {"value": "Preserve safety"},
                    }
                },
            }
        }
    }
    assert form_values(submitted) == (
        ("reflection", "x"),
        ("learned", ""),
        ("theme", "Preserve safety"),
    )
    assert decode_form(encode_form(card) or "") == card


def test_time_pickers_and_initial_values_survive_packing_and_show_in_the_modal() -> None:
    card = Card(
        title="Your coaching home",
        inputs=(
            Input(id="day", label="Nudge day", choices=("Monday", "Friday"), value="Friday"),
            Input(id="time", label="Nudge time", time=True, value="17:30"),
        ),
        submit=Button(label="Save day and time", action_id="home.when"),
    )
    packed = encode_form(card)
    assert packed is not None
    assert decode_form(packed) == card
    modal = build_modal(card, origin=FormOrigin(action_id="home.when")).to_dict()
    day, at = (block["element"] for block in modal["blocks"])
    assert day["initial_option"]["value"] == "Friday"
    assert at == {"type": "timepicker", "action_id": "time", "initial_time": "17:30"}
    # A form packed before saved values and time pickers existed still opens.
    old = '{"t":"T","s":[],"i":[["x","X","",1,100,0,[]]],"b":["Go","a.b",""]}'
    [legacy] = decode_form(old).inputs
    assert (legacy.value, legacy.time) == ("", False)


def test_a_picked_time_in_a_submitted_modal_is_read() -> None:
    view = {
        "blocks": [{"block_id": "time"}],
        "state": {"values": {"time": {"time": {"type": "timepicker", "selected_time": "07:45"}}}},
    }
    assert form_values(view) == (("time", "07:45"),)
