"""``python -m scripts.places``: rebuild (or ``--check``) ``content/places/places.csv``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.places import PLACES_FILE
from scripts.places.builder import build
from scripts.places.sources import DEFAULT_OUT, DEFAULT_SOURCE, BuildError


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description="Build content/places/places.csv from the open data."
    )
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="shared/data/places")
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="content/places: holds the hand-written inputs and receives places.csv",
    )
    parser.add_argument("--verbose", action="store_true", help="print every warning")
    parser.add_argument(
        "--check", action="store_true", help="do not write; fail if places.csv is out of date"
    )
    args = parser.parse_args(argv)
    try:
        text, warnings = build(args.source, args.out)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    target = args.out / PLACES_FILE
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date; run python -m scripts.places", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {target} ({len(text.encode()):,} bytes, {text.count(chr(10)) - 1:,} rows)")
    if warnings:
        print(f"{len(warnings)} places left out (no academy found)", file=sys.stderr)
        for warning in warnings if args.verbose else warnings[:5]:
            print(f"  {warning}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
