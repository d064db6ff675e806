"""What else the machine was doing while a figure was taken (it may be shared)."""

from __future__ import annotations

from pathlib import Path


def load_average() -> float:
    """The one-minute load average (``/proc/loadavg``), or -1 where there is none."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0
