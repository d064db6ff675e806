"""Helpful / Not quite votes (``bot.feedback``): no person, no question text.

The table has no ``user_id`` on purpose: a vote is not personal data, so ``forget me`` has
nothing to find here, and nothing here can be traced back to whoever voted.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, String, Table

from adapters.store.db import metadata

feedback_votes = Table(
    "feedback_votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # One vote per reply: a double submit or a second press updates this row.
    Column("reply_key", String(32), nullable=False, unique=True),
    Column("vote", String(16), nullable=False),
    Column("intent", String(24), nullable=False),
    # The ids of the results shown, space-separated ("rc-1 ie-5 p4").
    Column("result_ids", String(300), nullable=False),
    # The day only: enough to follow a trend, too coarse to match a vote to a conversation.
    Column("voted_on", Date, nullable=False),
)
