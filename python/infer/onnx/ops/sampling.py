"""GridSample (opsets 16 and 20) decomposed at import into existing dialect
ops: elementwise math on the sampling coordinates, one infer.gather_elements
per interpolation tap, a weighted sum of the taps.

X is [N, C, D1, ..., Dr] and the grid [N, O1, ..., Or, r] holds normalized
coordinates in [-1, 1], the last component first (x indexes Dr, y D(r-1),
...). Opset 16 takes 4-D X with modes bilinear / nearest / bicubic; opset 20
names them linear / nearest / cubic and takes any r >= 1 (volumetric 5-D
included; cubic then has 4^r taps). The semantics are those of
onnxruntime and of ONNX's reference implementation, which agree but in one
case (below):

- Each coordinate is unnormalized: (g + 1) / 2 * (L - 1) with align_corners,
  else ((g + 1) * L - 1) / 2; nearest rounds it half to even.
- The taps floor(x) + k (k in 0..1 for linear, -1..2 for cubic with Keys'
  coefficients at A = -0.75 of t = x - floor(x); the rounded coordinate for
  nearest) read 0 outside the image (zeros: X is padded by one zero on every
  side of each spatial axis and the tap clamped onto that border), the
  clamped pixel (border) or the pixel reflected into [lo, hi] ([0, L-1] with
  align_corners, else [-0.5, L-0.5]; reflection).

The reference also clamps (border) or reflects (reflection) a coordinate
outside [lo, hi] before taking its taps. For reflection, and for border in
linear and nearest mode, that changes nothing (the tap-level padding gives
the same pixels and weights), so it is left out. For cubic with border it
does change the weights: onnxruntime and PyTorch do not clamp there, and
neither does this decomposition (it matches onnxruntime; the reference
differs where a cubic coordinate falls outside [lo, hi]).

Per tap the per-axis indices combine into a flat index into X reshaped to
[N, C, D1*...*Dr]; broadcast over C (infer.expand) it gathers [N, C, P]
(P = O1*...*Or), scaled by the product of the per-axis weights and summed
over the taps; the sum is reshaped to [N, C, O1, ..., Or]. Coordinates are
computed in the grid's float type on [N, 1, P] tensors. Channel, spatial
and output sizes must be static (a dynamic N is fine); X must be a float
tensor. A NaN coordinate indexes pixel 0 (with NaN weights in linear and
cubic mode).
"""
import itertools

import numpy as np

from infer.onnx.errors import Unsupported
from infer.onnx.ops.registry import (FLOATS, NUMPY_TYPES, array_attr, converter,
                                     f32_attr, tensor_type)

_NP = {elem: dtype for dtype, elem in NUMPY_TYPES.items()}
_COUNT = itertools.count()
_CUBIC_A = -0.75
_MODES = {16: {"bilinear": "linear", "nearest": "nearest", "bicubic": "cubic"},
          20: {"linear": "linear", "nearest": "nearest", "cubic": "cubic"}}
_PADDING = ("zeros", "border", "reflection")


class _V:
    """A value under construction: its SSA name, element type and shape."""

    def __init__(self, ssa, elem, shape):
        self.ssa, self.elem, self.shape = ssa, elem, list(shape)

    @property
    def pair(self):
        return (self.ssa, tensor_type(self.elem, self.shape))


def _broadcast(*shapes):
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        dims = [s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0]
        known = [d for d in dims if d is not None and d != 1]
        out.append(known[0] if known else (None if None in dims else 1))
    return out


