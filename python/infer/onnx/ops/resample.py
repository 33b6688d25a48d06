"""Resampling and transposed convolution: Resize (opset 10, 11, 13, 18,
19), Upsample, ConvTranspose (1-D and 2-D). The output sizes and the
per-dimension scales are settled here, as ONNX defines them from `scales`
or `sizes` (with `axes` and `keep_aspect_ratio_policy`); the op keeps the
scales for its coordinate mapping and the result type has the sizes."""
import numpy as np

from infer.onnx.errors import Unsupported
from infer.onnx.ops.nn import lift_attrs, spatial_lift
from infer.onnx.ops.registry import (array_attr, converter, f32_attr, flt, mlir_string,
                                     tensor_type)


def _text(imp, node, name, default):
    value = imp.attr(node, name, default)
    return value.decode() if isinstance(value, bytes) else value


def _f32_array(values):
    return "array<f32: " + ", ".join(flt(float(np.float32(v))) for v in values) + ">"


def emit_resize(imp, node, scales, sizes, roi, mode, coordinates, nearest_mode):
    elem, shape = imp.type_of(node.input[0], node)
    rank = len(shape)
    if imp.attr(node, "antialias", 0) and mode != "nearest":
        raise imp.fail(node, "antialias is not supported", Unsupported)
    axes = imp.attr(node, "axes", None)
    axes = list(range(rank)) if axes is None else [a + rank if a < 0 else a for a in axes]
    policy = _text(imp, node, "keep_aspect_ratio_policy", "stretch")
    full_roi = None
    if roi is not None and roi.size:
        roi = [float(v) for v in roi.reshape(-1)]
        full_roi = [0.0] * rank + [1.0] * rank
        for i, d in enumerate(axes):
            full_roi[d], full_roi[rank + d] = roi[i], roi[len(axes) + i]
    if sizes is not None:
        sizes = [int(v) for v in sizes.reshape(-1)]
        if any(shape[d] is None for d in axes):
            raise imp.fail(node, "sizes need static input dimensions (fix them with "
                           "--input-shape)")
        ratios = [sizes[i] / shape[d] for i, d in enumerate(axes)]
        out = list(shape)
        factors = [1.0] * rank
        if policy in ("not_larger", "not_smaller"):
            scale = min(ratios) if policy == "not_larger" else max(ratios)
            for d in axes:
                factors[d] = scale
                out[d] = int(scale * shape[d] + 0.5)
        else:
            for i, d in enumerate(axes):
                factors[d] = ratios[i]
                out[d] = sizes[i]
    else:
        factors = [1.0] * rank
        for i, d in enumerate(axes):
            factors[d] = float(scales.reshape(-1)[i])
        if any(not f > 0 for f in factors):
            raise imp.fail(node, "scales must be positive")
        out = [None if s is None else int(np.floor(s * float(np.float32(f))))
               for s, f in zip(shape, factors)]
    attrs = [f"scales = {_f32_array(factors)}", f'mode = "{mlir_string(mode)}"',
             f'coordinate_transformation_mode = "{mlir_string(coordinates)}"',
             f'nearest_mode = "{mlir_string(nearest_mode)}"',
             f"cubic_coeff_a = {f32_attr(imp.attr(node, 'cubic_coeff_a', -0.75))}",
             "exclude_outside = " + ("true" if imp.attr(node, "exclude_outside", 0)
                                     else "false"),
             f"extrapolation_value = {f32_attr(imp.attr(node, 'extrapolation_value', 0.0))}"]
    if coordinates == "tf_crop_and_resize":
        if full_roi is None:
            raise imp.fail(node, "tf_crop_and_resize needs a roi")
        attrs.append(f"roi = {_f32_array(full_roi)}")
    out_type = tensor_type(elem, out)
    ssa = imp.emit("infer.resize", [node.input[0]], out_type, ", ".join(attrs), node)
    imp.bind(node.output[0], ssa, (elem, out))


@converter("Resize", since=10)
def convert_resize_10(imp, node):
    """Resize-10: scales only, asymmetric coordinates, nearest rounds down
    (as Upsample)."""
    mode = _text(imp, node, "mode", "nearest")
    scales = imp.const_input(node, 1, "scales")
    emit_resize(imp, node, scales, None, None, mode, "asymmetric", "floor")


