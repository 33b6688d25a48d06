"""Mutation fuzzing of the ONNX importer: no input may crash it.

    python -m infer.fuzz_onnx [--seed S] [--models N] [--time SECONDS]
        [--out DIR] [--bin BUILD/bin] [--verify-fraction F]
        [--pipeline-fraction F] [--timeout SECONDS] [--only I,...]

Seed models: the generators of test/onnx/Inputs (make_onnx.py's models,
random_ops.py's op configurations, opset_sweep.py's cases), hand-built chains
(convolution, pooling, Gemm, Softmax, Reshape, Concat, Slice, shape
subgraphs, quantization, old opsets) and the nine light_*.onnx topologies of
the onnx wheel. Model i of seed S applies 1-3 mutations drawn from
`random.Random(f"{S}:{i}")` to one seed model: inputs dropped, duplicated,
emptied, renamed or swapped; attributes of wrong types and values (negative,
zero, huge, wrong length, not finite), added or dropped; graph inputs and
initializers of other ranks, zero and negative sizes, other element types,
names with quotes, backslashes, newlines or clashes; unknown and swapped op
types, dropped, duplicated and reordered nodes, dangling edges, other opsets;
the serialized file truncated, bit-flipped or spliced; and one in ten imported
with --batch-size.

Each model is imported by a worker process (address space limited to
--memory-mb) that calls the importer's main() in-process, one model after
another. Outcomes:
  ok        exit 0; the MLIR parses and verifies with infer-opt (checked for
            --verify-fraction of them) and, for --pipeline-fraction of them,
            goes through --infer-cpu-pipeline without a crash
  error     exit 1 with a single `infer-import-onnx: error: <file>: ...` line
  crash     an exception out of main() (a traceback), other output on stderr,
            the worker killed by a signal, or infer-opt crashing
  hang      the import (or infer-opt) takes longer than --timeout
  invalid   exit 0 but infer-opt rejects the MLIR: a bogus success
Each crash, hang or invalid input is saved in --out as NAME.onnx with
NAME.txt (the mutations, the traceback or stderr, the command that replays
it: `--only I` with the same seed, as long as the seed models and mutations
are those of the run; the saved .onnx always is). Exits 1 if there was any.
"""
import argparse
import contextlib
import glob
import importlib.util
import io
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings

import numpy as np
import onnx
from onnx import AttributeProto, TensorProto, helper, numpy_helper

from infer.onnx import importer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INPUTS = os.path.join(ROOT, "test", "onnx", "Inputs")
ERROR_PREFIX = "infer-import-onnx: error: "

# ----------------------------------------------------------------- seeds


def _model(nodes, inputs, outputs, inits=(), opset=13, name="seed"):
    """A model from (name, elem type, shape) inputs and outputs."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def _f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def _const(name, value, dtype=np.int64):
    return numpy_helper.from_array(np.asarray(value, dtype), name)


def _conv_chain(rng):
    """Grouped strided Conv, Relu, MaxPool, 1x1 Conv, GlobalAveragePool,
    Flatten, Gemm, Softmax."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", group=2, pads=[1, 1, 1, 1],
          strides=[2, 2], kernel_shape=[3, 3], dilations=[1, 1]),
        n("Relu", ["c1"], ["r1"], name="relu1"),
        n("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        n("Conv", ["p1", "w2"], ["c2"], name="conv2", auto_pad="SAME_UPPER"),
        n("GlobalAveragePool", ["c2"], ["g"], name="gap"),
        n("Flatten", ["g"], ["f"], name="flatten", axis=1),
        n("Gemm", ["f", "fc", "fb"], ["z"], name="fc", transB=1, alpha=1.0, beta=1.0),
        n("Softmax", ["z"], ["y"], name="softmax", axis=-1)]
    inits = [numpy_helper.from_array(_f32(rng, 8, 2, 3, 3), "w1"),
             numpy_helper.from_array(_f32(rng, 8), "b1"),
             numpy_helper.from_array(_f32(rng, 6, 8, 1, 1), "w2"),
             numpy_helper.from_array(_f32(rng, 5, 6), "fc"),
             numpy_helper.from_array(_f32(rng, 5), "fb")]
    return _model(nodes, [("x", TensorProto.FLOAT, ["N", 4, 16, 16])],
                  [("y", TensorProto.FLOAT, ["N", 5])], inits, 13, "conv_chain")


def _pool_chain(rng):
    """AveragePool with ceil_mode and padding, dilated MaxPool,
    BatchNormalization, LeakyRelu, LRN, Dropout (opset 11)."""
    n = helper.make_node
    nodes = [
        n("AveragePool", ["x"], ["a"], name="avg", kernel_shape=[3, 3], strides=[2, 2],
          pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1),
        n("MaxPool", ["a"], ["m"], name="max", kernel_shape=[2, 2], dilations=[2, 1]),
        n("BatchNormalization", ["m", "s", "b", "mean", "var"], ["bn"], name="bn",
          epsilon=1e-5),
        n("LeakyRelu", ["bn"], ["l"], name="leaky", alpha=0.1),
        n("LRN", ["l"], ["lrn"], name="lrn", size=3, alpha=1e-4, beta=0.75, bias=1.0),
        n("Dropout", ["lrn"], ["y"], name="dropout", ratio=0.5)]
    var = np.abs(_f32(rng, 3)) + 0.5
    inits = [numpy_helper.from_array(_f32(rng, 3), "s"),
             numpy_helper.from_array(_f32(rng, 3), "b"),
             numpy_helper.from_array(_f32(rng, 3), "mean"),
             numpy_helper.from_array(var, "var")]
    return _model(nodes, [("x", TensorProto.FLOAT, [1, 3, 11, 11])],
                  [("y", TensorProto.FLOAT, [1, 3, 4, 5])], inits, 11, "pool_chain")


