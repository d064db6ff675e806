"""Is a parsed body shaped like something Slack sends? A cheap structural check before Bolt.

Bolt assumes Slack's shapes: it reads ``body["user"]["id"]``, matches ``action_id`` against a
pattern, and so on, and answers 500 when a field has another type. A signed body can only come
from someone holding the signing secret, but a bug on either side should still be a 400, not a
crash. So every field that Bolt or our listeners read is checked for its type here; the rest of
the payload is left alone, so real events with extra fields pass untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_EVENT_TYPES = frozenset({"event_callback", "url_verification", "app_rate_limited"})
_INTERACTIVE_TYPES = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
    }
)
# The string fields Bolt or the listeners read, by where they appear.
_TOP_STRINGS = (
    "type",
    "command",
    "text",
    "user_id",
    "team_id",
    "channel_id",
    "enterprise_id",
    "response_url",
    "trigger_id",
    "api_app_id",
    "event_id",
    "challenge",
    "thread_ts",
    "function_execution_id",
    "bot_access_token",
)
_EVENT_STRINGS = (
    "type",
    "subtype",
    "text",
    "user_team",
    "thread_ts",
    "ts",
    "channel_type",
    "bot_id",
    "tab",
    "function_execution_id",
    "bot_access_token",
)
_VIEW_STRINGS = (
    "id",
    "type",
    "callback_id",
    "private_metadata",
    "app_installed_team_id",
    "team_id",
)
_CONTAINER_STRINGS = ("type", "channel_id", "thread_ts", "message_ts", "view_id")
_ACTION_STRINGS = ("type", "action_id", "block_id", "value")
_AUTH_STRINGS = ("team_id", "enterprise_id", "user_id")
# Fields that are either a string id or an object with string ids.
_IDS = ("user", "team", "channel", "enterprise")
# Objects that hold a message or event, read the same way as the top level.
_EVENT_LIKE = ("event", "message", "previous_message", "item", "assistant_thread")


def is_slack_shape(body: object) -> bool:
    """True when ``body`` is a Slack request Bolt can route without tripping over a type."""
    if not isinstance(body, Mapping) or not body or not _well_typed(body):
        return False
    kind = body.get("type")
    if isinstance(body.get("command"), str):
        return str(body["command"]).startswith("/")
    if body.get("ssl_check") is not None:
        return True
    if kind == "url_verification":
        return isinstance(body.get("challenge"), str)
    if kind == "event_callback":
        event = body.get("event")
        return isinstance(event, Mapping) and isinstance(event.get("type"), str)
    if kind == "block_actions":
        actions = body.get("actions")
        return (
            isinstance(actions, list)
            and bool(actions)
            and all(isinstance(a.get("action_id"), str) for a in actions)
        )
    if kind in ("view_submission", "view_closed"):
        return isinstance(body.get("view"), Mapping)
    return kind in _EVENT_TYPES or kind in _INTERACTIVE_TYPES


# Top-level keys that must hold an object or a list (see _well_typed_nested).
_STRUCTURED = frozenset(
    (*_EVENT_LIKE, "view", "container", "actions", "authorizations", "response_urls")
)


def _well_typed(body: Mapping[str, Any]) -> bool:
    if all(isinstance(value, str) for value in body.values()):
        # A form's fields (every slash command): each string check passes, so the body is
        # well typed unless it names a key that must hold an object. Same answer as the full
        # walk below (a property test checks), in a fraction of the time.
        return _STRUCTURED.isdisjoint(body)
    return _well_typed_nested(body)


def _well_typed_nested(body: Mapping[str, Any]) -> bool:
    if not _strings(body, _TOP_STRINGS) or not _ids(body):
        return False
    for key in _EVENT_LIKE:
        node = body.get(key)
        if node is None:
            continue
        if not isinstance(node, Mapping) or not _strings(node, _EVENT_STRINGS) or not _ids(node):
            return False
        for inner in _EVENT_LIKE:
            nested = node.get(inner)
            if nested is not None and (not isinstance(nested, Mapping) or not _ids(nested)):
                return False
        if not _object(node, "view", _VIEW_STRINGS):
            return False
    if not _object(body, "view", _VIEW_STRINGS) or not _object(
        body, "container", _CONTAINER_STRINGS
    ):
        return False
    view = body.get("view")
    if isinstance(view, Mapping) and not _object(view, "state", ()):
        return False
    if not _list(body, "actions", _ACTION_STRINGS) or not _list(
        body, "authorizations", _AUTH_STRINGS
    ):
        return False
    if not _list(body, "response_urls", ("response_url",)):
        return False
    return not (
        body.get("is_ext_shared_channel") is True and not isinstance(body.get("event"), Mapping)
    )


def _strings(node: Mapping[str, Any], keys: tuple[str, ...]) -> bool:
    return all(node.get(k) is None or isinstance(node[k], str) for k in keys)


def _ids(node: Mapping[str, Any]) -> bool:
    for key in _IDS:
        value = node.get(key)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, Mapping) or not _strings(
            value, ("id", "team_id", "enterprise_id")
        ):
            return False
    return True


def _object(node: Mapping[str, Any], key: str, strings: tuple[str, ...]) -> bool:
    value = node.get(key)
    return value is None or (isinstance(value, Mapping) and _strings(value, strings))


def _list(node: Mapping[str, Any], key: str, strings: tuple[str, ...]) -> bool:
    value = node.get(key)
    if value is None:
        return True
    return isinstance(value, list) and all(
        isinstance(v, Mapping) and _strings(v, strings) for v in value
    )
