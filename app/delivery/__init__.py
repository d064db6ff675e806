"""The nudge delivery pass: due slots, the exactly-once ledger, and sending through Messengers."""

from app.delivery.send import PassReport, PassSettings, send_due

__all__ = ["PassReport", "PassSettings", "send_due"]
