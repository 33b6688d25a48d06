#!/usr/bin/env python3
"""Code generation on odd shapes, against onnxruntime.

    codegen_shapes.py WORK_DIR [--only GROUP[,GROUP...]] [--configs NAME,...]
                      [--perturb CASE] [--list]

Small ONNX models (constant weights as initializers, seeded inputs) of the
ops the CPU code generator tiles and vectorizes, at shapes that do not
divide its vector and register tiles: matrix products with M, N, K among 1,
3, 7, 17, 31, 63, 65, 127 (Gemm with trans_b and a bias, batched products);
convolutions with odd spatial sizes, strides 2, dilations 2, asymmetric pads,
groups 2, depthwise, 1x1/3x3/7x7 filters, a bias, a Relu after; max and
average pooling with strides and pads; GlobalAveragePool; ReduceMean and
ReduceSum over various axes; Softmax over odd last dimensions; broadcasting
Add/Mul/Sub/Div; BatchNormalization after a convolution (folded into its
weights); Concat of NCHW feature maps and of matrices. The target model
schedules convolutions, pools and run-time matrix products only when their
channel (or column) count is a multiple of the vector width; other counts
run as loops at -O 2 too, so the v* cases (and the runtime products with N
a multiple of 16) keep everything else odd with such counts, to exercise
the tiled and vectorized kernels: partial thread tiles, register tiles of
1 or 7 or 13 rows/pixels, strided and dilated windows, im2col.

The cases of one family form one model (independent subgraphs, one output
each), so that a family compiles once per configuration. Each model is
imported, compiled and run by infer-run in every configuration:

    O0      -O 0                (no code generation: linalg as loops)
    O2-t1   -O 2 --threads 1    (packing, schedules, tiling, vectors)
    O2-t2   -O 2 --threads 2    (the same with two threads: scf.forall tiles)

and, when asked for with --configs, O2-async (-O 2 --threads 2
--thread-runtime async: the thread tiles on MLIR's async runtime)

and every output is compared with onnxruntime's (one line per case and
configuration). Tolerances, as numpy.allclose (|got - ref| <= atol + rtol *
|ref|): contractions (MatMul, Gemm, Conv, with or without a folded
BatchNormalization) rtol 1e-4, atol 1e-4 * sqrt(K) with K the reduction
length; reductions and average pools rtol 1e-4, atol 1e-5 * sqrt(n) with n
the elements reduced; Softmax rtol 1e-4, atol 1e-6; elementwise ops, max
pools and concatenation rtol 1e-5, atol 1e-6. NaN or infinity anywhere in
an output fails, and so does a wrong shape.

A model that fails to compile or run is run again case by case, so that the
failure names the case. --perturb CASE adds an error just over the tolerance
to that case's reference (the test uses it to show that a wrong result is
caught). Exits 1 on any mismatch or failure.
"""
import argparse
import concurrent.futures
import math
import os
import subprocess
import sys
import time
import zlib

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from infer.onnx.importer import import_model

CONFIGS = {
    "O0": ["-O", "0"],
    "O2-t1": ["-O", "2", "--threads", "1"],
    "O2-t2": ["-O", "2", "--threads", "2"],
    # Not in the default set: the parallel loops on MLIR's async runtime.
    "O2-async": ["-O", "2", "--threads", "2", "--thread-runtime", "async"],
}
DEFAULT_CONFIGS = ["O0", "O2-t1", "O2-t2"]

# Tolerances per kind of op (see the docstring).
def contraction(k):
    return 1e-4, 1e-4 * math.sqrt(k)


def reduction(n):
    return 1e-4, 1e-5 * math.sqrt(n)


SOFTMAX = (1e-4, 1e-6)
EXACT = (1e-5, 1e-6)


