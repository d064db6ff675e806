"""Who the console user is: the operating system's user name, on the console platform.

``coach chat`` and ``coach ask`` keep a journal, assessments and focus on ``DATABASE_URL``
like Slack and Teams do; the OS account is the person, so two accounts on one machine
sharing a database each see only their own.
"""

from __future__ import annotations

import getpass

from bot.identity import CONSOLE_USER, Platform, Who


def console_who() -> Who:
    """The person at this terminal; ``local`` when the OS cannot say who that is."""
    try:
        name = getpass.getuser().strip()
    except (OSError, KeyError, ImportError):
        # No login name in the environment and no password database entry (a bare container).
        name = ""
    return Who(platform=Platform.CONSOLE, user_id=name[:128]) if name else CONSOLE_USER
