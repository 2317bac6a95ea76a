"""
ONNX's narrow types (float8, float4, int4, int2): Cast, CastLike,
QuantizeLinear and DequantizeLinear to and from them, native code against
onnx's reference implementation (and ml_dtypes) on every byte of each format
and on f32 inputs around every rounding boundary (ties, subnormals, overflow,
±0, ±inf, NaN); the ABI (ml_dtypes arrays in and out) and the refusals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ml_dtypes
import numpy as np
import onnx
import pytest
from onnx import TensorProto as T
from onnx import helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from onnx.reference.ops.op_cast import cast_to

import mlc
from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx
from mlc.interpreters import run_function
from mlc.runtime import CompiledModule, InputError

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(0)

FLOATS = {
    T.FLOAT8E4M3FN: ml_dtypes.float8_e4m3fn,
    T.FLOAT8E4M3FNUZ: ml_dtypes.float8_e4m3fnuz,
    T.FLOAT8E5M2: ml_dtypes.float8_e5m2,
    T.FLOAT8E5M2FNUZ: ml_dtypes.float8_e5m2fnuz,
    T.FLOAT4E2M1: ml_dtypes.float4_e2m1fn,
}
INTS = {
    T.INT4: ml_dtypes.int4,
    T.UINT4: ml_dtypes.uint4,
    T.INT2: ml_dtypes.int2,
    T.UINT2: ml_dtypes.uint2,
}
ALL = {**FLOATS, T.FLOAT8E8M0: ml_dtypes.float8_e8m0fnu, **INTS}


def every_byte(elem: int) -> Array:
    return np.arange(256, dtype=np.uint8).view(ALL[elem])


def oracle(x: Array, elem: int, saturate: bool, mode: str = "up") -> Array:
    """onnx's reference Cast."""
    with np.errstate(all="ignore"):
        return cast_to(x, elem, saturate, mode)  # type: ignore[arg-type]


def boundary_inputs(elem: int) -> Array:
    """
    A format's values, the midpoints between them (ties) and their
    neighbours, overflow, subnormals, specials and random f32 bit patterns."""
    with np.errstate(all="ignore"):
        return _boundary_inputs(elem)


def _boundary_inputs(elem: int) -> Array:
    values = np.unique(every_byte(elem).astype(np.float32))
    values = values[np.isfinite(values)]
    mids = (values[1:] + values[:-1]) / 2
    near = np.concatenate(
        [np.nextafter(mids, np.float32(np.inf)), np.nextafter(mids, -np.inf)]
    )
    top = float(ml_dtypes.finfo(ALL[elem]).max)
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, top * 1.06, top * 2]
    specials += [1e30, -1e30, 1e-30, -1e-30, 1e-45, -1e-45, 3.4e38]
    bits = RNG.integers(0, 2**32, 4000, dtype=np.uint64).astype(np.uint32)
    scaled = RNG.standard_normal(4000) * top / 3
    parts = [values, -values, mids, -mids, near, -near, np.array(specials)]
    return np.concatenate(
        [*(p.astype(np.float32) for p in parts), bits.view(np.float32), scaled]
    ).astype(np.float32)


def cast_model(
    src: int, dst: int, shape: tuple[int, ...], **attrs: Any
) -> onnx.ModelProto:
    node = helper.make_node("Cast", ["x"], ["y"], to=dst, **attrs)
    graph = helper.make_graph(
        [node],
        "cast",
        [helper.make_tensor_value_info("x", src, list(shape))],
        [helper.make_tensor_value_info("y", dst, list(shape))],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 25)])


def run_native(model: onnx.ModelProto, *args: Array) -> Any:
    return mlc.compile(import_onnx(model), opt_level=1)(*args)


def same_bits(got: Array, want: Array) -> None:
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


