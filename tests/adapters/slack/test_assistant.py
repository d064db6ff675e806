"""Slack's assistant view over signed HTTP: prompts, status, title and answers in the thread."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from adapters.slack.listeners.assistant import MAX_TITLE_CHARS, THINKING, title_of
from app.wiring import build_coach
from tests.adapters.slack.harness import all_text, payload, slack_server

DM = "D024BE91L"
THREAD = "1729999327.187299"


def _prompts(body: dict[str, Any]) -> list[dict[str, str]]:
    prompts = body["prompts"]
    return list(json.loads(prompts) if isinstance(prompts, str) else prompts)


def _message(text: str, *, event_id: str, ts: str = "1729999500.000100") -> dict[str, Any]:
    body = payload("message_im_assistant")
    body["event"] |= {"text": text, "ts": ts, "event_ts": ts}
    body["event_id"] = event_id
    return body


async def test_thread_started_sets_prompts_drawn_from_content(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        answer = await server.event(payload("assistant_thread_started"))
        assert answer.status == 200
        [call] = await server.fake.wait_for("/assistant.threads.setSuggestedPrompts")
        assert call.body["channel_id"] == DM
        assert call.body["thread_ts"] == THREAD
        assert server.fake.answer_to(call)["ok"] is True
        prompts = _prompts(call.body)
        assert 1 <= len(prompts) <= 4
        messages = [p["message"] for p in prompts]
        assert "journal" in messages
        assert any(m.startswith("domains ") for m in messages)
        assert any(m.startswith("contact ") for m in messages)
        await server.fake.quiet()
        assert server.fake.received("/chat.postMessage") == []


async def test_a_question_in_the_thread_gets_status_title_and_answer_there(
    tmp_path: Path,
) -> None:
    async with slack_server(tmp_path) as server:
        await server.event(payload("assistant_thread_started"))
        await server.event(_message("principles carers", event_id="Ev0AM1"))
        [status] = await server.fake.wait_for("/assistant.threads.setStatus")
        assert (status.body["channel_id"], status.body["thread_ts"]) == (DM, THREAD)
        assert status.body["status"] == THINKING
        [title] = await server.fake.wait_for("/assistant.threads.setTitle")
        assert (title.body["channel_id"], title.body["thread_ts"]) == (DM, THREAD)
        assert title.body["title"] == "principles carers"
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert post.body["channel"] == DM
        assert post.body["thread_ts"] == THREAD
        assert "Carers are identified, supported and involved" in all_text(post.body["blocks"])

        # A second question in the same thread: status again, but the title stays the first.
        await server.event(_message("contact Leeds", event_id="Ev0AM2", ts="1729999600.1"))
        posts = await server.fake.wait_for("/chat.postMessage", count=2)
        assert posts[1].body["thread_ts"] == THREAD
        assert "Yorkshire and the Humber" in all_text(posts[1].body["blocks"])
        assert len(server.fake.received("/assistant.threads.setStatus")) == 2
        assert len(server.fake.received("/assistant.threads.setTitle")) == 1


async def test_context_changes_are_kept_without_web_api_calls(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        answer = await server.event(payload("assistant_thread_context_changed"))
        assert answer.status == 200
        await server.event(_message("domains", event_id="Ev0AM3"))
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert post.body["thread_ts"] == THREAD
        await server.fake.quiet()
        # Bolt's default store would read and rewrite the thread's first reply for each change.
        assert server.fake.received("/conversations.replies") == []
        assert server.fake.received("/chat.update") == []


async def test_stateful_commands_work_in_the_assistant_thread(tmp_path: Path) -> None:
    key = {"COACH_DATA_KEY": Fernet.generate_key().decode()}
    async with slack_server(tmp_path) as probe:
        coach = build_coach(env=dict(probe.env) | key)
    async with slack_server(tmp_path, the_coach=coach, env=key) as server:
        await server.event(_message("nudges on monday 09:00", event_id="Ev0AS1"))
        [on] = await server.fake.wait_for("/chat.postMessage")
        assert on.body["thread_ts"] == THREAD
        assert "Monday" in all_text(on.body["blocks"]) + on.body["text"]
        await server.event(_message("nudges", event_id="Ev0AS2", ts="1729999700.1"))
        posts = await server.fake.wait_for("/chat.postMessage", count=2)
        assert posts[1].body["thread_ts"] == THREAD
        assert "09:00" in all_text(posts[1].body["blocks"]) + posts[1].body["text"]


async def test_a_retried_message_is_answered_once(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        body = _message("principles carers", event_id="Ev0AR1")
        await server.event(body)
        await server.fake.wait_for("/chat.postMessage")
        await server.event(body, retry_num=1)
        await server.fake.quiet()
        assert len(server.fake.received("/chat.postMessage")) == 1
        assert len(server.fake.received("/assistant.threads.setStatus")) == 1


async def test_a_refused_status_does_not_stop_the_answer(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        server.fake.error_next("/assistant.threads.setStatus", error="not_allowed")
        server.fake.error_next("/assistant.threads.setTitle", error="not_allowed")
        await server.event(_message("principles carers", event_id="Ev0AF1"))
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert post.body["thread_ts"] == THREAD
        assert "National Voices principle 4" in all_text(post.body["blocks"])


async def test_the_classic_dm_is_unchanged(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        await server.event(payload("message_im"))
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert "thread_ts" not in post.body
        await server.fake.quiet()
        assert server.fake.received("/assistant.threads.setStatus") == []
        assert server.fake.received("/assistant.threads.setTitle") == []


def test_titles_are_one_short_line() -> None:
    assert title_of("  how do I\nlead   without authority? ") == "how do I lead without authority?"
    long = title_of("word " * 40)
    assert len(long) <= MAX_TITLE_CHARS + 1
    assert long.endswith("…")
    assert title_of("x" * 200) == "x" * MAX_TITLE_CHARS + "…"


async def test_malformed_assistant_events_get_a_200_and_no_calls(tmp_path: Path) -> None:
    shapes: list[Any] = [
        {},
        {"channel_id": DM},
        {"thread_ts": THREAD},
        {"channel_id": 7, "thread_ts": None, "context": "x"},
        "not an object",
    ]
    async with slack_server(tmp_path) as server:
        for n, shape in enumerate(shapes):
            for kind in ("assistant_thread_started", "assistant_thread_context_changed"):
                body = payload(kind)
                body["event"]["assistant_thread"] = shape
                body["event_id"] = f"Ev0BAD{kind[17]}{n}"
                answer = await server.event(body)
                assert answer.status < 500, (kind, shape, answer.text)
        await server.fake.quiet()
        ok = [a for r, a in server.fake.answers if r.path.startswith("/assistant.")]
        assert all(a["ok"] is False for a in ok)
        assert server.fake.received("/chat.postMessage") == []
