"""The stateful commands: ``nudges …``, ``journal …`` and ``forget me``, and their buttons.

:class:`NudgeCommands` implements :class:`bot.ports.StatefulCommands` against the Protocols of
:mod:`bot.stores`. It also builds the nudge itself (:func:`nudge_reply`), which the clock sends,
and answers a reply typed in a nudge's thread (:meth:`NudgeCommands.reflection_reply`).

Reflection text never goes into a log line or an error message here; it goes only to the
journal store, keyed by the author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.content import Content, load_content
from bot.identity import Who
from bot.models import Action, Audience, Button, Card, Fact, Incoming, Input, Reply, Section
from bot.nudges import (
    DEFAULT_TIME,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKDAY,
    WEEKDAYS,
    Hold,
    PromptPick,
    Schedule,
    describe,
    describe_slot,
    parse_duration,
    parse_time,
    parse_weekday,
    pick_prompt,
    seed_for,
    upcoming,
    valid_timezone,
)
from bot.stores import JournalEntry, Stores, Subscription

REFLECTION_INPUT = "reflection"
# A command typed in a nudge's thread ("nudges off") is a command, not a reflection.
_COMMAND = re.compile(r"^\W*(?:nudges?|journal|forget|help)\b", re.IGNORECASE)
_NOTE = re.compile(r"^\W*\w+\s+(?:add|write)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
# Generous for a weekly reflection, small enough that one entry can never swamp a message.
MAX_REFLECTION_CHARS = 3000
JOURNAL_PAGE = 5
DEFAULT_PAUSE = timedelta(weeks=2)
LONGEST_PAUSE = timedelta(weeks=52)

HELP = (
    "Weekly reflection nudges:\n"
    "• nudges on [day] [time] (default Monday 09:00), e.g. nudges on friday 5:30pm\n"
    "• nudges: your settings and next nudge\n"
    "• nudges off, nudges skip, nudges pause 2 weeks, nudges resume\n"
    "• nudges day friday, nudges time 17:30, nudges tz Europe/London\n"
    "• in a channel: nudges channel on [day] [time], nudges channel off\n"
    "Your journal: journal, journal export. Delete everything: forget me."
)


# --- button values -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Ref:
    """What a nudge button carries: whose nudge it is and which prompt it showed.

    Only used to pick a subscription of the presser's own (or of the channel they pressed in)
    and to label a journal entry; never to decide whose data to read.
    """

    channel: bool = False
    row_id: str = ""
    prompt_index: int = 0

    def encode(self) -> str:
        """``"to=me;row=ie-1;q=0"``: short, and safe in any platform's button value."""
        return f"to={'channel' if self.channel else 'me'};row={self.row_id};q={self.prompt_index}"

    @classmethod
    def decode(cls, value: str) -> Ref:
        """Parse :meth:`encode`'s output; anything malformed yields defaults, never an error."""
        parts = dict(p.split("=", 1) for p in value.split(";") if "=" in p)
        index = parts.get("q", "0")
        return cls(
            channel=parts.get("to") == "channel",
            row_id=parts.get("row", "")[:32],
            prompt_index=int(index) if index.isdigit() and len(index) < 4 else 0,
        )


# --- the nudge itself ----------------------------------------------------------------------


def nudge_reply(
    content: Content, *, row_id: str, prompt_index: int, channel: bool = False
) -> Reply:
    """The weekly nudge: domain, role, behaviour, an open question, and its five buttons."""
    row = content.row(row_id)
    question = _question(content, row_id, prompt_index)
    ref = Ref(channel=channel, row_id=row_id, prompt_index=prompt_index).encode()
    title = "This week's team reflection" if channel else "Your weekly reflection"
    card = Card(
        title=title,
        sections=(
            Section(
                facts=(
                    Fact(label="Domain", value=row.domain),
                    Fact(label="Role", value=row.role),
                    Fact(label="Behaviour", value=row.behaviour),
                )
            ),
            Section(heading="This week's question", body=question),
        ),
        buttons=(
            Button(label="Reflect", action_id="nudge.reflect", value=ref, style="primary"),
            Button(label="Another prompt", action_id="nudge.another", value=ref),
            Button(label="Skip next week", action_id="nudge.skip", value=ref),
            Button(label="Pause", action_id="nudge.pause", value=ref),
            Button(label="Stop", action_id="nudge.stop", value=ref, style="danger"),
        ),
        footer=(
            "Reflect to write a private note; only you can read your journal."
            if not channel
            else "Talk it over together; Reflect keeps a private note in your own journal."
        ),
    )
    text = (
        f"{title}. {row.domain}: {row.role}. Behaviour: {row.behaviour}. "
        f"This week's question: {question}"
    )
    return Reply(text=text, intent="nudge", card=card, audience=Audience.EVERYONE)


