"""A delivery pass's lanes: one per Teams tenant or Slack workspace, claimed in batches."""

from __future__ import annotations

from collections.abc import Iterator

from app.delivery.ledger import Due


def ramp(due: list[Due], batch: int, *, first: int) -> Iterator[list[Due]]:
    """``due`` in claim batches of ``batch``, the first only ``first`` long.

    Nothing is sent until a first claim is committed; a small one (enough to fill the send
    window) lets the sends start while the next, full batch is claimed.
    """
    start = 0
    size = max(1, min(batch, first))
    while start < len(due):
        yield due[start : start + size]
        start += size
        size = batch


def split_lanes(due: list[Due]) -> dict[tuple[str, str], list[Due]]:
    """Due slots by (platform, tenant or workspace), each lane ordered by subscription id.

    The order is stable from pass to pass, so the same people do not always come last by
    chance, and a second clock process walks each lane in the same order (its claims then
    mostly find the slots already taken, rather than racing for them one by one).
    """
    lanes: dict[tuple[str, str], list[Due]] = {}
    for item in sorted(due, key=lambda d: d.subscription.id):
        target = item.subscription.target
        lanes.setdefault((target.platform, target.workspace_id), []).append(item)
    return lanes
