"""Quantized converters: QuantizeLinear, DequantizeLinear (QDQ form, as
`!quant.uniform` tensors, when their parameters are constants; else the
arithmetic in f32 on plain integer tensors), QLinearConv and QLinearMatMul
(dequantize, compute in float, quantize), the integer ops MatMulInteger and
ConvInteger (in int32) and DynamicQuantizeLinear; plus the raw uint8
helpers other converters (Cast) and the driver (uint8 graph inputs) use."""
import math

import numpy as np
from onnx import helper

from infer.onnx.errors import ImportError_, Unsupported
from infer.onnx.ops.folding import fold_dequantize
from infer.onnx.ops.nn import convert_conv
from infer.onnx.ops.registry import (NUMPY_TYPES, array_attr, broadcast, converter, f32_attr,
                                     flt, simple, tensor_type)


def quant_type(imp, node, scale, zero_point, storage, expressed):
    axis = imp.attr(node, "axis", 1)
    scale = scale.reshape(-1)
    zp = np.zeros_like(scale, dtype=np.int64) if zero_point is None else \
        zero_point.reshape(-1).astype(np.int64)
    if storage not in ("i8", "u8"):
        raise imp.fail(node, f"{storage} quantization is not supported (int8/uint8 are)")
    if scale.size == 1:
        return f"!quant.uniform<{storage}:{expressed}, {flt(scale[0])}:{int(zp[0])}>"
    rank = len(imp.type_of(node.input[0], node)[1])
    axis = axis + rank if axis < 0 else axis
    params = ", ".join(f"{flt(s)}:{int(z)}" for s, z in zip(scale, zp))
    return f"!quant.uniform<{storage}:{expressed}:{axis}, {{{params}}}>"


@converter("QuantizeLinear")
def convert_quantize(imp, node):
    if not is_constant(imp, node, 1) or not is_constant(imp, node, 2):
        runtime_quantize(imp, node)
        return
    scale = imp.const_input(node, 1, "y_scale")
    zp = imp.const_input(node, 2, "y_zero_point")
    storage = "u8" if zp is None or zp.dtype == np.uint8 else \
        {np.dtype(np.int8): "i8"}.get(zp.dtype, str(zp.dtype))
    elem, shape = imp.type_of(node.input[0], node)
    qt = quant_type(imp, node, scale, zp, storage, elem)
    t = tensor_type(qt, shape)
    ssa = imp.emit("infer.quantize", [node.input[0]], t, node=node)
    imp.ssa[node.output[0]] = ssa
    imp.types[node.output[0]] = ("i8", shape)
    imp.quant_types[node.output[0]] = t


@converter("DequantizeLinear")
def convert_dequantize(imp, node):
    name = node.input[0]
    qts = imp.quant_types
    if (name not in qts and name not in imp.consts) or (
            (not is_constant(imp, node, 1) or not is_constant(imp, node, 2)) and
            (name not in qts or is_raw(imp, name))):
        runtime_dequantize(imp, node)
        return
    scale = imp.const_input(node, 1, "x_scale")
    zp = imp.const_input(node, 2, "x_zero_point")
    if name not in qts:
        raise imp.fail(node, "the input must come from a QuantizeLinear, be a "
                       "constant or a uint8 graph input")
    out_elem, shape = imp.out_type(node)
    storage = "u8" if zp is None or zp.dtype == np.uint8 else "i8"
    qt = quant_type(imp, node, scale, zp, storage, out_elem)
    if qts[name] != tensor_type(qt, shape) and is_raw(imp, name) and out_elem == "f32":
        if imp.attr(node, "block_size", 0):
            raise imp.fail(node, "blocked quantization is not supported", Unsupported)
        raw_dequantize(imp, node, name, scale, zp, imp.attr(node, "axis", 1),
                       node.output[0])
        return
    if qts[name] != tensor_type(qt, shape):
        raise imp.fail(node, "quantization parameters differ from the producer's")
    ssa = imp.emit("infer.dequantize", [(imp.ssa[name], qts[name])],
                   tensor_type(out_elem, shape), node=node)
    imp.bind(node.output[0], ssa, (out_elem, shape))


