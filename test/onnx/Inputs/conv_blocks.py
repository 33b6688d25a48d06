#!/usr/bin/env python3
"""Horizontal convolution fusion, differential testing: seeded random
inception-style blocks, run fused and unfused and compared with onnxruntime.

    conv_blocks.py WORK_DIR [--cases N] [--seed S]

Each case is one block on an N x C x H x W input: 2-4 branches, most of them
starting with a 1x1 convolution of the block's input (the siblings that
horizontal fusion merges), each with a bias, a BatchNormalization or
neither, an activation (the same one in every branch, or mixed, or none), and
sometimes a 3x3 or 5x5 convolution after it; a branch may start with a
pooling window or a 3x3 convolution (another window) instead; the branches are
concatenated along the channels. Every case runs through infer-run
unfused (--fuse=false), fused as by default, and fused with the siblings
merged (`infer-opt --fuse="horizontal-convs=true" --tile`, then infer-run):
all three must match onnxruntime and each other. `infer-opt --fuse-report`
counts the sibling convolutions merged, so a run that merged nothing is
visible.
Exits 1 if any case fails.
"""
import argparse
import os
import re
import sys

import numpy as np
from onnx import TensorProto, helper

from random_graphs import OPSET, Graph, prepare, run


class Block(Graph):
    """A random_graphs.Graph with convolutions and activations."""

    def conv(self, x, c, f, k, extra=None):
        r = self.r
        w = self.const(r.standard_normal((f, c, k, k)) / np.sqrt(c * k * k), "w")
        inputs = [x, w]
        if extra == "bias":
            inputs.append(self.const(r.standard_normal(f) * 0.1, "b"))
        y = self.op("Conv", inputs, kernel_shape=[k, k], pads=[k // 2] * 4)
        if extra == "bn":
            y = self.op("BatchNormalization", [
                y, self.const(r.uniform(0.5, 1.5, f), "s"),
                self.const(r.standard_normal(f) * 0.1, "bb"),
                self.const(r.standard_normal(f) * 0.1, "m"),
                self.const(r.uniform(0.5, 1.5, f), "v")], epsilon=1e-5)
        return y

    def activation(self, x, kind):
        if kind == "relu":
            return self.op("Relu", [x])
        if kind == "clip":
            return self.op("Clip", [x, self.const(0.0), self.const(6.0)])
        if kind == "sigmoid":
            return self.op("Sigmoid", [x])
        return x


def make_case(r, index):
    g = Block(r)
    c = int(r.choice([4, 8, 16, 24]))
    h = int(r.integers(5, 12))
    shared = r.choice(["relu", "clip", "sigmoid", "none", "mixed"])
    outputs = []
    for branch in range(int(r.integers(2, 5))):
        start = r.choice(["1x1"] * 4 + ["pool", "3x3"]) if branch else "1x1"
        f = int(r.choice([4, 8, 12, 16, 20]))
        extra = r.choice(["bias", "bn", None])
        kind = (r.choice(["relu", "clip", "sigmoid", "none"])
                if shared == "mixed" else shared)
        if start == "pool":
            y = g.op("MaxPool", ["x"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
            y = g.activation(g.conv(y, c, f, 1, extra=extra), kind)
        elif start == "3x3":
            # Another window: a sibling of the other 3x3 ones only.
            y = g.activation(g.conv("x", c, f, 3, extra=extra), kind)
        else:
            y = g.activation(g.conv("x", c, f, 1, extra=extra), kind)
            if r.random() < 0.5:
                k = int(r.choice([3, 5]))
                y = g.activation(g.conv(y, f, int(r.choice([8, 16])), k, extra="bias"),
                                 "relu")
        outputs.append(y)
    g.nodes.append(helper.make_node("Concat", outputs, ["y"], axis=1))
    x = r.standard_normal((1, c, h, h)).astype(np.float32)
    graph = helper.make_graph(
        g.nodes, f"block{index}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, h, h])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model, x, len(g.nodes)


def run_case(work, seed, index):
    model, x, nodes = make_case(np.random.default_rng([seed, index]), index)
    tag = f"block#{index} (seed {seed}, {nodes} nodes)"
    base = os.path.join(work, f"block{index}")
    error = prepare(base, model, x)
    if error:
        return "fail", f"{tag}: {error}", 0
    merged = base + ".merged.mlir"
    fused = run(["infer-opt", "--fuse=horizontal-convs=true", "--tile", base + ".mlir",
                 "-o", merged])
    if fused.returncode != 0:
        return "fail", f"{tag}: infer-opt --fuse: {fused.stderr.strip()[:400]}", 0
    outputs = {}
    for variant, source, flag in (("unfused", base + ".mlir", "--fuse=false"),
                                  ("fused", base + ".mlir", "--fuse=true"),
                                  ("merged", merged, "--fuse=true")):
        out = f"{base}.{variant}.npy"
        result = run(["infer-run", source, flag, "--input", base + ".x.npy",
                      "--expect", base + ".ref.npy", "--rtol", "1e-3", "--atol", "1e-4",
                      "--output", out])
        if result.returncode != 0:
            return "fail", f"{tag}: {variant}: {result.stderr.strip()[:400]}", 0
        outputs[variant] = np.load(out)
    for variant in ("fused", "merged"):
        if not np.allclose(outputs[variant], outputs["unfused"], rtol=1e-4, atol=1e-5):
            diff = float(np.max(np.abs(outputs[variant] - outputs["unfused"])))
            return "fail", f"{tag}: {variant} and unfused differ by {diff}", 0
    report = run(["infer-opt", "--fuse-report=horizontal-convs=true", base + ".mlir",
                  "-o", os.devnull])
    if report.returncode != 0:
        return "fail", f"{tag}: --fuse-report: {report.stderr.strip()[:400]}", 0
    merged = sum(int(n) for n in re.findall(r"infer-fuse: (\d+) sibling convolutions",
                                            report.stderr))
    return "pass", tag, merged


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("work")
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    counts = {"pass": 0, "fail": 0}
    merged = 0
    for i in range(args.cases):
        status, message, n = run_case(args.work, args.seed, i)
        counts[status] += 1
        merged += n
        if status != "pass":
            print(f"{status.upper()} {message}")
    print(f"conv blocks: {counts['pass']} pass, {counts['fail']} fail; "
          f"{merged} sibling convolutions merged in all")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
