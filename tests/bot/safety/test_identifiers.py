"""The safe-reflection check: each kind, the hard negatives, and floors on the *dev* set.

The held-out part of ``tests/data/reflections_pii.jsonl`` is only scored by
``python -m bench.identifiers``; asserting on it here would invite tuning against it.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.identifiers import score
from bot.safety.identifiers import (
    MAX_CHARS,
    Kind,
    describe,
    find_identifiers,
    is_valid_nhs_number,
)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("9434765918", False),
        ("4010232137", True),
        ("9290075400", False),
        ("123456789", False),
        ("12345678901", False),
        ("94347659１9", False),
    ],
)
def test_nhs_number_check_digit(digits: str, valid: bool) -> None:
    assert is_valid_nhs_number(digits) is valid


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Chased the letter for 943 476 5919 today.", {Kind.NHS_NUMBER}),
        ("NHS no. 943-476-5919 on the label", {Kind.NHS_NUMBER}),
        ("ref 9434765919.", {Kind.NHS_NUMBER}),
        ("She was born on 9th March 1988 in Leeds.", {Kind.DATE_OF_BIRTH}),
        ("DOB: 14.02.1946", {Kind.DATE_OF_BIRTH}),
        ("date of birth was March 9, 1988", {Kind.DATE_OF_BIRTH}),
        ("12/12/1956 (DOB) on the form", {Kind.DATE_OF_BIRTH}),
        ("lives at 3 Canal Side, WN5 0PQ", {Kind.POSTCODE}),
        ("postcode sw1a 1aa", {Kind.POSTCODE}),
        ("Rang me on 0113 496 0123.", {Kind.PHONE}),
        ("mobile +44 7700 900123", {Kind.PHONE}),
        ("mail a.b@example.nhs.uk please", {Kind.EMAIL}),
        ("hospital no. K2398871", {Kind.HOSPITAL_NUMBER}),
        ("MRN is 00873421", {Kind.HOSPITAL_NUMBER}),
        ("Mrs Barraclough-Hughes chaired it", {Kind.TITLE_SURNAME}),
        ("Mr O'Sullivan waited", {Kind.TITLE_SURNAME}),
        ("Prof. McAllister asked", {Kind.TITLE_SURNAME}),
        ("Mr and Mrs Adeyemi came", {Kind.TITLE_SURNAME}),
        (
            "Mr Jones (DOB 01/02/1950, NHS 943 476 5919) at LS6 2QT",
            {Kind.TITLE_SURNAME, Kind.DATE_OF_BIRTH, Kind.NHS_NUMBER, Kind.POSTCODE},
        ),
    ],
)
def test_finds_each_kind(text: str, kinds: set[Kind]) -> None:
    assert find_identifiers(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The board meets on 14 March 2027 and the paper is due at 5pm on the 3rd.",
        "We saved £1,250,000, about 4.5%, and £38k on agency.",
        "Invoice 9290075400 and batch 1111465697 (both fail the check digit).",
        "Bed 14 on ward 23, bay C.",
        "Extension 4417 is the bed bureau.",
        "Patients in the LS6 area and along the M62 corridor.",
        "The Chair, the Dr I spoke to, and Dr, nurse, physio all came.",
        "Mr Motivator led the warm-up.",
        "The Chief Nurse and the Medical Director.",
        "Born out of frustration, the debrief caught on.",
        "The audit had twenty NHS numbers and dates of birth, which I won't copy here.",
        "Our hospital numbers and MRNs are a mess.",
        "we had 012345 steps and 0.5% growth in 2019-2020",
    ],
)
def test_clean_text_is_clean(text: str) -> None:
    assert find_identifiers(text) == frozenset()


def test_returns_kinds_never_text() -> None:
    found = find_identifiers("Mrs Okafor on 07700 900461")
    assert all(isinstance(k, Kind) for k in found)
    assert "Okafor" not in describe(found)
    assert "900461" not in describe(found)
    assert describe(found) == "a phone number and a name with a title (such as Mr Smith)"
    assert describe(frozenset()) == ""


def test_huge_and_hostile_input_is_quick() -> None:
    texts = [
        "9" * 200_000,
        "Mr " * 50_000,
        "DOB " * 50_000 + "1/1/1",
        "a@" * 50_000,
        ("MRN " + " " * 10) * 10_000,
    ]
    start = time.perf_counter()
    for text in texts:
        find_identifiers(text)
    assert time.perf_counter() - start < 5
    assert MAX_CHARS < 200_000


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_kinds(text: str) -> None:
    assert find_identifiers(text) <= set(Kind)


def test_dev_floors() -> None:
    report = score("dev")
    assert report.lines == 103
    assert report.overall.precision >= 0.95
    assert report.overall.recall >= 0.9
    assert report.false_alarm_rate <= 0.05
    for kind, s in report.kinds.items():
        assert s.recall >= 0.8, kind
        assert s.precision >= 0.8, kind
