"""Prompt rotation: each subscriber's own shuffled walk through the framework's rows.

Pure and seeded: the same subscriber gets the same walk in every process, so two clock
processes agree on what the next prompt is.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content import Content


def seed_for(*parts: str) -> int:
    """A stable 62-bit seed from identifying strings (independent of ``PYTHONHASHSEED``)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 2


def cycle_order(seed: int, cycle: int, row_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The shuffled order of every row for one pass (``cycle``) through the framework.

    Each cycle is a fresh permutation, so every row comes once before any repeats; the first
    row of a cycle is never the last of the previous one, so no row comes twice in a row.
    """
    order = list(row_ids)
    random.Random(f"{seed}:{cycle}").shuffle(order)
    if cycle > 0 and len(order) > 1:
        previous = list(row_ids)
        random.Random(f"{seed}:{cycle - 1}").shuffle(previous)
        if order[0] == previous[-1]:
            order[0], order[1] = order[1], order[0]
    return tuple(order)


@dataclass(frozen=True, slots=True, kw_only=True)
class PromptPick:
    """The row and prompt at one position of a subscriber's walk through the framework."""

    row_id: str
    prompt_index: int
    # True when the row was picked because it is in the person's focus (bot.coaching).
    focus: bool = False


def pick_prompt(
    seed: int, position: int, row_ids: tuple[str, ...], *, prompt_counts: dict[str, int]
) -> PromptPick:
    """The row at ``position`` of the walk, and which of its prompts to ask.

    A row with several prompts asks a different one on each pass through the framework.
    """
    if not row_ids:
        raise ValueError("no framework rows to prompt about")
    cycle, index = divmod(position, len(row_ids))
    row_id = cycle_order(seed, cycle, row_ids)[index]
    return PromptPick(row_id=row_id, prompt_index=cycle % max(1, prompt_counts.get(row_id, 1)))


@dataclass(frozen=True, slots=True, kw_only=True)
class Walk:
    """The framework rows and prompt counts that every subscriber's walk is drawn from.

    Built once per pass (or per command), since a delivery pass picks thousands of prompts.
    """

    row_ids: tuple[str, ...]
    prompt_counts: dict[str, int]

    @classmethod
    def of(cls, content: Content) -> Walk:
        """The walk over ``content``'s rows, in source order."""
        row_ids = tuple(r.id for r in content.rows)
        counts: dict[str, int] = {}
        for prompt in content.prompts:
            counts[prompt.row_id] = counts.get(prompt.row_id, 0) + 1
        return cls(row_ids=row_ids, prompt_counts=counts)

    def pick(self, seed: int, position: int, *, focus: Sequence[str] = ()) -> PromptPick:
        """The row and prompt at ``position`` of the walk of the subscriber seeded ``seed``.

        With a ``focus`` (row ids), every other nudge is about a focus row, in turn; the
        nudges between walk the whole framework at half the pace, so every row still comes
        round (within twice the number of rows). Without one, the plain walk.
        """
        chosen = tuple(r for r in dict.fromkeys(focus) if r in self.row_ids)
        if not chosen:
            return pick_prompt(seed, position, self.row_ids, prompt_counts=self.prompt_counts)
        turn, odd = divmod(position, 2)
        if odd:
            return pick_prompt(seed, turn, self.row_ids, prompt_counts=self.prompt_counts)
        rounds, index = divmod(turn, len(chosen))
        row_id = chosen[index]
        # Each time a focus row comes round it asks its next prompt.
        count = max(1, self.prompt_counts.get(row_id, 1))
        return PromptPick(row_id=row_id, prompt_index=rounds % count, focus=True)
