"""The nudge delivery pass: due slots, the exactly-once ledger, and sending through Messengers."""

from app.delivery.send import send_due
from app.delivery.settings import PassReport, PassSettings

__all__ = ["PassReport", "PassSettings", "send_due"]
