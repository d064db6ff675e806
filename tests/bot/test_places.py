"""The place gazetteer: "contact <place>" finds the right academy, from the shipped table.

Everything here runs against the real ``content/places`` files (no fakes), so a change to the
data or the build that sends Leeds to the wrong academy fails a test.
"""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.places import ACADEMIES, Gazetteer, PlaceHit, normalise, place_key
from scripts.places import BuildError, build

ROOT = Path(__file__).resolve().parents[2]
PLACES_DIR = ROOT / "content" / "places"
SOURCE_DIR = ROOT.parent / "shared" / "data" / "places"

EM, EOE, KSS, LON = "East Midlands", "East of England", "Kent, Surrey and Sussex", "London"
NE, NW, SW, TVW = "North East", "North West", "South West", "Thames Valley and Wessex"
WM, YH = "West Midlands", "Yorkshire and the Humber"

needs_source = pytest.mark.skipif(
    not (SOURCE_DIR / "uk_local_authorities.csv").exists(),
    reason=f"source data not checked out at {SOURCE_DIR}; cannot rebuild places.csv",
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(PLACES_DIR)


# --------------------------------------------------------------------------- single answers


@pytest.mark.parametrize(
    ("text", "academy"),
    [
        ("Leeds", YH),
        ("leeds.", YH),
        ("Leeds area", YH),
        ("Kent", KSS),
        ("Hull", YH),
        ("Kingston upon Hull", YH),
        ("Brighton", KSS),
        ("York", YH),
        ("Yorkshire", YH),
        ("the North East", NE),
        ("East Midlands", EM),
        ("Thames Valley", TVW),
        ("Wessex", TVW),
        ("Sussex", KSS),
        ("Devon", SW),
        ("Cornwall", SW),
        ("Guildford", KSS),
        ("Slough", TVW),
        ("Ipswich", EOE),
        ("Sunderland", NE),
        ("Coventry", WM),
        ("Leicester", EM),
        ("Liverpool", NW),
        ("Hampshire", TVW),
        ("London", LON),
        ("Camden", LON),
        ("Bristol", SW),
        ("in Bristol", SW),
        ("leadership courses in Bristol?", SW),
        ("Newcastle upon Tyne", NE),
        ("Newcastle-under-Lyme", WM),
        ("Stoke-on-Trent", WM),
        ("stoke on trent", WM),
        ("St Albans", EOE),
        ("Saint Albans", EOE),
        ("King's Lynn", EOE),
        ("Welwyn Garden City", EOE),
        ("City of London", LON),
        ("Middlesbrough", NE),
        ("Peterborough", EOE),
        ("Lincolnshire", EM),
        ("Derbyshire", EM),
        ("Cheshire", NW),
        ("Cumbria", NW),
        ("Berkshire", TVW),
        ("Greater Manchester", NW),
        ("Humberside", YH),
        ("Black Country", WM),
        ("Hants", TVW),
        ("Yorkshire and the Humber", YH),
        ("Kent, Surrey and Sussex", KSS),
        ("I am a nurse manager near Scarborough", YH),
    ],
)
def test_places_in_one_academy(gazetteer: Gazetteer, text: str, academy: str) -> None:
    hit = gazetteer.lookup(text)
    assert hit is not None, text
    assert hit.academies == (academy,), (text, hit)
    assert hit.note == ""
    assert hit.score >= 90


@pytest.mark.parametrize(
    ("council", "academy"),
    [
        # The South East splits by ceremonial county, unitary councils included.
        ("Medway", KSS),
        ("Brighton and Hove", KSS),
        ("Crawley", KSS),
        ("Worthing", KSS),
        ("Eastbourne", KSS),
        ("Woking", KSS),
        ("Tunbridge Wells", KSS),
        ("Surrey", KSS),
        ("West Sussex", KSS),
        ("East Sussex", KSS),
        ("Reading", TVW),
        ("Wokingham", TVW),
        ("Bracknell Forest", TVW),
        ("West Berkshire", TVW),
        ("Windsor and Maidenhead", TVW),
        ("Milton Keynes", TVW),
        ("Buckinghamshire", TVW),
        ("Oxfordshire", TVW),
        ("Oxford", TVW),
        ("Southampton", TVW),
        ("Portsmouth", TVW),
        ("Isle of Wight", TVW),
        ("Basingstoke and Deane", TVW),
        ("Aylesbury Vale", TVW),  # former district, now Buckinghamshire
    ],
)
def test_south_east_splits_by_county(gazetteer: Gazetteer, council: str, academy: str) -> None:
    hit = gazetteer.lookup(council)
    assert hit is not None
    assert hit.academies == (academy,)


def test_every_academy_answers_to_its_own_name(gazetteer: Gazetteer) -> None:
    for academy in ACADEMIES:
        hit = gazetteer.lookup(academy)
        assert hit is not None
        assert hit.academies == (academy,)
        assert hit.place == academy
        assert hit.score == 100


# --------------------------------------------------------------------------- postcodes


@pytest.mark.parametrize("text", ["LS6 3AB", "ls6 3ab", "ls63ab", "LS63AB", "  LS6   3AB ", "LS6"])
def test_postcodes_are_case_and_space_insensitive(gazetteer: Gazetteer, text: str) -> None:
    hit = gazetteer.lookup(text)
    assert hit is not None
    assert hit.place == "LS6"
    assert hit.academies == (YH,)


def test_full_postcode_is_more_certain_than_a_district(gazetteer: Gazetteer) -> None:
    full, district = gazetteer.lookup("LS6 3AB"), gazetteer.lookup("LS6")
    assert full is not None
    assert district is not None
    assert full.score == 100
    assert 90 <= district.score < full.score


@pytest.mark.parametrize(
    ("text", "academies"),
    [
        ("M1 1AE", (NW,)),
        ("SW1A 1AA", (LON,)),
        ("PO19 1AB", (KSS,)),  # Chichester: Portsmouth postcode, West Sussex
        ("PO30 1AB", (TVW,)),  # Newport, Isle of Wight
        ("GU15 3AB", (KSS,)),  # Camberley, Surrey
        ("GU14 6AB", (TVW,)),  # Farnborough, Hampshire
        ("RG1 1AA", (TVW,)),
        ("BN1 1AA", (KSS,)),
        ("ST5 1AA", (WM,)),
        ("NE1 4ST", (NE,)),
        ("DT1 1AA", (TVW, SW)),  # Dorset
    ],
)
def test_postcode_districts(gazetteer: Gazetteer, text: str, academies: tuple[str, ...]) -> None:
    hit = gazetteer.lookup(text)
    assert hit is not None
    assert hit.academies == academies


def test_unknown_district_falls_back_to_a_single_academy_area(gazetteer: Gazetteer) -> None:
    hit = gazetteer.lookup("LS30 1AA")  # no LS30 district, but every LS district is Yorkshire
    assert hit is not None
    assert hit.place == "LS30"
    assert hit.academies == (YH,)
    assert hit.score < 90


def test_unknown_district_in_a_split_area_is_not_guessed(gazetteer: Gazetteer) -> None:
    # GU spans Surrey (Kent, Surrey and Sussex) and Hampshire (Thames Valley and Wessex).
    assert gazetteer.lookup("GU40 1AA") is None


@pytest.mark.parametrize("text", ["B2B", "A1", "Q1 1AA", "ZZ9 9ZZ"])
def test_things_shaped_a_bit_like_postcodes_are_not_places(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.lookup(text) is None


# --------------------------------------------------------------------------- more than one academy


def test_newcastle_is_tyneside_first_and_mentions_the_smaller_one(gazetteer: Gazetteer) -> None:
    for text in ("Newcastle", "the leadership academy in Newcastle?"):
        hit = gazetteer.lookup(text)
        assert hit is not None
        assert hit.academies[0] == NE
        assert WM in hit.academies
        assert "Newcastle-under-Lyme" in hit.note
        assert hit.score == 100


def test_midlands_is_ambiguous(gazetteer: Gazetteer) -> None:
    hit = gazetteer.lookup("Midlands")
    assert hit is not None
    assert set(hit.academies) == {EM, WM}
    assert hit.note


def test_near_equal_namesakes_are_ambiguous(gazetteer: Gazetteer) -> None:
    hit = gazetteer.lookup("Kingston")
    assert hit is not None
    assert set(hit.academies) == {YH, LON}
    assert "Kingston upon Hull" in hit.note
    assert "Kingston upon Thames" in hit.note


def test_the_south_east_has_two_academies(gazetteer: Gazetteer) -> None:
    hit = gazetteer.lookup("South East")
    assert hit is not None
    assert set(hit.academies) == {KSS, TVW}
    assert hit.note


@pytest.mark.parametrize(
    "text", ["Dorset", "Bournemouth", "Poole", "Christchurch", "Weymouth", "Dorchester"]
)
def test_dorset_gets_both_academies_with_a_reason(gazetteer: Gazetteer, text: str) -> None:
    hit = gazetteer.lookup(text)
    assert hit is not None
    assert hit.academies[:2] == (TVW, SW)
    assert "Wessex" in hit.note


def test_england_lists_all_ten(gazetteer: Gazetteer) -> None:
    hit = gazetteer.lookup("England")
    assert hit is not None
    assert sorted(hit.academies) == sorted(ACADEMIES)
    assert hit.note


@pytest.mark.parametrize(
    ("text", "academies"),
    [
        ("Richmond, North Yorkshire", (YH,)),
        ("Kingston, London", (LON,)),
        ("Newport, Isle of Wight", (TVW,)),
        ("Leeds, West Yorkshire", (YH,)),
        ("March in Yorkshire", (YH,)),
    ],
)
def test_a_county_named_alongside_settles_the_town(
    gazetteer: Gazetteer, text: str, academies: tuple[str, ...]
) -> None:
    hit = gazetteer.lookup(text)
    assert hit is not None
    assert hit.academies == academies


def test_a_narrowed_namesake_shows_the_name_typed(gazetteer: Gazetteer) -> None:
    hit = gazetteer.lookup("Kingston, London")
    assert hit is not None
    assert hit.place == "Kingston"


# --------------------------------------------------------------------------- outside England


@pytest.mark.parametrize(
    ("text", "nation"),
    [
        ("Glasgow", "Scotland"),
        ("Edinburgh", "Scotland"),
        ("EH1 1YZ", "Scotland"),
        ("Cardiff", "Wales"),
        ("CF10 1AA", "Wales"),
        ("Belfast", "Northern Ireland"),
        ("BT1 1AA", "Northern Ireland"),
        ("Scotland", "England only"),
        ("Jersey", "Crown Dependency"),
        ("GY1 1AA", "Guernsey"),
    ],
)
def test_outside_england_has_no_academy_and_says_why(
    gazetteer: Gazetteer, text: str, nation: str
) -> None:
    hit = gazetteer.lookup(text)
    assert hit is not None
    assert hit.academies == ()
    assert nation in hit.note
    assert "England only" in hit.note


def test_glasgow_note_reads_naturally(gazetteer: Gazetteer) -> None:
    hit = gazetteer.lookup("Glasgow")
    assert hit == PlaceHit(
        place="Glasgow",
        academies=(),
        note="Glasgow is in Scotland; these academies serve England only.",
        score=100.0,
    )


# --------------------------------------------------------------------------- typos and garbage


@pytest.mark.parametrize(
    ("text", "place", "academy"),
    [
        ("Manchestr", "Manchester", NW),
        ("Birmingam", "Birmingham", WM),
        ("Sheffeld", "Sheffield", YH),
        ("Notingham", "Nottingham", EM),
        ("phone number for the academy around Sheffeld please", "Sheffield", YH),
        ("Newcastel", "Newcastle upon Tyne", NE),
        ("Middlesborough", "Middlesbrough", NE),
        ("Milton Keyns", "Milton Keynes", TVW),  # not "Milton", though that is a place too
        ("Kingston upon Hul", "Kingston upon Hull", YH),
        ("Stoke on Trnt", "Stoke-on-Trent", WM),
    ],
)
def test_typos_of_well_known_places(
    gazetteer: Gazetteer, text: str, place: str, academy: str
) -> None:
    hit = gazetteer.lookup(text)
    assert hit is not None
    assert hit.place == place
    assert hit.academies[0] == academy
    assert 75 <= hit.score < 90  # less sure than an exact match


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?!",
        "Atlantis",
        "zxcvbnm",
        "weather tomorrow",
        "phone number",
        "contact details please",
        "what is the number for the academy near me",
        "the leadership academy",
        "in the area",
        "help me with my team meeting",
        "Narnia",
        "Paris",
        "the city",
        "budgets and rotas for next quarter",
        "🙂🙂🙂",
        # Near-words of place names must not be read as typos of them.
        "wellbeing",  # Welling
        "working",  # Woking
        "workshop",  # Worksop
        "staff",  # Staffs
        "action",  # Acton
        "trying",  # Tring
    ],
)
def test_non_places_are_none(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.lookup(text) is None


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400))
def test_lookup_never_fails_and_answers_are_well_formed(gazetteer: Gazetteer, text: str) -> None:
    hit = gazetteer.lookup(text)
    if hit is not None:
        assert set(hit.academies) <= set(ACADEMIES)
        assert len(set(hit.academies)) == len(hit.academies)
        assert 0 <= hit.score <= 100
        assert hit.place
        assert hit.note or len(hit.academies) == 1


