"""Nudges in Slack: subscribe by command, a delivery pass, then a reflection in the thread."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet

from adapters.slack.messenger import SlackMessenger
from adapters.store.db import make_engine
from app.delivery.send import send_due
from app.wiring import build_coach
from tests.adapters.slack.harness import all_text, payload, slack_server

LONDON = ZoneInfo("Europe/London")


def _next_monday_0900_30() -> datetime:
    now = datetime.now(LONDON)
    days = (7 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days)).replace(hour=9, minute=0, second=30, microsecond=0)


async def test_a_nudge_arrives_by_dm_and_a_threaded_reply_is_journalled(tmp_path: Path) -> None:
    key = {"COACH_DATA_KEY": Fernet.generate_key().decode()}
    async with slack_server(tmp_path) as probe:
        coach = build_coach(env=dict(probe.env) | key)
    async with slack_server(tmp_path, the_coach=coach, env=key) as server:
        env = dict(server.env)
        await server.command("nudges on monday 09:00", response_name="on")
        await server.fake.wait_for("/response")

        engine = make_engine(env["DATABASE_URL"])
        messenger = SlackMessenger.from_env(env, engine=engine)
        assert messenger is not None
        async with messenger:
            report = await send_due(
                _next_monday_0900_30(),
                engine=engine,
                messengers={"slack": messenger},
                content=coach.content,
            )
        assert report.as_dict()["sent"] == 1
        [nudge] = server.fake.received("/chat.postMessage")
        assert server.fake.answer_to(nudge)["channel"] == "D2147483697"
        buttons = [
            e["action_id"]
            for b in nudge.body["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
        ]
        assert "nudge.reflect" in buttons
        ts = server.fake.answer_to(nudge)["ts"]

        reply = payload("message_im")
        reply["event"] |= {
            "text": "Stayed patient with the ICS board.",
            "thread_ts": ts,
            "ts": "9.9",
        }
        reply["event_id"] = "EvREFLECT"
        await server.event(reply)
        posts = await server.fake.wait_for("/chat.postMessage", count=2)
        assert posts[1].body["thread_ts"] == ts
        # A threaded DM also passes Bolt's assistant middleware: a reflection is no question,
        # so its thread gets no "is thinking…" status and no title.
        assert server.fake.received("/assistant.threads.setStatus") == []
        assert server.fake.received("/assistant.threads.setTitle") == []

        await server.command("journal", response_name="journal")
        responses = await server.fake.wait_for("/response", count=2)
        journal = next(r for r in responses if r.url.endswith("/journal"))
        assert "Stayed patient with the ICS board." in all_text(journal.body["blocks"])
        engine.dispose()
