"""The shipped int8 model with its MatMul weights stored signed: the same numbers, a faster kernel.

The model's quantised weights are unsigned bytes (``QUInt8``, see ``scripts/export_model``) and
its activations are unsigned too, so onnxruntime multiplies them with its u8 x u8 kernel. On an
x86-64 CPU with VNNI (``vpdpbusd``, which multiplies unsigned by signed bytes straight into
32-bit sums) its u8 x s8 kernel is about twice as fast, and the model's matrix products are
three quarters of a query's time. Shifting every weight and its zero point down by 128 keeps
each ``weight - zero_point`` exactly as it was, and the products are summed in integers, so the
vectors are bit for bit the same (``tests/bot/semantic/test_signed.py`` checks every content
text). Without VNNI the u8 x s8 kernel pairs products in 16 bits and can saturate, so there the
weights stay unsigned.

Why walk the protobuf by hand: only the 72 weight and zero-point tensors change (their type
code and values), everything else is copied byte for byte, and that takes a few lines of
wire-format reading, where the ``onnx`` package would be a 16 MB runtime dependency for this
alone. The conversion runs in memory at load (a few milliseconds); the shipped file and its checksum
stay as the build made them.
"""

from __future__ import annotations

import platform
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

# ONNX wire-format field numbers: ModelProto.graph; GraphProto.node and .initializer;
# NodeProto.input, .op_type and .domain; TensorProto.data_type, .int32_data, .name, .raw_data.
_MODEL_GRAPH = 7
_GRAPH_NODE, _GRAPH_INITIALIZER = 1, 5
_NODE_INPUT, _NODE_OP_TYPE, _NODE_DOMAIN = 1, 4, 7
_TENSOR_DATA_TYPE, _TENSOR_INT32_DATA, _TENSOR_NAME, _TENSOR_RAW_DATA = 2, 5, 8, 9
_UINT8, _INT8 = 2, 3
_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5
# MatMulInteger(A, B, a_zero_point, b_zero_point): the weight and its zero point.
_WEIGHT_INPUTS = (1, 3)
_VNNI_FLAGS = frozenset({"avx512_vnni", "avx_vnni"})


class _Malformed(ValueError):
    """The bytes are not the ONNX graph this conversion expects; the model is used as it is."""


