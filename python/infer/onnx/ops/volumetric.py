"""3-D convolution and pooling (Conv, MaxPool, AveragePool and ConvTranspose
over [N, C, D, H, W]), decomposed at import into the dialect's 2-D ops so that
the tiling and fusion of infer.conv2d / infer.max_pool / infer.avg_pool apply.

The depth axis is padded (infer.pad: zeros for Conv and AveragePool, -inf
for MaxPool) and moved next to the batch ([N, D, C, H, W]); for each depth
tap kd the planes kd*dd, kd*dd + sd, ... (one per output depth) are sliced
out and folded into the batch ([N*OD, C, H, W]), where a 2-D op with the
node's H/W window, strides, dilations and pads does the work. The KD results
are combined (sum for Conv and AveragePool, max for MaxPool) and the output
is moved back to [N, F, OD, OH, OW]. Conv takes the depth tap's weight plane
w[:, :, kd] (sliced here when the weight is a constant) and the bias on the
first tap only. AveragePool divides the sum of the per-plane averages by the
number of depth taps each output plane counts (all of them with
count_include_pad, the ones inside the input without), which gives the exact
3-D average since a window's element count is the product of its per-axis
counts.

ConvTranspose works the other way round (see convert_conv_transpose3d).
The channel and spatial sizes must be static; the batch may be dynamic.
Called by the Conv and pooling converters of nn.py and the ConvTranspose
converter of resample.py for 3 spatial axes.
"""
import numpy as np

from infer.onnx.errors import Unsupported
from infer.onnx.ops.nn import conv_pads, pool_output_size
from infer.onnx.ops.registry import FLOATS, array_attr, f32_attr, flt, tensor_type

# The lowest f32 (-inf), the padding of MaxPool's depth axis; f32_attr
# rejects non-finite values, MLIR parses the bit pattern.
NEG_INF_F32 = "0xFF800000 : f32"


def _static_dims(imp, node, shape, what):
    if len(shape) != 5 or any(d is None for d in shape[1:]):
        dims = "x".join("?" if d is None else str(d) for d in shape)
        raise imp.fail(node, f"3-D {what} needs static channel and spatial sizes "
                       f"(only the batch may be dynamic); input 0 is {dims} (fix the "
                       "sizes with --input-shape)", Unsupported)


def _mul(a, b):
    return None if a is None or b is None else a * b


def _fold_depth(imp, node, x, elem, shape, pad_begin, pad_end, pad_value):
    """x [N, C, D, H, W] (a name) -> ((ssa, type), [N, Dp, C, H, W]): the
    depth axis padded by pad_begin/pad_end with `pad_value` (an f32
    attribute) and moved next to the batch."""
    n, c, d, h, w = shape
    moved = [n, d, c, h, w]
    t = tensor_type(elem, moved)
    value = (imp.emit("infer.transpose", [x], t, "perm = array<i64: 0, 2, 1, 3, 4>",
                      node), t)
    if pad_begin or pad_end:
        moved = [n, d + pad_begin + pad_end, c, h, w]
        t = tensor_type(elem, moved)
        pads = [0, pad_begin, 0, 0, 0, 0, pad_end, 0, 0, 0]
        value = (imp.emit("infer.pad", [value], t,
                          f'pads = {array_attr(pads)}, mode = "constant", '
                          f"value = {pad_value}", node), t)
    return value, moved


def _planes(imp, node, folded, elem, moved, start, stride, count):
    """The `count` depth planes start, start + stride, ... of `folded`
    ([N, Dp, C, H, W]) as a batch of 2-D images [N*count, C, H, W]."""
    n, dp, c, h, w = moved
    value = folded
    if start != 0 or stride != 1 or count != dp:
        t = tensor_type(elem, [n, count, c, h, w])
        end = start + (count - 1) * stride + 1
        value = (imp.emit("infer.slice", [value], t,
                          f"starts = {array_attr([start])}, ends = {array_attr([end])}, "
                          f"axes = array<i64: 1>, steps = {array_attr([stride])}",
                          node), t)
    t = tensor_type(elem, [_mul(n, count), c, h, w])
    return (imp.emit("infer.reshape", [value], t,
                     f"shape = {array_attr([-1, c, h, w])}", node), t)


