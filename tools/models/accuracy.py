#!/usr/bin/env python3
"""Top-1 accuracy of the Fashion-MNIST CNN on the 10,000 test images: ours
(compiled by tools/infer-compile, called through infer.runtime) and
onnxruntime, in fp32 and int8.

    accuracy.py [--model tools/models/fashion_mnist_cnn.onnx] [--work DIR]
                [--calibration 1000] [--bin build/bin]

Two int8 models, both calibrated on the first `--calibration` training
images: onnxruntime's static quantization (QDQ, uint8 activations,
per-channel int8 weights), which ours and onnxruntime run; and ours, the
fp32 model calibrated by `infer-calibrate --method M` (each of
`--methods`) and quantized by `infer-opt --quantize-int8`. And our bf16
(`infer-opt --convert-bf16`: bf16 weights and inputs of the convolutions
and the gemm, f32 accumulation).
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


def ours(model, x, work, bin_dir, name, flags=()):
    """Top-1 predictions of `model` compiled by us for batches of BATCH,
    after infer-opt `flags` (--quantize-int8=..., --convert-bf16) if any."""
    mlir = os.path.join(work, name + ".mlir")
    with open(mlir, "w") as f:
        f.write(import_model(model, batch_size=BATCH))
    if flags:
        converted = os.path.join(work, name + ".converted.mlir")
        subprocess.run([os.path.join(bin_dir, "infer-opt"), mlir, *flags, "-o", converted],
                       check=True, capture_output=True)
        mlir = converted
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
    parser.add_argument("--methods", default="minmax,percentile,kl,mse",
                        help="infer-calibrate methods for our own int8")
    parser.add_argument("--max-drop", type=float,
                        help="fail when our own int8 top-1 is more than this many "
                             "points below our fp32")
    parser.add_argument("--max-drop-bf16", type=float,
                        help="the same for our bf16")
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
        calib_path = os.path.join(work, "calibration.npz")
        np.savez(calib_path, x=calib)
        own = []
        for method in filter(None, args.methods.split(",")):
            table = os.path.join(work, f"table_{method}.json")
            subprocess.run([sys.executable, "-m", "infer.quant.calibrate", args.model,
                            "--data", calib_path, "--method", method, "-o", table,
                            "--bin", args.bin], check=True, capture_output=True)
            own.append((f"int8 (ours: infer-calibrate {method}, --quantize-int8)", "ours",
                        ours(fp32, x, work, args.bin, f"own_{method}",
                             [f"--quantize-int8=calibration={table}"])))
        own.append(("bf16 (ours: --convert-bf16)", "ours",
                     ours(fp32, x, work, args.bin, "bf16", ["--convert-bf16"])))
        rows = [("fp32", "ours", ours(fp32, x, work, args.bin, "fp32")),
                ("fp32", "onnxruntime", onnxruntime(fp32, x)),
                ("int8 (onnxruntime quantize_static)", "ours", ours(int8, x, work, args.bin,
                                                                    "int8")),
                ("int8 (onnxruntime quantize_static)", "onnxruntime", onnxruntime(int8, x))]
        rows += own
    print(f"Fashion-MNIST test set: {len(y)} images; int8 calibrated on {len(calib)} "
          "training images")
    print("| precision | runtime | top-1 | predictions equal to onnxruntime's "
          "(fp32 for our own int8 and bf16) |")
    print("|---|---|---:|---:|")
    # Our own int8 and bf16 are compared with onnxruntime's fp32.
    reference = {rows[1][0]: rows[1][2], rows[3][0]: rows[3][2]}
    for precision, runtime, pred in rows:
        same = float(np.mean(pred == reference.get(precision, rows[1][2])))
        print(f"| {precision} | {runtime} | {np.mean(pred == y) * 100:.2f}% | {same * 100:.2f}% |")
    fp32_top1 = np.mean(rows[0][2] == y) * 100
    status = 0
    for precision, _, pred in own:
        drop = fp32_top1 - np.mean(pred == y) * 100
        print(f"{precision}: {drop:+.2f} points below our fp32")
        limit = args.max_drop_bf16 if precision.startswith("bf16") else args.max_drop
        if limit is not None and drop > limit:
            print(f"error: {precision} loses more than {limit} points")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
