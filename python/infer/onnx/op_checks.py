"""The attribute and shape constraints of the ops the importer converts,
beyond what ONNX's checker and shape inference enforce: Conv's group divides
the channels and agrees with the weight, kernel_shape matches it, windows fit
their input, strides and dilations are positive, pads non-negative and of the
right length, axes in range and distinct, perm a permutation, Gemm, MatMul and
normalization operands that agree, Reshape targets that fit, and what the
dialect's verifiers reject that ONNX lets through (reflect padding wider than
the axis, empty Squeeze/Unsqueeze axes, windows beyond 2^31).

Each check takes the node under validation (validate._Node: its attributes,
input shapes and constant inputs, `fail` to report) and runs twice: on the
shapes of ONNX's inference, and again once the importer has folded constant
subgraphs.
"""
import math

import numpy as np
from onnx import AttributeProto, TensorProto

from infer.onnx.errors import Unsupported

_AUTO_PAD = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")

OP_CHECKS = {}


def op_check(*names):
    def register(fn):
        for n in names:
            OP_CHECKS[n] = fn
        return fn
    return register


def known(a, b):
    """Whether both sizes are known."""
    return a is not None and b is not None


def _window(c, spatial, kernel_required, kernel=None):
    """Checks kernel_shape, strides, dilations, pads and auto_pad of a
    convolution or pooling window over `spatial` axes (None when the rank is
    unknown) and that the window fits the padded input; `kernel` is the
    weight's kernel when kernel_shape is optional. Returns kernel_shape."""
    attr = c.attr("kernel_shape")
    if attr is None and kernel_required:
        c.fail("required attribute 'kernel_shape' is missing")
    attr = c.ints("attribute 'kernel_shape'", attr, spatial,
                  "one per spatial axis", positive=True, window=True)
    c.ints("attribute 'strides'", c.attr("strides"), spatial,
           "one per spatial axis", positive=True, window=True)
    dilations = c.ints("attribute 'dilations'", c.attr("dilations"), spatial,
                       "one per spatial axis", positive=True, window=True)
    pads = c.ints("attribute 'pads'", c.attr("pads"),
                  None if spatial is None else 2 * spatial,
                  "begin and end of each spatial axis", nonnegative=True,
                  window=True)
    auto_pad = c.attr("auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode(errors="replace") if isinstance(auto_pad, bytes) \
        else auto_pad
    if auto_pad not in _AUTO_PAD:
        c.fail(f"attribute 'auto_pad' is '{auto_pad}', expected one of "
               + ", ".join(_AUTO_PAD))
    if auto_pad != "NOTSET" and pads is not None and any(pads):
        c.fail(f"attribute 'pads' cannot be used with auto_pad {auto_pad}")
    kernel = attr if attr is not None else kernel
    x = c.shape(0)
    if x is None or kernel is None or auto_pad.startswith("SAME") or \
            len(kernel) != len(x) - 2:
        return attr
    if auto_pad == "VALID" or pads is None:
        pads = [0] * (2 * len(kernel))
    dilations = dilations or [1] * len(kernel)
    for i, (size, k, d) in enumerate(zip(x[2:], kernel, dilations)):
        if size is None or k is None:
            continue
        extent, padded = (k - 1) * d + 1, size + pads[i] + pads[len(kernel) + i]
        if extent > padded:
            c.fail(f"the window of extent {extent} (kernel {k}, dilation {d}) does "
                   f"not fit spatial axis {i} of input 0 (X), {size} padded to "
                   f"{padded}")
    return attr


@op_check("Conv")
def check_conv(c):
    x_rank, w_rank = c.rank(0), c.rank(1)
    if x_rank is not None and x_rank < 3:
        c.fail(f"input 0 (X) has rank {x_rank}, expected [N, C, spatial...] "
               "(at least 3)")
    if known(x_rank, w_rank) and x_rank != w_rank:
        c.fail(f"input 1 (W) has rank {w_rank}, input 0 (X) rank {x_rank}: "
               "they must agree")
    rank = x_rank if x_rank is not None else w_rank
    spatial = None if rank is None else rank - 2
    group = c.attr("group", 1)
    if group < 1:
        c.fail(f"attribute 'group' must be positive, got {group}")
    x, w = c.shape(0), c.shape(1)
    kernel = _window(c, spatial, kernel_required=False,
                     kernel=None if w is None else w[2:])
    channels = x[1] if x is not None and len(x) > 1 else None
    if w is not None and len(w) >= 2:
        m, per_group = w[0], w[1]
        if channels is not None and channels % group:
            c.fail(f"attribute 'group' ({group}) does not divide the {channels} "
                   "channels of input 0 (X)")
        if known(channels, per_group) and per_group * group != channels:
            c.fail(f"input 1 (W) has {per_group} channels per group: with group "
                   f"{group} the input needs {per_group * group}, input 0 (X) "
                   f"has {channels}")
        if m is not None and m % group:
            c.fail(f"attribute 'group' ({group}) does not divide the {m} output "
                   "channels of input 1 (W)")
        if kernel is not None and any(known(k, s) and k != s
                                      for k, s in zip(kernel, w[2:])):
            c.fail(f"attribute 'kernel_shape' {kernel} does not match the kernel "
                   f"{['?' if s is None else s for s in w[2:]]} of input 1 (W)")
        b = c.shape(2)
        if b is not None:
            if len(b) != 1:
                c.fail(f"input 2 (B) has rank {len(b)}, expected 1")
            if known(b[0], m) and b[0] != m:
                c.fail(f"input 2 (B) has {b[0]} values, input 1 (W) {m} output "
                       "channels")


@op_check("MaxPool", "AveragePool")
def check_pool(c):
    rank = c.rank(0)
    if rank is not None and rank < 3:
        c.fail(f"input 0 (X) has rank {rank}, expected [N, C, spatial...] "
               "(at least 3)")
    spatial = None if rank is None else rank - 2
    kernel = c.attr("kernel_shape")
    if kernel is not None and spatial is None:
        spatial = len(kernel)
    _window(c, spatial, kernel_required=True)
    for name in ("ceil_mode", "count_include_pad", "storage_order"):
        c.flag(name)


@op_check("GlobalAveragePool")
def check_global_pool(c):
    rank = c.rank(0)
    if rank is not None and rank < 3:
        c.fail(f"input 0 (X) has rank {rank}, expected [N, C, spatial...] "
               "(at least 3)")


def _broadcasts_to(shape, target):
    """Whether `shape` broadcasts to `target` one way (numpy rules, None for
    unknown sizes)."""
    if len(shape) > len(target):
        return False
    return all(s == 1 or not known(s, t) or s == t
               for s, t in zip(shape[::-1], target[::-1]))


@op_check("Gemm")
def check_gemm(c):
    c.flag("transA")
    c.flag("transB")
    a, b, bias = c.shape(0), c.shape(1), c.shape(2)
    for i, name, s in ((0, "A", a), (1, "B", b)):
        if s is not None and len(s) != 2:
            c.fail(f"input {i} ({name}) has rank {len(s)}, expected 2")
    if a is None or b is None:
        return
    trans_a, trans_b = c.attr("transA", 0), c.attr("transB", 0)
    m, ka = (a[1], a[0]) if trans_a else (a[0], a[1])
    kb, n = (b[1], b[0]) if trans_b else (b[0], b[1])
    if known(ka, kb) and ka != kb:
        c.fail(f"input 0 (A) {a} and input 1 (B) {b} do not multiply (transA "
               f"{trans_a}, transB {trans_b}): {ka} vs {kb}")
    if bias is not None and not _broadcasts_to(bias, [m, n]):
        c.fail(f"input 2 (C) {bias} does not broadcast to the result "
               f"[{'?' if m is None else m}, {'?' if n is None else n}]")


@op_check("Add", "Sub", "Mul", "Div", "Pow")
def check_binary(c):
    """Before opset 7 these ops broadcast only with attribute broadcast = 1,
    and then B to A alone; the dialect broadcasts numpy's way, which agrees
    when B aligns with A's trailing axes."""
    if c.opset >= 7:
        return
    a, b = c.shape(0), c.shape(1)
    if a is None or b is None:
        return
    if not c.attr("broadcast", 0):
        if len(a) != len(b) or any(known(x, y) and x != y for x, y in zip(a, b)):
            c.fail(f"input 0 (A) {a} and input 1 (B) {b} differ, and before opset 7 "
                   "they broadcast only with attribute 'broadcast' = 1")
        return
    axis = c.attr("axis")
    if axis is not None and axis != len(a) - len(b):
        raise Unsupported(f"{c.label}: attribute 'axis' {axis} aligns input 1 (B) "
                          "other than with the trailing axes of input 0 (A)")
    if not _broadcasts_to(b, a):
        c.fail(f"input 1 (B) {b} does not broadcast to input 0 (A) {a}")


@op_check("MatMul")
def check_matmul(c):
    a, b = c.shape(0), c.shape(1)
    if a is None or b is None:
        return
    if not a or not b:
        c.fail("inputs must have rank 1 or more")
    ka = a[-1]
    kb = b[-2] if len(b) > 1 else b[0]
    if known(ka, kb) and ka != kb:
        c.fail(f"input 0 (A) {a} and input 1 (B) {b} do not multiply: {ka} vs {kb}")
    batch_a, batch_b = a[:-2], b[:-2]
    for x, y in zip(batch_a[::-1], batch_b[::-1]):
        if known(x, y) and x != y and x != 1 and y != 1:
            c.fail(f"the batch dimensions of input 0 (A) {a} and input 1 (B) {b} "
                   "do not broadcast")


@op_check("BatchNormalization")
def check_batch_norm(c):
    c.flag("training_mode")
    x = c.shape(0)
    if x is not None and len(x) < 2:
        c.fail(f"input 0 (X) has rank {len(x)}, expected at least 2")
    channels = x[1] if x is not None else None
    for i, name in ((1, "scale"), (2, "B"), (3, "input_mean"), (4, "input_var")):
        s = c.shape(i)
        if s is None:
            continue
        if len(s) != 1:
            c.fail(f"input {i} ({name}) has rank {len(s)}, expected 1")
        if known(s[0], channels) and s[0] != channels:
            c.fail(f"input {i} ({name}) has {s[0]} values, input 0 (X) "
                   f"{channels} channels")


@op_check("LayerNormalization")
def check_layer_norm(c):
    x = c.shape(0)
    if x is None:
        return
    axis = c.axis("attribute 'axis'", c.attr("axis", -1), len(x))
    for i, name in ((1, "Scale"), (2, "B")):
        s = c.shape(i)
        if s is not None and not _broadcasts_to(s, x[axis:]):
            c.fail(f"input {i} ({name}) {s} does not broadcast to the normalized "
                   f"shape {x[axis:]} (dimensions {axis} and after of input 0)")


@op_check("Softmax")
def check_softmax(c):
    c.axis("attribute 'axis'", c.attr("axis", 1 if c.opset < 13 else -1), c.rank(0))


@op_check("Flatten")
def check_flatten(c):
    c.axis("attribute 'axis'", c.attr("axis", 1), c.rank(0), inclusive=True)


@op_check("Concat")
def check_concat(c):
    ranks = [c.rank(i) for i in range(len(c.node.input))]
    known = [r for r in ranks if r is not None]
    if len(set(known)) > 1:
        c.fail(f"inputs have different ranks {ranks}")
    c.axis("attribute 'axis'", c.attr("axis"), known[0] if known else None)


@op_check("Gather")
def check_gather(c):
    data = c.shape(0)
    axis = c.axis("attribute 'axis'", c.attr("axis", 0),
                  None if data is None else len(data))
    indices = c.const(1)
    if indices is None or data is None or data[axis] is None or indices.size == 0:
        return
    if indices.dtype.kind not in "iu":
        c.fail(f"input 1 (indices) has element type {indices.dtype}, expected int32 "
               "or int64")
    size = data[axis]
    if indices.min() < -size or indices.max() >= size:
        c.fail(f"input 1 (indices) has values outside [{-size}, {size - 1}] "
               f"(axis {axis} has size {size})")


@op_check("Transpose")
def check_transpose(c):
    perm = c.attr("perm")
    if perm is None:
        return
    rank = c.rank(0)
    perm = list(perm)
    if rank is not None and len(perm) != rank:
        c.fail(f"attribute 'perm' has {len(perm)} values, input 0 has rank {rank}")
    if sorted(perm) != list(range(len(perm))):
        c.fail(f"attribute 'perm' {perm} is not a permutation of "
               f"0..{len(perm) - 1}")


def _axes_operand(c, attr_before, index):
    """Axes given as an attribute before opset `attr_before`, as input
    `index` from it: (what to call them, the axes or None when absent or not
    constant)."""
    if c.opset < attr_before:
        return "attribute 'axes'", c.attr("axes")
    what = f"input {index} (axes)"
    value = c.const(index)
    if value is not None and value.ndim > 1:
        c.fail(f"{what} has rank {value.ndim}, expected 1")
    return what, None if value is None else value.reshape(-1).tolist()


@op_check("Squeeze")
def check_squeeze(c):
    what, axes = _axes_operand(c, 13, 1)
    shape = c.shape(0)
    if axes is not None and not axes:
        c.fail(f"{what} is empty (without axes every size-1 axis is squeezed)")
    if shape is None or axes is None:
        return
    for a in c.axes(what, axes, len(shape)):
        if shape[a] is not None and shape[a] != 1:
            c.fail(f"{what}: axis {a} has size {shape[a]}; only size-1 axes can "
                   "be squeezed")


@op_check("Unsqueeze")
def check_unsqueeze(c):
    what, axes = _axes_operand(c, 13, 1)
    rank = c.rank(0)
    if axes is None:
        if c.opset < 13:
            c.fail("required attribute 'axes' is missing")
        return
    if not axes:
        c.fail(f"{what} is empty")
    c.axes(what, axes, None if rank is None else rank + len(axes))


@op_check("ReduceSum", "ReduceMean", "ReduceMax", "ReduceProd")
def check_reduce(c):
    c.flag("keepdims")
    c.flag("noop_with_empty_axes")
    from_input = c.opset >= 18 or (c.node.op_type == "ReduceSum" and c.opset >= 13)
    what, axes = _axes_operand(c, 0 if from_input else 10 ** 9, 1)
    c.axes(what, axes, c.rank(0))


@op_check("Reshape")
def check_reshape(c):
    c.flag("allowzero")
    shape = c.const(1) if c.opset >= 5 else c.attr("shape")
    if shape is None:
        return
    shape = np.asarray(shape)
    if shape.ndim != 1:
        c.fail(f"input 1 (shape) has rank {shape.ndim}, expected 1")
    values = shape.astype(np.int64).tolist()
    if any(v < -1 for v in values):
        c.fail(f"input 1 (shape) {values} has a value below -1")
    if values.count(-1) > 1:
        c.fail(f"input 1 (shape) {values} has more than one -1")
    x = c.shape(0)
    allowzero = c.attr("allowzero", 0)
    if allowzero and 0 in values and -1 in values:
        c.fail(f"input 1 (shape) {values} has both 0 and -1 with allowzero")
    if x is None:
        return
    if not allowzero:
        for i, v in enumerate(values):
            if v == 0 and i >= len(x):
                c.fail(f"input 1 (shape) {values}: the 0 at {i} copies a "
                       f"dimension input 0 (rank {len(x)}) does not have")
        values = [x[i] if v == 0 else v for i, v in enumerate(values)]
    if any(d is None for d in x) or any(v is None for v in values):
        return
    total = math.prod(x)
    fixed = math.prod(v for v in values if v != -1)
    if (-1 not in values and fixed != total) or \
            (-1 in values and (fixed == 0 or total % fixed)):
        c.fail(f"input 1 (shape) {values} does not fit the {total} elements of "
               f"input 0 {x}")


@op_check("Expand")
def check_expand(c):
    shape = c.const(1)
    if shape is None:
        return
    if shape.ndim != 1:
        c.fail(f"input 1 (shape) has rank {shape.ndim}, expected 1")
    if (shape < 0).any():
        c.fail(f"input 1 (shape) {shape.tolist()} has a negative value")


@op_check("Slice")
def check_slice(c):
    if c.opset < 10:
        names = [f"attribute '{n}'" for n in ("starts", "ends", "axes")]
        starts, ends, axes = (c.attr(n) for n in ("starts", "ends", "axes"))
        steps = None
    else:
        names = [f"input {i} ({n})" for i, n in
                 enumerate(("starts", "ends", "axes", "steps"), 1)]
        starts, ends, axes, steps = (c.const(i) for i in (1, 2, 3, 4))
        for name, v in zip(names, (starts, ends, axes, steps)):
            if v is not None and v.ndim != 1:
                c.fail(f"{name} has rank {v.ndim}, expected 1")
    if starts is None or ends is None:
        return
    starts, ends = list(np.asarray(starts).tolist()), list(np.asarray(ends).tolist())
    if len(starts) != len(ends):
        c.fail(f"{names[0]} has {len(starts)} values, {names[1]} {len(ends)}")
    rank = c.rank(0)
    if axes is not None:
        axes = list(np.asarray(axes).tolist())
        if len(axes) != len(starts):
            c.fail(f"{names[2]} has {len(axes)} values, {names[0]} {len(starts)}")
        c.axes(names[2], axes, rank)
    elif rank is not None and len(starts) > rank:
        c.fail(f"{names[0]} has {len(starts)} values, input 0 has rank {rank}")
    if steps is not None:
        steps = list(np.asarray(steps).tolist())
        if len(steps) != len(starts):
            c.fail(f"{names[3]} has {len(steps)} values, {names[0]} {len(starts)}")
        if 0 in steps:
            c.fail(f"{names[3]} {steps} has a zero step")


@op_check("Pad")
def check_pad(c):
    mode = c.attr("mode", b"constant")
    mode = mode.decode(errors="replace") if isinstance(mode, bytes) else mode
    modes = ("constant", "reflect", "edge") + (("wrap",) if c.opset >= 19 else ())
    if mode not in modes:
        c.fail(f"attribute 'mode' is '{mode}', expected one of {', '.join(modes)}")
    rank = c.rank(0)
    if c.opset < 11:
        pads = c.attr("pads", c.attr("paddings"))
        c.ints("attribute 'pads'", pads, None if rank is None else 2 * rank,
               "begin and end of each axis", window=True)
        return
    pads, axes = c.const(1), c.const(3)
    if pads is not None and pads.ndim != 1:
        c.fail(f"input 1 (pads) has rank {pads.ndim}, expected 1")
    if axes is not None:
        if axes.ndim != 1:
            c.fail(f"input 3 (axes) has rank {axes.ndim}, expected 1")
        axes = c.axes("input 3 (axes)", axes.tolist(), rank)
    count = 2 * len(axes) if axes is not None else None if rank is None else 2 * rank
    pads = c.ints("input 1 (pads)", pads, count, "begin and end of each axis",
                  window=True)
    x = c.shape(0)
    if mode == "reflect" and pads is not None and x is not None:
        axes = axes if axes is not None else range(len(x))
        for i, a in enumerate(axes):
            size = x[a]
            if size is not None and max(pads[i], pads[len(axes) + i]) >= size:
                c.fail(f"reflect padding {pads[i]}, {pads[len(axes) + i]} of axis {a} "
                       f"must be smaller than its size {size}")
    value = c.const(2)
    if value is not None and value.size != 1:
        c.fail(f"input 2 (constant_value) has {value.size} values, expected one")


@op_check("Cast")
def check_cast(c):
    to = c.attr("to")
    if to not in TensorProto.DataType.values() or to == TensorProto.UNDEFINED:
        c.fail(f"attribute 'to' ({to}) is not an ONNX element type")


@op_check("Clip")
def check_clip(c):
    if c.opset < 11:
        low, high = c.attr("min"), c.attr("max")
    else:
        low, high = c.const(1), c.const(2)
        for i, name, v in ((1, "min", low), (2, "max", high)):
            if v is not None and v.size != 1:
                c.fail(f"input {i} ({name}) has {v.size} values, expected one")
        low = None if low is None else float(low.reshape(-1)[0])
        high = None if high is None else float(high.reshape(-1)[0])
    if any(v is not None and math.isnan(v) for v in (low, high)):
        c.fail(f"the bounds [{low}, {high}] are not numbers")
    if low is not None and high is not None and low > high:
        c.fail(f"min {low} exceeds max {high}")


@op_check("Gelu")
def check_gelu(c):
    approximate = c.attr("approximate", b"none")
    approximate = approximate.decode(errors="replace") \
        if isinstance(approximate, bytes) else approximate
    if approximate not in ("none", "tanh"):
        c.fail(f"attribute 'approximate' is '{approximate}', expected none or tanh")


@op_check("GridSample")
def check_grid_sample(c):
    def text(name, default):
        value = c.attr(name, default)
        return value.decode(errors="replace") if isinstance(value, bytes) else value
    modes = ("linear", "nearest", "cubic") if c.opset >= 20 else \
        ("bilinear", "nearest", "bicubic")
    for name, allowed in (("mode", modes), ("padding_mode", ("zeros", "border", "reflection"))):
        value = text(name, allowed[0])
        if value not in allowed:
            c.fail(f"attribute '{name}' is '{value}', expected one of {', '.join(allowed)}")
    c.flag("align_corners")
    x, grid = c.shape(0), c.shape(1)
    if x is not None and grid is not None and (
            len(grid) != len(x) or grid[-1] not in (None, len(x) - 2)):
        c.fail(f"input 1 (grid) has shape {grid}, expected rank {len(x)} ending in "
               f"{len(x) - 2} for input 0 (X) of shape {x}")


@op_check("LRN")
def check_lrn(c):
    size = c.attr("size")
    if size is not None:
        c.ints("attribute 'size'", [size], positive=True, window=True)


@op_check("Dropout")
def check_dropout(c):
    ratio = c.attr("ratio") if c.opset < 12 else c.const(1)
    if ratio is not None:
        ratio = float(np.asarray(ratio).reshape(-1)[0])
        if not 0 <= ratio < 1:
            c.fail(f"ratio {ratio} is outside [0, 1)")


@op_check("QuantizeLinear", "DequantizeLinear")
def check_quantize(c):
    scale, zero_point = c.const(1), c.const(2)
    if scale is None:
        return
    if scale.dtype.kind != "f":
        c.fail(f"input 1 (scale) has element type {scale.dtype}, expected a float")
    if scale.size == 0 or not np.isfinite(scale).all() or (scale <= 0).any():
        c.fail("input 1 (scale) must be finite and positive")
    # onnxruntime's quantizer writes a [1] scale with a scalar zero point.
    if zero_point is not None and zero_point.shape != scale.shape and \
            not (zero_point.size == 1 and scale.size == 1):
        c.fail(f"input 2 (zero_point) has shape {list(zero_point.shape)}, input 1 "
               f"(scale) {list(scale.shape)}")
    if scale.size > 1:
        if scale.ndim != 1:
            c.fail(f"input 1 (scale) has rank {scale.ndim}, expected 0 or 1")
        shape = c.shape(0)
        axis = c.axis("attribute 'axis'", c.attr("axis", 1),
                      None if shape is None else len(shape))
        if shape is not None and shape[axis] is not None and shape[axis] != scale.size:
            c.fail(f"input 1 (scale) has {scale.size} values, axis {axis} of "
                   f"input 0 has size {shape[axis]}")


@op_check("ConstantOfShape")
def check_constant_of_shape(c):
    shape = c.const(0)
    if shape is not None and (shape.ndim != 1 or (shape < 0).any()):
        c.fail(f"input 0 (shape) {shape.tolist()} is not a list of sizes")
    value = c.attr("value")
    if value is not None and np.prod(list(value.dims), dtype=np.int64) != 1:
        c.fail("attribute 'value' must hold one element")


@op_check("Range")
def check_range(c):
    delta = c.const(2)
    if delta is not None and delta.size == 1 and delta.reshape(-1)[0] == 0:
        c.fail("input 2 (delta) is zero")


def _graph_attr(c, name):
    for a in c.node.attribute:
        if a.name == name and a.type == AttributeProto.GRAPH:
            return a.g
    return None


def _one_element(c, i, what):
    shape = c.shape(i)
    if shape is not None and any(d is not None and d != 1 for d in shape):
        c.fail(f"input {i} ({what}) has shape {shape}, expected one element")


@op_check("If")
def check_if(c):
    _one_element(c, 0, "cond")
    for name in ("then_branch", "else_branch"):
        g = _graph_attr(c, name)
        if g is not None and len(g.output) != len(c.node.output):
            c.fail(f"attribute '{name}' has {len(g.output)} outputs, the node "
                   f"{len(c.node.output)}")


@op_check("Loop")
def check_loop(c):
    for i, what in ((0, "M"), (1, "cond")):
        if c.input(i) is not None:
            _one_element(c, i, what)
    body = _graph_attr(c, "body")
    if body is None:
        return
    carried = len(c.node.input) - 2
    if len(body.input) != 2 + carried:
        c.fail(f"the body has {len(body.input)} inputs, expected {2 + carried} "
               "(iteration number, condition and the loop-carried values)")
    if len(body.output) < 1 + carried:
        c.fail(f"the body has {len(body.output)} outputs, expected at least "
               f"{1 + carried} (condition and the loop-carried values)")
    if len(c.node.output) != len(body.output) - 1:
        c.fail(f"the node has {len(c.node.output)} outputs, the body "
               f"{len(body.output) - 1} besides the condition")


_RNN_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
_RNN_ACTIVATIONS = {"RNN": 1, "GRU": 2, "LSTM": 3}
# ops/recurrent.py composes these.
_RNN_SUPPORTED = {"sigmoid", "tanh", "relu", "affine", "leakyrelu", "thresholdedrelu",
                  "scaledtanh", "hardsigmoid", "elu", "softsign", "softplus"}


@op_check("RNN", "GRU", "LSTM")
def check_recurrent(c):
    op = c.node.op_type
    for name in ("layout", "linear_before_reset", "input_forget"):
        c.flag(name)
    direction = c.attr("direction", b"forward")
    direction = direction.decode(errors="replace") if isinstance(direction, bytes) \
        else direction
    if direction not in ("forward", "reverse", "bidirectional"):
        c.fail(f"attribute 'direction' is '{direction}', expected forward, reverse or "
               "bidirectional")
    dirs = 2 if direction == "bidirectional" else 1
    hidden = c.attr("hidden_size")
    if hidden is not None and hidden <= 0:
        c.fail(f"attribute 'hidden_size' must be positive, got {hidden}")
    clip = c.attr("clip")
    if clip is not None and not clip > 0:
        c.fail(f"attribute 'clip' must be positive, got {clip}")
    names = c.attr("activations")
    if names is not None:
        names = [n.decode(errors="replace") if isinstance(n, bytes) else n for n in names]
        per = _RNN_ACTIVATIONS[op]
        if len(names) not in (per * dirs, per):
            c.fail(f"attribute 'activations' has {len(names)} values, expected "
                   f"{per * dirs} ({per} per direction)")
        for n in names:
            if n.lower() not in _RNN_SUPPORTED:
                raise Unsupported(f"{c.label}: activation '{n}' is not supported "
                                  "(supported: Sigmoid, Tanh, Relu, Affine, LeakyRelu, "
                                  "ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, "
                                  "Softsign, Softplus)")
    gates = _RNN_GATES[op]
    layout = c.attr("layout", 0)
    x, w, r, b = c.shape(0), c.shape(1), c.shape(2), c.shape(3)
    for i, name, s in ((0, "X", x), (1, "W", w), (2, "R", r)):
        if s is not None and len(s) != 3:
            c.fail(f"input {i} ({name}) has rank {len(s)}, expected 3")
    if hidden is None and w is not None and w[1] is not None:
        hidden = w[1] // gates
    batch = None if x is None else x[0 if layout else 1]
    size = None if x is None else x[2]

    def expect(i, name, shape, want):
        if shape is None:
            return
        if len(shape) != len(want) or any(known(s, v) and s != v
                                          for s, v in zip(shape, want)):
            c.fail(f"input {i} ({name}) has shape {shape}, expected "
                   f"{['?' if v is None else v for v in want]}")
    G = None if hidden is None else gates * hidden
    expect(1, "W", w, [dirs, G, size])
    expect(2, "R", r, [dirs, G, hidden])
    expect(3, "B", b, [dirs, None if G is None else 2 * G])
    expect(4, "sequence_lens", c.shape(4), [batch])
    state = [batch, dirs, hidden] if layout else [dirs, batch, hidden]
    expect(5, "initial_h", c.shape(5), state)
    if op == "LSTM":
        expect(6, "initial_c", c.shape(6), state)
        expect(7, "P", c.shape(7), [dirs, None if hidden is None else 3 * hidden])
    lens = c.const(4)
    seq = None if x is None else x[1 if layout else 0]
    if lens is not None and lens.size and (lens.min() < 0 or (
            seq is not None and lens.max() > seq)):
        c.fail(f"input 4 (sequence_lens) {lens.tolist()} has values outside "
               f"[0, {'?' if seq is None else seq}]")
