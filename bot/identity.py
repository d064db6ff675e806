"""Who someone is, on which platform, and where they spoke: one frozen value for every use.

A :class:`Who` names a person (``user_id`` set), a channel (``user_id`` empty,
``conversation_id`` set), or a person in a particular conversation (both set). The same
value keys a journal (:attr:`Who.person`), a nudge subscription, a proactive send and what
arrived with a message or a button press, so nothing is copied field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Platform(StrEnum):
    """Where the coach is used. ``StrEnum``: equal to, and stored as, its plain name."""

    SLACK = "slack"
    TEAMS = "teams"
    CONSOLE = "console"

    # What a platform can do, said once here so that no command asks which platform it is on.
    @property
    def fills_forms(self) -> bool:
        """Whether a card with several inputs can be filled in at once (a modal, a form card).

        The console cannot: a command that collects several answers asks one at a time there.
        """
        return self is not Platform.CONSOLE

    @property
    def delivers_nudges(self) -> bool:
        """Whether the coach can write first (weekly nudges); the console only answers."""
        return self is not Platform.CONSOLE


@dataclass(frozen=True, slots=True, kw_only=True)
class Who:
    """One person or channel on one platform in one workspace (Slack team, Teams tenant).

    Example:
        >>> alice = Who(platform=Platform.SLACK, workspace_id="T1", user_id="U1")
        >>> Who(platform=Platform.SLACK, workspace_id="T1", conversation_id="C1").is_channel
        True
        >>> alice.in_conversation("D1").person == alice
        True
    """

    platform: Platform
    workspace_id: str = ""
    user_id: str = ""
    # Where they spoke or where to post: a channel, a DM, a Teams conversation; "" for none.
    conversation_id: str = ""

    @property
    def is_channel(self) -> bool:
        """True for a channel (a channel subscription belongs to the channel, not a person)."""
        return not self.user_id

    @property
    def person(self) -> Who:
        """The same person without the conversation: the key for their own data."""
        return replace(self, conversation_id="") if self.conversation_id else self

    @property
    def channel(self) -> Who:
        """The conversation they spoke in, as a channel (no person)."""
        return replace(self, user_id="")

    def in_conversation(self, conversation_id: str) -> Who:
        """The same person, in ``conversation_id``."""
        return replace(self, conversation_id=conversation_id)


# Who "local" is in the console and in tests: one person, no workspace.
CONSOLE_USER = Who(platform=Platform.CONSOLE, user_id="local")
