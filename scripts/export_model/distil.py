"""``python -m scripts.export_model.distil --out DIR``: a model2vec static model of MiniLM.

For ``bench/semantic.py``'s comparison only; it is not shipped unless it beats the ONNX model.
model2vec's defaults (PCA to 256 dimensions, SIF weighting, float16) are the library's
recommended ones, so the figures compare the approach rather than our tuning of it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model2vec.distill import distill

from scripts.export_model.export import source_dir


def main(argv: list[str] | None = None) -> int:
    """Distil and save the static model."""
    parser = argparse.ArgumentParser(prog="python -m scripts.export_model.distil")
    parser.add_argument("--out", type=Path, default=Path("build/model2vec-minilm"))
    args = parser.parse_args(argv)
    model = distill(model_name=str(source_dir()), device="cpu")
    model.save_pretrained(str(args.out))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
