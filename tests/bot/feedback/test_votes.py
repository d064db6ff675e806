"""Vote buttons: what they carry, how a stale or forged one is refused, and the tallies."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.feedback.votes import FeedbackVote, Vote, decode, encode, reply_key, tallies
from bot.identity import Platform, Who

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
ALICE = Who(platform=Platform.SLACK, workspace_id="T1", user_id="U1", conversation_id="D1")


def test_a_button_value_carries_no_question_and_no_person() -> None:
    key = reply_key(ALICE, now=NOW, text="my appraiser says I come across as arrogant")
    value = encode(key=key, intent="search", result_ids=("lcb-5",))
    assert "arrogant" not in value
    assert "U1" not in value
    assert decode(value, action_id="feedback.not_quite") == FeedbackVote(
        reply_key=key, vote=Vote.NOT_QUITE, intent="search", result_ids=("lcb-5",)
    )


def test_the_key_differs_per_reply_and_repeats_for_the_same_one() -> None:
    same = reply_key(ALICE, now=NOW, text="q")
    assert same == reply_key(ALICE, now=NOW, text="q")
    assert same != reply_key(ALICE.in_conversation("C2"), now=NOW, text="q")
    assert same != reply_key(ALICE, now=NOW, text="q", offset=3)


@pytest.mark.parametrize(
    ("value", "action_id"),
    [
        ("", "feedback.helpful"),
        ("not json", "feedback.helpful"),
        ("[]", "feedback.helpful"),
        (json.dumps({"r": "a" * 20, "i": "search", "ids": ["rc-1"]}), "feedback.maybe"),
        (json.dumps({"r": "A" * 20, "i": "search", "ids": ["rc-1"]}), "feedback.helpful"),
        (json.dumps({"r": "a" * 20, "i": "search", "ids": []}), "feedback.helpful"),
        (json.dumps({"r": "a" * 20, "i": "search", "ids": ["rc-1"] * 7}), "feedback.helpful"),
        (json.dumps({"r": "a" * 20, "i": "<b>", "ids": ["rc-1"]}), "feedback.helpful"),
        (json.dumps({"r": "a" * 20, "i": "search", "ids": ["DROP TABLE x;"]}), "feedback.helpful"),
        (json.dumps({"r": "a" * 20, "i": "search", "ids": [1]}), "feedback.helpful"),
    ],
)
def test_malformed_or_forged_values_are_refused(value: str, action_id: str) -> None:
    assert decode(value, action_id=action_id) is None


def test_tallies_give_the_not_quite_rate_per_intent_and_per_row() -> None:
    votes = (
        FeedbackVote(reply_key="1", vote=Vote.NOT_QUITE, intent="search", result_ids=("rc-1",)),
        FeedbackVote(
            reply_key="2", vote=Vote.HELPFUL, intent="search", result_ids=("rc-1", "ie-5")
        ),
        FeedbackVote(reply_key="3", vote=Vote.HELPFUL, intent="principles", result_ids=("p4",)),
    )
    by_intent, by_row = tallies(votes)
    assert [(t.name, t.votes, t.not_quite) for t in by_intent] == [
        ("search", 2, 1),
        ("principles", 1, 0),
    ]
    assert by_row[0].name == "rc-1"
    assert by_row[0].not_quite_rate == 0.5
    assert {t.name for t in by_row} == {"rc-1", "ie-5", "p4"}
