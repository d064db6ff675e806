"""One encoder for the module's tests: loading the model takes about half a second."""

from __future__ import annotations

import pytest

from bot.semantic import Encoder


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The shipped int8 model, checksum verified."""
    return Encoder.load()