def _question(content: Content, row_id: str, prompt_index: int) -> str:
    prompts = content.prompts_for(row_id)
    if not prompts:
        return "What did this look like in your work this week?"
    return prompts[prompt_index % len(prompts)].question


@dataclass(frozen=True, slots=True, kw_only=True)
class Walk:
    """The framework rows and prompt counts that every subscriber's walk is drawn from.

    Built once per pass (or per command), since a delivery pass picks thousands of prompts.
    """

    row_ids: tuple[str, ...]
    prompt_counts: dict[str, int]

    @classmethod
    def of(cls, content: Content) -> Walk:
        """The walk over ``content``'s rows, in source order."""
        row_ids = tuple(r.id for r in content.rows)
        counts: dict[str, int] = {}
        for prompt in content.prompts:
            counts[prompt.row_id] = counts.get(prompt.row_id, 0) + 1
        return cls(row_ids=row_ids, prompt_counts=counts)

    def pick(self, subscription: Subscription, position: int) -> PromptPick:
        """The row and prompt at ``position`` of this subscriber's walk."""
        return pick_prompt(
            subscription.seed, position, self.row_ids, prompt_counts=self.prompt_counts
        )


# --- the commands --------------------------------------------------------------------------


class NudgeCommands:
    """``nudges``, ``journal`` and ``forget`` commands, and the ``nudge.*``, ``journal.*`` and
    ``forget.*`` buttons, over the storage Protocols.

    Example:
        >>> commands = NudgeCommands(stores)  # doctest: +SKIP
        >>> coach = Coach.load(stateful=commands)  # doctest: +SKIP
    """

    def __init__(
        self,
        stores: Stores,
        *,
        content: Content | None = None,
        default_timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        self._stores = stores
        self._content = content
        self._default_timezone = valid_timezone(default_timezone) or DEFAULT_TIMEZONE

    @property
    def content(self) -> Content:
        """The framework content, loaded on first use when none was given."""
        if self._content is None:
            self._content = load_content()
        return self._content

    # -- typed commands --

    def handle(self, incoming: Incoming, *, command: str, args: str, now: datetime) -> Reply:
        """Answer ``command`` ("nudges", "journal" or "forget") with its argument text."""
        command = command.strip().lower()
        if command == "nudges":
            return self._nudges(incoming, args, now)
        if command == "journal":
            return self._journal(incoming, args, now)
        if command == "forget":
            return self._forget()
        return Reply(text=HELP, intent="nudges", audience=Audience.ASKER)

    def _nudges(self, incoming: Incoming, args: str, now: datetime) -> Reply:
        words = _normalise(args).split()
        channel = bool(words) and words[0] == "channel"
        if channel:
            words = words[1:]
            if incoming.is_direct or not incoming.who.conversation_id:
                return _error(
                    "Channel nudges are set up in the channel itself: type "
                    "nudges channel on [day] [time] there."
                )
            target = incoming.who.channel
        else:
            target = incoming.who.person
        verb, rest = (words[0], words[1:]) if words else ("", [])
        timezone = valid_timezone(incoming.timezone) or self._default_timezone

        if verb in {"", "status", "settings", "show"}:
            return self._status(target, now, timezone=timezone)
        if verb in {"on", "start", "subscribe"}:
            return self._subscribe(target, rest, now, timezone=timezone)
        if verb in {"off", "stop", "unsubscribe", "cancel"}:
            return self._stop(target, now)
        if verb == "help":
            return Reply(text=HELP, intent="nudges", audience=Audience.ASKER)

        sub = self._stores.subscriptions.get(target)
        if sub is None or not sub.active:
            return self._not_subscribed(target, now, timezone=timezone)
        if verb == "skip":
            return self._skip(sub, now)
        if verb in {"pause", "hold"}:
            return self._pause(sub, " ".join(rest), now)
        if verb in {"resume", "unpause", "continue"}:
            return self._resume(sub, now)
        if verb == "time":
            return self._set_time(sub, " ".join(rest), now)
        if verb == "day":
            return self._set_day(sub, " ".join(rest), now)
        if verb in {"tz", "timezone", "zone"}:
            # Zone names are case-sensitive ("Europe/London"), so take them from the raw text.
            raw = args.split()
            return self._set_timezone(sub, raw[-1] if len(raw) > 1 else "", now)
        return _error(f"I don't know “nudges {verb}”.\n\n{HELP}")

    def _subscribe(self, target: Who, words: list[str], now: datetime, *, timezone: str) -> Reply:
        weekday: int | None = None
        at: time | None = None
        for word in words:
            if (day := parse_weekday(word)) is not None and weekday is None:
                weekday = day
            elif (parsed := parse_time(word)) is not None and at is None:
                at = parsed
            else:
                return _error(
                    f"I couldn't read “{word}” as a day or a time. Try nudges on monday 09:00, "
                    "nudges on fri 5:30pm or nudges on."
                )
        existing = self._stores.subscriptions.get(target)
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
        sub = self._stores.subscriptions.put(sub, now=now)
        who = "This channel gets" if target.is_channel else "You'll get"
        return self._status(
            target,
            now,
            timezone=timezone,
            lead=f"Weekly nudges are on. {who} a reflection prompt {_when(sub)}.",
        )

    def _stop(self, target: Who, now: datetime) -> Reply:
        sub = self._stores.subscriptions.get(target)
        if sub is None or not sub.active:
            return Reply(
                text="Weekly nudges are already off.", intent="nudges", audience=Audience.ASKER
            )
        self._stores.subscriptions.put(replace(sub, active=False), now=now)
        again = "nudges channel on" if target.is_channel else "nudges on"
        return Reply(
            text=f"Weekly nudges are off. Type {again} to start them again.",
            intent="nudges",
            audience=_audience_of(target),
        )

    def _skip(self, sub: Subscription, now: datetime) -> Reply:
        # The next slot not paused, ignoring any skip already set: pressing Skip twice skips
        # the same week, rather than moving the skip on and bringing the first week back.
        skipped = upcoming(sub.schedule, now, hold=Hold(paused_until=sub.paused_until))
        sub = self._stores.subscriptions.put(replace(sub, skip_key=skipped.key), now=now)
        return Reply(
            text=(
                f"Skipped the nudge on {describe_slot(skipped)}. "
                f"The next one is {describe_slot(upcoming(sub.schedule, now, hold=sub.hold))}."
            ),
            intent="nudges",
            audience=_audience_of(sub.target),
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
            return _error(
                "Say how long to pause for, up to a year: nudges pause 2 weeks, "
                "nudges pause 10 days or nudges pause until 2025-09-01."
            )
        sub = self._stores.subscriptions.put(replace(sub, paused_until=until), now=now)
        nxt = upcoming(sub.schedule, now, hold=sub.hold)
        return Reply(
            text=(
                f"Nudges are paused until {until:%A} {until.day} {until:%B %Y}. "
                f"The next one is {describe_slot(nxt)}. Type nudges resume to restart sooner."
            ),
            intent="nudges",
            card=Card(
                title="Nudges paused",
                sections=(Section(body=f"Paused until {until:%A} {until.day} {until:%B %Y}."),),
                buttons=(
                    Button(
                        label="Resume now",
                        action_id="nudge.resume",
                        value=Ref(channel=sub.target.is_channel).encode(),
                    ),
                ),
            ),
            audience=_audience_of(sub.target),
        )

    def _resume(self, sub: Subscription, now: datetime) -> Reply:
        sub = self._stores.subscriptions.put(
            replace(sub, paused_until=None, skip_key=None), now=now
        )
        return Reply(
            text=f"Nudges resumed. The next one is {describe_slot(upcoming(sub.schedule, now))}.",
            intent="nudges",
            audience=_audience_of(sub.target),
        )

    def _set_time(self, sub: Subscription, text: str, now: datetime) -> Reply:
        at = parse_time(text)
        if at is None:
            return _error(f"I couldn't read “{text}” as a time. Try 17:30, 9am or 5:30pm.")
        sub = self._stores.subscriptions.put(replace(sub, at=at), now=now)
        return self._changed(sub, now)

    def _set_day(self, sub: Subscription, text: str, now: datetime) -> Reply:
        weekday = parse_weekday(text)
        if weekday is None:
            return _error(f"I couldn't read “{text}” as a day. Try monday, tue or friday.")
        sub = self._stores.subscriptions.put(replace(sub, weekday=weekday), now=now)
        return self._changed(sub, now)

    def _set_timezone(self, sub: Subscription, text: str, now: datetime) -> Reply:
        zone = valid_timezone(text)
        if zone is None:
            return _error(
                f"“{text[:64]}” isn't a timezone I know. Use a region name from the IANA "
                "database, like Europe/London, Europe/Dublin or America/New_York "
                "(fixed offsets such as GMT+1 don't follow summer time)."
            )
        sub = self._stores.subscriptions.put(replace(sub, timezone=zone), now=now)
        return self._changed(sub, now)

    def _changed(self, sub: Subscription, now: datetime) -> Reply:
        return self._status(
            sub.target, now, timezone=sub.timezone, lead=f"Done: nudges come {_when(sub)}."
        )

    def _status(self, target: Who, now: datetime, *, timezone: str, lead: str = "") -> Reply:
        sub = self._stores.subscriptions.get(target)
        if sub is None or not sub.active:
            return self._not_subscribed(target, now, timezone=timezone, lead=lead)
        nxt = upcoming(sub.schedule, now, hold=sub.hold)
        today = now.astimezone(ZoneInfo(sub.timezone)).date()
        status = "On"
        if sub.paused_until is not None and sub.paused_until > today:
            status = f"Paused until {_day(sub.paused_until)}"
        elif sub.skip_key is not None and sub.skip_key >= today.isoformat():
            status = f"On, skipping {_day(date.fromisoformat(sub.skip_key))}"
        value = Ref(channel=target.is_channel).encode()
        facts = (
            Fact(label="Status", value=status),
            Fact(label="When", value=f"{WEEKDAYS[sub.weekday].title()}s at {sub.at:%H:%M}"),
            Fact(label="Timezone", value=sub.timezone),
            Fact(label="Next nudge", value=describe_slot(nxt)),
        )
        buttons: tuple[Button, ...] = (
            Button(label="Skip next", action_id="nudge.skip", value=value),
            Button(label="Pause 2 weeks", action_id="nudge.pause", value=value),
            Button(label="Turn off", action_id="nudge.off", value=value, style="danger"),
        )
        if sub.paused_until is not None or sub.skip_key is not None:
            buttons = (Button(label="Resume", action_id="nudge.resume", value=value), *buttons)
        title = "Team reflection nudges" if target.is_channel else "Your weekly nudges"
        text = f"{lead} " if lead else ""
        text += f"{title}: {status[0].lower()}{status[1:]}, {describe(sub.schedule)}. "
        text += f"Next: {describe_slot(nxt)}."
        return Reply(
            text=text,
            intent="nudges",
            card=Card(
                title=title,
                sections=(*((Section(body=lead),) if lead else ()), Section(facts=facts)),
                buttons=buttons,
                footer="Change with: nudges day friday, nudges time 17:30, nudges tz Europe/London",
            ),
            audience=_audience_of(target),
        )

    def _not_subscribed(
        self, target: Who, now: datetime, *, timezone: str, lead: str = ""
    ) -> Reply:
        example = Schedule(weekday=DEFAULT_WEEKDAY, at=DEFAULT_TIME, timezone=timezone)
        on = "nudges channel on" if target.is_channel else "nudges on"
        text = (
            f"{lead + ' ' if lead else ''}Weekly nudges are off. Type {on} for a reflection "
            f"prompt {describe(example)}, or choose: {on} friday 5:30pm."
        )
        return Reply(
            text=text,
            intent="nudges",
            card=Card(
                title="Weekly reflection nudges",
                sections=(Section(body=text),),
                buttons=(
                    Button(
                        label="Turn on",
                        action_id="nudge.on",
                        value=Ref(channel=target.is_channel).encode(),
                        style="primary",
                    ),
                ),
            ),
            audience=_audience_of(target),
        )

    def settings(self, owner: Who, *, timezone: str | None, now: datetime) -> Reply:
        """A person's nudge settings with buttons, for the Slack App Home."""
        target = owner.person
        return self._status(
            target, now, timezone=valid_timezone(timezone) or self._default_timezone
        )

    # -- journal --

    def _journal(self, incoming: Incoming, args: str, now: datetime) -> Reply:
        owner = incoming.who.person
        word, _, rest = args.strip().partition(" ")
        zone = self._zone_for(owner, incoming.timezone)
        if word.lower() == "export":
            return self._export(owner, now, zone=zone)
        if word.lower() in {"add", "write"}:
            # The core cleans and shortens ``args`` for matching; a note wants the raw text.
            raw = _NOTE.match(incoming.text)
            return self._save(owner, raw[1] if raw else rest, row_id="", question="", now=now)
        if word.lower() in {"", "show", "latest", "list"}:
            return self._latest(owner, zone=zone)
        return _error(
            "Try journal (your latest entries), journal export (the whole journal as a "
            "Markdown file) or journal add followed by a note."
        )

    def _zone_for(self, owner: Who, timezone: str | None) -> ZoneInfo:
        sub = self._stores.subscriptions.get(owner.person)
        return ZoneInfo(sub.timezone if sub else valid_timezone(timezone) or self._default_timezone)

    def _save(self, owner: Who, text: str, *, row_id: str, question: str, now: datetime) -> Reply:
        text = text.strip()
        if not text:
            return _error("Nothing to save: the reflection was empty.")
        if not self._stores.journal.writable:
            return _error(
                "Your reflection was not saved: this coach has no encryption key set up, "
                "and I never store reflections unencrypted. Please tell whoever runs it "
                "(they need to set COACH_DATA_KEY)."
            )
        clipped = len(text) > MAX_REFLECTION_CHARS
        self._stores.journal.add(
            owner, text=text[:MAX_REFLECTION_CHARS], row_id=row_id, question=question, now=now
        )
        note = f" (kept the first {MAX_REFLECTION_CHARS} characters)" if clipped else ""
        return Reply(
            text=f"Saved to your private journal{note}. Type journal to read it back.",
            intent="journal",
            audience=Audience.PERSON,
            card=Card(
                title="Saved to your journal",
                sections=(Section(body=f"Only you can read it{note}."),),
                buttons=(
                    Button(label="My journal", action_id="journal.show"),
                    Button(label="Export", action_id="journal.export"),
                ),
            ),
        )

    def _latest(self, owner: Who, *, zone: ZoneInfo) -> Reply:
        entries = self._stores.journal.latest(owner, limit=JOURNAL_PAGE)
        if not entries:
            return Reply(
                text=(
                    "Your journal is empty. Press Reflect on a nudge, reply in its thread, "
                    "or type journal add followed by a note."
                ),
                intent="journal",
                audience=Audience.PERSON,
            )
        sections = tuple(self._entry_section(e, zone) for e in entries)
        text = "Your latest journal entries:\n\n" + "\n\n".join(
            f"{s.heading}\n{s.body}" for s in sections
        )
        return Reply(
            text=text,
            intent="journal",
            audience=Audience.PERSON,
            card=Card(
                title="Your journal",
                sections=sections,
                buttons=(Button(label="Export all", action_id="journal.export"),),
                footer="Only you can see this. journal export gives you every entry.",
            ),
        )

    def _entry_section(self, entry: JournalEntry, zone: ZoneInfo) -> Section:
        when = entry.created_at.astimezone(zone)
        body = entry.text if entry.text is not None else "(cannot be decrypted with current keys)"
        if len(body) > 600:
            body = body[:600].rstrip() + "…"
        about = f"*{self.content.row(entry.row_id).role}*\n" if self._known(entry.row_id) else ""
        return Section(
            heading=f"{when:%a} {when.day} {when:%b %Y}, {when:%H:%M}", body=about + body
        )

    def _known(self, row_id: str) -> bool:
        return any(r.id == row_id for r in self.content.rows)

    def _export(self, owner: Who, now: datetime, *, zone: ZoneInfo) -> Reply:
        entries = self._stores.journal.everything(owner)
        filename = f"leadership-journal-{now.astimezone(zone):%Y-%m-%d}.md"
        markdown = render_journal(entries, content=self.content, zone=zone, now=now)
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        return with_attachment(
            Reply(
                text=f"Your journal ({count}) is attached as {filename}.",
                intent="journal.export",
                audience=Audience.PERSON,
                card=Card(
                    title="Your journal export",
                    sections=(Section(body=f"{count}, as a Markdown file: {filename}."),),
                ),
            ),
            (filename, markdown),
        )

    # -- forget me --

    def _forget(self) -> Reply:
        # Always ask first, whatever followed "forget me": deleting is not undoable.
        body = (
            "This deletes everything I hold about you in this workspace: your nudge "
            "subscription, your conversation references, your journal and the record of "
            "nudges sent to you. It cannot be undone."
        )
        return Reply(
            text=f"{body} Press Forget me to confirm.",
            intent="forget",
            audience=Audience.PERSON,
            card=Card(
                title="Forget me?",
                sections=(Section(body=body),),
                buttons=(
                    Button(label="Forget me", action_id="forget.confirm", style="danger"),
                    Button(label="Cancel", action_id="forget.cancel"),
                ),
            ),
        )

    # -- buttons and forms --

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a button press or form submission."""
        owner = action.who.person
        ref = Ref.decode(action.value)
        name = action.action_id
        if name == "nudge.reflect":
            return self._reflect_form(ref)
        if name == "journal.save":
            text = dict(action.form).get(REFLECTION_INPUT, "")
            row_id = ref.row_id if self._known(ref.row_id) else ""
            question = _question(self.content, row_id, ref.prompt_index) if row_id else ""
            return self._save(owner, text, row_id=row_id, question=question, now=now)
        if name == "journal.show":
            return self._latest(owner, zone=self._zone_for(owner, action.timezone))
        if name == "journal.export":
            return self._export(owner, now, zone=self._zone_for(owner, action.timezone))
        if name == "forget.confirm":
            removed = self._stores.forget.forget_user(owner)
            return Reply(
                text=(
                    "Done. I have deleted everything I held about you in this workspace "
                    f"({removed} records): subscriptions, conversation references, journal and "
                    "delivery records. Type nudges on if you ever want nudges again."
                ),
                intent="forget",
                audience=Audience.PERSON,
            )
        if name == "forget.cancel":
            return Reply(text="Nothing was deleted.", intent="forget", audience=Audience.PERSON)

        target = action.who.channel if ref.channel and action.who.conversation_id else owner
        timezone = valid_timezone(action.timezone) or self._default_timezone
        if name == "nudge.another":
            return self._another(target, ref)
        if name == "nudge.on":
            return self._subscribe(target, [], now, timezone=timezone)
        if name in {"nudge.off", "nudge.stop"}:
            return self._stop(target, now)
        if name == "nudge.settings":
            return self._status(target, now, timezone=timezone)
        sub = self._stores.subscriptions.get(target)
        if sub is None or not sub.active:
            return self._not_subscribed(target, now, timezone=timezone)
        if name == "nudge.skip":
            return self._skip(sub, now)
        if name == "nudge.pause":
            return self._pause(sub, "", now)
        if name == "nudge.resume":
            return self._resume(sub, now)
        return _error("That button has expired. Type nudges to see your settings.")

    def _reflect_form(self, ref: Ref) -> Reply:
        if not self._stores.journal.writable:
            return _error(
                "The journal is switched off: this coach has no encryption key set up, and I "
                "never store reflections unencrypted. Please tell whoever runs it "
                "(they need to set COACH_DATA_KEY)."
            )
        sections: tuple[Section, ...] = ()
        if self._known(ref.row_id):
            row = self.content.row(ref.row_id)
            sections = (
                Section(
                    heading=row.role, body=_question(self.content, ref.row_id, ref.prompt_index)
                ),
            )
        card = Card(
            title="Reflect",
            sections=sections,
            inputs=(
                Input(
                    id=REFLECTION_INPUT,
                    label="Your reflection",
                    placeholder="What happened? What did you notice? What will you try next?",
                    multiline=True,
                    max_length=MAX_REFLECTION_CHARS,
                ),
            ),
            submit=Button(
                label="Save to my journal",
                action_id="journal.save",
                value=replace(ref, channel=False).encode(),
                style="primary",
            ),
            footer="Only you can read your journal.",
        )
        return Reply(
            text="Write your reflection; only you can read it.",
            intent="reflect",
            audience=Audience.PERSON,
            card=card,
        )

    def _another(self, target: Who, ref: Ref) -> Reply:
        walk = Walk.of(self.content)
        sub = self._stores.subscriptions.get(target)
        if sub is not None:
            pick = walk.pick(sub, self._stores.subscriptions.advance(sub.id))
        else:
            # No subscription (any more): walk a fresh shuffled order, starting after this row.
            seed = seed_for(
                target.platform, target.workspace_id, target.user_id, target.conversation_id
            )
            stand_in = Subscription(
                target=target, weekday=0, at=DEFAULT_TIME, timezone="UTC", seed=seed
            )
            order = [walk.pick(stand_in, i).row_id for i in range(len(walk.row_ids))]
            start = order.index(ref.row_id) + 1 if ref.row_id in order else 0
            pick = walk.pick(stand_in, start)
        return nudge_reply(
            self.content,
            row_id=pick.row_id,
            prompt_index=pick.prompt_index,
            channel=target.is_channel,
        )

    # -- replies in a nudge's thread --

    def reflection_reply(
        self, incoming: Incoming, *, thread_ref: str, now: datetime
    ) -> Reply | None:
        """Save a reply typed in a nudge's thread (or quoting it) as a reflection.

        Adapters call this before routing a threaded message to the coach: ``thread_ref`` is
        the Slack ``thread_ts`` or the Teams ``replyToId``. Returns ``None`` when the message
        is not a reply to a nudge sent to this person (the adapter then answers as usual).
        Replies in a *channel* nudge's thread are the team's conversation and are left alone,
        and so are commands (``nudges off``) typed in the thread.
        """
        if not thread_ref or not incoming.text.strip() or _COMMAND.match(incoming.text):
            return None
        sent = self._stores.deliveries.find_sent(
            platform=incoming.who.platform,
            workspace_id=incoming.who.workspace_id,
            message_ref=thread_ref,
        )
        if sent is None or sent.subscription.target.is_channel:
            return None
        if sent.subscription.target.user_id != incoming.who.user_id:
            return None
        owner = incoming.who.person
        known = self._known(sent.row_id)
        return self._save(
            owner,
            incoming.text,
            row_id=sent.row_id if known else "",
            question=_question(self.content, sent.row_id, sent.prompt_index) if known else "",
            now=now,
        )


# --- the export file -----------------------------------------------------------------------


def render_journal(
    entries: tuple[JournalEntry, ...], *, content: Content, zone: ZoneInfo, now: datetime
) -> str:
    """The whole journal as Markdown, oldest entry first, times in the owner's zone."""
    local_now = now.astimezone(zone)
    lines = [
        "# My leadership journal",
        "",
        f"Exported {local_now:%A} {local_now.day} {local_now:%B %Y} from the System "
        "Leadership Coach. Private to you: reflections on the NHS Leadership Academy's "
        "System Leadership Framework.",
        "",
    ]
    if not entries:
        lines += ["No entries yet.", ""]
    rows = {r.id: r for r in content.rows}
    for entry in entries:
        when = entry.created_at.astimezone(zone)
        lines += [f"## {when:%A} {when.day} {when:%B %Y}, {when:%H:%M} {when.tzname()}", ""]
        row = rows.get(entry.row_id)
        if row is not None:
            lines += [f"*{row.domain} · {row.role}*", ""]
        if entry.question:
            lines += [f"> {entry.question}", ""]
        lines += [entry.text if entry.text is not None else "_(cannot be decrypted)_", ""]
    return "\n".join(lines)


def with_attachment(reply: Reply, attachment: tuple[str, str]) -> Reply:
    """``reply`` carrying a file as ``reply.attachment == (filename, content)``."""
    return replace(reply, attachment=attachment)


# --- helpers -------------------------------------------------------------------------------


def _when(sub: Subscription) -> str:
    return describe(sub.schedule)


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _audience_of(target: Who) -> Audience:
    # A person's settings are theirs to see; a channel's are the team's.
    return Audience.EVERYONE if target.is_channel else Audience.ASKER


def _error(text: str) -> Reply:
    return Reply(text=text, intent="nudges.error", audience=Audience.ASKER)


def _normalise(text: str) -> str:
    # "5:30 pm" and "5:30 PM" read as one time; a trailing full stop is not part of a word.
    text = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", text.strip().lower())
    return text.rstrip(".!")


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
