"""Recorded Slack payloads → the core's Incoming and Action."""

from __future__ import annotations

from adapters.slack.forms import FormOrigin
from adapters.slack.translate import (
    action_from_block_action,
    action_from_submission,
    clean_text,
    incoming_from_command,
    incoming_from_event,
    is_channel_mention,
    is_person_dm,
    origin_of,
    reply_thread,
    workspace_of,
)
from bot.identity import Who
from bot.models import Action, Incoming
from tests.adapters.slack.harness import payload


def test_slash_command() -> None:
    body = payload("slash_command")
    assert incoming_from_command(body, timezone="Europe/London") == Incoming(
        text="behaviours resilience",
        is_direct=False,
        timezone="Europe/London",
        who=Who(
            platform="slack",
            workspace_id="T0001",
            user_id="U2147483697",
            conversation_id="C2147483705",
        ),
    )


def test_slash_command_in_a_dm_is_direct() -> None:
    body = payload("slash_command") | {"channel_id": "D1", "channel_name": "directmessage"}
    assert incoming_from_command(body, timezone=None).is_direct


def test_mention_loses_the_bot_mention_and_answers_in_its_thread() -> None:
    event = payload("app_mention")["event"]
    assert is_channel_mention(event)
    incoming = incoming_from_event(event, workspace_id="T0001", bot_user_id="UBOT", timezone=None)
    assert incoming.text == "contact Leeds"
    assert not incoming.is_direct
    assert reply_thread(event) == "1515449522.000016"
    assert reply_thread(event | {"thread_ts": "1.0"}) == "1.0"


def test_dm_is_direct_and_not_threaded() -> None:
    event = payload("message_im")["event"]
    assert is_person_dm(event)
    incoming = incoming_from_event(event, workspace_id="T0001", bot_user_id="UBOT", timezone="UTC")
    assert (incoming.text, incoming.is_direct, incoming.who.conversation_id) == (
        "principles carers",
        True,
        "D024BE91L",
    )
    assert reply_thread(event) is None


def test_edits_bots_and_mentions_in_dms_are_not_questions() -> None:
    assert not is_person_dm(payload("message_changed_im")["event"])
    assert not is_person_dm(payload("message_im")["event"] | {"bot_id": "B1"})
    assert not is_channel_mention(payload("app_mention")["event"] | {"channel": "D1"})


def test_clean_text_reads_slack_markup_as_typed() -> None:
    raw = "<@UBOT> contact &lt;Leeds&gt; &amp; <https://x.test|this> <#C1|general> <!here> <@U9>"
    assert clean_text(raw, bot_user_id="UBOT") == "contact <Leeds> & this #general"


def test_button_press() -> None:
    body = payload("block_actions")
    action = action_from_block_action(body, body["actions"][0], timezone="Europe/London")
    assert action == Action(
        action_id="share",
        value='{"q":"behaviours resilience","o":0}',
        timezone="Europe/London",
        who=Who(
            platform="slack",
            workspace_id="T0001",
            user_id="U2147483697",
            conversation_id="C2147483705",
        ),
    )
    origin = origin_of(body)
    assert origin.response_url.startswith("https://hooks.slack.com/actions/")
    assert not origin.in_view


def test_numbered_and_adapter_buttons() -> None:
    body = payload("block_actions_home")
    action = action_from_block_action(body, body["actions"][0], timezone=None)
    assert action is not None
    assert action.action_id == "ask"
    assert origin_of(body).in_view
    link = {"action_id": "slack.link#2", "type": "button"}
    assert action_from_block_action(body, link, timezone=None) is None


def test_form_submission() -> None:
    body = payload("view_submission")
    form = FormOrigin(action_id="journal.save", value="ref-7", channel_id="D1")
    action = action_from_submission(body, form=form, timezone=None)
    assert action.action_id == "journal.save"
    assert action.value == "ref-7"
    assert action.form == (("reflection", "I held the line on the discharge plan."),)
    assert action.who.conversation_id == "D1"


def test_workspace_is_found_in_every_shape() -> None:
    assert workspace_of(payload("slash_command")) == "T0001"
    assert workspace_of(payload("block_actions")) == "T0001"
    assert workspace_of(payload("app_mention")) == "T0001"
    assert workspace_of({"user": {"team_id": "T9"}}) == "T9"
    assert workspace_of({}) == ""


def test_a_home_picker_is_the_cards_submit_action_carrying_its_one_input() -> None:
    body = payload("block_actions_home")
    picked_day = {
        "action_id": "home.when",
        "block_id": "slack.input.day",
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": "Friday"}, "value": "Friday"},
    }
    day = action_from_block_action(body, picked_day, timezone=None)
    assert day is not None
    assert (day.action_id, day.form) == ("home.when", (("day", "Friday"),))
    picked_time = {
        "action_id": "home.when#2",
        "block_id": "slack.input.time",
        "type": "timepicker",
        "selected_time": "17:30",
    }
    at = action_from_block_action(body, picked_time, timezone=None)
    assert at is not None
    assert (at.action_id, at.form) == ("home.when", (("time", "17:30"),))
    # A select anywhere else carries no form, as before.
    plain = {**picked_day, "block_id": "abc"}
    other = action_from_block_action(body, plain, timezone=None)
    assert other is not None
    assert other.form == ()
