"""Helpful / Not quite: what a person thought of an answer, kept for content editors.

Only the vote, the intent and the ids of the rows shown are kept: never the question, never
who voted. That is enough to tell an editor which rows miss for which kind of question, and
it is not personal data, so it needs no encryption, no ``forget me`` and no user id.
"""