def _movement_chain(rng):
    """Reshape, Transpose, Concat, Slice with steps, Squeeze, Unsqueeze, Pad,
    Gather, Expand."""
    n = helper.make_node
    nodes = [
        n("Reshape", ["x", "shape"], ["r"], name="reshape"),
        n("Transpose", ["r"], ["t"], name="transpose", perm=[0, 2, 1]),
        n("Concat", ["t", "t"], ["c"], name="concat", axis=1),
        n("Slice", ["c", "starts", "ends", "axes", "steps"], ["s"], name="slice"),
        n("Unsqueeze", ["s", "uaxes"], ["u"], name="unsqueeze"),
        n("Squeeze", ["u", "uaxes"], ["q"], name="squeeze"),
        n("Pad", ["q", "pads", "pv"], ["p"], name="pad", mode="constant"),
        n("Gather", ["p", "idx"], ["g"], name="gather", axis=1),
        n("Expand", ["g", "eshape"], ["y"], name="expand")]
    inits = [_const("shape", [2, 3, -1]), _const("starts", [0, 5]),
             _const("ends", [2**62, -1]), _const("axes", [0, 1]),
             _const("steps", [1, -2]), _const("uaxes", [1]),
             _const("pads", [0, 1, 0, 0, 1, 0]),
             numpy_helper.from_array(np.array(0.5, np.float32), "pv"),
             _const("idx", [[0, 1], [2, 0]]), _const("eshape", [2, 2, 2, 2])]
    return _model(nodes, [("x", TensorProto.FLOAT, [2, 12])],
                  [("y", TensorProto.FLOAT, [2, 2, 2, 2])], inits, 13, "movement_chain")


def _attention(rng):
    """MatMul, Add, Softmax, Mul, ReduceMean (axes input), LayerNormalization,
    Gelu (opset 20)."""
    n = helper.make_node
    nodes = [
        n("MatMul", ["x", "wq"], ["q"], name="q"),
        n("MatMul", ["x", "wk"], ["k"], name="k"),
        n("Transpose", ["k"], ["kt"], name="kt", perm=[0, 2, 1]),
        n("MatMul", ["q", "kt"], ["s"], name="scores"),
        n("Mul", ["s", "scale"], ["ss"], name="scale"),
        n("Softmax", ["ss"], ["a"], name="softmax", axis=-1),
        n("MatMul", ["a", "x"], ["o"], name="attend"),
        n("Add", ["o", "x"], ["res"], name="residual"),
        n("LayerNormalization", ["res", "g", "b"], ["ln"], name="ln", axis=-1,
          epsilon=1e-5),
        n("Gelu", ["ln"], ["ge"], name="gelu", approximate="tanh"),
        n("ReduceMean", ["ge", "raxes"], ["y"], name="mean", keepdims=1)]
    inits = [numpy_helper.from_array(_f32(rng, 8, 8), "wq"),
             numpy_helper.from_array(_f32(rng, 8, 8), "wk"),
             numpy_helper.from_array(np.array(0.35, np.float32), "scale"),
             numpy_helper.from_array(_f32(rng, 8), "g"),
             numpy_helper.from_array(_f32(rng, 8), "b"), _const("raxes", [1])]
    return _model(nodes, [("x", TensorProto.FLOAT, [2, 4, 8])],
                  [("y", TensorProto.FLOAT, [2, 1, 8])], inits, 20, "attention")


def _shape_subgraph(rng):
    """PyTorch-style shape arithmetic: Shape, Gather, Unsqueeze, Concat,
    Reshape, ConstantOfShape, Range, Cast, Where, Equal, Constant."""
    n = helper.make_node
    nodes = [
        n("Shape", ["x"], ["sh"], name="shape"),
        n("Gather", ["sh", "zero"], ["batch"], name="batch", axis=0),
        n("Unsqueeze", ["batch", "axes0"], ["b1"], name="b1"),
        n("Constant", [], ["minus1"], name="minus1",
          value=numpy_helper.from_array(np.array([-1], np.int64))),
        n("Concat", ["b1", "minus1"], ["target"], name="target", axis=0),
        n("Reshape", ["x", "target"], ["flat"], name="flatten"),
        n("ConstantOfShape", ["cshape"], ["ones"], name="ones",
          value=numpy_helper.from_array(np.array([1.0], np.float32))),
        n("Range", ["rstart", "rlimit", "rdelta"], ["rng"], name="range"),
        n("Cast", ["rng"], ["rngf"], name="cast", to=TensorProto.FLOAT),
        n("Equal", ["rng", "two"], ["eq"], name="eq"),
        n("Where", ["eq", "ones", "rngf"], ["sel"], name="where"),
        n("Mul", ["flat", "sel"], ["y"], name="mul")]
    inits = [_const("zero", 0), _const("axes0", [0]), _const("cshape", [48]),
             _const("rstart", 0), _const("rlimit", 48), _const("rdelta", 1),
             _const("two", 2)]
    return _model(nodes, [("x", TensorProto.FLOAT, [2, 3, 4, 4])],
                  [("y", TensorProto.FLOAT, [2, 48])], inits, 13, "shape_subgraph")


def _conv1d(rng):
    """1-D Conv (a decomposition onto conv2d), 1-D MaxPool and AveragePool."""
    n = helper.make_node
    nodes = [n("Conv", ["x", "w"], ["c"], name="conv1d", pads=[1, 1], strides=[1],
               dilations=[2]),
             n("MaxPool", ["c"], ["m"], name="pool1d", kernel_shape=[2], strides=[2]),
             n("AveragePool", ["m"], ["y"], name="avg1d", kernel_shape=[2])]
    inits = [numpy_helper.from_array(_f32(rng, 4, 2, 3), "w")]
    return _model(nodes, [("x", TensorProto.FLOAT, [1, 2, 16])],
                  [("y", TensorProto.FLOAT, [1, 4, 6])], inits, 13, "conv1d")


def _quantized(rng):
    """QuantizeLinear and DequantizeLinear, per tensor and per axis."""
    n = helper.make_node
    nodes = [n("QuantizeLinear", ["x", "s", "zp"], ["q"], name="quant"),
             n("DequantizeLinear", ["q", "s", "zp"], ["dq"], name="dequant"),
             n("QuantizeLinear", ["dq", "sa", "zpa"], ["q2"], name="quant_axis", axis=1),
             n("DequantizeLinear", ["q2", "sa", "zpa"], ["y"], name="dequant_axis",
               axis=1)]
    inits = [numpy_helper.from_array(np.array(0.05, np.float32), "s"),
             numpy_helper.from_array(np.array(3, np.uint8), "zp"),
             numpy_helper.from_array(np.array([0.1, 0.2, 0.3], np.float32), "sa"),
             numpy_helper.from_array(np.array([0, 1, -1], np.int8), "zpa")]
    return _model(nodes, [("x", TensorProto.FLOAT, [2, 3, 4])],
                  [("y", TensorProto.FLOAT, [2, 3, 4])], inits, 13, "quantized")