class _Builder:
    def __init__(self, imp, node):
        self.imp, self.node = imp, node
        self.consts = {}

    def op(self, op, operands, elem, shape, attrs="", unary=False):
        ssa = self.imp.emit(op, [v.pair for v in operands],
                            tensor_type(elem, shape), attrs, self.node, unary=unary)
        return _V(ssa, elem, shape)

    def const(self, value, elem):
        key = (float(value), elem)
        if key not in self.consts:
            name = f"{self.node.output[0] or 'GridSample'}#gs{next(_COUNT)}"
            self.imp.consts[name] = np.array(value, dtype=_NP[elem])
            self.consts[key] = _V(self.imp.value(name, self.node), elem, [])
        return self.consts[key]

    def _operand(self, v, elem):
        return v if isinstance(v, _V) else self.const(v, elem)

    def bin(self, op, a, b, attrs=""):
        elem = a.elem if isinstance(a, _V) else b.elem
        a, b = self._operand(a, elem), self._operand(b, elem)
        return self.op(f"infer.{op}", [a, b], elem, _broadcast(a.shape, b.shape), attrs)

    def add(self, a, b):
        return self.bin("add", a, b)

    def sub(self, a, b):
        return self.bin("sub", a, b)

    def mul(self, a, b):
        return self.bin("mul", a, b)

    def compare(self, op, a, b):
        elem = a.elem if isinstance(a, _V) else b.elem
        a, b = self._operand(a, elem), self._operand(b, elem)
        return self.op(f"infer.{op}", [a, b], "i1", _broadcast(a.shape, b.shape))

    def logic(self, op, a, b):
        return self.op(f"infer.{op}", [a, b], "i1", _broadcast(a.shape, b.shape))

    def unary(self, op, a, attrs=""):
        return self.op(f"infer.{op}", [a], a.elem, a.shape, attrs, unary=True)

    def clip(self, a, low, high):
        return self.unary("clip", a, f"min = {f32_attr(low)}, max = {f32_attr(high)}")

    def where(self, cond, a, b):
        elem = a.elem if isinstance(a, _V) else b.elem
        a, b = self._operand(a, elem), self._operand(b, elem)
        return self.op("infer.where", [cond, a, b], elem,
                       _broadcast(cond.shape, a.shape, b.shape))

    def cast(self, a, elem):
        return a if a.elem == elem else self.op("infer.cast", [a], elem, a.shape)

    def reshape(self, a, shape):
        target = [0 if d is None else d for d in shape]
        return self.op("infer.reshape", [a], a.elem, shape,
                       f"shape = {array_attr(target)}")

    def reflect(self, v, lo, hi):
        """v reflected by the near border until it lies in [lo, hi] (as the
        reference's _gs_reflect: n = trunc(d / range) reflections, the
        remainder r = d - n * range measured from lo or hi by n's parity)."""
        below, above = self.compare("less", v, lo), self.compare("greater", v, hi)
        outside = self.logic("or", below, above)
        span = hi - lo
        if span == 0:
            return self.where(outside, lo, v)
        dist = self.where(below, self.sub(lo, v), self.sub(v, hi))
        n = self.unary("floor", self.bin("div", dist, span))
        rest = self.sub(dist, self.mul(n, span))
        odd = self.compare("greater", self.bin("mod", n, 2.0, "fmod = true"), 0.5)
        # below: lo + r when n is even; above: lo + r when n is odd.
        from_lo = self.logic("xor", below, odd)
        inside = self.where(from_lo, self.add(rest, lo), self.sub(hi, rest))
        return self.where(outside, inside, v)


def _text(imp, node, name, default):
    value = imp.attr(node, name, default)
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _cubic_weights(b, t):
    """Keys' cubic convolution coefficients of the taps -1, 0, 1, 2 at
    fraction t (as the reference: of t + 1, t, 1 - t, 2 - t)."""
    a = _CUBIC_A

    def outer(s):  # ((A s - 5A) s + 8A) s - 4A, for 1 <= s <= 2
        return b.sub(b.mul(b.add(b.mul(b.sub(b.mul(s, a), 5 * a), s), 8 * a), s), 4 * a)

    def inner(s):  # ((A + 2) s - (A + 3)) s s + 1, for s <= 1
        return b.add(b.mul(b.mul(b.sub(b.mul(s, a + 2), a + 3), s), s), 1.0)

    return [outer(b.add(t, 1.0)), inner(t), inner(b.sub(1.0, t)), outer(b.sub(2.0, t))]


