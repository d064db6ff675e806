"""The coach: one entry point from typed text or a pressed button to a :class:`Reply`.

Adapters call :meth:`Coach.handle` and :meth:`Coach.act`; the CLI calls :meth:`Coach.answer`.
Everything here is synchronous and pure, apart from the optional stateful commands port
(nudges, journal) that adapters plug in.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from rapidfuzz import fuzz, process

from bot import replies
from bot.content import Content, load_content
from bot.intents import Intent, IntentKind, route
from bot.matching import Matcher
from bot.models import Action, Audience, Incoming, Reply, ResultKind
from bot.ports import StatefulCommands
from bot.text import clean, words

_BEHAVIOURS = frozenset({ResultKind.BEHAVIOUR})
_PRINCIPLES = frozenset({ResultKind.PRINCIPLE})
_STATEFUL = {
    IntentKind.NUDGES: "nudges",
    IntentKind.JOURNAL: "journal",
    IntentKind.FORGET: "forget",
}
_STATEFUL_ACTIONS = ("nudge.", "journal.", "forget.")
# A bare place name ("Leeds") is a contact question only when it is short and matched nothing else.
_MAX_BARE_PLACE_WORDS = 4


class Coach:
    """Routes what a person types to an intent and builds the reply.

    Example:
        >>> coach = Coach.load()
        >>> coach.answer("behaviours resilience").results[0].behaviour.behaviour
        'Patience, persistence and resilience'
    """

    def __init__(self, content: Content, *, stateful: StatefulCommands | None = None) -> None:
        self.content = content
        self.stateful = stateful
        self.matcher = Matcher(rows=content.rows, principles=content.principles)

    @classmethod
    def load(
        cls, content_dir: Path | None = None, *, stateful: StatefulCommands | None = None
    ) -> Coach:
        """Load and validate ``content/`` and build the matcher."""
        return cls(load_content(content_dir), stateful=stateful)

    def with_stateful(self, stateful: StatefulCommands) -> Coach:
        """The same coach (same content and index) with storage-backed commands plugged in."""
        clone = object.__new__(Coach)
        clone.content, clone.matcher, clone.stateful = self.content, self.matcher, stateful
        return clone

    # --- entry points ---------------------------------------------------------------------

    def answer(self, text: str, *, offset: int = 0) -> Reply:
        """Answer a stateless question (behaviours, principles, contact, domains, about, help)."""
        intent = route(text)
        if intent.kind in _STATEFUL:
            return replies.unavailable_reply(intent=intent.kind.value)
        return self._answer(intent, source=text, offset=offset)

    def needs_state(self, text: str) -> bool:
        """Whether answering ``text`` reads or writes storage (nudges, journal, forget me).

        Adapters use it to answer everything else at once, without waiting on a database.
        """
        return route(text).kind in _STATEFUL

    def acts_on_state(self, action: Action) -> bool:
        """Whether answering the button ``action`` reads or writes storage."""
        if action.action_id.startswith(_STATEFUL_ACTIONS):
            return True
        return action.action_id == "ask" and self.needs_state(action.value)

    def handle(self, incoming: Incoming, *, now: datetime) -> Reply:
        """Answer what a person typed, including the stateful commands."""
        intent = route(incoming.text)
        command = _STATEFUL.get(intent.kind)
        if command is not None:
            if self.stateful is None:
                return replies.unavailable_reply(intent=command)
            return self.stateful.handle(incoming, command=command, args=intent.args, now=now)
        return self._answer(intent, source=incoming.text)

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a button press: ``more``, ``share``, ``ask``, or a stateful action."""
        if action.action_id.startswith(_STATEFUL_ACTIONS):
            if self.stateful is None:
                return replies.unavailable_reply(intent=action.action_id.split(".")[0])
            return self.stateful.act(action, now=now)
        if action.action_id == "ask":
            incoming = Incoming(text=action.value, who=action.who, timezone=action.timezone)
            return self.handle(incoming, now=now)
        if action.action_id in ("more", "share"):
            text, offset = replies.read_more_value(action.value)
            reply = self.answer(text, offset=offset)
            if action.action_id == "share":
                # Shared answers go to everyone: no buttons that only make sense to the asker.
                card = dataclasses.replace(reply.card, buttons=()) if reply.card else None
                return dataclasses.replace(reply, card=card, audience=Audience.EVERYONE)
            return reply
        return replies.help_reply(self.content, intro="That button is no longer available.")

    # --- intents --------------------------------------------------------------------------

    def _answer(self, intent: Intent, *, source: str, offset: int = 0) -> Reply:
        kind, args = intent.kind, intent.args
        if kind is IntentKind.EMPTY:
            return replies.help_reply(
                self.content, intro="Ask me a question about system leadership."
            )
        if kind is IntentKind.HELP:
            return replies.help_reply(self.content)
        if kind is IntentKind.BEHAVIOURS:
            if not args:
                return replies.domains_reply(content=self.content)
            return self._ranked(
                args, source=source, kinds=_BEHAVIOURS, intent="behaviours", offset=offset
            )
        if kind is IntentKind.PRINCIPLES:
            if not args:
                return replies.principles_reply(content=self.content)
            return self._ranked(
                args, source=source, kinds=_PRINCIPLES, intent="principles", offset=offset
            )
        if kind is IntentKind.CONTACT:
            return self._contact(args, free_text=args == clean(source))
        if kind is IntentKind.DOMAINS:
            return replies.domains_reply(content=self.content, name=self._domain_name(args))
        if kind is IntentKind.ABOUT:
            return replies.about_reply(content=self.content, passage_ids=_passages_for(args))
        return self._search(args, source=source, offset=offset)

    def _ranked(
        self,
        query: str,
        *,
        source: str,
        kinds: frozenset[ResultKind] | None,
        intent: str,
        offset: int,
    ) -> Reply:
        matches = self.matcher.rank(query, kinds=kinds)
        if not matches:
            return replies.no_match_reply(query=query, intent=intent, content=self.content)
        return replies.matches_reply(
            query=query, source=source, matches=matches, intent=intent, offset=offset
        )

    def _search(self, query: str, *, source: str, offset: int) -> Reply:
        matches = self.matcher.rank(query)
        if matches:
            return replies.matches_reply(
                query=query, source=source, matches=matches, intent="search", offset=offset
            )
        if len(words(query)) <= _MAX_BARE_PLACE_WORDS:
            hit = self.content.places.lookup(query)
            if hit is not None and hit.academies:
                return replies.academy_reply(query=query, hit=hit, content=self.content)
        return replies.no_match_reply(query=query, intent="search", content=self.content)

    def _contact(self, place: str, *, free_text: bool) -> Reply:
        hit = self.content.places.lookup(place) if place else None
        if hit is None and free_text and place and self.matcher.rank(place):
            # Cue words such as "local" or "reach" also appear in leadership questions
            # ("engage local communities", "hard to reach groups"): with no place, search.
            return self._search(place, source=place, offset=0)
        if hit is None:
            # A question such as "who runs leadership courses?" names no place: ask for one.
            return replies.regions_reply(query="" if free_text else place, content=self.content)
        if not hit.academies:
            return replies.regions_reply(query=place, content=self.content, note=hit.note)
        return replies.academy_reply(query=hit.place, hit=hit, content=self.content)

    def _domain_name(self, text: str) -> str:
        if not text:
            return ""
        names = {d.name: d.name for d in self.content.domains} | {
            d.id: d.name for d in self.content.domains
        }
        found = process.extractOne(
            clean(text).lower(), {k: k.lower() for k in names}, scorer=fuzz.WRatio, score_cutoff=70
        )
        return names[found[2]] if found else ""


def _passages_for(text: str) -> tuple[str, ...]:
    tokens = set(words(clean(text)))
    chosen: list[str] = []
    if tokens & {"why", "matter", "matters", "important", "conditions"}:
        chosen.append("why")
    if tokens & {"stp", "stps", "footprint", "footprints", "acs", "acss"}:
        chosen.append("stp")
    if "collective" in tokens:
        chosen.append("collective")
    if tokens & {"involve", "involves", "how"}:
        chosen.append("involves")
    return tuple(chosen) or ("what", "involves", "why")
