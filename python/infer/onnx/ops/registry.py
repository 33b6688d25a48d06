"""The converter registry and the helpers every op family shares.

A converter turns one ONNX node into infer dialect ops; it is registered
with `@converter("Op", ..., since=N)`, valid from opset N of the default
domain (ai.onnx) until the next registration of that op. `lookup(op, opset)`
picks the registration with the highest `since` <= the model's opset.
`CONVERTERS` maps each op type to its registrations, [(since, fn), ...]
sorted by `since`, so `op in CONVERTERS` says whether the op has one at all.
A folder evaluates a node on constant inputs at import time (`@folder`,
`FOLDERS`); folders are not versioned.

The helpers: MLIR types and literals (tensor_type, array_attr, flt,
f32_attr, mlir_string), shape broadcasting, and `simple`, which emits a
one-result op with the node's output type.
"""
import numpy as np
from onnx import TensorProto

from infer.onnx.errors import ImportError_

ELEMENT_TYPES = {
    TensorProto.FLOAT: "f32", TensorProto.FLOAT16: "f16",
    TensorProto.DOUBLE: "f64", TensorProto.BFLOAT16: "bf16",
    TensorProto.INT64: "i64", TensorProto.INT32: "i32",
    TensorProto.INT16: "i16", TensorProto.INT8: "i8", TensorProto.BOOL: "i1",
    TensorProto.UINT8: "ui8", TensorProto.UINT16: "ui16",
    TensorProto.UINT32: "ui32", TensorProto.UINT64: "ui64",
}
NUMPY_TYPES = {
    np.dtype(np.float32): "f32", np.dtype(np.float16): "f16",
    np.dtype(np.float64): "f64", np.dtype(np.int64): "i64",
    np.dtype(np.int32): "i32", np.dtype(np.int16): "i16",
    np.dtype(np.int8): "i8", np.dtype(np.bool_): "i1",
    np.dtype(np.uint8): "ui8", np.dtype(np.uint16): "ui16",
    np.dtype(np.uint32): "ui32", np.dtype(np.uint64): "ui64",
}
FLOATS = {"f32", "f16", "f64", "bf16"}
INT64_MAX = np.iinfo(np.int64).max


def tensor_type(elem, shape):
    dims = "".join(("?" if d is None else str(d)) + "x" for d in shape)
    return f"tensor<{dims}{elem}>"


def mlir_string(text):
    """`text` as the body of an MLIR string literal: printable ASCII as it
    is, other bytes of its UTF-8 (quotes, backslashes, newlines...) as \\XX."""
    return "".join(chr(b) if 0x20 <= b < 0x7F and b not in b'"\\' else f"\\{b:02X}"
                   for b in text.encode())


def array_attr(values):
    values = [int(v) for v in values]
    return "array<i64" + (": " + ", ".join(map(str, values)) if values else "") + ">"


class NonFinite(ImportError_):
    """A NaN or infinite value where the dialect needs a float attribute."""


def flt(value):
    """A float literal MLIR parses: always with a '.' before any exponent."""
    text = repr(float(value))
    if "inf" in text or "nan" in text:
        raise NonFinite(f"{text} where a finite number is needed")
    if "." not in text:
        mantissa, _, exponent = text.partition("e")
        text = mantissa + ".0" + ("e" + exponent if exponent else "")
    return text


F32_MAX = float(np.finfo(np.float32).max)


def f32_attr(value):
    value = float(value)
    if not abs(value) <= F32_MAX:
        raise NonFinite(f"{value} where an f32 attribute is needed")
    return f"{flt(np.float32(value))} : f32"


def is_splat_view(array):
    """Whether `array` is a broadcast scalar (all strides 0)."""
    return array.ndim > 0 and array.size > 0 and all(st == 0 for st in array.strides)


def broadcast(a, b):
    """numpy broadcast of shapes with None for unknown dimensions."""
    out = []
    for i in range(max(len(a), len(b))):
        x = a[len(a) - 1 - i] if i < len(a) else 1
        y = b[len(b) - 1 - i] if i < len(b) else 1
        if x == 1:
            out.append(y)
        elif y == 1 or y is None or x == y:
            out.append(x)
        elif x is None:
            out.append(y)
        else:
            raise ValueError(f"shapes {a} and {b} do not broadcast")
    return out[::-1]


# ---------------------------------------------------------------- registry

# op type -> [(since, converter)], sorted by since.
CONVERTERS = {}
# op type -> folder(imp, node, constant inputs) -> array or None.
FOLDERS = {}


def converter(*names, since=1):
    """Registers the decorated function as the converter of the op types
    `names` from opset `since` of the default domain on."""
    def register(fn):
        for n in names:
            entries = CONVERTERS.setdefault(n, [])
            if any(s == since for s, _ in entries):
                raise ValueError(f"two converters of {n} since opset {since}")
            entries.append((since, fn))
            entries.sort(key=lambda e: e[0])
        return fn
    return register


def lookup(op_type, opset):
    """The converter of `op_type` for a model of default-domain opset
    `opset`: the registration with the highest `since` <= opset; None if
    there is none."""
    best = None
    for since, fn in CONVERTERS.get(op_type, ()):
        if since <= opset:
            best = fn
    return best


def folder(*names):
    def register(fn):
        for n in names:
            FOLDERS[n] = fn
        return fn
    return register


def simple(imp, node, op, attrs="", unary=False, operands=None):
    # A unary op's result has its operand's type (ONNX may know more from the
    # graph's declared outputs, which the op's one-type syntax cannot say).
    elem_shape = imp.type_of((operands or node.input)[0], node) if unary \
        else imp.out_type(node)
    ssa = imp.emit(op, operands or [i for i in node.input if i],
                   tensor_type(*elem_shape), attrs, node, unary=unary)
    imp.bind(node.output[0], ssa, elem_shape)
