"""Hostile and odd input never crashes, answers in bounded time and gets a clear reply."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.coach import Coach
from bot.models import Action, Incoming
from bot.text import MAX_QUERY_CHARS, clean

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def coach():
    return Coach.load()


NASTY = [
    "",
    " \t\n ",
    "x" * 10_000,
    "resilience " * 1000,
    "\x00\x01\x02\x1b[31mresilience\x7f",
    "💪🔥 resilience 🙏",
    "مرونة القيادة resilience",
    "\u202eecneilisèr",
    "<!channel> <@U123> &amp; <script>alert(1)</script> *bold* _x_ `code`",
    "contact " + "Leeds " * 2000,
    "principles " + "\u0301" * 5000,
]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_input_gets_a_clear_reply_quickly(coach, text):
    start = time.perf_counter()
    reply = coach.handle(Incoming(text=text), now=NOW)
    assert time.perf_counter() - start < 0.5
    assert reply.text.strip()
    assert len(reply.text) < 5000


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=2000))
def test_any_text_gets_a_reply(coach, text):
    reply = coach.handle(Incoming(text=text), now=NOW)
    assert reply.text.strip()
    for match in reply.results:
        assert 0 <= match.score <= 100


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_button_gets_a_reply(coach, action_id, value):
    assert coach.act(Action(action_id=action_id, value=value), now=NOW).text


@given(st.text(max_size=50_000))
def test_clean_is_bounded_and_printable(text):
    out = clean(text)
    assert len(out) <= MAX_QUERY_CHARS
    assert all(ch.isprintable() for ch in out)
