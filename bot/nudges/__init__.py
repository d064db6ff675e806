"""Weekly nudges: when they are due (:mod:`schedule`), which prompt comes next (:mod:`walk`),
what they carry on their buttons (:mod:`ref`) and what they look like (:mod:`card`).

The schedule and the walk are re-exported here, as the names most callers want.
"""

from bot.nudges.schedule import (
    DEFAULT_GRACE,
    DEFAULT_TIME,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKDAY,
    WEEK,
    WEEKDAYS,
    Hold,
    Schedule,
    Slot,
    describe,
    describe_slot,
    due_slot,
    next_slot,
    occurrence,
    parse_duration,
    parse_time,
    parse_weekday,
    slot_owed,
    upcoming,
    valid_timezone,
)
from bot.nudges.walk import PromptPick, Walk, cycle_order, pick_prompt, seed_for

__all__ = [
    "DEFAULT_GRACE",
    "DEFAULT_TIME",
    "DEFAULT_TIMEZONE",
    "DEFAULT_WEEKDAY",
    "WEEK",
    "WEEKDAYS",
    "Hold",
    "PromptPick",
    "Schedule",
    "Slot",
    "Walk",
    "cycle_order",
    "describe",
    "describe_slot",
    "due_slot",
    "next_slot",
    "occurrence",
    "parse_duration",
    "parse_time",
    "parse_weekday",
    "pick_prompt",
    "seed_for",
    "slot_owed",
    "upcoming",
    "valid_timezone",
]
