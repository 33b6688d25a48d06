#!/usr/bin/env python3
"""Fusion differential testing: seeded random graphs of the op chains that
fusion rewrites, run fused and unfused and compared with onnxruntime.

    random_graphs.py WORK_DIR [--cases N] [--seed S]

Each case is a chain of 3-9 steps on a [B, S, D] activation: linear layers
(MatMul by a constant, often with a bias Add, sometimes as 2-3 siblings of
one input: the horizontal-fusion shape), unary activations, GELU and SiLU
written out as exporters do, residual and broadcast binary ops, softmax and
layer normalization (named or decomposed), mean subtraction, and an
attention block (Q @ K^T with the transpose, softmax, @ V). Every case runs
through infer-run with --fuse=true and --fuse=false: both must match
onnxruntime, and the two must match each other. `infer-opt --fuse-report`
counts the groups formed, so a run that fused nothing is visible.
Exits 1 if any case fails.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from infer.onnx.importer import import_model

OPSET = 17


class Graph:
    def __init__(self, r):
        self.r = r
        self.nodes, self.inits = [], []
        self.n = 0

    def name(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def const(self, array, prefix="c"):
        n = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(array, np.float32), n))
        return n

    def op(self, op_type, inputs, **attrs):
        out = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def axes(self, values):
        n = self.name("axes")
        self.inits.append(numpy_helper.from_array(np.array(values, np.int64), n))
        return n


def linear(g, x, d, f, bias):
    w = g.const(g.r.standard_normal((d, f)) / np.sqrt(d), "w")
    y = g.op("MatMul", [x, w])
    if bias:
        y = g.op("Add", [y, g.const(g.r.standard_normal(f) * 0.1, "b")])
    return y


def gelu(g, x):
    half = g.op("Mul", [g.op("Add", [g.op("Erf", [g.op("Div", [x, g.const(np.sqrt(2.0))])]),
                                   g.const(1.0)]), x])
    return g.op("Mul", [half, g.const(0.5)])


def layer_norm(g, x, d):
    mean = g.op("ReduceMean", [x], axes=[-1], keepdims=1)
    diff = g.op("Sub", [x, mean])
    sq = g.op("Pow", [diff, g.const(2.0)]) if g.r.random() < 0.5 else g.op("Mul", [diff, diff])
    var = g.op("ReduceMean", [sq], axes=[-1], keepdims=1)
    std = g.op("Sqrt", [g.op("Add", [var, g.const(1e-5)])])
    y = g.op("Div", [diff, std])
    y = g.op("Mul", [y, g.const(1 + 0.1 * g.r.standard_normal(d), "gamma")])
    return g.op("Add", [y, g.const(0.1 * g.r.standard_normal(d), "beta")])


def softmax(g, x):
    if g.r.random() < 0.5:
        return g.op("Softmax", [x], axis=-1)
    m = g.op("ReduceMax", [x], axes=[-1], keepdims=1)
    e = g.op("Exp", [g.op("Sub", [x, m])])
    s = g.op("ReduceSum", [e, g.axes([-1])], keepdims=1)
    return g.op("Div", [e, s])


def step(g, values, shapes):
    """One random step on the newest value; returns (value, width)."""
    r = g.r
    x = values[-1]
    d = shapes[-1]
    kind = r.choice(["linear", "siblings", "unary", "gelu", "silu", "residual",
                     "broadcast", "softmax", "layer_norm", "center", "attention"])
    if kind == "linear":
        f = int(r.choice([4, 8, 12, 16]))
        return linear(g, x, d, f, r.random() < 0.7), f
    if kind == "siblings":
        f = int(r.choice([4, 8, 16]))
        outs = [linear(g, x, d, f, True) for _ in range(int(r.integers(2, 4)))]
        y = outs[0]
        for o in outs[1:]:
            y = g.op(str(r.choice(["Add", "Mul"])), [y, o])
        return y, f
    if kind == "unary":
        op = str(r.choice(["Relu", "Sigmoid", "Tanh", "Neg", "Abs"]))
        return g.op(op, [x]), d
    if kind == "gelu":
        return gelu(g, x), d
    if kind == "silu":
        return g.op("Mul", [x, g.op("Sigmoid", [x])]), d
    if kind == "residual":
        same = [v for v, s in zip(values, shapes) if s == d]
        other = same[int(r.integers(0, len(same)))]
        return g.op(str(r.choice(["Add", "Sub", "Mul"])), [x, other]), d
    if kind == "broadcast":
        c = g.const(r.standard_normal(d) if r.random() < 0.6 else r.standard_normal(()))
        return g.op(str(r.choice(["Add", "Mul", "Sub"])), [x, c]), d
    if kind == "softmax":
        return softmax(g, x), d
    if kind == "layer_norm":
        return layer_norm(g, x, d), d
    if kind == "center":
        mean = g.op("ReduceMean", [x], axes=[-1], keepdims=1)
        return g.op("Sub", [x, mean]), d
    # attention: softmax(q @ k^T * scale) @ v
    f = int(r.choice([4, 8]))
    q, k, v = (linear(g, x, d, f, True) for _ in range(3))
    kt = g.op("Transpose", [k], perm=[0, 2, 1])
    scores = g.op("Mul", [g.op("MatMul", [q, kt]), g.const(1 / np.sqrt(f))])
    return g.op("MatMul", [softmax(g, scores), v]), f


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def prepare(base, model, x):
    """Writes `model` imported (BASE.mlir), its input `x` (BASE.x.npy) and
    onnxruntime's result (BASE.ref.npy); returns an error message or None."""
    expected = ort.InferenceSession(model.SerializeToString(),
                                    providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    try:
        text = import_model(model)
    except Exception as e:  # noqa: BLE001
        return f"import: {e}"
    with open(base + ".mlir", "w") as f:
        f.write(text)
    np.save(base + ".x.npy", x)
    np.save(base + ".ref.npy", expected)
    return None


def run_case(work, seed, index):
    r = np.random.default_rng([seed, index])
    g = Graph(r)
    b, s, d = int(r.integers(1, 3)), int(r.integers(3, 10)), int(r.choice([4, 8, 16]))
    values, shapes = ["x"], [d]
    for _ in range(int(r.integers(3, 10))):
        y, f = step(g, values, shapes)
        values.append(y)
        shapes.append(f)
    g.nodes.append(helper.make_node("Identity", [values[-1]], ["y"]))
    x = r.standard_normal((b, s, d)).astype(np.float32)
    graph = helper.make_graph(
        g.nodes, f"graph{index}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [b, s, d])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    tag = f"graph#{index} (seed {seed}, {len(g.nodes)} nodes)"
    base = os.path.join(work, f"graph{index}")
    error = prepare(base, model, x)
    if error:
        return "fail", f"{tag}: {error}", 0
    outputs = {}
    for fuse in ("true", "false"):
        out = f"{base}.fuse-{fuse}.npy"
        result = run(["infer-run", base + ".mlir", f"--fuse={fuse}", "--input", base + ".x.npy",
                      "--expect", base + ".ref.npy", "--rtol", "1e-3", "--atol", "1e-4",
                      "--output", out])
        if result.returncode != 0:
            return "fail", f"{tag}: --fuse={fuse}: {result.stderr.strip()[:400]}", 0
        outputs[fuse] = np.load(out)
    if not np.allclose(outputs["true"], outputs["false"], rtol=1e-4, atol=1e-5):
        diff = float(np.max(np.abs(outputs["true"] - outputs["false"])))
        return "fail", f"{tag}: fused and unfused differ by {diff}", 0
    report = run(["infer-opt", "--fuse-report", base + ".mlir", "-o", os.devnull])
    if report.returncode != 0:
        return "fail", f"{tag}: --fuse-report: {report.stderr.strip()[:400]}", 0
    groups = re.search(r"infer-cpu-fuse: fused groups: (\d+)", report.stderr)
    return "pass", tag, int(groups.group(1)) if groups else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("work")
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    counts = {"pass": 0, "fail": 0}
    groups = 0
    for i in range(args.cases):
        status, message, fused = run_case(args.work, args.seed, i)
        counts[status] += 1
        groups += fused
        if status != "pass":
            print(f"{status.upper()} {message}")
    print(f"random graphs: {counts['pass']} pass, {counts['fail']} fail; "
          f"{groups} fused groups in all")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