def _elementwise(rng):
    """Broadcasting binary ops, variadic Sum/Max/Min/Mean, Clip with input
    bounds, Pow, unary activations, Cast, Identity."""
    n = helper.make_node
    nodes = [n("Add", ["a", "b"], ["s"], name="add"),
             n("Sub", ["s", "b"], ["d"], name="sub"),
             n("Div", ["d", "two"], ["q"], name="div"),
             n("Pow", ["q", "two"], ["p"], name="pow"),
             n("Sum", ["p", "a", "b"], ["sum"], name="sum"),
             n("Max", ["sum", "a"], ["mx"], name="max"),
             n("Min", ["mx", "b"], ["mn"], name="min"),
             n("Mean", ["mn", "a"], ["me"], name="mean"),
             n("Clip", ["me", "lo", "hi"], ["cl"], name="clip"),
             n("Sigmoid", ["cl"], ["sg"], name="sigmoid"),
             n("HardSigmoid", ["sg"], ["hs"], name="hardsigmoid", alpha=0.2, beta=0.5),
             n("HardSwish", ["hs"], ["hw"], name="hardswish"),
             n("Tanh", ["hw"], ["th"], name="tanh"),
             n("Abs", ["th"], ["ab"], name="abs"),
             n("Sqrt", ["ab"], ["sq"], name="sqrt"),
             n("Exp", ["sq"], ["ex"], name="exp"),
             n("Log", ["ex"], ["lg"], name="log"),
             n("Erf", ["lg"], ["er"], name="erf"),
             n("Neg", ["er"], ["ng"], name="neg"),
             n("Cast", ["ng"], ["c64"], name="cast", to=TensorProto.DOUBLE),
             n("Cast", ["c64"], ["c32"], name="cast_back", to=TensorProto.FLOAT),
             n("Identity", ["c32"], ["y"], name="identity")]
    inits = [numpy_helper.from_array(np.array(2.0, np.float32), "two"),
             numpy_helper.from_array(np.array(-1.0, np.float32), "lo"),
             numpy_helper.from_array(np.array(1.0, np.float32), "hi"),
             numpy_helper.from_array(_f32(rng, 1, 5), "b")]
    return _model(nodes, [("a", TensorProto.FLOAT, [3, 5])],
                  [("y", TensorProto.FLOAT, [3, 5])], inits, 13, "elementwise")


def _old_opsets(rng):
    """Attribute forms of early opsets: Slice, Pad, Squeeze/Unsqueeze,
    ReduceSum axes, Clip bounds, 2-D-coerced Softmax (opset 9)."""
    n = helper.make_node
    nodes = [n("Slice", ["x"], ["s"], name="slice", starts=[0, 1], ends=[2, 5],
               axes=[0, 2]),
             n("Pad", ["s"], ["p"], name="pad", pads=[0, 0, 1, 0, 0, 1], mode="edge"),
             n("Unsqueeze", ["p"], ["u"], name="unsqueeze", axes=[0]),
             n("Squeeze", ["u"], ["q"], name="squeeze", axes=[0]),
             n("ReduceSum", ["q"], ["r"], name="rsum", axes=[2], keepdims=1),
             n("Clip", ["r"], ["c"], name="clip", min=-2.0, max=2.0),
             n("Softmax", ["c"], ["y"], name="softmax", axis=1)]
    return _model(nodes, [("x", TensorProto.FLOAT, [2, 3, 6])],
                  [("y", TensorProto.FLOAT, [2, 3, 1])], [], 9, "old_opsets")


HAND_BUILT = [_conv_chain, _pool_chain, _movement_chain, _attention, _shape_subgraph,
              _conv1d, _quantized, _elementwise, _old_opsets]


def _load_inputs_module(name):
    """A generator script of test/onnx/Inputs as a module, or None outside a
    source tree."""
    path = os.path.join(INPUTS, f"{name}.py")
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location(f"_fuzz_seed_{name}", path)
    module = importlib.util.module_from_spec(spec)
    with contextlib.redirect_stderr(io.StringIO()):
        spec.loader.exec_module(module)
    return module


def seed_models():
    """[(name, serialized model)]: every seed the mutations start from."""
    seeds = []
    rng = np.random.default_rng(0)
    for make in HAND_BUILT:
        seeds.append((make.__name__.lstrip("_"), make(rng)))
    make_onnx = _load_inputs_module("make_onnx")
    if make_onnx is not None:
        for name, make in sorted(make_onnx.MODELS.items()):
            seeds.append((f"make_onnx.{name}", make()[0]))
    random_ops = _load_inputs_module("random_ops")
    if random_ops is not None:
        for index, gen in enumerate(random_ops.GENERATORS):
            for draw in range(3):
                r = np.random.default_rng([7, index, draw])
                nodes, inputs, inits = gen(r)
                seeds.append((f"random_ops.{gen.__name__.rstrip('_')}{draw}", _model(
                    nodes, [(k, TensorProto.FLOAT, list(v.shape)) for k, v in inputs.items()],
                    [("y", TensorProto.FLOAT, None)], inits, 18, gen.__name__)))
    sweep = _load_inputs_module("opset_sweep")
    if sweep is not None:
        for name, opset, nodes, inputs, inits, out_shape in sweep.cases():
            seeds.append((f"opset_sweep.{name}@{opset}", _model(
                nodes, [(k, TensorProto.FLOAT, list(v.shape)) for k, v in inputs.items()],
                [("y", TensorProto.FLOAT, out_shape)], inits, opset, name)))
    light = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "light")
    for path in sorted(glob.glob(os.path.join(light, "light_*.onnx"))):
        seeds.append((os.path.basename(path)[:-5], onnx.load(path)))
    return [(name, model.SerializeToString()) for name, model in seeds]


