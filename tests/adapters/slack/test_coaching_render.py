"""The coaching loop's cards and forms in Block Kit: golden files and Slack's limits."""

from __future__ import annotations

import pytest

from adapters.slack.forms import FormOrigin, build_modal, is_form
from adapters.slack.limits import MAX_VIEW_BLOCKS
from adapters.slack.render import render_reply
from tests.adapters.coaching_replies import NAMES, coaching_replies
from tests.adapters.slack.golden import assert_golden


@pytest.fixture(scope="module")
def replies(tmp_path_factory):
    return coaching_replies(tmp_path_factory.mktemp("coaching"))


def _render(reply):
    if is_form(reply.card):
        origin = FormOrigin(action_id=reply.card.submit.action_id, value=reply.card.submit.value)
        return build_modal(reply.card, origin=origin).to_dict()
    return render_reply(reply).as_kwargs()


@pytest.mark.parametrize("name", NAMES)
def test_coaching_cards_and_modals_match_their_golden_files(replies, name):
    assert_golden(f"coaching_{name}", _render(replies[name]))


def test_a_domain_form_is_a_modal_of_selects_with_saved_answers_chosen(replies):
    view = _render(replies["assess_form_first"])
    assert view["type"] == "modal"
    assert view["title"]["text"] == "Self-assessment 1 of 4"
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == [f"ie-{n}" for n in range(1, 8)]
    first = inputs[0]
    assert first["optional"] is True
    assert first["element"]["type"] == "static_select"
    assert [o["value"] for o in first["element"]["options"]][-1] == "Skip"
    assert "Capability to manage organisational" in first["label"]["text"]
    # The largest domain (ten rows) fits too.
    largest = _render(replies["assess_form_next"])
    assert len([b for b in largest["blocks"] if b["type"] == "input"]) == 10


def test_a_form_carried_on_shows_what_was_saved(replies):
    from dataclasses import replace

    from bot.models import Input

    card = replies["assess_form_first"].card
    chosen = replace(
        card, inputs=(replace(card.inputs[0], value="4 Consistently"), *card.inputs[1:])
    )
    view = build_modal(chosen, origin=FormOrigin(action_id="assess.save"))
    element = view.to_dict()["blocks"][1]["element"]
    assert element["initial_option"]["value"] == "4 Consistently"
    # A value not among the choices is never sent (Slack would refuse the whole modal).
    odd = replace(card, inputs=(replace(card.inputs[0], value="9 Legend"),))
    assert (
        "initial_option"
        not in build_modal(odd, origin=FormOrigin(action_id="x")).to_dict()["blocks"][1]["element"]
    )
    assert isinstance(card.inputs[0], Input)


def test_a_saved_answer_survives_packing_a_form_into_a_button():
    from dataclasses import replace

    from adapters.slack.forms import decode_form, encode_form
    from bot.models import Button, Card, Input

    card = Card(
        title="Self-assessment 1 of 4",
        inputs=(Input(id="ie-1", label="Role — behaviour", choices=("1 Not yet", "Skip")),),
        submit=Button(label="Save", action_id="assess.save", value="3:ie"),
    )
    assert decode_form(encode_form(card)) == card  # no value: packed as before
    chosen = replace(card, inputs=(replace(card.inputs[0], value="Skip"),))
    assert decode_form(encode_form(chosen)).inputs[0].value == "Skip"
