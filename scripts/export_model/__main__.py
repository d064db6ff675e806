"""``python -m scripts.export_model [--out DIR]``: build the shipped int8 ONNX MiniLM.

Run from the project root in the build venv (see README.md here); it takes about a minute.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bot.semantic.files import DEFAULT_DIR
from scripts.export_model.export import (
    export_fp32,
    max_seq_length,
    quantise,
    source_dir,
    write_tokenizer,
)
from scripts.export_model.provenance import (
    APACHE,
    FINETUNE_RECORD,
    write_checksums,
    write_license,
    write_provenance,
)
from scripts.export_model.verify import compare


def main(argv: list[str] | None = None) -> int:
    """Export, quantise, verify against torch, and write the model folder."""
    parser = argparse.ArgumentParser(prog="python -m scripts.export_model", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="the model folder")
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="a sentence-transformers folder (default: the packaged MiniLM; a fine-tuned one "
        "comes from scripts.export_model.finetune)",
    )
    parser.add_argument(
        "--license-text", type=Path, default=APACHE, help="a plain Apache-2.0 licence text"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    source: Path = args.source or source_dir()
    length = max_seq_length(source)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fp32 = work / "model-fp32.onnx"
        write_tokenizer(source=source, target=out / "tokenizer.json", max_length=length)
        export_fp32(source=source, target=fp32)
        settings = quantise(fp32=fp32, target=out / "model.onnx", work=work, max_length=length)
        write_checksums(out)
        agreement = compare(model_dir=out, source=source, fp32_onnx=fp32)
    for name, a in agreement.items():
        print(f"{name}: min cosine {a.minimum:.4f}, mean {a.mean:.4f} over {a.sentences}")
    finetuned = (source / FINETUNE_RECORD).is_file()
    write_license(out, args.license_text.read_text(encoding="utf-8"), finetuned=finetuned)
    command = "python -m scripts.export_model" + "".join(f" {a}" for a in (argv or sys.argv[1:]))
    write_provenance(out, source=source, settings=settings, agreement=agreement, command=command)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