# ------------------------------------------------------------- mutations

INTERESTING_INTS = [-2**63, -2**31, -100, -3, -2, -1, 0, 1, 2, 3, 4, 7, 64,
                    2**31 - 1, 2**31, 2**40, 2**63 - 1]
INTERESTING_FLOATS = [float("nan"), float("inf"), float("-inf"), -1.0, 0.0, 0.5,
                      1e-45, 3.4e38, 1e300, -7.5]
INTERESTING_STRINGS = [b"", b"NOTSET", b"SAME_UPPER", b"SAME_LOWER", b"VALID",
                       b"constant", b"reflect", b"edge", b"wrap", b"tanh", b"none",
                       b"bogus", b"\xff\xfe\x00", "\u00e9".encode()]
ELEM_TYPES = [t for t in TensorProto.DataType.values()]
SUPPORTED = sorted(importer.supported_ops())
OTHER_OPS = ["FooBar", "", "Hardmax", "Loop", "If", "Split", "Resize", "Upsample",
             "NonZero", "TopK", "Einsum", "Celu", "Conv\x00", "conv"]


def _pick(rng, items):
    return items[rng.randrange(len(items))] if items else None


def _value_names(graph):
    names = [i.name for i in graph.input] + [i.name for i in graph.initializer]
    names += [o for n in graph.node for o in n.output if o]
    return names


def _nodes_with_inputs(graph):
    return [n for n in graph.node if len(n.input)]


def m_drop_input(model, rng):
    node = _pick(rng, _nodes_with_inputs(model.graph))
    if node is None:
        return None
    i = rng.randrange(len(node.input))
    del node.input[i]
    return f"drop input {i} of {node.op_type} '{node.name}'"


def m_duplicate_input(model, rng):
    node = _pick(rng, _nodes_with_inputs(model.graph))
    if node is None:
        return None
    i = rng.randrange(len(node.input))
    node.input.insert(rng.randrange(len(node.input) + 1), node.input[i])
    return f"duplicate input {i} of {node.op_type} '{node.name}'"


def m_empty_input(model, rng):
    node = _pick(rng, _nodes_with_inputs(model.graph))
    if node is None:
        return None
    i = rng.randrange(len(node.input))
    node.input[i] = ""
    return f"empty input {i} of {node.op_type} '{node.name}'"


def m_rewire_input(model, rng):
    """Feeds a node another value of the graph (another rank or type)."""
    node = _pick(rng, _nodes_with_inputs(model.graph))
    names = _value_names(model.graph)
    if node is None or not names:
        return None
    i = rng.randrange(len(node.input))
    node.input[i] = _pick(rng, names)
    return f"input {i} of {node.op_type} '{node.name}' := '{node.input[i]}'"


def m_dangling_input(model, rng):
    node = _pick(rng, _nodes_with_inputs(model.graph))
    if node is None:
        return None
    i = rng.randrange(len(node.input))
    node.input[i] = node.input[i] + "_dangling"
    return f"input {i} of {node.op_type} '{node.name}' renamed to a missing edge"


def m_rename_output(model, rng):
    node = _pick(rng, [n for n in model.graph.node if len(n.output)])
    if node is None:
        return None
    i = rng.randrange(len(node.output))
    node.output[i] = _pick(rng, ["", node.output[i] + "_renamed"] + _value_names(model.graph))
    return f"output {i} of {node.op_type} '{node.name}' := '{node.output[i]}'"


WEIRD_NAMES = ['a"b', "back\\slash", "new\nline", "\u00e9t\u00e9", "", " ", "%arg0",
               "x" * 300, "}", "\x00", "dense<1>"]


def m_rename_value(model, rng):
    """Another name for a graph input or initializer, everywhere it is used:
    quotes, backslashes, newlines, non-ASCII, empty or clashing names."""
    graph = model.graph
    values = list(graph.input) + list(graph.initializer)
    value = _pick(rng, values)
    if value is None:
        return None
    old, new = value.name, _pick(rng, WEIRD_NAMES + _value_names(graph))
    for v in values + list(graph.output) + list(graph.value_info):
        if v.name == old:
            v.name = new
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == old:
                node.input[i] = new
    return f"'{old}' renamed {new!r:.40}"


def m_extra_output(model, rng):
    node = _pick(rng, list(model.graph.node))
    if node is None:
        return None
    node.output.append(_pick(rng, ["", "extra_out", node.output[0] if node.output else "x"]))
    return f"extra output of {node.op_type} '{node.name}'"


def m_swap_inputs(model, rng):
    node = _pick(rng, [n for n in model.graph.node if len(n.input) > 1])
    if node is None:
        return None
    i, j = rng.sample(range(len(node.input)), 2)
    node.input[i], node.input[j] = node.input[j], node.input[i]
    return f"swap inputs {i} and {j} of {node.op_type} '{node.name}'"


def m_drop_node(model, rng):
    if not len(model.graph.node):
        return None
    i = rng.randrange(len(model.graph.node))
    op = model.graph.node[i].op_type
    del model.graph.node[i]
    return f"drop node {i} ({op})"


def m_duplicate_node(model, rng):
    if not len(model.graph.node):
        return None
    i = rng.randrange(len(model.graph.node))
    copy = onnx.NodeProto()
    copy.CopyFrom(model.graph.node[i])
    if rng.random() < 0.5:
        for k in range(len(copy.output)):
            copy.output[k] = copy.output[k] + "_dup"
    model.graph.node.insert(rng.randrange(len(model.graph.node) + 1), copy)
    return f"duplicate node {i} ({copy.op_type})"


def m_reorder_nodes(model, rng):
    nodes = list(model.graph.node)
    if len(nodes) < 2:
        return None
    i, j = rng.sample(range(len(nodes)), 2)
    nodes[i], nodes[j] = nodes[j], nodes[i]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return f"swap nodes {i} and {j}"


def m_op_type(model, rng):
    node = _pick(rng, list(model.graph.node))
    if node is None:
        return None
    old = node.op_type
    node.op_type = _pick(rng, SUPPORTED if rng.random() < 0.8 else OTHER_OPS)
    return f"op type of '{node.name}' {old} -> {node.op_type}"


