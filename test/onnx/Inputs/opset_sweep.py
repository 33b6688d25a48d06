#!/usr/bin/env python3
"""Imports ops whose ONNX signature changed across opsets 11-21 at each of
those opsets, runs them with infer-run and compares with onnxruntime.

    opset_sweep.py WORK_DIR

Debian's backend test data stops at opset 17; this covers the later forms
(reduction axes as inputs at 18, Pad axes at 18, Gelu at 20) as well as the
earlier ones (Softmax's 2-D coercion before 13, Squeeze/Unsqueeze axes as
attributes before 13, Clip bounds as attributes before 11). Prints one line
per case and exits 1 if any case fails.
"""
import os
import subprocess
import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from infer.onnx.importer import import_model


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def cases():
    """(name, opset, nodes, inputs {name: array}, initializers, output shape)."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    out = []
    for opset in (11, 13, 18, 21):
        axes = [1, 2]
        if opset >= 18:
            reduce_nodes = [helper.make_node("ReduceMean", ["x", "axes"], ["y"], keepdims=0)]
            reduce_inits = [const("axes", np.array(axes, np.int64))]
        else:
            reduce_nodes = [helper.make_node("ReduceMean", ["x"], ["y"], axes=axes, keepdims=0)]
            reduce_inits = []
        out.append(("reduce_mean", opset, reduce_nodes, {"x": x}, reduce_inits, [2]))
        if opset >= 13:
            sq = [helper.make_node("Unsqueeze", ["x", "ax"], ["u"]),
                  helper.make_node("Squeeze", ["u", "ax"], ["y"])]
            sq_inits = [const("ax", np.array([0], np.int64))]
        else:
            sq = [helper.make_node("Unsqueeze", ["x"], ["u"], axes=[0]),
                  helper.make_node("Squeeze", ["u"], ["y"], axes=[0])]
            sq_inits = []
        out.append(("squeeze_unsqueeze", opset, sq, {"x": x}, sq_inits, [2, 3, 4]))
        # Softmax on axis 1: before 13 it normalizes the flattened [2, 12].
        out.append(("softmax_axis1", opset,
                    [helper.make_node("Softmax", ["x"], ["y"], axis=1)], {"x": x}, [],
                    [2, 3, 4]))
        out.append(("log_softmax_axis1", opset,
                    [helper.make_node("LogSoftmax", ["x"], ["y"], axis=1)], {"x": x}, [],
                    [2, 3, 4]))
        pads = [0, 1, 0, 0, 2, 0]
        if opset >= 18:
            pad = [helper.make_node("Pad", ["x", "pads", "value", "pad_axes"], ["y"])]
            pad_inits = [const("pads", np.array([1, 2], np.int64)),
                         const("value", np.array(0.5, np.float32)),
                         const("pad_axes", np.array([1], np.int64))]
        else:
            pad = [helper.make_node("Pad", ["x", "pads", "value"], ["y"])]
            pad_inits = [const("pads", np.array(pads, np.int64)),
                         const("value", np.array(0.5, np.float32))]
        out.append(("pad", opset, pad, {"x": x}, pad_inits, [2, 6, 4]))
        out.append(("clip", opset,
                    [helper.make_node("Clip", ["x", "lo", "hi"], ["y"])], {"x": x},
                    [const("lo", np.array(-0.5, np.float32)),
                     const("hi", np.array(0.7, np.float32))], [2, 3, 4]))
        out.append(("slice", opset,
                    [helper.make_node("Slice", ["x", "s", "e", "a", "st"], ["y"])],
                    {"x": x},
                    [const("s", np.array([3, 0], np.int64)),
                     const("e", np.array([-5, 2], np.int64)),
                     const("a", np.array([2, 1], np.int64)),
                     const("st", np.array([-2, 1], np.int64))], [2, 2, 2]))
        if opset >= 17:
            out.append(("layer_norm", opset,
                        [helper.make_node("LayerNormalization", ["x", "g", "b"], ["y"],
                                          axis=-1, epsilon=1e-3)], {"x": x},
                        [const("g", rng.standard_normal(4).astype(np.float32)),
                         const("b", rng.standard_normal(4).astype(np.float32))], [2, 3, 4]))
        if opset >= 20:
            out.append(("gelu_tanh", opset,
                        [helper.make_node("Gelu", ["x"], ["y"], approximate="tanh")],
                        {"x": x}, [], [2, 3, 4]))
    return out


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    failures = 0
    for name, opset, nodes, inputs, inits, out_shape in cases():
        graph = helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info(k, TensorProto.FLOAT, v.shape)
             for k, v in inputs.items()],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 8
        tag = f"{name}@{opset}"
        try:
            expected = ort.InferenceSession(
                model.SerializeToString(),
                providers=["CPUExecutionProvider"]).run(None, inputs)[0]
            text = import_model(model)
        except Exception as e:  # noqa: BLE001 - report and go on
            print(f"FAIL {tag}: {type(e).__name__}: {e}")
            failures += 1
            continue
        mlir = os.path.join(work, f"{tag}.mlir")
        with open(mlir, "w") as f:
            f.write(text)
        cmd = ["infer-run", mlir, "--rtol", "1e-5", "--atol", "1e-6"]
        for k, v in inputs.items():
            path = os.path.join(work, f"{tag}.{k}.npy")
            np.save(path, v)
            cmd += ["--input", path]
        ref = os.path.join(work, f"{tag}.expected.npy")
        np.save(ref, expected)
        result = subprocess.run(cmd + ["--expect", ref], capture_output=True, text=True)
        if result.returncode != 0:
            print(f"FAIL {tag}: {result.stderr.strip()}")
            failures += 1
        else:
            print(f"PASS {tag}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