def _unfold_depth(imp, node, value, elem, n, od, f, oh, ow):
    """[N*OD, F, OH, OW] -> [N, F, OD, OH, OW] (the ssa)."""
    t5 = tensor_type(elem, [n, od, f, oh, ow])
    r = (imp.emit("infer.reshape", [value], t5,
                  f"shape = {array_attr([-1, od, f, oh, ow])}", node), t5)
    return imp.emit("infer.transpose", [r], tensor_type(elem, [n, f, od, oh, ow]),
                    "perm = array<i64: 0, 2, 1, 3, 4>", node)


def _constant(imp, node, tag, array):
    """A constant computed here, as an (ssa, type) operand."""
    key = f"{node.output[0]}::{tag}"
    imp.consts[key] = np.ascontiguousarray(array)
    elem, shape = imp.type_of(key, node)
    return imp.value(key, node), tensor_type(elem, shape)


def _check_out(imp, node, computed):
    """The output type ONNX inferred, if any, must agree with ours."""
    if node.output[0] not in imp.types:
        return
    declared = imp.types[node.output[0]][1]
    if len(declared) == 5 and any(a is not None and b is not None and a != b
                                  for a, b in zip(declared, computed)):
        raise imp.fail(node, f"output shape {computed} does not match the inferred "
                       f"{declared}")


def _window_size(size, k, s, d, begin, end, ceil_mode=False):
    if ceil_mode:
        return pool_output_size(size, k, s, begin, end, d)
    return (size + begin + end - ((k - 1) * d + 1)) // s + 1


