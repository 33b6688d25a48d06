#!/usr/bin/env python3
"""Small ONNX models for the import tests, built with onnx.helper.

    make_onnx.py NAME[,NAME...] OUT_DIR

Writes OUT_DIR/NAME.onnx and, for runnable models, NAME.input.npy and the
onnxruntime output NAME.expected.npy. Most models after dynamic_dims are
invalid on purpose (import-errors.test); several come from crashes and bogus
imports that tools/fuzz-onnx found.
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
             helper.make_node("Unique", ["a"], ["b"], name="uniq"),
             helper.make_node("Bernoulli", ["b"], ["y"], name="bern")]
    graph = helper.make_graph(
        nodes, "unknown_ops",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), None


def bad_attribute():
    """A supported op with a variant we do not support: a 4-D convolution."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv4d")]
    w = numpy_helper.from_array(np.ones((1, 1, 1, 1, 1, 1), np.float32), "w")
    graph = helper.make_graph(
        nodes, "bad_attribute",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 2, 2, 2, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 2, 2, 2, 2])], [w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), None


def dynamic_clip_bound():
    """Clip whose bound is a graph input: the dialect keeps it as an
    attribute, so it must be bound to import."""
    nodes = [helper.make_node("Clip", ["x", "lo"], ["y"], name="clip")]
    graph = helper.make_graph(
        nodes, "dynamic_clip_bound",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 6]),
         helper.make_tensor_value_info("lo", TensorProto.FLOAT, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 6])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), None


def dynamic_shape_operand():
    """Reshape whose shape is a graph input: read at run time, or bound."""
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


def dynamic_dims():
    """-1 and 0 input sizes are dynamic. The declared types of 'r' and 'y'
    know more than the input: Relu's result keeps its operand's type and
    Min's is the one it computes (the fuzzer found both imports rejected by
    infer-opt)."""
    cap = numpy_helper.from_array(np.array(0.5, np.float32), "cap")
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="relu"),
             helper.make_node("Min", ["x", "r", "cap"], ["y"], name="min")]
    graph = helper.make_graph(
        nodes, "dynamic_dims",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [-1, 3, 0])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [-1, 3, 5])], [cap],
        value_info=[helper.make_tensor_value_info("r", TensorProto.FLOAT, ["N", 3, 5])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), (2, 3, 5)


# ----------------------------------------------------------- invalid models
# Each is imported by import-errors.test, which checks the one error line.


def _graph(name, nodes, inputs, outputs, inits=(), opset=13):
    """A model from (name, element type, shape) inputs and outputs."""
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info(*i) for i in inputs],
        [helper.make_tensor_value_info(*o) for o in outputs], list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)]), None


def _weights(shape, name="w", dtype=np.float32):
    return numpy_helper.from_array(np.ones(shape, dtype), name)


def _ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


X4 = ("x", TensorProto.FLOAT, [1, 4, 8, 8])
Y = ("y", TensorProto.FLOAT, None)


def conv_bad_group():
    """group 3 does not divide the 4 input channels."""
    return _graph("conv_bad_group", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                                                      group=3)],
                  [X4], [Y], [_weights((3, 2, 3, 3))])


def conv_weight_group():
    """The weight's channels per group times group is not the input's."""
    return _graph("conv_weight_group", [helper.make_node("Conv", ["x", "w"], ["y"],
                                                         name="conv", group=2)],
                  [X4], [Y], [_weights((4, 4, 3, 3))])


def conv_kernel_shape():
    """kernel_shape disagrees with the weight."""
    return _graph("conv_kernel_shape", [helper.make_node("Conv", ["x", "w"], ["y"],
                                                         name="conv", kernel_shape=[2, 2])],
                  [X4], [Y], [_weights((4, 4, 3, 3))])


def conv_zero_stride():
    return _graph("conv_zero_stride", [helper.make_node("Conv", ["x", "w"], ["y"],
                                                        name="conv", strides=[0, 1])],
                  [X4], [Y], [_weights((4, 4, 3, 3))])


def conv_pads_length():
    return _graph("conv_pads_length", [helper.make_node("Conv", ["x", "w"], ["y"],
                                                        name="conv", pads=[1, 1])],
                  [X4], [Y], [_weights((4, 4, 3, 3))])


def conv_float_strides():
    """An attribute of the wrong type."""
    return _graph("conv_float_strides", [helper.make_node("Conv", ["x", "w"], ["y"],
                                                          name="conv", strides=[1.0, 1.0])],
                  [X4], [Y], [_weights((4, 4, 3, 3))])


