"""Distinctive dummy secrets and reflections, and a way to capture every log record.

Each value is unlikely to appear anywhere by chance, so finding one in captured output means
it leaked. The Fernet key is random per run and still checked, in its base64 form.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.fernet import Fernet

from tests.adapters.slack.harness import SIGNING_SECRET as HARNESS_SIGNING_SECRET

# The harness signs every request with its own secret, which is distinctive enough.
SIGNING_SECRET = HARNESS_SIGNING_SECRET
BOT_TOKEN = "xoxb-canary-bot-token-7Hq2Zp9"
CLIENT_SECRET = "canary-client-secret~Vv8Kd3"
DATA_KEY = Fernet.generate_key().decode()
REFLECTION = "Canary reflection: I asked Priya about the ward-closure fear"
TEAMS_REFLECTION = "Canary teams reflection about the discharge hub"


def canaries() -> dict[str, str]:
    """Name → value of everything that must never be logged."""
    return {
        "signing secret": SIGNING_SECRET,
        "bot token": BOT_TOKEN,
        "client secret": CLIENT_SECRET,
        "COACH_DATA_KEY": DATA_KEY,
        "reflection": REFLECTION,
        "Teams reflection": TEAMS_REFLECTION,
    }


def leaks(text: str) -> list[str]:
    """The canaries that appear in ``text`` (also the reflection's distinctive middle part)."""
    found = [name for name, value in canaries().items() if value in text]
    for name, value in (("reflection", REFLECTION), ("Teams reflection", TEAMS_REFLECTION)):
        if value[len("Canary ") :] in text and name not in found:
            found.append(name)
    return found


@contextmanager
def every_log_record() -> Iterator[io.StringIO]:
    """Capture every record at DEBUG: on the root logger and on any that does not propagate."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    saved = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    islands = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in islands:
        logger.addHandler(handler)
    try:
        yield buffer
    finally:
        for logger in islands:
            logger.removeHandler(handler)
        root.removeHandler(handler)
        root.setLevel(saved)
