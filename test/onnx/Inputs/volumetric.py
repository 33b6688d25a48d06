#!/usr/bin/env python3
"""3-D convolution and pooling against onnxruntime.

    volumetric.py WORK_DIR

Conv (bias or none, groups and depthwise, strides, dilations, symmetric and
asymmetric pads, auto_pad, a weight that is a graph input, a dynamic batch),
MaxPool (pads, strides, dilations, ceil_mode, auto_pad), AveragePool
(count_include_pad 0 and 1 with pads, ceil_mode) and ConvTranspose (strides,
pads, output_padding, groups, dilations, output_shape, auto_pad, a weight
that is a graph input) over [N, C, D, H, W] are
imported (decomposed into 2-D ops), then run by infer-run as imported and
after `infer-opt --fuse --tile`; both must match onnxruntime at rtol 1e-4,
atol 1e-5. The imported MLIR must hold 2-D ops only: each case checks that no
convolution or pool has a 5-D operand. WORK_DIR/conv3d.mlir and
WORK_DIR/pools3d.mlir are kept for FileCheck. Each case prints PASS/FAIL.
"""
import os
import re
import subprocess
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import harness
from harness import expect_import_error, input_args, onnxruntime_outputs, report, run_infer
from infer.onnx.errors import ImportError_
from infer.onnx.importer import import_model

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
r = np.random.default_rng(11)
RTOL, ATOL = 1e-4, 1e-5
F32 = TensorProto.FLOAT


