#!/usr/bin/env python3
"""int8 and bf16 against fp32, ours and onnxruntime's, same run.

    tools/bench/int8.py [--threads 2] [--rounds 3] [--runs 20] [--warmup 3]
                        [--models fashion_mnist,resnet50,encoder] [--no-gemm]
                        [--work DIR] [--json FILE]

Per model: our fp32 (infer-run), our int8 (calibrated by infer-calibrate
--method minmax, quantized by infer-opt --quantize-int8), our bf16
(infer-opt --convert-bf16) and onnxruntime's fp32 and int8 (quantize_static,
QDQ, uint8 activations, per-channel int8 weights, the same calibration
data). Each round runs every variant once
(`--runs` timed calls after `--warmup`); the table gives the median of the
round medians. The GEMM row is 1024^3 with a constant B: our u8 x s8 -> i32
kernel, our f32 kernel (linalg on tensors through infer-run) and our bf16
matmul (infer.matmul after --convert-bf16, the cast of A included) against
onnxruntime's MatMulInteger and MatMul.

Models: the Fashion-MNIST CNN of tools/models (batch 100, the calibration
data its first 1,000 training images when dataset-fashion-mnist is
installed, else seeded normal data), light_resnet50 of the onnx wheel
(batch 1; 8 seeded normal images calibrate it) and the tools/demo encoder.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "tools", "models"))
import workloads  # noqa: E402
from runners import Ort  # noqa: E402

from infer.onnx.importer import import_model  # noqa: E402

BIN = os.path.join(ROOT, "build", "bin")


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    return r.stdout


def ours_ms(mlir, inputs, threads, runs, warmup):
    out = run([os.path.join(BIN, "infer-run"), mlir, *[f"--input={i}" for i in inputs],
               f"--threads={threads}", f"--repeat={runs}", f"--warmup={warmup}"])
    for line in out.splitlines():
        if line.startswith("median_ms="):
            return float(line.split("=")[1])
    raise RuntimeError(f"no median from infer-run on {mlir}")


def fashion_mnist(batch):
    model = onnx.load(os.path.join(ROOT, "tools", "models", "fashion_mnist_cnn.onnx"))
    try:
        import fashion_mnist as fm
        calib = fm.load("train")[0][:1000]
        x = fm.load("test")[0][:batch]
        source = "Fashion-MNIST images"
    except Exception:  # noqa: BLE001 - the dataset is optional here
        rng = np.random.default_rng(0)
        calib = rng.random((1000, 1, 28, 28), dtype=np.float32)
        x = rng.random((batch, 1, 28, 28), dtype=np.float32)
        source = "seeded uniform data"
    return model, {"x": x}, {"x": calib}, source


def seeded(model, samples):
    feeds = workloads.model_feeds(model)
    rng = np.random.default_rng(1)
    calib = {k: rng.standard_normal((samples,) + v.shape[1:]).astype(v.dtype)
             for k, v in feeds.items()}
    return feeds, calib


def load(name):
    if name == "fashion_mnist":
        return fashion_mnist(100)
    if name == "encoder":
        model = workloads.encoder_model()
    else:
        model = onnx.load(workloads.light_model_path(name))
    feeds, calib = seeded(model, 8)
    return model, feeds, calib, "seeded normal data"


def ort_int8(model_path, calib, batch, out_path):
    """onnxruntime's quantize_static of the model, fed `calib` in batches of
    the model's batch size."""
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self):
            n = len(next(iter(calib.values())))
            self.it = iter([{k: v[i:i + batch] for k, v in calib.items()}
                            for i in range(0, n - batch + 1, batch)])

        def get_next(self):
            return next(self.it, None)

    quantize_static(model_path, out_path, Reader(), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    per_channel=True)