# ------------------------------------ quantization parameters at run time
#
# A scale or zero point computed in the graph (the expanded form of
# DynamicQuantizeLinear) cannot be a `!quant.uniform` parameter: the
# arithmetic is emitted instead, in f32, on plain integer tensors (ui8, i8,
# ui16, i16).

# The range of each integer type quantization may produce.
QUANT_RANGES = {"ui8": (0, 255), "i8": (-128, 127), "ui16": (0, 65535),
                "i16": (-32768, 32767)}
ONNX_QUANT_TYPES = {2: "ui8", 3: "i8", 4: "ui16", 5: "i16"}


def is_constant(imp, node, i):
    """Whether optional input `i` is absent or a constant."""
    name = imp.input(node, i)
    return name is None or name in imp.consts


def _f32_of(imp, node, name):
    """(ssa, tensor type, shape) of `name` as f32: a constant as such, a raw
    quantized value (uint8 graph input) by dequantize, others by cast."""
    if name in imp.consts:
        array = np.asarray(imp.consts[name])
        tmp = f"{name}:{node.name or node.op_type}:f32"
        imp.consts[tmp] = array.astype(np.float32)
        return imp.value(tmp, node), tensor_type("f32", list(array.shape)), list(array.shape)
    if is_raw(imp, name):
        ssa, shape = raw_to(imp, node, name, "f32")
        return ssa, tensor_type("f32", shape), shape
    if name in imp.quant_types:
        raise imp.fail(node, f"'{name}' comes from a QuantizeLinear of constant "
                       "parameters; here the parameters are computed at run time",
                       Unsupported)
    elem, shape = imp.type_of(name, node)
    ssa = imp.value(name, node)
    if elem != "f32":
        ssa = imp.emit("infer.cast", [(ssa, tensor_type(elem, shape))],
                       tensor_type("f32", shape), node=node)
    return ssa, tensor_type("f32", shape), shape


def _param_for(imp, node, i, what, rank):
    """Scale or zero point input `i` as f32, shaped to broadcast against
    the rank-`rank` data: one value (a scalar or [1]) or one per element
    of `axis` (1-D)."""
    if imp.attr(node, "block_size", 0):
        raise imp.fail(node, "blocked quantization is not supported", Unsupported)
    ssa, t, shape = _f32_of(imp, node, node.input[i])
    if len(shape) == 0:
        return ssa, t
    if len(shape) != 1 or shape[0] is None:
        raise imp.fail(node, f"input {i} ({what}) of shape {shape} is neither one value "
                       "nor 1-D of static size", Unsupported)
    if shape[0] == 1:
        view = []
    else:
        axis = imp.attr(node, "axis", 1)
        axis = axis + rank if axis < 0 else axis
        if not 0 <= axis < rank:
            raise imp.fail(node, f"axis {imp.attr(node, 'axis', 1)} is out of range for "
                           f"rank {rank}")
        view = [1] * rank
        view[axis] = shape[0]
    vt = tensor_type("f32", view)
    return imp.emit("infer.reshape", [(ssa, t)], vt, f"shape = {array_attr(view)}",
                    node=node), vt


def runtime_quantize(imp, node):
    """QuantizeLinear whose scale or zero point is computed at run time:
    y = saturate(round(x / y_scale) + y_zero_point) in f32, rounding half to
    even, clamped to the range of the zero point's type (uint8 without one,
    or output_dtype) and cast to it: a plain integer tensor."""
    elem, shape = imp.type_of(node.input[0], node)
    if elem not in ("f32", "f16", "bf16", "f64"):
        raise imp.fail(node, f"input 0 (x) must be a float tensor, not {elem}")
    zp_name = imp.input(node, 2)
    if zp_name is not None:
        if zp_name in imp.consts:
            to = NUMPY_TYPES.get(np.asarray(imp.consts[zp_name]).dtype)
        elif zp_name in imp.quant_types:
            to = "ui8" if RAW_U8 in imp.quant_types[zp_name] else "i8"
        else:
            to = imp.type_of(zp_name, node)[0]
    else:
        to = ONNX_QUANT_TYPES.get(imp.attr(node, "output_dtype", 0) or 2)
    if to not in QUANT_RANGES:
        raise imp.fail(node, f"quantization to {to or imp.attr(node, 'output_dtype')} "
                       "is not supported (int8, uint8, int16 and uint16 are)", Unsupported)
    lo, hi = QUANT_RANGES[to]
    rank = len(shape)
    t = tensor_type("f32", shape)
    x, _, _ = _f32_of(imp, node, node.input[0])
    scale = _param_for(imp, node, 1, "y_scale", rank)
    y = (imp.emit("infer.div", [(x, t), scale], t, node=node), t)
    y = (imp.emit("infer.round", [y], t, node=node, unary=True), t)
    if zp_name is not None:
        y = (imp.emit("infer.add", [y, _param_for(imp, node, 2, "y_zero_point", rank)], t,
                      node=node), t)
    for op, bound in (("infer.max", lo), ("infer.min", hi)):
        tag = f"{node.output[0]}:{node.name or node.op_type}:{op[6:]}"
        imp.consts[tag] = np.array(bound, np.float32)
        y = (imp.emit(op, [y, tag], t, node=node), t)
    ssa = imp.emit("infer.cast", [y], tensor_type(to, shape), node=node)
    imp.bind(node.output[0], ssa, (to, shape))


