"""Build ``content/places/places.csv``, the gazetteer table behind ``bot/places.py``.

Reads the open data in ``shared/data/places/`` (see its ``SOURCES.md``) plus our two small
hand-written tables in ``content/places/`` and writes one row per normalised place name, postcode
district and postcode area, each with its academies already ordered and any note already
written. Doing all the geography here keeps the bot's look-up down to a dictionary probe.

How a place gets its academies:

* A current English council: its ONS region maps to one academy, except the South East, which is
  split by ceremonial county (its ``county-la`` in the mySociety data, or
  ``unitary_counties.csv`` for unitary councils). ``academy_overrides.csv`` can replace that
  answer for a council (Dorset, BCP) and everything inside it.
* A former council: the academies of the council(s) that replaced it.
* A county: the academies of its member councils, most populous first.
* A postcode district: the council named in the Doogal export if it is one we know in the same
  region, else its ONS region, else (South East only) a vote of its neighbouring districts.
* A town (ONS built-up areas and sub-divisions, Royal Mail post towns, Doogal localities): the
  academies of its council where we can find it, else its region.

When one name means several places (Newcastle upon Tyne and Newcastle-under-Lyme both answer to
"Newcastle"), population decides: a place at least twice as big as the next goes first and the
note mentions the smaller ones; otherwise the name is called ambiguous.

The output is sorted and written with fixed formatting, so rebuilding from the same inputs
reproduces the committed file byte for byte (``tests/bot/test_places.py`` checks this).

Usage (from the project root)::

    python -m scripts.places                       # --source ../shared/data/places
    python -m scripts.places --source /path/to/places --out content/places
    python -m scripts.places --check               # fail if places.csv is stale

The steps, one module each: ``sources`` (read), ``councils`` (succession), ``academies``
(assign), ``postcodes`` and ``towns`` (more candidates), ``resolve`` (one row per key),
``write`` (the fixed CSV dialect); ``builder`` runs them in order.
"""

from __future__ import annotations

from scripts.places.builder import build
from scripts.places.sources import BuildError

__all__ = ["BuildError", "build"]