def bench_model(name, args, ort, work):
    model, feeds, calib, source = load(name)
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    batch = next(iter(feeds.values())).shape[0]
    path = os.path.join(folder, "model.onnx")
    onnx.save(model, path)
    mlir = os.path.join(folder, "fp32.mlir")
    with open(mlir, "w") as f:
        f.write(import_model(model, batch_size=batch))
    calib_path = os.path.join(folder, "calibration.npz")
    np.savez(calib_path, **calib)
    table = os.path.join(folder, "table.json")
    run([sys.executable, "-m", "infer.quant.calibrate", path, "--data", calib_path,
         "--method", "minmax", "-o", table, "--bin", BIN])
    bf16 = os.path.join(folder, "bf16.mlir")
    run([os.path.join(BIN, "infer-opt"), mlir, "--convert-bf16", "-o", bf16])
    int8 = os.path.join(folder, "int8.mlir")
    report = subprocess.run([os.path.join(BIN, "infer-opt"), mlir,
                             f"--quantize-report=calibration={table}", "-o", int8],
                            capture_output=True, text=True)
    if report.returncode:
        raise RuntimeError(report.stderr[-2000:])
    summary = [ln.split("infer-quantize: ")[1] for ln in report.stderr.splitlines()
               if "convolutions and contractions in int8" in ln]
    inputs = []
    for i, v in enumerate(feeds.values()):
        p = os.path.join(folder, f"in{i}.npy")
        np.save(p, v)
        inputs.append(p)
    qdq = os.path.join(folder, "ort_int8.onnx")
    ort_int8(path, calib, batch, qdq)
    times = {k: [] for k in ("ours_fp32", "ours_int8", "ours_bf16", "ort_fp32", "ort_int8")}
    for r in range(args.rounds):
        times["ours_fp32"].append(ours_ms(mlir, inputs, args.threads, args.runs, args.warmup))
        times["ours_int8"].append(ours_ms(int8, inputs, args.threads, args.runs, args.warmup))
        times["ours_bf16"].append(ours_ms(bf16, inputs, args.threads, args.runs, args.warmup))
        times["ort_fp32"].append(ort.run(path, feeds, args.threads, args.runs,
                                         args.warmup)[0]["median_ms"])
        times["ort_int8"].append(ort.run(qdq, feeds, args.threads, args.runs,
                                         args.warmup)[0]["median_ms"])
        print(f"  {name} round {r + 1}: " + ", ".join(f"{k} {v[-1]:.3f}"
                                                      for k, v in times.items()), flush=True)
    return {"model": name, "batch": batch, "data": source,
            "quantized": summary[0] if summary else "",
            "rounds": times, **{k: statistics.median(v) for k, v in times.items()}}


def gemm_mlir(path, m, k, n, b, integer):
    elem, acc = ("i8", "i32") if integer else ("f32", "f32")
    body = ("%xe = arith.extui %x : i8 to i32\n    %ye = arith.extsi %y : i8 to i32\n"
            "    %p = arith.muli %xe, %ye : i32\n    %s = arith.addi %acc, %p : i32"
            if integer else "%p = arith.mulf %x, %y : f32\n    %s = arith.addf %acc, %p : f32")
    zero = "0 : i32" if integer else "0.0 : f32"
    # A resource blob starts with its alignment (4 bytes, little endian).
    alignment = (1 if integer else 4).to_bytes(4, "little")
    blob = (alignment + b.tobytes()).hex().upper()
    with open(path, "w") as f:
        f.write(f"""func.func @main(%a: tensor<{m}x{k}x{elem}>) -> tensor<{m}x{n}x{acc}> {{
  %b = arith.constant dense_resource<b> : tensor<{k}x{n}x{elem}>
  %z = arith.constant {zero}
  %e = tensor.empty() : tensor<{m}x{n}x{acc}>
  %f = linalg.fill ins(%z : {acc}) outs(%e : tensor<{m}x{n}x{acc}>) -> tensor<{m}x{n}x{acc}>
  %c = linalg.generic {{indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
      affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
      iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%a, %b : tensor<{m}x{k}x{elem}>, tensor<{k}x{n}x{elem}>)
      outs(%f : tensor<{m}x{n}x{acc}>) {{
  ^bb0(%x: {elem}, %y: {elem}, %acc: {acc}):
    {body}
    linalg.yield %s : {acc}
  }} -> tensor<{m}x{n}x{acc}>
  return %c : tensor<{m}x{n}x{acc}>
}}
{{-#
  dialect_resources: {{
    builtin: {{
      b: "0x{blob}"
    }}
  }}
#-}}
""")


