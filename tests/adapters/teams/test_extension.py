"""The search-based message extension over real HTTP: ``composeExtension/query`` invokes.

Payloads follow Microsoft's documented shape (``commandId``, ``parameters [{name, value}]``,
``queryOptions {skip, count}``); answers must be a ``result`` list, never an error.
"""

from __future__ import annotations

import asyncio
import time
from itertools import count
from typing import Any

import pytest

from adapters.teams.extension import THUMBNAIL_CARD
from adapters.teams.render import CARD_CONTENT_TYPE
from bot.coach import Coach
from tests.adapters.teams.harness import payload, serve
from tests.fakes.bot_connector import FakeBotConnector

_ids = count(1)
# Teams gives a message extension 5 s; we want to be far inside it even on a loaded machine.
WELL_WITHIN = 2.0


def query(service_url: str, value: Any, name: str = "compose_extension_query") -> dict[str, Any]:
    """The recorded query with a fresh id (retries of one id are deduplicated) and ``value``."""
    return payload(name, service_url=service_url, id=f"f:query-{next(_ids)}", value=value)


def searching(text: object, **options: Any) -> dict[str, Any]:
    return {
        "commandId": "searchContent",
        "parameters": [{"name": "query", "value": text}],
        "queryOptions": {"skip": 0, "count": 25, **options},
    }


def results(answer: dict[str, Any]) -> list[dict[str, Any]]:
    extension = answer["composeExtension"]
    assert extension["type"] == "result"
    assert extension["attachmentLayout"] == "list"
    attachments: list[dict[str, Any]] = extension["attachments"]
    return attachments


def titles(answer: dict[str, Any]) -> list[str]:
    return [a["preview"]["content"]["title"] for a in results(answer)]


def test_a_search_returns_cards_with_previews_and_posts_nothing(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("compose_extension_query", service_url=connector.url)
            started = time.perf_counter()
            status, answer = await server.post(body)
            assert time.perf_counter() - started < WELL_WITHIN
            assert status == 200
            found = results(answer)
            assert 1 <= len(found) <= 10
            assert titles(answer)[0] == "Patience, persistence and resilience"
            for item in found:
                assert item["contentType"] == CARD_CONTENT_TYPE
                card = item["content"]
                assert card["type"] == "AdaptiveCard"
                assert card["body"][0]["text"]
                assert item["preview"]["contentType"] == THUMBNAIL_CARD
                assert item["preview"]["content"]["text"]
            # The card is inserted by Teams itself: the bot posts nothing to the conversation.
            assert connector.activities() == []

    asyncio.run(scenario())


def test_the_initial_run_and_an_empty_query_show_the_four_domains(
    coach: Coach, env: dict[str, str]
) -> None:
    domains = [d.name for d in coach.content.domains]

    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("compose_extension_initial_run", service_url=connector.url)
            status, answer = await server.post(body)
            assert status == 200
            assert titles(answer) == domains
            for text in ("", "   "):
                status, answer = await server.post(query(connector.url, searching(text)))
                assert (status, titles(answer)) == (200, domains)

    asyncio.run(scenario())


def test_principles_and_academies_are_found_and_academies_carry_contact_links(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            _, answer = await server.post(query(connector.url, searching("carers")))
            assert titles(answer)[0].startswith("Principle 4: Carers")

            _, answer = await server.post(query(connector.url, searching("LS6 3AB")))
            [academy] = results(answer)
            assert academy["preview"]["content"]["title"].startswith("Yorkshire and the Humber")
            links = {a["title"]: a["url"] for a in academy["content"]["actions"]}
            assert links == {
                "Email": "mailto:leadership.enquiries@yh.hee.nhs.uk",
                "Call": "tel:+441138871660",
                "Website": "https://www.hee.nhs.uk/hee-your-area/yorkshire-humber",
            }
            # The text stays too, for clients that cannot open the links.
            facts = academy["content"]["body"][1]["facts"]
            assert {"title": "Tel", "value": "0113 887 1660 or 07766 602483"} in facts

    asyncio.run(scenario())


def test_paging_uses_skip_and_count_and_never_offers_more_than_ten(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            _, everything = await server.post(query(connector.url, searching("relationships")))
            names = titles(everything)
            assert 2 <= len(names) <= 10
            _, page = await server.post(
                query(connector.url, searching("relationships", skip=1, count=1))
            )
            assert titles(page) == names[1:2]

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "value",
    [
        searching("x" * 5_000),  # pasted text, not a search
        searching("resilience " * 100),
        searching(None),
        searching(42),
        searching(["resilience"]),
        searching("resilience", skip=-1),
        searching("resilience", skip="0"),
        searching("resilience", count=True),
        searching("resilience", skip=10**9),
        {"commandId": "searchContent", "parameters": []},
        {"commandId": "searchContent"},
        {"commandId": "searchContent", "parameters": "query=resilience"},
        {"commandId": "searchContent", "parameters": [None]},
        {"commandId": "somethingElse", "parameters": [{"name": "query", "value": "trust"}]},
        {"parameters": [{"name": "query", "value": "trust"}]},
        {"commandId": "searchContent", "parameters": [{"name": "other", "value": "trust"}]},
        "composeExtension",
        None,
        [],
    ],
)
def test_bad_or_huge_queries_get_an_empty_list_never_an_error(
    coach: Coach, env: dict[str, str], value: Any
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            status, answer = await server.post(query(connector.url, value))
            assert status == 200
            assert results(answer) == []
            assert connector.activities() == []

    asyncio.run(scenario())


def test_hostile_and_unicode_queries_are_answered_without_error(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            for text in ("<script>alert(1)</script>", "{{DATE(2026)}}", "résilience 🙂", "\u0000"):
                status, answer = await server.post(query(connector.url, searching(text)))
                assert status == 200
                assert len(results(answer)) <= 10

    asyncio.run(scenario())


def test_a_result_shared_into_the_coachs_own_chat_gets_no_answer(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            # As the Agents Playground sends it when a search result is inserted and sent.
            status, _ = await server.post(
                payload("inserted_card_message", service_url=connector.url)
            )
            assert status == 202
            assert connector.activities() == []
            # Text typed beside a card is still a question.
            body = payload("inserted_card_message", service_url=connector.url, id="m-2")
            body["text"] = body["text"] + "behaviours resilience"
            status, _ = await server.post(body)
            assert status == 202
            assert len(connector.activities()) == 1

    asyncio.run(scenario())