def m_domain(model, rng):
    node = _pick(rng, list(model.graph.node))
    if node is None:
        return None
    node.domain = _pick(rng, ["com.microsoft", "ai.onnx", "ai.onnx.ml", "bogus"])
    return f"domain of {node.op_type} '{node.name}' := {node.domain}"


def _weird_ints(rng, current):
    n = len(current)
    kind = rng.randrange(7)
    if kind == 0:
        return []
    if kind == 1:
        return list(current) + [_pick(rng, INTERESTING_INTS)]
    if kind == 2:
        return list(current)[:-1]
    if kind == 3 and n:
        out = list(current)
        out[rng.randrange(n)] = _pick(rng, INTERESTING_INTS)
        return out
    if kind == 4:
        return [_pick(rng, [-1, 0])] * max(n, 1)
    if kind == 5:
        return [rng.randrange(-3, 6) for _ in range(rng.randrange(0, 7))]
    return [_pick(rng, INTERESTING_INTS) for _ in range(max(n, 1))]


def _random_tensor(rng, name=""):
    dtype = _pick(rng, [np.float32, np.int64, np.int32, np.float64, np.bool_,
                        np.uint8, np.int8, np.float16])
    shape = [rng.randrange(0, 4) for _ in range(rng.randrange(0, 4))]
    array = (np.random.default_rng(rng.randrange(2**32)).standard_normal(shape) * 4)
    return numpy_helper.from_array(array.astype(dtype), name)


def m_attr_value(model, rng):
    """Negative, zero, huge, wrong-length or non-finite attribute values."""
    node = _pick(rng, [n for n in model.graph.node if len(n.attribute)])
    if node is None:
        return None
    a = _pick(rng, list(node.attribute))
    if a.type == AttributeProto.INT:
        a.i = _pick(rng, INTERESTING_INTS)
    elif a.type == AttributeProto.INTS:
        values = _weird_ints(rng, a.ints)
        del a.ints[:]
        a.ints.extend(values)
    elif a.type == AttributeProto.FLOAT:
        a.f = _pick(rng, INTERESTING_FLOATS)
    elif a.type == AttributeProto.FLOATS:
        values = [_pick(rng, INTERESTING_FLOATS) for _ in range(rng.randrange(0, 4))]
        del a.floats[:]
        a.floats.extend(values)
    elif a.type == AttributeProto.STRING:
        a.s = _pick(rng, INTERESTING_STRINGS)
    elif a.type == AttributeProto.TENSOR:
        a.t.CopyFrom(_random_tensor(rng))
    else:
        return None
    return f"attribute {a.name} of {node.op_type} '{node.name}' := {_values(a)}"


def m_attr_plausible(model, rng):
    """Another value of the kind the attribute holds (other strides, pads,
    axes, permutations, flags): models that import, in configurations the
    seeds do not have."""
    node = _pick(rng, [n for n in model.graph.node if len(n.attribute)])
    if node is None:
        return None
    a = _pick(rng, list(node.attribute))
    if a.type == AttributeProto.INT:
        a.i = rng.randrange(-3, 5)
    elif a.type == AttributeProto.INTS:
        values = list(a.ints)
        if a.name == "perm":
            rng.shuffle(values)
        else:
            values = [rng.randrange(-2 if "axes" in a.name else 0, 4) for _ in values]
        del a.ints[:]
        a.ints.extend(values)
    elif a.type == AttributeProto.FLOAT:
        a.f = rng.choice([0.0, 0.1, 0.5, 1.0, 2.0, 1e-3])
    else:
        return None
    return f"attribute {a.name} of {node.op_type} '{node.name}' := {_values(a)}"


def m_input_dims(model, rng):
    """Another positive size of a graph input dimension."""
    vi = _pick(rng, [v for v in model.graph.input if v.type.HasField("tensor_type")
                     and len(v.type.tensor_type.shape.dim)])
    if vi is None:
        return None
    d = _pick(rng, list(vi.type.tensor_type.shape.dim))
    d.Clear()
    d.dim_value = rng.randrange(1, 10)
    return f"a dimension of input '{vi.name}' := {d.dim_value}"


def _values(a):
    try:
        return helper.get_attribute_value(a)
    except Exception:  # noqa: BLE001 - a mutated attribute type
        return "?"


def m_attr_type(model, rng):
    """An attribute of another type (the value moves to that type's field)."""
    node = _pick(rng, [n for n in model.graph.node if len(n.attribute)])
    if node is None:
        return None
    a = _pick(rng, list(node.attribute))
    name = a.name
    kind = rng.randrange(6)
    value = [_pick(rng, INTERESTING_INTS) for _ in range(2)]
    if kind == 0:
        new = helper.make_attribute(name, float(value[0] % 7))
    elif kind == 1:
        new = helper.make_attribute(name, [float(v % 5) for v in value])
    elif kind == 2:
        new = helper.make_attribute(name, int(value[0]))
    elif kind == 3:
        new = helper.make_attribute(name, [int(v) for v in value])
    elif kind == 4:
        new = helper.make_attribute(name, b"3")
    else:
        new = AttributeProto()
        new.CopyFrom(a)
        new.type = _pick(rng, list(AttributeProto.AttributeType.values()))
    a.CopyFrom(new)
    return f"attribute {name} of {node.op_type} '{node.name}' retyped to " \
        f"{AttributeProto.AttributeType.Name(a.type) if a.type in AttributeProto.AttributeType.values() else a.type}"


def m_attr_add(model, rng):
    node = _pick(rng, list(model.graph.node))
    if node is None:
        return None
    name = _pick(rng, ["group", "axis", "axes", "perm", "kernel_shape", "strides",
                       "pads", "dilations", "auto_pad", "ceil_mode", "keepdims",
                       "alpha", "epsilon", "to", "transA", "allowzero", "mode",
                       "bogus", "training_mode", "storage_order", "count_include_pad",
                       "noop_with_empty_axes", "value", "approximate", "size"])
    kind = rng.randrange(4)
    value = (_pick(rng, INTERESTING_INTS), _weird_ints(rng, [1, 1]),
             _pick(rng, INTERESTING_FLOATS), _pick(rng, INTERESTING_STRINGS))[kind]
    for i, a in enumerate(node.attribute):
        if a.name == name and rng.random() < 0.7:
            del node.attribute[i]
            break
    node.attribute.append(helper.make_attribute(name, value))
    return f"attribute {name} := {value!r} on {node.op_type} '{node.name}'"


