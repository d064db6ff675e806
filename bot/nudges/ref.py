"""What a nudge's buttons carry, as one codec: whose nudge it is and which prompt it showed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Ref:
    """What a nudge button carries: whose nudge it is and which prompt it showed.

    Only used to pick a subscription of the presser's own (or of the channel they pressed in)
    and to label a journal entry; never to decide whose data to read.
    """

    channel: bool = False
    row_id: str = ""
    prompt_index: int = 0

    def encode(self) -> str:
        """``"to=me;row=ie-1;q=0"``: short, and safe in any platform's button value."""
        return f"to={'channel' if self.channel else 'me'};row={self.row_id};q={self.prompt_index}"

    @classmethod
    def decode(cls, value: str) -> Ref:
        """Parse :meth:`encode`'s output; anything malformed yields defaults, never an error."""
        parts = dict(p.split("=", 1) for p in value.split(";") if "=" in p)
        index = parts.get("q", "0")
        return cls(
            channel=parts.get("to") == "channel",
            row_id=parts.get("row", "")[:32],
            prompt_index=int(index) if index.isdigit() and len(index) < 4 else 0,
        )
