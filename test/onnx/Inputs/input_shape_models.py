#!/usr/bin/env python3
"""Small ONNX models for input-shape.test (--input-shape, -1 dimensions,
converters chosen by opset).

    input_shape_models.py OUT_DIR

Writes OUT_DIR/NAME.onnx for each model below.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def model(nodes, inputs, outputs, inits=(), value_info=(), opset=13, name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits),
                              value_info=list(value_info))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def shape_chain():
    """A dynamic image input whose Shape->Gather->Concat->Reshape chain folds
    to a constant shape only once --input-shape fixes the dimensions."""
    nodes = [helper.make_node("Shape", ["x"], ["s"], name="shape"),
             helper.make_node("Gather", ["s", "first2"], ["n"], name="gather", axis=0),
             helper.make_node("Concat", ["n", "minus1"], ["target"], name="concat", axis=0),
             helper.make_node("Reshape", ["x", "target"], ["y"], name="reshape")]
    inits = [numpy_helper.from_array(np.array([0, 1], np.int64), "first2"),
             numpy_helper.from_array(np.array([-1], np.int64), "minus1")]
    return model(nodes,
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                [-1, 3, "height", "width"])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, [-1, 3, -1])],
                 inits)


def negative_dims():
    """-1 sizes on the input, the output and a value_info: all dynamic."""
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="relu"),
             helper.make_node("Neg", ["r"], ["y"], name="neg")]
    return model(nodes,
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT, [-1, 3, -1, -1])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, [-1, 3, -1, 0])],
                 value_info=[helper.make_tensor_value_info("r", TensorProto.FLOAT,
                                                           [-1, 3, -1, -1])])


def slice_opset(opset):
    """The same Slice at an opset where its bounds are attributes (9) and one
    where they are inputs (13)."""
    def build():
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 6])
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
        if opset < 10:
            nodes = [helper.make_node("Slice", ["x"], ["y"], name="slice",
                                      starts=[1, 2], ends=[3, 5], axes=[0, 1])]
            return model(nodes, [x], [y], opset=opset)
        nodes = [helper.make_node("Slice", ["x", "starts", "ends", "axes"], ["y"],
                                  name="slice")]
        inits = [numpy_helper.from_array(np.array(v, np.int64), n)
                 for n, v in (("starts", [1, 2]), ("ends", [3, 5]), ("axes", [0, 1]))]
        return model(nodes, [x], [y], inits, opset=opset)
    return build


def cast_chain():
    """Shape -> Cast(int32) -> Slice -> Cast(int64) -> Concat -> Reshape ->
    Relu on a dynamic input: ONNX's data propagation loses the values at the
    casts and its inference leaves the reshape's result without a rank."""
    nodes = [helper.make_node("Shape", ["x"], ["s"], name="shape"),
             helper.make_node("Cast", ["s"], ["s32"], to=TensorProto.INT32, name="cast32"),
             helper.make_node("Slice", ["s32", "zero", "two"], ["nc"], name="slice"),
             helper.make_node("Cast", ["nc"], ["nc64"], to=TensorProto.INT64, name="cast64"),
             helper.make_node("Concat", ["nc64", "minus1"], ["target"], axis=0,
                              name="concat"),
             helper.make_node("Reshape", ["x", "target"], ["r"], name="reshape"),
             helper.make_node("Relu", ["r"], ["y"], name="relu")]
    inits = [numpy_helper.from_array(np.array([0], np.int32), "zero"),
             numpy_helper.from_array(np.array([2], np.int32), "two"),
             numpy_helper.from_array(np.array([-1], np.int64), "minus1")]
    return model(nodes,
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                ["N", 3, "H", "W"])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)


MODELS = {"shape_chain": shape_chain, "cast_chain": cast_chain, "negative_dims": negative_dims,
          "slice_opset9": slice_opset(9), "slice_opset13": slice_opset(13)}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, build in MODELS.items():
        onnx.save(build(), os.path.join(out, f"{name}.onnx"))


if __name__ == "__main__":
    main()