def convert_conv3d(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    _static_dims(imp, node, shape, "convolution")
    w_shape = imp.type_of(node.input[1], node)[1]
    if len(w_shape) != 5 or any(d is None for d in w_shape):
        raise imp.fail(node, "3-D convolution needs a static weight shape", Unsupported)
    kernel = list(imp.attr(node, "kernel_shape", w_shape[2:]))
    strides = list(imp.attr(node, "strides", [1] * 3))
    dilations = list(imp.attr(node, "dilations", [1] * 3))
    pads = conv_pads(imp, node, shape, kernel, strides, dilations)
    group = imp.attr(node, "group", 1)
    n, c, d, h, w = shape
    f = w_shape[0]
    sizes = [_window_size(size, kernel[i], strides[i], dilations[i], pads[i], pads[3 + i])
             for i, size in enumerate((d, h, w))]
    od, oh, ow = sizes
    out_shape = [n, f, od, oh, ow]
    _check_out(imp, node, out_shape)

    folded, moved = _fold_depth(imp, node, node.input[0], elem, shape, pads[0], pads[3],
                                f32_attr(0.0))
    plane_t = tensor_type(elem, [_mul(n, od), f, oh, ow])
    attrs = (f"strides = {array_attr(strides[1:])}, "
             f"pads = {array_attr([pads[1], pads[2], pads[4], pads[5]])}, "
             f"dilations = {array_attr(dilations[1:])}, group = {group} : i64")
    total = None
    for kd in range(kernel[0]):
        x_k = _planes(imp, node, folded, elem, moved, kd * dilations[0], strides[0], od)
        w_k = _weight_plane(imp, node, kd)
        operands = [x_k, w_k]
        if kd == 0 and imp.input(node, 2):
            operands.append(node.input[2])
        y_k = (imp.emit("infer.conv2d", operands, plane_t, attrs, node), plane_t)
        total = y_k if total is None else \
            (imp.emit("infer.add", [total, y_k], plane_t, node=node), plane_t)
    ssa = _unfold_depth(imp, node, total, elem, n, od, f, oh, ow)
    imp.bind(node.output[0], ssa, (elem, out_shape))


def convert_pool3d(imp, node):
    """MaxPool and AveragePool over three spatial axes (the indices output of
    MaxPool is refused by nn.py's converter before it gets here)."""
    is_max = node.op_type == "MaxPool"
    elem, shape = imp.type_of(node.input[0], node)
    _static_dims(imp, node, shape, "pooling")
    kernel = list(imp.attr(node, "kernel_shape"))
    strides = list(imp.attr(node, "strides", [1] * 3))
    dilations = list(imp.attr(node, "dilations", [1] * 3))
    if imp.attr(node, "storage_order", 0):
        raise imp.fail(node, "storage_order 1 is not supported")
    if not is_max and any(dl != 1 for dl in dilations[1:]):
        raise imp.fail(node, "dilated average pooling is not supported (over H and W)")
    if not is_max and elem not in FLOATS:
        raise imp.fail(node, f"average pooling of {elem} is not supported")
    ceil_mode = bool(imp.attr(node, "ceil_mode", 0))
    include_pad = bool(imp.attr(node, "count_include_pad", 0))
    pads = conv_pads(imp, node, shape, kernel, strides, dilations)
    n, c, d, h, w = shape
    od, oh, ow = [_window_size(size, kernel[i], strides[i], dilations[i], pads[i],
                               pads[3 + i], ceil_mode)
                  for i, size in enumerate((d, h, w))]
    out_shape = [n, c, od, oh, ow]
    if not ceil_mode:  # ONNX's inference lacks the ceil rule (see nn.py)
        _check_out(imp, node, out_shape)

    # In ceil mode the last windows may reach past the end padding: pad the
    # depth axis so that every tap's planes exist (they count as nothing).
    reach = (od - 1) * strides[0] + (kernel[0] - 1) * dilations[0] + 1
    extra = max(reach - (d + pads[0] + pads[3]), 0)
    if is_max:
        if elem in FLOATS:
            pad_value = NEG_INF_F32
        else:
            pad_value = f"{flt(float(np.iinfo(elem.replace('i', 'int')).min))} : f32"
    else:
        pad_value = f32_attr(0.0)
    folded, moved = _fold_depth(imp, node, node.input[0], elem, shape, pads[0],
                                pads[3] + extra, pad_value)
    attrs = [f"kernel_shape = {array_attr(kernel[1:])}",
             f"strides = {array_attr(strides[1:])}",
             f"pads = {array_attr([pads[1], pads[2], pads[4], pads[5]])}"]
    if ceil_mode:
        attrs.append("ceil_mode = true")
    if is_max:
        attrs.append(f"dilations = {array_attr(dilations[1:])}")
        op, combine = "infer.max_pool", "infer.max"
    else:
        op, combine = "infer.avg_pool", "infer.add"
        if include_pad:
            attrs.append("count_include_pad = true")
    plane_t = tensor_type(elem, [_mul(n, od), c, oh, ow])
    total = None
    for kd in range(kernel[0]):
        x_k = _planes(imp, node, folded, elem, moved, kd * dilations[0], strides[0], od)
        y_k = (imp.emit(op, [x_k], plane_t, ", ".join(attrs), node), plane_t)
        total = y_k if total is None else \
            (imp.emit(combine, [total, y_k], plane_t, node=node), plane_t)
    t5 = tensor_type(elem, [n, od, c, oh, ow])
    total = (imp.emit("infer.reshape", [total], t5,
                      f"shape = {array_attr([-1, od, c, oh, ow])}", node), t5)
    if not is_max:
        # Divide by the depth taps each output plane counts: those inside
        # the padded input (count_include_pad) or inside the input.
        low, high = (-pads[0], d + pads[3]) if include_pad else (0, d)
        counts = np.array([sum(low <= o * strides[0] - pads[0] + k * dilations[0] < high
                               for k in range(kernel[0])) for o in range(od)],
                          dtype=np.float64)
        if (counts == counts[0]).all():
            counts, count_shape = counts[:1].reshape(()), []
        else:
            counts, count_shape = counts.reshape(od, 1, 1, 1), [od, 1, 1, 1]
        ct = tensor_type(elem, count_shape)
        divisor = imp.fresh()
        imp.lines.append(f"  {divisor} = infer.constant dense<"
                         f"{imp.literal(counts, elem)}> : {ct}")
        total = (imp.emit("infer.div", [total, (divisor, ct)], t5, node=node), t5)
    ssa = imp.emit("infer.transpose", [total], tensor_type(elem, out_shape),
                   "perm = array<i64: 0, 2, 1, 3, 4>", node)
    imp.bind(node.output[0], ssa, (elem, out_shape))


def _weight_plane(imp, node, kd):
    """Depth tap kd of the weight [A, B, KD, KH, KW] as [A, B, KH, KW]:
    sliced here for a constant weight, by infer.gather otherwise (a gather,
    not slice + squeeze: at -O2 infer.conv_transpose reads a weight that is
    a strided slice of another tensor wrongly)."""
    w_name = node.input[1]
    w_elem, w_shape = imp.type_of(w_name, node)
    weights = imp.consts.get(w_name)
    if weights is not None:
        return _constant(imp, node, f"w{kd}", np.asarray(weights)[:, :, kd])
    index = imp.fresh()
    imp.lines.append(f"  {index} = infer.constant dense<{kd}> : tensor<i64>")
    wt = tensor_type(w_elem, w_shape[:2] + w_shape[3:])
    return imp.emit("infer.gather", [w_name, (index, "tensor<i64>")], wt,
                    "axis = 2 : i64", node), wt


def convert_conv_transpose3d(imp, node):
    """ConvTranspose over [N, C, D, H, W]: the depth planes fold into the
    batch ([N*D, C, H, W]); for each depth tap kd an infer.conv_transpose
    with the weight plane w[:, :, kd] and the H/W attributes gives every
    input plane's contribution, which lands at depth i*sd + kd*dd of the
    uncropped output: spread by sd (zeros between the planes, an inserted
    axis padded and folded back) and shifted by kd*dd (infer.pad). The taps
    are summed, the depth pads cropped (infer.slice), the output moved back
    to [N, F, OD, OH, OW] and the bias added."""
    elem, shape = imp.type_of(node.input[0], node)
    _static_dims(imp, node, shape, "transposed convolution")
    w_shape = imp.type_of(node.input[1], node)[1]
    if len(w_shape) != 5 or any(d is None for d in w_shape):
        raise imp.fail(node, "the weight shape must be static")
    kernel = list(imp.attr(node, "kernel_shape", w_shape[2:]))
    strides = list(imp.attr(node, "strides", [1] * 3))
    dilations = list(imp.attr(node, "dilations", [1] * 3))
    output_padding = list(imp.attr(node, "output_padding", [0] * 3))
    group = imp.attr(node, "group", 1)
    auto_pad = imp.attr(node, "auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
    output_shape = imp.attr(node, "output_shape", None)
    pads = list(imp.attr(node, "pads", [0] * 6))
    n, c, d, h, w = shape
    if output_shape is not None or auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        # The total padding that gives the target size (extra zeros at the
        # end where the kernel falls short), split as ONNX defines it: the
        # smaller half first for SAME_UPPER, the larger one otherwise
        # (SAME_LOWER, and NOTSET with output_shape), as onnxruntime does.
        target = list(output_shape)[-3:] if output_shape is not None else \
            [s * st for s, st in zip(shape[2:], strides)]
        begins, ends = [], []
        for i in range(3):
            total = (strides[i] * (shape[2 + i] - 1) + output_padding[i]
                     + (kernel[i] - 1) * dilations[i] + 1 - target[i])
            if total < 0:
                output_padding[i] -= total
                total = 0
            half = total // 2
            begins.append(half if auto_pad == "SAME_UPPER" else total - half)
            ends.append(total - half if auto_pad == "SAME_UPPER" else half)
        pads = begins + ends
    elif auto_pad == "VALID":
        pads = [0] * 6
    f = w_shape[1] * group
    full = [strides[i] * (size - 1) + output_padding[i] + (kernel[i] - 1) * dilations[i] + 1
            for i, size in enumerate((d, h, w))]
    od, oh, ow = [full[i] - pads[i] - pads[3 + i] for i in range(3)]
    out_shape = [n, f, od, oh, ow]
    _check_out(imp, node, out_shape)

    folded, moved = _fold_depth(imp, node, node.input[0], elem, shape, 0, 0, "")
    x = _planes(imp, node, folded, elem, moved, 0, 1, d)
    attrs = (f"strides = {array_attr(strides[1:])}, "
             f"pads = {array_attr([pads[1], pads[2], pads[4], pads[5]])}, "
             f"dilations = {array_attr(dilations[1:])}, "
             f"output_padding = {array_attr(output_padding[1:])}, group = {group} : i64")
    m = f * oh * ow
    spread = (d - 1) * strides[0] + 1
    depth_t = tensor_type(elem, [n, full[0], m])
    total = None
    for kd in range(kernel[0]):
        plane_t = tensor_type(elem, [_mul(n, d), f, oh, ow])
        y = (imp.emit("infer.conv_transpose", [x, _weight_plane(imp, node, kd)], plane_t,
                      attrs, node), plane_t)
        if strides[0] > 1:
            t = tensor_type(elem, [n, d, 1, m])
            y = (imp.emit("infer.reshape", [y], t, f"shape = {array_attr([-1, d, 1, m])}",
                          node), t)
            t = tensor_type(elem, [n, d, strides[0], m])
            y = (imp.emit("infer.pad", [y], t,
                          f"pads = {array_attr([0, 0, 0, 0, 0, 0, strides[0] - 1, 0])}, "
                          f'mode = "constant", value = {f32_attr(0.0)}', node), t)
            t = tensor_type(elem, [n, d * strides[0], m])
            y = (imp.emit("infer.reshape", [y], t,
                          f"shape = {array_attr([-1, d * strides[0], m])}", node), t)
            t = tensor_type(elem, [n, spread, m])
            y = (imp.emit("infer.slice", [y], t,
                          f"starts = array<i64: 0>, ends = {array_attr([spread])}, "
                          "axes = array<i64: 1>", node), t)
        else:
            t = tensor_type(elem, [n, d, m])
            y = (imp.emit("infer.reshape", [y], t, f"shape = {array_attr([-1, d, m])}",
                          node), t)
        begin = kd * dilations[0]
        end = full[0] - begin - spread
        if begin or end:
            y = (imp.emit("infer.pad", [y], depth_t,
                          f"pads = {array_attr([0, begin, 0, 0, end, 0])}, "
                          f'mode = "constant", value = {f32_attr(0.0)}', node), depth_t)
        total = y if total is None else \
            (imp.emit("infer.add", [total, y], depth_t, node=node), depth_t)
    if pads[0] or pads[3]:
        t = tensor_type(elem, [n, od, m])
        total = (imp.emit("infer.slice", [total], t,
                          f"starts = {array_attr([pads[0]])}, "
                          f"ends = {array_attr([full[0] - pads[3]])}, "
                          "axes = array<i64: 1>", node), t)
    t5 = tensor_type(elem, [n, od, f, oh, ow])
    total = (imp.emit("infer.reshape", [total], t5,
                      f"shape = {array_attr([-1, od, f, oh, ow])}", node), t5)
    out_t = tensor_type(elem, out_shape)
    ssa = imp.emit("infer.transpose", [total], out_t, "perm = array<i64: 0, 2, 1, 3, 4>",
                   node)
    if imp.input(node, 2):
        bt = tensor_type(elem, [f, 1, 1, 1])
        b = (imp.emit("infer.reshape", [node.input[2]], bt,
                      f"shape = {array_attr([f, 1, 1, 1])}", node), bt)
        ssa = imp.emit("infer.add", [(ssa, out_t), b], out_t, node=node)
    imp.bind(node.output[0], ssa, (elem, out_shape))
