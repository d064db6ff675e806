"""One object that reads a message: small talk, wellbeing, a question about the briefing, rows.

:class:`Understanding` is built once at start-up (the models are loaded and every example encoded
then) and is pure afterwards. Each message is encoded once by the untuned model, whose vector the
small-talk, wellbeing, passage and guard checks all reuse, and, when it is ranked, once by the
ranker's fine-tuned model.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from bot.content import Content
from bot.examples import SmallTalk, Target
from bot.matching import Matcher
from bot.models import ResultKind
from bot.semantic.files import ranker_model_dir
from bot.text import STOP_WORDS, clean, plain, words
from bot.understanding.encodings import Encodings
from bot.understanding.probe import KINDS, KindProbe, KindShares
from bot.understanding.ranker import HybridRanker, Ranked
from bot.understanding.spelling import Speller
from bot.understanding.vectors import RANKER_CACHE_FILE, Space
from bot.understanding.wellbeing import Wellbeing, read_wellbeing

# Small talk is short: "thanks, and how do I handle conflict?" is a question, not small talk.
# (Six words, not five: "sorry, wrong chat, please ignore me"; seven did no better on the tune
# parts.)
SMALL_TALK_MAX_WORDS = 6
SMALL_TALK_SIMILARITY = 0.75
# A question about the briefing's context must be this close to one of the passage examples ...
PASSAGE_SIMILARITY = 0.72
# (and a passage example this close answers it even when framework rows also fit) ...
SURE_PASSAGE = 0.85
# ... or, when the kind probe reads it as one this surely, this close and that much closer to
# its passage example than to any leadership situation. Two questions alike in their words,
# "who wrote the system leadership framework and when" (about the briefing) and "how do I
# lead across the system" (a situation), differ mostly in kind: the probe told them apart
# where the nearest examples (0.78 and 0.72) could not. Fitted on the tune parts of tests/data
# (0.7 and 0.75 alike; 0.85 lost cases each time passage examples were added, which moved the fit).
ABOUT_SHARE = 0.75
ABOUT_SIMILARITY = 0.6
ABOUT_MARGIN = 0.05
# A request for what the academies offer ("how do I get a mentor"), with no place named: the
# probe this sure, and the nearest academy example nearer than any situation by the margin
# ("I want to lead more like a coach" reads as a request by its words, but a situation is
# nearer). Fitted on the tune parts of tests/data.
ACADEMY_SHARE = 0.9
ACADEMY_MARGIN = 0.05
ACADEMY_MIN_WORDS = 3
_NEGATED = re.compile(r"\b(?:not|never|nothing|isnt|dont|cant|wont|didnt)\b|n[’']t\b")


def _speller(space: Space, content: Content) -> Speller:
    """The speller for a model's tokenizer and the content's own words, which it takes as spelt
    right: the examples, rows and passages (not the rows' keywords, which hold deliberate
    misspellings such as "confict")."""
    passages = [f"{p.title} {p.text} {' '.join(p.items)}" for p in content.passages]
    texts = [t for group in Understanding.groups(content).values() for t in group] + passages
    return Speller(vocabulary=space.encoder.vocabulary(), texts=texts)


def _has_words(text: str) -> bool:
    return bool(words(clean(text)))


class Understanding:
    """Reads messages with the examples of ``content/`` and, when loaded, the MiniLM model.

    Example:
        >>> understanding = Understanding.load(load_content())
        >>> understanding.small_talk("cheers").kind
        'thanks'
        >>> understanding.passage("is STP still a thing?")[0]
        'ics'
    """

    def __init__(
        self,
        *,
        content: Content,
        space: Space | None,
        ranking: Space | None = None,
        speller: Speller | None = None,
    ) -> None:
        """Index the examples; ``space`` holds their vectors (``None``: words only), and
        ``ranking`` the fine-tuned ranker model's (``None``: the ranker uses ``space``);
        ``speller`` corrects typos before either reads a message (built here when not given)."""
        examples = content.examples
        self.content = content
        self.space = space
        self.ranking = ranking if space is not None else None
        self.ranker = HybridRanker(
            matcher=Matcher(rows=content.rows, principles=content.principles),
            situations=examples.situations,
            no_answer=[n.text for n in examples.no_answer],
            space=space,
            ranking=self.ranking,
        )
        self._small_talk = {plain(e): kind for kind in examples.small_talk for e in kind.examples}
        self._small_talk_kinds = tuple(
            kind for kind in examples.small_talk for e in kind.examples if _has_words(e)
        )
        self._small_talk_words = (
            frozenset(w for kind in examples.small_talk for e in kind.examples for w in words(e))
            - STOP_WORDS
        )
        self._passages = tuple(s.key for s in examples.situations if s.target is Target.PASSAGE)
        self.probe = KindProbe({k: space.group(k) for k in KINDS}) if space is not None else None
        if speller is None and space is not None:
            speller = _speller(space, content)
        self.speller = speller if space is not None else None
        self.encodings = Encodings(
            space, self.ranking, prepare=self.speller.correct if self.speller else str
        )
        self.vector = self.encodings.vector
        self.ranking_vector = self.encodings.ranking_vector
        self.prefetch = self.encodings.prefetch
        # Routing may ask for the same ranking twice (a weak contact cue, then the search).
        self._rank = lru_cache(maxsize=64)(self._rank_uncached)
        for loaded in (space, self.ranking):
            if loaded is not None:
                loaded.warm()

    @staticmethod
    def groups(content: Content) -> dict[str, list[str]]:
        """Every text to encode, by group name (the names :class:`Space` is asked for)."""
        examples = content.examples
        items = (*content.rows, *content.principles)
        wellbeing = examples.wellbeing
        return {
            "items": [HybridRanker.texts(item) for item in items],
            "situations": [s.text for s in examples.situations if s.ranked],
            "passages": [s.text for s in examples.situations if s.target is Target.PASSAGE],
            "academies": [s.text for s in examples.situations if s.target is Target.ACADEMY],
            "no_answer": [n.text for n in examples.no_answer],
            # Emoji-only examples are matched exactly: their vectors are the tokenizer's
            # "unknown" token, as close to any other unreadable text as to a wave.
            "small_talk": [
                e for kind in examples.small_talk for e in kind.examples if _has_words(e)
            ],
            "crisis": list(wellbeing.crisis),
            "distress": list(wellbeing.distress),
            "not_distress": list(wellbeing.not_distress),
        }

    @staticmethod
    def ranking_groups(content: Content) -> dict[str, list[str]]:
        """The texts the fine-tuned ranker model encodes: the rows and their situations."""
        groups = Understanding.groups(content)
        return {name: groups[name] for name in ("items", "situations")}

    @classmethod
    def load(
        cls,
        content: Content,
        *,
        semantic: bool = True,
        model_dir: Path | None = None,
        ranker_dir: Path | None = None,
    ) -> Understanding:
        """Build the understanding; with ``semantic`` both models are opened and examples
        encoded (``model_dir`` and ``ranker_dir`` default to the shipped folders)."""
        if not semantic:
            return cls(content=content, space=None)

        def load_ranking() -> tuple[Space, Speller]:
            ranking = Space.load(
                cls.ranking_groups(content),
                model_dir=ranker_dir or ranker_model_dir(),
                cache_file=RANKER_CACHE_FILE,
            )
            ranking.warm()
            # The ranker is MiniLM fine-tuned, with MiniLM's tokenizer: the same whole words.
            # Built here, beside the other model's loading, rather than after it (~50 ms).
            speller = _speller(ranking, content)
            return ranking, speller

        # The two models load at once: onnxruntime's session set-up and the checksums release
        # the GIL, which took ~90 ms off the ~250 ms of opening both, one after the other.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ranker-load") as pool:
            pending = pool.submit(load_ranking)
            space = Space.load(cls.groups(content), model_dir=model_dir)
            space.warm()
            ranking, speller = pending.result()
            return cls(content=content, space=space, ranking=ranking, speller=speller)

    def shares(self, text: str) -> KindShares:
        """How much ``text`` reads as a situation, a no-answer question, a question about the
        briefing, small talk or a request for an academy (see :mod:`.probe`); all situation
        without the model."""
        vector = self.vector(text)
        if vector is None or self.probe is None:
            return KindShares()
        return self.probe.shares(vector)

    def _nearest(self, text: str, group: str) -> tuple[int, float]:
        return self._nearest_in(text, (group,))[0]

    def _nearest_in(self, text: str, groups: tuple[str, ...]) -> list[tuple[int, float]]:
        vector = self.vector(text)
        if vector is None or self.space is None:
            return [(-1, 0.0)] * len(groups)
        return self.space.nearest(vector, groups)

    def small_talk(self, text: str) -> SmallTalk | None:
        """The kind of small talk ``text`` is (greeting, thanks, ...), or ``None``."""
        bare = plain(text)
        if bare in self._small_talk:
            return self._small_talk[bare]
        if not bare or len(bare.split()) > SMALL_TALK_MAX_WORDS:
            return None
        best, similarity = self._nearest(text, "small_talk")
        # "thanks a lot", "nice one, thanks": only small-talk words, though no example's.
        tokens = set(words(clean(text)))
        known = bool(tokens & self._small_talk_words) and tokens <= (
            self._small_talk_words | STOP_WORDS
        )
        # Not the kind probe: to it any message of a word or two reads as small talk ("bit sad",
        # "tired"), and "OK. Ask me more whenever you're ready" is no answer to those.
        if best < 0 or (similarity < SMALL_TALK_SIMILARITY and not known):
            return None
        # "not great" is near "great" and made of small-talk words, but it is no acknowledgement.
        if _NEGATED.search(text.lower()):
            return None
        # "thanks for the help with conflict" names a topic: answer the topic instead. Small
        # talk's own words are no topic: "hello there coach" is not about coaching.
        topic = " ".join(t for t in words(clean(text)) if t not in self._small_talk_words)
        if topic and self.ranker.matcher.rank(topic):
            return None
        return self._small_talk_kinds[best]

    def passage(self, text: str) -> tuple[str | None, float]:
        """The passage answering a question about the briefing's context ("what's an ICS").

        Returns:
            The passage id (``None`` when no example is close enough) and the similarity.
        """
        best, similarity = self._nearest(text, "passages")
        if best < 0 or similarity < PASSAGE_SIMILARITY:
            return None, similarity
        return self._passages[best], similarity

    def about(self, text: str) -> str | None:
        """The passage for a question the kind probe reads as about the briefing or the NHS's
        structures (see :data:`ABOUT_SHARE`), or ``None``."""
        if self.shares(text).passage < ABOUT_SHARE:
            return None
        (best, similarity), (_, situation) = self._nearest_in(text, ("passages", "situations"))
        if best < 0 or similarity < max(ABOUT_SIMILARITY, situation + ABOUT_MARGIN):
            return None
        return self._passages[best]

    def asks_for_academy(self, text: str) -> bool:
        """Whether ``text`` asks for a course, coaching, a mentor or an academy's contacts
        (see :data:`ACADEMY_SHARE`); a one- or two-word topic ("mentoring") does not."""
        if len(words(clean(text))) < ACADEMY_MIN_WORDS or self.shares(text).academy < ACADEMY_SHARE:
            return False
        (_, academy), (_, situation) = self._nearest_in(text, ("academies", "situations"))
        return academy >= situation + ACADEMY_MARGIN

    def wellbeing(self, text: str) -> Wellbeing | None:
        """Whether ``text`` speaks of the sender's own distress, or of suicide or self-harm."""
        return read_wellbeing(text, lambda *groups: [s for _, s in self._nearest_in(text, groups)])

    def rank(self, text: str, *, kinds: frozenset[ResultKind] | None = None) -> Ranked:
        """Rows and principles for ``text`` (see :class:`HybridRanker`)."""
        return self._rank(text, kinds)

    def clear_caches(self) -> None:
        """Forget cached vectors and rankings (benchmarks time every message from scratch)."""
        self.encodings.clear()
        self._rank.cache_clear()
        self.ranker.matcher.clear_cache()
        clean.cache_clear()

    def _rank_uncached(self, text: str, kinds: frozenset[ResultKind] | None) -> Ranked:
        self.prefetch(text)  # the ranker's vector on the other core, while the other is made
        return self.ranker.rank(
            text,
            kinds=kinds,
            vector=self.vector(text),
            ranking_vector=self.ranking_vector(text),
            shares=self.shares(text),
        )
