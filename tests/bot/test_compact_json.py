"""Button values as compact JSON, whatever text they carry."""

from __future__ import annotations

import json

import pytest

from bot.compact_json import dumps


@pytest.mark.parametrize(
    "data",
    [
        {"q": "how do I lead without authority?", "o": 3},
        {"q": "café, naïve, 👩‍⚕️ and “quotes”", "o": 0},
        {"q": 'a "quoted" \\ backslash\nnew line', "o": 1},
        # A lone surrogate: a Teams client can send one escaped in its JSON.
        {"q": "broken \ud800 half", "o": 0},
        {"r": "0123456789abcdef0123", "i": "search", "ids": ["1.2", "p3"]},
    ],
)
def test_it_reads_back_as_what_was_written(data):
    text = dumps(data)
    assert json.loads(text) == data


def test_it_is_compact():
    assert dumps({"q": "x", "o": 1}) == '{"q":"x","o":1}'