def m_attr_drop(model, rng):
    node = _pick(rng, [n for n in model.graph.node if len(n.attribute)])
    if node is None:
        return None
    i = rng.randrange(len(node.attribute))
    name = node.attribute[i].name
    del node.attribute[i]
    return f"drop attribute {name} of {node.op_type} '{node.name}'"


def _mutate_dims(rng, shape):
    dims = list(shape.dim)
    kind = rng.randrange(6)
    if kind == 0 and dims:
        d = _pick(rng, dims)
        d.Clear()
        d.dim_value = _pick(rng, [0, -1, -7, 1, 2**40, 2**62])
    elif kind == 1 and dims:
        d = _pick(rng, dims)
        d.Clear()
        d.dim_param = _pick(rng, ["N", "batch", ""])
    elif kind == 2:
        shape.dim.add().dim_value = _pick(rng, [1, 2, 3, 0, -1])
    elif kind == 3 and dims:
        del shape.dim[rng.randrange(len(dims))]
    elif kind == 4:
        del shape.dim[:]
    else:
        return False
    return True


def m_value_shape(model, rng):
    """Other ranks, zero, negative, huge and symbolic sizes of graph inputs
    and outputs."""
    values = list(model.graph.input) + list(model.graph.output) + list(model.graph.value_info)
    vi = _pick(rng, [v for v in values if v.type.HasField("tensor_type")])
    if vi is None:
        return None
    tt = vi.type.tensor_type
    if rng.random() < 0.1:
        tt.ClearField("shape")
        return f"shape of '{vi.name}' dropped"
    if not _mutate_dims(rng, tt.shape):
        return None
    dims = [d.dim_value if d.HasField("dim_value") else d.dim_param or "?"
            for d in tt.shape.dim]
    return f"shape of '{vi.name}' := {dims}"


def m_value_type(model, rng):
    values = list(model.graph.input) + list(model.graph.output) + list(model.graph.value_info)
    vi = _pick(rng, values)
    if vi is None:
        return None
    if rng.random() < 0.1:
        vi.type.Clear()
        vi.type.sequence_type.elem_type.tensor_type.elem_type = TensorProto.FLOAT
        return f"'{vi.name}' made a sequence"
    vi.type.tensor_type.elem_type = _pick(rng, ELEM_TYPES + [99])
    return f"element type of '{vi.name}' := {vi.type.tensor_type.elem_type}"


def m_initializer(model, rng):
    """Initializers of other ranks, sizes and types; data that does not fit
    its dims."""
    inits = list(model.graph.initializer)
    init = _pick(rng, inits)
    if init is None:
        return None
    kind = rng.randrange(6)
    name = init.name
    if kind == 0:
        new = _random_tensor(rng, name)
        init.CopyFrom(new)
        return f"initializer '{name}' := {list(new.dims)} of type {new.data_type}"
    if kind == 1:
        dims = _weird_ints(rng, init.dims)
        del init.dims[:]
        init.dims.extend(dims)
        return f"dims of initializer '{name}' := {dims} (data unchanged)"
    if kind == 2:
        init.data_type = _pick(rng, ELEM_TYPES + [99])
        return f"type of initializer '{name}' := {init.data_type} (data unchanged)"
    if kind == 3 and init.raw_data:
        init.raw_data = init.raw_data[:rng.randrange(len(init.raw_data))]
        return f"raw data of initializer '{name}' truncated"
    if kind == 4:
        try:
            array = numpy_helper.to_array(init)
        except Exception:  # noqa: BLE001 - already broken
            return None
        shape = list(array.shape)
        if rng.random() < 0.5:
            shape = [1] + shape
        elif shape:
            shape = shape[1:]
        init.CopyFrom(numpy_helper.from_array(
            np.resize(array, shape) if array.size else np.zeros(shape, array.dtype), name))
        return f"initializer '{name}' reshaped to {shape}"
    init.name = init.name + "_renamed"
    return f"initializer '{name}' renamed"


def m_constant(model, rng):
    node = _pick(rng, [n for n in model.graph.node if n.op_type == "Constant"])
    if node is None:
        return None
    del node.attribute[:]
    kind = rng.randrange(3)
    if kind == 0:
        node.attribute.append(helper.make_attribute("value", _random_tensor(rng)))
    elif kind == 1:
        node.attribute.append(helper.make_attribute(
            "value_ints", _weird_ints(rng, [1, 2])))
    else:
        node.attribute.append(helper.make_attribute("value_float",
                                                    _pick(rng, INTERESTING_FLOATS)))
    return f"value of Constant '{node.name}' := {_values(node.attribute[0])!r:.60}"


def m_graph_outputs(model, rng):
    graph = model.graph
    kind = rng.randrange(4)
    if kind == 0:
        del graph.output[:]
        return "no graph outputs"
    names = _value_names(graph)
    if kind == 1 and names:
        name = _pick(rng, names)
        graph.output.append(helper.make_tensor_value_info(
            name, TensorProto.FLOAT, None if rng.random() < 0.5 else ["?"]))
        return f"graph output '{name}' added"
    if kind == 2 and len(graph.output):
        graph.output.append(graph.output[0])
        return "graph output listed twice"
    if len(graph.output):
        graph.output[0].name = graph.output[0].name + "_missing"
        return "graph output renamed to a missing value"
    return None


def m_opset(model, rng):
    kind = rng.randrange(4)
    if kind == 0:
        version = rng.randrange(0, 31)
        for o in model.opset_import:
            if o.domain in ("", "ai.onnx"):
                o.version = version
        return f"opset := {version}"
    if kind == 1:
        del model.opset_import[:]
        return "no opset_import"
    if kind == 2:
        model.opset_import.append(helper.make_opsetid("", rng.randrange(1, 25)))
        return "ai.onnx imported twice"
    model.ir_version = _pick(rng, [0, 1, 3, 99, -1])
    return f"ir_version := {model.ir_version}"


