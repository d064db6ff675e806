"""What a delivery pass is told (PassSettings) and what it reports (PassReport)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.delivery.pacing import Limits
from bot.nudges import DEFAULT_GRACE


@dataclass(frozen=True, slots=True, kw_only=True)
class PassSettings:
    """Tuning for a delivery pass; the defaults suit a single small machine."""

    grace: timedelta = DEFAULT_GRACE
    # Longer than the worst case from claim to outcome (queueing + all retries), so that a
    # live pass never loses its claim; short enough that a dead pass's slots come back soon.
    lease: timedelta = timedelta(minutes=3)
    concurrency: int = 64
    claim_batch: int = 500
    max_attempts: int = 4
    backoff_base: float = 0.5
    longest_wait: float = 30.0
    send_timeout: float = 15.0
    flush_interval: float = 0.05
    flush_size: int = 500
    limits: Limits = Limits()
    # A paced lane claims about this many seconds of sends at a time (and holds at most
    # twice that), so that claimed slots never wait long for their tokens.
    lane_ahead_seconds: float = 5.0

    def __post_init__(self) -> None:
        if self.last_send_start <= 0:
            raise ValueError(
                f"the claim lease ({self.lease.total_seconds():g}s) must be longer than the "
                f"send timeout ({self.send_timeout:g}s) with room to spare"
            )

    @property
    def last_send_start(self) -> float:
        """Seconds after claiming after which no send may start (see ``_send_with_retries``)."""
        lease = self.lease.total_seconds()
        # Time kept in hand at the end of a claim to record the outcome of the last send.
        safety = min(10.0, lease / 10)
        return lease - self.send_timeout - safety


@dataclass(slots=True, kw_only=True)
class PassReport:
    """What one pass did, for logs and ``coach nudges send-due`` output."""

    now: datetime
    due: int = 0
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    owed: int = 0
    retries: int = 0
    seconds: float = 0.0
    unsupported: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary."""
        return {
            "now": self.now.isoformat(),
            "due": self.due,
            "claimed": self.claimed,
            "sent": self.sent,
            "failed": self.failed,
            "owed": self.owed,
            "retries": self.retries,
            "seconds": round(self.seconds, 3),
            "no_messenger": self.unsupported,
        }
