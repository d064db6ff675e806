"""JSON response bodies (adapters/json_body.py)."""

from __future__ import annotations

import json

import pytest

from adapters.json_body import json_response


def test_a_json_body_with_its_status_and_type():
    response = json_response({"ok": False, "error": "nope – “quoted”"}, status=400)
    assert response.status == 400
    assert response.content_type == "application/json"
    assert json.loads(response.body) == {"ok": False, "error": "nope – “quoted”"}


def test_what_json_cannot_carry_is_a_type_error():
    with pytest.raises(TypeError):
        json_response({"when": object()})
