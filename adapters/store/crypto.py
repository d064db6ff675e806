"""Encryption at rest for reflection text: Fernet keys from ``COACH_DATA_KEY``.

``COACH_DATA_KEY`` is one Fernet key, or several separated by commas for rotation: the first
encrypts, every one of them decrypts. To rotate, put a new key first, keep the old ones after
it, run ``rotate_journal`` (``coach db rotate-keys``), then drop the old keys.

Without a key the coach refuses to store reflections (and says so to the person and in a
start-up warning) rather than keep them in plain text: a journal is the most personal thing
the coach holds, and a silent fallback would be found out only after a breach.

Make a key with::

    python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)

ENV_VAR = "COACH_DATA_KEY"
HOW_TO_MAKE_ONE = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class DataKeyError(ValueError):
    """``COACH_DATA_KEY`` is set but malformed. The message never contains key material."""


class Cipher:
    """Encrypts with the first key and decrypts with any, so that keys can be rotated.

    Example:
        >>> cipher = Cipher([Fernet.generate_key().decode()])
        >>> cipher.decrypt(cipher.encrypt("private"))
        'private'
    """

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise DataKeyError(f"{ENV_VAR} holds no key")
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode()))
            except (ValueError, TypeError):
                # Say which one, never what it was.
                raise DataKeyError(
                    f"{ENV_VAR}: key {position} of {len(keys)} is not a Fernet key "
                    f"(32 url-safe base64 bytes). Make one with: {HOW_TO_MAKE_ONE}"
                ) from None
        self._multi = MultiFernet(fernets)
        self.key_count = len(fernets)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Cipher | None:
        """The cipher for ``COACH_DATA_KEY``, or ``None`` when it is unset or empty.

        Raises:
            DataKeyError: when the variable is set but one of its keys is malformed.
        """
        env = os.environ if env is None else env
        keys = [k.strip() for k in env.get(ENV_VAR, "").split(",") if k.strip()]
        return cls(keys) if keys else None

    def encrypt(self, text: str) -> str:
        """Encrypt ``text`` with the first key; the token is ASCII and safe in a text column."""
        return self._multi.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str | None:
        """Decrypt ``token`` with whichever key made it; ``None`` if none of them did."""
        try:
            return self._multi.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            return None

    def rotate(self, token: str) -> str | None:
        """Re-encrypt ``token`` under the first key; ``None`` if no key can read it."""
        try:
            return self._multi.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            return None


def warn_if_missing(env: Mapping[str, str] | None = None) -> Cipher | None:
    """Load the cipher at start-up, logging a clear warning when there is no key.

    Raises:
        DataKeyError: when a key is malformed (fail fast: a typo must not disable the journal).
    """
    cipher = Cipher.from_env(env)
    if cipher is None:
        log.warning(
            "%s is not set: reflections will NOT be saved (the journal is switched off; "
            "the coach never stores them unencrypted). Make a key with: %s",
            ENV_VAR,
            HOW_TO_MAKE_ONE,
        )
    return cipher