def bench_gemm(args, ort, work, size=1024):
    folder = os.path.join(work, "gemm")
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    a8 = rng.integers(0, 256, (size, size)).astype(np.uint8)
    b8 = rng.integers(-128, 128, (size, size)).astype(np.int8)
    af = rng.standard_normal((size, size)).astype(np.float32)
    bf = rng.standard_normal((size, size)).astype(np.float32)
    m8, mf = os.path.join(folder, "int8.mlir"), os.path.join(folder, "fp32.mlir")
    gemm_mlir(m8, size, size, size, b8, True)
    gemm_mlir(mf, size, size, size, bf, False)
    p8, pf = os.path.join(folder, "a8.npy"), os.path.join(folder, "af.npy")
    np.save(p8, a8.view(np.int8))
    np.save(pf, af)
    # Bit-exact against numpy before timing.
    ref = os.path.join(folder, "ref.npy")
    np.save(ref, a8.astype(np.int32) @ b8.astype(np.int32))
    run([os.path.join(BIN, "infer-run"), m8, f"--input={p8}", f"--expect={ref}",
         "--atol=0", "--rtol=0", f"--threads={args.threads}"])
    ints = helper.make_model(helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b"], ["c"])], "g",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [size, size])],
        [helper.make_tensor_value_info("c", TensorProto.INT32, [size, size])],
        [numpy_helper.from_array(b8, "b")]), opset_imports=[helper.make_opsetid("", 13)])
    floats = helper.make_model(helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["c"])], "g",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [size, size])],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, [size, size])],
        [numpy_helper.from_array(bf, "b")]), opset_imports=[helper.make_opsetid("", 13)])
    # bf16: the matmul of the graph with its weights converted.
    graph = os.path.join(folder, "matmul.mlir")
    blob = ((4).to_bytes(4, "little") + bf.tobytes()).hex().upper()
    t = f"tensor<{size}x{size}xf32>"
    with open(graph, "w") as f:
        f.write(f"""func.func @main(%a: {t}) -> {t} {{
  %b = infer.constant dense_resource<b> : {t}
  %c = infer.matmul %a, %b : ({t}, {t}) -> {t}
  return %c : {t}
}}
{{-#
  dialect_resources: {{ builtin: {{ b: "0x{blob}" }} }}
#-}}
""")
    mb = os.path.join(folder, "bf16.mlir")
    run([os.path.join(BIN, "infer-opt"), graph, "--convert-bf16", "-o", mb])
    times = {k: [] for k in ("ours_fp32", "ours_int8", "ours_bf16", "ort_fp32", "ort_int8")}
    for r in range(args.rounds):
        times["ours_fp32"].append(ours_ms(mf, [pf], args.threads, args.runs, args.warmup))
        times["ours_int8"].append(ours_ms(m8, [p8], args.threads, args.runs, args.warmup))
        times["ours_bf16"].append(ours_ms(mb, [pf], args.threads, args.runs, args.warmup))
        times["ort_fp32"].append(ort.run(floats.SerializeToString(), {"a": af}, args.threads,
                                         args.runs, args.warmup)[0]["median_ms"])
        times["ort_int8"].append(ort.run(ints.SerializeToString(), {"a": a8}, args.threads,
                                         args.runs, args.warmup)[0]["median_ms"])
        print(f"  gemm round {r + 1}: " + ", ".join(f"{k} {v[-1]:.3f}"
                                                    for k, v in times.items()), flush=True)
    ops = 2.0 * size ** 3
    result = {"model": f"gemm {size}^3", "batch": size, "data": "seeded",
              "quantized": "u8 x s8 -> i32 (MatMulInteger)", "rounds": times}
    for k, v in times.items():
        result[k] = statistics.median(v)
        result[k.replace("_", "_gops_")] = ops / (result[k] * 1e6)
    return result


def render(results, threads, cpu):
    lines = [f"int8 and bf16 vs fp32 at {threads} threads on {cpu}; median of the round "
             "medians (ms)", "",
             "| model | ours fp32 | ours int8 | int8 speed-up | ours bf16 | bf16 speed-up | "
             "onnxruntime fp32 | onnxruntime int8 | ours int8 vs onnxruntime int8 | "
             "int8 faster rounds | quantized |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        faster = sum(a < b for a, b in zip(r["rounds"]["ours_int8"], r["rounds"]["ours_fp32"]))
        lines.append(f"| {r['model']} (batch {r['batch']}) | {r['ours_fp32']:.3f} | "
                     f"{r['ours_int8']:.3f} | {r['ours_fp32'] / r['ours_int8']:.2f}x | "
                     f"{r['ours_bf16']:.3f} | {r['ours_fp32'] / r['ours_bf16']:.2f}x | "
                     f"{r['ort_fp32']:.3f} | {r['ort_int8']:.3f} | "
                     f"{r['ort_int8'] / r['ours_int8']:.2f}x | "
                     f"{faster} of {len(r['rounds']['ours_int8'])} | {r['quantized']} |")
    for r in results:
        if "ours_gops_int8" in r:
            lines += ["", f"GEMM {r['model']}: ours int8 {r['ours_gops_int8']:.0f} GOP/s, "
                      f"ours fp32 {r['ours_gops_fp32']:.0f} GFLOP/s "
                      f"({r['ours_gops_int8'] / r['ours_gops_fp32']:.2f}x), ours bf16 "
                      f"{r['ours_gops_bf16']:.0f} GFLOP/s; onnxruntime "
                      f"MatMulInteger {r['ort_gops_int8']:.0f} GOP/s, MatMul "
                      f"{r['ort_gops_fp32']:.0f} GFLOP/s"]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--models", default="fashion_mnist,resnet50,encoder")
    parser.add_argument("--no-gemm", action="store_true")
    parser.add_argument("--work")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    ort = Ort()
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or tmp
        results = [bench_model(n, args, ort, work)
                   for n in filter(None, args.models.split(","))]
        if not args.no_gemm:
            results.append(bench_gemm(args, ort, work))
    text = render(results, args.threads, cpu)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": args.threads, "cpu": cpu, "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