def runtime_dequantize(imp, node):
    """DequantizeLinear of a plain integer tensor (a run-time QuantizeLinear's
    output, a Cast to uint8) or with a scale or zero point computed at run
    time: y = (x - x_zero_point) * x_scale in f32, cast to the output type."""
    out_elem, _ = imp.out_type(node)
    elem, shape = imp.type_of(node.input[0], node)
    if node.input[0] not in imp.quant_types and elem not in QUANT_RANGES and elem != "i32":
        raise imp.fail(node, f"input 0 (x) of type {elem} is not supported here "
                       "(int8, uint8, int16, uint16, int32 are)", Unsupported)
    rank = len(shape)
    t = tensor_type("f32", shape)
    x, _, _ = _f32_of(imp, node, node.input[0])
    y = (x, t)
    if imp.input(node, 2) is not None:
        y = (imp.emit("infer.sub", [y, _param_for(imp, node, 2, "x_zero_point", rank)], t,
                      node=node), t)
    y = (imp.emit("infer.mul", [y, _param_for(imp, node, 1, "x_scale", rank)], t,
                  node=node), t)
    if out_elem != "f32":
        y = (imp.emit("infer.cast", [y], tensor_type(out_elem, shape), node=node),
             tensor_type(out_elem, shape))
    imp.bind(node.output[0], y[0], (out_elem, shape))


def float_operand(imp, node, i, scale, zero_point, axis=1):
    """The float value input `i` of a QLinear node stands for, as a name the
    importer knows: a constant is dequantized at import time, a value from a
    QuantizeLinear (with the same parameters) through infer.dequantize."""
    name = node.input[i]
    tmp = f"{name}:{node.name or node.op_type}:float{i}"
    if name in imp.consts:
        dq = helper.make_node("DequantizeLinear", [], [], axis=axis)
        imp.consts[tmp] = fold_dequantize(
            imp, dq, [np.asarray(imp.consts[name]), scale] +
            ([zero_point] if zero_point is not None else []))
        return tmp
    if name not in imp.quant_types:
        raise imp.fail(node, f"input {i} must be a constant, a uint8 graph input or "
                       "come from a QuantizeLinear", Unsupported)
    elem, shape = imp.type_of(name, node)
    storage = "u8" if zero_point is None or zero_point.dtype == np.uint8 else "i8"
    dq = helper.make_node("DequantizeLinear", [name], [tmp], axis=axis)
    qt = quant_type(imp, dq, scale, zero_point, storage, "f32")
    if imp.quant_types[name] != tensor_type(qt, shape) and is_raw(imp, name):
        return raw_dequantize(imp, node, name, scale, zero_point, axis, tmp)
    if imp.quant_types[name] != tensor_type(qt, shape):
        raise imp.fail(node, f"input {i}: quantization parameters differ from the producer's")
    ssa = imp.emit("infer.dequantize", [(imp.ssa[name], imp.quant_types[name])],
                   tensor_type("f32", shape), node=node)
    imp.bind(tmp, ssa, ("f32", shape))
    return tmp


