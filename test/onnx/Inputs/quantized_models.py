#!/usr/bin/env python3
"""Quantized ONNX models against onnxruntime's own int8 results.

    quantized_models.py WORK_DIR

- QDQ: a small CNN (conv, relu, pool, conv, gemm; seeded) quantized by
  onnxruntime's `quantize_static` in QDQ format (uint8 or int8 activations,
  per-tensor or per-channel int8 weights, calibrated on 32 samples): the
  weights and biases are DequantizeLinear of constants, the activations
  QuantizeLinear/DequantizeLinear pairs. Ours and onnxruntime's int8
  session must agree within one quantization step of the output.
- QOperator: QuantizeLinear -> QLinearConv -> DequantizeLinear and
  QuantizeLinear -> QLinearMatMul -> DequantizeLinear graphs (standard
  domain), built here.
Each case prints PASS/FAIL with the largest difference, in steps.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                      quantize_static)

from infer.onnx.importer import import_model

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
r = np.random.default_rng(11)
failures = 0


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def compare(tag, model, feeds, step):
    """Runs `model` (ModelProto) with onnxruntime and with infer-run; both
    must agree within one `step` (the output's quantization step)."""
    global failures
    expected = ort.InferenceSession(model.SerializeToString(),
                                    providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    base = os.path.join(work, tag)
    with open(base + ".mlir", "w") as f:
        f.write(import_model(model))
    cmd = ["infer-run", base + ".mlir", "--output", base + ".out.npy"]
    for i, (name, value) in enumerate(feeds.items()):
        np.save(f"{base}.in{i}.npy", value)
        cmd += ["--input", f"{base}.in{i}.npy"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"FAIL {tag}: infer-run: {proc.stderr.strip()[-300:]}")
        failures += 1
        return
    ours = np.load(base + ".out.npy")
    steps = float(np.max(np.abs(ours.astype(np.float64) - expected)) / step)
    exact = float(np.mean(np.isclose(ours, expected, rtol=0, atol=step * 1e-3)))
    ok = ours.shape == expected.shape and steps <= 1.0 + 1e-6
    print(f"{'PASS' if ok else 'FAIL'} {tag}: max difference {steps:.2f} steps, "
          f"{exact:.0%} of the outputs identical")
    failures += not ok


# --- QDQ models from quantize_static.
nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2],
                     name="pool1"),
    helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1], name="conv2"),
    helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
    helper.make_node("Flatten", ["r2"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "w3", "b3"], ["y"], transB=1, name="fc"),
]
graph = helper.make_graph(
    nodes, "cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 12, 12])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
    [const("w1", (r.standard_normal((8, 2, 3, 3)) * 0.4).astype(np.float32)),
     const("b1", (r.standard_normal(8) * 0.1).astype(np.float32)),
     const("w2", (r.standard_normal((6, 8, 3, 3)) * 0.2).astype(np.float32)),
     const("b2", (r.standard_normal(6) * 0.1).astype(np.float32)),
     const("w3", (r.standard_normal((10, 6 * 6 * 6)) * 0.1).astype(np.float32)),
     const("b3", (r.standard_normal(10) * 0.1).astype(np.float32))])
fp32 = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
fp32.ir_version = 8
fp32_path = os.path.join(work, "cnn.onnx")
onnx.save(fp32, fp32_path)
samples = [(r.standard_normal((1, 2, 12, 12))).astype(np.float32) for _ in range(33)]


class Reader(CalibrationDataReader):
    def __init__(self):
        self.it = iter([{"x": s} for s in samples[:32]])

    def get_next(self):
        return next(self.it, None)


for activations in (QuantType.QUInt8, QuantType.QInt8):
    for per_channel in (False, True):
        tag = (f"qdq_{'u8' if activations == QuantType.QUInt8 else 's8'}_"
               f"{'per_channel' if per_channel else 'per_tensor'}")
        path = os.path.join(work, tag + ".onnx")
        quantize_static(fp32_path, path, Reader(), quant_format=QuantFormat.QDQ,
                        activation_type=activations, weight_type=QuantType.QInt8,
                        per_channel=per_channel)
        model = onnx.load(path)
        # The output's step: the scale of the last QuantizeLinear.
        last_q = [n for n in model.graph.node if n.op_type == "QuantizeLinear"][-1]
        scale = float(numpy_helper.to_array(
            next(i for i in model.graph.initializer if i.name == last_q.input[1])))
        compare(tag, model, {"x": samples[32]}, scale)

# --- QOperator nodes of the standard domain.
x_scale, y_scale = np.float32(0.05), np.float32(0.08)
w = r.integers(-100, 100, (4, 3, 3, 3)).astype(np.int8)
w_scale = (r.uniform(0.002, 0.01, 4)).astype(np.float32)
bias = r.integers(-500, 500, 4).astype(np.int32)
graph = helper.make_graph([
    helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="q"),
    helper.make_node("QLinearConv", ["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"],
                     ["yq"], pads=[1, 1, 1, 1], strides=[2, 2], name="qconv"),
    helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"], name="dq")],
    "qlinearconv", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 9, 9])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 5, 5])],
    [const("xs", x_scale), const("xz", np.uint8(128)), const("w", w), const("ws", w_scale),
     const("wz", np.zeros(4, np.int8)), const("ys", y_scale), const("yz", np.uint8(100)),
     const("b", bias)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
compare("qlinearconv", model, {"x": (r.standard_normal((1, 3, 9, 9)) * 2).astype(np.float32)},
        float(y_scale))

b = r.integers(-120, 120, (6, 5)).astype(np.int8)
graph = helper.make_graph([
    helper.make_node("QuantizeLinear", ["a", "as", "az"], ["aq"], name="q"),
    helper.make_node("QLinearMatMul", ["aq", "as", "az", "b", "bs", "bz", "ys", "yz"], ["yq"],
                     name="qmatmul"),
    helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"], name="dq")],
    "qlinearmatmul", [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 4, 6])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4, 5])],
    [const("as", np.float32(0.03)), const("az", np.int8(-3)), const("b", b),
     const("bs", np.float32(0.02)), const("bz", np.int8(0)), const("ys", np.float32(0.5)),
     const("yz", np.int8(1))])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
compare("qlinearmatmul", model, {"a": r.standard_normal((2, 4, 6)).astype(np.float32)}, 0.5)

print(f"quantized models: {failures} failed")
sys.exit(1 if failures else 0)
