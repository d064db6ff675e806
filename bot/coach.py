"""The coach: one entry point from typed text or a pressed button to a :class:`Reply`.

Adapters call :meth:`Coach.handle` and :meth:`Coach.act`; the CLI calls :meth:`Coach.answer`.
Everything here is synchronous and pure, apart from the optional stateful commands port
(nudges, journal) that adapters plug in.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from bot import academy_replies, replies
from bot.content import Content, load_content
from bot.follow_ups import FollowUps
from bot.identity import Who
from bot.intents import (
    CHANGE_WORDS,
    Cue,
    Intent,
    IntentKind,
    only_an_offer,
    passages_for,
    route,
)
from bot.intents import STATEFUL_ACTIONS as _STATEFUL_ACTIONS
from bot.intents import STATEFUL_COMMANDS as _STATEFUL
from bot.models import Action, Audience, Incoming, Reply, ResultKind
from bot.places import PlaceHit
from bot.places.names import introduced
from bot.ports import StatefulCommands
from bot.principle_answers import principles_answer
from bot.text import words
from bot.understanding import answers
from bot.understanding.reader import SURE_PASSAGE, Understanding

_BEHAVIOURS = frozenset({ResultKind.BEHAVIOUR})
# Intents whose text is the person's own words, so may carry a wellbeing signal.
_FREE_TEXT = frozenset(
    {IntentKind.SEARCH, IntentKind.CONTACT, IntentKind.ABOUT, IntentKind.EMPTY}
    | {IntentKind.BEHAVIOURS, IntentKind.PRINCIPLES}
)
# A bare place name ("Leeds") is a contact question only when it is short and matched nothing else.
_MAX_BARE_PLACE_WORDS = 4
# Below SURE_PASSAGE (a passage example that close answers even when rows fit), a question about
# the briefing ("whats an ICB") still gets the passage when it is this much closer to a passage
# example than to any leadership situation: rows fit it only by sharing a word or two
# ("organisations", "systems"). Fitted on the tune parts of tests/data (0.08-0.15 alike; 0.2 and
# above lost "what do people mean by crossing boundaries in system leadership", 0.17 nearer its
# passage example than any situation).
PASSAGE_MARGIN = 0.12


class Coach:
    """Routes what a person types to an intent and builds the reply.

    Example:
        >>> coach = Coach.load()
        >>> coach.answer("behaviours resilience").results[0].behaviour.behaviour
        'Patience, persistence and resilience'
    """

    def __init__(
        self,
        content: Content,
        *,
        stateful: StatefulCommands | None = None,
        understanding: Understanding | None = None,
    ) -> None:
        self.content = content
        self.stateful = stateful
        self.understanding = understanding or Understanding.load(content)
        self.matcher = self.understanding.ranker.matcher
        self.follow_ups = FollowUps()

    @classmethod
    def load(
        cls,
        content_dir: Path | None = None,
        *,
        stateful: StatefulCommands | None = None,
        semantic: bool = True,
    ) -> Coach:
        """Load and validate ``content/``, open the model and build the indexes (once).

        Args:
            content_dir: the content folder (default: ``content/``).
            stateful: the storage-backed commands, when there is storage.
            semantic: open the MiniLM model; ``False`` ranks on words alone (a bench baseline).
        """
        content = load_content(content_dir)
        understanding = Understanding.load(content, semantic=semantic)
        return cls(content, stateful=stateful, understanding=understanding)

    def with_stateful(self, stateful: StatefulCommands) -> Coach:
        """The same coach (same content and index) with storage-backed commands plugged in."""
        clone = object.__new__(Coach)
        clone.content, clone.matcher, clone.stateful = self.content, self.matcher, stateful
        clone.understanding, clone.follow_ups = self.understanding, self.follow_ups
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

    def answer_now(self, incoming: Incoming, *, now: datetime) -> Reply | None:
        """The answer to ``incoming`` when it needs no storage; ``None`` when it does.

        The same answer :meth:`handle` gives, with the text routed once: an adapter that
        answers inline would otherwise route it twice (``needs_state``, then ``handle``).
        """
        intent = route(incoming.text)
        if intent.kind in _STATEFUL:
            return None
        return self._stateless(intent, incoming, now=now)

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
        return self._stateless(intent, incoming, now=now)

    def _stateless(self, intent: Intent, incoming: Incoming, *, now: datetime) -> Reply:
        more = intent.kind is IntentKind.MORE
        if page := (self.follow_ups.next_page(incoming.who, now=now) if more else ""):
            return self._page(page, who=incoming.who, now=now)
        reply = self._answer(intent, source=incoming.text)
        return self.follow_ups.after(reply, who=incoming.who, now=now, text=incoming.text)

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a button press: ``more``, ``share``, ``ask``, or a stateful action."""
        if action.action_id.startswith(_STATEFUL_ACTIONS):
            if self.stateful is None:
                return replies.unavailable_reply(intent=action.action_id.split(".")[0])
            return self.stateful.act(action, now=now)
        if action.action_id == "ask":
            incoming = Incoming(text=action.value, who=action.who, timezone=action.timezone)
            return self.handle(incoming, now=now)
        if action.action_id == "more":
            return self._page(action.value, who=action.who, now=now)
        if action.action_id == "share":
            text, offset = replies.read_more_value(action.value)
            reply = self.answer(text, offset=offset)
            # Shared answers go to everyone: no buttons that only make sense to the asker.
            # Links (an academy's Email, Call, Website) open the same page for anyone.
            links = tuple(b for b in reply.card.buttons if b.url) if reply.card else ()
            card = dataclasses.replace(reply.card, buttons=links) if reply.card else None
            return dataclasses.replace(reply, card=card, audience=Audience.EVERYONE)
        return replies.help_reply(self.content, intro="That button is no longer available.")

    def _page(self, value: str, *, who: Who, now: datetime) -> Reply:
        text, offset = replies.read_more_value(value)
        reply = self.answer(text, offset=offset)
        return self.follow_ups.after(reply, who=who, now=now, text=value)

    # --- intents --------------------------------------------------------------------------

    def _answer(self, intent: Intent, *, source: str, offset: int = 0) -> Reply:
        reply = self._reply(intent, source=source, offset=offset)
        if intent.kind in _FREE_TEXT and offset == 0:
            state = self.understanding.wellbeing(source)
            if state is not None:
                return answers.with_signpost(reply, state=state, content=self.content)
        return reply

    def _reply(self, intent: Intent, *, source: str, offset: int) -> Reply:
        kind, args = intent.kind, intent.args
        if kind is IntentKind.EMPTY:
            talk = self.understanding.small_talk(source)
            if talk is not None:
                return answers.small_talk_reply(talk, text=source)
            return replies.help_reply(
                self.content, intro="Ask me a question about system leadership."
            )
        if kind is IntentKind.HELP:
            return replies.help_reply(self.content)
        if kind is IntentKind.MORE:
            return answers.nothing_more_reply()
        if kind is IntentKind.TASK:
            return answers.task_reply(query=source)
        if kind is IntentKind.BEHAVIOURS:
            if not args:
                return replies.domains_reply(content=self.content)
            return self._ranked(
                args, source=source, kinds=_BEHAVIOURS, intent="behaviours", offset=offset
            )
        if kind is IntentKind.PRINCIPLES:
            return principles_answer(
                intent, source=source, offset=offset, understanding=self.understanding
            )
        if kind is IntentKind.CONTACT:
            return self._contact(intent, source=source, offset=offset)
        if kind is IntentKind.DOMAINS:
            return replies.domains_reply(content=self.content, name=self.content.domain_named(args))
        if kind is IntentKind.ABOUT:
            if intent.cue == Cue.ABOUT:
                # "STP" in a long question about something else is mentioned in passing.
                passage, _similarity = self.understanding.passage(source)
                ranked = self.understanding.rank(args)
                if passage is None and ranked.matches:
                    return self._search(args, source=source, offset=offset)
                if passage is not None:
                    return replies.about_reply(content=self.content, passage_ids=(passage,))
            return replies.about_reply(content=self.content, passage_ids=passages_for(args))
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
        matches = self.understanding.rank(query, kinds=kinds).matches
        if not matches:
            return replies.no_match_reply(query=query, intent=intent, content=self.content)
        return answers.coaching_reply(
            query=query,
            source=source,
            matches=matches,
            intent=intent,
            offset=offset,
            content=self.content,
        )

    def _search(self, query: str, *, source: str, offset: int) -> Reply:
        # Most messages that get here are ranked: start the ranker's encoding now, on the
        # other core, while the checks below encode the message with the untuned model.
        self.understanding.prefetch(query)
        talk = self.understanding.small_talk(source)
        if talk is not None:
            return answers.small_talk_reply(talk, text=source)
        passage, similarity = self.understanding.passage(source)
        if passage is not None and similarity >= SURE_PASSAGE:
            return replies.about_reply(content=self.content, passage_ids=(passage,))
        about = self.understanding.about(source)
        if about is not None:
            return replies.about_reply(content=self.content, passage_ids=(about,))
        if self.understanding.asks_for_academy(source):
            # Asked in words no contact cue knows ("any funding for an MBA?"): the academy
            # for a place named, else the regions to choose from.
            hit = self.content.places.lookup(query)
            if hit is not None:
                return self._academies(hit)
            return academy_replies.regions_reply(query="", content=self.content)
        ranked = self.understanding.rank(query)
        if passage is not None and (
            not ranked.matches or similarity >= ranked.situation + PASSAGE_MARGIN
        ):
            return replies.about_reply(content=self.content, passage_ids=(passage,))
        if ranked.matches:
            return answers.coaching_reply(
                query=query,
                source=source,
                matches=ranked.matches,
                intent="search",
                offset=offset,
                content=self.content,
            )
        if len(words(query)) <= _MAX_BARE_PLACE_WORDS:
            hit = self.content.places.lookup(query)
            # A guarded question ("book a room in Leeds") is not a contact question, unless
            # the place is all there is ("Leeds").
            bare = hit is not None and len(words(query)) <= len(words(hit.place))
            if hit is not None and hit.academies and (bare or not ranked.guarded):
                return academy_replies.academy_reply(query=query, hit=hit, content=self.content)
        if ranked.guarded:
            return answers.not_for_me_reply(query=query)
        return replies.no_match_reply(query=query, intent="search", content=self.content)

    def _contact(self, intent: Intent, *, source: str, offset: int) -> Reply:
        place = intent.args
        if not intent.cue:
            # "contact <place>": the command word was typed, so this is a contact question.
            hit = self.content.places.lookup(place) if place else None
            if hit is None:
                return academy_replies.regions_reply(query=place, content=self.content)
            return self._academies(hit)
        hit = self.content.places.lookup(place)
        if hit is not None and intent.cue in (Cue.INQUIRY, Cue.DIRECT):
            return self._academies(hit)
        # "a programme near Oxford": contacts, unless the place is only a word in passing
        # ("food banks") and a framework row fits. A weak cue ("engage local communities in
        # Bradford") is a contact question only when no framework row fits at all.
        if hit is not None and (
            (
                intent.cue == Cue.STRONG
                and (introduced(place, hit.place) or only_an_offer(place, hit.place))
            )
            or not self.understanding.rank(place).matches
        ):
            return self._academies(hit)
        if hit is None and (
            intent.cue == Cue.INQUIRY or self.understanding.asks_for_academy(source)
        ):
            # "are the academies in here still current?" asks about the briefing itself.
            passage, _similarity = self.understanding.passage(source)
            if passage is not None and CHANGE_WORDS.search(source.lower()):
                return replies.about_reply(content=self.content, passage_ids=(passage,))
            # "who do I talk to about leadership courses?" names no place: ask for one.
            return academy_replies.regions_reply(query="", content=self.content)
        # Cue words such as "local" or "programme" also appear in leadership questions
        # ("engage local communities", "a programme to develop our staff"): search.
        return self._search(place, source=source, offset=offset)

    def _academies(self, hit: PlaceHit) -> Reply:
        if not hit.academies:
            return academy_replies.regions_reply(
                query=hit.place, content=self.content, note=hit.note
            )
        return academy_replies.academy_reply(query=hit.place, hit=hit, content=self.content)
