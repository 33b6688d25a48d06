"""Constant folding: the folders (Constant, ConstantOfShape, Shape, Size),
FOLDABLE (ops evaluated on constant inputs with onnx.reference, the shape
arithmetic of exported models) and fold_numpy, which evaluates them."""
import math
import warnings

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from infer.onnx.errors import Unsupported
from infer.onnx.ops.registry import CONVERTERS, folder


@folder("Constant")
def fold_constant(imp, node, inputs):
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        if a.name == "value":
            return numpy_helper.to_array(v)
        if a.name in ("value_float", "value_int"):
            return np.array(v, np.float32 if a.name == "value_float" else np.int64)
        if a.name in ("value_floats", "value_ints"):
            return np.array(v, np.float32 if a.name == "value_floats" else np.int64)
    raise imp.fail(node, "unsupported Constant attribute")


@folder("ConstantOfShape")
def fold_constant_of_shape(imp, node, inputs):
    value = imp.attr(node, "value")
    fill = numpy_helper.to_array(value).reshape(-1)[0] if value is not None \
        else np.float32(0)
    # A zero-stride view: weights made by ConstantOfShape cost no memory.
    return np.broadcast_to(np.asarray(fill), inputs[0].astype(np.int64).tolist())


@folder("Shape")
def fold_shape(imp, node, inputs):
    shape = imp.type_of(node.input[0], node)[1]
    start, end = imp.attr(node, "start", 0), imp.attr(node, "end", None)
    shape = shape[start:end]
    if any(d is None for d in shape):
        return None
    return np.array(shape, np.int64)


@folder("Size")
def fold_size(imp, node, inputs):
    shape = imp.type_of(node.input[0], node)[1]
    return None if any(d is None for d in shape) else np.array(int(np.prod(shape)), np.int64)


# Folded values are materialized and written into the IR: shape arithmetic
# is far smaller than this; a bigger result stays an op, or is an error.
FOLD_MAX_ELEMENTS = 2 ** 24


def fold_numpy(imp, node, inputs):
    """Evaluates ops on constant inputs with ONNX's reference implementation;
    None for a result too large to fold that the dialect can compute."""
    from onnx.reference import ReferenceEvaluator
    if node.op_type in NUMPY_FOLDERS:
        return NUMPY_FOLDERS[node.op_type](imp, node, inputs)
    shape = imp.types.get(node.output[0], (None, None))[1] if len(node.output) else None
    if shape is not None and None not in shape and math.prod(shape) > FOLD_MAX_ELEMENTS:
        if node.op_type in CONVERTERS:
            return None
        raise imp.fail(node, f"evaluating it at import time would make "
                       f"{math.prod(shape)} elements (more than 2^24)")
    inner = helper.make_node(node.op_type, [f"i{i}" for i in range(len(inputs))],
                             [f"o{i}" for i in range(len(node.output))],
                             domain=node.domain)
    inner.attribute.extend(node.attribute)
    graph = helper.make_graph(
        [inner], "fold",
        [helper.make_tensor_value_info(f"i{i}", helper.np_dtype_to_tensor_dtype(a.dtype), a.shape)
         for i, a in enumerate(inputs)],
        [helper.make_tensor_value_info(f"o{i}", TensorProto.UNDEFINED, None)
         for i in range(len(node.output))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", imp.opset)])
    # Overflows and divisions by zero are the model's arithmetic: no warnings.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = ReferenceEvaluator(model).run(
            None, {f"i{i}": a for i, a in enumerate(inputs)})
    return results[0]


def fold_dequantize(imp, node, inputs):
    """(x - zero_point) * scale on constants: the quantized weights and
    biases of a QDQ model become the float constants they stand for."""
    x, scale = inputs[0], np.asarray(inputs[1])
    zp = inputs[2] if len(inputs) > 2 else np.zeros((), x.dtype)
    if imp.attr(node, "block_size", 0):
        raise imp.fail(node, "blocked quantization is not supported", Unsupported)
    if scale.size > 1:
        axis = imp.attr(node, "axis", 1)
        axis = axis + x.ndim if axis < 0 else axis
        shape = [1] * x.ndim
        shape[axis] = scale.size
        scale = scale.reshape(shape)
        zp = np.asarray(zp).reshape(shape)
    values = (x.astype(np.int64) - np.asarray(zp).astype(np.int64)).astype(np.float32)
    return (values * scale.astype(np.float32)).astype(scale.dtype)


# Ops with their own evaluation on constants (onnx.reference lacks them at
# some opsets).
NUMPY_FOLDERS = {"DequantizeLinear": fold_dequantize}

# Ops evaluated on constant inputs (shape arithmetic of exported models).
FOLDABLE = {"Add", "Sub", "Mul", "Div", "Gather", "Unsqueeze", "Squeeze",
            "Concat", "Slice", "Cast", "Reshape", "Range", "Equal", "Where",
            "Expand", "Transpose", "Identity", "ReduceProd", "Floor", "Ceil",
            "Less", "Greater", "Not", "Sqrt", "Neg", "Abs", "Flatten", "Min",
            "Max", "Pow", "DequantizeLinear"}
