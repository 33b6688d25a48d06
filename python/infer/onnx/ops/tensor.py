"""Converters of ops that move, select or retype data: Identity, Dropout
(inference), Reshape, Flatten, Transpose, Concat, Slice, Pad, Gather,
Squeeze, Unsqueeze, Expand, Cast. Operands that became inputs at some
opset (Reshape's shape, Slice's starts..., Pad's pads, Squeeze's axes)
have one registration for the attribute form and one for the input form."""
import numpy as np

from infer.onnx.errors import Unsupported
from infer.onnx.ops.quantized import is_raw, raw_to
from infer.onnx.ops.registry import (ELEMENT_TYPES, INT64_MAX, array_attr, converter,
                                     f32_attr, simple, tensor_type)


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


def emit_reshape(imp, node, shape):
    if imp.attr(node, "allowzero", 0) and (shape == 0).any():
        raise imp.fail(node, "allowzero with zero-sized dimensions is not supported")
    simple(imp, node, "infer.reshape", f"shape = {array_attr(shape.reshape(-1))}",
           operands=[node.input[0]])


@converter("Reshape")
def convert_reshape_attr(imp, node):
    """Reshape-1: the shape is an attribute."""
    emit_reshape(imp, node, np.array(imp.attr(node, "shape")))


@converter("Reshape", since=5)
def convert_reshape(imp, node):
    """Reshape-5 on: the shape is input 1, a constant or computed at run
    time (infer.dynamic_reshape)."""
    if node.input[1] in imp.consts:
        emit_reshape(imp, node, imp.const_input(node, 1, "shape"))
        return
    shape_elem, shape_shape = imp.type_of(node.input[1], node)
    if len(shape_shape) != 1 or shape_shape[0] is None or shape_elem != "i64":
        raise imp.fail(node, "a shape computed at run time must be a 1-D i64 tensor "
                       "of static length")
    in_shape = imp.type_of(node.input[0], node)[1]
    out_elem, out_shape = imp.out_type(node)
    if None not in in_shape and None not in out_shape and \
            int(np.prod(in_shape)) != int(np.prod(out_shape)):
        raise imp.fail(node, f"the output is declared {out_shape} ("
                       f"{int(np.prod(out_shape))} elements) but the input "
                       f"{in_shape} has {int(np.prod(in_shape))}")
    allowzero = "true" if imp.attr(node, "allowzero", 0) else "false"
    simple(imp, node, "infer.dynamic_reshape", f"allowzero = {allowzero}",
           operands=[node.input[0], node.input[1]])


@converter("Shape")
def convert_shape(imp, node):
    """Shape of a tensor with dynamic dimensions (static ones fold at import):
    read at run time."""
    start, end = imp.attr(node, "start", 0), imp.attr(node, "end", None)
    attrs = f"start = {start} : i64" + ("" if end is None else f", end = {end} : i64")
    simple(imp, node, "infer.shape", attrs, operands=[node.input[0]])


@converter("Size")
def convert_size(imp, node):
    """Element count of a tensor with dynamic dimensions, at run time."""
    rank = len(imp.type_of(node.input[0], node)[1])
    t = tensor_type("i64", [rank])
    dims = imp.emit("infer.shape", [node.input[0]], t, "start = 0 : i64", node)
    simple(imp, node, "infer.reduce_prod", "keepdims = false", operands=[(dims, t)])


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


def emit_slice(imp, node, starts, ends, axes, steps):
    clamp = lambda v: max(min(int(v), INT64_MAX), -INT64_MAX - 1)  # noqa: E731
    attrs = [f"starts = {array_attr([clamp(s) for s in starts])}",
             f"ends = {array_attr([clamp(e) for e in ends])}"]
    if axes is not None:
        attrs.append(f"axes = {array_attr(axes)}")
    if steps is not None:
        attrs.append(f"steps = {array_attr(steps)}")
    simple(imp, node, "infer.slice", ", ".join(attrs), operands=[node.input[0]])


@converter("Slice")
def convert_slice_attrs(imp, node):
    """Slice-1: starts, ends and axes are attributes; no steps."""
    emit_slice(imp, node, imp.attr(node, "starts"), imp.attr(node, "ends"),
               imp.attr(node, "axes"), None)


@converter("Slice", since=10)
def convert_slice(imp, node):
    """Slice-10 on: starts, ends, axes and steps are inputs, constants here."""
    axes = imp.const_input(node, 3, "axes")
    steps = imp.const_input(node, 4, "steps")
    emit_slice(imp, node, imp.const_input(node, 1, "starts").tolist(),
               imp.const_input(node, 2, "ends").tolist(),
               None if axes is None else axes.tolist(),
               None if steps is None else steps.tolist())


def emit_pad(imp, node, pads, value):
    mode = imp.attr(node, "mode", b"constant")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    if any(p < 0 for p in pads):
        raise imp.fail(node, "negative pads (cropping) are not supported")
    if mode not in ("constant", "reflect", "edge"):
        raise imp.fail(node, f"mode '{mode}' is not supported")
    simple(imp, node, "infer.pad", f'pads = {array_attr(pads)}, mode = "{mode}", '
           f"value = {f32_attr(value)}", operands=[node.input[0]])


@converter("Pad")
def convert_pad_attrs(imp, node):
    """Pad-1 and -2: pads (`paddings` in Pad-1) and value are attributes."""
    emit_pad(imp, node, list(imp.attr(node, "pads", imp.attr(node, "paddings", []))),
             imp.attr(node, "value", 0.0))


@converter("Pad", since=11)
def convert_pad(imp, node):
    """Pad-11 on: pads, constant_value and (18 on) axes are inputs."""
    rank = len(imp.type_of(node.input[0], node)[1])
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
    emit_pad(imp, node, pads, value)


@converter("Gather")
def convert_gather(imp, node):
    if imp.type_of(node.input[1], node)[0] not in ("i32", "i64"):
        raise imp.fail(node, "indices must be int32 or int64")
    simple(imp, node, "infer.gather", f"axis = {imp.attr(node, 'axis', 0)} : i64")


SQUEEZE_OPS = {"Squeeze": "infer.squeeze", "Unsqueeze": "infer.unsqueeze"}


@converter(*SQUEEZE_OPS)
def convert_squeeze_attr(imp, node):
    """Squeeze and Unsqueeze before opset 13: `axes` is an attribute."""
    simple(imp, node, SQUEEZE_OPS[node.op_type],
           f"axes = {array_attr(imp.attr(node, 'axes', []))}", operands=[node.input[0]])


@converter(*SQUEEZE_OPS, since=13)
def convert_squeeze(imp, node):
    """Opset 13 on: `axes` is an optional input, a constant here."""
    axes = imp.const_input(node, 1, "axes")
    axes = [] if axes is None else axes.reshape(-1).tolist()
    simple(imp, node, SQUEEZE_OPS[node.op_type], f"axes = {array_attr(axes)}",
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