class Case:
    """One independent subgraph: its inputs (runtime values), initializers,
    nodes and one output with its tolerances. Names are prefixed with the
    case's name, so cases combine into one graph."""

    def __init__(self, group, name, seed):
        self.group, self.name = group, name
        self.rng = np.random.default_rng(zlib.crc32(name.encode()) + seed)
        self.inputs, self.inits, self.nodes = {}, [], []
        self.output = None
        self.tolerance = None
        self.count = 0

    def fresh(self, what):
        self.count += 1
        return f"{self.name}.{what}{self.count}"

    def input(self, shape):
        name = self.fresh("x")
        self.inputs[name] = self.rng.standard_normal(shape).astype(np.float32)
        return name

    def weight(self, shape, scale=1.0, positive=False):
        array = self.rng.standard_normal(shape).astype(np.float32) * scale
        if positive:
            array = np.abs(array) + np.float32(0.5)
        return self.const(array.astype(np.float32))

    def const(self, array):
        name = self.fresh("w")
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, **attrs):
        out = self.fresh("t")
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def result(self, value, tolerance):
        self.output, self.tolerance = value, tolerance


CASES = []


def case(group):
    def register(fn):
        CASES.append((group, fn))
        return fn
    return register


# ----------------------------------------------------------------------------
# Matrix products
# ----------------------------------------------------------------------------

MATMULS = [  # (M, K, N)
    (1, 1, 1), (1, 63, 65), (3, 7, 17), (7, 17, 3), (17, 31, 63),
    (63, 65, 127), (65, 127, 31), (127, 3, 65), (31, 127, 1), (1, 65, 127),
    (127, 1, 7), (65, 63, 17),
]


def make_matmul(m, k, n):
    @case("matmul")
    def matmul(c):
        a = c.input((m, k))
        b = c.weight((k, n), 1 / math.sqrt(k))
        c.result(c.node("MatMul", [a, b]), contraction(k))
    matmul.__name__ = f"matmul_{m}x{k}x{n}"


for _shape in MATMULS:
    make_matmul(*_shape)


def make_gemm(m, k, n, trans_b, bias, alpha=1.0, beta=1.0, trans_a=False):
    @case("gemm")
    def gemm(c):
        a = c.input((k, m) if trans_a else (m, k))
        b = c.weight((n, k) if trans_b else (k, n), 1 / math.sqrt(k))
        inputs = [a, b]
        if bias is not None:
            inputs.append(c.weight(bias(m, n)))
        c.result(c.node("Gemm", inputs, transB=int(trans_b), transA=int(trans_a),
                        alpha=alpha, beta=beta), contraction(k))
    tags = ("tA" if trans_a else "") + ("tB" if trans_b else "")
    gemm.__name__ = f"gemm{'_' + tags if tags else ''}_{m}x{k}x{n}"


make_gemm(17, 63, 65, True, lambda m, n: (n,))
make_gemm(65, 31, 127, True, lambda m, n: (n,), alpha=0.5, beta=2.0)
make_gemm(1, 127, 63, True, lambda m, n: (1, n))
make_gemm(7, 65, 31, False, lambda m, n: (m, n))
make_gemm(3, 17, 1, True, lambda m, n: (m, 1))
make_gemm(63, 1, 17, False, None, trans_a=True)
make_gemm(31, 7, 65, True, None)


@case("gemm")
def matmul_batched_constant_rhs(c):
    # A 3-D activation times a constant matrix (M = 2 x 7 rows).
    a = c.input((2, 7, 31))
    b = c.weight((31, 17), 1 / math.sqrt(31))
    c.result(c.node("MatMul", [a, b]), contraction(31))


@case("gemm")
def matmul_batched_runtime(c):
    # Both operands computed at run time: nothing to pack.
    a = c.input((3, 17, 63))
    b = c.input((3, 63, 7))
    c.result(c.node("MatMul", [a, b]), contraction(63))


def make_batched_runtime(batch, m, k, n):
    @case("gemm")
    def batched(c):
        # Both operands computed at run time: nothing to pack; N a multiple
        # of the vector width gets the register-tiled schedule at -O 2.
        a = c.input((batch, m, k))
        b = c.input((batch, k, n))
        c.result(c.node("MatMul", [a, b]), contraction(k))
    batched.__name__ = f"matmul_runtime_{batch}x{m}x{k}x{n}"


