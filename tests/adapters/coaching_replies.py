"""The coaching loop's cards and forms, made by the real commands on a throwaway SQLite store.

Shared by the Slack and Teams golden-file tests, so both render exactly the same replies.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

from adapters.store.crypto import Cipher
from adapters.store.repositories import sql_stores
from bot.commands.router import Router, build
from bot.identity import Who
from bot.models import Action, Incoming, Reply
from bot.nudges.card import nudge_reply
from tests.adapters.store.databases import sqlite_engine

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
# Every new card and form, as named in the golden files.
NAMES = (
    "assess_start",
    "assess_form_first",
    "assess_form_next",
    "assess_summary",
    "assess_item",
    "focus_set",
    "focus_list",
    "focus_unknown",
    "nudge_focus",
)
SLACK = Who(platform="slack", workspace_id="T1", user_id="U1", conversation_id="D1")
CONSOLE = Who(platform="console", user_id="me")


def _say(router: Router, text: str, who: Who = SLACK, now: datetime = NOW) -> Reply:
    command, _, args = text.partition(" ")
    return router.handle(
        Incoming(text=text, who=who, timezone="Europe/London"), command=command, args=args, now=now
    )


def _press(
    router: Router, reply: Reply, label: str, *, who: Who = SLACK, now: datetime = NOW, form=()
) -> Reply:
    assert reply.card is not None
    buttons = (*reply.card.buttons, *((reply.card.submit,) if reply.card.submit else ()))
    button = next(b for b in buttons if b.label == label)
    action = Action(action_id=button.action_id, value=button.value, who=who, form=form)
    return router.act(action, now=now)


def _answers(reply: Reply, rating: str) -> tuple[tuple[str, str], ...]:
    assert reply.card is not None
    low, high = {"lcb-6", "rc-9", "ie-7"}, {"ie-3", "rc-1", "ii-6"}
    return tuple(
        (
            i.id,
            "5" if i.id in high else "1" if i.id in low else "Skip" if i.id == "ii-1" else rating,
        )
        for i in reply.card.inputs
    )


def _take(router: Router, form: Reply, rating: str, *, now: datetime) -> list[Reply]:
    """Submit every domain's form from ``form`` on; return each reply."""
    replies = []
    while form.card is not None and form.card.submit is not None:
        label = form.card.submit.label
        form = _press(router, form, label, form=_answers(form, rating), now=now)
        replies.append(form)
    return replies


def coaching_replies(folder: Path) -> dict[str, Reply]:
    """Every new card, by name: start, a domain form, one row, the summary, focus, nudge."""
    engine = sqlite_engine(folder)
    router = build(sql_stores(engine, cipher=Cipher([Fernet.generate_key().decode()])))
    content = router.content
    earlier = NOW - timedelta(days=120)
    replies: dict[str, Reply] = {}
    replies["assess_start"] = start = _say(router, "assess", now=earlier)
    replies["assess_form_first"] = form = _press(router, start, "Start", now=earlier)
    first = _take(router, form, "2", now=earlier)
    replies["assess_form_next"] = first[0]
    # A retake months later: the summary compares it with the first.
    replies["assess_start_again"] = again = _say(router, "assess")
    retake = _take(router, _press(router, again, "Start"), "3", now=NOW)
    replies["assess_summary"] = retake[-1]
    replies["assess_item"] = _say(router, "assess", who=CONSOLE)
    replies["focus_set"] = _press(router, retake[-1], "Set this focus")
    listed = router.act(Action(action_id="focus.list", who=SLACK), now=NOW)
    replies["focus_list"] = listed
    _say(router, "focus clear")
    replies["focus_unknown"] = _say(router, "focus xqzzy")
    replies["nudge_focus"] = nudge_reply(content, row_id="rc-9", prompt_index=0, focus=True)
    engine.dispose()
    return replies
