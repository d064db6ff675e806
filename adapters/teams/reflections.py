"""Which nudge a Teams message answers, so that a reply to a nudge goes into the journal.

Slack has threads; a Teams personal chat does not. So a message in a personal chat counts as
a reply to a nudge, in this order:

1. its ``replyToId`` names the nudge (what the Bot Connector returned when it was sent);
2. it *quotes* the nudge (Teams' "Reply" puts the quoted message in a ``text/html``
   attachment as ``<blockquote itemtype="http://schema.skype.com/Reply" itemid="…">``);
3. it is the person's first plain message in that chat since the latest nudge there, sent
   within :data:`REPLY_WINDOW` of it (answering the question is what people do next).

Rule 3 is a guess, so the agent only keeps it when the message was saved, and says so; the
person's next message is then no longer "first since the nudge" and is answered as usual.
:meth:`bot.commands.reflections.Reflections.reflection_reply` has the last word every time: only a
nudge sent to this very person, never a channel's, and never a command (``nudges off``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from microsoft_agents.activity import Activity
from sqlalchemy import Connection, Engine, Select, bindparam, select

from adapters.store.nudge_tables import nudge_deliveries, nudge_subscriptions
from adapters.teams import translate

# A weekly nudge: a day covers "answered it that evening" without reaching next week's.
REPLY_WINDOW = timedelta(hours=24)
QUOTE_TYPE = "http://schema.skype.com/Reply"

_QUOTE = re.compile(r"<blockquote\b(?P<attrs>[^>]*)>.*?</blockquote>", re.IGNORECASE | re.DOTALL)
_ITEM_ID = re.compile(r"\bitemid\s*=\s*\"(?P<id>[^\"]+)\"", re.IGNORECASE)
_BREAK = re.compile(r"<\s*(?:br|/p|/div)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A quoted reply: the quoted message's id and what the person wrote under it."""

    message_id: str
    text: str


def quoted_reply(activity: Activity) -> Quote | None:
    """The message an activity quotes (Teams' "Reply" in a chat), if it quotes one."""
    for attachment in activity.attachments or []:
        if (attachment.content_type or "").lower() != "text/html":
            continue
        content = attachment.content
        if not isinstance(content, str):
            continue
        for match in _QUOTE.finditer(content):
            attrs = match.group("attrs")
            item = _ITEM_ID.search(attrs)
            if QUOTE_TYPE in attrs and item is not None:
                # What follows the quote is the reply; the quote itself is the nudge's text.
                own = _QUOTE.sub(" ", content)
                return Quote(message_id=html.unescape(item.group("id")), text=_plain(own))
    return None


def _plain(markup: str) -> str:
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", markup)))
    lines = [" ".join(line.split()) for line in text.replace("\u00a0", " ").splitlines()]
    return "\n".join(line for line in lines if line)


def explicit_thread(activity: Activity) -> tuple[str, str] | None:
    """``(nudge message id, reply text)`` for a message that names the message it answers."""
    quote = quoted_reply(activity)
    if quote is not None and quote.text:
        return quote.message_id, quote.text
    if activity.reply_to_id:
        return activity.reply_to_id, translate.clean_text(activity)
    return None


def _latest_sent() -> Select[tuple[str]]:
    d, s = nudge_deliveries.c, nudge_subscriptions.c
    return (
        select(d.message_ref)
        .join(nudge_subscriptions, d.subscription_id == s.id)
        .where(
            d.platform == translate.PLATFORM,
            d.workspace_id == bindparam("tenant_id"),
            d.user_id == bindparam("user_id"),
            s.conversation_id == "",
            d.status == "sent",
            d.message_ref != "",
            d.sent_at > bindparam("earliest"),
            d.sent_at <= bindparam("now"),
        )
        .order_by(d.sent_at.desc())
        .limit(1)
    )


# Built once: this runs on every personal message, and building it cost more than running it.
_LATEST_SENT = _latest_sent()


class NudgeThreads:
    """Finds the latest nudge sent to a person's personal chat, for rule 3 above."""

    def __init__(self, engine: Engine, *, window: timedelta = REPLY_WINDOW) -> None:
        self._engine = engine
        self.window = window

    def latest_unanswered(
        self, *, tenant_id: str, user_id: str, last_seen: datetime | None, now: datetime
    ) -> str:
        """The id of the latest nudge sent to the person after they last wrote, or "".

        Only personal nudges (a channel's have no ``user_id``), only within the window.
        """
        with self._engine.connect() as conn:
            return self.latest_unanswered_in(
                conn, tenant_id=tenant_id, user_id=user_id, last_seen=last_seen, now=now
            )

    def latest_unanswered_in(
        self,
        conn: Connection,
        *,
        tenant_id: str,
        user_id: str,
        last_seen: datetime | None,
        now: datetime,
    ) -> str:
        """:meth:`latest_unanswered` on ``conn``, inside the turn's one transaction."""
        earliest = now - self.window
        if last_seen is not None and last_seen > earliest:
            earliest = last_seen
        found = conn.execute(
            _LATEST_SENT,
            {"tenant_id": tenant_id, "user_id": user_id, "earliest": earliest, "now": now},
        )
        return str(found.scalar() or "")
