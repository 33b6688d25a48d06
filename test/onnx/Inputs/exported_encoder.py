#!/usr/bin/env python3
"""Writes the exported BERT-style encoder layer of tools/bench/workloads.py
(batch 2, seq 16, d 64, 4 heads, ffn 128) to OUT: encoder.onnx, encoder.mlir
(imported), in.npy (seeded tokens) and ref.npy (onnxruntime's output).

    exported_encoder.py OUT
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools", "bench"))
import workloads  # noqa: E402
from infer.onnx.importer import import_model  # noqa: E402

out = sys.argv[1]
model = workloads.exported_encoder_model(batch=2, seq=16, d=64, heads=4, ff=128)
onnx.save(model, os.path.join(out, "encoder.onnx"))
with open(os.path.join(out, "encoder.mlir"), "w") as f:
    f.write(import_model(model))
x = np.random.default_rng(3).standard_normal((2, 16, 64)).astype(np.float32)
np.save(os.path.join(out, "in.npy"), x)
ref = ort.InferenceSession(model.SerializeToString(),
                           providers=["CPUExecutionProvider"]).run(None, {"tokens": x})[0]
np.save(os.path.join(out, "ref.npy"), ref)
print(f"{len(model.graph.node)} ONNX nodes")
