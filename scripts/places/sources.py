"""The inputs: file names, the CSV reader and the value types the build passes around."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "data" / "places"
DEFAULT_OUT = PROJECT_ROOT / "content" / "places"

LA_FILE = "uk_local_authorities.csv"
REGISTRY_FILE = "lookup_name_to_registry.csv"
LAD_COUNTY_FILE = "Local_Authority_District_to_County_(April_2021)_Lookup_in_England.csv"
BUA_REGION_FILE = "jtrim-ons_ons-lookups/039.csv"
BUA_LAD_FILE = "jtrim-ons_ons-lookups/101.csv"
BUASD_REGION_FILE = "jtrim-ons_ons-lookups/124.csv"
POSTCODE_FILE = "Postcode districts.csv"
UNITARY_FILE = "unitary_counties.csv"
OVERRIDES_FILE = "academy_overrides.csv"


class BuildError(Exception):
    """The inputs are inconsistent; the message says which file and row."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """Who serves a place: academies (most likely first) or, outside England, the nation."""

    academies: tuple[str, ...]
    outside: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One reading of a key: a particular place that answers to that name."""

    key: str
    label: str  # the name as the person would write it for this key ("Newcastle")
    name: str  # the full name of the place ("Newcastle upon Tyne")
    kind: str
    group: Group
    weight: int
    source: int  # 0 for ONS/mySociety/hand-written names, 1 for Doogal's (spelling is looser)


@dataclass(frozen=True, slots=True, kw_only=True)
class Council:
    """A row of the mySociety table."""

    code: str
    name: str
    nation: str
    region: str
    kind: str
    county: str
    replaced_by: tuple[str, ...]
    current: bool
    lower: bool
    population: int
    gss: tuple[str, ...]


# ---------------------------------------------------------------------------- reading


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a CSV file, skipping ``#`` comment lines and a BOM."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise BuildError(f"{path}: cannot read: {error}") from error
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    kept = [(number, line) for number, line in lines if not line.lstrip().startswith("#")]
    numbers = [number for number, _ in kept]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in kept)))
    for row in reader:
        # line_num counts physical lines read so far; map back to the file's own numbering.
        yield numbers[reader.line_num - 1], {k: (v or "").strip() for k, v in row.items() if k}


def population(text: str) -> int:
    """Parse a population figure ("465866.0"), treating blanks as unknown (0)."""
    return round(float(text)) if text else 0


def split_names(text: str) -> list[str]:
    """Split a comma-separated list of names, dropping blanks."""
    return [part.strip() for part in text.split(",") if part.strip()]
