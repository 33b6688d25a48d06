"""ONNX -> infer dialect (textual MLIR).

    infer-import-onnx model.onnx -o model.mlir [--batch-size N]
                      [--bind INPUT=values.npy ...]

The graph becomes `func.func @main` taking the graph inputs and returning the
graph outputs in ONNX order. Initializers and constants are `infer.constant`s:
splats and small tensors as `dense` literals, the rest as `dense_resource`
blobs. Subgraphs that compute shapes from constants (Shape, Gather, Concat,
ConstantOfShape...) are evaluated here, so reshapes get constant shapes.

The model is validated before anything is emitted (see validate.py): an
invalid model, an op or attribute the dialect does not cover stops the import
with one error line naming the op type, the node, the opset and the attribute
or input at fault; all unsupported ops of a model are listed at once. Graph
input dimensions that are symbolic, missing, -1 or 0 are dynamic (`?`).
Exceptions other than ImportError_ are bugs of the importer.
"""
import argparse
import math
import os
import re
import sys
import warnings

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import TensorProto, helper, numpy_helper

from infer.onnx.errors import ImportError_, NeedsConstant, Unsupported, node_label
from infer.onnx.validate import infer_shapes, validate, validate_folded


ELEMENT_TYPES = {
    TensorProto.FLOAT: "f32", TensorProto.FLOAT16: "f16",
    TensorProto.DOUBLE: "f64", TensorProto.BFLOAT16: "bf16",
    TensorProto.INT64: "i64", TensorProto.INT32: "i32",
    TensorProto.INT16: "i16", TensorProto.INT8: "i8", TensorProto.BOOL: "i1",
}
NUMPY_TYPES = {
    np.dtype(np.float32): "f32", np.dtype(np.float16): "f16",
    np.dtype(np.float64): "f64", np.dtype(np.int64): "i64",
    np.dtype(np.int32): "i32", np.dtype(np.int16): "i16",
    np.dtype(np.int8): "i8", np.dtype(np.bool_): "i1",
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


class Importer:
    def __init__(self, model, bindings=None):
        self.opset = next((o.version for o in model.opset_import
                           if o.domain in ("", "ai.onnx")), 1)
        self.bindings = bindings or {}
        self.types = {}
        self.consts = {}
        self.ssa = {}
        self.location = None  # the ONNX node being converted
        self.lines = []
        self.resources = []
        self.quant_types = {}  # quantized values -> their !quant tensor type
        self.shapes = {}  # shapes of values whose element type has no type here
        self.counter = 0
        for init in model.graph.initializer:
            self.consts[init.name] = numpy_helper.to_array(init)
        for name, array in self.bindings.items():
            self.consts[name] = np.asarray(array)
        # Shape inference and constant folding feed each other (a Reshape's
        # shape is known once its Shape/Gather/Concat subgraph is folded):
        # alternate until nothing more folds.
        for _ in range(16):
            self.graph = model.graph
            self.infer_types(model)
            folded = self.fold_pass()
            if not folded:
                break
            model = self.without(model, folded)
        self.model = model
        self.graph = model.graph

    def infer_types(self, model):
        try:
            model = infer_shapes(model)
        except Exception:  # noqa: BLE001 - a model ONNX cannot infer is still importable
            pass
        for vi in list(model.graph.value_info) + list(model.graph.output) + \
                list(model.graph.input):
            t = self.type_from_proto(vi.type)
            if t is not None:
                self.types[vi.name] = t
            elif vi.type.tensor_type.HasField("shape"):
                # uint8 values (quantized activations) have a shape only.
                self.shapes[vi.name] = [
                    d.dim_value if d.HasField("dim_value") and d.dim_value >= 0 else None
                    for d in vi.type.tensor_type.shape.dim]

    def fold_pass(self):
        """Evaluates nodes whose inputs are all constants; returns their
        indices."""
        folded = set()
        for index, node in enumerate(self.graph.node):
            if node.op_type not in FOLDERS and node.op_type not in FOLDABLE:
                continue
            present = [self.consts.get(i) for i in node.input if i]
            if node.op_type not in ("Shape", "Size") and \
                    any(a is None for a in present):
                continue
            try:
                value = (FOLDERS[node.op_type](self, node, present)
                         if node.op_type in FOLDERS else fold_numpy(self, node, present))
            except Exception:  # noqa: BLE001 - left to the converters to report
                continue
            if value is None or len(node.output) != 1:
                continue
            self.consts[node.output[0]] = np.asarray(value)
            # Splat views stay nodes for shape inference: as initializers they
            # would be materialized.
            if not is_splat_view(self.consts[node.output[0]]):
                folded.add(index)
        return folded

    def without(self, model, folded):
        """A copy of `model` without the `folded` nodes, whose outputs become
        initializers."""
        model = onnx.ModelProto.FromString(model.SerializeToString())
        nodes = [n for i, n in enumerate(model.graph.node) if i not in folded]
        outputs = {o for i, n in enumerate(self.graph.node) if i in folded
                   for o in n.output}
        del model.graph.node[:]
        model.graph.node.extend(nodes)
        known = {i.name for i in model.graph.initializer}
        for name in outputs - known:
            model.graph.initializer.append(
                numpy_helper.from_array(self.consts[name], name))
        return model

    # ------------------------------------------------------------ types

    def type_from_proto(self, tp):
        if not tp.HasField("tensor_type"):
            return None
        tt = tp.tensor_type
        elem = ELEMENT_TYPES.get(tt.elem_type)
        if elem is None or not tt.HasField("shape"):
            return None
        # Negative sizes are unknown (models write -1 for dynamic ones).
        shape = [d.dim_value if d.HasField("dim_value") and d.dim_value >= 0
                 else None for d in tt.shape.dim]
        return elem, shape

    def fail(self, node, why, kind=None):
        return (kind or ImportError_)(f"{node_label(node, self.opset)}: {why}")

    def type_of(self, name, node=None):
        if name in self.consts:
            array = self.consts[name]
            elem = NUMPY_TYPES.get(array.dtype)
            if elem is None:
                raise ImportError_(f"constant '{name}' has unsupported dtype "
                                   f"{array.dtype}")
            return elem, list(array.shape)
        if name in self.types:
            return self.types[name]
        raise ImportError_(f"the type of '{name}' is unknown"
                           + (f" (output of {node.op_type} node "
                              f"'{node.name}')" if node else ""))

    def ttype(self, name, node=None):
        return tensor_type(*self.type_of(name, node))

    # --------------------------------------------------------- emission

    def fresh(self):
        self.counter += 1
        return f"%v{self.counter}"

    def literal(self, array, elem):
        def scalar(v):
            if elem == "i1":
                return "true" if v else "false"
            if elem in FLOATS:
                return flt(v)
            return str(int(v))
        if array.ndim == 0:
            return scalar(array.item())
        if array.size == 0:
            return ""  # dense<> : the nested [] of a 3x0x1 would read as 3x0

        def nest(a):
            if a.ndim == 1:
                return "[" + ", ".join(scalar(v) for v in a.tolist()) + "]"
            return "[" + ", ".join(nest(x) for x in a) + "]"
        return nest(array)

    def value(self, name, node=None):
        """The SSA value of `name`, materializing a constant on first use."""
        if name in self.ssa:
            return self.ssa[name]
        if name not in self.consts:
            raise ImportError_(f"value '{name}' is used before it is defined"
                               + (f" (by {node.op_type} node '{node.name}')"
                                  if node else ""))
        array = np.asarray(self.consts[name])
        elem, shape = self.type_of(name)
        t = tensor_type(elem, shape)
        ssa = self.fresh()
        if is_splat_view(array):
            first = array.flat[0]
            splat = True
            finite = elem not in FLOATS or bool(np.isfinite(first))
        else:
            first = array.reshape(-1)[0] if array.size else None
            finite = elem not in FLOATS or bool(np.isfinite(array).all())
            splat = array.size > 0 and bool((array == first).all())
        if splat and finite:
            self.lines.append(f"  {ssa} = infer.constant dense<"
                              f"{self.literal(np.asarray(first), elem)}> : {t}")
        elif (array.size <= 16 and finite) or elem == "i1":
            self.lines.append(f"  {ssa} = infer.constant dense<"
                              f"{self.literal(array, elem)}> : {t}")
        else:
            key = re.sub(r"[^A-Za-z0-9_]", "_", name) or "c"
            key = f"r{len(self.resources)}_{key}"[:60]
            self.resources.append((key, np.ascontiguousarray(array)))
            self.lines.append(
                f"  {ssa} = infer.constant dense_resource<{key}> : {t}")
        self.ssa[name] = ssa
        return ssa

    def emit(self, op, operands, result_type, attrs="", node=None,
             unary=False):
        """Emits `op` on `operands` (names or (ssa, type) pairs)."""
        values, types = [], []
        for operand in operands:
            if isinstance(operand, tuple):
                values.append(operand[0])
                types.append(operand[1])
            else:
                values.append(self.value(operand, node))
                types.append(self.ttype(operand, node))
        ssa = self.fresh()
        attr_text = f" {{{attrs}}}" if attrs else ""
        if unary:
            sig = result_type
        elif op in ("infer.cast", "infer.quantize", "infer.dequantize"):
            sig = f"{types[0]} -> {result_type}"
        else:
            sig = f"({', '.join(types)}) -> {result_type}"
        loc = f' loc("{mlir_string(self.location)}")' if self.location else ""
        self.lines.append(
            f"  {ssa} = {op} {', '.join(values)}{attr_text} : {sig}{loc}")
        return ssa

    def bind(self, name, ssa, elem_shape):
        self.ssa[name] = ssa
        self.types[name] = elem_shape

    # ------------------------------------------------------------ helpers

    def attr(self, node, name, default=None):
        for a in node.attribute:
            if a.name == name:
                return helper.get_attribute_value(a)
        return default

    def input(self, node, i):
        return node.input[i] if i < len(node.input) and node.input[i] else None

    def const_input(self, node, i, what):
        name = self.input(node, i)
        if name is None:
            return None
        if name not in self.consts:
            raise NeedsConstant(str(self.fail(
                node, f"input {i} ({what}) must be a constant")), name)
        return np.asarray(self.consts[name])

    def out_type(self, node, i=0):
        return self.type_of(node.output[i], node)

    def only_first_output(self, node, why, kind=None):
        """Fails if an output other than the first is used."""
        used = {i for n in self.graph.node for i in n.input}
        used |= {o.name for o in self.graph.output}
        if any(o and o in used for o in node.output[1:]):
            raise self.fail(node, why, kind)


# ---------------------------------------------------------------- converters

CONVERTERS = {}
FOLDERS = {}


def converter(*names):
    def register(fn):
        for n in names:
            CONVERTERS[n] = fn
        return fn
    return register


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


BINARY = {"Add": "infer.add", "Sub": "infer.sub", "Mul": "infer.mul",
          "Div": "infer.div", "Pow": "infer.pow"}


@converter(*BINARY)
def convert_binary(imp, node):
    a, b = imp.type_of(node.input[0], node), imp.type_of(node.input[1], node)
    operands = [node.input[0], node.input[1]]
    if node.op_type == "Pow" and a[0] != b[0]:
        # ONNX lets the exponent have another type; the result has the base's.
        if a[0] in FLOATS or b[0] not in FLOATS:
            t = tensor_type(a[0], b[1])
            operands[1] = (imp.emit("infer.cast", [node.input[1]], t, node=node), t)
        else:
            # An integer base with a float exponent: compute in f64 and
            # truncate, as onnxruntime does.
            ta, tb = tensor_type("f64", a[1]), tensor_type("f64", b[1])
            base = (imp.emit("infer.cast", [node.input[0]], ta, node=node), ta)
            exp = (imp.emit("infer.cast", [node.input[1]], tb, node=node), tb)
            out_elem, out_shape = imp.out_type(node)
            tp = tensor_type("f64", out_shape)
            p = (imp.emit("infer.pow", [base, exp], tp, node=node), tp)
            ssa = imp.emit("infer.cast", [p], tensor_type(out_elem, out_shape), node=node)
            imp.bind(node.output[0], ssa, (out_elem, out_shape))
            return
    simple(imp, node, BINARY[node.op_type], operands=operands)


@converter("Sum", "Max", "Min", "Mean")
def convert_variadic(imp, node):
    op = {"Sum": "infer.add", "Mean": "infer.add", "Max": "infer.max",
          "Min": "infer.min"}[node.op_type]
    inputs = [i for i in node.input if i]
    elem, shape = imp.type_of(inputs[0], node)
    acc = (imp.value(inputs[0], node), tensor_type(elem, shape))
    for name in inputs[1:]:
        shape = broadcast(shape, imp.type_of(name, node)[1])
        t = tensor_type(elem, shape)
        acc = (imp.emit(op, [acc, name], t, node=node), t)
    if node.op_type == "Mean" and len(inputs) > 1:
        n = imp.fresh()
        imp.lines.append(f"  {n} = infer.constant dense<{flt(len(inputs))}>"
                         f" : tensor<{elem}>")
        acc = (imp.emit("infer.div", [acc, (n, f"tensor<{elem}>")], acc[1],
                        node=node), acc[1])
    imp.bind(node.output[0], acc[0], (elem, shape))


UNARY = {"Relu": "infer.relu", "Sigmoid": "infer.sigmoid", "Tanh": "infer.tanh",
         "Exp": "infer.exp", "Log": "infer.log", "Sqrt": "infer.sqrt",
         "Neg": "infer.neg", "Abs": "infer.abs", "Erf": "infer.erf",
         "HardSwish": "infer.hard_swish"}


@converter(*UNARY)
def convert_unary(imp, node):
    elem = imp.type_of(node.input[0], node)[0]
    if node.op_type not in ("Relu", "Neg", "Abs") and elem not in FLOATS:
        raise imp.fail(node, f"element type {elem} is not a float type")
    simple(imp, node, UNARY[node.op_type], unary=True)


@converter("LeakyRelu")
def convert_leaky_relu(imp, node):
    simple(imp, node, "infer.leaky_relu",
           f"alpha = {f32_attr(imp.attr(node, 'alpha', 0.01))}", unary=True)


@converter("HardSigmoid")
def convert_hard_sigmoid(imp, node):
    simple(imp, node, "infer.hard_sigmoid",
           f"alpha = {f32_attr(imp.attr(node, 'alpha', 0.2))}, "
           f"beta = {f32_attr(imp.attr(node, 'beta', 0.5))}", unary=True)


@converter("Gelu")
def convert_gelu(imp, node):
    approx = imp.attr(node, "approximate", b"none")
    approx = approx.decode() if isinstance(approx, bytes) else approx
    simple(imp, node, "infer.gelu", f'approximate = "{approx}"', unary=True)


@converter("Clip")
def convert_clip(imp, node):
    if imp.opset < 11:
        lo, hi = imp.attr(node, "min"), imp.attr(node, "max")
    else:
        # Scalars by the spec; one-element tensors are common enough.
        lo = imp.const_input(node, 1, "min")
        hi = imp.const_input(node, 2, "max")
        lo = None if lo is None else lo.reshape(-1)[0]
        hi = None if hi is None else hi.reshape(-1)[0]
    # An infinite bound (or one beyond f32) bounds nothing.
    lo, hi = (None if v is None or abs(float(v)) > F32_MAX else v for v in (lo, hi))
    attrs = []
    if lo is not None:
        attrs.append(f"min = {f32_attr(float(lo))}")
    if hi is not None:
        attrs.append(f"max = {f32_attr(float(hi))}")
    if lo is not None and hi is not None and float(lo) > float(hi):
        raise imp.fail(node, "min exceeds max")
    simple(imp, node, "infer.clip", ", ".join(attrs), unary=True,
           operands=[node.input[0]])


@converter("Identity", "Dropout")
def convert_identity(imp, node):
    if node.op_type == "Dropout":
        training = imp.const_input(node, 2, "training_mode")
        if training is not None and bool(training.reshape(-1)[0]):
            raise imp.fail(node, "training mode is not supported", Unsupported)
        if len(node.output) > 1 and node.output[1]:
            # In inference every element is kept: the mask is all true.
            shape = imp.type_of(node.input[0], node)[1]
            if any(d is None for d in shape):
                raise imp.fail(node, "the mask of a dynamic shape is not supported")
            imp.consts[node.output[1]] = np.ones(shape, np.bool_)
    name = node.input[0]
    if name in imp.consts:
        imp.consts[node.output[0]] = imp.consts[name]
        return
    imp.bind(node.output[0], imp.value(name, node), imp.type_of(name, node))


def conv_pads(imp, node, in_shape, kernel, strides, dilations):
    auto_pad = imp.attr(node, "auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
    n = len(kernel)
    if auto_pad in ("NOTSET", ""):
        return list(imp.attr(node, "pads", [0] * (2 * n)))
    if auto_pad == "VALID":
        return [0] * (2 * n)
    if any(d is None for d in in_shape[2:]):
        raise imp.fail(node, f"auto_pad {auto_pad} needs static spatial sizes")
    begins, ends = [], []
    for size, k, s, d in zip(in_shape[2:], kernel, strides, dilations):
        total = max((-(-size // s) - 1) * s + (k - 1) * d + 1 - size, 0)
        small, large = total // 2, total - total // 2
        begins.append(small if auto_pad == "SAME_UPPER" else large)
        ends.append(large if auto_pad == "SAME_UPPER" else small)
    return begins + ends


def spatial_lift(imp, node, name, rank_needed):
    """Views a 1-D spatial tensor [N, C, L] as [N, C, 1, L]."""
    elem, shape = imp.type_of(name, node)
    if len(shape) == rank_needed:
        return (imp.value(name, node), tensor_type(elem, shape)), shape
    new_shape = shape[:2] + [1] + shape[2:]
    t = tensor_type(elem, new_shape)
    ssa = imp.emit("infer.unsqueeze", [name], t, "axes = array<i64: 2>", node)
    return (ssa, t), new_shape


def lift_attrs(values, one_d, fill):
    values = list(values)
    return [fill] + values if one_d else values


@converter("Conv")
def convert_conv(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    w_shape = imp.type_of(node.input[1], node)[1]
    spatial = len(shape) - 2
    if spatial not in (1, 2):
        raise imp.fail(node, f"{spatial}-D convolution is not supported (1-D and 2-D are)",
                       Unsupported)
    kernel = list(imp.attr(node, "kernel_shape", w_shape[2:]))
    strides = list(imp.attr(node, "strides", [1] * spatial))
    dilations = list(imp.attr(node, "dilations", [1] * spatial))
    pads = conv_pads(imp, node, shape, kernel, strides, dilations)
    group = imp.attr(node, "group", 1)
    one_d = spatial == 1
    if one_d:
        pads = [0, pads[0], 0, pads[1]]
        strides, dilations = [1] + strides, [1] + dilations
    x, _ = spatial_lift(imp, node, node.input[0], 4)
    w, _ = spatial_lift(imp, node, node.input[1], 4)
    operands = [x, w] + ([node.input[2]] if imp.input(node, 2) else [])
    out_elem, out_shape = imp.out_type(node)
    lifted = out_shape[:2] + [1] + out_shape[2:] if one_d else out_shape
    attrs = (f"strides = {array_attr(strides)}, pads = {array_attr(pads)}, "
             f"dilations = {array_attr(dilations)}, group = {group} : i64")
    ssa = imp.emit("infer.conv2d", operands, tensor_type(out_elem, lifted),
                   attrs, node)
    if one_d:
        ssa = imp.emit("infer.squeeze", [(ssa, tensor_type(out_elem, lifted))],
                       tensor_type(out_elem, out_shape),
                       "axes = array<i64: 2>", node)
    imp.bind(node.output[0], ssa, (out_elem, out_shape))


def pool_output_size(size, kernel, stride, pad_begin, pad_end, dilation):
    """Ceil-mode window count; None for a dynamic size."""
    if size is None:
        return None
    span = size + pad_begin + pad_end - ((kernel - 1) * dilation + 1)
    out = -(-span // stride) + 1
    if (out - 1) * stride >= size + pad_begin:
        out -= 1
    return out


@converter("MaxPool", "AveragePool")
def convert_pool(imp, node):
    imp.only_first_output(node, "the indices output is not supported", Unsupported)
    elem, shape = imp.type_of(node.input[0], node)
    spatial = len(shape) - 2
    if spatial not in (1, 2):
        raise imp.fail(node, f"{spatial}-D pooling is not supported (1-D and 2-D are)",
                       Unsupported)
    kernel = list(imp.attr(node, "kernel_shape"))
    strides = list(imp.attr(node, "strides", [1] * spatial))
    dilations = list(imp.attr(node, "dilations", [1] * spatial))
    if node.op_type == "AveragePool" and any(d != 1 for d in dilations):
        raise imp.fail(node, "dilated average pooling is not supported")
    if imp.attr(node, "storage_order", 0):
        raise imp.fail(node, "storage_order 1 is not supported")
    pads = conv_pads(imp, node, shape, kernel, strides, dilations)
    one_d = spatial == 1
    if one_d:
        kernel, strides, dilations = [1] + kernel, [1] + strides, [1] + dilations
        pads = [0, pads[0], 0, pads[1]]
    attrs = [f"kernel_shape = {array_attr(kernel)}",
             f"strides = {array_attr(strides)}", f"pads = {array_attr(pads)}"]
    if imp.attr(node, "ceil_mode", 0):
        attrs.append("ceil_mode = true")
    if node.op_type == "MaxPool":
        attrs.append(f"dilations = {array_attr(dilations)}")
        op = "infer.max_pool"
    else:
        op = "infer.avg_pool"
        if imp.attr(node, "count_include_pad", 0):
            attrs.append("count_include_pad = true")
    x, in_shape = spatial_lift(imp, node, node.input[0], 4)
    out_elem, out_shape = imp.out_type(node)
    if imp.attr(node, "ceil_mode", 0):
        # ONNX's shape inference omits the rule onnxruntime and the dialect
        # apply (the last window must start inside the input or the leading
        # padding): compute the spatial sizes here.
        sizes = [pool_output_size(in_shape[2 + i], kernel[i], strides[i],
                                  pads[i], pads[2 + i], dilations[i])
                 for i in range(2)]
        out_shape = out_shape[:2] + (sizes[1:] if one_d else sizes)
        imp.types[node.output[0]] = (out_elem, out_shape)
    lifted = out_shape[:2] + [1] + out_shape[2:] if one_d else out_shape
    ssa = imp.emit(op, [x], tensor_type(out_elem, lifted), ", ".join(attrs), node)
    if one_d:
        ssa = imp.emit("infer.squeeze", [(ssa, tensor_type(out_elem, lifted))],
                       tensor_type(out_elem, out_shape),
                       "axes = array<i64: 2>", node)
    imp.bind(node.output[0], ssa, (out_elem, out_shape))


@converter("GlobalAveragePool")
def convert_global_avg_pool(imp, node):
    simple(imp, node, "infer.global_avg_pool")


@converter("Gemm")
def convert_gemm(imp, node):
    attrs = [f"alpha = {f32_attr(imp.attr(node, 'alpha', 1.0))}",
             f"beta = {f32_attr(imp.attr(node, 'beta', 1.0))}"]
    if imp.attr(node, "transA", 0):
        attrs.append("trans_a = true")
    if imp.attr(node, "transB", 0):
        attrs.append("trans_b = true")
    simple(imp, node, "infer.gemm", ", ".join(attrs))


@converter("MatMul")
def convert_matmul(imp, node):
    simple(imp, node, "infer.matmul")


@converter("BatchNormalization")
def convert_batch_norm(imp, node):
    imp.only_first_output(node, "training outputs are not supported", Unsupported)
    if imp.attr(node, "training_mode", 0):
        raise imp.fail(node, "training_mode is not supported", Unsupported)
    simple(imp, node, "infer.batch_norm",
           f"epsilon = {f32_attr(imp.attr(node, 'epsilon', 1e-5))}")


@converter("LayerNormalization")
def convert_layer_norm(imp, node):
    axis = imp.attr(node, "axis", -1)
    epsilon = imp.attr(node, "epsilon", 1e-5)
    simple(imp, node, "infer.layer_norm",
           f"axis = {axis} : i64, epsilon = {f32_attr(epsilon)}",
           operands=[i for i in node.input if i])
    if not any(o for o in node.output[1:]):
        return
    # Mean and InvStdDev outputs: statistics over dimensions axis..rank-1,
    # kept as size 1.
    elem, shape = imp.type_of(node.input[0], node)
    if elem not in FLOATS:
        raise imp.fail(node, "statistics outputs need a float input")
    rank = len(shape)
    axis = axis + rank if axis < 0 else axis
    axes = list(range(axis, rank))
    stat_shape = shape[:axis] + [1] * (rank - axis)
    st, t = tensor_type(elem, stat_shape), tensor_type(elem, shape)
    x = (imp.value(node.input[0], node), t)
    reduce = f"axes = {array_attr(axes)}"
    mean = (imp.emit("infer.reduce_mean", [x], st, reduce, node), st)
    d = (imp.emit("infer.sub", [x, mean], t, node=node), t)
    sq = (imp.emit("infer.mul", [d, d], t, node=node), t)
    var = (imp.emit("infer.reduce_mean", [sq], st, reduce, node), st)
    eps, one = imp.fresh(), imp.fresh()
    imp.lines.append(f"  {eps} = infer.constant dense<{flt(epsilon)}> : tensor<{elem}>")
    imp.lines.append(f"  {one} = infer.constant dense<1.0> : tensor<{elem}>")
    shifted = (imp.emit("infer.add", [var, (eps, f"tensor<{elem}>")], st, node=node), st)
    std = (imp.emit("infer.sqrt", [shifted], st, node=node, unary=True), st)
    inv = imp.emit("infer.div", [(one, f"tensor<{elem}>"), std], st, node=node)
    if len(node.output) > 1 and node.output[1]:
        imp.bind(node.output[1], mean[0], (elem, stat_shape))
    if len(node.output) > 2 and node.output[2]:
        imp.bind(node.output[2], inv, (elem, stat_shape))


@converter("Softmax")
def convert_softmax(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    rank = len(shape)
    axis = imp.attr(node, "axis", 1 if imp.opset < 13 else -1)
    axis = axis + rank if axis < 0 else axis
    if imp.opset >= 13 or axis == rank - 1:
        simple(imp, node, "infer.softmax", f"axis = {axis} : i64", unary=True)
        return
    # Before opset 13 the input is coerced to 2-D at `axis`.
    def prod(dims):
        return None if any(d is None for d in dims) else int(np.prod(dims))
    flat = [prod(shape[:axis]), prod(shape[axis:])]
    ft = tensor_type(elem, flat)
    f = imp.emit("infer.flatten", [node.input[0]], ft, f"axis = {axis} : i64", node)
    s = imp.emit("infer.softmax", [(f, ft)], ft, "axis = 1 : i64", node, unary=True)
    out = imp.emit("infer.reshape", [(s, ft)], tensor_type(elem, shape),
                   f"shape = {array_attr([d if d is not None else -1 for d in shape])}",
                   node)
    imp.bind(node.output[0], out, (elem, shape))


@converter("ReduceSum", "ReduceMean", "ReduceMax")
def convert_reduce(imp, node):
    op = {"ReduceSum": "infer.reduce_sum", "ReduceMean": "infer.reduce_mean",
          "ReduceMax": "infer.reduce_max"}[node.op_type]
    axes_from_input = (node.op_type == "ReduceSum" and imp.opset >= 13) or \
        imp.opset >= 18
    if axes_from_input:
        axes = imp.const_input(node, 1, "axes")
        axes = [] if axes is None else axes.reshape(-1).tolist()
    else:
        axes = list(imp.attr(node, "axes", []))
    if not axes and imp.attr(node, "noop_with_empty_axes", 0):
        convert_identity(imp, node)
        return
    keepdims = bool(imp.attr(node, "keepdims", 1))
    simple(imp, node, op, f"axes = {array_attr(axes)}, keepdims = "
           f"{'true' if keepdims else 'false'}", operands=[node.input[0]])


@converter("Reshape")
def convert_reshape(imp, node):
    shape = imp.const_input(node, 1, "shape")
    if shape is None:
        shape = np.array(imp.attr(node, "shape"))
    if imp.attr(node, "allowzero", 0) and (shape == 0).any():
        raise imp.fail(node, "allowzero with zero-sized dimensions is not supported")
    simple(imp, node, "infer.reshape", f"shape = {array_attr(shape.reshape(-1))}",
           operands=[node.input[0]])


@converter("Flatten")
def convert_flatten(imp, node):
    simple(imp, node, "infer.flatten", f"axis = {imp.attr(node, 'axis', 1)} : i64")


@converter("Transpose")
def convert_transpose(imp, node):
    rank = len(imp.type_of(node.input[0], node)[1])
    perm = imp.attr(node, "perm", list(range(rank))[::-1])
    simple(imp, node, "infer.transpose", f"perm = {array_attr(perm)}")


@converter("Concat")
def convert_concat(imp, node):
    simple(imp, node, "infer.concat", f"axis = {imp.attr(node, 'axis')} : i64")


@converter("Slice")
def convert_slice(imp, node):
    if imp.opset < 10:
        starts, ends = imp.attr(node, "starts"), imp.attr(node, "ends")
        axes, steps = imp.attr(node, "axes"), None
    else:
        starts = imp.const_input(node, 1, "starts").tolist()
        ends = imp.const_input(node, 2, "ends").tolist()
        axes = imp.const_input(node, 3, "axes")
        steps = imp.const_input(node, 4, "steps")
        axes = None if axes is None else axes.tolist()
        steps = None if steps is None else steps.tolist()
    clamp = lambda v: max(min(int(v), INT64_MAX), -INT64_MAX - 1)  # noqa: E731
    attrs = [f"starts = {array_attr([clamp(s) for s in starts])}",
             f"ends = {array_attr([clamp(e) for e in ends])}"]
    if axes is not None:
        attrs.append(f"axes = {array_attr(axes)}")
    if steps is not None:
        attrs.append(f"steps = {array_attr(steps)}")
    simple(imp, node, "infer.slice", ", ".join(attrs), operands=[node.input[0]])


@converter("Pad")
def convert_pad(imp, node):
    mode = imp.attr(node, "mode", b"constant")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    rank = len(imp.type_of(node.input[0], node)[1])
    if imp.opset < 11:
        pads = list(imp.attr(node, "pads", imp.attr(node, "paddings", [])))
        value = imp.attr(node, "value", 0.0)
    else:
        pads = imp.const_input(node, 1, "pads").tolist()
        value = imp.const_input(node, 2, "constant_value")
        value = 0.0 if value is None else float(value.reshape(-1)[0])
        axes = imp.const_input(node, 3, "axes")
        if axes is not None:
            full = [0] * (2 * rank)
            for i, a in enumerate(axes.tolist()):
                a = a + rank if a < 0 else a
                full[a], full[rank + a] = pads[i], pads[len(axes) + i]
            pads = full
    if any(p < 0 for p in pads):
        raise imp.fail(node, "negative pads (cropping) are not supported")
    if mode not in ("constant", "reflect", "edge"):
        raise imp.fail(node, f"mode '{mode}' is not supported")
    simple(imp, node, "infer.pad", f'pads = {array_attr(pads)}, mode = "{mode}", '
           f"value = {f32_attr(value)}", operands=[node.input[0]])


@converter("Gather")
def convert_gather(imp, node):
    if imp.type_of(node.input[1], node)[0] not in ("i32", "i64"):
        raise imp.fail(node, "indices must be int32 or int64")
    simple(imp, node, "infer.gather", f"axis = {imp.attr(node, 'axis', 0)} : i64")


def axes_of(imp, node):
    if imp.opset < 13:
        return list(imp.attr(node, "axes", []))
    axes = imp.const_input(node, 1, "axes")
    return [] if axes is None else axes.reshape(-1).tolist()


@converter("Squeeze")
def convert_squeeze(imp, node):
    simple(imp, node, "infer.squeeze", f"axes = {array_attr(axes_of(imp, node))}",
           operands=[node.input[0]])


@converter("Unsqueeze")
def convert_unsqueeze(imp, node):
    simple(imp, node, "infer.unsqueeze", f"axes = {array_attr(axes_of(imp, node))}",
           operands=[node.input[0]])


@converter("Expand")
def convert_expand(imp, node):
    shape = imp.const_input(node, 1, "shape")
    simple(imp, node, "infer.expand", f"shape = {array_attr(shape.reshape(-1))}",
           operands=[node.input[0]])


@converter("Cast")
def convert_cast(imp, node):
    to = ELEMENT_TYPES.get(imp.attr(node, "to"))
    if to is None:
        raise imp.fail(node, f"cast to type {imp.attr(node, 'to')} is not supported")
    elem, shape = imp.type_of(node.input[0], node)
    if is_raw(imp, node.input[0]) and to != "i1":
        # uint8 (or int8) values: exact in f32 and i32 and wider types.
        if to == "i8":
            raise imp.fail(node, f"cast of a uint8 value to {to} is not supported",
                           Unsupported)
        ssa, _ = raw_to(imp, node, node.input[0], "f32")
        if to != "f32":
            ssa = imp.emit("infer.cast", [(ssa, tensor_type("f32", shape))],
                           tensor_type(to, shape), node=node)
        imp.bind(node.output[0], ssa, (to, shape))
        return
    if node.input[0] in imp.quant_types:
        raise imp.fail(node, "cast of a quantized value is not supported", Unsupported)
    if elem == to:
        convert_identity(imp, node)
        return
    ssa = imp.emit("infer.cast", [node.input[0]], tensor_type(to, shape), node=node)
    imp.bind(node.output[0], ssa, (to, shape))


@converter("LRN")
def convert_lrn(imp, node):
    """x / (bias + alpha / size * sum of squares over a channel window)^beta,
    the window sum as an average pool over channels (count_include_pad)."""
    elem, shape = imp.type_of(node.input[0], node)
    if len(shape) != 4:
        raise imp.fail(node, "only 4-D inputs are supported")
    size = imp.attr(node, "size")
    alpha, beta = imp.attr(node, "alpha", 1e-4), imp.attr(node, "beta", 0.75)
    bias = imp.attr(node, "bias", 1.0)
    n, c, h, w = shape
    if c is None or (h is None and w is None):
        raise imp.fail(node, "a dynamic channel count or two dynamic spatial sizes "
                       "are not supported", Unsupported)
    t = tensor_type(elem, shape)
    x = (imp.value(node.input[0], node), t)
    sq = (imp.emit("infer.mul", [x, x], t, node=node), t)
    hw = None if h is None or w is None else h * w
    t3 = tensor_type(elem, [n, 1, c, hw])
    r = (imp.emit("infer.reshape", [sq], t3,
                  f"shape = {array_attr([0, 1, c, -1])}", node), t3)
    lo, hi = (size - 1) // 2, size - 1 - (size - 1) // 2
    avg = (imp.emit("infer.avg_pool", [r], t3,
                    f"kernel_shape = {array_attr([size, 1])}, pads = "
                    f"{array_attr([lo, 0, hi, 0])}, count_include_pad = true",
                    node), t3)
    back = (imp.emit("infer.reshape", [avg], t, "shape = " + array_attr(
        [0, c, -1 if h is None else h, -1 if w is None else w]), node), t)
    scalar = f"tensor<{elem}>"

    def const(v):
        ssa = imp.fresh()
        imp.lines.append(f"  {ssa} = infer.constant dense<{flt(v)}> : {scalar}")
        return (ssa, scalar)
    scaled = (imp.emit("infer.mul", [back, const(alpha)], t, node=node), t)
    base = (imp.emit("infer.add", [scaled, const(bias)], t, node=node), t)
    denom = (imp.emit("infer.pow", [base, const(beta)], t, node=node), t)
    out = imp.emit("infer.div", [x, denom], t, node=node)
    imp.bind(node.output[0], out, (elem, shape))


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
    scale = imp.const_input(node, 1, "x_scale")
    zp = imp.const_input(node, 2, "x_zero_point")
    name = node.input[0]
    qts = imp.quant_types
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
# The dialect has no unsigned tensors. A uint8 value that is not the output
# of a QuantizeLinear (a uint8 graph input or output, DynamicQuantizeLinear's
# outputs) is a `!quant.uniform<u8:f32, 1.0:0>` tensor: its storage is the
# uint8 and infer.dequantize (uitofp) gives the exact integer in f32.

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


# -------------------------------------------------------- constant folding


@folder("Constant")
def fold_constant(imp, node, inputs):
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        if a.name == "value":
            return numpy_helper.to_array(v)
        if a.name in ("value_float", "value_int"):
            return np.array(v, np.float32 if a.name == "value_float" else np.int64)
        if a.name in ("value_floats", "value_ints"):
            return np.array(v, np.float32 if a.name == "value_floats" else np.int64)
    raise imp.fail(node, "unsupported Constant attribute")


@folder("ConstantOfShape")
def fold_constant_of_shape(imp, node, inputs):
    value = imp.attr(node, "value")
    fill = numpy_helper.to_array(value).reshape(-1)[0] if value is not None \
        else np.float32(0)
    # A zero-stride view: weights made by ConstantOfShape cost no memory.
    return np.broadcast_to(np.asarray(fill), inputs[0].astype(np.int64).tolist())


@folder("Shape")
def fold_shape(imp, node, inputs):
    shape = imp.type_of(node.input[0], node)[1]
    start, end = imp.attr(node, "start", 0), imp.attr(node, "end", None)
    shape = shape[start:end]
    if any(d is None for d in shape):
        return None
    return np.array(shape, np.int64)


@folder("Size")
def fold_size(imp, node, inputs):
    shape = imp.type_of(node.input[0], node)[1]
    return None if any(d is None for d in shape) else np.array(int(np.prod(shape)), np.int64)


# Folded values are materialized and written into the IR: shape arithmetic
# is far smaller than this; a bigger result stays an op, or is an error.
FOLD_MAX_ELEMENTS = 2 ** 24


def fold_numpy(imp, node, inputs):
    """Evaluates ops on constant inputs with ONNX's reference implementation;
    None for a result too large to fold that the dialect can compute."""
    from onnx.reference import ReferenceEvaluator
    if node.op_type in NUMPY_FOLDERS:
        return NUMPY_FOLDERS[node.op_type](imp, node, inputs)
    shape = imp.types.get(node.output[0], (None, None))[1] if len(node.output) else None
    if shape is not None and None not in shape and math.prod(shape) > FOLD_MAX_ELEMENTS:
        if node.op_type in CONVERTERS:
            return None
        raise imp.fail(node, f"evaluating it at import time would make "
                       f"{math.prod(shape)} elements (more than 2^24)")
    inner = helper.make_node(node.op_type, [f"i{i}" for i in range(len(inputs))],
                             [f"o{i}" for i in range(len(node.output))],
                             domain=node.domain)
    inner.attribute.extend(node.attribute)
    graph = helper.make_graph(
        [inner], "fold",
        [helper.make_tensor_value_info(f"i{i}", helper.np_dtype_to_tensor_dtype(a.dtype), a.shape)
         for i, a in enumerate(inputs)],
        [helper.make_tensor_value_info(f"o{i}", TensorProto.UNDEFINED, None)
         for i in range(len(node.output))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", imp.opset)])
    # Overflows and divisions by zero are the model's arithmetic: no warnings.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = ReferenceEvaluator(model).run(
            None, {f"i{i}": a for i, a in enumerate(inputs)})
    return results[0]


def fold_dequantize(imp, node, inputs):
    """(x - zero_point) * scale on constants: the quantized weights and
    biases of a QDQ model become the float constants they stand for."""
    x, scale = inputs[0], np.asarray(inputs[1])
    zp = inputs[2] if len(inputs) > 2 else np.zeros((), x.dtype)
    if imp.attr(node, "block_size", 0):
        raise imp.fail(node, "blocked quantization is not supported", Unsupported)
    if scale.size > 1:
        axis = imp.attr(node, "axis", 1)
        axis = axis + x.ndim if axis < 0 else axis
        shape = [1] * x.ndim
        shape[axis] = scale.size
        scale = scale.reshape(shape)
        zp = np.asarray(zp).reshape(shape)
    values = (x.astype(np.int64) - np.asarray(zp).astype(np.int64)).astype(np.float32)
    return (values * scale.astype(np.float32)).astype(scale.dtype)


# Ops with their own evaluation on constants (onnx.reference lacks them at
# some opsets).
NUMPY_FOLDERS = {"DequantizeLinear": fold_dequantize}

# Ops evaluated on constant inputs (shape arithmetic of exported models).
FOLDABLE = {"Add", "Sub", "Mul", "Div", "Gather", "Unsqueeze", "Squeeze",
            "Concat", "Slice", "Cast", "Reshape", "Range", "Equal", "Where",
            "Expand", "Transpose", "Identity", "ReduceProd", "Floor", "Ceil",
            "Less", "Greater", "Not", "Sqrt", "Neg", "Abs", "Flatten", "Min",
            "Max", "Pow", "DequantizeLinear"}


def fix_dims(model, batch_size=None):
    """`model`, or a copy of it where graph input and output dimensions of
    size -1 or 0 are unknown (exporters write either for a dynamic size) and,
    with `batch_size`, an unknown leading dimension of each graph input is
    that size: validation and shape inference then see it."""
    def dynamic(d):
        return not d.HasField("dim_value") or d.dim_value <= 0

    def values(graph):
        return [vi for vi in list(graph.input) + list(graph.output)
                if vi.type.HasField("tensor_type")]
    if not any(dynamic(d) for vi in values(model.graph)
               for d in vi.type.tensor_type.shape.dim):
        return model
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    for vi in values(copy.graph):
        for d in vi.type.tensor_type.shape.dim:
            if d.HasField("dim_value") and d.dim_value <= 0:
                d.Clear()
    if batch_size is not None:
        initializers = {i.name for i in copy.graph.initializer}
        for vi in copy.graph.input:
            dims = vi.type.tensor_type.shape.dim
            if vi.name not in initializers and len(dims) and dynamic(dims[0]):
                dims[0].Clear()
                dims[0].dim_value = batch_size
    return copy


def supported_ops():
    """The op types the importer converts or evaluates at import time."""
    return set(CONVERTERS) | set(FOLDERS) | FOLDABLE


def import_model(model, bindings=None, batch_size=None):
    """Returns the MLIR text of `model` (an onnx.ModelProto); raises
    ImportError_ for a model that is invalid or outside the dialect."""
    model = fix_dims(model, batch_size)
    validate(model, supported_ops(), bindings)
    imp = Importer(model, bindings)
    validate_folded(imp.model, imp.opset, {n: s for n, (_, s) in imp.types.items()},
                    imp.consts, bindings)
    graph = imp.graph

    args = []
    for i, inp in enumerate(graph.input):
        if inp.name in imp.consts:
            continue
        t = imp.type_from_proto(inp.type)
        tt = inp.type.tensor_type
        if t is None and inp.type.HasField("tensor_type") and \
                tt.elem_type == TensorProto.UINT8 and tt.HasField("shape"):
            # uint8 (quantized data): its bytes, as a raw quantized tensor.
            shape = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0
                     else None for d in tt.shape.dim]
            ssa = f"%arg{len(args)}"
            t = bind_raw_u8(imp, inp.name, ssa, shape)
            args.append(f'{ssa}: {t} {{infer.name = "{mlir_string(inp.name)}"}}')
            continue
        if t is None:
            raise ImportError_(f"graph input '{inp.name}' has an unsupported or "
                               "unknown type")
        elem, shape = t
        ssa = f"%arg{len(args)}"
        imp.bind(inp.name, ssa, (elem, shape))
        args.append(f'{ssa}: {tensor_type(elem, shape)} '
                    f'{{infer.name = "{mlir_string(inp.name)}"}}')

    for node in graph.node:
        # Every op of the node is located at it: diagnostics, profiles and
        # the calibration table name ONNX nodes.
        imp.location = node.name or next((o for o in node.output if o), "")
        inputs = [imp.consts.get(i) if i else None for i in node.input]
        present = [a for i, a in zip(node.input, inputs) if i]
        if node.op_type in FOLDERS and node.op_type not in ("Shape", "Size"):
            for name, a in zip(node.input, inputs):
                if name and a is None:
                    raise NeedsConstant(str(imp.fail(
                        node, f"input '{name}' must be a constant")), name)
        if node.op_type in FOLDERS or (node.op_type in FOLDABLE and present
                                       and all(a is not None for a in present)):
            try:
                folded = (FOLDERS[node.op_type](imp, node, present)
                          if node.op_type in FOLDERS else fold_numpy(imp, node, present))
            except ImportError_:
                raise
            except Exception as e:  # noqa: BLE001 - report the node
                raise imp.fail(node, f"cannot evaluate on constants: {e}") from e
            if folded is not None:
                imp.consts[node.output[0]] = np.asarray(folded)
                continue
        if node.op_type not in CONVERTERS:
            raise imp.fail(node, "needs constant inputs here (it is only "
                           "evaluated at import time)")
        quantized = [i for i in node.input if i in imp.quant_types]
        if quantized and node.op_type not in QUANTIZED_CONSUMERS:
            raise imp.fail(node, f"input '{quantized[0]}' is quantized or uint8; "
                           f"only {', '.join(sorted(QUANTIZED_CONSUMERS))} take such "
                           "inputs", Unsupported)
        try:
            CONVERTERS[node.op_type](imp, node)
        except NonFinite as e:
            raise imp.fail(node, str(e)) from None

    imp.location = None
    results, types = [], []
    for out in graph.output:
        results.append(imp.value(out.name))
        qts = imp.quant_types
        types.append(qts.get(out.name) or imp.ttype(out.name))
    lines = [f"func.func @main({', '.join(args)}) -> ({', '.join(types)}) {{"]
    lines += imp.lines
    lines.append(f"  return {', '.join(results)} : {', '.join(types)}")
    lines.append("}")
    if imp.resources:
        lines += ["", "{-#", "  dialect_resources: {", "    builtin: {"]
        for i, (key, array) in enumerate(imp.resources):
            data = array.astype(array.dtype.newbyteorder("<")).tobytes()
            align = max(array.dtype.itemsize, 1)
            blob = align.to_bytes(4, "little") + data
            comma = "," if i + 1 < len(imp.resources) else ""
            lines.append(f'      {key}: "0x{blob.hex().upper()}"{comma}')
        lines += ["    }", "  }", "#-}"]
    return "\n".join(lines) + "\n"


def load(path):
    """The model in `path`; ImportError_ if it is not an ONNX model."""
    try:
        if os.path.getsize(path) == 0:
            raise ImportError_("the file is empty (not an ONNX model)")
        return onnx.load(path)
    except (ImportError_, OSError):
        raise
    except DecodeError as e:
        raise ImportError_(f"not an ONNX model (the protobuf does not parse: {e})") \
            from None
    except Exception as e:  # noqa: BLE001 - whatever onnx.load finds in the file
        raise ImportError_(f"cannot load the model: {type(e).__name__}: {e}") from None


def load_binding(spec):
    """`INPUT=FILE.npy` -> (INPUT, values)."""
    name, _, path = spec.partition("=")
    if not name or not path:
        raise ImportError_(f"--bind {spec}: expected INPUT=FILE.npy")
    try:
        return name, np.load(path)
    except OSError:
        raise
    except Exception as e:  # noqa: BLE001 - not a .npy file
        raise ImportError_(f"--bind {name}: cannot read {path}: "
                           f"{type(e).__name__}: {e}") from None


def main(argv=None):
    """The command line. Returns 0, or 1 after printing one error line;
    an exception escapes only for a bug of the importer."""
    parser = argparse.ArgumentParser(
        prog="infer-import-onnx", description="Import an ONNX model into the infer dialect.")
    parser.add_argument("model", help="model.onnx")
    parser.add_argument("-o", "--output", default="-", help="output .mlir (default: stdout)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="fix a dynamic leading input dimension to N")
    parser.add_argument("--bind", action="append", default=[], metavar="INPUT=FILE.npy",
                        help="treat a graph input as a constant with these values")
    args = parser.parse_args(argv)
    if args.batch_size is not None and args.batch_size < 1:
        parser.error(f"--batch-size must be positive, got {args.batch_size}")
    try:
        model = load(args.model)
        bindings = dict(load_binding(b) for b in args.bind)
        text = import_model(model, bindings, args.batch_size)
        if args.output == "-":
            sys.stdout.write(text)
        else:
            with open(args.output, "w") as f:
                f.write(text)
    except ImportError_ as e:
        message = " ".join(str(e).split())
        print(f"infer-import-onnx: error: {args.model}: {message}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"infer-import-onnx: error: {e.filename or args.model}: "
              f"{e.strerror or e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