def quantized_shape(imp, node):
    """The shape of a QLinear node's (quantized) output."""
    name = node.output[0]
    if name in imp.types:
        return imp.types[name][1]
    if name not in imp.shapes:
        raise imp.fail(node, "the shape of the output is unknown")
    return imp.shapes[name]


def quantized_result(imp, node, value, scale, zero_point):
    """Quantizes the float `value` (a name) to the node's output."""
    storage = "u8" if zero_point is None or zero_point.dtype == np.uint8 else "i8"
    q = helper.make_node("QuantizeLinear", [value], [node.output[0]], name=node.name)
    _, shape = imp.type_of(value, node)
    qt = quant_type(imp, q, scale, zero_point, storage, "f32")
    t = tensor_type(qt, shape)
    imp.ssa[node.output[0]] = imp.emit("infer.quantize", [value], t, node=node)
    imp.types[node.output[0]] = ("i8", shape)
    imp.quant_types[node.output[0]] = t


@converter("QLinearConv")
def convert_qlinear_conv(imp, node):
    """Dequantize, convolve in float, quantize: the QDQ form of the
    quantized convolution (the bias, int32 at scale x_scale * w_scale, is
    dequantized at import time)."""
    x_scale = imp.const_input(node, 1, "x_scale")
    x_zp = imp.const_input(node, 2, "x_zero_point")
    w_scale = imp.const_input(node, 4, "w_scale")
    w_zp = imp.const_input(node, 5, "w_zero_point")
    y_scale = imp.const_input(node, 6, "y_scale")
    y_zp = imp.const_input(node, 7, "y_zero_point")
    x = float_operand(imp, node, 0, x_scale, x_zp)
    w = float_operand(imp, node, 3, w_scale, w_zp, axis=0)
    inputs = [x, w]
    if imp.input(node, 8):
        bias = imp.const_input(node, 8, "B")
        b = f"{node.input[8]}:{node.name or node.op_type}:float8"
        imp.consts[b] = (bias.astype(np.float64) * (x_scale.astype(np.float64) *
                         w_scale.astype(np.float64)).reshape(-1)).astype(np.float32)
        inputs.append(b)
    out = f"{node.output[0]}:float"
    imp.types[out] = ("f32", quantized_shape(imp, node))
    conv = helper.make_node("Conv", inputs, [out], name=node.name)
    conv.attribute.extend(node.attribute)
    convert_conv(imp, conv)
    quantized_result(imp, node, out, y_scale, y_zp)


@converter("QLinearMatMul")
def convert_qlinear_matmul(imp, node):
    """Dequantize, multiply in float, quantize."""
    a = float_operand(imp, node, 0, imp.const_input(node, 1, "a_scale"),
                      imp.const_input(node, 2, "a_zero_point"))
    b = float_operand(imp, node, 3, imp.const_input(node, 4, "b_scale"),
                      imp.const_input(node, 5, "b_zero_point"), axis=-1)
    out = f"{node.output[0]}:float"
    shape = quantized_shape(imp, node)
    imp.types[out] = ("f32", shape)
    ssa = imp.emit("infer.matmul", [a, b], tensor_type("f32", shape), node=node)
    imp.bind(out, ssa, ("f32", shape))
    quantized_result(imp, node, out, imp.const_input(node, 6, "y_scale"),
                     imp.const_input(node, 7, "y_zero_point"))


# ------------------------------------------- integer ops, dynamic quantization
#
# A uint8 value that only quantized ops read (a uint8 graph input of
# DequantizeLinear, QLinear* or the integer ops, DynamicQuantizeLinear's
# outputs) is a `!quant.uniform<u8:f32, 1.0:0>` tensor: its storage is the
# uint8 and infer.dequantize (uitofp) gives the exact integer in f32. Any
# other uint8 value is a plain ui8 tensor.

RAW_U8 = "!quant.uniform<u8:f32, 1.0:0>"
RAW_I8 = "!quant.uniform<i8:f32, 1.0:0>"
# The ops whose converters take quantized (and raw uint8) inputs; any other
# op with such an input is an import error.
QUANTIZED_CONSUMERS = {"DequantizeLinear", "QLinearConv", "QLinearMatMul",
                       "MatMulInteger", "ConvInteger", "Cast"}


