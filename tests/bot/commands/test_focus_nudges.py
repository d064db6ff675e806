"""Nudges follow the focus: every other one is about a focus row, every row still comes round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.delivery.ledger import Outcome, claim, find_due, record
from bot.content import load_content
from bot.nudges.card import nudge_reply
from bot.nudges.walk import Walk, pick_prompt
from tests.bot.test_nudge_commands import KEY, press, say, sub_of

FOCUS = ("rc-9", "lcb-6", "ie-7")
# Five years of weekly nudges.
WEEKS = 260


@pytest.fixture(scope="module")
def walk():
    return Walk.of(load_content())


def test_without_a_focus_the_walk_is_unchanged(walk):
    for position in range(90):
        assert walk.pick(7, position) == pick_prompt(
            7, position, walk.row_ids, prompt_counts=walk.prompt_counts
        )
        assert walk.pick(7, position, focus=("zz-1",)) == walk.pick(7, position)


@pytest.mark.parametrize("focus", [FOCUS[:1], FOCUS[:2], FOCUS])
@pytest.mark.parametrize("seed", [1, 42, 2**61 + 5])
def test_over_five_years_half_the_nudges_are_focus_nudges_and_every_row_comes_round(
    walk, focus, seed
):
    picks = [walk.pick(seed, position, focus=focus) for position in range(WEEKS)]
    # At least every other weekly nudge is about a focus row.
    for first, second in zip(picks, picks[1:], strict=False):
        assert first.row_id in focus or second.row_id in focus
    flagged = [p for p in picks if p.focus]
    assert len(flagged) == WEEKS // 2
    assert all(p.row_id in focus for p in flagged)
    # Every focus row gets its share, and they take turns.
    assert {p.row_id for p in flagged} == set(focus)
    # All 30 rows still come round: every 60 weeks (a pass at half pace) asks about each.
    rows = len(walk.row_ids)
    for start in range(0, WEEKS - 2 * rows + 1, 2 * rows):
        window = {p.row_id for p in picks[start : start + 2 * rows]}
        assert window == set(walk.row_ids)
    # And no row waits longer than two such passes.
    for row in walk.row_ids:
        seen = [n for n, p in enumerate(picks) if p.row_id == row]
        assert seen[0] < 2 * rows
        assert max(b - a for a, b in zip(seen, seen[1:], strict=False)) < 4 * rows


def test_a_focus_row_asks_a_different_prompt_each_time_it_comes_round(walk):
    asked = [
        p.prompt_index for p in (walk.pick(3, n, focus=("ie-1",)) for n in range(40)) if p.focus
    ]
    count = walk.prompt_counts.get("ie-1", 1)
    assert asked[: 2 * count] == [i % count for i in range(2 * count)]


def test_the_nudge_card_says_when_it_is_a_focus_nudge():
    content = load_content()
    plain = nudge_reply(content, row_id="ie-1", prompt_index=0)
    focused = nudge_reply(content, row_id="ie-1", prompt_index=0, focus=True)
    assert "focus" not in plain.card.title
    assert focused.card.title == "Your weekly reflection: your focus"
    assert "A focus nudge" in focused.card.sections[0].body
    assert "A focus nudge" in focused.text
    # A channel's nudge is the team's: never marked with one person's focus.
    channel = nudge_reply(content, row_id="ie-1", prompt_index=0, channel=True, focus=True)
    assert "focus" not in channel.text.lower()


def test_delivery_passes_over_months_follow_the_focus_set_in_the_store(
    commands, content, engine, monkeypatch
):
    monkeypatch.setenv("COACH_DATA_KEY", KEY)
    say(commands, "nudges on monday 09:00")
    press(commands, "focus.set", " ".join(FOCUS))
    target = sub_of(commands).target
    delivered = []
    # Noon every day for months: bank holidays move some nudges to Tuesday, BST ends.
    day = datetime(2025, 6, 9, 12, tzinfo=UTC)
    while len(delivered) < 20:
        for due in find_due(engine, day, grace=timedelta(hours=12), platforms=("slack",)):
            assert due.subscription.target == target
            [item] = claim(
                engine, [due], content=content, token="t", wall_now=day, lease=timedelta(minutes=3)
            )
            outcome = Outcome(
                delivery_id=item.delivery_id,
                subscription_id=due.subscription.id,
                status="sent",
                attempts=1,
                message_ref=f"{len(delivered)}.1",
            )
            record(engine, [outcome], token="t", wall_now=day)
            delivered.append(item)
        day += timedelta(days=1)
    assert [i.focus for i in delivered] == [True, False] * 10
    assert all(i.row_id in FOCUS for i in delivered if i.focus)
    assert sum(i.row_id in FOCUS for i in delivered) >= 10
    # Another prompt follows the focus too, and says so.
    another = press(commands, "nudge.another", "to=me;row=ie-1;q=0")
    assert another.card.title == "Your weekly reflection: your focus"
    # Once the focus is cleared the walk is even again.
    say(commands, "focus clear")
    if sub_of(commands).position % 2:
        press(commands, "nudge.another", "to=me;row=ie-1;q=0")  # a focus turn comes next
    due = []
    while not due:
        day += timedelta(days=1)
        due = find_due(engine, day, grace=timedelta(hours=12), platforms=("slack",))
    [item] = claim(
        engine, due, content=content, token="t", wall_now=day, lease=timedelta(minutes=3)
    )
    assert item.focus is False