# --------------------------------------------------------------------------- the table


def test_every_row_is_well_formed_and_notes_appear_when_needed() -> None:
    lines = (PLACES_DIR / "places.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(lines))
    assert len(rows) > 5000
    for row in rows:
        academies = [a for a in row["academies"].split("|") if a]
        assert set(academies) <= set(ACADEMIES), row
        if len(academies) != 1:
            assert row["note"], row
        if row["kind"] not in {"postcode_district", "postcode_area"}:
            assert row["key"] == place_key(row["key"]), row


def test_table_is_compact() -> None:
    size = (PLACES_DIR / "places.csv").stat().st_size
    assert size < 800_000, f"places.csv is {size:,} bytes"


def test_place_hit_is_an_immutable_value() -> None:
    hit = PlaceHit(place="Leeds", academies=(YH,), note="", score=100.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.place = "York"  # type: ignore[misc]
    with pytest.raises(TypeError):
        PlaceHit("Leeds", (YH,), "", 100.0)  # type: ignore[call-arg]


def test_normalise_and_place_key() -> None:
    assert normalise("Stoke-on-Trent") == "stoke on trent"
    assert normalise("King’s Lynn") == "kings lynn"
    assert normalise("St. Albans") == normalise("Saint Albans") == "st albans"
    assert normalise("Brighton & Hove") == "brighton and hove"
    assert normalise("Ynys Môn") == "ynys mon"
    assert place_key("The Wirral") == "wirral"


# --------------------------------------------------------------------------- malformed tables


def _broken_copy(tmp_path: Path, line: int, replace: tuple[str, str]) -> Path:
    """Copy the real table with one edit on one line (1-based, counting the header)."""
    lines = (PLACES_DIR / "places.csv").read_text(encoding="utf-8").split("\n")
    old, new = replace
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    (tmp_path / "places.csv").write_text("\n".join(lines), encoding="utf-8")
    return tmp_path


def _line_of(key: str) -> int:
    lines = (PLACES_DIR / "places.csv").read_text(encoding="utf-8").split("\n")
    return next(number for number, text in enumerate(lines, 1) if text.startswith(f"{key},"))


@pytest.mark.parametrize(
    ("key", "replace", "message"),
    [
        ("leeds", ("Yorkshire and the Humber", "Yorkshire"), "field 'academies'"),
        ("leeds", (",district,", ",city,"), "field 'kind'"),
        (
            "leeds",
            (",district,Yorkshire and the Humber,", ",district,Yorkshire and the Humber,x"),
            "field 'weight'",
        ),
        ("leeds", ("leeds,Leeds,", "leeds,Leeds,extra,"), "fields"),
    ],
)
def test_malformed_rows_name_file_line_and_field(
    tmp_path: Path, key: str, replace: tuple[str, str], message: str
) -> None:
    line = _line_of(key)
    directory = _broken_copy(tmp_path, line, replace)
    with pytest.raises(ValueError, match=message) as caught:
        Gazetteer.load(directory)
    assert "places.csv" in str(caught.value)
    assert f"line {line}" in str(caught.value)


def test_wrong_header_is_reported(tmp_path: Path) -> None:
    directory = _broken_copy(tmp_path, 1, ("weight", "population"))
    with pytest.raises(ValueError, match=r"places\.csv: line 1"):
        Gazetteer.load(directory)


# --------------------------------------------------------------------------- the build


@needs_source
def test_build_reproduces_the_committed_table() -> None:
    text, _warnings = build(SOURCE_DIR, PLACES_DIR)
    assert text.encode("utf-8") == (PLACES_DIR / "places.csv").read_bytes(), (
        "content/places/places.csv is stale: run python -m scripts.places"
    )


@needs_source
def test_build_rejects_an_unknown_academy_in_the_overrides(tmp_path: Path) -> None:
    for name in ("unitary_counties.csv", "academy_overrides.csv"):
        shutil.copy(PLACES_DIR / name, tmp_path / name)
    overrides = tmp_path / "academy_overrides.csv"
    overrides.write_text(
        overrides.read_text(encoding="utf-8") + "name,Atlantis,region,Atlantis Academy,Testing.\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match=r"academy_overrides\.csv: line \d+: field 'academies'"):
        build(SOURCE_DIR, tmp_path)


@needs_source
def test_build_rejects_an_unknown_council_in_unitary_counties(tmp_path: Path) -> None:
    for name in ("unitary_counties.csv", "academy_overrides.csv"):
        shutil.copy(PLACES_DIR / name, tmp_path / name)
    unitaries = tmp_path / "unitary_counties.csv"
    unitaries.write_text(
        unitaries.read_text(encoding="utf-8") + "Atlantis,Berkshire\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"unitary_counties\.csv: line \d+: field 'authority'"):
        build(SOURCE_DIR, tmp_path)