def _varint(buf: bytes | bytearray, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise _Malformed("truncated varint")
        byte = buf[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        shift += 7
        if byte < 0x80:
            return value, pos


def _fields(
    buf: bytes | bytearray, start: int, end: int
) -> Iterator[tuple[int, int, int, int, int]]:
    """Each field of the message in ``buf[start:end]``: number, wire type, value start and end,
    and where the field (its key) starts.

    A varint's value range is its encoded bytes; a length-delimited one's is its payload.
    """
    pos = start
    while pos < end:
        field = pos
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            _, after = _varint(buf, pos)
        elif wire == _BYTES:
            size, pos = _varint(buf, pos)
            after = pos + size
        elif wire in (_FIXED64, _FIXED32):
            after = pos + (8 if wire == _FIXED64 else 4)
        else:
            raise _Malformed(f"unexpected wire type {wire}")
        if after > end:
            raise _Malformed("field runs past its message")
        yield number, wire, pos, after, field
        pos = after


def _text(buf: bytes | bytearray, start: int, end: int) -> str:
    return bytes(buf[start:end]).decode("utf-8")


def _targets(buf: bytes | bytearray, start: int, end: int) -> set[str]:
    """The initializers used as MatMulInteger weights or weight zero points, and nothing else."""
    targets: set[str] = set()
    other: set[str] = set()
    for number, wire, s, e, _field in _fields(buf, start, end):
        if number != _GRAPH_NODE or wire != _BYTES:
            continue
        inputs: list[str] = []
        op_type = domain = ""
        for n, _w, fs, fe, _f in _fields(buf, s, e):
            if n == _NODE_INPUT:
                inputs.append(_text(buf, fs, fe))
            elif n == _NODE_OP_TYPE:
                op_type = _text(buf, fs, fe)
            elif n == _NODE_DOMAIN:
                domain = _text(buf, fs, fe)
        weights = op_type == "MatMulInteger" and domain in ("", "ai.onnx")
        for position, name in enumerate(inputs):
            (targets if weights and position in _WEIGHT_INPUTS else other).add(name)
    # A weight another node also reads would change for that node too.
    if targets & other:
        raise _Malformed("a MatMulInteger weight is shared with another node")
    return targets


def _key(number: int, wire: int) -> bytes:
    return _encode_varint(number << 3 | wire)


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _unpack_bytes(packed: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Packed varints known to hold byte values (0-255: one or two bytes each), decoded."""
    ends = np.flatnonzero(packed < 0x80)
    starts = np.concatenate(([0], ends[:-1] + 1))
    if not len(ends) or ends[-1] != len(packed) - 1 or np.any(ends - starts > 1):
        raise _Malformed("a zero point is not a byte value")
    values = (packed[starts] & 0x7F).astype(np.int64) | np.where(
        ends > starts, packed[ends].astype(np.int64) << 7, 0
    )
    if np.any(values > 0xFF):
        raise _Malformed("a zero point is not a byte value")
    return values.astype(np.uint8)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Tensor:
    """Where one unsigned-byte TensorProto keeps its type code and values (nothing changed yet)."""

    number: int
    start: int
    end: int
    field: int
    data_type: int
    raw: tuple[int, int] | None
    # From ``int32_data``: where that field starts and ends, and the values it holds.
    packed: tuple[int, int, bytes] | None


def _inspect(buf: bytearray, number: int, start: int, end: int, field: int) -> _Tensor:
    data_type = raw = packed = None
    for n, wire, s, e, f in _fields(buf, start, end):
        if n == _TENSOR_DATA_TYPE and wire == _VARINT:
            data_type = s
        elif n == _TENSOR_RAW_DATA and wire == _BYTES and e > s:
            raw = (s, e)
        elif n == _TENSOR_INT32_DATA and wire == _BYTES and e > s:
            values = _unpack_bytes(np.frombuffer(buf, dtype=np.uint8, count=e - s, offset=s))
            packed = (f, e, values.tobytes())
    if data_type is None or buf[data_type] != _UINT8 or (raw is None) == (packed is None):
        raise _Malformed("not an unsigned byte tensor with data")
    return _Tensor(
        number=number,
        start=start,
        end=end,
        field=field,
        data_type=data_type,
        raw=raw,
        packed=packed,
    )


def _sign(buf: bytearray, t: _Tensor) -> bytes | None:
    """Make one tensor signed: each value minus 128, its type INT8.

    ``w - 128`` as a signed byte is ``w`` with its top bit flipped. Values in ``raw_data`` (the
    weights) and the one-byte type code change in place, so the message keeps its length and
    ``None`` is returned. Values in ``int32_data`` (the small zero-point tensors) become
    ``raw_data``, which changes the length: the re-encoded message is returned.
    """
    buf[t.data_type] = _INT8  # both type codes are one-byte varints
    if t.raw is not None:
        view = np.frombuffer(buf, dtype=np.uint8, count=t.raw[1] - t.raw[0], offset=t.raw[0])
        view ^= np.uint8(0x80)
        return None
    assert t.packed is not None
    field, end, values = t.packed
    flipped = (np.frombuffer(values, dtype=np.uint8) ^ np.uint8(0x80)).tobytes()
    raw_field = _key(_TENSOR_RAW_DATA, _BYTES) + _encode_varint(len(flipped)) + flipped
    return bytes(buf[t.start : field]) + bytes(buf[end : t.end]) + raw_field


def signed_weights(model: bytes | bytearray) -> bytes | None:
    """``model`` with every MatMulInteger weight and weight zero point moved from u8 to s8.

    The converted model as one ``bytes``; see :func:`signed_parts`, which this joins.
    """
    parts = signed_parts(model)
    return None if parts is None else b"".join(parts)


def signed_parts(model: bytes | bytearray) -> list[bytes | memoryview] | None:
    """The converted model as pieces to write out in order, most of them views of ``model``.

    Writing the pieces to a file spares joining them: another 23 MB copy in memory.

    A ``bytearray`` is converted in place (spared a copy of 23 MB) when the conversion applies,
    and left untouched when it does not; ``bytes`` are copied first.

    Returns:
        The converted model, or ``None`` when the bytes are not a graph this applies to (no
        unsigned MatMulInteger weights, or a layout it does not expect); use ``model`` then.
    """
    buf = model if isinstance(model, bytearray) else bytearray(model)
    try:
        start, end, graph_field = next(
            (s, e, f) for n, w, s, e, f in _fields(buf, 0, len(buf)) if n == _MODEL_GRAPH
        )
        targets = _targets(buf, start, end)
        # Every tensor is checked before any is changed, so a surprise leaves the model whole.
        tensors = {
            name: _inspect(buf, n, s, e, f)
            for n, w, s, e, f in _fields(buf, start, end)
            if n == _GRAPH_INITIALIZER
            and w == _BYTES
            and (name := _tensor_name(buf, s, e)) in targets
        }
    except (_Malformed, StopIteration, UnicodeDecodeError):
        return None
    if not targets or tensors.keys() != targets:
        return None
    # The graph as pieces: unchanged runs of it as views, re-encoded tensors as bytes.
    whole = memoryview(buf)
    parts: list[bytes | memoryview] = []
    copied = start
    for t in sorted(tensors.values(), key=lambda t: t.field):
        tensor = _sign(buf, t)
        if tensor is not None:
            parts += [whole[copied : t.field], _key(t.number, _BYTES), _encode_varint(len(tensor))]
            parts.append(tensor)
            copied = t.end
    parts.append(whole[copied:end])
    size = sum(len(p) for p in parts)
    head: list[bytes | memoryview] = [
        whole[:graph_field],
        _key(_MODEL_GRAPH, _BYTES),
        _encode_varint(size),
    ]
    return [*head, *parts, whole[end:]]


def _tensor_name(buf: bytes | bytearray, start: int, end: int) -> str:
    for number, _wire, s, e, _field in _fields(buf, start, end):
        if number == _TENSOR_NAME:
            return _text(buf, s, e)
    return ""


def has_vnni(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this is an x86-64 CPU with AVX-512 VNNI or AVX-VNNI (Linux; ``False`` elsewhere)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        with cpuinfo.open(encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return bool(_VNNI_FLAGS & set(line.partition(":")[2].split()))
    except OSError:
        return False
    return False
