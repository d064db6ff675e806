"""``nudges …`` and the ``nudge.*`` buttons: a person's or a channel's weekly subscription."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.commands.settings_card import audience_of, held_reply, off_reply, settings_reply
from bot.commands.shared import Shared, error_reply
from bot.commands.time_off import go_away, set_holidays
from bot.identity import Platform, Who
from bot.models import Action, Audience, Incoming, Reply
from bot.nudges.card import nudge_reply
from bot.nudges.ref import Ref
from bot.nudges.schedule import (
    DEFAULT_TIME,
    DEFAULT_WEEKDAY,
    Hold,
    describe,
    describe_slot,
    parse_duration,
    parse_time,
    parse_weekday,
    upcoming,
    valid_timezone,
)
from bot.nudges.walk import Walk, seed_for
from bot.stores import Subscription

DEFAULT_PAUSE = timedelta(weeks=2)
LONGEST_PAUSE = timedelta(weeks=52)

HELP = (
    "Weekly reflection nudges:\n"
    "• nudges on [day] [time] (default Monday 09:00), e.g. nudges on friday 5:30pm\n"
    "• nudges: your settings and next nudge\n"
    "• nudges off, nudges skip, nudges pause 2 weeks, nudges resume\n"
    "• away: nudges away until 2027-01-04, nudges away for 2 weeks (they resume by themselves)\n"
    "• bank holidays move a nudge to the next working day: nudges holidays scotland, "
    "nudges holidays northern ireland, nudges holidays england (the default)\n"
    "• nudges day friday, nudges time 17:30, nudges tz Europe/London\n"
    "• in a channel: nudges channel on [day] [time], nudges channel off\n"
    "Your journal: journal, journal export. Self-assessment: assess. Focus: focus.\n"
    "Delete everything: forget me."
)

# The console only answers: it cannot write first, so it has no weekly nudges.
NOT_HERE = (
    "Weekly nudges are delivered in Slack or Teams: set them up there (nudges on). Here, "
    "coach chat shows this week's reflection prompt when it starts, and journal, assess, "
    "focus and journal export all work."
)


class Subscriptions:
    """Weekly nudge subscriptions: typed ``nudges …`` and the ``nudge.*`` buttons."""

    intents: frozenset[str] = frozenset({"nudges"})
    action_prefixes: tuple[str, ...] = ("nudge.",)

    def __init__(self, shared: Shared) -> None:
        self._shared = shared

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Answer ``nudges …``: settings, on/off, skip, pause, resume, day, time, zone."""
        if not Platform(incoming.who.platform).delivers_nudges:
            return Reply(text=NOT_HERE, intent="nudges", audience=Audience.ASKER)
        words = _normalise(args).split()
        channel = bool(words) and words[0] == "channel"
        if channel:
            words = words[1:]
            if incoming.is_direct or not incoming.who.conversation_id:
                return error_reply(
                    "Channel nudges are set up in the channel itself: type "
                    "nudges channel on [day] [time] there."
                )
            target = incoming.who.channel
        else:
            target = incoming.who.person
        verb, rest = (words[0], words[1:]) if words else ("", [])
        timezone = self._shared.timezone(incoming.timezone)

        if verb in {"", "status", "settings", "show"}:
            return self._status(target, now, timezone=timezone)
        if verb in {"on", "start", "subscribe"}:
            return self._subscribe(target, rest, now, timezone=timezone)
        if verb in {"off", "stop", "unsubscribe", "cancel"}:
            return self._stop(target, now)
        if verb == "help":
            return Reply(text=HELP, intent="nudges", audience=Audience.ASKER)

        sub = self._shared.stores.subscriptions.get(target)
        if sub is None or not sub.active:
            return off_reply(target, timezone=timezone)
        if verb == "skip":
            return self._skip(sub, now)
        if verb in {"pause", "hold"}:
            return self._pause(sub, " ".join(rest), now)
        if verb in {"resume", "unpause", "continue", "back"}:
            return self._resume(sub, now)
        if verb == "away":
            return go_away(self._shared, sub, " ".join(rest), now)
        if verb in {"holidays", "holiday", "bank"}:
            return set_holidays(self._shared, sub, " ".join(rest).removeprefix("holidays"), now)
        if verb == "time":
            return self._set_time(sub, " ".join(rest), now)
        if verb == "day":
            return self._set_day(sub, " ".join(rest), now)
        if verb in {"tz", "timezone", "zone"}:
            # Zone names are case-sensitive ("Europe/London"), so take them from the raw text.
            raw = args.split()
            return self._set_timezone(sub, raw[-1] if len(raw) > 1 else "", now)
        return error_reply(f"I don't know “nudges {verb}”.\n\n{HELP}")

    def _subscribe(self, target: Who, words: list[str], now: datetime, *, timezone: str) -> Reply:
        weekday: int | None = None
        at: time | None = None
        for word in words:
            if (day := parse_weekday(word)) is not None and weekday is None:
                weekday = day
            elif (parsed := parse_time(word)) is not None and at is None:
                at = parsed
            else:
                return error_reply(
                    f"I couldn't read “{word}” as a day or a time. Try nudges on monday 09:00, "
                    "nudges on fri 5:30pm or nudges on."
                )
        existing = self._shared.stores.subscriptions.get(target)
        if existing is None:
            sub = Subscription(
                target=target,
                weekday=DEFAULT_WEEKDAY if weekday is None else weekday,
                at=at or DEFAULT_TIME,
                timezone=timezone,
                seed=seed_for(
                    target.platform, target.workspace_id, target.user_id, target.conversation_id
                ),
            )
        else:
            sub = replace(
                existing,
                weekday=existing.weekday if weekday is None else weekday,
                at=at or existing.at,
                active=True,
                paused_until=None,
                skip_key=None,
                stopped_reason="",
            )
        sub = self._shared.stores.subscriptions.put(sub, now=now)
        who = "This channel gets" if target.is_channel else "You'll get"
        return self._status(
            target,
            now,
            timezone=timezone,
            lead=f"Weekly nudges are on. {who} a reflection prompt {_when(sub)}.",
        )

    def _stop(self, target: Who, now: datetime) -> Reply:
        sub = self._shared.stores.subscriptions.get(target)
        if sub is None or not sub.active:
            return Reply(
                text="Weekly nudges are already off.", intent="nudges", audience=Audience.ASKER
            )
        self._shared.stores.subscriptions.put(replace(sub, active=False), now=now)
        again = "nudges channel on" if target.is_channel else "nudges on"
        return Reply(
            text=f"Weekly nudges are off. Type {again} to start them again.",
            intent="nudges",
            audience=audience_of(target),
        )

    def _skip(self, sub: Subscription, now: datetime) -> Reply:
        # The next slot not paused, ignoring any skip already set: pressing Skip twice skips
        # the same week, rather than moving the skip on and bringing the first week back.
        skipped = upcoming(sub.schedule, now, hold=Hold(paused_until=sub.paused_until))
        sub = self._shared.stores.subscriptions.put(replace(sub, skip_key=skipped.key), now=now)
        return Reply(
            text=(
                f"Skipped the nudge on {describe_slot(skipped)}. "
                f"The next one is {describe_slot(upcoming(sub.schedule, now, hold=sub.hold))}."
            ),
            intent="nudges",
            audience=audience_of(sub.target),
        )

    def _pause(self, sub: Subscription, text: str, now: datetime) -> Reply:
        local_today = now.astimezone(ZoneInfo(sub.timezone)).date()
        text = text.strip()
        until: date | None
        if not text:
            until = local_today + DEFAULT_PAUSE
        elif text.startswith("until "):
            until = _parse_date(text[len("until ") :])
        else:
            length = parse_duration(text)
            until = None if length is None else local_today + length
        if until is None or until <= local_today or until - local_today > LONGEST_PAUSE:
            return error_reply(
                "Say how long to pause for, up to a year: nudges pause 2 weeks, "
                "nudges pause 10 days or nudges pause until 2025-09-01."
            )
        sub = self._shared.stores.subscriptions.put(replace(sub, paused_until=until), now=now)
        nxt = upcoming(sub.schedule, now, hold=sub.hold)
        return held_reply(
            sub,
            text=(
                f"Nudges are paused until {until:%A} {until.day} {until:%B %Y}. "
                f"The next one is {describe_slot(nxt)}. Type nudges resume to restart sooner."
            ),
            title="Nudges paused",
            body=f"Paused until {until:%A} {until.day} {until:%B %Y}.",
            resume="Resume now",
        )

    def _resume(self, sub: Subscription, now: datetime) -> Reply:
        sub = self._shared.stores.subscriptions.put(
            replace(sub, paused_until=None, skip_key=None), now=now
        )
        return Reply(
            text=f"Nudges resumed. The next one is {describe_slot(upcoming(sub.schedule, now))}.",
            intent="nudges",
            audience=audience_of(sub.target),
        )

    def _set_time(self, sub: Subscription, text: str, now: datetime) -> Reply:
        at = parse_time(text)
        if at is None:
            return error_reply(f"I couldn't read “{text}” as a time. Try 17:30, 9am or 5:30pm.")
        sub = self._shared.stores.subscriptions.put(replace(sub, at=at), now=now)
        return self._changed(sub, now)

    def _set_day(self, sub: Subscription, text: str, now: datetime) -> Reply:
        weekday = parse_weekday(text)
        if weekday is None:
            return error_reply(f"I couldn't read “{text}” as a day. Try monday, tue or friday.")
        sub = self._shared.stores.subscriptions.put(replace(sub, weekday=weekday), now=now)
        return self._changed(sub, now)

    def _set_timezone(self, sub: Subscription, text: str, now: datetime) -> Reply:
        zone = valid_timezone(text)
        if zone is None:
            return error_reply(
                f"“{text[:64]}” isn't a timezone I know. Use a region name from the IANA "
                "database, like Europe/London, Europe/Dublin or America/New_York "
                "(fixed offsets such as GMT+1 don't follow summer time)."
            )
        sub = self._shared.stores.subscriptions.put(replace(sub, timezone=zone), now=now)
        return self._changed(sub, now)

    def _changed(self, sub: Subscription, now: datetime) -> Reply:
        return self._status(
            sub.target, now, timezone=sub.timezone, lead=f"Done: nudges come {_when(sub)}."
        )

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a ``nudge.*`` button (skip, pause, resume, another prompt, on, off)."""
        ref = Ref.decode(action.value)
        name = action.action_id
        owner = action.who.person
        target = action.who.channel if ref.channel and action.who.conversation_id else owner
        timezone = self._shared.timezone(action.timezone)
        if name == "nudge.another":
            return self._another(target, ref)
        if name == "nudge.on":
            return self._subscribe(target, [], now, timezone=timezone)
        if name in {"nudge.off", "nudge.stop"}:
            return self._stop(target, now)
        if name == "nudge.settings":
            return self._status(target, now, timezone=timezone)
        sub = self._shared.stores.subscriptions.get(target)
        if sub is None or not sub.active:
            return off_reply(target, timezone=timezone)
        if name == "nudge.skip":
            return self._skip(sub, now)
        if name == "nudge.pause":
            return self._pause(sub, "", now)
        if name == "nudge.resume":
            return self._resume(sub, now)
        return error_reply("That button has expired. Type nudges to see your settings.")

    def _another(self, target: Who, ref: Ref) -> Reply:
        walk = Walk.of(self._shared.content)
        sub = self._shared.stores.subscriptions.get(target)
        focus = () if target.is_channel else self._shared.stores.coaching.focus(target.person)
        if sub is not None:
            position = self._shared.stores.subscriptions.advance(sub.id)
            pick = walk.pick(sub.seed, position, focus=focus)
        else:
            # No subscription (any more): walk a fresh shuffled order, starting after this row.
            seed = seed_for(
                target.platform, target.workspace_id, target.user_id, target.conversation_id
            )
            order = [walk.pick(seed, i).row_id for i in range(len(walk.row_ids))]
            start = order.index(ref.row_id) + 1 if ref.row_id in order else 0
            pick = walk.pick(seed, start)
        return nudge_reply(
            self._shared.content,
            row_id=pick.row_id,
            prompt_index=pick.prompt_index,
            channel=target.is_channel,
            focus=pick.focus,
        )

    def _status(self, target: Who, now: datetime, *, timezone: str, lead: str = "") -> Reply:
        sub = self._shared.stores.subscriptions.get(target)
        return settings_reply(sub, target=target, now=now, timezone=timezone, lead=lead)


def _when(sub: Subscription) -> str:
    return describe(sub.schedule)


def _normalise(text: str) -> str:
    # "5:30 pm" and "5:30 PM" read as one time; a trailing full stop is not part of a word.
    text = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", text.strip().lower())
    return text.rstrip(".!")


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
