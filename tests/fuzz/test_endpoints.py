"""Hostile input against the whole app: both endpoints, never a 5xx, and still serving after.

The adapters' own suites fuzz each endpoint in isolation (``tests/adapters/slack/test_handler``
mutates recorded Slack payloads by replacement; ``tests/adapters/teams/test_endpoint`` swaps
each top-level Teams field for a wrong-typed value). These tests add what those do not reach:
the app as ``coach serve`` builds it (both platforms mounted, the body-size cap), random bytes
and content types on both paths, signed and unsigned, bodies over the cap, JSON nested far past
the parser's recursion limit, nested deletions and mistypings in every recorded payload
(including slash commands and Teams activities), and unknown event and activity types.

Every example must get a 2xx or 4xx; each test ends by checking that a normal Slack command
and a normal Teams message are still answered. Hypothesis runs derandomized, without an
example database, with a bounded number of examples, so a CI run is repeatable and quick.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.serve import MAX_BODY_BYTES
from tests.adapters.slack.harness import PAYLOADS as SLACK_PAYLOADS
from tests.adapters.teams.harness import PAYLOADS as TEAMS_PAYLOADS
from tests.fuzz.server import FORM, JSON, SLACK, TEAMS, AppInThread

# Derandomized: the same examples every run, so a failure in CI reproduces locally.
FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppInThread]:
    """One app for the module: hypothesis examples share it, as real traffic would."""
    with AppInThread(tmp_path_factory.mktemp("fuzz")) as running:
        yield running


def _ok(status: int) -> bool:
    return 200 <= status < 300 or 400 <= status < 500


# --- random bytes and wrong content types -------------------------------------------------

_CONTENT_TYPES = st.sampled_from(
    [
        JSON,
        FORM,
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
        "application/json; charset=no-such-charset",
        "application/octet-stream",
        "",
        "\u00e9/\u00e9",
    ]
)
_BODIES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(str.encode),
    st.builds(lambda s: ("payload=" + s).encode(), st.text(max_size=100)),
    st.builds(lambda s: ('{"type": ' + s).encode(), st.text(max_size=50)),
)


def test_random_bytes_and_content_types_never_get_a_5xx(app: AppInThread) -> None:
    @FUZZ
    @given(
        path=st.sampled_from([SLACK, TEAMS]),
        body=_BODIES,
        content_type=_CONTENT_TYPES,
        signed=st.booleans(),
    )
    def run(path: str, body: bytes, content_type: str, signed: bool) -> None:
        status = app.post(path, body, content_type=content_type or None, signed=signed)
        assert _ok(status), (path, body, content_type, signed, status)
        if path == SLACK and not signed:
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                assert status == 400  # refused as not UTF-8 before the check: nothing to learn
            else:
                assert status == 401  # the signature is checked before the body is parsed

    run()
    app.assert_still_serving()


# --- bodies over the cap -------------------------------------------------------------------


@pytest.mark.parametrize("path", [SLACK, TEAMS])
@pytest.mark.parametrize("signed", [True, False])
@pytest.mark.parametrize("size", [MAX_BODY_BYTES + 1, 8 * MAX_BODY_BYTES])
def test_bodies_over_the_cap_get_413(app: AppInThread, path: str, signed: bool, size: int) -> None:
    # Valid-looking JSON all the way, so only the size can be what the server refuses.
    body = b'{"type": "message", "text": "' + b"x" * size + b'"}'
    assert app.post(path, body, signed=signed) == 413
    app.assert_still_serving()


@pytest.mark.parametrize("path", [SLACK, TEAMS])
def test_a_body_just_under_the_cap_is_parsed_not_refused(app: AppInThread, path: str) -> None:
    # The cap refuses size alone: a body one byte under it reaches the parser (a 4xx for the
    # wrong shape, not a 413), so the 413 above is the cap and not some other limit.
    prefix, suffix = b'{"type": "x", "pad": "', b'"}'
    body = prefix + b"x" * (MAX_BODY_BYTES - len(prefix) - len(suffix) - 1) + suffix
    status = app.post(path, body)
    assert status != 413
    assert _ok(status), status


# --- deeply nested JSON --------------------------------------------------------------------


def _nested(depth: int, *, leaf: Any = 1, as_list: bool) -> str:
    opening, closing = ("[", "]") if as_list else ('{"a": ', "}")
    return opening * depth + json.dumps(leaf) + closing * depth


@pytest.mark.parametrize("depth", [50, 900, 990, 5_000, 100_000])
@pytest.mark.parametrize("as_list", [True, False])
def test_deeply_nested_json_never_gets_a_5xx(app: AppInThread, depth: int, as_list: bool) -> None:
    nested = _nested(depth, as_list=as_list)
    slack_envelope = (
        '{"type": "event_callback", "team_id": "T0001", "api_app_id": "A0001", '
        f'"event_id": "{app.unique()}", "event": {{"type": "message", "channel_type": "im", '
        f'"user": "U1", "channel": "D1", "text": "hi", "blocks": {nested}}}}}'
    )
    activity = _teams("personal_message", app)
    teams_envelope = json.dumps(activity)[:-1] + f', "channelData": {nested}, "value": {nested}}}'
    cases = [
        (SLACK, nested.encode(), JSON),
        (SLACK, slack_envelope.encode(), JSON),
        (SLACK, urlencode({"payload": nested}).encode(), FORM),
        (TEAMS, nested.encode(), JSON),
        (TEAMS, teams_envelope.encode(), JSON),
    ]
    for path, body, content_type in cases:
        status = app.post(path, body, content_type=content_type)
        assert _ok(status), (path, depth, as_list, body[:120], status)
    app.assert_still_serving()


# --- recorded payloads with fields deleted or mistyped, anywhere in the tree ---------------

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
_DELETE = object()


def _slack(name: str) -> Any:
    return json.loads((SLACK_PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


def _teams(name: str, app: AppInThread) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEAMS_PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data["serviceUrl"] = app.service_url
    data["id"] = app.unique()
    return data


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _mutate(body: Any, path: tuple[Any, ...], value: Any) -> None:
    node = body
    for step in path[:-1]:
        node = node[step]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = copy.deepcopy(value)


def _safe_urls(body: Any, app: AppInThread) -> Any:
    """Point every URL the app would call back at the fakes: a test never leaves loopback."""
    if isinstance(body, dict):
        fixed = {k: _safe_urls(v, app) for k, v in body.items()}
        if "response_url" in fixed:
            fixed["response_url"] = app.response_url
        if "serviceUrl" in fixed and isinstance(fixed["serviceUrl"], str):
            fixed["serviceUrl"] = app.service_url
        return fixed
    if isinstance(body, list):
        return [_safe_urls(v, app) for v in body]
    return body


_SLACK_RECORDED = sorted(p.stem for p in SLACK_PAYLOADS.glob("*.json"))
_TEAMS_RECORDED = sorted(p.stem for p in TEAMS_PAYLOADS.glob("*.json"))


def _encode_slack(name: str, body: Any) -> tuple[bytes, str]:
    if name == "slash_command" and isinstance(body, dict):
        # A slash command is a flat form: anything nested arrives as its JSON text.
        flat = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        return urlencode(flat).encode(), FORM
    if name.startswith(("block_actions", "view_submission")):
        return urlencode({"payload": json.dumps(body)}).encode(), FORM
    return json.dumps(body).encode(), JSON


def test_recorded_payloads_with_deleted_or_mistyped_fields_never_get_a_5xx(
    app: AppInThread,
) -> None:
    @FUZZ
    @given(
        platform=st.sampled_from(["slack", "teams"]),
        slack_name=st.sampled_from(_SLACK_RECORDED),
        teams_name=st.sampled_from(_TEAMS_RECORDED),
        picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=3),
        values=st.lists(st.just(_DELETE) | _values, min_size=3, max_size=3),
    )
    def run(
        platform: str, slack_name: str, teams_name: str, picks: list[int], values: list[Any]
    ) -> None:
        body: Any = _slack(slack_name) if platform == "slack" else _teams(teams_name, app)
        for pick, value in zip(picks, values, strict=False):
            paths = _paths(body)
            if not paths:
                break
            _mutate(body, paths[pick % len(paths)], value)
        body = _safe_urls(body, app)
        if isinstance(body, dict) and "event_id" in body:
            body["event_id"] = app.unique()  # never a replay: every example reaches the code
        if platform == "slack":
            raw, content_type = _encode_slack(slack_name, body)
            status = app.post(SLACK, raw, content_type=content_type)
        else:
            status = app.post(TEAMS, json.dumps(body).encode(), signed=False)
        # An invoke the bot does not handle is answered 501, as the Bot Framework protocol says.
        unhandled_invoke = platform == "teams" and status == 501 and body.get("type") == "invoke"
        assert _ok(status) or unhandled_invoke, (platform, slack_name, teams_name, body, status)

    run()
    app.assert_still_serving()


# --- unknown event and activity types ------------------------------------------------------

_names = st.text(min_size=1, max_size=30) | st.sampled_from(
    [
        "reaction_added",
        "team_join",
        "channel_created",
        "shortcut",
        "message_action",
        "block_suggestion",
        "view_closed",
        "interactive_message",
        "dialog_submission",
        "typing",
        "endOfConversation",
        "event",
        "trace",
        "handoff",
        "suggestion",
        "delete",
        "messageReaction",
        "messageUpdate",
        "messageDelete",
        "command",
        "commandResult",
    ]
)


def test_unknown_event_and_activity_types_never_get_a_5xx(app: AppInThread) -> None:
    @FUZZ
    @given(where=st.sampled_from(["event", "envelope", "interaction", "activity"]), name=_names)
    def run(where: str, name: str) -> None:
        if where == "activity":
            activity = _teams("personal_message", app) | {"type": name}
            status = app.post(TEAMS, json.dumps(activity).encode(), signed=False)
            assert _ok(status), (name, status)
            return
        if where == "interaction":
            body = _safe_urls(_slack("block_actions") | {"type": name}, app)
            raw, content_type = urlencode({"payload": json.dumps(body)}).encode(), FORM
        else:
            body = _slack("message_im") | {"event_id": app.unique()}
            if where == "event":
                body["event"] = body["event"] | {"type": name}
            else:
                body["type"] = name
            raw, content_type = json.dumps(body).encode(), JSON
        status = app.post(SLACK, raw, content_type=content_type)
        assert _ok(status), (where, name, status)

    run()
    app.assert_still_serving()