@pytest.mark.parametrize("saturate", [1, 0])
@pytest.mark.parametrize("elem", list(FLOATS), ids=T.DataType.Name)
def test_cast_to_narrow_float_rounds_as_onnx(elem: int, saturate: int) -> None:
    x = boundary_inputs(elem)
    want = oracle(x, elem, bool(saturate))
    model = cast_model(T.FLOAT, elem, x.shape, saturate=saturate)
    same_bits(run_native(model, x), want)


@pytest.mark.parametrize(
    "elem", [T.FLOAT8E4M3FN, T.FLOAT8E5M2FNUZ], ids=T.DataType.Name
)
def test_cast_from_f64_rounds_once(elem: int) -> None:
    """An f64 is rounded from its own bits, not through f32 (double rounding)."""
    values = np.unique(every_byte(elem).astype(np.float64))
    values = values[np.isfinite(values)]
    mids = (values[1:] + values[:-1]) / 2
    x = np.concatenate([mids + 2.0**-40 * np.abs(mids), mids, RNG.standard_normal(99)])
    want = x.astype(ALL[elem])  # ml_dtypes rounds the f64 once
    model = cast_model(T.DOUBLE, elem, x.shape, saturate=0)
    same_bits(run_native(model, x), want)


def test_cast_from_f16_and_int() -> None:
    x = RNG.standard_normal(500).astype(np.float16) * 50
    model = cast_model(T.FLOAT16, T.FLOAT8E5M2, x.shape)
    same_bits(run_native(model, x), oracle(x, T.FLOAT8E5M2, True))
    i = np.arange(-600, 600, dtype=np.int32)
    model = cast_model(T.INT32, T.FLOAT8E4M3FN, i.shape)
    want = oracle(i.astype(np.float32), T.FLOAT8E4M3FN, True)
    same_bits(run_native(model, i), want)


@pytest.mark.parametrize("saturate", [1, 0])
@pytest.mark.parametrize("mode", ["up", "down", "nearest"])
def test_cast_to_e8m0(mode: str, saturate: int) -> None:
    x = boundary_inputs(T.FLOAT8E8M0)
    x = np.concatenate([x, np.float32(2.0) ** np.arange(-149, 128), [1.5, 3.0, 0.75]])
    x = x.astype(np.float32)
    want = oracle(x, T.FLOAT8E8M0, bool(saturate), mode)
    model = cast_model(
        T.FLOAT, T.FLOAT8E8M0, x.shape, saturate=saturate, round_mode=mode
    )
    same_bits(run_native(model, x), want)


@pytest.mark.parametrize("dst", [T.FLOAT, T.FLOAT16, T.DOUBLE, T.INT8, T.INT32])
@pytest.mark.parametrize("elem", list(ALL), ids=T.DataType.Name)
def test_cast_from_narrow_reads_every_byte(elem: int, dst: int) -> None:
    x = every_byte(elem)
    dtype = helper.tensor_dtype_to_np_dtype(dst)
    if np.dtype(dtype).kind == "i" and elem not in INTS:
        x = x[np.isfinite(x.astype(np.float32))]
        x = x[np.abs(x.astype(np.float32)) < 100]  # in range of the integer
    with np.errstate(over="ignore"):
        want = x.astype(dtype)
    got = run_native(cast_model(elem, dst, x.shape), x)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("elem", list(INTS), ids=T.DataType.Name)
def test_cast_to_narrow_int_wraps(elem: int) -> None:
    """Truncated toward zero, then the low bits (the ONNX node tests' results)."""
    x = np.arange(-40, 40, 0.75, dtype=np.float32)
    bits = 4 if elem in (T.INT4, T.UINT4) else 2
    low = np.trunc(x).astype(np.int64) & ((1 << bits) - 1)
    want = low.astype(np.uint8).view(INTS[elem])
    same_bits(run_native(cast_model(T.FLOAT, elem, x.shape), x), want)
    i = np.arange(-20, 20, dtype=np.int16)
    low = i.astype(np.int64) & ((1 << bits) - 1)
    same_bits(
        run_native(cast_model(T.INT16, elem, i.shape), i),
        low.astype(np.uint8).view(INTS[elem]),
    )


