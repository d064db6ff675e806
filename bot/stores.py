"""What the nudge and journal commands need from storage, as Protocols and frozen records.

The SQLAlchemy implementations live in ``adapters/store/repositories.py``. Every journal query
takes a :class:`bot.identity.Who` (platform + workspace + user), so there is no way to ask
for another
person's reflections through these interfaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol

from bot.coaching.records import CoachingStore
from bot.feedback.votes import FeedbackStore
from bot.identity import Who
from bot.nudges.bank_holidays import DEFAULT_REGION
from bot.nudges.schedule import Hold, Schedule
from bot.safety.held import HeldStore


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """A weekly nudge subscription, active or not. ``id`` is 0 until it is stored."""

    id: int = 0
    # The person (DM) or channel it nudges. A channel subscription has no user_id, so
    # ``forget me`` leaves the team's huddle prompt alone.
    target: Who
    weekday: int
    at: time
    timezone: str
    active: bool = True
    paused_until: date | None = None
    skip_key: str | None = None
    # Whose bank holidays move the nudge to the next working day (bot.nudges.bank_holidays).
    holiday_region: str = DEFAULT_REGION
    # Seeds the per-subscriber shuffled walk through the framework rows.
    seed: int
    # How many prompts this subscriber has been given so far (deliveries and "Another prompt").
    position: int = 0
    # Why it was switched off, when the platform refused it ("user gone", "uninstalled").
    stopped_reason: str = ""

    @property
    def schedule(self) -> Schedule:
        """The subscription's day, time, zone and bank-holiday region."""
        return Schedule(
            weekday=self.weekday, at=self.at, timezone=self.timezone, region=self.holiday_region
        )

    @property
    def hold(self) -> Hold:
        """The pause and skip that hold slots back."""
        return Hold(paused_until=self.paused_until, skip_key=self.skip_key)


@dataclass(frozen=True, slots=True, kw_only=True)
class JournalEntry:
    """One reflection. ``text`` is ``None`` when the stored text cannot be decrypted."""

    id: int
    created_at: datetime
    text: str | None
    row_id: str = ""
    question: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SentNudge:
    """A delivered nudge, as found from a reply in its thread."""

    delivery_id: int
    subscription: Subscription
    row_id: str
    prompt_index: int


class SubscriptionStore(Protocol):
    """Subscriptions, one per person or channel (:class:`bot.identity.Who`)."""

    def get(self, target: Who) -> Subscription | None:
        """The subscription for ``target``, active or not."""
        ...

    def put(self, subscription: Subscription, *, now: datetime) -> Subscription:
        """Insert or update the subscription for ``subscription.target``; return it stored."""
        ...

    def advance(self, subscription_id: int) -> int:
        """Move the prompt walk on by one; return the position before the move."""
        ...


class JournalStore(Protocol):
    """Private reflections, readable only by their author."""

    @property
    def writable(self) -> bool:
        """False when reflections cannot be stored safely (no encryption key configured)."""
        ...

    def add(
        self, owner: Who, *, text: str, row_id: str, question: str, now: datetime
    ) -> JournalEntry:
        """Store a reflection for ``owner``."""
        ...

    def latest(self, owner: Who, *, limit: int) -> tuple[JournalEntry, ...]:
        """``owner``'s newest entries, newest first."""
        ...

    def everything(self, owner: Who) -> tuple[JournalEntry, ...]:
        """All of ``owner``'s entries, oldest first."""
        ...


class DeliveryStore(Protocol):
    """The delivery ledger, as the commands see it (the clock has its own, wider view)."""

    def find_sent(self, *, platform: str, workspace_id: str, message_ref: str) -> SentNudge | None:
        """The nudge posted as ``message_ref`` (Slack ts, Teams activity id), if any."""
        ...


class ForgetStore(Protocol):
    """Deletes everything held about one person."""

    def forget_user(self, owner: Who) -> int:
        """Delete every row about ``owner`` in every table; return how many went."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Stores:
    """The storage the stateful commands use, bundled for wiring."""

    subscriptions: SubscriptionStore
    journal: JournalStore
    deliveries: DeliveryStore
    forget: ForgetStore
    held: HeldStore
    # Self-assessments and focus (issue 12), encrypted at rest like the journal.
    coaching: CoachingStore
    # Helpful / Not quite votes; ``None`` where nothing stores them (some tests' fakes).
    feedback: FeedbackStore | None = None