MODEL_MUTATIONS = [
    (m_drop_input, 3), (m_duplicate_input, 3), (m_empty_input, 2), (m_rewire_input, 4),
    (m_dangling_input, 1), (m_rename_output, 2), (m_extra_output, 1), (m_swap_inputs, 2),
    (m_drop_node, 2), (m_duplicate_node, 1), (m_reorder_nodes, 1), (m_op_type, 3),
    (m_domain, 1), (m_attr_value, 8), (m_attr_type, 3), (m_attr_add, 5),
    (m_attr_drop, 3), (m_value_shape, 6), (m_value_type, 2), (m_initializer, 5),
    (m_constant, 2), (m_graph_outputs, 1), (m_opset, 2), (m_attr_plausible, 6),
    (m_input_dims, 4), (m_rename_value, 2)]


def mutate_bytes(data, rng):
    """Truncated, bit-flipped or spliced serialized models."""
    kind = rng.randrange(4)
    if kind == 0 or not data:
        cut = rng.randrange(len(data) + 1) if data else 0
        return data[:cut], f"truncated to {cut} of {len(data)} bytes"
    data = bytearray(data)
    if kind == 1:
        flips = rng.randrange(1, 9)
        for _ in range(flips):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        return bytes(data), f"{flips} bits flipped"
    if kind == 2:
        i = rng.randrange(len(data))
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        return bytes(data[:i] + junk + data[i:]), f"{len(junk)} bytes inserted at {i}"
    i = rng.randrange(len(data))
    data[i] = _pick(rng, [0x00, 0xFF, 0x80, 0x7F, 0x08, 0x12])
    return bytes(data), f"byte {i} overwritten"


def make_case(seeds, seed, index):
    """(seed model name, mutated bytes, mutation descriptions, extra
    importer arguments) of case `index`: a pure function of (seed, index)."""
    rng = random.Random(f"{seed}:{index}")
    name, data = seeds[rng.randrange(len(seeds))]
    model = onnx.ModelProto.FromString(data)
    done = []
    functions, weights = zip(*MODEL_MUTATIONS)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        mutation = rng.choices(functions, weights)[0]
        try:
            what = mutation(model, rng)
        except (ValueError, TypeError, OverflowError, IndexError):
            what = None  # a value the protobuf field cannot hold
        if what:
            done.append(what)
    try:
        data = model.SerializeToString()
    except Exception:  # noqa: BLE001 - the mutation made it unserializable
        data = onnx.ModelProto.FromString(seeds[0][1]).SerializeToString()
        done.append("(unserializable, seed used instead)")
    if rng.random() < 0.12:
        data, what = mutate_bytes(data, rng)
        done.append(what)
    extra = ["--batch-size", str(rng.randrange(1, 4))] if rng.random() < 0.1 else []
    return name, data, done, extra


# ---------------------------------------------------------------- worker


def _serve(conn, memory_mb):
    """Imports models by calling the importer's main() until told to stop."""
    if memory_mb:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        job = conn.recv()
        if job is None:
            return
        path, out, extra = job
        stderr = io.StringIO()
        result = {"rc": None, "exception": None}
        try:
            with warnings.catch_warnings(record=True) as caught, \
                    contextlib.redirect_stderr(stderr), \
                    contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("always")
                try:
                    result["rc"] = importer.main([path, "-o", out] + extra)
                except SystemExit as e:
                    result["rc"] = e.code if isinstance(e.code, int) else 1
            for w in caught:
                stderr.write(warnings.formatwarning(w.message, w.category, w.filename,
                                                    w.lineno))
        except BaseException:  # noqa: BLE001 - a crash is what we look for
            result["exception"] = traceback.format_exc()
        result["stderr"] = stderr.getvalue()
        conn.send(result)


class Worker:
    """A process that imports models in-process; restarted after a hang or
    a death."""

    def __init__(self, memory_mb):
        self.memory_mb = memory_mb
        self.context = multiprocessing.get_context("fork")
        self.process = None

    def start(self):
        self.conn, child = self.context.Pipe()
        self.process = self.context.Process(target=_serve, args=(child, self.memory_mb),
                                            daemon=True)
        self.process.start()
        child.close()

    def stop(self):
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        if self.process is not None:
            self.process.join()
        self.process = None

    def run(self, path, out, extra, timeout):
        """{'rc', 'exception', 'stderr'}, or {'hang': True} or
        {'died': exit code}."""
        if self.process is None or not self.process.is_alive():
            self.start()
        self.conn.send((path, out, extra))
        if not self.conn.poll(timeout):
            self.stop()
            return {"hang": True}
        try:
            return self.conn.recv()
        except (EOFError, ConnectionError):
            self.process.join()
            code = self.process.exitcode
            self.process = None
            return {"died": code}


# ------------------------------------------------------------ the driver


def check_mlir(infer_opt, path, args, timeout):
    """None if infer-opt accepts the file, else (outcome, message). Waits up
    to 5 minutes for an infer-opt that a rebuild removed."""
    cmd = [infer_opt, path, "-o", os.devnull] + args
    for attempt in range(61):
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            return "hang", f"{' '.join(cmd)}: no answer in {timeout} s"
        except OSError as e:
            if attempt == 60:
                sys.exit(f"fuzz-onnx: error: cannot run {infer_opt}: {e}")
            time.sleep(5)
    if result.returncode == 0:
        return None
    message = f"{' '.join(cmd)}: exit {result.returncode}\n{result.stderr[-4000:]}"
    if result.returncode == 1:
        return "invalid", message
    return "crash", message


def classify(result):
    """(outcome, message) of an import."""
    if result.get("hang"):
        return "hang", "no answer from the importer"
    if "died" in result:
        return "crash", f"the importer process died (exit code {result['died']})"
    if result["exception"]:
        return "crash", result["exception"]
    stderr = result["stderr"]
    lines = stderr.splitlines()
    if result["rc"] == 0:
        return ("ok", "") if not lines else ("crash", "exit 0 with output on stderr:\n"
                                             + stderr)
    if result["rc"] == 1 and len(lines) == 1 and lines[0].startswith(ERROR_PREFIX):
        return "error", lines[0]
    return "crash", f"exit {result['rc']} with stderr:\n{stderr}"


