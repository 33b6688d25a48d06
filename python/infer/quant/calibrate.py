"""infer-calibrate: calibration tables for int8 quantization, from our own
compiled code.

    infer-calibrate MODEL.onnx --data D --method {minmax,percentile,kl,mse}
                    [--percentile P] [--bins N] [--batch B]
                    [--sensitivity BUDGET] -o table.json

D is a directory of .npy files or one .npz: one array per graph input (in
the graph's input order; an .npz may name them), the batch along the first
axis. The model is rewritten so that every float tensor is a graph output,
imported, compiled by tools/infer-compile and run on the data in batches
(infer.runtime): a first pass gathers each tensor's minimum and maximum, a
second (except for minmax) its histogram of |x|; then each tensor's
threshold comes from the method (infer.quant.calibrators). The table format
is documented in docs/quantization.md.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx

from infer.onnx.importer import import_model
from infer.quant import calibrators
from infer.runtime import CompiledModel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
TABLE_VERSION = 1


class CalibrationError(Exception):
    """Bad input to infer-calibrate: exits with a message, no traceback."""


def load_data(path, input_names):
    """One array per graph input from a directory of .npy files (sorted by
    name) or an .npz (by input name when every name is there, else in
    order)."""
    if not os.path.exists(path):
        raise CalibrationError(f"--data {path}: no such file or directory")
    if os.path.isdir(path):
        files = sorted(f for f in os.listdir(path) if f.endswith(".npy"))
        arrays = [np.load(os.path.join(path, f)) for f in files]
    elif path.endswith(".npz"):
        with np.load(path) as npz:
            keys = list(npz.keys())
            order = input_names if set(input_names) <= set(keys) else keys
            arrays = [npz[k] for k in order]
    else:
        raise CalibrationError(f"--data {path}: expected a directory of .npy files or an .npz")
    if len(arrays) != len(input_names):
        raise CalibrationError(f"--data {path}: {len(arrays)} arrays for the model's "
                               f"{len(input_names)} inputs ({', '.join(input_names)})")
    sizes = {a.shape[0] if a.ndim else 0 for a in arrays}
    if len(sizes) != 1 or 0 in sizes:
        raise CalibrationError(f"--data {path}: the arrays need one batch size along their "
                               f"first axis, got {[list(a.shape) for a in arrays]}")
    return arrays


def float_tensors(model):
    """The graph inputs and node outputs of float type (by ONNX shape
    inference), in graph order, with the node that produces each."""
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + \
            list(inferred.graph.output):
        types[vi.name] = vi.type.tensor_type.elem_type
    initializers = {i.name for i in model.graph.initializer}
    tensors = [(i.name, None) for i in model.graph.input if i.name not in initializers]
    for node in model.graph.node:
        if node.op_type == "Constant":
            continue
        for out in node.output:
            if out and types.get(out, onnx.TensorProto.FLOAT) == onnx.TensorProto.FLOAT:
                tensors.append((out, node.name or node.op_type))
    return tensors


def exposed(model, names):
    """A copy of `model` whose outputs are `names` (every calibrated
    tensor)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    del m.graph.output[:]
    for name in names:
        m.graph.output.append(onnx.helper.make_tensor_value_info(
            name, onnx.TensorProto.FLOAT, None))
    return m


def batch_size(n, wanted, model):
    """The batch the model is compiled for: 1 when its first input has a
    fixed first dimension of 1, else the largest divisor of n up to
    `wanted`."""
    dims = model.graph.input[0].type.tensor_type.shape.dim if model.graph.input else []
    if dims and dims[0].HasField("dim_value") and dims[0].dim_value > 0:
        if n % dims[0].dim_value:
            raise CalibrationError(f"the model's batch is fixed to {dims[0].dim_value}, "
                                   f"which does not divide the {n} samples")
        return dims[0].dim_value
    return max(d for d in range(1, min(n, wanted) + 1) if n % d == 0)


class Progress:
    """A progress line on stderr when it is a terminal, else one line per
    pass."""

    def __init__(self, label, total):
        self.label, self.total, self.done = label, total, 0
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()

    def step(self, n=1):
        self.done += n
        if self.tty:
            width = 30
            filled = int(width * self.done / self.total)
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                             f"{self.done}/{self.total}")
            sys.stderr.flush()

    def close(self):
        elapsed = time.perf_counter() - self.start
        sys.stderr.write(("\r" if self.tty else "") +
                         f"{self.label}: {self.done}/{self.total} samples in {elapsed:.1f} s\n")


def compile_model(model, batch, work, bin_dir, threads):
    """Imports and compiles `model` for `batch`; returns the CompiledModel."""
    try:
        text = import_model(model, batch_size=batch)
    except Exception as e:  # noqa: BLE001 - the importer names the node
        raise CalibrationError(f"import: {e}")
    mlir = os.path.join(work, "calibration.mlir")
    with open(mlir, "w") as f:
        f.write(text)
    cmd = [os.path.join(ROOT, "tools", "infer-compile"), mlir, "-o", work, "--name",
           "calibration", "--threads", str(threads), "--bin", bin_dir]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CalibrationError(f"infer-compile failed: {proc.stderr.strip()[-800:]}")
    return CompiledModel(os.path.join(work, "libcalibration.so"))


