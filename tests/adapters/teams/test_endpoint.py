"""POST /api/messages over real HTTP, anonymously, with replies landing at the fake connector."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.store.db import make_engine
from adapters.store.teams_tables import teams_conversation_references as refs
from bot.coach import Coach
from bot.identity import Who
from bot.models import Action
from tests.adapters.teams.harness import (
    BOT_ID,
    MEGAN,
    TENANT,
    card_text,
    cards,
    payload,
    serve,
    submit_actions,
)
from tests.fakes.bot_connector import FakeBotConnector


def _rows(env: dict[str, str]) -> list[dict[str, object]]:
    engine = make_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(refs)).mappings()]
    finally:
        engine.dispose()


# --- malformed requests: 400, never 500 ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "Body is not JSON"),
        (b"\xff\xfe\x00garbage", "Body is not JSON"),
        (b"[1, 2, 3]", "Body is not a JSON object"),
        (b'"a string"', "Body is not a JSON object"),
        (b"{}", "Activity has no type"),
        (b'{"type": 7, "conversation": {"id": "c"}}', "Activity has no type"),
        (b'{"type": "message"}', "Activity has no conversation.id"),
        (b'{"type": "message", "conversation": "c"}', "Activity has no conversation.id"),
        (b"[" * 100_000, "Body is not JSON"),
    ],
)
def test_malformed_bodies_get_400(
    coach: Coach, env: dict[str, str], raw: bytes, reason: str
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            status, answer = await server.post(None, raw=raw)
            assert status == 400
            assert answer == {"error": reason}
            assert connector.received == []

    asyncio.run(scenario())


def test_activity_without_service_url_or_with_bad_fields_gets_400(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("personal_message", service_url=connector.url)
            del body["serviceUrl"]
            assert await server.post(body) == (400, {"error": "Activity has no serviceUrl"})

            body = payload("personal_message", service_url="ftp://example.org/")
            assert (await server.post(body))[0] == 400

            body = payload("personal_message", service_url=connector.url, entities="nope")
            status, answer = await server.post(body)
            assert status == 400
            assert answer["error"].startswith("Activity is malformed")

            body = payload("personal_message", service_url=connector.url, timestamp="yesterday")
            assert (await server.post(body))[0] == 400

            body = payload("personal_message", service_url=connector.url)
            del body["recipient"]
            assert await server.post(body) == (400, {"error": "Activity has no recipient.id"})

            body = payload("invoke_card_action", service_url=connector.url)
            del body["name"]
            assert await server.post(body) == (400, {"error": "Invoke activity has no name"})

            # Ids go into the connector's URL paths: nothing that could steer the request.
            for conversation_id in ("a:1/../../v3/conversations", "a:1?x=1", "a:1#x", "a:%2e%2e"):
                body = payload(
                    "personal_message",
                    service_url=connector.url,
                    conversation={"id": conversation_id},
                )
                assert (await server.post(body))[0] == 400
            body = payload("personal_message", service_url=connector.url, id="1/../../x")
            assert (await server.post(body))[0] == 400
            assert connector.received == []

    asyncio.run(scenario())


# --- what a Teams user gets ----------------------------------------------------------------


def test_personal_message_is_answered_in_the_same_conversation(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("personal_message", service_url=connector.url)
            status, _ = await server.post(body)
            assert status == 202

            [reply] = connector.requests("reply")
            assert reply.conversation_id == body["conversation"]["id"]
            assert reply.activity_id == body["id"]
            activity = reply.body
            assert activity["type"] == "message"
            assert activity["recipient"]["id"] == MEGAN
            assert activity["from"]["id"] == BOT_ID
            [card] = cards(activity)
            assert card["type"] == "AdaptiveCard"
            assert card["version"] == "1.5"
            assert "resilience" in card["fallbackText"]
            assert "Authorization" not in reply.headers  # anonymous: no token is sent

    asyncio.run(scenario())


def test_behaviours_resilience_answers_with_the_resilience_row(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await server.post(payload("personal_message", service_url=connector.url))
            [activity] = connector.activities()
            assert "Patience, persistence and resilience" in card_text(activity)

    asyncio.run(scenario())


def test_channel_mention_is_stripped_and_answered_in_the_thread(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("channel_mention", service_url=connector.url)
            status, _ = await server.post(body)
            assert status == 202
            [reply] = connector.requests("reply")
            # The thread's conversation id (with ;messageid=) keeps the answer in the thread.
            assert reply.conversation_id == body["conversation"]["id"]
            assert reply.activity_id == body["id"]
            text = card_text(reply.body)
            assert "Leadership Coach" not in text  # the mention never reached the core
            assert "Leeds" in text

    asyncio.run(scenario())


def test_channel_mention_contact_leeds_answers_yorkshire_and_the_humber(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await server.post(payload("channel_mention", service_url=connector.url))
            [activity] = connector.activities()
            assert "Yorkshire and the Humber" in card_text(activity)

    asyncio.run(scenario())


def test_install_welcomes_once_for_both_install_signals(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            added = payload("conversation_update_bot_added", service_url=connector.url)
            installed = payload("installation_update_add", service_url=connector.url)
            assert (await server.post(added))[0] == 202
            assert (await server.post(installed))[0] == 202
            [welcome] = connector.activities()
            assert welcome["conversation"]["id"] == added["conversation"]["id"]
            assert welcome["recipient"]["id"] == MEGAN
            help_reply = coach.answer("help")
            assert help_reply.card is not None
            assert cards(welcome)[0]["body"][0]["text"] == help_reply.card.title

    asyncio.run(scenario())


def test_installation_update_add_alone_welcomes(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            assert (
                await server.post(payload("installation_update_add", service_url=connector.url))
            )[0] == 202
            assert len(connector.activities()) == 1

    asyncio.run(scenario())


def test_someone_else_joining_is_not_welcomed(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload(
                "conversation_update_bot_added",
                service_url=connector.url,
                membersAdded=[{"id": "29:someone-else"}],
            )
            assert (await server.post(body))[0] == 202
            assert connector.activities() == []

    asyncio.run(scenario())


def test_install_saves_the_reference_and_uninstall_deletes_it(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await server.post(payload("installation_update_add", service_url=connector.url))
            [row] = _rows(env)
            assert row["user_id"] == MEGAN
            assert row["tenant_id"] == TENANT
            assert row["service_url"] == connector.url
            assert row["conversation_type"] == "personal"
            stored = json.loads(str(row["reference"]))
            assert stored["serviceUrl"] == connector.url
            assert stored["conversation"]["tenantId"] == TENANT
            assert "name" not in stored["user"]  # display names are not kept
            assert "activityId" not in stored

            status, _ = await server.post(
                payload("installation_update_remove", service_url=connector.url)
            )
            assert status == 202
            assert _rows(env) == []
            assert len(connector.activities()) == 1  # the welcome; nothing after removal

    asyncio.run(scenario())


def test_every_activity_refreshes_the_reference(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        with socket.socket() as probe:  # a local port with nothing listening
            probe.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            status, _ = await server.post(payload("personal_message", service_url=closed))
            assert status == 502  # the reply could not be delivered
            # The next activity moves the stored service URL to where Teams now is.
            await server.post(
                payload("personal_message", service_url=connector.url, id="1764151200777")
            )
            [row] = _rows(env)
            assert row["service_url"] == connector.url

    asyncio.run(scenario())


def test_anonymous_mode_only_answers_to_local_service_urls(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with serve(coach, env) as server:
            for url in ("https://smba.trafficmanager.net/uk/", "http://10.0.0.8:3978/"):
                status, answer = await server.post(payload("personal_message", service_url=url))
                assert status == 401
                assert "local serviceUrl" in answer["error"]
            assert _rows(env) == []

    asyncio.run(scenario())


def test_card_submit_value_goes_to_the_core_as_an_action(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("card_submit", service_url=connector.url)
            assert (await server.post(body))[0] == 202
            [activity] = connector.activities()
            expected = coach.answer("principles carers")
            assert expected.card is not None
            assert cards(activity)[0]["body"][0]["text"] == expected.card.title

    asyncio.run(scenario())


def test_more_like_this_button_round_trip(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            asked = payload(
                "personal_message", service_url=connector.url, text="behaviours leading change"
            )
            await server.post(asked)
            [answer] = connector.activities()
            [more] = [a for a in submit_actions(answer) if a["data"]["action_id"] == "more"]
            assert more["title"] == "More like this"

            # The person presses it: Teams posts the button's data back as the message value.
            pressed = payload("card_submit", service_url=connector.url, value=more["data"])
            assert (await server.post(pressed))[0] == 202
            [_, follow_up] = connector.activities()
            expected = coach.act(
                Action(
                    action_id="more",
                    value=more["data"]["value"],
                    who=Who(platform="teams", user_id="local"),
                ),
                now=datetime.now(UTC),
            )
            assert expected.card is not None
            assert cards(follow_up)[0]["body"][0]["text"] == expected.card.title

    asyncio.run(scenario())


def test_share_from_an_older_card_is_answered_in_the_conversation(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            value = {"action_id": "share", "value": '{"q":"contact Leeds","o":0}'}
            body = payload("card_submit", service_url=connector.url, value=value)
            assert (await server.post(body))[0] == 202
            [reply] = connector.requests("reply")
            assert reply.conversation_id == body["conversation"]["id"]
            assert "Yorkshire and the Humber" in card_text(reply.body)
            assert submit_actions(reply.body) == []  # shared answers carry no buttons

    asyncio.run(scenario())


def test_invoke_card_action_goes_to_the_core_and_acknowledges(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("invoke_card_action", service_url=connector.url)
            status, answer = await server.post(body)
            assert status == 200
            assert answer["statusCode"] == 200
            assert answer["type"] == "application/vnd.microsoft.activity.message"
            [activity] = connector.activities()
            assert "Yorkshire and the Humber" in card_text(activity)

    asyncio.run(scenario())


def test_repeated_activity_id_is_handled_once(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("personal_message", service_url=connector.url)
            first, second = await asyncio.gather(server.post(body), server.post(body))
            assert sorted([first[0], second[0]]) == [202, 202]
            assert len(connector.activities()) == 1
            # Another process on the same database sees the same claim.
            async with serve(coach, env) as other:
                assert (await other.post(body))[0] == 202
            assert len(connector.activities()) == 1

    asyncio.run(scenario())


def test_failed_reply_releases_the_claim_so_the_retry_is_answered(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("personal_message", service_url=connector.url)
            connector.fail(500)
            status, _ = await server.post(body)
            assert status == 502
            assert (await server.post(body))[0] == 202
            assert len(connector.activities()) == 2  # the refused one, then the retry

    asyncio.run(scenario())


def test_expect_replies_delivery_returns_the_answer_in_the_response(
    coach: Coach, env: dict[str, str]
) -> None:
    """The Playground's --delivery-mode expectReplies: answers come back in the HTTP body."""

    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload(
                "personal_message", service_url=connector.url, deliveryMode="expectReplies"
            )
            status, answer = await server.post(body)
            assert status == 200
            [activity] = answer["activities"]
            assert "Patience, persistence and resilience" in card_text(activity)
            assert connector.activities() == []

    asyncio.run(scenario())


