"""Matcher latency, start-up time and accuracy, beside a naive rapidfuzz baseline.

The baseline is what a first attempt would do: ``rapidfuzz.process.extractOne`` over the raw
row texts, principle titles and academy names, always answering with its best guess.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import process

from bench.judge import PUBLIC_QUESTIONS, ROOT, judge, load_cases
from bot.coach import Coach
from bot.models import Match, ResultKind
from bot.understanding.reader import Understanding

FALLBACK_QUESTIONS = ROOT / "tests" / "data" / "questions_wider.jsonl"
# A fixed mix for latency: short topics, commands, long natural questions, places, noise.
MIX = (
    "behaviours resilience",
    "resiliance",
    "how do I stay resilient when the system pushes back?",
    "how do I lead without authority?",
    "principles carers",
    "principles",
    "contact Leeds",
    "contact LS6 3AB",
    "who do I call about leadership courses in Bristol?",
    "what is the phone number of the leadership academy in Newcastle?",
    "collaberation across organisations",
    "weather tomorrow",
    "zxcvbnm",
    "managing conflict and uncertainty in a multi-disciplinary team",
    "x" * 300,
)


@dataclass(frozen=True, slots=True)
class Percentiles:
    p50_ms: float
    p99_ms: float


def _percentiles(samples_ns: list[int]) -> Percentiles:
    ordered = sorted(samples_ns)
    p50 = ordered[len(ordered) // 2] / 1e6
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6
    return Percentiles(p50_ms=p50, p99_ms=p99)


class Baseline:
    """``process.extractOne`` over raw texts: one guess per question, never "no answer"."""

    def __init__(self, coach: Coach) -> None:
        content = coach.content
        self.choices: list[str] = []
        self.matches: list[Match] = []
        for row in content.rows:
            self.choices.append(f"{row.role} {row.behaviour}")
            self.matches.append(Match(kind=ResultKind.BEHAVIOUR, score=0, behaviour=row))
        for p in content.principles:
            self.choices.append(p.title)
            self.matches.append(Match(kind=ResultKind.PRINCIPLE, score=0, principle=p))
        for a in content.academies:
            self.choices.append(a.region)
            self.matches.append(Match(kind=ResultKind.ACADEMY, score=0, academy=a))

    def answer(self, text: str) -> dict[str, Any]:
        found = process.extractOne(text, self.choices)
        results = [self.matches[found[2]].to_json()] if found else []
        return {"query": text, "results": results}


def _accuracy(answer, cases: list[dict[str, Any]]) -> float:  # type: ignore[no-untyped-def]
    return sum(judge(c, answer(c["q"])) for c in cases) / len(cases)


def _samples(fn, queries: tuple[str, ...], rounds: int) -> list[int]:  # type: ignore[no-untyped-def]
    samples: list[int] = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter_ns()
            fn(q)
            samples.append(time.perf_counter_ns() - start)
    return samples


def _time_queries(fn, queries: tuple[str, ...], rounds: int) -> Percentiles:  # type: ignore[no-untyped-def]
    return _percentiles(_samples(fn, queries, rounds))


STARTUP_CODE = "from bot.coach import Coach; Coach.load()"
SITUATIONAL = ROOT / "tests" / "data" / "situational_dev.jsonl"
# The installed ``coach`` command, as a user runs it (beside this interpreter in its venv).
COACH = str(Path(sys.executable).with_name("coach"))


def _coach_ask_ms(runs: int, *, first_run: bool = False) -> float:
    """Median wall time of ``coach ask "<question>"``: start-up plus one answer.

    With ``first_run`` each run has an empty cache folder, as on a new machine: only the
    vectors shipped beside the model can spare it encoding every example.
    """
    times = []
    for _ in range(runs):
        env = dict(os.environ)
        if first_run:
            env["COACH_CACHE_DIR"] = tempfile.mkdtemp(prefix="coach-first-run-")
        start = time.perf_counter()
        subprocess.run(
            [COACH, "ask", "how do I lead without authority?"],
            check=True,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        times.append((time.perf_counter() - start) * 1000)
        if first_run:
            shutil.rmtree(env["COACH_CACHE_DIR"], ignore_errors=True)
    return statistics.median(times)


def _json_lines_rss_mb(questions: list[str]) -> float:
    """Peak resident memory of one ``coach ask --json`` answering ``questions`` (from stdin)."""
    code = (
        "import resource, subprocess, sys\n"
        f"p = subprocess.run([{COACH!r}, 'ask', '--json'],"
        " input=sys.stdin.read(), text=True, capture_output=True, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input="\n".join(questions) + "\n",
        text=True,
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    return int(out.stdout.strip()) / 1024


def situational(*, quick: bool) -> dict[str, object]:
    """The hybrid coach beside the lexical-only coach on situational questions: speed, memory,
    accuracy. Both coaches answer the same dev questions in the same process."""
    hybrid = Coach.load()
    lexical = Coach.load(semantic=False)
    # The same coach with the untuned model ranking too (one encoding per message, not two):
    # what the fine-tuned ranker model costs and gains.
    understood = hybrid.understanding
    untuned = Coach(
        hybrid.content,
        understanding=Understanding(content=hybrid.content, space=understood.space, ranking=None),
    )
    cases = load_cases(SITUATIONAL)
    queries = tuple(c["q"] for c in cases)

    def judged(coach: Coach):  # type: ignore[no-untyped-def]
        return lambda text: {"results": [m.to_json() for m in coach.answer(text).results]}

    def fresh(coach: Coach):  # type: ignore[no-untyped-def]
        # Each message is new: clear the per-message vector cache so encoding is timed too.
        def answer(text: str) -> None:
            coach.understanding.clear_caches()
            coach.answer(text)

        return answer

    rounds = 1 if quick else 3
    hybrid_ns = _samples(fresh(hybrid), queries + MIX, rounds)
    lexical_ns = _samples(fresh(lexical), queries + MIX, rounds)
    untuned_ns = _samples(fresh(untuned), queries + MIX, rounds)
    mixed = [c["q"] for c in cases] + [c["q"] for c in load_cases(PUBLIC_QUESTIONS)]
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = handle.read().split()[0]
    return {
        "hybrid_match_p50_ms": round(_percentiles(hybrid_ns).p50_ms, 3),
        "hybrid_match_p99_ms": round(_percentiles(hybrid_ns).p99_ms, 3),
        "hybrid_match_mean_ms": round(statistics.fmean(hybrid_ns) / 1e6, 3),
        "lexical_match_p50_ms": round(_percentiles(lexical_ns).p50_ms, 3),
        "lexical_match_p99_ms": round(_percentiles(lexical_ns).p99_ms, 3),
        "lexical_match_mean_ms": round(statistics.fmean(lexical_ns) / 1e6, 3),
        "untuned_ranker_match_p99_ms": round(_percentiles(untuned_ns).p99_ms, 3),
        "untuned_ranker_match_mean_ms": round(statistics.fmean(untuned_ns) / 1e6, 3),
        "hybrid_situational_dev_accuracy": round(_accuracy(judged(hybrid), cases), 3),
        "lexical_situational_dev_accuracy": round(_accuracy(judged(lexical), cases), 3),
        "untuned_ranker_situational_dev_accuracy": round(_accuracy(judged(untuned), cases), 3),
        "coach_ask_startup_ms": round(_coach_ask_ms(3 if quick else 7), 1),
        "coach_ask_first_run_ms": round(_coach_ask_ms(3 if quick else 7, first_run=True), 1),
        "coach_ask_json_150_rss_mb": round(_json_lines_rss_mb(mixed[:150]), 1),
        "load_average_1min": load,
    }


def _startup_ms(code: str, runs: int) -> float:
    """Median wall time of a fresh interpreter running ``code`` (includes interpreter start)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(*, quick: bool) -> dict[str, object]:
    """Run the matching benchmarks and return their figures."""
    coach = Coach.load()
    baseline = Baseline(coach)
    path = PUBLIC_QUESTIONS if PUBLIC_QUESTIONS.exists() else FALLBACK_QUESTIONS
    cases = load_cases(path)

    def ours(text: str) -> dict[str, Any]:
        reply = coach.answer(text)
        return {"results": [m.to_json() for m in reply.results]}

    rounds = 20 if quick else 200
    mine = _time_queries(coach.answer, MIX, rounds)
    theirs = _time_queries(baseline.answer, MIX, rounds)
    places = coach.content.places
    place_texts = ("Leeds", "LS6 3AB", "Manchestr", "weather tomorrow", "courses in Bristol?")
    place_lookup = _time_queries(places.lookup, place_texts, rounds * 3)
    runs = 3 if quick else 9
    startup = _startup_ms(STARTUP_CODE, runs)
    bare = _startup_ms("pass", runs)
    return {
        "match_p50_ms": round(mine.p50_ms, 4),
        "match_p99_ms": round(mine.p99_ms, 4),
        "baseline_match_p50_ms": round(theirs.p50_ms, 4),
        "baseline_match_p99_ms": round(theirs.p99_ms, 4),
        "place_lookup_p99_ms": round(place_lookup.p99_ms, 4),
        "match_accuracy": round(_accuracy(ours, cases), 3),
        "baseline_accuracy": round(_accuracy(baseline.answer, cases), 3),
        "startup_ms": round(startup, 1),
        "bare_python_startup_ms": round(bare, 1),
        "startup_minus_python_ms": round(startup - bare, 1),
        "question_set": str(path.name),
        **situational(quick=quick),
    }
