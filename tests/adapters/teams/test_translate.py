"""Activity → Incoming/Action on the recorded payloads."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity

from adapters.teams import translate
from bot.identity import Who
from bot.models import Action, Incoming
from tests.adapters.teams.harness import ADELE, MEGAN, TENANT, payload

URL = "https://smba.trafficmanager.net/uk/"


def _activity(name: str, **changes: Any) -> Activity:
    return Activity.model_validate(payload(name, service_url=URL, **changes))


def test_personal_message_becomes_incoming_with_timezone() -> None:
    activity = _activity("personal_message")
    assert translate.to_incoming(activity) == Incoming(
        text="behaviours resilience",
        is_direct=True,
        timezone="Europe/London",
        who=Who(
            platform="teams",
            workspace_id=TENANT,
            user_id=MEGAN,
            conversation_id=activity.conversation.id,
        ),
    )
    assert translate.to_action(activity) is None


def test_channel_mention_of_the_bot_is_stripped() -> None:
    incoming = translate.to_incoming(_activity("channel_mention"))
    assert incoming.text == "contact Leeds"
    assert incoming.who.user_id == ADELE
    assert incoming.is_direct is False
    assert incoming.who.workspace_id == TENANT


def test_other_mentions_read_as_names_and_spacing_is_tidied() -> None:
    activity = _activity(
        "channel_mention",
        text="<at>Leadership Coach</at>&nbsp;who should\u00a0<at>Megan Bowen</at>  call?\n\n",
    )
    assert translate.clean_text(activity) == "who should Megan Bowen call?"


def test_leading_mention_without_entity_is_stripped_outside_personal_chats() -> None:
    channel = _activity("channel_mention", entities=[])
    assert translate.clean_text(channel) == "contact Leeds"
    personal = _activity("personal_message", text="<at>Leadership Coach</at> help")
    assert translate.clean_text(personal) == "Leadership Coach help"


def test_timezone_falls_back_to_local_timezone_and_ignores_unknown_zones() -> None:
    bogus = [{"type": "clientInfo", "timezone": "Mars/Olympus_Mons"}]
    activity = _activity("personal_message", entities=bogus, localTimezone="Europe/Paris")
    assert translate.timezone_of(activity) == "Europe/Paris"
    activity = _activity("personal_message", entities=bogus, localTimezone="UTC+1")
    assert translate.timezone_of(activity) is None


def test_card_submit_becomes_action() -> None:
    activity = _activity("card_submit")
    assert translate.to_action(activity) == Action(
        action_id="ask",
        value="principles carers",
        form=(),
        timezone="Europe/London",
        who=Who(
            platform="teams",
            workspace_id=TENANT,
            user_id=MEGAN,
            conversation_id=activity.conversation.id,
        ),
    )


def test_form_inputs_arrive_merged_into_the_data() -> None:
    value = {"action_id": "journal.save", "value": "row-7", "reflection": "I kept going", "n": 3}
    action = translate.to_action(_activity("card_submit", value=value))
    assert action is not None
    assert action.action_id == "journal.save"
    assert action.value == "row-7"
    assert action.form == (("reflection", "I kept going"),)  # non-text values are not input


def test_invoke_card_action_becomes_action() -> None:
    action = translate.to_action(_activity("invoke_card_action"))
    assert action is not None
    assert (action.action_id, action.value, action.who.user_id) == ("ask", "contact Leeds", MEGAN)


def test_invoke_with_only_a_verb_uses_the_verb() -> None:
    value = {"action": {"type": "Action.Execute", "verb": "more", "data": {"value": "x"}}}
    action = translate.to_action(_activity("invoke_card_action", value=value))
    assert action is not None
    assert (action.action_id, action.value) == ("more", "x")


def test_values_that_are_not_our_buttons_are_ignored() -> None:
    for value in ({"something": "else"}, {"action_id": ""}, {"action_id": 3}, "text", [1]):
        assert translate.to_action(_activity("card_submit", value=value)) is None
    assert translate.to_action(_activity("invoke_card_action", value={"action": "x"})) is None


def test_tenant_team_and_type_come_from_the_payload() -> None:
    channel = _activity("channel_mention")
    assert translate.tenant_of(channel) == TENANT
    assert translate.team_of(channel) == "19:8f2a5c2b7d0e4f4e9a1b3c5d7e9f1a3b@thread.tacv2"
    assert translate.conversation_type_of(channel) == "channel"
    no_tenant = _activity(
        "personal_message", conversation={"id": "a:1"}, channelData={"tenant": {"id": "t-2"}}
    )
    assert translate.tenant_of(no_tenant) == "t-2"
    assert translate.conversation_type_of(no_tenant) == "personal"
