#!/usr/bin/env python3
"""Top-1 accuracy of the Fashion-MNIST CNN on the 10,000 test images: ours
(compiled by tools/infer-compile, called through infer.runtime) and
onnxruntime, in fp32 and int8.

    accuracy.py [--model tools/models/fashion_mnist_cnn.onnx] [--work DIR]
                [--calibration 1000] [--bin build/bin]

int8 is onnxruntime's static quantization (QDQ, uint8 activations,
per-channel int8 weights), calibrated on the first `--calibration` training
images; ours runs that same quantized model. Our own quantizer
(`--quantize-int8`) is not there yet (docs/quantization.md).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                      quantize_static)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import fashion_mnist  # noqa: E402

from infer.onnx.importer import import_model  # noqa: E402
from infer.runtime import CompiledModel  # noqa: E402

BATCH = 1000


def ours(model, x, work, bin_dir, name):
    """Top-1 predictions of `model` compiled by us for batches of BATCH."""
    mlir = os.path.join(work, name + ".mlir")
    with open(mlir, "w") as f:
        f.write(import_model(model, batch_size=BATCH))
    subprocess.run([os.path.join(ROOT, "tools", "infer-compile"), mlir, "-o", work, "--name",
                    name, "--bin", bin_dir], check=True, capture_output=True)
    compiled = CompiledModel(os.path.join(work, f"lib{name}.so"))
    return np.concatenate([compiled(x[i:i + BATCH])[0].argmax(1)
                           for i in range(0, len(x), BATCH)])


def onnxruntime(model, x):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return np.concatenate([session.run(None, {"x": x[i:i + BATCH]})[0].argmax(1)
                           for i in range(0, len(x), BATCH)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=os.path.join(HERE, "fashion_mnist_cnn.onnx"))
    parser.add_argument("--work")
    parser.add_argument("--calibration", type=int, default=1000)
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    args = parser.parse_args(argv)
    x, y = fashion_mnist.load("test")
    calib, _ = fashion_mnist.load("train")
    calib = calib[:args.calibration]
    fp32 = onnx.load(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or tmp
        os.makedirs(work, exist_ok=True)

        class Reader(CalibrationDataReader):
            def __init__(self):
                self.it = iter([{"x": calib[i:i + 100]} for i in range(0, len(calib), 100)])

            def get_next(self):
                return next(self.it, None)

        qdq_path = os.path.join(work, "int8_qdq.onnx")
        quantize_static(args.model, qdq_path, Reader(), quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        per_channel=True)
        int8 = onnx.load(qdq_path)
        rows = [("fp32", "ours", ours(fp32, x, work, args.bin, "fp32")),
                ("fp32", "onnxruntime", onnxruntime(fp32, x)),
                ("int8 (onnxruntime quantize_static)", "ours", ours(int8, x, work, args.bin,
                                                                    "int8")),
                ("int8 (onnxruntime quantize_static)", "onnxruntime", onnxruntime(int8, x))]
    print(f"Fashion-MNIST test set: {len(y)} images; int8 calibrated on {len(calib)} "
          "training images")
    print("| precision | runtime | top-1 | predictions equal to onnxruntime's |")
    print("|---|---|---:|---:|")
    reference = {rows[1][0]: rows[1][2], rows[3][0]: rows[3][2]}
    for precision, runtime, pred in rows:
        same = float(np.mean(pred == reference[precision]))
        print(f"| {precision} | {runtime} | {np.mean(pred == y) * 100:.2f}% | {same * 100:.2f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
