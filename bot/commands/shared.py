"""What every stateful command shares: the stores, the content, the default zone, errors."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.coaching.progress import ChartRenderer
from bot.content import Content, load_content
from bot.exports.document import Renderer
from bot.identity import Who
from bot.matching import Matcher
from bot.models import Audience, Match, Reply, ResultKind
from bot.nudges.card import question_for
from bot.nudges.schedule import DEFAULT_TIMEZONE, valid_timezone
from bot.stores import Stores


class Shared:
    """The storage, content and settings the commands are built on, made once per process.

    Example:
        >>> shared = Shared(stores)  # doctest: +SKIP
        >>> shared.zone_for(who, None)  # doctest: +SKIP
        zoneinfo.ZoneInfo(key='Europe/London')
    """

    def __init__(
        self,
        stores: Stores,
        *,
        content: Content | None = None,
        default_timezone: str = DEFAULT_TIMEZONE,
        documents: Renderer | None = None,
        charts: ChartRenderer | None = None,
        matcher: Matcher | None = None,
    ) -> None:
        self.stores = stores
        # The coach's own matcher when given, so typed topics (focus resilience) are read
        # the same way as questions; else one is built on first use.
        self._matcher = matcher
        # Word and PDF exports; without it only the Markdown export is offered.
        self.documents = documents
        # Progress charts (PNG); without it progress answers in text alone.
        self.charts = charts
        self._content = content
        self.default_timezone = valid_timezone(default_timezone) or DEFAULT_TIMEZONE

    @property
    def content(self) -> Content:
        """The framework content, loaded on first use when none was given."""
        if self._content is None:
            self._content = load_content()
        return self._content

    def rank_rows(self, topic: str) -> tuple[Match, ...]:
        """The framework rows ``topic`` is about, best first; empty when none fits."""
        if self._matcher is None:
            self._matcher = Matcher(rows=self.content.rows, principles=())
        return self._matcher.rank(topic, kinds=frozenset({ResultKind.BEHAVIOUR}))

    def known(self, row_id: str) -> bool:
        """Whether ``row_id`` names a framework row (a button's value is only a hint)."""
        return any(r.id == row_id for r in self.content.rows)

    def question(self, row_id: str, prompt_index: int) -> str:
        """The question a nudge about ``row_id`` asked, or "" for an unknown row."""
        return question_for(self.content, row_id, prompt_index) if self.known(row_id) else ""

    def timezone(self, given: str | None) -> str:
        """The zone the platform gave for the person, if valid, else the default."""
        return valid_timezone(given) or self.default_timezone

    def zone_for(self, owner: Who, given: str | None) -> ZoneInfo:
        """The person's zone: their subscription's, else the platform's, else the default."""
        sub = self.stores.subscriptions.get(owner.person)
        return ZoneInfo(sub.timezone if sub else self.timezone(given))


def error_reply(text: str) -> Reply:
    """A command that could not be done, and why (only the asker needs to see it)."""
    return Reply(text=text, intent="nudges.error", audience=Audience.ASKER)


def no_key_reply(what: str) -> Reply:
    """``what`` cannot be kept: no ``COACH_DATA_KEY``, and nothing personal is stored in clear."""
    return error_reply(
        f"{what} switched off: this coach has no encryption key set up, and I never store "
        "them unencrypted. Please tell whoever runs it (they need to set COACH_DATA_KEY)."
    )