def relu_two_inputs():
    """More inputs than the op's schema allows."""
    return _graph("relu_two_inputs", [helper.make_node("Relu", ["x", "x"], ["y"], name="relu")],
                  [X4], [Y])


def unknown_attribute():
    return _graph("unknown_attribute", [helper.make_node("Relu", ["x"], ["y"], name="relu",
                                                         slope=2)], [X4], [Y])


def missing_attribute():
    return _graph("missing_attribute", [helper.make_node("MaxPool", ["x"], ["y"], name="pool")],
                  [X4], [Y])


def pool_window_too_large():
    """ONNX infers a negative size for this window; the importer refuses."""
    return _graph("pool_window_too_large", [helper.make_node(
        "MaxPool", ["x"], ["y"], name="pool", kernel_shape=[64, 7])], [X4], [Y])


def bad_perm():
    return _graph("bad_perm", [helper.make_node("Transpose", ["x"], ["y"], name="transpose",
                                                perm=[0, 0, 1, 2])], [X4], [Y])


def axis_out_of_range():
    return _graph("axis_out_of_range", [helper.make_node("Softmax", ["x"], ["y"],
                                                         name="softmax", axis=7)], [X4], [Y])


def unsqueeze_no_axes():
    """An empty axes list (found by the fuzzer: the dialect rejects it)."""
    node = helper.make_node("Unsqueeze", ["x"], ["y"], name="unsqueeze")
    node.attribute.append(helper.make_attribute("axes", [], attr_type=onnx.AttributeProto.INTS))
    return _graph("unsqueeze_no_axes", [node], [X4], [Y], opset=11)


def dangling_input():
    return _graph("dangling_input", [helper.make_node("Relu", ["z"], ["y"], name="relu")],
                  [X4], [Y])


def mixed_types():
    """Add of float and int64: both operands are T."""
    return _graph("mixed_types", [helper.make_node("Add", ["x", "k"], ["y"], name="add")],
                  [X4], [Y], [_ints("k", [1])])


def bad_broadcast():
    """Found only by ONNX's shape inference (strict mode)."""
    return _graph("bad_broadcast", [helper.make_node("Add", ["a", "b"], ["y"], name="add")],
                  [("a", TensorProto.FLOAT, [2, 3]), ("b", TensorProto.FLOAT, [4, 5])], [Y])


def op_not_in_opset():
    return _graph("op_not_in_opset", [helper.make_node("Gelu", ["x"], ["y"], name="gelu")],
                  [X4], [Y])


def unnamed_graph():
    """Found only by ONNX's checker."""
    model, _ = _graph("", [helper.make_node("Relu", ["x"], ["y"], name="relu")], [X4], [Y])
    return model, None


def gemm_folded_weight():
    """A weight made by ConstantOfShape whose shape is known once folded
    (found by a fuzzer: infer-opt rejected the import)."""
    return _graph("gemm_folded_weight", [
        helper.make_node("ConstantOfShape", ["shape"], ["w"], name="weight",
                         value=numpy_helper.from_array(np.array([0.5], np.float32))),
        helper.make_node("Gemm", ["a", "w"], ["y"], name="gemm", transB=1)],
        [("a", TensorProto.FLOAT, [2, 3])], [Y], [_ints("shape", [5, 7])])


