#!/usr/bin/env python3
"""Small ONNX models for the import tests, built with onnx.helper.

    make_onnx.py NAME OUT_DIR

Writes OUT_DIR/NAME.onnx and, for runnable models, NAME.input.npy and the
onnxruntime output NAME.expected.npy.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def small_cnn():
    """Conv+Relu, a PyTorch-style Shape->Gather->Concat->Reshape, Gemm."""
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), "b")
    fc = numpy_helper.from_array(rng.standard_normal((5, 64)).astype(np.float32), "fc")
    zero = numpy_helper.from_array(np.array([0], np.int64), "zero")
    minus1 = numpy_helper.from_array(np.array([-1], np.int64), "minus1")
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv",
                         pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Shape", ["r"], ["s"], name="shape"),
        helper.make_node("Gather", ["s", "zero"], ["n"], name="batch", axis=0),
        helper.make_node("Concat", ["n", "minus1"], ["target"], name="target", axis=0),
        helper.make_node("Reshape", ["r", "target"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc"], ["y"], name="fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "small_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])],
        [w, b, fc, zero, minus1])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), (2, 3, 8, 8)


def unknown_ops():
    """Two ops outside the dialect: both must be named."""
    nodes = [helper.make_node("Relu", ["x"], ["a"], name="ok"),
             helper.make_node("Hardmax", ["a"], ["b"], name="hm"),
             helper.make_node("Celu", ["b"], ["y"], name="celu")]
    graph = helper.make_graph(
        nodes, "unknown_ops",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), None


def bad_attribute():
    """A supported op with a variant we do not support: a 3-D convolution."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv3d")]
    w = numpy_helper.from_array(np.ones((1, 1, 1, 1, 1), np.float32), "w")
    graph = helper.make_graph(
        nodes, "bad_attribute",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 2, 2, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 2, 2, 2])], [w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), None


def dynamic_shape_operand():
    """Reshape whose shape is a graph input: it must be bound to import."""
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")]
    graph = helper.make_graph(
        nodes, "dynamic_shape_operand",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 6]),
         helper.make_tensor_value_info("shape", TensorProto.INT64, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), None


def dynamic_batch():
    """A symbolic batch dimension stays dynamic in the imported function."""
    rng = np.random.default_rng(2)
    w = numpy_helper.from_array(rng.standard_normal((6, 2, 3, 3)).astype(np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv",
                              auto_pad="SAME_UPPER"),
             helper.make_node("MaxPool", ["c"], ["p"], name="pool",
                              kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("GlobalAveragePool", ["p"], ["g"], name="gap"),
             helper.make_node("Flatten", ["g"], ["y"], name="flatten")]
    graph = helper.make_graph(
        nodes, "dynamic_batch",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 6, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 6])], [w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), (3, 2, 6, 6)


MODELS = {f.__name__: f for f in (small_cnn, unknown_ops, bad_attribute,
                                   dynamic_shape_operand, dynamic_batch)}


def main():
    name, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    model, input_shape = MODELS[name]()
    onnx.checker.check_model(model)
    path = os.path.join(out, f"{name}.onnx")
    onnx.save(model, path)
    if input_shape is not None:
        import onnxruntime as ort
        x = np.random.default_rng(1).standard_normal(input_shape).astype(np.float32)
        np.save(os.path.join(out, f"{name}.input.npy"), x)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        y = session.run(None, {session.get_inputs()[0].name: x})[0]
        np.save(os.path.join(out, f"{name}.expected.npy"), y)


if __name__ == "__main__":
    main()