def is_raw(imp, name):
    """Whether `name` is a quantized value whose storage integers are the
    ONNX values themselves (scale 1, zero point 0)."""
    t = imp.quant_types.get(name)
    return t is not None and (RAW_U8 in t or RAW_I8 in t)


def bind_raw_u8(imp, name, ssa, shape):
    t = tensor_type(RAW_U8, shape)
    imp.ssa[name] = ssa
    imp.types[name] = ("i8", shape)
    imp.quant_types[name] = t
    return t


def raw_to(imp, node, name, elem):
    """The exact integer values of the raw quantized `name` as `elem`
    (f32 or i32): dequantize (exact for 8 bits), then cast."""
    shape = imp.types[name][1]
    tf = tensor_type("f32", shape)
    ssa = imp.emit("infer.dequantize", [(imp.ssa[name], imp.quant_types[name])], tf,
                   node=node)
    if elem != "f32":
        ssa = imp.emit("infer.cast", [(ssa, tf)], tensor_type(elem, shape), node=node)
    return ssa, shape


def raw_dequantize(imp, node, name, scale, zero_point, axis, out_name):
    """(q - zero_point) * scale in float for a raw quantized `name` (a uint8
    graph input), binding `out_name`: DequantizeLinear or a QLinear operand
    whose parameters are constants."""
    ssa, shape = raw_to(imp, node, name, "f32")
    t = tensor_type("f32", shape)
    scale = np.asarray(scale, np.float32)
    zp = np.zeros((), np.int64) if zero_point is None else \
        np.asarray(zero_point).astype(np.int64)
    if scale.size > 1:
        axis = axis + len(shape) if axis < 0 else axis
        view = [1] * len(shape)
        view[axis] = scale.size
        scale = scale.reshape(view)
        zp = zp.reshape(view) if zp.size > 1 else zp.reshape(())
    else:
        scale, zp = scale.reshape(()), zp.reshape(-1)[0].reshape(())
    tag = f"{name}:{node.name or node.op_type}"
    if zp.any():
        imp.consts[f"{tag}:zp"] = zp.astype(np.float32)
        ssa = imp.emit("infer.sub", [(ssa, t), f"{tag}:zp"], t, node=node)
    imp.consts[f"{tag}:scale"] = scale
    ssa = imp.emit("infer.mul", [(ssa, t), f"{tag}:scale"], t, node=node)
    imp.bind(out_name, ssa, ("f32", shape))
    return out_name


def integer_operand(imp, node, i, what):
    """Input `i` of an integer op (int8 or uint8): a constant as an int64
    numpy array, or a value as an (ssa, i32 tensor type, shape) triple."""
    name = imp.input(node, i)
    if name is None:
        return None
    if name in imp.consts:
        array = np.asarray(imp.consts[name])
        if array.dtype not in (np.uint8, np.int8):
            raise imp.fail(node, f"input {i} ({what}) must be int8 or uint8, "
                           f"not {array.dtype}")
        return array.astype(np.int64)
    if name in imp.quant_types:
        if not is_raw(imp, name):
            raise imp.fail(node, f"input {i} ({what}) comes from a QuantizeLinear; only "
                           "uint8 graph inputs, int8 values and DynamicQuantizeLinear "
                           "outputs are supported here", Unsupported)
        ssa, shape = raw_to(imp, node, name, "i32")
        return ssa, tensor_type("i32", shape), shape
    elem, shape = imp.type_of(name, node)
    if elem != "i8":
        raise imp.fail(node, f"input {i} ({what}) must be int8 or uint8, not {elem}")
    t = tensor_type("i32", shape)
    return imp.emit("infer.cast", [name], t, node=node), t, shape


def minus_zero_point(imp, node, x, zp, tag):
    """x - zp as i32 (a value) or int64 (both constant)."""
    if zp is None:
        return x
    if isinstance(x, np.ndarray) and isinstance(zp, np.ndarray):
        return x - zp
    operands, shapes = [], []
    for k, v in enumerate((x, zp)):
        if isinstance(v, np.ndarray):
            name = f"{tag}:{k}"
            imp.consts[name] = v.astype(np.int32)
            operands.append(name)
            shapes.append(list(v.shape))
        else:
            operands.append(v[:2])
            shapes.append(v[2])
    shape = broadcast(*shapes)
    t = tensor_type("i32", shape)
    return imp.emit("infer.sub", operands, t, node=node), t, shape


