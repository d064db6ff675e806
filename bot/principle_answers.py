"""Answers to questions about the six National Voices principles."""

from __future__ import annotations

from bot import replies
from bot.intents import Cue, Intent
from bot.models import Match, Reply, ResultKind
from bot.text import STOP_WORDS, words
from bot.understanding import answers
from bot.understanding.reader import SURE_PASSAGE, Understanding

_PRINCIPLES = frozenset({ResultKind.PRINCIPLE})
# Words that ask for the principles without naming a topic among them.
_LIST_WORDS = frozenset({"principle", "principles", "six", "6", "list", "show"})


def principles_answer(
    intent: Intent, *, source: str, offset: int, understanding: Understanding
) -> Reply:
    """One principle by number, those a topic fits, or all six; or, for a question about
    National Voices itself, our passage on who they are."""
    content = understanding.content
    args = intent.args
    if intent.cue == Cue.NUMBER:
        principle = content.principles[int(args) - 1]
        match = Match(kind=ResultKind.PRINCIPLE, score=100.0, principle=principle)
        return replies.matches_reply(
            query=f"principle {args}", source=source, matches=(match,), intent="principles"
        )
    if not set(words(args)) - _LIST_WORDS - STOP_WORDS:
        # "principles", or "national voices principles": all six, not a topic search.
        return replies.principles_reply(content=content)
    # A question naming National Voices but not their principles may be about the coalition.
    about_them = intent.cue == Cue.PRINCIPLES and "principle" not in source.lower()
    passage, similarity = understanding.passage(source) if about_them else (None, 0.0)
    if passage is not None and similarity >= SURE_PASSAGE:
        # "is National Voices a charity?": about the coalition, though "charity" fits principle 5
        # (a passage example this close answers before any principle).
        return replies.about_reply(content=content, passage_ids=(passage,))
    matches = understanding.rank(args, kinds=_PRINCIPLES).matches
    if matches:
        return answers.coaching_reply(
            query=args,
            source=source,
            matches=matches,
            intent="principles",
            offset=offset,
            content=content,
        )
    if intent.cue == Cue.PRINCIPLES:
        # "who are National Voices?" asks about the coalition, not for its principles; "what
        # are the National Voices principles?" names no single one: show all six.
        about = understanding.about(source) if about_them else None
        if about is not None:
            return replies.about_reply(content=content, passage_ids=(about,))
        return replies.principles_reply(content=content)
    return replies.no_match_reply(query=args, intent="principles", content=content)