@converter("Resize", since=11)
def convert_resize(imp, node):
    mode = _text(imp, node, "mode", "nearest")
    coordinates = _text(imp, node, "coordinate_transformation_mode", "half_pixel")
    nearest_mode = _text(imp, node, "nearest_mode", "round_prefer_floor")
    roi = imp.const_input(node, 1, "roi") if imp.input(node, 1) else None
    scales = imp.const_input(node, 2, "scales") if imp.input(node, 2) else None
    sizes = imp.const_input(node, 3, "sizes") if imp.input(node, 3) else None
    if scales is not None and scales.size == 0:
        scales = None
    if sizes is not None and sizes.size == 0:
        sizes = None
    if (scales is None) == (sizes is None):
        raise imp.fail(node, "exactly one of scales and sizes must be given")
    emit_resize(imp, node, scales, sizes, roi, mode, coordinates, nearest_mode)


@converter("Upsample")
def convert_upsample(imp, node):
    """Upsample-7 (scales attribute) and -9 (scales input): asymmetric,
    nearest rounding down."""
    mode = _text(imp, node, "mode", "nearest")
    scales = imp.attr(node, "scales", None)
    scales = np.array(scales, np.float32) if scales is not None else \
        imp.const_input(node, 1, "scales")
    emit_resize(imp, node, scales, None, None, mode, "asymmetric", "floor")


@converter("ConvTranspose")
def convert_conv_transpose(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    w_shape = imp.type_of(node.input[1], node)[1]
    spatial = len(shape) - 2
    if spatial == 3:
        # 3-D: decomposed into 2-D conv_transposes per depth tap (ops/volumetric.py).
        from infer.onnx.ops.volumetric import convert_conv_transpose3d
        return convert_conv_transpose3d(imp, node)
    if spatial not in (1, 2):
        raise imp.fail(node, f"{spatial}-D transposed convolution is not supported "
                       "(1-D, 2-D and 3-D are)", Unsupported)
    if any(d is None for d in w_shape):
        raise imp.fail(node, "the weight shape must be static")
    kernel = list(imp.attr(node, "kernel_shape", w_shape[2:]))
    strides = list(imp.attr(node, "strides", [1] * spatial))
    dilations = list(imp.attr(node, "dilations", [1] * spatial))
    output_padding = list(imp.attr(node, "output_padding", [0] * spatial))
    group = imp.attr(node, "group", 1)
    auto_pad = _text(imp, node, "auto_pad", "NOTSET")
    output_shape = imp.attr(node, "output_shape", None)
    pads = list(imp.attr(node, "pads", [0] * (2 * spatial)))
    if output_shape is not None or auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        if any(d is None for d in shape[2:]):
            raise imp.fail(node, "output_shape and auto_pad need static spatial sizes")
        target = list(output_shape)[-spatial:] if output_shape is not None else \
            [s * st for s, st in zip(shape[2:], strides)]
        begins, ends = [], []
        for i in range(spatial):
            total = (strides[i] * (shape[2 + i] - 1) + output_padding[i]
                     + (kernel[i] - 1) * dilations[i] + 1 - target[i])
            if total < 0:
                # A larger output than the kernel reaches: extra zeros at the end.
                output_padding[i] -= total
                total = 0
            # ONNX: SAME_UPPER puts the extra padding at the end, SAME_LOWER
            # and an explicit output_shape at the start.
            half = total // 2
            if auto_pad == "SAME_UPPER":
                begins.append(half)
                ends.append(total - half)
            else:
                begins.append(total - half)
                ends.append(half)
        pads = begins + ends
    elif auto_pad == "VALID":
        pads = [0] * (2 * spatial)
    one_d = spatial == 1
    if one_d:
        strides, dilations = lift_attrs(strides, True, 1), lift_attrs(dilations, True, 1)
        output_padding = lift_attrs(output_padding, True, 0)
        pads = [0, pads[0], 0, pads[1]]
    x, in_shape = spatial_lift(imp, node, node.input[0], 4)
    w, _ = spatial_lift(imp, node, node.input[1], 4)
    operands = [x, w] + ([node.input[2]] if imp.input(node, 2) else [])
    out = [in_shape[0], w_shape[1] * group]
    for i in range(2):
        size = in_shape[2 + i]
        k = ([1] + kernel if one_d else kernel)[i]
        out.append(None if size is None else
                   strides[i] * (size - 1) + output_padding[i] + (k - 1) * dilations[i]
                   + 1 - pads[i] - pads[2 + i])
    attrs = (f"strides = {array_attr(strides)}, pads = {array_attr(pads)}, "
             f"dilations = {array_attr(dilations)}, "
             f"output_padding = {array_attr(output_padding)}, group = {group} : i64")
    ssa = imp.emit("infer.conv_transpose", operands, tensor_type(elem, out), attrs, node)
    if one_d:
        squeezed = out[:2] + out[3:]
        ssa = imp.emit("infer.squeeze", [(ssa, tensor_type(elem, out))],
                       tensor_type(elem, squeezed), "axes = array<i64: 2>", node)
        out = squeezed
    imp.bind(node.output[0], ssa, (elem, out))