make_batched_runtime(3, 7, 31, 32)
make_batched_runtime(2, 63, 17, 48)
make_batched_runtime(1, 127, 3, 16)
make_gemm(31, 65, 32, True, lambda m, n: (n,))
make_gemm(7, 17, 64, False, lambda m, n: (m, n), alpha=2.0, beta=0.5)


@case("gemm")
def matmul_broadcast_batch(c):
    a = c.input((2, 1, 5, 31))
    b = c.weight((3, 31, 65), 1 / math.sqrt(31))
    c.result(c.node("MatMul", [a, b]), contraction(31))


# ----------------------------------------------------------------------------
# Convolutions
# ----------------------------------------------------------------------------

def make_conv(name, n, cin, h, w, cout, kernel, strides=(1, 1), pads=(0, 0, 0, 0),
              dilations=(1, 1), group=1, bias=True, relu=False, group_name="conv"):
    @case(group_name)
    def conv(c):
        x = c.input((n, cin, h, w))
        k = cin // group * kernel[0] * kernel[1]
        inputs = [x, c.weight((cout, cin // group, *kernel), 1 / math.sqrt(k))]
        if bias:
            inputs.append(c.weight((cout,)))
        y = c.node("Conv", inputs, kernel_shape=list(kernel), strides=list(strides),
                   pads=list(pads), dilations=list(dilations), group=group)
        if relu:
            y = c.node("Relu", [y])
        c.result(y, contraction(k))
    conv.__name__ = name


make_conv("conv1x1_7to17_9x11_relu", 1, 7, 9, 11, 17, (1, 1), relu=True)
make_conv("conv1x1_s2_16to31_13x13", 1, 16, 13, 13, 31, (1, 1), strides=(2, 2), bias=False)
make_conv("conv3x3_s2_asym_3to65_17x15", 1, 3, 17, 15, 65, (3, 3), strides=(2, 2),
          pads=(0, 1, 1, 0))
make_conv("conv3x3_d2_5to7_11x13_relu", 1, 5, 11, 13, 7, (3, 3), pads=(2, 2, 2, 2),
          dilations=(2, 2), relu=True)
make_conv("conv3x3_g2_6to10_9x9_asym", 1, 6, 9, 9, 10, (3, 3), pads=(1, 0, 0, 1), group=2)
make_conv("conv3x3_g2_s2_34to66_11x11", 1, 34, 11, 11, 66, (3, 3), strides=(2, 2),
          pads=(1, 1, 1, 1), group=2, relu=True)
make_conv("conv_dw3x3_s2_17ch_15x15_relu", 1, 17, 15, 15, 17, (3, 3), strides=(2, 2),
          pads=(1, 1, 1, 1), group=17, relu=True)
make_conv("conv_dw3x3_d2_33ch_13x11", 1, 33, 13, 11, 33, (3, 3), pads=(2, 2, 2, 2),
          dilations=(2, 2), group=33, bias=False)
make_conv("conv7x7_s2_p3_3to33_23x23_relu", 1, 3, 23, 23, 33, (7, 7), strides=(2, 2),
          pads=(3, 3, 3, 3), relu=True)
make_conv("conv7x7_valid_2to5_7x7", 1, 2, 7, 7, 5, (7, 7))
make_conv("conv_dw7x7_p3_9ch_10x10", 1, 9, 10, 10, 9, (7, 7), pads=(3, 3, 3, 3), group=9)
make_conv("conv3x3_batch2_4to32_8x8", 2, 4, 8, 8, 32, (3, 3), pads=(1, 1, 1, 1))
make_conv("conv3x2_s21_d12_asym_5to6_11x9", 1, 5, 11, 9, 6, (3, 2), strides=(2, 1),
          pads=(2, 0, 1, 1), dilations=(1, 2))
make_conv("conv3x3_63to127_7x7", 1, 63, 7, 7, 127, (3, 3), pads=(1, 1, 1, 1),
          relu=True)

# Output channels a multiple of the vector width (16 or 32 f32): these get a
# schedule and run as tiled, vectorized kernels at -O 2 (the ones above with
# other channel counts run as loops there); everything else stays odd. A
# prime output width (17) leaves register tiles of one pixel.
make_conv("vconv3x3_s2_asym_3to32_17x15_relu", 1, 3, 17, 15, 32, (3, 3), strides=(2, 2),
          pads=(0, 1, 1, 0), relu=True, group_name="vconv")
make_conv("vconv3x3_d2_5to16_13x11", 1, 5, 13, 11, 16, (3, 3), pads=(2, 2, 2, 2),
          dilations=(2, 2), group_name="vconv")
make_conv("vconv7x7_s2_p3_3to64_23x23_relu", 1, 3, 23, 23, 64, (7, 7), strides=(2, 2),
          pads=(3, 3, 3, 3), relu=True, group_name="vconv")
make_conv("vconv3x3_7to48_9x17", 1, 7, 9, 17, 48, (3, 3), pads=(1, 1, 1, 1),
          group_name="vconv")
make_conv("vconv1x1_17to32_7x9", 1, 17, 7, 9, 32, (1, 1), group_name="vconv")
make_conv("vconv1x1_s2_31to16_13x13_relu", 1, 31, 13, 13, 16, (1, 1), strides=(2, 2),
          bias=False, relu=True, group_name="vconv")
make_conv("vconv3x3_batch3_3to16_7x7", 3, 3, 7, 7, 16, (3, 3), group_name="vconv")
make_conv("vconv3x3_valid_1x1out_9to32", 1, 9, 3, 3, 32, (3, 3), group_name="vconv")
make_conv("vconv3x3_big_filter_256to256_5x5", 1, 256, 5, 5, 256, (3, 3),
          pads=(1, 1, 1, 1), group_name="vconv")
make_conv("vconv_dw3x3_s2_32ch_15x15_relu", 1, 32, 15, 15, 32, (3, 3), strides=(2, 2),
          pads=(1, 1, 1, 1), group=32, relu=True, group_name="vconv")
make_conv("vconv_dw3x3_d2_48ch_11x13", 1, 48, 11, 13, 48, (3, 3), pads=(2, 2, 2, 2),
          dilations=(2, 2), group=48, bias=False, group_name="vconv")
make_conv("vconv_dw7x7_p3_16ch_9x9", 1, 16, 9, 9, 16, (7, 7), pads=(3, 3, 3, 3),
          group=16, group_name="vconv")
make_conv("vconv_dw5x5_s2_asym_64ch_17x11", 1, 64, 17, 11, 64, (5, 5), strides=(2, 2),
          pads=(2, 1, 1, 2), group=64, group_name="vconv")


# ----------------------------------------------------------------------------
# BatchNormalization after a convolution (folded at compile time), a chain
# of NCHW convolutions with a residual Add (one layout change at each end)
# ----------------------------------------------------------------------------

def batch_norm(c, y, channels):
    return c.node("BatchNormalization",
                  [y, c.weight((channels,)), c.weight((channels,)),
                   c.weight((channels,)), c.weight((channels,), positive=True)],
                  epsilon=1e-3)


@case("fused")
def conv_bn_relu_3to17_9x9(c):
    x = c.input((1, 3, 9, 9))
    y = c.node("Conv", [x, c.weight((17, 3, 3, 3), 0.2), c.weight((17,))],
               kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    c.result(c.node("Relu", [batch_norm(c, y, 17)]), contraction(27))


@case("fused")
def conv_nobias_bn_s2_8to31_11x13(c):
    x = c.input((1, 8, 11, 13))
    y = c.node("Conv", [x, c.weight((31, 8, 3, 3), 0.12)], kernel_shape=[3, 3],
               strides=[2, 2], pads=[0, 1, 1, 0])
    c.result(batch_norm(c, y, 31), contraction(72))


@case("fused")
def conv_dw_bn_relu_7ch_9x9(c):
    x = c.input((2, 7, 9, 9))
    y = c.node("Conv", [x, c.weight((7, 1, 3, 3), 0.3)], kernel_shape=[3, 3],
               pads=[1, 1, 1, 1], group=7)
    c.result(c.node("Relu", [batch_norm(c, y, 7)]), contraction(9))


@case("fused")
def batch_norm_alone_5ch_7x3(c):
    # Nothing to fold into: the normalization itself (in NHWC).
    x = c.input((2, 5, 7, 3))
    c.result(batch_norm(c, x, 5), EXACT)


@case("fused")
def conv_chain_residual_5to16_13x13(c):
    # conv -> relu -> conv -> add(residual) -> relu -> maxpool -> conv:
    # transposes at the ends only, the chain in between NHWC.
    x = c.input((1, 5, 13, 13))
    a = c.node("Relu", [c.node("Conv", [x, c.weight((16, 5, 3, 3), 0.15), c.weight((16,))],
                                kernel_shape=[3, 3], pads=[1, 1, 1, 1])])
    b = c.node("Conv", [a, c.weight((16, 16, 3, 3), 0.08), c.weight((16,))],
               kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    r = c.node("Relu", [c.node("Add", [a, b])])
    p = c.node("MaxPool", [r], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    y = c.node("Conv", [p, c.weight((7, 16, 1, 1), 0.25)], kernel_shape=[1, 1])
    c.result(y, contraction(16 * 9 * 3))


@case("fused")
def small_cnn_gap_gemm(c):
    # conv -> BN -> relu -> global average pool -> flatten -> Gemm (classifier).
    x = c.input((2, 3, 15, 15))
    y = c.node("Conv", [x, c.weight((32, 3, 3, 3), 0.2)], kernel_shape=[3, 3],
               strides=[2, 2], pads=[1, 1, 1, 1])
    y = c.node("Relu", [batch_norm(c, y, 32)])
    y = c.node("Flatten", [c.node("GlobalAveragePool", [y])], axis=1)
    y = c.node("Gemm", [y, c.weight((10, 32), 0.2), c.weight((10,))], transB=1)
    c.result(y, contraction(27 * 32))


# ----------------------------------------------------------------------------
# Pooling
# ----------------------------------------------------------------------------

def make_pool(name, op, shape, kernel, strides, pads, **attrs):
    @case("pool")
    def pool(c):
        x = c.input(shape)
        y = c.node(op, [x], kernel_shape=list(kernel), strides=list(strides),
                   pads=list(pads), **attrs)
        c.result(y, EXACT if op == "MaxPool" else reduction(kernel[0] * kernel[1]))
    pool.__name__ = name


make_pool("maxpool3x3_s2_p1_5ch_17x17", "MaxPool", (1, 5, 17, 17), (3, 3), (2, 2), (1, 1, 1, 1))
make_pool("maxpool2x2_s2_3ch_15x15", "MaxPool", (1, 3, 15, 15), (2, 2), (2, 2), (0, 0, 0, 0))
make_pool("maxpool3x3_s2_ceil_4ch_10x10", "MaxPool", (1, 4, 10, 10), (3, 3), (2, 2),
          (0, 0, 0, 0), ceil_mode=1)
make_pool("maxpool3x3_d2_asym_65ch_11x9", "MaxPool", (1, 65, 11, 9), (3, 3), (1, 2),
          (1, 0, 2, 1), dilations=[2, 2])
make_pool("avgpool3x3_s1_p1_excl_2x3x7x9", "AveragePool", (2, 3, 7, 9), (3, 3), (1, 1),
          (1, 1, 1, 1), count_include_pad=0)
make_pool("avgpool3x3_s2_asym_incl_17ch_11x13", "AveragePool", (1, 17, 11, 13), (3, 3),
          (2, 2), (0, 1, 1, 0), count_include_pad=1)
make_pool("avgpool5x5_s3_2ch_19x19", "AveragePool", (1, 2, 19, 19), (5, 5), (3, 3),
          (0, 0, 0, 0))
make_pool("avgpool2x3_s2_ceil_31ch_9x10", "AveragePool", (1, 31, 9, 10), (2, 3), (2, 2),
          (0, 1, 0, 1), ceil_mode=1)

# Channels a multiple of the vector width: vectorized at -O 2.
make_pool("vmaxpool3x3_s2_p1_32ch_17x17", "MaxPool", (1, 32, 17, 17), (3, 3), (2, 2),
          (1, 1, 1, 1))
make_pool("vmaxpool2x2_s2_ceil_16ch_9x13", "MaxPool", (2, 16, 9, 13), (2, 2), (2, 2),
          (0, 0, 0, 0), ceil_mode=1)
make_pool("vavgpool3x3_s2_asym_excl_48ch_11x9", "AveragePool", (1, 48, 11, 9), (3, 3),
          (2, 2), (1, 0, 0, 1), count_include_pad=0)
make_pool("vavgpool3x3_s1_p1_incl_64ch_7x7", "AveragePool", (1, 64, 7, 7), (3, 3), (1, 1),
          (1, 1, 1, 1), count_include_pad=1)


def make_gap(shape):
    @case("pool")
    def gap(c):
        x = c.input(shape)
        c.result(c.node("GlobalAveragePool", [x]), reduction(shape[2] * shape[3]))
    gap.__name__ = "gap_" + "x".join(map(str, shape))


for _shape in [(1, 65, 7, 7), (2, 3, 1, 1), (1, 31, 13, 11), (3, 17, 5, 3), (1, 64, 7, 7),
               (2, 32, 3, 5)]:
    make_gap(_shape)


# ----------------------------------------------------------------------------
# Reductions and Softmax
# ----------------------------------------------------------------------------

def make_reduce(op, shape, axes, keepdims):
    @case("reduce")
    def reduce(c):
        x = c.input(shape)
        inputs = [x]
        if axes is not None:
            inputs.append(c.const(np.array(axes, np.int64)))
        reduced = axes if axes is not None else range(len(shape))
        n = int(np.prod([shape[a] for a in reduced]))
        c.result(c.node(op, inputs, keepdims=keepdims), reduction(n))
    axes_tag = "all" if axes is None else "_".join(str(a).replace("-", "m") for a in axes)
    reduce.__name__ = (f"{op.lower()}_{'x'.join(map(str, shape))}_axes{axes_tag}"
                       f"_keep{keepdims}")


for _op, _shape, _axes, _keep in [
        ("ReduceMean", (3, 7, 17, 5), [1], 1),
        ("ReduceMean", (3, 7, 17, 5), [-1], 0),
        ("ReduceMean", (3, 7, 17, 5), [0, 2], 1),
        ("ReduceMean", (3, 7, 17, 5), [1, 2, 3], 0),
        ("ReduceMean", (1, 65, 127), [-1], 1),
        ("ReduceMean", (31, 63), [0], 0),
        ("ReduceMean", (2, 3, 5), None, 0),
        ("ReduceSum", (3, 7, 17, 5), [2], 0),
        ("ReduceSum", (3, 7, 17, 5), [0, -1], 1),
        ("ReduceSum", (127, 31), [1], 1),
        ("ReduceSum", (7, 1, 65), [0, 1, 2], 0),
        ("ReduceSum", (17,), [0], 1),
        ("ReduceSum", (5, 3, 7), None, 1)]:
    make_reduce(_op, _shape, _axes, _keep)


def make_softmax(shape, axis):
    @case("reduce")
    def softmax(c):
        c.result(c.node("Softmax", [c.input(shape)], axis=axis), SOFTMAX)
    softmax.__name__ = f"softmax_{'x'.join(map(str, shape))}_axis{axis}".replace("-", "m")


for _shape, _axis in [((3, 17), -1), ((2, 5, 63), -1), ((7, 65), -1), ((1, 127), -1),
                      ((4, 1), -1), ((2, 3, 31), 1), ((1, 3, 7, 9), 1), ((31, 1000), -1)]:
    make_softmax(_shape, _axis)


# ----------------------------------------------------------------------------
# Elementwise with broadcasting, Concat
# ----------------------------------------------------------------------------

def make_binary(op, lhs, rhs, const_rhs=False, then=None):
    @case("elementwise")
    def binary(c):
        a = c.input(lhs)
        b = c.weight(rhs, positive=op == "Div") if const_rhs else c.input(rhs)
        if op == "Div" and not const_rhs:
            b = c.node("Add", [c.node("Abs", [b]), c.const(np.float32(1.0))])
        y = c.node(op, [a, b])
        if then:
            y = c.node(then, [y])
        c.result(y, EXACT)
    binary.__name__ = (f"{op.lower()}_{'x'.join(map(str, lhs))}_"
                       f"{'c' if const_rhs else ''}{'x'.join(map(str, rhs))}"
                       f"{'_' + then.lower() if then else ''}")


for _args in [("Add", (3, 1, 17), (7, 1)), ("Mul", (2, 3, 5, 7), (5, 1)),
              ("Add", (1, 65), (63, 1)), ("Mul", (3, 7, 17), (17,), True),
              ("Add", (2, 1, 3, 1), (1, 5, 1, 7)), ("Sub", (127,), (1,)),
              ("Div", (31, 63), (63,), True), ("Div", (7, 1, 5), (3, 1)),
              ("Mul", (1,), (1,)), ("Add", (2, 63, 3), (2, 63, 3), False, "Relu"),
              ("Mul", (65, 127), (1, 127), True, "Sigmoid"),
              ("Add", (1, 17, 9, 11), (17, 1, 1), True, "Tanh")]:
    make_binary(*_args)


@case("elementwise")
def concat_matrices_axis1(c):
    c.result(c.node("Concat", [c.input((3, 7)), c.input((3, 17)), c.input((3, 1))],
                    axis=1), EXACT)


@case("elementwise")
def concat_axis0_odd(c):
    c.result(c.node("Concat", [c.input((5, 31)), c.input((2, 31))], axis=0), EXACT)


@case("elementwise")
def concat_conv_channels(c):
    # Two convolutions' feature maps side by side in channels (NCHW axis 1,
    # NHWC after layout conversion): each writes its slice of the result.
    x = c.input((1, 3, 9, 11))
    a = c.node("Conv", [x, c.weight((5, 3, 3, 3), 0.2)], kernel_shape=[3, 3],
               pads=[1, 1, 1, 1])
    b = c.node("Conv", [x, c.weight((17, 3, 1, 1), 0.5), c.weight((17,))],
               kernel_shape=[1, 1])
    y = c.node("Relu", [c.node("Concat", [a, b], axis=1)])
    c.result(y, contraction(27))


@case("elementwise")
def concat_pool_spatial(c):
    # Concatenation along H of two pools of one input.
    x = c.input((1, 6, 10, 7))
    a = c.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    b = c.node("AveragePool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 1, 0])
    c.result(c.node("Concat", [a, b], axis=2), reduction(9))


# ----------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------

def build_cases(seed):
    cases = []
    for group, fn in CASES:
        c = Case(group, fn.__name__, seed)
        fn(c)
        cases.append(c)
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return cases


def make_model(cases):
    graph = helper.make_graph(
        [n for c in cases for n in c.nodes], "codegen_shapes",
        [helper.make_tensor_value_info(k, TensorProto.FLOAT, v.shape)
         for c in cases for k, v in c.inputs.items()],
        [helper.make_tensor_value_info(c.output, TensorProto.FLOAT, None) for c in cases],
        [i for c in cases for i in c.inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    return model


def reference(model, cases):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    feeds = {k: v for c in cases for k, v in c.inputs.items()}
    return session.run([c.output for c in cases], feeds)


def compare(got, ref, tolerance):
    rtol, atol = tolerance
    if got.shape != ref.shape:
        return f"shape {list(got.shape)}, expected {list(ref.shape)}"
    if not np.all(np.isfinite(got)):
        return f"{int(np.sum(~np.isfinite(got)))} non-finite values"
    error = np.abs(got.astype(np.float64) - ref.astype(np.float64))
    bound = atol + rtol * np.abs(ref.astype(np.float64))
    excess = error - bound
    if np.all(excess <= 0):
        return None
    worst = np.unravel_index(np.argmax(excess), error.shape)
    return (f"{int(np.sum(excess > 0))}/{error.size} values off, worst at "
            f"{list(map(int, worst))}: got {got[worst]:.7g}, expected {ref[worst]:.7g} "
            f"(|diff| {error[worst]:.3g} > {bound[worst]:.3g})")


def run_model(work, tag, cases, refs, config):
    """Compiles and runs the model of `cases` (already written as
    work/tag.mlir) in `config`; returns [(case, verdict or None)] or raises
    RuntimeError with infer-run's message."""
    base = os.path.join(work, tag)
    cmd = ["infer-run", base + ".mlir", *CONFIGS[config]]
    for c in cases:
        for k in c.inputs:
            cmd += ["--input", os.path.join(work, k + ".npy")]
    outputs = [f"{base}.{config}.out{i}.npy" for i in range(len(cases))]
    for path in outputs:
        cmd += ["--output", path]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"infer-run exited {result.returncode}: "
                           + " ".join(result.stderr.split())[:600])
    return [(c, compare(np.load(path), ref, c.tolerance))
            for c, path, ref in zip(cases, outputs, refs)]


def prepare(work, tag, cases, perturb):
    """Writes the model, its inputs and its .mlir; returns the references."""
    model = make_model(cases)
    refs = reference(model, cases)
    for c, ref in zip(cases, refs):
        if c.name == perturb:
            # Just over the tolerance, at one element.
            rtol, atol = c.tolerance
            flat = ref.reshape(-1)
            flat[flat.size // 2] += 2 * (atol + rtol * abs(flat[flat.size // 2]))
    for c in cases:
        for k, v in c.inputs.items():
            np.save(os.path.join(work, k + ".npy"), v)
    with open(os.path.join(work, tag + ".mlir"), "w") as f:
        f.write(import_model(model))
    return refs


def run_group(work, group, cases, configs, perturb):
    """Lines of the group's report and its failure count."""
    lines, failures = [], 0
    try:
        refs = prepare(work, group, cases, perturb)
    except Exception as e:  # noqa: BLE001 - onnxruntime or the importer
        message = " ".join(str(e).split())[:600]
        return [f"FAIL {group}/{c.name}: preparing the model: {message}"
                for c in cases for _ in configs], len(cases) * len(configs)
    for config in configs:
        try:
            verdicts = run_model(work, group, cases, refs, config)
        except RuntimeError:
            # Once more case by case, to name the case that breaks.
            verdicts = []
            for c, ref in zip(cases, refs):
                tag = f"{group}.{c.name}"
                try:
                    prepare(work, tag, [c], None)
                    verdicts += run_model(work, tag, [c], [ref], config)
                except RuntimeError as e:
                    verdicts.append((c, str(e)))
        for c, verdict in verdicts:
            rtol, atol = c.tolerance
            status = "PASS" if verdict is None else "FAIL"
            failures += verdict is not None
            lines.append(f"{status} {config:6} {group}/{c.name} (rtol {rtol:.0e}, "
                         f"atol {atol:.1e})" + ("" if verdict is None else f": {verdict}"))
    return lines, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work")
    parser.add_argument("--only", default="", help="comma-separated groups")
    parser.add_argument("--configs", default=",".join(DEFAULT_CONFIGS))
    parser.add_argument("--perturb", default=None, help="case whose reference is made wrong")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    cases = build_cases(args.seed)
    if args.list:
        for c in cases:
            print(f"{c.group}/{c.name}")
        return 0
    configs = args.configs.split(",")
    for config in configs:
        if config not in CONFIGS:
            parser.error(f"unknown configuration {config}")
    groups = {}
    for c in cases:
        groups.setdefault(c.group, []).append(c)
    if args.only:
        wanted = args.only.split(",")
        unknown = set(wanted) - set(groups)
        if unknown:
            parser.error(f"unknown groups {sorted(unknown)}")
        groups = {g: groups[g] for g in wanted}
    if args.perturb and args.perturb not in {c.name for cs in groups.values() for c in cs}:
        parser.error(f"--perturb {args.perturb}: no such case in the groups run")
    os.makedirs(args.work, exist_ok=True)
    start = time.monotonic()
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_group, args.work, g, cs, configs, args.perturb)
                   for g, cs in groups.items()]
        for future in futures:
            lines, failed = future.result()
            failures += failed
            print("\n".join(lines), flush=True)
    total = sum(len(cs) for cs in groups.values()) * len(configs)
    print(f"codegen shapes: {total - failures} pass, {failures} fail "
          f"({sum(len(cs) for cs in groups.values())} cases x {len(configs)} "
          f"configurations, {time.monotonic() - start:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
