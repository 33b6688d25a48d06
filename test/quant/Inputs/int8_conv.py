"""Writes an int8 convolution in the infer dialect (quantize, a quantized
conv2d with per-channel weights and a float bias, dequantize), its input and
a numpy reference that follows the documented integer arithmetic step by
step (docs/quantization.md), for infer-run --expect with zero tolerance.

    int8_conv.py DIR N C H W F K STRIDE PAD
"""
import math
import os
import sys

import numpy as np

out = sys.argv[1]
n, c, h, w, f, k, stride, pad = map(int, sys.argv[2:10])
rng = np.random.default_rng(n * 1000003 + c * 10007 + h * 101 + f * 7 + k)
x = rng.standard_normal((n, c, h, w)).astype(np.float32)
weights = (rng.standard_normal((f, c, k, k)) * 0.3).astype(np.float32)
bias = (rng.standard_normal(f) * 0.5).astype(np.float32)
sx, zx = 4.0 / 255, 128          # input: uint8 over [-2, 2]
sy, zy = 6.0 / 255, 100          # output: uint8
sw = [float(np.abs(weights[i]).max()) / 127 for i in range(f)]


def f32(v):
    return np.float32(v)


# Quantize the input: round half to even of x / scale (in f32), + zero point.
xq = np.clip(np.rint(x / f32(sx)) + zx, 0, 255).astype(np.int64)
wq = np.stack([np.clip(np.rint(weights[i] / f32(sw[i])), -127, 127)
               for i in range(f)]).astype(np.int64)
# The accumulator starts at the rounded bias minus zx * sum(w).
start = np.array([round_half_even for round_half_even in
                  (np.rint(float(bias[i]) / (sx * sw[i])) for i in range(f))],
                 dtype=np.int64) - zx * wq.reshape(f, -1).sum(1)
padded = np.pad(xq, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=zx)
oh = (h + 2 * pad - k) // stride + 1
ow = (w + 2 * pad - k) // stride + 1
acc = np.zeros((n, f, oh, ow), dtype=np.int64) + start[None, :, None, None]
for i in range(k):
    for j in range(k):
        window = padded[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
        acc += np.einsum("nchw,fc->nfhw", window, wq[:, :, i, j])
assert np.abs(acc).max() < 2 ** 31
y = np.empty_like(acc)
for i in range(f):
    fraction, exponent = math.frexp(sx * sw[i] / sy)
    m = round(fraction * 2 ** 31)
    if m == 2 ** 31:
        m //= 2
        exponent += 1
    shift = 31 - exponent
    y[:, i] = (acc[:, i] * m + (1 << (shift - 1))) >> shift
yq = np.clip(y + zy, 0, 255)
ref = ((yq.astype(np.float32) - f32(zy)) * f32(sy)).astype(np.float32)


def lit(a):
    return "[" + ", ".join(lit(v) if isinstance(v, np.ndarray) else repr(float(v))
                           for v in a) + "]"


def qtype(scale, zp):
    return f"!quant.uniform<u8:f32, {scale!r}:{zp}>"


xt = f"tensor<{n}x{c}x{h}x{w}"
yt = f"tensor<{n}x{f}x{oh}x{ow}"
wt = f"tensor<{f}x{c}x{k}x{k}"
wqt = f"!quant.uniform<i8<-127:127>:f32:0, {{{','.join(repr(s) for s in sw)}}}>"
with open(os.path.join(out, "conv.mlir"), "w") as file:
    file.write(f"""func.func @main(%x: {xt}xf32>) -> {yt}xf32> {{
  %xq = infer.quantize %x : {xt}xf32> -> {xt}x{qtype(sx, zx)}>
  %w = infer.constant dense<{lit(weights)}> : {wt}xf32>
  %wq = infer.quantize %w : {wt}xf32> -> {wt}x{wqt}>
  %b = infer.constant dense<{lit(bias)}> : tensor<{f}xf32>
  %y = infer.conv2d %xq, %wq, %b {{strides = array<i64: {stride}, {stride}>,
      pads = array<i64: {pad}, {pad}, {pad}, {pad}>}}
      : ({xt}x{qtype(sx, zx)}>, {wt}x{wqt}>, tensor<{f}xf32>) -> {yt}x{qtype(sy, zy)}>
  %d = infer.dequantize %y : {yt}x{qtype(sy, zy)}> -> {yt}xf32>
  return %d : {yt}xf32>
}}
""")
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "ref.npy"), ref)
