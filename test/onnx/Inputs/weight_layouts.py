"""Differential test of the weight layouts infer-tune can choose: a model of
convolutions and matrix products with seeded random weights (1x1 with and
without stride, 3x3 with padding and stride, dilated, a 7x7 on 3 channels,
filter counts of 24 and 40 that fill no whole panel, a Gemm with a
transposed weight, a MatMul of 40 columns) is compiled with every layout a
tuning database can force (for each k, the k-th layout of every op that has
one: direct or im2col, panels of 32 or 16, unpacked): the compile reports
each forced layout at its op, and each run matches onnxruntime (rtol 1e-3,
atol 1e-4).

  weight_layouts.py DIR
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from infer.onnx.importer import import_model  # noqa: E402
from infer.tune import database  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(2026)
nodes, inits = [], []


def weight(name, shape):
    inits.append(helper.make_tensor(name, TensorProto.FLOAT, shape,
                                    (rng.standard_normal(shape) * 0.2).astype(np.float32)
                                    .ravel().tolist()))
    return name


def conv(x, name, c, f, k, stride=1, pad=0, dilation=1):
    nodes.append(helper.make_node(
        "Conv", [x, weight(name + ".w", [f, c, k, k]), weight(name + ".b", [f])], [name],
        kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4,
        dilations=[dilation, dilation]))
    relu = name + ".relu"
    nodes.append(helper.make_node("Relu", [name], [relu]))
    return relu


# 1x3x30x30 -> stem 7x7/2 (24 filters) -> 1x1 (40) -> 3x3 pad 1 (32) ->
# 3x3/2 (48) -> dilated 3x3 (32) -> 1x1/2 (64) -> pooled -> Gemm(transB) ->
# MatMul (40 columns).
y = conv("x", "stem", 3, 24, 7, stride=2, pad=3)          # 15x15
y = conv(y, "pw", 24, 40, 1)                              # 15x15
y = conv(y, "c3", 40, 32, 3, pad=1)                       # 15x15
y = conv(y, "c3s2", 32, 48, 3, stride=2, pad=1)           # 8x8
y = conv(y, "dil", 48, 32, 3, pad=2, dilation=2)          # 8x8
y = conv(y, "pws2", 32, 64, 1, stride=2)                  # 4x4
nodes.append(helper.make_node("GlobalAveragePool", [y], ["pool"]))
nodes.append(helper.make_node("Flatten", ["pool"], ["flat"], axis=1))
nodes.append(helper.make_node("Gemm", ["flat", weight("fc.w", [96, 64]), weight("fc.b", [96])],
                              ["fc"], transB=1))
nodes.append(helper.make_node("MatMul", ["fc", weight("mm.w", [96, 40])], ["y"]))
graph = helper.make_graph(nodes, "layouts",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 30, 30])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 40])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
onnx.checker.check_model(model)
mlir = os.path.join(out, "model.mlir")
with open(mlir, "w") as f:
    f.write(import_model(model))

feeds = {"x": rng.standard_normal((1, 3, 30, 30)).astype(np.float32)}
expected = harness.onnxruntime_outputs(model, feeds)[0]
base = os.path.join(out, "run")
inputs = harness.input_args(base, feeds)
tasks_path = os.path.join(out, "layouts.jsonl")
subprocess.run(["infer-opt", mlir, f"--tune-tasks=output={tasks_path} threads=2 layouts=true",
                "-o", os.devnull], check=True)
tasks = [json.loads(line) for line in open(tasks_path)]
print(f"{len(tasks)} layout tasks: " + "; ".join(
    f"{t['op'].split(' ')[0]} {'/'.join(v['text'] for v in t['variants'])}" for t in tasks))
kinds = set()
for k in range(max(len(t["variants"]) for t in tasks)):
    db = database.empty()
    forced = [(t, t["variants"][k]) for t in tasks if k < len(t["variants"])]
    database.merge(db, [{"key": t["key"], "op": t["op"], "layout": v["layout"],
                         "tuned_ms": 1.0, "model_ms": 1.0} for t, v in forced])
    path = os.path.join(out, f"db{k}.json")
    database.save(db, path)
    kinds.update(v["text"] for _, v in forced)
    # The compile applies every forced layout (its report says so at the op).
    report = subprocess.run(["infer-opt", mlir, f"--tile-report=threads=2 tuning-db={path}",
                             "-o", os.devnull], capture_output=True, text=True).stderr
    applied = sum(f"{t['op']}: weights {v['text']}; tuned layout" in report for t, v in forced)
    harness.report(f"layout {k} applied", applied == len(forced),
                   f"{applied} of {len(forced)} ops report the forced layout")
    got = harness.run_infer(mlir, f"{base}{k}", inputs, 1,
                            ["--threads", "2", "--tuning-db", path])
    if isinstance(got, str):
        harness.report(f"layout {k}", False, got)
        continue
    ok = got[0].shape == expected.shape and np.allclose(got[0], expected, rtol=1e-3, atol=1e-4)
    harness.report(f"layout {k}", ok, f"{len(forced)} ops forced, max abs diff "
                   f"{float(np.max(np.abs(got[0] - expected))):.2e}")
print(f"weight layouts: {harness.failures} failed; layouts run: {'; '.join(sorted(kinds))}")
sys.exit(1 if harness.failures else 0)