def model_of(nodes, inputs, inits, opset=13, batch=None):
    """inputs: name -> example array (batch: a symbolic leading dimension)."""
    def dims(a):
        return [batch] + list(a.shape[1:]) if batch else list(a.shape)
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info(n, F32, dims(a))
                     for n, a in inputs.items()],
        [helper.make_tensor_value_info("y", F32, None)],
        [numpy_helper.from_array(np.asarray(a), n) for n, a in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


FIVE_D_WINDOW = re.compile(r"infer\.(conv2d|conv_transpose|max_pool|avg_pool)\b[^\n]*: \(tensor<(\?|\d+)"
                           r"(x(\?|\d+)){4}x")


def check(tag, model, feeds, keep=None):
    base = os.path.join(work, tag)
    try:
        text = import_model(model)
    except ImportError_ as e:
        report(tag, False, f"import: {e}")
        return
    with open(base + ".mlir", "w") as f:
        f.write(text)
    if keep:
        with open(os.path.join(work, keep), "w") as f:
            f.write(text)
    if FIVE_D_WINDOW.search(text) or re.search(r"infer\.\w*3d", text):
        report(tag, False, "the MLIR has a 3-D window op")
        return
    expected = onnxruntime_outputs(model, feeds)[0]
    inputs = input_args(base, feeds)
    tiled = base + ".tiled.mlir"
    proc = subprocess.run(["infer-opt", "--fuse", "--tile", base + ".mlir", "-o", tiled],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        report(tag, False, f"infer-opt: {proc.stderr.strip()[-400:]}")
        return
    worst = 0.0
    for variant, source in (("imported", base + ".mlir"), ("tiled", tiled)):
        ours = run_infer(source, f"{base}.{variant}", inputs, 1)
        if isinstance(ours, str):
            report(tag, False, f"infer-run ({variant}): {ours}")
            return
        ours = ours[0]
        if ours.shape != expected.shape or \
                not np.allclose(ours, expected, rtol=RTOL, atol=ATOL):
            diff = float(np.max(np.abs(ours - expected))) if ours.shape == expected.shape \
                else f"shape {ours.shape} vs {expected.shape}"
            report(tag, False, f"{variant} differs from onnxruntime: {diff}")
            return
        worst = max(worst, float(np.max(np.abs(ours - expected))))
    convs = text.count("infer.conv2d")
    pools = len(re.findall(r"infer\.(max|avg)_pool", text))
    report(tag, True, f"shape {list(expected.shape)}, {convs} conv2d, {pools} pool2d, "
           f"max |diff| {worst:.1e}")


def rand(*shape):
    return r.standard_normal(shape).astype(np.float32)


def conv(tag, x_shape, w_shape, bias=True, weight_input=False, batch=None, keep=None,
         **attrs):
    x, w = rand(*x_shape), rand(*w_shape) * 0.5
    names = ["x", "w"] + (["b"] if bias else [])
    inits = {} if weight_input else {"w": w}
    if bias:
        inits["b"] = rand(w_shape[0])
    inputs = {"x": x, "w": w} if weight_input else {"x": x}
    model = model_of([helper.make_node("Conv", names, ["y"], name=tag, **attrs)],
                     inputs, inits, batch=batch)
    check(tag, model, inputs, keep)


def pool(tag, op, x_shape, opset=13, keep=None, **attrs):
    x = rand(*x_shape)
    model = model_of([helper.make_node(op, ["x"], ["y"], name=tag, **attrs)],
                     {"x": x}, {}, opset=opset)
    check(tag, model, {"x": x}, keep)


# --- Conv.
conv("conv3d_bias_pads", (1, 3, 5, 6, 7), (4, 3, 3, 3, 3), pads=[1, 1, 1, 1, 1, 1],
     keep="conv3d.mlir")
conv("conv3d_groups_strides_dilations", (2, 4, 9, 8, 7), (6, 2, 2, 3, 2), group=2,
     strides=[2, 1, 2], dilations=[3, 1, 2], pads=[2, 0, 1, 1, 2, 0])
conv("conv3d_depthwise_no_bias", (1, 4, 6, 5, 5), (4, 1, 3, 3, 3), bias=False, group=4,
     pads=[0, 1, 1, 2, 1, 1], strides=[3, 2, 1])
conv("conv3d_weight_input", (1, 2, 4, 5, 6), (3, 2, 2, 2, 3), weight_input=True,
     strides=[1, 2, 1])
conv("conv3d_auto_pad_same_lower", (1, 3, 7, 6, 5), (2, 3, 4, 3, 2),
     auto_pad="SAME_LOWER", strides=[2, 2, 1])
conv("conv3d_dynamic_batch", (3, 2, 4, 4, 4), (5, 2, 3, 1, 3), batch="N",
     pads=[1, 0, 1, 1, 0, 1])
conv("conv3d_kernel_depth_1", (1, 3, 4, 5, 5), (2, 3, 1, 3, 3), strides=[2, 1, 1])

# --- MaxPool.
pool("maxpool3d_pads_strides", "MaxPool", (1, 3, 7, 8, 9), kernel_shape=[3, 3, 3],
     strides=[2, 2, 2], pads=[1, 1, 1, 1, 1, 1], keep="pools3d.mlir")
pool("maxpool3d_dilations_ceil", "MaxPool", (2, 2, 8, 7, 9), kernel_shape=[2, 3, 2],
     strides=[3, 2, 2], dilations=[2, 1, 2], ceil_mode=1)
pool("maxpool3d_asymmetric_pads", "MaxPool", (1, 2, 5, 6, 6), kernel_shape=[2, 2, 3],
     pads=[0, 1, 1, 1, 0, 2])
pool("maxpool3d_same_upper", "MaxPool", (1, 2, 6, 5, 7), kernel_shape=[3, 2, 3],
     strides=[2, 2, 2], auto_pad="SAME_UPPER")

# --- AveragePool. In ceil mode the last window of each axis reaches past
# the end padding (the elements there count for nothing).
pool("avgpool3d_no_pads", "AveragePool", (2, 3, 6, 6, 6), kernel_shape=[2, 3, 2],
     strides=[2, 1, 2])
pool("avgpool3d_pads_exclude_pad", "AveragePool", (1, 2, 7, 6, 5), kernel_shape=[3, 3, 3],
     strides=[2, 2, 1], pads=[1, 1, 0, 2, 1, 1])
pool("avgpool3d_pads_include_pad", "AveragePool", (1, 2, 7, 6, 5), kernel_shape=[3, 3, 3],
     strides=[2, 2, 1], pads=[1, 1, 0, 2, 1, 1], count_include_pad=1)
pool("avgpool3d_ceil_exclude_pad", "AveragePool", (1, 2, 8, 7, 6), kernel_shape=[3, 2, 3],
     strides=[2, 2, 2], pads=[1, 0, 1, 1, 0, 1], ceil_mode=1)
pool("avgpool3d_ceil_include_pad", "AveragePool", (1, 2, 8, 7, 6), kernel_shape=[3, 2, 3],
     strides=[2, 2, 2], pads=[1, 0, 1, 1, 0, 1], ceil_mode=1, count_include_pad=1)
pool("avgpool3d_same_lower", "AveragePool", (1, 3, 5, 5, 5), kernel_shape=[2, 2, 2],
     auto_pad="SAME_LOWER")

# --- ConvTranspose (weight [C, F/group, KD, KH, KW]).
def conv_transpose(tag, x_shape, w_shape, bias=True, weight_input=False, **attrs):
    x, w = rand(*x_shape), rand(*w_shape) * 0.5
    names = ["x", "w"] + (["b"] if bias else [])
    inits = {} if weight_input else {"w": w}
    if bias:
        inits["b"] = rand(w_shape[1] * attrs.get("group", 1))
    inputs = {"x": x, "w": w} if weight_input else {"x": x}
    model = model_of([helper.make_node("ConvTranspose", names, ["y"], name=tag, **attrs)],
                     inputs, inits)
    check(tag, model, inputs)


conv_transpose("convtranspose3d_weight_input", (1, 2, 3, 4, 5), (2, 3, 3, 3, 3),
               bias=False, weight_input=True)
conv_transpose("convtranspose3d_strides_pads_bias", (2, 3, 4, 3, 5), (3, 2, 3, 2, 3),
               strides=[2, 3, 2], pads=[1, 0, 2, 2, 1, 0], output_padding=[1, 2, 0])
conv_transpose("convtranspose3d_groups_dilations", (1, 4, 3, 4, 4), (4, 3, 2, 3, 2),
               group=2, dilations=[3, 1, 2], strides=[3, 1, 2])
conv_transpose("convtranspose3d_output_shape", (1, 2, 3, 3, 3), (2, 2, 3, 3, 3),
               strides=[2, 2, 2], output_shape=[7, 8, 6])
conv_transpose("convtranspose3d_same_upper", (1, 2, 3, 4, 3), (2, 1, 2, 3, 3),
               strides=[2, 1, 2], auto_pad="SAME_UPPER")

# --- A small 3-D network: Conv -> Relu -> MaxPool -> Conv -> AveragePool.
x = rand(1, 2, 8, 8, 8)
net = model_of([
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1] * 6, name="c1"),
    helper.make_node("Relu", ["c1"], ["r1"], name="r1"),
    helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2, 2], strides=[2, 2, 2],
                     name="p1"),
    helper.make_node("Conv", ["p1", "w2"], ["c2"], group=2, pads=[1] * 6, name="c2"),
    helper.make_node("AveragePool", ["c2"], ["y"], kernel_shape=[2, 2, 2],
                     strides=[2, 2, 2], name="p2")],
    {"x": x}, {"w1": rand(4, 2, 3, 3, 3) * 0.3, "b1": rand(4),
               "w2": rand(6, 2, 3, 3, 3) * 0.3})
check("net3d", net, {"x": x})

# --- Unsupported variants name the node.
expect_import_error("error_dynamic_depth", helper.make_model(helper.make_graph(
    [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_dyn")], "g",
    [helper.make_tensor_value_info("x", F32, [1, 2, "D", 4, 4])],
    [helper.make_tensor_value_info("y", F32, None)],
    [numpy_helper.from_array(rand(2, 2, 1, 1, 1), "w")]),
    opset_imports=[helper.make_opsetid("", 13)]),
    "Conv node 'conv_dyn' (opset 13): 3-D convolution needs static channel and "
    "spatial sizes")

print(f"volumetric: {harness.failures} failed")
sys.exit(1 if harness.failures else 0)