def save(out_dir, kind, index, data, report):
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, f"{kind}-{index:06d}")
    with open(base + ".onnx", "wb") as f:
        f.write(data)
    with open(base + ".txt", "w") as f:
        f.write(report)
    return base


class Progress:
    """tqdm when it is installed, else a counter (a line per `every` models
    when stderr is not a terminal)."""

    def __init__(self, total, quiet):
        self.total, self.quiet, self.count = total, quiet, 0
        self.tty = sys.stderr.isatty()
        try:
            from tqdm import tqdm
            self.bar = None if quiet else tqdm(total=total, unit="model")
        except ImportError:
            self.bar = None

    def update(self, counts):
        self.count += 1
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(crash=counts["crash"], hang=counts["hang"],
                                 invalid=counts["invalid"])
            return
        text = (f"fuzz-onnx: {self.count}/{self.total} models, {counts['crash']} crashes, "
                f"{counts['hang']} hangs, {counts['invalid']} invalid")
        if self.tty:
            print("\r" + text, end="", file=sys.stderr, flush=True)
        elif self.count % 1000 == 0:
            print(text, file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()
        elif self.tty and not self.quiet:
            print(file=sys.stderr)


def main(argv=None):
    """The command line; returns 1 if any model crashed, hung or imported to
    IR that infer-opt rejects."""
    parser = argparse.ArgumentParser(
        prog="fuzz-onnx", description="Mutation fuzzing of the ONNX importer.")
    parser.add_argument("--seed", type=int, default=0, help="seed of the mutations")
    parser.add_argument("--models", type=int, default=1000, help="mutated models to try")
    parser.add_argument("--time", type=float, default=0,
                        help="stop after this many seconds (0: no limit)")
    parser.add_argument("--out", default="fuzz-onnx-out",
                        help="where crashing, hanging and invalid inputs are saved")
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"),
                        help="the directory of infer-opt")
    parser.add_argument("--verify-fraction", type=float, default=1.0,
                        help="fraction of imported models checked with infer-opt")
    parser.add_argument("--pipeline-fraction", type=float, default=0.0,
                        help="fraction of imported models also run through "
                        "infer-opt --infer-cpu-pipeline")
    parser.add_argument("--timeout", type=float, default=30,
                        help="seconds after which an import or infer-opt run is a hang")
    parser.add_argument("--memory-mb", type=int, default=4096,
                        help="address-space limit of the importer process")
    parser.add_argument("--only", default="",
                        help="comma-separated case indices to replay")
    parser.add_argument("--quiet", action="store_true", help="no progress counter")
    parser.add_argument("--verbose", action="store_true",
                        help="print every case: its seed model, mutations and outcome")
    args = parser.parse_args(argv)

    infer_opt = os.path.join(args.bin, "infer-opt")
    if (args.verify_fraction > 0 or args.pipeline_fraction > 0) and \
            not os.access(infer_opt, os.X_OK):
        parser.error(f"{infer_opt} not found (pass --bin, or --verify-fraction 0)")
    seeds = seed_models()
    indices = [int(i) for i in args.only.split(",") if i] or range(args.models)
    counts = dict.fromkeys(("ok", "error", "crash", "hang", "invalid"), 0)
    saved = []
    sampler = random.Random(args.seed)
    worker = Worker(args.memory_mb)
    progress = Progress(len(indices), args.quiet)
    start = time.monotonic()
    tried = 0
    with tempfile.TemporaryDirectory(prefix="fuzz-onnx-") as tmp:
        model_path = os.path.join(tmp, "model.onnx")
        mlir_path = os.path.join(tmp, "model.mlir")
        try:
            for index in indices:
                if args.time and time.monotonic() - start > args.time:
                    break
                name, data, mutations, extra = make_case(seeds, args.seed, index)
                mutations += [" ".join(extra)] if extra else []
                with open(model_path, "wb") as f:
                    f.write(data)
                if os.path.exists(mlir_path):
                    os.remove(mlir_path)
                outcome, message = classify(worker.run(model_path, mlir_path, extra,
                                                       args.timeout))
                if outcome == "ok" and sampler.random() < args.verify_fraction:
                    found = check_mlir(infer_opt, mlir_path, [], args.timeout)
                    if found is None and sampler.random() < args.pipeline_fraction:
                        found = check_mlir(infer_opt, mlir_path, ["--infer-cpu-pipeline"],
                                           args.timeout)
                        # A lowering limitation (exit 1) is not the importer's fault.
                        if found is not None and found[0] == "invalid":
                            found = None
                    if found is not None:
                        outcome, message = found
                tried += 1
                counts[outcome] += 1
                if args.verbose:
                    print(f"case {index} ({name}; {'; '.join(mutations) or 'no mutation'}): "
                          f"{outcome}: {message.splitlines()[0] if message else ''}")
                if outcome in ("crash", "hang", "invalid"):
                    report = (f"seed {args.seed}, case {index}, from {name}\n"
                              f"mutations: {'; '.join(mutations) or 'none'}\n"
                              f"replay: python -m infer.fuzz_onnx --seed {args.seed} "
                              f"--only {index}\n"
                              f"import: infer-import-onnx {outcome}-{index:06d}.onnx "
                              f"{' '.join(extra)}\n\n{message}\n")
                    base = save(args.out, outcome, index, data, report)
                    if outcome == "invalid" and os.path.exists(mlir_path):
                        shutil.copy(mlir_path, base + ".mlir")
                    saved.append(base)
                progress.update(counts)
        finally:
            progress.close()
            worker.stop()
    elapsed = time.monotonic() - start
    for base in saved[:20]:
        print(f"saved {base}.onnx")
    print(f"fuzz-onnx: seed {args.seed}: {tried} models tried, {counts['ok']} imported OK, "
          f"{counts['error']} clean errors, {counts['crash']} crashes, "
          f"{counts['hang']} hangs, {counts['invalid']} invalid IR ({elapsed:.1f} s)")
    return 1 if counts["crash"] or counts["hang"] or counts["invalid"] else 0


if __name__ == "__main__":
    sys.exit(main())
