"""DMs and @mentions over signed HTTP, answered through chat.postMessage."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.harness import all_text, payload, slack_server


async def test_dm_principles_carers_is_answered_with_principle_4(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        answer = await server.event(payload("message_im"))
        assert answer.status == 200
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert post.body["channel"] == "D024BE91L"
        assert "thread_ts" not in post.body
        assert post.token == "xoxb-test"
        shown = all_text(post.body["blocks"])
        assert "National Voices principle 4" in shown
        assert "Carers are identified, supported and involved" in shown


async def test_mention_contact_leeds_is_answered_in_its_thread(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        await server.event(payload("app_mention"))
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert post.body["channel"] == "C123ABC456"
        assert post.body["thread_ts"] == "1515449522.000016"
        assert "Yorkshire and the Humber" in all_text(post.body["blocks"])


async def test_mention_inside_a_thread_is_answered_in_that_thread(tmp_path: Path) -> None:
    body = payload("app_mention")
    body["event"]["thread_ts"] = "1515449000.000001"
    async with slack_server(tmp_path) as server:
        await server.event(body)
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert post.body["thread_ts"] == "1515449000.000001"


async def test_edits_bot_posts_and_other_events_get_no_answer(tmp_path: Path) -> None:
    own = payload("message_im")
    own["event"] |= {"bot_id": "BBOT", "user": "UBOT"}
    own["event_id"] = "Ev0OWN"
    other_bot = payload("message_im")
    other_bot["event"]["bot_id"] = "B999"
    other_bot["event_id"] = "Ev0OTHER"
    unknown = payload("message_im")
    unknown["event"] = {"type": "reaction_added", "user": "U1", "reaction": "thumbsup"}
    unknown["event_id"] = "Ev0REACT"
    async with slack_server(tmp_path) as server:
        for body in (payload("message_changed_im"), own, other_bot, unknown):
            answer = await server.event(body)
            # 200, not 404: a 404 would make Slack retry events we chose to ignore.
            assert answer.status == 200
        await server.fake.quiet()
        assert server.fake.received("/chat.postMessage") == []


async def test_a_personal_answer_to_a_mention_stays_private(tmp_path: Path) -> None:
    body = payload("app_mention")
    body["event"]["text"] = "<@UBOT> journal"
    async with slack_server(tmp_path) as server:
        await server.event(body)
        [ephemeral] = await server.fake.wait_for("/chat.postEphemeral")
        assert ephemeral.body["user"] == "U061F7AUR"
        assert ephemeral.body["channel"] == "C123ABC456"
        assert server.fake.received("/chat.postMessage") == []


async def test_dm_text_is_never_echoed_as_a_ping(tmp_path: Path) -> None:
    body = payload("message_im")
    body["event"]["text"] = "&lt;!here&gt; &lt;@U777&gt; &amp; stuff"
    async with slack_server(tmp_path) as server:
        await server.event(body)
        [post] = await server.fake.wait_for("/chat.postMessage")
        shown = all_text(post.body["blocks"]) + post.body["text"]
        assert "<!here>" not in shown
        assert "<@U777>" not in shown
        assert "&amp; stuff" in shown


async def test_when_posting_fails_the_person_is_told_once(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        server.fake.error_next("/chat.postMessage", error="invalid_blocks")
        await server.event(payload("message_im"))
        posts = await server.fake.wait_for("/chat.postMessage", count=2)
        assert "Sorry" in posts[1].body["text"]
        await server.fake.quiet()
        assert len(server.fake.received("/chat.postMessage")) == 2


async def test_answers_survive_a_rate_limit_and_a_server_error(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        server.fake.rate_limit_next("/users.info", retry_after=0)
        server.fake.server_error_next("/chat.postMessage")
        await server.event(payload("message_im"))
        posts = await server.fake.wait_for("/chat.postMessage", count=2)
        # The same answer, sent again by slack_sdk's retry handler, not an apology.
        assert posts[0].body == posts[1].body
        assert "Carers are identified" in all_text(posts[1].body["blocks"])
        assert len(server.fake.received("/users.info")) == 2
