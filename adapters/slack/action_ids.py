"""Block Kit action ids: the core's ids made unique per message, and the adapter's own ids.

Slack rejects a message whose blocks repeat an ``action_id``, but the core may put two buttons
with the same id on one reply (two ``ask`` suggestions, say). The renderer numbers repeats
(``ask``, ``ask#2``) and :func:`core_action_id` strips the number off again, so the core always
gets back exactly the id it emitted.

Ids under ``slack.`` belong to the adapter (link buttons, the button that opens a form) and
never reach the core.
"""

from __future__ import annotations

import re

from adapters.slack.limits import MAX_ACTION_ID

ADAPTER_PREFIX = "slack."
LINK = "slack.link"
OPEN_FORM = "slack.form.open"
# The block id of a picker shown in place (the App Home's day and time): the input's id follows,
# and the pick comes back as the card's submit action carrying that one input.
INPUT_BLOCK_PREFIX = "slack.input."

_REPEAT = re.compile(r"#\d+$")


class ActionIds:
    """Hands out unique action ids within one message or view."""

    def __init__(self) -> None:
        # A plain dict: a Counter costs several times as much to make, once per message.
        self._seen: dict[str, int] = {}

    def unique(self, action_id: str) -> str:
        """Return ``action_id``, numbered if it was already used in this message."""
        base = action_id[: MAX_ACTION_ID - 6]
        count = self._seen.get(base, 0) + 1
        self._seen[base] = count
        return base if count == 1 else f"{base}#{count}"


def core_action_id(raw: str) -> str:
    """Return the core's action id for a Block Kit ``action_id`` (the repeat number removed)."""
    return _REPEAT.sub("", raw)


def is_adapter_action(raw: str) -> bool:
    """True for the adapter's own buttons, which are never passed to the core."""
    return raw.startswith(ADAPTER_PREFIX)
