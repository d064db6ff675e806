"""``nudges holidays …`` and ``nudges away …``: nudges that respect time off.

Bank holidays move a nudge to the next working day (decided in :mod:`bot.nudges.schedule`);
here a subscriber chooses whose holidays they keep. Being away is the pause hold with an end
date the person names, so it resumes by itself and every delivery path already honours it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands.settings_card import held_reply, settings_reply
from bot.commands.shared import Shared, error_reply
from bot.models import Reply
from bot.nudges.bank_holidays import NO_REGION, parse_region, region_label
from bot.nudges.schedule import describe_slot, parse_duration, upcoming
from bot.stores import Subscription

LONGEST_AWAY = timedelta(weeks=52)
# Dates people write after "away until": ISO first, then the common British forms.
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%A %d %B %Y")

HOLIDAYS_HELP = (
    "Choose whose bank holidays move your nudge to the next working day: "
    "nudges holidays england (England and Wales, the default), nudges holidays scotland, "
    "nudges holidays northern ireland, or nudges holidays off."
)
AWAY_HELP = (
    "Say when you're back, up to a year ahead: nudges away until 2027-01-04 "
    "or nudges away for 2 weeks."
)


def set_holidays(shared: Shared, sub: Subscription, text: str, now: datetime) -> Reply:
    """Show (no ``text``) or change the bank-holiday region of ``sub``."""
    if not text.strip():
        return settings_reply(
            sub,
            target=sub.target,
            now=now,
            timezone=sub.timezone,
            lead=f"Bank holidays: {region_label(sub.holiday_region)}. {HOLIDAYS_HELP}",
        )
    region = parse_region(text)
    if region is None:
        return error_reply(
            f"I don't know the bank holidays of “{text.strip()[:64]}”. " + HOLIDAYS_HELP
        )
    sub = shared.stores.subscriptions.put(replace(sub, holiday_region=region), now=now)
    if region == NO_REGION:
        lead = "Done: nudges come on bank holidays too."
    else:
        lead = (
            f"Done: a nudge that falls on a bank holiday in {region_label(region)} comes on "
            "the next working day instead, at the same time."
        )
    return settings_reply(sub, target=sub.target, now=now, timezone=sub.timezone, lead=lead)


def go_away(shared: Shared, sub: Subscription, text: str, now: datetime) -> Reply:
    """``nudges away until 2027-01-04`` / ``away for 2 weeks``: hold nudges until the return."""
    today = now.astimezone(ZoneInfo(sub.timezone)).date()
    back = parse_return(text, today=today)
    if back is None:
        return error_reply(f"I couldn't read when you're back. {AWAY_HELP}")
    if back <= today:
        when = "today" if back == today else "in the past"
        return error_reply(
            f"{back:%A} {back.day} {back:%B %Y} is {when}, so there is nothing to hold. "
            + AWAY_HELP
        )
    if back - today > LONGEST_AWAY:
        return error_reply(
            f"That's more than a year away. {AWAY_HELP} (Or turn them off: nudges off.)"
        )
    sub = shared.stores.subscriptions.put(replace(sub, paused_until=back), now=now)
    nxt = upcoming(sub.schedule, now, hold=sub.hold)
    label = f"{back:%A} {back.day} {back:%B %Y}"
    who = "The channel is" if sub.target.is_channel else "You're"
    return held_reply(
        sub,
        text=(
            f"{who} away until {label}: no nudges before then, and they start again by "
            f"themselves. The next one is {describe_slot(nxt)}. "
            "Back sooner? Type nudges resume."
        ),
        title="Away",
        body=(
            f"Away until {label}. Nudges start again by themselves: the next one "
            f"is {describe_slot(nxt)}."
        ),
        resume="I'm back: resume now",
    )


def parse_return(text: str, *, today: date) -> date | None:
    """The day someone is back: ``"until 2027-01-04"``, ``"for 2 weeks"``, ``"10 days"``.

    A date is returned as written, even if it is past (the caller says why it refuses it).
    """
    text = " ".join(text.strip().lower().rstrip(".!").split())
    if text.startswith(("until ", "till ", "til ")):
        return parse_date(text.split(" ", 1)[1])
    if text.startswith("for "):
        text = text[len("for ") :]
    length = parse_duration(text)
    return None if length is None else today + length


def parse_date(text: str) -> date | None:
    """``"2027-01-04"``, ``"4/1/2027"``, ``"4 January 2027"``, ``"4 jan 2027"`` -> a date."""
    text = " ".join(text.strip().rstrip(".!").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time or zone
        except ValueError:
            continue
    return None