def calibrate(model, arrays, method, percentile=99.99, bins=2048, batch=32,
              work=None, bin_dir=None, threads=0):
    """The calibration table (a dict) of `model` on `arrays`."""
    if method not in calibrators.METHODS:
        raise CalibrationError(f"unknown method {method!r} (known: "
                               f"{', '.join(calibrators.METHODS)})")
    tensors = float_tensors(model)
    names = [name for name, _ in tensors]
    n = arrays[0].shape[0]
    b = batch_size(n, batch, model)
    with tempfile.TemporaryDirectory() as tmp:
        work = work or tmp
        os.makedirs(work, exist_ok=True)
        compiled = compile_model(exposed(model, names), b, work,
                                 bin_dir or os.path.join(ROOT, "build", "bin"), threads)
        if len(compiled.outputs) != len(names):
            raise CalibrationError(f"the compiled model has {len(compiled.outputs)} results "
                                   f"for {len(names)} tensors")

        def batches(label):
            progress = Progress(label, n)
            for start in range(0, n, b):
                yield compiled(*[a[start:start + b] for a in arrays])
                progress.step(b)
            progress.close()

        ranges = [calibrators.RangeStats() for _ in names]
        for outputs in batches("ranges"):
            for stats, value in zip(ranges, outputs):
                stats.update(value)
        hists = None
        if method != "minmax":
            hists = [calibrators.HistogramStats(r.absmax, bins) for r in ranges]
            for outputs in batches("histograms"):
                for hist, value in zip(hists, outputs):
                    hist.update(value)

    table = {}
    for i, (name, node) in enumerate(tensors):
        r = ranges[i]
        t = calibrators.threshold(method, r, hists[i] if hists else None, percentile)
        table[name] = {
            "node": node, "min": r.min, "max": r.max, "threshold": t,
            "symmetric": calibrators.int8_params(r, t, symmetric=True),
            "asymmetric": calibrators.int8_params(r, t, symmetric=False),
        }
    return {
        "format": "infer-calibration", "version": TABLE_VERSION,
        "model": model.graph.name, "method": method,
        "percentile": percentile if method == "percentile" else None,
        "bins": bins if method != "minmax" else None, "samples": int(n),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "tensors": table,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="infer-calibrate",
        description="Calibration table for int8 quantization, from our own compiled code")
    parser.add_argument("model", help="model.onnx")
    parser.add_argument("--data", required=True,
                        help="a directory of .npy files or an .npz, one array per graph input")
    parser.add_argument("--method", default="minmax", choices=calibrators.METHODS)
    parser.add_argument("--percentile", type=float, default=99.99,
                        help="percentile method: the percentile of |x| kept (default 99.99)")
    parser.add_argument("--bins", type=int, default=2048, help="histogram bins (default 2048)")
    parser.add_argument("--batch", type=int, default=32,
                        help="samples per call of the compiled model (default 32)")
    parser.add_argument("--threads", type=int, default=0, help="threads (0: every core)")
    parser.add_argument("--work", help="keep the compiled model in this directory")
    parser.add_argument("--bin", help="the build's bin directory (default: build/bin)")
    parser.add_argument("--sensitivity", type=float, metavar="BUDGET",
                        help="measure each layer's output error with only that layer in "
                             "int8 (relative, on up to --sensitivity-samples samples) and "
                             "keep the layers over BUDGET in fp32 (recorded in the table)")
    parser.add_argument("--sensitivity-samples", type=int, default=64,
                        help="samples the sensitivity analysis runs (default 64)")
    parser.add_argument("-o", "--output", required=True, help="table.json")
    args = parser.parse_args(argv)
    try:
        if not args.model.endswith(".onnx"):
            raise CalibrationError(f"{args.model}: only .onnx models are calibrated so far")
        if not 0 < args.percentile <= 100:
            raise CalibrationError(f"--percentile must be in (0, 100], got {args.percentile}")
        if args.bins < 256 or args.batch < 1:
            raise CalibrationError("--bins must be at least 256 and --batch positive")
        model = onnx.load(args.model)
        initializers = {i.name for i in model.graph.initializer}
        inputs = [i.name for i in model.graph.input if i.name not in initializers]
        arrays = load_data(args.data, inputs)
        table = calibrate(model, arrays, args.method, args.percentile, args.bins, args.batch,
                          args.work, args.bin, args.threads)
    except (CalibrationError, OSError, onnx.checker.ValidationError) as e:
        print(f"infer-calibrate: error: {e}", file=sys.stderr)
        return 1
    with open(args.output, "w") as f:
        json.dump(table, f, indent=1)
    print(f"infer-calibrate: {len(table['tensors'])} tensors, {table['samples']} samples, "
          f"method {args.method}: {args.output}", file=sys.stderr)
    if args.sensitivity is not None:
        from infer.quant import sensitivity
        n = min(args.sensitivity_samples, arrays[0].shape[0])
        b = batch_size(n, args.batch, model)
        samples = [a[:n] for a in arrays]

        def progress(done, total, node, error):
            print(f"infer-calibrate: sensitivity {done}/{total}: {node}: {error:.3g}",
                  file=sys.stderr)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                errors, over = sensitivity.analyze(
                    model, args.output, samples, args.sensitivity, b, args.work or tmp,
                    args.bin or os.path.join(ROOT, "build", "bin"), args.threads, progress)
        except sensitivity.SensitivityError as e:
            print(f"infer-calibrate: error: {e}", file=sys.stderr)
            return 1
        sensitivity.apply(table, errors, over, args.sensitivity)
        with open(args.output, "w") as f:
            json.dump(table, f, indent=1)
        print(f"infer-calibrate: {len(over)} of {len(errors)} layers over the budget "
              f"{args.sensitivity:g} stay fp32: {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
