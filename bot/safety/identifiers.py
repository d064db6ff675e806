"""Find likely patient-identifiable information in a reflection, by kind, never by text.

Reflective notes are not legally privileged, and the regulators ask that they be anonymised
(see the README, "The safe-reflection check"). Before a reflection is saved the core asks
:func:`find_identifiers` which *kinds* of identifier it seems to contain, and holds the
reflection when there are any. The matched text is never returned, stored or logged: only the
kinds leave this module, so a caller cannot leak what it never sees.

Phone numbers come from Google's libphonenumber (the ``phonenumbers`` package), which knows
every UK numbering range. The other kinds are regular expressions written here, because no
maintained library fits: Microsoft Presidio has an NHS-number recogniser, but it needs spaCy and
a language model that is not on PyPI, and its patterns for the other UK kinds are no better
than these. Every pattern is linear (no nested quantifiers), so hostile input cannot make it
backtrack for long, and the text is bounded by :data:`MAX_CHARS` before any matching.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Final

import phonenumbers


class Kind(StrEnum):
    """A kind of identifier, as the user is told about it and as the test set labels it."""

    NHS_NUMBER = "nhs_number"
    DATE_OF_BIRTH = "date_of_birth"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    HOSPITAL_NUMBER = "hospital_number"
    TITLE_SURNAME = "title_surname"


#: How each kind is named to the user ("it looks like it contains an NHS number").
LABELS: Final[dict[Kind, str]] = {
    Kind.NHS_NUMBER: "an NHS number",
    Kind.DATE_OF_BIRTH: "a date of birth",
    Kind.POSTCODE: "a full postcode",
    Kind.PHONE: "a phone number",
    Kind.EMAIL: "an email address",
    Kind.HOSPITAL_NUMBER: "a hospital number or MRN",
    Kind.TITLE_SURNAME: "a name with a title (such as Mr Smith)",
}

#: Longer text is checked only this far. Reflections are short; the cap bounds the work.
MAX_CHARS: Final[int] = 20_000

# --- NHS numbers ---------------------------------------------------------------------------

# Ten digits, unspaced or grouped 3-3-4 with spaces or hyphens, not part of a longer number.
_NHS: Final[re.Pattern[str]] = re.compile(
    r"(?<![\d+])(\d{3})([ \-]?)(\d{3})\2(\d{4})(?![\d])(?![ \-]\d)"
)


def is_valid_nhs_number(digits: str) -> bool:
    """Whether ten ``digits`` carry a valid NHS number modulus-11 check digit.

    Args:
        digits: Exactly ten ASCII digits, no spaces.

    Returns:
        True when the tenth digit is the modulus-11 check digit of the first nine.
    """
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _has_nhs_number(text: str, *, phones: tuple[tuple[int, int], ...]) -> bool:
    for match in _NHS.finditer(text):
        if any(start <= match.start() < end for start, end in phones):
            continue  # a phone number whose digits happen to pass the check
        if is_valid_nhs_number(match.group(1) + match.group(3) + match.group(4)):
            return True
    return False


# --- dates of birth ------------------------------------------------------------------------

_MONTHS: Final[dict[str, int]] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES: Final[str] = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE: Final[str] = r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})"
_WORDY_DATE: Final[str] = (
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_NAMES})\.?,?\s+(?P<y2>\d{{4}})"
)
_US_DATE: Final[str] = (
    rf"(?P<m3>{_MONTH_NAMES})\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}})"
)
_DATE: Final[str] = rf"(?:{_NUMERIC_DATE}|{_WORDY_DATE}|{_US_DATE})(?!\d)"
# "DOB 03/11/1941", "born on 9 March 1988", "date of birth: 14.02.1946", "DOB was 29/02/1952":
# the cue, then at most a few short words or punctuation, then a full date. "dates of birth"
# with no date after it is talk about identifiers, not one.
_DOB_CUE: Final[str] = r"\b(?:d\.?o\.?b\.?|born|date\s+of\s+birth|birth\s?date|birthday)"
_DOB: Final[re.Pattern[str]] = re.compile(
    _DOB_CUE + r"[\s:=(\-,]*(?:(?:on|is|was|of)\s+)?(?:the\s+)?" + _DATE, re.I
)
_DOB_AFTER: Final[re.Pattern[str]] = re.compile(
    _DATE + r"\s*[(,]?\s*(?:d\.?o\.?b\.?|date\s+of\s+birth)\b", re.I
)


def _real_date(match: re.Match[str]) -> bool:
    groups = match.groupdict()
    day = groups["d"] or groups["d2"] or groups["d3"]
    year = groups["y"] or groups["y2"] or groups["y3"]
    month = int(groups["m"]) if groups["m"] else _MONTHS[(groups["m2"] or groups["m3"]).lower()]
    full_year = int(year) if len(year) == 4 else 1900 + int(year)
    try:
        date(full_year, month, int(day))
    except ValueError:
        return False
    return True


def _has_date_of_birth(text: str) -> bool:
    return any(_real_date(m) for m in _DOB.finditer(text)) or any(
        _real_date(m) for m in _DOB_AFTER.finditer(text)
    )


# --- postcodes -----------------------------------------------------------------------------

# A full postcode, outward and inward parts, with the letters Royal Mail allows in each place.
# Districts alone ("the LS6 area") and roads ("the M62 corridor") have no inward part.
_POSTCODE: Final[re.Pattern[str]] = re.compile(
    r"\b(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r"\s?[0-9][ABD-HJLNP-UW-Z]{2}\b",
    re.I,
)


def _has_postcode(text: str) -> bool:
    for match in _POSTCODE.finditer(text):
        raw = match.group(0)
        # Lower case typed in full is fine ("ls6 2qt"), but mixed case such as "Is 2nd" or
        # "a1 2Bc" is ordinary prose that happens to fit the shape.
        if raw.isupper() or raw.islower():
            return True
    return False


# --- phone numbers -------------------------------------------------------------------------


# A UK number has ten digits after the trunk 0 (a few old areas have nine, and are valid).
_FULL_NSN: Final[int] = 10


def _phone_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        # People write a dialable UK number with its trunk 0 or an international +. Ten bare
        # digits ("7781880491", an internal ID) are not written that way, and neither is an
        # extension ("Extension 4417"), which identifies no one.
        if not match.raw_string.lstrip("(").startswith(("0", "+")):
            continue
        # libphonenumber treats Ofcom's ranges for drama (07700 900xxx) as invalid, though they
        # are what people paste as examples; a number of full length counts as well as a valid
        # one. Shorter "possible" numbers ("012345") are too often counts or codes.
        number = match.number
        if (
            phonenumbers.is_valid_number(number)
            or len(phonenumbers.national_significant_number(number)) >= _FULL_NSN
        ):
            spans.append((match.start, match.end))
    return tuple(spans)


# --- email addresses -----------------------------------------------------------------------

_EMAIL: Final[re.Pattern[str]] = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
)

# An address is at most 254 characters. Matching token by token keeps a long run of address
# characters ("9" * 20000) linear instead of retrying the pattern from every position.
_MAX_EMAIL: Final[int] = 254


def _has_email(text: str) -> bool:
    return any(
        _EMAIL.search(token)
        for token in text.split()
        if "@" in token and len(token) <= 2 * _MAX_EMAIL
    )


# --- hospital numbers and MRNs -------------------------------------------------------------

# The cue, a little punctuation or "is"/"of", then an ID with at least five digits (letters
# may come before or after, as in "RXF4471203" or "K2398871").
_HOSPITAL: Final[re.Pattern[str]] = re.compile(
    r"\b(?:hospital\s+(?:number|no\.?|num\.?)|hosp\.?\s+no\.?|mrn|medical\s+record\s+number|"
    r"unit\s+number|case\s+note\s+number|patient\s+id)"
    r"(?:[\s:#=(\-]|\s+(?:is|was|of)\s+){1,4}"
    r"[A-Z]{0,4}\d{5,}[A-Z]?\b",
    re.I,
)

# --- a title and a surname -----------------------------------------------------------------

_TITLE_NAME: Final[re.Pattern[str]] = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\.?"
    r"(?:\s+and\s+(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?)?"
    r"\s+(?P<name>(?:[A-Z]['\u2019])?(?:Ma?c)?[A-Z][a-z\u00e0-\u00ff]+(?:-[A-Z][a-z\u00e0-\u00ff]+)?)"
)
# Words that follow a title without being a surname: a nickname ("Mr Motivator"), a character
# ("Mr Men", "Dr Who"), or a word that starts the next clause.
_NOT_SURNAMES: Final[frozenset[str]] = frozenset(
    {
        "motivator", "men", "man", "right", "nice", "blobby", "whippy", "muscle", "happy",
        "bean", "who", "fixit", "fix", "universe", "president", "speaker", "chairman",
        "chair", "chairperson", "the", "and", "or", "but", "so", "if", "when", "then",
        "said", "says", "asked", "told", "which", "was", "is", "has", "had", "will",
    }
)  # fmt: skip


def _has_title_surname(text: str) -> bool:
    return any(m.group("name").lower() not in _NOT_SURNAMES for m in _TITLE_NAME.finditer(text))


# --- the check -----------------------------------------------------------------------------


def find_identifiers(text: str) -> frozenset[Kind]:
    """The kinds of likely patient-identifiable information in ``text``.

    Args:
        text: A reflection as the person typed it.

    Returns:
        The kinds found, empty when none. Never the matched text.

    Example:
        >>> sorted(find_identifiers("Chased the letter for 943 476 5919 and Mrs Jones"))
        [<Kind.NHS_NUMBER: 'nhs_number'>, <Kind.TITLE_SURNAME: 'title_surname'>]
    """
    text = text[:MAX_CHARS]
    found: set[Kind] = set()
    phones = _phone_spans(text)
    if phones:
        found.add(Kind.PHONE)
    if _has_nhs_number(text, phones=phones):
        found.add(Kind.NHS_NUMBER)
    if _has_date_of_birth(text):
        found.add(Kind.DATE_OF_BIRTH)
    if _has_postcode(text):
        found.add(Kind.POSTCODE)
    if _has_email(text):
        found.add(Kind.EMAIL)
    if _HOSPITAL.search(text):
        found.add(Kind.HOSPITAL_NUMBER)
    if _has_title_surname(text):
        found.add(Kind.TITLE_SURNAME)
    return frozenset(found)


def describe(kinds: frozenset[Kind]) -> str:
    """The kinds found as one phrase in a fixed order: "an NHS number and a phone number".

    Args:
        kinds: What :func:`find_identifiers` returned.

    Returns:
        A phrase naming each kind, never its text; empty when ``kinds`` is empty.
    """
    labels = [LABELS[k] for k in Kind if k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