def _convert(imp, node, modes):
    mode_name = _text(imp, node, "mode", next(iter(modes)))
    if mode_name not in modes:
        raise imp.fail(node, f"mode '{mode_name}' is not one of " + ", ".join(modes))
    mode = modes[mode_name]
    padding = _text(imp, node, "padding_mode", "zeros")
    if padding not in _PADDING:
        raise imp.fail(node, f"padding_mode '{padding}' is not one of "
                       + ", ".join(_PADDING))
    align = imp.attr(node, "align_corners", 0)
    if align not in (0, 1):
        raise imp.fail(node, f"align_corners must be 0 or 1, got {align}")
    elem, shape = imp.type_of(node.input[0], node)
    gelem, gshape = imp.type_of(node.input[1], node)
    rank = len(shape)
    if rank < 3 or (imp.opset < 20 and rank != 4):
        raise imp.fail(node, f"{rank}-D input is not supported (opset 16 takes 4-D "
                       "input, opset 20 on N x C x D1 x ... x Dr)", Unsupported)
    r = rank - 2
    if len(gshape) != rank or gshape[-1] not in (None, r):
        raise imp.fail(node, f"grid of shape {gshape} does not fit {rank}-D input: "
                       f"expected [N, {', '.join(['O'] * r)}, {r}]")
    if elem not in FLOATS or elem not in _NP:
        raise imp.fail(node, f"input of element type {elem} is not supported (float "
                       "types are)", Unsupported)
    if gelem not in FLOATS or gelem not in _NP:
        raise imp.fail(node, f"grid of element type {gelem} is not supported",
                       Unsupported)
    dims, outs, channels = shape[2:], gshape[1:-1], shape[1]
    if channels is None or None in dims or None in outs:
        raise imp.fail(node, "needs static channel, spatial and grid sizes (input "
                       f"{shape}, grid {gshape}; fix them with --input-shape)",
                       Unsupported)
    if 0 in dims and 0 not in outs:
        raise imp.fail(node, f"input of shape {shape} has an empty spatial axis to "
                       "sample from", Unsupported)
    if shape[0] is not None and gshape[0] is not None and shape[0] != gshape[0]:
        raise imp.fail(node, f"input batch {shape[0]} and grid batch {gshape[0]} differ")
    batch = shape[0] if shape[0] is not None else gshape[0]
    points = int(np.prod(outs, dtype=np.int64))
    out_shape = [batch, channels] + list(outs)
    b = _Builder(imp, node)
    x = _V(imp.value(node.input[0], node), elem, shape)
    grid = _V(imp.value(node.input[1], node), gelem, gshape)

    # The image, padded with a zero border (zeros padding), flattened.
    pad = 1 if padding == "zeros" else 0
    if pad:
        padded = [shape[0], channels] + [d + 2 for d in dims]
        x = b.op("infer.pad", [x], elem, padded,
                 f"pads = {array_attr([0, 0] + [1] * r + [0, 0] + [1] * r)}, "
                 'mode = "constant", value = 0.0 : f32')
    sizes = [d + 2 * pad for d in dims]
    flat = b.reshape(x, [shape[0], channels, int(np.prod(sizes, dtype=np.int64))])
    strides = [int(np.prod(sizes[i + 1:], dtype=np.int64)) for i in range(r)]

    # Per spatial axis: [(flat index contribution (i64), weight or None)].
    axis_taps = []
    for i, size in enumerate(dims):
        comp = r - 1 - i  # the grid lists x (the last axis) first
        g = b.op("infer.slice", [grid], gelem, gshape[:-1] + [1],
                 f"starts = {array_attr([comp])}, ends = {array_attr([comp + 1])}, "
                 f"axes = {array_attr([rank - 1])}")
        g = b.reshape(g, [gshape[0], 1, points])
        if align:
            c = b.mul(b.mul(b.add(g, 1.0), 0.5), float(size - 1))
            lo, hi = 0.0, float(size - 1)
        else:
            c = b.mul(b.sub(b.mul(b.add(g, 1.0), float(size)), 1.0), 0.5)
            lo, hi = -0.5, size - 0.5
        if mode == "nearest":
            base, offsets, weights = b.unary("round", c), [0], [None]
        else:
            base = b.unary("floor", c)
            t = b.sub(c, base)
            if mode == "linear":
                offsets, weights = [0, 1], [b.sub(1.0, t), t]
            else:
                offsets, weights = [-1, 0, 1, 2], _cubic_weights(b, t)
        # A NaN coordinate must still index inside the image; with zeros
        # padding the index is into the padded image, clamped onto its border.
        base = b.where(b.op("infer.is_nan", [base], "i1", base.shape), 0.0, base)
        if pad:
            base = b.add(base, float(pad))
        taps = []
        for k, w in zip(offsets, weights):
            p = b.add(base, float(k)) if k else base
            if padding == "reflection":
                p = b.reflect(p, lo, hi)
            p = b.clip(p, 0.0, size - 1.0 + 2 * pad)
            index = b.cast(p, "i64")
            if strides[i] != 1:
                index = b.mul(index, b.const(strides[i], "i64"))
            if w is not None and gelem != elem:
                w = b.cast(w, elem)
            taps.append((index, w))
        axis_taps.append(taps)

    total = None
    for combo in itertools.product(*axis_taps):
        index, weight = combo[0]
        for other, w in combo[1:]:
            index = b.add(index, other)
            weight = w if weight is None else (weight if w is None else b.mul(weight, w))
        if channels != 1:
            index = b.op("infer.expand", [index], "i64", [index.shape[0], channels, points],
                         f"shape = {array_attr([1, channels, 1])}")
        value = b.op("infer.gather_elements", [flat, index], elem,
                     [batch, channels, points], "axis = 2 : i64")
        if weight is not None:
            value = b.mul(value, weight)
        total = value if total is None else b.add(total, value)
    y = b.reshape(total, out_shape)
    imp.bind(node.output[0], y.ssa, (elem, out_shape))


@converter("GridSample", since=16)
def convert_grid_sample_16(imp, node):
    _convert(imp, node, _MODES[16])


@converter("GridSample", since=20)
def convert_grid_sample_20(imp, node):
    _convert(imp, node, _MODES[20])
