"""Signed MatMul weights: the same numbers, so the same vectors, bit for bit."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from bot.content import load_content
from bot.semantic import Encoder, default_model_dir
from bot.semantic.files import MODEL_FILE
from bot.semantic.signed import has_vnni, signed_weights
from bot.understanding.reader import Understanding

MODEL = default_model_dir() / MODEL_FILE


def test_every_content_text_gets_the_same_vector_with_signed_weights() -> None:
    # Integer products summed in integers: with VNNI nothing may differ, not even the last bit.
    if not has_vnni():
        pytest.skip("this CPU has no VNNI: the loader keeps the weights unsigned here")
    texts = [t for group in Understanding.groups(load_content()).values() for t in group]
    texts += ["", "ok", "🙂", "x" * 3000, "leadership " * 500]
    unsigned = Encoder.load(signed=False)
    signed = Encoder.load(signed=True)
    for text in texts:
        assert np.array_equal(signed.encode_one(text), unsigned.encode_one(text)), text
    assert np.array_equal(signed.encode(texts[:40]), unsigned.encode(texts[:40]))


def test_the_conversion_keeps_every_weight_minus_its_zero_point() -> None:
    onnx = pytest.importorskip("onnx", reason="the onnx package is in the build extra only")
    from onnx import numpy_helper

    before = onnx.load_from_string(MODEL.read_bytes())
    converted = signed_weights(MODEL.read_bytes())
    assert converted is not None
    after = onnx.load_from_string(converted)
    old = {t.name: numpy_helper.to_array(t) for t in before.graph.initializer}
    new = {t.name: numpy_helper.to_array(t) for t in after.graph.initializer}
    assert old.keys() == new.keys()
    changed = [name for name in old if old[name].dtype != new[name].dtype]
    assert len(changed) == 72  # 36 MatMulInteger weights and their zero points
    for name in changed:
        assert (old[name].dtype, new[name].dtype) == (np.uint8, np.int8)
        assert np.array_equal(old[name].astype(np.int16) - 128, new[name].astype(np.int16))
    for name in old.keys() - set(changed):
        assert np.array_equal(old[name], new[name]), name
    assert [n.op_type for n in after.graph.node] == [n.op_type for n in before.graph.node]


@pytest.mark.parametrize(
    "model",
    [
        b"",
        b"\xff\xff\xff",  # a truncated varint
        b"\x3a\x05abc",  # a graph longer than the file
        b"\x08\x07",  # no graph at all
        b"\x3a\x00",  # an empty graph: nothing to convert
    ],
)
def test_anything_else_is_left_to_the_runtime_as_it_is(model: bytes) -> None:
    assert signed_weights(model) is None


def test_a_converted_model_is_not_converted_again() -> None:
    # Its weights are already signed: the loader must not flip them back.
    converted = signed_weights(MODEL.read_bytes())
    assert converted is not None
    assert signed_weights(converted) is None


def test_vnni_is_read_from_the_cpu_flags(tmp_path: Path) -> None:
    with_vnni = tmp_path / "with"
    with_vnni.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni\n")
    without = tmp_path / "without"
    without.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f\n")
    import platform

    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip("only x86-64 CPUs are converted")
    assert has_vnni(with_vnni)
    assert not has_vnni(without)
    assert not has_vnni(tmp_path / "missing")


def test_a_bytearray_is_converted_in_place_or_left_whole() -> None:
    shipped = MODEL.read_bytes()
    in_place = bytearray(shipped)
    assert signed_weights(in_place) == signed_weights(shipped)
    # The last weight tensor made INT8 already: the conversion is refused, and the tensors
    # before it, checked first, must not have been flipped.
    tampered = bytearray(shipped)
    last = tampered.rfind(b"_zero_point")
    code = tampered.rfind(b"\x10\x02", 0, last)  # TensorProto.data_type = UINT8
    tampered[code + 1] = 3
    before = bytes(tampered)
    assert signed_weights(tampered) is None
    assert tampered == before


def test_the_converted_model_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoder: Encoder
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    loaded = Encoder.load(signed=True)
    assert list(tmp_path.iterdir()) == []
    if not has_vnni():
        # Without VNNI, onnxruntime multiplies unsigned by signed bytes with AVX2's pmaddubsw,
        # whose 16-bit pair sums saturate (cosine 0.97 here, on an AMD EPYC): which is why the
        # loader converts only where the CPU has VNNI. Forced here, only the file check holds.
        return
    assert float(loaded.encode_one("resilience") @ encoder.encode_one("resilience")) > 0.999


def test_without_a_writable_temporary_folder_the_model_loads_as_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoder: Encoder
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    loaded = Encoder.load(signed=True)
    unsigned = Encoder.load(signed=False)
    assert np.array_equal(loaded.encode_one("resilience"), unsigned.encode_one("resilience"))