@pytest.mark.parametrize("name", ["personal_message", "channel_mention", "invoke_card_action"])
def test_no_mutation_of_a_field_gets_a_server_error(
    coach: Coach, env: dict[str, str], name: str
) -> None:
    """Each top-level field removed or replaced by a value of the wrong kind: never a 5xx.

    The one exception is an ``invoke`` renamed to something the bot does not handle, which
    gets 501 as the Bot Framework protocol says (Teams shows its own error for it).
    """

    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            base = payload(name, service_url=connector.url)
            statuses: dict[int, int] = {}
            for n, key in enumerate(sorted(base)):
                for i, replacement in enumerate(_REPLACEMENTS):
                    body = {k: v for k, v in base.items() if k != key}
                    if replacement is not _DELETE:
                        body[key] = replacement
                    if key != "id":
                        body["id"] = f"{n}-{i}"  # distinct, so dedupe never answers
                    status, answer = await server.post(body)
                    if status == 501:
                        # An invoke the bot does not handle: the protocol's "not implemented".
                        assert (base["type"], key) == ("invoke", "name"), (replacement, answer)
                        continue
                    assert status < 500, (key, replacement, status, answer)
                    statuses[status] = statuses.get(status, 0) + 1
            assert set(statuses) <= {200, 202, 400}, statuses

    asyncio.run(scenario())


_DELETE = object()
_REPLACEMENTS = (_DELETE, None, 7, -1.5, True, "", "x", [], {}, [{}])
