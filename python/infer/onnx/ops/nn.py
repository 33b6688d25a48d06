"""Neural-network converters: Conv, MaxPool/AveragePool, GlobalAveragePool,
Gemm, MatMul, BatchNormalization, LayerNormalization, Softmax, LogSoftmax,
LRN.
1-D convolutions and pools are lifted to 2-D (an inserted axis of size 1);
3-D ones are decomposed into 2-D ops by ops/volumetric.py."""
import numpy as np

from infer.onnx.errors import Unsupported
from infer.onnx.ops.registry import (FLOATS, array_attr, converter, f32_attr, flt,
                                     simple, tensor_type)


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
    if spatial == 3:
        # 3-D: decomposed into conv2d per depth tap (ops/volumetric.py).
        from infer.onnx.ops.volumetric import convert_conv3d
        return convert_conv3d(imp, node)
    if spatial not in (1, 2):
        raise imp.fail(node, f"{spatial}-D convolution is not supported (1-D, 2-D "
                       "and 3-D are)", Unsupported)
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
    if spatial == 3:
        # 3-D: decomposed into 2-D pools per depth tap (ops/volumetric.py).
        from infer.onnx.ops.volumetric import convert_pool3d
        return convert_pool3d(imp, node)
    if spatial not in (1, 2):
        raise imp.fail(node, f"{spatial}-D pooling is not supported (1-D, 2-D and "
                       "3-D are)", Unsupported)
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


SOFTMAX_OPS = {"Softmax": "infer.softmax", "LogSoftmax": "infer.log_softmax"}


@converter("Softmax", "LogSoftmax")
def convert_softmax_2d(imp, node):
    """Before opset 13 the input is coerced to 2-D at `axis` (default 1)."""
    op = SOFTMAX_OPS[node.op_type]
    elem, shape = imp.type_of(node.input[0], node)
    rank = len(shape)
    axis = imp.attr(node, "axis", 1)
    axis = axis + rank if axis < 0 else axis
    if axis == rank - 1:
        simple(imp, node, op, f"axis = {axis} : i64", unary=True)
        return

    def prod(dims):
        return None if any(d is None for d in dims) else int(np.prod(dims))
    flat = [prod(shape[:axis]), prod(shape[axis:])]
    ft = tensor_type(elem, flat)
    f = imp.emit("infer.flatten", [node.input[0]], ft, f"axis = {axis} : i64", node)
    s = imp.emit(op, [(f, ft)], ft, "axis = 1 : i64", node, unary=True)
    out = imp.emit("infer.reshape", [(s, ft)], tensor_type(elem, shape),
                   f"shape = {array_attr([d if d is not None else -1 for d in shape])}",
                   node)
    imp.bind(node.output[0], out, (elem, shape))


@converter("Softmax", "LogSoftmax", since=13)
def convert_softmax(imp, node):
    """Opset 13 on: (log-)softmax along `axis` (default -1) alone."""
    rank = len(imp.type_of(node.input[0], node)[1])
    axis = imp.attr(node, "axis", -1)
    axis = axis + rank if axis < 0 else axis
    simple(imp, node, SOFTMAX_OPS[node.op_type], f"axis = {axis} : i64", unary=True)


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