def test_narrow_to_narrow_and_castlike() -> None:
    x = every_byte(T.FLOAT8E5M2)
    want = oracle(x.astype(np.float32), T.FLOAT8E4M3FN, True)
    same_bits(run_native(cast_model(T.FLOAT8E5M2, T.FLOAT8E4M3FN, x.shape), x), want)
    like = helper.make_node("CastLike", ["x", "t"], ["y"])
    graph = helper.make_graph(
        [like],
        "castlike",
        [
            helper.make_tensor_value_info("x", T.FLOAT, [7]),
            helper.make_tensor_value_info("t", T.INT4, [1]),
        ],
        [helper.make_tensor_value_info("y", T.INT4, [7])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    f = np.array([-8, -3.5, 0, 1.9, 7, 8, 9], np.float32)
    got = run_native(model, f, np.zeros(1, ml_dtypes.int4))
    np.testing.assert_array_equal(got.astype(np.int8), [-8, -3, 0, 1, 7, -8, -7])


def test_signature_and_abi() -> None:
    compiled = mlc.compile(import_onnx(cast_model(T.FLOAT4E2M1, T.FLOAT, (4,))))
    assert compiled.signature.inputs[0].dtype == np.dtype(ml_dtypes.float4_e2m1fn)
    x = np.array([0.5, -6, 1.5, 0], ml_dtypes.float4_e2m1fn)
    np.testing.assert_array_equal(compiled(x), [0.5, -6, 1.5, 0])
    with pytest.raises(InputError, match="float4_e2m1fn"):
        compiled(x.view(np.uint8))
    back = mlc.compile(import_onnx(cast_model(T.FLOAT, T.UINT2, (3,))))
    assert back.signature.outputs[0].dtype == np.dtype(ml_dtypes.uint2)
    out = np.zeros(3, ml_dtypes.uint2)
    back(np.array([1, 2, 3], np.float32), out=out)
    np.testing.assert_array_equal(out.astype(np.int32), [1, 2, 3])


def test_data_movement_and_initializers() -> None:
    """Narrow values move as bytes; an initializer is read as its bytes."""
    w = numpy_helper.from_array(
        np.array([[1, -2], [0.5, 448]], ml_dtypes.float8_e4m3fn), "w"
    )
    nodes = [
        helper.make_node("Transpose", ["x"], ["t"]),
        helper.make_node("Concat", ["t", "w"], ["c"], axis=0),
        helper.make_node("Reshape", ["c", "s"], ["r"]),
        helper.make_node("Cast", ["r"], ["y"], to=T.FLOAT),
    ]
    shape = numpy_helper.from_array(np.array([8], np.int64), "s")
    graph = helper.make_graph(
        nodes,
        "move",
        [helper.make_tensor_value_info("x", T.FLOAT8E4M3FN, [2, 2])],
        [
            helper.make_tensor_value_info("y", T.FLOAT, [8]),
            helper.make_tensor_value_info("r", T.FLOAT8E4M3FN, [8]),
        ],
        [w, shape],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    x = np.array([[3, -0.25], [0.125, 240]], ml_dtypes.float8_e4m3fn)
    y, r = run_native(model, x)
    want: Array = ReferenceEvaluator(model).run(None, {"x": x})  # type: ignore[assignment]
    np.testing.assert_array_equal(y, want[0])
    same_bits(r, want[1])


def test_interpreter_runs_the_bytes() -> None:
    x = boundary_inputs(T.FLOAT8E5M2)[:300]
    imported = import_onnx(cast_model(T.FLOAT, T.FLOAT8E5M2, x.shape, saturate=0))
    (got,) = run_function(imported.module, imported.entry, [x])
    want = oracle(x, T.FLOAT8E5M2, False)
    np.testing.assert_array_equal(np.asarray(got), want.view(np.uint8))


def test_arithmetic_on_narrow_is_refused() -> None:
    node = helper.make_node("Add", ["x", "x"], ["y"])
    graph = helper.make_graph(
        [node],
        "add",
        [helper.make_tensor_value_info("x", T.FLOAT8E4M3FN, [2])],
        [helper.make_tensor_value_info("y", T.FLOAT8E4M3FN, [2])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    with pytest.raises(UnsupportedModelError, match=r"\(Add\).*FLOAT8E4M3FN"):
        import_onnx(model)


def quant_model(
    op: str, x_type: int, zp_type: int, n: int, **attrs: Any
) -> onnx.ModelProto:
    out_type = zp_type if op == "QuantizeLinear" else T.FLOAT
    graph = helper.make_graph(
        [helper.make_node(op, ["x", "s", "z"], ["y"], axis=0, **attrs)],
        "q",
        [
            helper.make_tensor_value_info("x", x_type, [n, 4]),
            helper.make_tensor_value_info("s", T.FLOAT, [n]),
            helper.make_tensor_value_info("z", zp_type, [n]),
        ],
        [helper.make_tensor_value_info("y", out_type, [n, 4])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 25)])


@pytest.mark.parametrize(
    "elem",
    [T.INT4, T.UINT4, T.INT2, T.UINT2, T.FLOAT8E4M3FN, T.FLOAT8E5M2, T.FLOAT4E2M1],
    ids=T.DataType.Name,
)
def test_quantize_dequantize_per_axis(elem: int) -> None:
    n = 3
    x = (RNG.standard_normal((n, 4)) * 20).astype(np.float32)
    scale = np.array([0.5, 2.0, 7.0], np.float32)
    dtype = ALL[elem]
    zp = np.array([1, 0, 1] if elem in INTS else [0, 0, 0], np.float32).astype(dtype)
    if elem in FLOATS and elem != T.FLOAT4E2M1:
        zp = np.zeros(n, dtype)
    q_model = quant_model("QuantizeLinear", T.FLOAT, elem, n)
    q_want = ReferenceEvaluator(q_model).run(None, {"x": x, "s": scale, "z": zp})[0]
    q = run_native(q_model, x, scale, zp)
    same_bits(q, q_want)  # type: ignore[arg-type]
    d_model = quant_model("DequantizeLinear", elem, elem, n)
    d_want = ReferenceEvaluator(d_model).run(None, {"x": q, "s": scale, "z": zp})[0]
    np.testing.assert_array_equal(run_native(d_model, q, scale, zp), d_want)


def test_export_gives_narrow_types_as_bytes(tmp_path: Path) -> None:
    compiled = mlc.compile(import_onnx(cast_model(T.FLOAT, T.FLOAT8E5M2, (3,))))
    assert isinstance(compiled, CompiledModule)
    built = compiled.export_library(tmp_path / "libnarrow.so")
    header = built.header.read_text()
    assert "float8_e5m2, its ml_dtypes storage byte" in header
    assert "uint8_t" in header


def test_constant_of_a_narrow_type_folds() -> None:
    """A Constant node's narrow value is its bytes; its Cast folds at import."""
    value = np.array([0.5, -3, 448, 0.001953125], ml_dtypes.float8_e4m3fn)
    nodes = [
        helper.make_node("Constant", [], ["c"], value=numpy_helper.from_array(value)),
        helper.make_node("Cast", ["c"], ["f"], to=T.FLOAT),
        helper.make_node("Add", ["x", "f"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "const",
        [helper.make_tensor_value_info("x", T.FLOAT, [4])],
        [helper.make_tensor_value_info("y", T.FLOAT, [4])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    imported = import_onnx(model)
    assert "graph.gather" not in str(imported.module)  # folded
    x = np.arange(4, dtype=np.float32)
    got = mlc.compile(imported)(x)
    np.testing.assert_array_equal(got, x + value.astype(np.float32))