def as_operand(imp, v, name):
    """An integer operand as a name the importer knows (i32)."""
    if isinstance(v, np.ndarray):
        if np.abs(v).max(initial=0) >= 2 ** 31:
            raise ImportError_(f"'{name}' does not fit int32")
        imp.consts[name] = v.astype(np.int32)
    else:
        imp.bind(name, v[0], ("i32", v[2]))
    return name


def scalar_zero_point(imp, node, zp, i, what):
    """A zero point that must be one value (a runtime one must be)."""
    if zp is None:
        return None
    size = zp.size if isinstance(zp, np.ndarray) else \
        (None if any(d is None for d in zp[2]) else math.prod(zp[2]))
    if size != 1:
        raise imp.fail(node, f"input {i} ({what}) must have one element here",
                       Unsupported)
    if isinstance(zp, np.ndarray):
        return zp.reshape(())
    return zp


@converter("MatMulInteger")
def convert_matmul_integer(imp, node):
    """(A - a_zero_point) x (B - b_zero_point) in int32, as onnxruntime:
    the operands are widened to i32 (a constant operand and zero point are
    subtracted at import time) and infer.matmul accumulates in i32, exactly
    (an overflow of int32 wraps, as onnxruntime's does)."""
    a = integer_operand(imp, node, 0, "A")
    b = integer_operand(imp, node, 1, "B")
    a_zp = integer_operand(imp, node, 2, "a_zero_point")
    b_zp = integer_operand(imp, node, 3, "b_zero_point")
    a_shape = list(a.shape) if isinstance(a, np.ndarray) else a[2]
    if a_zp is not None and isinstance(a_zp, np.ndarray) and a_zp.ndim == 1 and \
            a_zp.size > 1:
        # Per-row zero points of A (one per row of its last two dimensions).
        if len(a_shape) < 2 or a_zp.size != a_shape[-2]:
            raise imp.fail(node, "a_zero_point must be a scalar or have one element "
                           "per row of A")
        a_zp = a_zp.reshape(-1, 1)
    else:
        a_zp = scalar_zero_point(imp, node, a_zp, 2, "a_zero_point")
    if b_zp is not None and isinstance(b_zp, np.ndarray) and b_zp.size > 1 and \
            b_zp.ndim != 1:
        raise imp.fail(node, "b_zero_point must be a scalar or 1-D (one per column "
                       "of B)", Unsupported)
    if b_zp is not None and not isinstance(b_zp, np.ndarray):
        b_zp = scalar_zero_point(imp, node, b_zp, 3, "b_zero_point")
    tag = f"{node.output[0]}:{node.name or node.op_type}"
    a = as_operand(imp, minus_zero_point(imp, node, a, a_zp, tag + ":a"), tag + ":A")
    b = as_operand(imp, minus_zero_point(imp, node, b, b_zp, tag + ":b"), tag + ":B")
    simple(imp, node, "infer.matmul", operands=[a, b])


@converter("ConvInteger")
def convert_conv_integer(imp, node):
    """Conv of (x - x_zero_point) and (w - w_zero_point) in int32, as
    onnxruntime (whose padding is the zero point: 0 after the subtraction).
    Per-output-channel w_zero_point is subtracted from a constant w."""
    x = integer_operand(imp, node, 0, "x")
    w = integer_operand(imp, node, 1, "w")
    x_zp = scalar_zero_point(imp, node, integer_operand(imp, node, 2, "x_zero_point"),
                             2, "x_zero_point")
    w_zp = integer_operand(imp, node, 3, "w_zero_point")
    if w_zp is not None:
        size = w_zp.size if isinstance(w_zp, np.ndarray) else None
        if size is not None and size > 1 and isinstance(w, np.ndarray) and \
                w_zp.ndim == 1 and size == w.shape[0]:
            w_zp = w_zp.reshape([-1] + [1] * (w.ndim - 1))
        else:
            w_zp = scalar_zero_point(imp, node, w_zp, 3, "w_zero_point")
    tag = f"{node.output[0]}:{node.name or node.op_type}"
    xs = as_operand(imp, minus_zero_point(imp, node, x, x_zp, tag + ":x"), tag + ":X")
    ws = as_operand(imp, minus_zero_point(imp, node, w, w_zp, tag + ":w"), tag + ":W")
    conv = helper.make_node("Conv", [xs, ws], [node.output[0]], name=node.name)
    conv.attribute.extend(node.attribute)
    convert_conv(imp, conv)


