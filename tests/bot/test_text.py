"""clean(): what stays, what becomes a space and what goes, however many characters it meets."""

from __future__ import annotations

from bot.text import clean, plain


def test_letters_digits_punctuation_stay_spaces_fold_and_the_rest_goes() -> None:
    text = "Hi\tthere\u00a0\u3000caf\u00e9 №5, 数字 50% <b>bold</b> "
    text += "\x00\x07\u202e🙂 a/b+c&d'e-f $^|"
    assert clean(text) == "Hi there café No5, 数字 50% bold a/b+c&d'e-f"


def test_odd_characters_past_the_remembered_ones_are_still_cleaned() -> None:
    # The per-character table stops growing at a few thousand entries (hostile input), after
    # which characters are judged each time: the answer must not change.
    many = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 6000))  # CJK letters: all kept
    assert clean.__wrapped__(many) == many[:300]
    assert clean.__wrapped__("\u2603 snow \U0001f600 ok \u0007") == "snow ok"


def test_plain_drops_punctuation_and_case_but_keeps_emoji():
    assert plain("  Cheers, I'm off!! 👋 ") == "cheers i m off 👋"
