"""Escaping and bounded text: nothing a person typed can ping anyone, nothing exceeds a limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.escape import ELLIPSIS, escape, mrkdwn, plain, split, truncate, unescape


def test_escape_turns_pings_into_plain_text() -> None:
    assert escape("<!channel> <!here> <@U123> a & b") == (
        "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; a &amp; b"
    )


def test_escape_escapes_ampersand_first_so_nothing_doubles() -> None:
    assert escape("&lt;") == "&amp;lt;"
    assert unescape(escape("&lt; <b> &")) == "&lt; <b> &"


def test_mrkdwn_keeps_the_core_bold_markup() -> None:
    assert mrkdwn("*Tel* <x>") == "*Tel* &lt;x&gt;"


def test_plain_drops_bold_markers() -> None:
    assert plain("*Bold* & <b>") == "Bold &amp; &lt;b&gt;"


@given(st.text())
def test_escaped_text_has_no_markup_characters(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped
    assert ">" not in escaped
    assert unescape(escaped) == text


def test_truncate_marks_the_cut() -> None:
    assert truncate("short", 10) == "short"
    cut = truncate("one two three four five six", 12)
    assert len(cut) <= 12
    assert cut.endswith(ELLIPSIS)


def test_truncate_never_splits_an_entity() -> None:
    cut = truncate("ab &amp; cd", 6)
    assert "&am" not in cut
    assert cut.endswith(ELLIPSIS)


@given(st.text(), st.integers(min_value=2, max_value=200))
def test_truncate_respects_the_limit(text: str, limit: int) -> None:
    assert len(truncate(text, limit)) <= limit


@given(
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=2000), st.integers(10, 300)
)
def test_split_pieces_fit_and_keep_the_words(text: str, limit: int) -> None:
    pieces = split(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())