def reshape_folded_shape():
    """A Reshape target that only constant folding finds (ONNX's data
    propagation does not evaluate Where): checked after folding."""
    return _graph("reshape_folded_shape", [
        helper.make_node("Where", ["cond", "a", "b"], ["shape"], name="target"),
        helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
        [("x", TensorProto.FLOAT, [2, 6])], [Y],
        [numpy_helper.from_array(np.array([True, False]), "cond"), _ints("a", [3, 4]),
         _ints("b", [7, 5])])


def gemm_bias_shape():
    """C does not broadcast to M x N (found by the fuzzer)."""
    return _graph("gemm_bias_shape", [helper.make_node("Gemm", ["a", "b", "c"], ["y"],
                                                       name="gemm")],
                  [("a", TensorProto.FLOAT, [2, 3]), ("b", TensorProto.FLOAT, [3, 4])], [Y],
                  [_weights((3, 4), "c")])


def layer_norm_scale():
    """Scale does not broadcast to the normalized shape (found by the fuzzer)."""
    return _graph("layer_norm_scale", [helper.make_node(
        "LayerNormalization", ["x", "s"], ["y"], name="ln", axis=-1)],
        [("x", TensorProto.FLOAT, [2, 3, 4])], [Y], [_weights((3,), "s")], opset=17)


def reflect_pad_too_wide():
    """Reflect padding as wide as the axis (found by the fuzzer)."""
    return _graph("reflect_pad_too_wide", [helper.make_node(
        "Pad", ["x", "pads"], ["y"], name="pad", mode="reflect")],
        [("x", TensorProto.FLOAT, [5, 4, 1])], [Y], [_ints("pads", [0, 0, 1, 0, 0, 1])],
        opset=18)


def pad_axes_2d():
    """Pad axes given as a 2-D tensor (a crash found by the fuzzer)."""
    return _graph("pad_axes_2d", [helper.make_node(
        "Pad", ["x", "pads", "", "axes"], ["y"], name="pad")],
        [("x", TensorProto.FLOAT, [2, 3, 4])], [Y],
        [_ints("pads", [1, 1]), _ints("axes", [[1]])], opset=18)


def huge_input():
    """A graph input of 2^62 elements (ONNX's inference ran out of memory:
    a crash found by the fuzzer)."""
    return _graph("huge_input", [helper.make_node(
        "Slice", ["x", "s", "e", "a", "st"], ["y"], name="slice")],
        [("x", TensorProto.FLOAT, [2**62])], [Y],
        [_ints("s", [-5]), _ints("e", [0]), _ints("a", [0]), _ints("st", [-1])])


def output_redeclared():
    """A graph input listed as an output with another rank (the fuzzer found
    the import used the wrong one)."""
    return _graph("output_redeclared", [helper.make_node("MatMul", ["a", "b"], ["y"],
                                                         name="matmul")],
                  [("a", TensorProto.FLOAT, [5, 4]), ("b", TensorProto.FLOAT, [4, 5])],
                  [Y, ("b", TensorProto.FLOAT, ["n"])])


def pool_output_redeclared():
    """The graph input listed again as an output without a shape hid its
    shape from ONNX's inference, which then kept the pooling's declared
    output of rank 1 (found by the fuzzer: infer-opt rejected the import)."""
    return _graph("pool_output_redeclared", [helper.make_node(
        "AveragePool", ["x"], ["y"], name="pool", kernel_shape=[3, 3], strides=[2, 2])],
        [("x", TensorProto.FLOAT, [1, 2, 4, 6])],
        [("y", TensorProto.FLOAT, [1]), ("x", TensorProto.FLOAT, None)])


def legacy_broadcast():
    """Before opset 7 Add broadcasts only with broadcast = 1 (found by the
    fuzzer: the import broadcast numpy's way)."""
    return _graph("legacy_broadcast", [helper.make_node("Add", ["a", "b"], ["y"], name="add")],
                  [("a", TensorProto.FLOAT, [2, 3]), ("b", TensorProto.FLOAT, [3])],
                  [("y", TensorProto.FLOAT, [2, 3])], opset=6)


def squeeze_no_axes():
    """An empty axes list: ONNX keeps every axis, the dialect would squeeze
    every size-1 axis (found by the fuzzer)."""
    node = helper.make_node("Squeeze", ["x"], ["y"], name="squeeze")
    node.attribute.append(helper.make_attribute("axes", [], attr_type=onnx.AttributeProto.INTS))
    return _graph("squeeze_no_axes", [node], [("x", TensorProto.FLOAT, [1, 2, 3])], [Y],
                  opset=11)


def lrn_huge_size():
    """A window of 2^63 - 1 channels overflowed the dialect's window
    arithmetic (found by the fuzzer)."""
    return _graph("lrn_huge_size", [helper.make_node("LRN", ["x"], ["y"], name="lrn",
                                                     size=2**63 - 1)], [X4], [Y])


def batch_reshape():
    """Reshapes N x 6 to 3 x 4: fine for a dynamic N, wrong for
    --batch-size 3 (found by the fuzzer: --batch-size was applied after the
    checks)."""
    return _graph("batch_reshape", [helper.make_node("Reshape", ["x", "shape"], ["y"],
                                                     name="reshape")],
                  [("x", TensorProto.FLOAT, ["N", 6])], [Y], [_ints("shape", [3, 4])])


def name_not_utf8():
    """A graph input whose name is not UTF-8 (protobuf hands it over as
    bytes: a crash found by the fuzzer)."""
    model, _ = _graph("name_not_utf8", [helper.make_node("Relu", ["QQ"], ["y"], name="relu")],
                      [("QQ", TensorProto.FLOAT, [2])], [("y", TensorProto.FLOAT, [2])])
    return onnx.ModelProto.FromString(model.SerializeToString().replace(b"QQ", b"\x80Q")), None


def lrn_dynamic_channels():
    return _graph("lrn_dynamic_channels", [helper.make_node("LRN", ["x"], ["y"], name="lrn",
                                                            size=3)],
                  [("x", TensorProto.FLOAT, [1, "c", 5, 5])], [Y])


# ------------------------------------------- fuzzer crashes that now import


def odd_input_name():
    """An input name with a quote, a backslash, a newline and non-ASCII
    letters (a mutation of the fuzzer): infer.name escapes them."""
    name = 'a"b\\c\nd\u00e9'
    return _graph("odd_input_name", [helper.make_node("Relu", [name], ["y"], name="relu")],
                  [(name, TensorProto.FLOAT, [2])], [("y", TensorProto.FLOAT, [2])])


def clip_one_element_bounds():
    """Clip bounds of shape [1] rather than scalars (a crash found by the
    fuzzer)."""
    return _graph("clip_one_element_bounds", [helper.make_node(
        "Clip", ["x", "lo", "hi"], ["y"], name="clip")],
        [("x", TensorProto.FLOAT, [2, 3])], [("y", TensorProto.FLOAT, [2, 3])],
        [numpy_helper.from_array(np.array([-1.0], np.float32), "lo"),
         numpy_helper.from_array(np.array([1.0], np.float32), "hi")])


def empty_constant():
    """Gather with zero-size indices: a 3x0x1 constant (the fuzzer found
    its literal misread as 3x0)."""
    return _graph("empty_constant", [helper.make_node("Gather", ["x", "i"], ["y"],
                                                      name="gather")],
                  [("x", TensorProto.FLOAT, [4, 2])], [Y],
                  [numpy_helper.from_array(np.zeros((3, 0, 1), np.int32), "i")])


def lrn_dynamic_height():
    """LRN with a dynamic spatial size (a crash found by the fuzzer)."""
    return _graph("lrn_dynamic_height", [helper.make_node("LRN", ["x"], ["y"], name="lrn",
                                                          size=3)],
                  [("x", TensorProto.FLOAT, [1, 3, "h", 11])], [Y])


MODELS = {f.__name__: f for f in (
    small_cnn, unknown_ops, bad_attribute, dynamic_shape_operand, dynamic_clip_bound,
    dynamic_batch,
    dynamic_dims, conv_bad_group, conv_weight_group, conv_kernel_shape, conv_zero_stride,
    conv_pads_length, conv_float_strides, relu_two_inputs, unknown_attribute,
    missing_attribute, pool_window_too_large, bad_perm, axis_out_of_range,
    unsqueeze_no_axes, dangling_input, mixed_types, bad_broadcast, op_not_in_opset,
    unnamed_graph, gemm_folded_weight, reshape_folded_shape, gemm_bias_shape, layer_norm_scale,
    reflect_pad_too_wide, pad_axes_2d, huge_input, output_redeclared,
    pool_output_redeclared, legacy_broadcast, squeeze_no_axes, lrn_huge_size, batch_reshape,
    name_not_utf8,
    lrn_dynamic_channels, odd_input_name, clip_one_element_bounds, empty_constant, lrn_dynamic_height)}


def main():
    names, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name in names.split(","):
        write(name, out)


def write(name, out):
    model, input_shape = MODELS[name]()
    path = os.path.join(out, f"{name}.onnx")
    onnx.save(model, path)
    if input_shape is not None:
        onnx.checker.check_model(model)
        import onnxruntime as ort
        x = np.random.default_rng(1).standard_normal(input_shape).astype(np.float32)
        np.save(os.path.join(out, f"{name}.input.npy"), x)
        # onnxruntime takes a 0 or -1 size literally: name them for it.
        for vi in list(model.graph.input) + list(model.graph.output):
            for i, d in enumerate(vi.type.tensor_type.shape.dim):
                if d.HasField("dim_value") and d.dim_value <= 0:
                    d.dim_param = f"{vi.name}_{i}"
        session = ort.InferenceSession(model.SerializeToString(),
                                       providers=["CPUExecutionProvider"])
        y = session.run(None, {session.get_inputs()[0].name: x})[0]
        np.save(os.path.join(out, f"{name}.expected.npy"), y)


if __name__ == "__main__":
    main()
