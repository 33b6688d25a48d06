#!/usr/bin/env python3
"""infer-calibrate against onnxruntime: a small CNN (made here, seeded) is
calibrated with every method on 96 samples; every tensor's min and max in
the table must match those of the same tensor computed by onnxruntime on the
same samples, and every threshold must lie in (0, max |x|].

    calibrate_check.py WORK_DIR BIN_DIR
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from infer.quant.calibrate import exposed, float_tensors

work, bin_dir = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
r = np.random.default_rng(7)


def init(name, shape, scale):
    return numpy_helper.from_array((r.standard_normal(shape) * scale).astype(np.float32), name)


nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2],
                     name="pool1"),
    helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1], name="conv2"),
    helper.make_node("Sigmoid", ["c2"], ["s2"], name="sigmoid2"),
    helper.make_node("Flatten", ["s2"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "w3", "b3"], ["y"], transB=1, name="fc"),
]
graph = helper.make_graph(
    nodes, "calib_cnn",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 12, 12])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])],
    [init("w1", (6, 1, 3, 3), 0.5), init("b1", (6,), 0.1), init("w2", (4, 6, 3, 3), 0.3),
     init("b2", (4,), 0.1), init("w3", (10, 4 * 6 * 6), 0.1), init("b3", (10,), 0.1)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
path = os.path.join(work, "cnn.onnx")
onnx.save(model, path)
x = (r.standard_normal((96, 1, 12, 12)) * 2).astype(np.float32)
np.savez(os.path.join(work, "data.npz"), x=x)

names = [n for n, _ in float_tensors(model)]
session = ort.InferenceSession(exposed(model, names).SerializeToString(),
                               providers=["CPUExecutionProvider"])
reference = dict(zip(names, session.run(None, {"x": x})))

failures = 0
for method in ("minmax", "percentile", "kl", "mse"):
    out = os.path.join(work, f"{method}.json")
    proc = subprocess.run([sys.executable, "-m", "infer.quant.calibrate", path, "--data",
                           os.path.join(work, "data.npz"), "--method", method, "--batch", "32",
                           "--bin", bin_dir, "-o", out], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"FAIL {method}: exit {proc.returncode}: {proc.stderr.strip()[-400:]}")
        failures += 1
        continue
    table = json.load(open(out))
    assert table["format"] == "infer-calibration" and table["method"] == method
    bad = []
    for name in names:
        entry, ref = table["tensors"][name], reference[name]
        absmax = max(abs(entry["min"]), abs(entry["max"]))
        if not (np.isclose(entry["min"], ref.min(), rtol=1e-4, atol=1e-5) and
                np.isclose(entry["max"], ref.max(), rtol=1e-4, atol=1e-5)):
            bad.append(f"{name}: [{entry['min']}, {entry['max']}] vs onnxruntime "
                       f"[{ref.min()}, {ref.max()}]")
        if not 0 < entry["threshold"] <= absmax * (1 + 1e-6):
            bad.append(f"{name}: threshold {entry['threshold']} outside (0, {absmax}]")
        if abs(entry["symmetric"]["scale"] - entry["threshold"] / 127) > 1e-9:
            bad.append(f"{name}: scale {entry['symmetric']['scale']} is not threshold / 127")
    clipped = sum(table["tensors"][n]["threshold"] <
                  max(abs(table["tensors"][n]["min"]), table["tensors"][n]["max"]) for n in names)
    print(f"{'FAIL' if bad else 'PASS'} {method}: {len(names)} tensors, {table['samples']} "
          f"samples, {clipped} clipped" + ("".join("\n  " + b for b in bad)))
    failures += bool(bad)
print(f"calibrate: {failures} failed")
sys.exit(1 if failures else 0)
