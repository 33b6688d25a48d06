"""numpy references of the infer ops, written independently of the compiler.

Each Case makes seeded inputs and computes the expected outputs; check.py runs
the function of the same name through infer-run and compares.
"""
import math

import numpy as np


class Case:
    def __init__(self, make_inputs, reference, rtol=1e-5, atol=1e-5,
                 func=None):
        self.make_inputs = make_inputs
        self.reference = reference
        self.rtol = rtol
        self.atol = atol
        self.func = func


CASES = {}


def case(name, make_inputs, reference, **kw):
    CASES[name] = Case(make_inputs, reference, **kw)


def randn(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def randint(rng, lo, hi, *shape, dtype=np.int32):
    return rng.integers(lo, hi, size=shape).astype(dtype)


# ---------------------------------------------------------------- conv


def conv2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
           dilations=(1, 1), group=1):
    """Direct convolution: one einsum per kernel tap and group."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    integer = np.issubdtype(x.dtype, np.integer)
    acc = np.int64 if integer else np.float64
    xp = np.pad(x.astype(acc),
                ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    s0, s1 = strides
    d0, d1 = dilations
    oh = (h + pads[0] + pads[2] - d0 * (kh - 1) - 1) // s0 + 1
    ow = (wd + pads[1] + pads[3] - d1 * (kw - 1) - 1) // s1 + 1
    out = np.zeros((n, f, oh, ow), acc)
    fg = f // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg].astype(acc)
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * d0:i * d0 + s0 * (oh - 1) + 1:s0,
                           j * d1:j * d1 + s1 * (ow - 1) + 1:s1]
                out[:, g * fg:(g + 1) * fg] += np.einsum(
                    "nchw,fc->nfhw", patch, ws[:, :, i, j])
    if b is not None:
        out += b.astype(acc)[None, :, None, None]
    return out.astype(np.int32 if integer else x.dtype)


case("conv_basic", lambda r: (randn(r, 1, 3, 8, 8), randn(r, 4, 3, 3, 3),
                              randn(r, 4)),
     lambda x, w, b: conv2d(x, w, b, pads=(1, 1, 1, 1)), rtol=1e-4, atol=1e-4)
case("conv_strided_dilated",
     lambda r: (randn(r, 2, 5, 11, 9), randn(r, 6, 5, 3, 2)),
     lambda x, w: conv2d(x, w, strides=(2, 3), pads=(2, 0, 1, 1),
                         dilations=(2, 1)), rtol=1e-4, atol=1e-4)
case("conv_depthwise", lambda r: (randn(r, 1, 8, 7, 7), randn(r, 8, 1, 3, 3),
                                  randn(r, 8)),
     lambda x, w, b: conv2d(x, w, b, strides=(2, 2), pads=(1, 1, 1, 1),
                            group=8), rtol=1e-4, atol=1e-4)
case("conv_grouped", lambda r: (randn(r, 1, 6, 5, 5), randn(r, 4, 3, 3, 3)),
     lambda x, w: conv2d(x, w, pads=(1, 1, 1, 1), group=2),
     rtol=1e-4, atol=1e-4)
case("conv_1x1_odd", lambda r: (randn(r, 1, 5, 1, 1), randn(r, 7, 5, 1, 1)),
     lambda x, w: conv2d(x, w), rtol=1e-4, atol=1e-4)
case("conv_dynamic_batch",
     lambda r: (randn(r, 3, 2, 6, 6), randn(r, 3, 2, 3, 3), randn(r, 3)),
     lambda x, w, b: conv2d(x, w, b, strides=(2, 2)), rtol=1e-4, atol=1e-4)
case("conv_int8", lambda r: (randint(r, -128, 128, 1, 4, 5, 5, dtype=np.int8),
                             randint(r, -128, 128, 3, 4, 3, 3, dtype=np.int8)),
     lambda x, w: conv2d(x, w, pads=(1, 1, 1, 1)), rtol=0, atol=0)

def conv_transpose2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
                     dilations=(1, 1), output_padding=(0, 0), group=1):
    """Each input element scatters its weight window into the output."""
    n, c, h, wd = x.shape
    _, fpg, kh, kw = w.shape
    cpg = c // group
    oh = strides[0] * (h - 1) + output_padding[0] + (kh - 1) * dilations[0] + 1
    ow = strides[1] * (wd - 1) + output_padding[1] + (kw - 1) * dilations[1] + 1
    full = np.zeros((n, fpg * group, oh, ow), np.float64)
    for g in range(group):
        xs = x[:, g * cpg:(g + 1) * cpg].astype(np.float64)
        ws = w[g * cpg:(g + 1) * cpg].astype(np.float64)
        for i in range(h):
            for j in range(wd):
                for a in range(kh):
                    for bb in range(kw):
                        full[:, g * fpg:(g + 1) * fpg,
                             i * strides[0] + a * dilations[0],
                             j * strides[1] + bb * dilations[1]] += xs[:, :, i, j] @ ws[:, :, a, bb]
    y = full[:, :, pads[0]:oh - pads[2], pads[1]:ow - pads[3]]
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y.astype(np.float32)


case("conv_transpose_strided_grouped",
     lambda r: (randn(r, 2, 4, 3, 4), randn(r, 4, 3, 3, 2), randn(r, 6)),
     lambda x, w, b: conv_transpose2d(x, w, b, strides=(2, 3), pads=(1, 0, 0, 1),
                                      dilations=(1, 2), output_padding=(1, 0),
                                      group=2), rtol=1e-4, atol=1e-4)
case("conv_transpose_upsample",
     lambda r: (randn(r, 2, 8, 5, 6), randn(r, 8, 4, 2, 3), randn(r, 4)),
     lambda x, w, b: conv_transpose2d(x, w, b, strides=(2, 3)), rtol=1e-4, atol=1e-4)
case("conv_transpose_sliced_weight",
     lambda r: (randn(r, 3, 2, 4, 5), randn(r, 2, 3, 3, 3, 3)),
     lambda x, w: conv_transpose2d(x, w[:, :, 1]), rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------- products


def gemm(a, b, c=None, alpha=1.0, beta=1.0, trans_a=False, trans_b=False):
    a64 = a.astype(np.float64).T if trans_a else a.astype(np.float64)
    b64 = b.astype(np.float64).T if trans_b else b.astype(np.float64)
    y = alpha * (a64 @ b64)
    if c is not None:
        y = y + beta * c.astype(np.float64)
    return y.astype(a.dtype)


def matmul(a, b):
    return np.matmul(a.astype(np.float64), b.astype(np.float64)).astype(a.dtype)


case("matmul_2d_odd", lambda r: (randn(r, 7, 13), randn(r, 13, 5)), matmul,
     rtol=1e-4, atol=1e-4)
case("matmul_batch_by_matrix",
     lambda r: (randn(r, 3, 4, 6), randn(r, 6, 5)), matmul,
     rtol=1e-4, atol=1e-4)
case("matmul_broadcast_batch",
     lambda r: (randn(r, 2, 1, 3, 4), randn(r, 5, 4, 6)), matmul,
     rtol=1e-4, atol=1e-4)
case("matmul_vector_matrix", lambda r: (randn(r, 4), randn(r, 4, 3)), matmul,
     rtol=1e-4, atol=1e-4)
case("matmul_matrix_vector", lambda r: (randn(r, 3, 4), randn(r, 4)), matmul,
     rtol=1e-4, atol=1e-4)
case("matmul_batched_same", lambda r: (randn(r, 2, 3, 4), randn(r, 2, 4, 5)),
     matmul, rtol=1e-4, atol=1e-4)
case("gemm_trans_alpha_beta",
     lambda r: (randn(r, 6, 3), randn(r, 5, 6), randn(r, 5)),
     lambda a, b, c: gemm(a, b, c, alpha=0.5, beta=2.0, trans_a=True,
                          trans_b=True), rtol=1e-4, atol=1e-4)
case("gemm_plain", lambda r: (randn(r, 2, 9), randn(r, 9, 4), randn(r, 2, 4)),
     lambda a, b, c: gemm(a, b, c), rtol=1e-4, atol=1e-4)

# ---------------------------------------------------------------- elementwise

case("add_broadcast", lambda r: (randn(r, 2, 3, 5), randn(r, 3, 1)),
     lambda a, b: a + b)
case("sub_scalar", lambda r: (randn(r, 4, 17), randn(r)), lambda a, b: a - b)
case("mul_middle", lambda r: (randn(r, 2, 1, 5), randn(r, 2, 3, 1)),
     lambda a, b: a * b)
case("div_rows", lambda r: (randn(r, 3, 4),
                            (np.abs(randn(r, 3, 1)) + 0.5).astype(np.float32)),
     lambda a, b: a / b, rtol=1e-6)
case("pow_positive", lambda r: ((np.abs(randn(r, 5, 3)) + 0.1)
                                .astype(np.float32), randn(r, 3)),
     lambda a, b: np.power(a, b), rtol=1e-5)
case("max_min", lambda r: (randn(r, 4, 1), randn(r, 1, 6)),
     lambda a, b: (np.maximum(a, b), np.minimum(a, b)))
case("add_int", lambda r: (randint(r, -1000, 1000, 5, 3),
                           randint(r, -1000, 1000, 3)),
     lambda a, b: a + b, rtol=0, atol=0)
case("div_int", lambda r: (randint(r, -100, 100, 9),
                           randint(r, 1, 7, 9)),
     lambda a, b: (np.trunc(a / b)).astype(np.int32), rtol=0, atol=0)
case("dynamic_batch_add", lambda r: (randn(r, 5, 4), randn(r, 4)),
     lambda a, b: a + b)


def unary(fn, positive=False, shape=(3, 17)):
    def make(r):
        x = randn(r, *shape)
        return (np.abs(x) + 0.01 if positive else x).astype(np.float32),
    return make, lambda x: fn(x.astype(np.float64)).astype(np.float32)


erf = np.vectorize(math.erf)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


UNARY = {
    "sqrt": (np.sqrt, True), "exp": (np.exp, False), "log": (np.log, True),
    "neg": (np.negative, False), "abs": (np.abs, False), "erf": (erf, False),
    "tanh": (np.tanh, False), "sigmoid": (sigmoid, False),
    "relu": (lambda x: np.maximum(x, 0), False),
    "leaky_relu": (lambda x: np.where(x < 0, 0.1 * x, x), False),
    "clip": (lambda x: np.clip(x, -0.5, 0.75), False),
    "clip_max_only": (lambda x: np.minimum(x, 0.25), False),
    "gelu": (lambda x: 0.5 * x * (1 + erf(x / math.sqrt(2))), False),
    "gelu_tanh": (lambda x: 0.5 * x * (1 + np.tanh(
        math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3))), False),
    "silu": (lambda x: x * sigmoid(x), False),
    "hard_sigmoid": (lambda x: np.clip(0.2 * x + 0.5, 0, 1), False),
    "hard_swish": (lambda x: x * np.clip(x / 6 + 0.5, 0, 1), False),
}
for _name, (_fn, _positive) in UNARY.items():
    _make, _ref = unary(_fn, _positive)
    case("unary_" + _name, _make, _ref, rtol=2e-5, atol=2e-6)
# Decomposed activations as exporters write them (recognized by infer-fuse
# at -O 2, run op by op at -O 0): the same references as the named ops.
case("decomposed_gelu", *unary(UNARY["gelu"][0], shape=(5, 33)),
     rtol=2e-5, atol=2e-6)
case("decomposed_silu", *unary(UNARY["silu"][0], shape=(5, 33)),
     rtol=2e-5, atol=2e-6)
case("decomposed_gelu_tanh", *unary(UNARY["gelu_tanh"][0], shape=(5, 33)),
     rtol=2e-5, atol=2e-6)
case("relu_int", lambda r: (randint(r, -50, 50, 2, 9),),
     lambda x: np.maximum(x, 0), rtol=0, atol=0)

# ---------------------------------------------------------------- normalization


def batch_norm(x, scale, bias, mean, var, eps=1e-5):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    x64 = x.astype(np.float64)
    y = (x64 - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    return (y * scale.reshape(shape) + bias.reshape(shape)).astype(x.dtype)


def layer_norm(x, scale, bias=None, axis=-1, eps=1e-5):
    axes = tuple(range(axis % x.ndim, x.ndim))
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=axes, keepdims=True)
    var = ((x64 - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x64 - mean) / np.sqrt(var + eps) * scale
    if bias is not None:
        y = y + bias
    return y.astype(x.dtype)


def softmax(x, axis=-1):
    e = np.exp(x.astype(np.float64) - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(x.dtype)


def positive(r, *shape):
    return (np.abs(randn(r, *shape)) + 0.1).astype(np.float32)


case("batch_norm_dynamic",
     lambda r: (randn(r, 2, 3, 4, 5), randn(r, 3), randn(r, 3), randn(r, 3),
                positive(r, 3)),
     lambda *a: batch_norm(*a, eps=1e-3), rtol=1e-4, atol=1e-5)
case("layer_norm_last", lambda r: (randn(r, 2, 5, 24), randn(r, 24),
                                   randn(r, 24)),
     lambda x, s, b: layer_norm(x, s, b), rtol=1e-4, atol=1e-5)
case("layer_norm_axis1", lambda r: (randn(r, 3, 4, 6), randn(r, 6)),
     lambda x, s: layer_norm(x, s, axis=1, eps=1e-3), rtol=1e-4, atol=1e-5)
case("softmax_last", lambda r: (randn(r, 3, 19) * 4,),
     lambda x: softmax(x), rtol=1e-5, atol=1e-7)
case("softmax_axis0", lambda r: (randn(r, 5, 2, 3),),
     lambda x: softmax(x, axis=0), rtol=1e-5, atol=1e-7)
# As exporters decompose them (recognized by infer-fuse at -O 2, run op by
# op at -O 0).
case("decomposed_softmax", lambda r: (randn(r, 3, 4, 19) * 4,),
     lambda x: softmax(x), rtol=1e-5, atol=1e-7)
case("decomposed_layer_norm", lambda r: (randn(r, 2, 5, 24), randn(r, 24),
                                         randn(r, 24)),
     lambda x, s, b: layer_norm(x, s, b), rtol=1e-4, atol=1e-5)

# ---------------------------------------------------------------- pooling


def pool2d(x, kernel, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1),
           ceil_mode=False, mode="max", count_include_pad=False):
    n, c, h, w = x.shape
    pb = pads[:2]
    pe = pads[2:]

    def out_size(size, k, s, b, e, d):
        span = size + b + e - ((k - 1) * d + 1)
        o = (-(-span // s) if ceil_mode else span // s) + 1
        if ceil_mode and (o - 1) * s >= size + b:
            o -= 1
        return o

    oh = out_size(h, kernel[0], strides[0], pb[0], pe[0], dilations[0])
    ow = out_size(w, kernel[1], strides[1], pb[1], pe[1], dilations[1])
    out = np.zeros((n, c, oh, ow), np.float64)
    for i in range(oh):
        for j in range(ow):
            rows = [i * strides[0] - pb[0] + a * dilations[0]
                    for a in range(kernel[0])]
            cols = [j * strides[1] - pb[1] + b * dilations[1]
                    for b in range(kernel[1])]
            vr = [r for r in rows if 0 <= r < h]
            vc = [q for q in cols if 0 <= q < w]
            window = x[:, :, vr][:, :, :, vc].astype(np.float64)
            if mode == "max":
                out[:, :, i, j] = window.max(axis=(2, 3))
                continue
            if count_include_pad:
                cr = len([r for r in rows if -pb[0] <= r < h + pe[0]])
                cc = len([q for q in cols if -pb[1] <= q < w + pe[1]])
                count = cr * cc
            else:
                count = len(vr) * len(vc)
            out[:, :, i, j] = window.sum(axis=(2, 3)) / count
    return out.astype(x.dtype)


case("max_pool_3x3_s2_p1", lambda r: (randn(r, 1, 3, 9, 9),),
     lambda x: pool2d(x, (3, 3), (2, 2), (1, 1, 1, 1)))
case("max_pool_ceil_dilated", lambda r: (randn(r, 2, 2, 10, 7),),
     lambda x: pool2d(x, (2, 3), (2, 2), (0, 1, 0, 0), dilations=(2, 1),
                      ceil_mode=True))
case("avg_pool_exclude_pad", lambda r: (randn(r, 1, 2, 7, 6),),
     lambda x: pool2d(x, (3, 3), (2, 2), (1, 1, 1, 1), mode="avg"),
     rtol=1e-5, atol=1e-6)
case("avg_pool_include_pad_ceil", lambda r: (randn(r, 1, 2, 8, 8),),
     lambda x: pool2d(x, (3, 3), (2, 2), (1, 1, 1, 1), mode="avg",
                      ceil_mode=True, count_include_pad=True),
     rtol=1e-5, atol=1e-6)
case("global_avg_pool", lambda r: (randn(r, 3, 4, 5, 7),),
     lambda x: x.astype(np.float64).mean(axis=(2, 3), keepdims=True)
     .astype(np.float32), rtol=1e-5, atol=1e-6)

# ---------------------------------------------------------------- reductions

case("reduce_sum_last", lambda r: (randn(r, 2, 3, 17),),
     lambda x: x.astype(np.float64).sum(axis=-1).astype(np.float32),
     rtol=1e-5, atol=1e-5)
case("reduce_mean_keep", lambda r: (randn(r, 4, 3, 5),),
     lambda x: x.astype(np.float64).mean(axis=(0, 2), keepdims=True)
     .astype(np.float32), rtol=1e-5, atol=1e-6)
case("reduce_max_all", lambda r: (randn(r, 3, 4),),
     lambda x: x.max(keepdims=True))
case("reduce_sum_dynamic", lambda r: (randn(r, 6, 4),),
     lambda x: x.astype(np.float64).mean(axis=0).astype(np.float32),
     rtol=1e-5, atol=1e-6)

# ---------------------------------------------------------------- shapes

case("reshape_dynamic", lambda r: (randn(r, 3, 4, 2, 2),),
     lambda x: x.reshape(3, -1))
case("flatten_axis2", lambda r: (randn(r, 2, 3, 4, 5),),
     lambda x: x.reshape(6, 20))
case("transpose_0213", lambda r: (randn(r, 2, 3, 4, 5),),
     lambda x: x.transpose(0, 2, 1, 3))
case("concat_three", lambda r: (randn(r, 2, 1, 3), randn(r, 2, 4, 3),
                                randn(r, 2, 2, 3)),
     lambda a, b, c: np.concatenate([a, b, c], axis=1))
case("concat_dynamic", lambda r: (randn(r, 3, 2), randn(r, 3, 5)),
     lambda a, b: np.concatenate([a, b], axis=1))
case("slice_steps", lambda r: (randn(r, 5, 10),),
     lambda x: (x[1:4, 0:10:3], x[:, -1::-2]))
case("pad_modes", lambda r: (randn(r, 2, 5),),
     lambda x: (np.pad(x, ((1, 0), (2, 1)), constant_values=1.5),
                np.pad(x, ((1, 1), (3, 2)), mode="reflect"),
                np.pad(x, ((0, 2), (1, 3)), mode="edge")))
case("gather_negative", lambda r: (randn(r, 6, 4),
                                   np.array([[0, -1], [3, -6]], np.int64)),
     lambda d, i: np.take(d, i, axis=0))
case("gather_axis1", lambda r: (randn(r, 2, 5, 3), np.array([4, 0], np.int32)),
     lambda d, i: np.take(d, i, axis=1))
case("squeeze_unsqueeze", lambda r: (randn(r, 1, 3, 1, 2),),
     lambda x: (x.reshape(3, 2), x.reshape(1, 3, 1, 2, 1),
                x.reshape(3, 1, 2)))
case("expand_rows", lambda r: (randn(r, 3, 1),),
     lambda x: np.broadcast_to(x, (2, 3, 4)))
case("cast_types", lambda r: ((randn(r, 7) * 10).astype(np.float32),
                              randint(r, -300, 300, 7)),
     lambda f, i: (np.trunc(f).astype(np.int32), i.astype(np.float32),
                   f.astype(np.float16), i.astype(np.int8)), rtol=0, atol=0)

# ---------------------------------------------------------------- quantization


def quantize(x, scale, zero_point, lo, hi, axis=None):
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale = np.asarray(scale).reshape(shape)
        zero_point = np.asarray(zero_point).reshape(shape)
    q = np.round(x.astype(np.float64) / scale) + zero_point  # half to even
    return np.clip(q, lo, hi)


case("quantize_int8", lambda r: (randn(r, 4, 9) * 3,),
     lambda x: quantize(x, 0.05, -3, -128, 127).astype(np.int8),
     rtol=0, atol=0)
case("quantize_uint8", lambda r: (randn(r, 11),),
     lambda x: quantize(x, 0.02, 128, 0, 255).astype(np.uint8).view(np.int8),
     rtol=0, atol=0)
case("quantize_per_axis", lambda r: (randn(r, 3, 4),),
     lambda x: quantize(x, [0.1, 0.02, 0.5], [0, 5, -7], -128, 127, axis=0)
     .astype(np.int8), rtol=0, atol=0)
case("dequantize_roundtrip", lambda r: (randn(r, 2, 6),),
     lambda x: ((quantize(x, 0.03, 10, -128, 127) - 10) * 0.03)
     .astype(np.float32), rtol=1e-6, atol=1e-7)
case("pow_int", lambda r: (randint(r, -5, 6, 6), randint(r, 0, 5, 6)),
     lambda a, b: np.power(a.astype(np.int64), b).astype(np.int32), rtol=0, atol=0)
case("slice_mixed_steps", lambda r: (randn(r, 2, 3, 4),),
     lambda x: x[:, 0:2, 3::-2])
case("slice_dynamic", lambda r: (randn(r, 7, 3),), lambda x: x[1:-1:2, 1:100])