# Adds 1.5 * 2^23 and takes it away again: f32 arithmetic rounds |v| < 2^22
# to the nearest integer, ties to even (onnxruntime's rounding).
ROUND_MAGIC = 12582912.0


@converter("DynamicQuantizeLinear")
def convert_dynamic_quantize(imp, node):
    """ONNX's formula, in f32 as onnxruntime computes it:
    min = min(min(x), 0), max = max(max(x), 0),
    y_scale = (max - min) / 255 (1 when max == min, as onnxruntime),
    y_zero_point = round(clamp(-min / y_scale, 0, 255)),
    y = clamp(round(x / y_scale) + y_zero_point, 0, 255), rounding half to
    even. y and y_zero_point are raw uint8 tensors (`!quant.uniform<u8:f32,
    1.0:0>`)."""
    elem, shape = imp.type_of(node.input[0], node)
    if elem != "f32":
        raise imp.fail(node, f"the input must be float32, not {elem}")
    t, st = tensor_type("f32", shape), "tensor<f32>"
    x = (imp.value(node.input[0], node), t)

    def const(v):
        ssa = imp.fresh()
        imp.lines.append(f"  {ssa} = infer.constant dense<{flt(v)}> : {st}")
        return (ssa, st)

    def op(name, operands, ty=st, attrs=""):
        return (imp.emit(name, operands, ty, attrs, node=node), ty)

    def unary(name, operand, ty=st, attrs=""):
        return (imp.emit(name, [operand], ty, attrs, node=node, unary=True), ty)

    def round_even(v, ty):
        return op("infer.sub", [op("infer.add", [v, const(ROUND_MAGIC)], ty),
                                const(ROUND_MAGIC)], ty)

    every = "axes = array<i64>, keepdims = false"
    zero = const(0.0)
    hi = op("infer.max", [op("infer.reduce_max", [x], attrs=every), zero])
    neg = unary("infer.neg", x, t)
    lo = op("infer.min", [unary("infer.neg", op("infer.reduce_max", [neg], attrs=every)),
                          zero])
    span = op("infer.sub", [hi, lo])
    # 1 when the span is 0, else 0 (a span below 2^-126, denormal, counts
    # as a fraction of 1).
    empty = op("infer.sub", [const(1.0), unary("infer.clip",
                                               op("infer.mul", [span, const(2.0 ** 126)]),
                                               attrs=f"max = {f32_attr(1.0)}")])
    scale = op("infer.add", [op("infer.div", [span, const(255.0)]), empty])
    zp = op("infer.div", [unary("infer.neg", lo), scale])
    zp = round_even(unary("infer.clip", zp,
                          attrs=f"min = {f32_attr(0.0)}, max = {f32_attr(255.0)}"), st)
    # |x / scale| <= 255 but for float rounding: the clamp keeps it well
    # inside the rounding's range.
    y = unary("infer.clip", op("infer.div", [x, scale], t),
              attrs=f"min = {f32_attr(-512.0)}, max = {f32_attr(512.0)}", ty=t)
    y = op("infer.add", [round_even(y, t), zp], t)
    y = unary("infer.clip", y, attrs=f"min = {f32_attr(0.0)}, max = {f32_attr(255.0)}",
              ty=t)
    outputs = list(node.output) + [""] * (3 - len(node.output))
    if outputs[0]:
        q = imp.emit("infer.quantize", [y], tensor_type(RAW_U8, shape), node=node)
        bind_raw_u8(imp, outputs[0], q, shape)
    if outputs[1]:
        imp.bind(outputs[1], scale[0], ("f32", []))
    if outputs[2]:
        q = imp.emit("infer.quantize", [zp], tensor_type(RAW_U8, []), node=node)
        bind_raw_u8(imp, outputs[2], q, [])
