"""Weekly nudge scheduling: pure functions, no I/O, ``now`` always passed in.

A subscription is "weekday, wall-clock time, IANA zone". Its *slot* for a week is the instant
that wall-clock time happens on that weekday in that zone, and the slot's key is the local date,
so the key survives DST changes, restarts and clock processes in other zones.

DST, done once and right, here:

* a wall-clock time that does not exist (01:30 on the spring-forward Sunday in London) is read
  with the offset in force *before* the change, so it lands on the shifted instant (02:30 BST);
* a wall-clock time that happens twice (01:30 on the fall-back Sunday) is its first occurrence;

and either way the slot has one key, so it is delivered once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY = 0
DEFAULT_TIME = time(9, 0)
DEFAULT_TIMEZONE = "Europe/London"
# A slot missed by more than this is skipped rather than sent late: a Monday-morning prompt that
# arrives on Monday night reads as noise, not as coaching.
DEFAULT_GRACE = timedelta(hours=12)
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """When a subscription wants its nudge: a weekday (0 = Monday), a wall-clock time, a zone."""

    weekday: int
    at: time
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's zone as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot:
    """One weekly occurrence of a schedule.

    ``key`` is the local date (ISO), stable for the life of the schedule; ``due`` is the UTC
    instant; ``local`` is the same instant in the subscriber's zone, for display.
    """

    key: str
    due: datetime
    local: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Hold:
    """What stops a slot from being delivered: a pause until a local date, or one skipped slot."""

    paused_until: date | None = None
    skip_key: str | None = None

    def holds(self, slot: Slot) -> bool:
        """Whether ``slot`` is held back (paused or skipped)."""
        if self.skip_key is not None and slot.key == self.skip_key:
            return True
        return self.paused_until is not None and slot.local.date() < self.paused_until


# --- timezones -----------------------------------------------------------------------------


def valid_timezone(name: str | None) -> str | None:
    """Return ``name`` if it is an IANA zone this machine knows, else ``None``.

    Fixed offsets such as ``UTC+1`` or ``GMT+0100`` are refused: they do not follow DST.
    """
    if not name or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", name):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


# --- slots ---------------------------------------------------------------------------------


def occurrence(schedule: Schedule, local_date: date) -> Slot:
    """The slot of ``schedule`` on ``local_date`` (which must be on the schedule's weekday).

    ``fold=0`` gives both DST rules of the module docstring: the earlier of a repeated time, and
    the pre-transition offset (hence the shifted instant) for a time that does not exist.
    """
    wall = datetime.combine(local_date, schedule.at, tzinfo=schedule.zone).replace(fold=0)
    due = wall.astimezone(UTC)
    return Slot(key=local_date.isoformat(), due=due, local=due.astimezone(schedule.zone))


def due_slot(schedule: Schedule, now: datetime) -> Slot:
    """The latest slot at or before ``now`` (aware)."""
    _require_aware(now)
    today = now.astimezone(schedule.zone).date()
    candidate = today - timedelta(days=(today.weekday() - schedule.weekday) % 7)
    slot = occurrence(schedule, candidate)
    if slot.due > now:
        slot = occurrence(schedule, candidate - WEEK)
    return slot


def next_slot(schedule: Schedule, now: datetime) -> Slot:
    """The first slot strictly after ``now`` (aware)."""
    current = due_slot(schedule, now)
    return occurrence(schedule, date.fromisoformat(current.key) + WEEK)


def slot_owed(
    schedule: Schedule, now: datetime, *, hold: Hold | None = None, grace: timedelta = DEFAULT_GRACE
) -> Slot | None:
    """The slot a delivery pass at ``now`` should deliver, or ``None``.

    That is the latest slot at or before ``now``, unless it is held back or more than ``grace``
    old: a missed slot is skipped, never sent late.
    """
    slot = due_slot(schedule, now)
    if now - slot.due > grace or (hold is not None and hold.holds(slot)):
        return None
    return slot


def upcoming(schedule: Schedule, now: datetime, *, hold: Hold | None = None) -> Slot:
    """The next slot after ``now`` that will actually be delivered (for "next nudge: ...")."""
    slot = next_slot(schedule, now)
    if hold is None:
        return slot
    # A pause ends on a date, so walk at most that many weeks plus the one skipped slot.
    for _ in range(520):
        if not hold.holds(slot):
            return slot
        slot = occurrence(schedule, date.fromisoformat(slot.key) + WEEK)
    return slot


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


# --- parsing what people type ------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$")
_DURATION = re.compile(r"^(\d{1,3})\s*(d|day|days|w|wk|wks|week|weeks)$")


def parse_weekday(word: str) -> int | None:
    """``"friday"``, ``"Fri"``, ``"fri."`` -> 4; anything else -> ``None``."""
    word = word.strip().lower().rstrip(".")
    if len(word) < 3:
        return None
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(word) or (word.endswith("s") and name == word[:-1]):
            return index
    aliases = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
    return aliases.get(word)


def parse_time(word: str) -> time | None:
    """``"17:30"``, ``"9"`` (09:00), ``"9am"``, ``"5:30pm"``, ``"0930"`` -> a time, or None."""
    word = word.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d{4}", word):
        word = f"{word[:2]}:{word[2:]}"
    match = _TIME.match(word)
    if match is None:
        return None
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_duration(text: str) -> timedelta | None:
    """``"2 weeks"``, ``"1w"``, ``"10 days"`` -> a timedelta of whole days; else ``None``."""
    text = " ".join(text.strip().lower().split())
    if text in {"a week", "one week"}:
        return timedelta(weeks=1)
    match = _DURATION.match(text)
    if match is None:
        return None
    count = int(match[1])
    if count == 0:
        return None
    return timedelta(days=count) if match[2].startswith("d") else timedelta(weeks=count)


def describe(schedule: Schedule) -> str:
    """``"Mondays at 09:00 (Europe/London)"``."""
    return f"{WEEKDAYS[schedule.weekday].title()}s at {schedule.at:%H:%M} ({schedule.timezone})"


def describe_slot(slot: Slot) -> str:
    """``"Monday 2 June 2025, 09:00 BST"``: a slot in the subscriber's local time."""
    local = slot.local
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local.tzname()}"
