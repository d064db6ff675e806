"""``assess`` and the ``assess.*`` buttons: the self-assessment over the framework's rows.

Ratings are personal development data: they go only to the coaching store, keyed by their
owner, and never into a log line or an error message. Every answer is saved as it arrives,
so stopping anywhere loses nothing; stale forms and double submits change nothing already
saved, and say so.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.coaching import forms
from bot.coaching.cards import start_reply, summary_reply
from bot.coaching.forms import Ref, read_choice
from bot.coaching.records import SCALE, Assessment, CoachingStore
from bot.coaching.summary import summarise
from bot.commands.shared import Shared, error_reply, no_key_reply
from bot.identity import Platform, Who
from bot.models import Action, Audience, Card, Incoming, Reply, Section

_SUMMARY_WORDS = frozenset({"summary", "results", "result", "last", "latest", "show"})


class Assess:
    """The self-assessment: typed ``assess`` and the ``assess.*`` buttons and forms."""

    intents: frozenset[str] = frozenset({"assess"})
    action_prefixes: tuple[str, ...] = ("assess.",)

    def __init__(self, shared: Shared) -> None:
        self._shared = shared

    @property
    def _store(self) -> CoachingStore:
        return self._shared.stores.coaching

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """``assess`` starts or carries on; ``assess summary`` shows the latest finished one."""
        owner = incoming.who.person
        zone = self._shared.zone_for(owner, incoming.timezone)
        if args.strip().lower() in _SUMMARY_WORDS:
            return self._summary(owner, assessment_id=None, zone=zone)
        if not self._store.writable:
            return no_key_reply("Self-assessments are")
        if not Platform(owner.platform).fills_forms:
            # No forms here: go straight to the first question not yet answered.
            return self._next(owner, self._store.start_assessment(owner, now=now), zone, now=now)
        under_way, last = self._under_way_and_last(owner)
        return start_reply(self._shared.content, under_way=under_way, last=last, zone=zone)

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Open a domain's form, save a form or one rating, stop, or show a summary."""
        owner = action.who.person
        zone = self._shared.zone_for(owner, action.timezone)
        name = action.action_id
        if name == forms.SUMMARY:
            wanted = int(action.value) if action.value.isdigit() else None
            return self._summary(owner, assessment_id=wanted, zone=zone)
        if not self._store.writable:
            return no_key_reply("Self-assessments are")
        ref = Ref.decode(action.value) if action.value else Ref()
        if ref is None:
            return error_reply("That button could not be read. Type assess to carry on.")
        if name == forms.STOP:
            return self._stopped(owner)
        if name == forms.FORM:
            return self._open(owner, ref, zone, now=now)
        if name == forms.SAVE:
            return self._save_form(owner, ref, dict(action.form), zone, now=now)
        if name == forms.RATE:
            return self._rate_one(owner, ref, zone, now=now)
        return error_reply("That button has expired. Type assess to carry on.")

    # --- asking -----------------------------------------------------------------------------

    def _open(self, owner: Who, ref: Ref, zone: ZoneInfo, *, now: datetime) -> Reply:
        under_way, _ = self._under_way_and_last(owner)
        if ref.assessment_id and (under_way is None or under_way.id != ref.assessment_id):
            return self._already_finished(owner, zone)
        assessment = under_way or self._store.start_assessment(owner, now=now)
        domain = next((d for d in self._shared.content.domains if d.id == ref.part), None)
        return self._next(owner, assessment, zone, now=now, domain_id=domain.id if domain else "")

    def _next(
        self,
        owner: Who,
        assessment: Assessment,
        zone: ZoneInfo,
        *,
        now: datetime,
        note: str = "",
        domain_id: str = "",
    ) -> Reply:
        """The next question: a domain's form, or one row; the summary once all are answered."""
        content = self._shared.content
        if Platform(owner.platform).fills_forms:
            left = forms.unanswered_domains(assessment, content)
            chosen = [d for d in content.domains if d.id == domain_id] or list(left[:1])
            if chosen:
                card = forms.domain_form(assessment, chosen[0], content, note=note)
                return _question(card, f"{note} {card.sections[0].heading}: rate each row.")
        else:
            row = forms.next_row(assessment, content)
            if row is not None:
                card = forms.item_card(assessment, row, content, note=note)
                legend = " · ".join(f"{n} {w}" for n, w in enumerate(SCALE, start=1))
                return _question(
                    card,
                    f"{note}\n{card.title} ({card.sections[0].heading})\n{row.role}\n"
                    f"{row.behaviour}\nAnswer {legend}; skip, or stop to carry on later.".strip(),
                )
        finished = self._store.finish_assessment(owner, assessment.id, now=now)
        if finished is None:  # finished a moment ago by a double submit: show that one
            return self._already_finished(owner, zone)
        return self._summary_of(owner, finished, zone)

    # --- answers ----------------------------------------------------------------------------

    def _save_form(
        self, owner: Who, ref: Ref, form: dict[str, str], zone: ZoneInfo, *, now: datetime
    ) -> Reply:
        content = self._shared.content
        ratings: dict[str, int | None] = {}
        refused: list[str] = []
        for row_id, text in form.items():
            if not self._shared.known(row_id):
                continue  # a row this version of the content no longer has
            rating = read_choice(text)
            if isinstance(rating, str) or (rating is not None and not 1 <= rating <= len(SCALE)):
                refused.append(content.row(row_id).role)
            else:
                ratings[row_id] = rating
        domain = next((d for d in content.domains if d.id == ref.part), None)
        if domain is not None and any(row.id in form for row in domain.rows):
            # A choice left empty is a skip; some clients (Teams) leave it out altogether.
            for row in domain.rows:
                if row.id not in form:
                    ratings[row.id] = None
        saved = self._store.rate(owner, ref.assessment_id, ratings, now=now)
        if saved is None:
            return self._already_finished(owner, zone)
        if refused:
            note = (
                "Not saved, as the answer was not on the scale: "
                + "; ".join(refused)
                + ". Please choose again; the rest is saved."
            )
            return self._next(
                owner, saved, zone, now=now, note=note, domain_id=domain.id if domain else ""
            )
        note = f"Saved: {domain.name}." if domain else "Saved."
        return self._next(owner, saved, zone, now=now, note=note)

    def _rate_one(self, owner: Who, ref: Ref, zone: ZoneInfo, *, now: datetime) -> Reply:
        if not self._shared.known(ref.part) or ref.rating is None:
            return error_reply("That answer could not be read. Type assess to carry on.")
        if ref.rating > len(SCALE):
            note = f"Ratings go from 1 to {len(SCALE)}, or skip. Nothing was changed."
            under_way, _ = self._under_way_and_last(owner)
            if under_way is None or under_way.id != ref.assessment_id:
                return self._already_finished(owner, zone)
            return self._next(owner, under_way, zone, now=now, note=note)
        rating = ref.rating or None  # 0 is Skip
        saved = self._store.rate(owner, ref.assessment_id, {ref.part: rating}, now=now)
        if saved is None:
            return self._already_finished(owner, zone)
        return self._next(owner, saved, zone, now=now)

    def _stopped(self, owner: Who) -> Reply:
        under_way, _ = self._under_way_and_last(owner)
        total = len(self._shared.content.rows)
        answered = sum(
            1 for r in self._shared.content.rows if under_way and r.id in under_way.by_row
        )
        return Reply(
            text=(
                f"Saved: {answered} of {total} rows answered. Type assess to carry on where you "
                "stopped."
            ),
            intent="assess",
            audience=Audience.PERSON,
        )

    # --- summaries --------------------------------------------------------------------------

    def _summary(self, owner: Who, *, assessment_id: int | None, zone: ZoneInfo) -> Reply:
        done = [a for a in self._store.assessments(owner) if a.finished is not None]
        if assessment_id is not None:
            done = done[: next((i + 1 for i, a in enumerate(done) if a.id == assessment_id), 0)]
        if not done:
            return Reply(
                text="You have no finished self-assessment yet. Type assess to take one.",
                intent="assess.summary",
                audience=Audience.PERSON,
            )
        return self._summary_of(owner, done[-1], zone)

    def _summary_of(self, owner: Who, assessment: Assessment, zone: ZoneInfo) -> Reply:
        earlier = [
            a
            for a in self._store.assessments(owner)
            if a.finished is not None and a.id != assessment.id and a.started <= assessment.started
        ]
        summary = summarise(
            assessment, self._shared.content, previous=earlier[-1] if earlier else None
        )
        return summary_reply(summary, zone=zone)

    def _already_finished(self, owner: Who, zone: ZoneInfo) -> Reply:
        reply = self._summary(owner, assessment_id=None, zone=zone)
        lead = (
            "That form belongs to an assessment already saved and finished; nothing was "
            "changed. Type assess to take a new one."
        )
        card = reply.card or Card(title="Self-assessment")
        return Reply(
            text=f"{lead}\n\n{reply.text}",
            intent="assess.stale",
            audience=Audience.PERSON,
            card=Card(
                title=card.title,
                sections=(Section(body=lead), *card.sections),
                buttons=card.buttons,
                footer=card.footer,
            ),
        )

    def _under_way_and_last(self, owner: Who) -> tuple[Assessment | None, Assessment | None]:
        every = self._store.assessments(owner)
        under_way = every[-1] if every and every[-1].finished is None else None
        done = [a for a in every if a.finished is not None]
        return under_way, (done[-1] if done else None)


def _question(card: Card, text: str) -> Reply:
    return Reply(text=text.strip(), intent="assess", audience=Audience.PERSON, card=card)
