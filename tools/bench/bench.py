"""Benchmarks infer-mlir against onnxruntime (and numpy, IREE) in one run.

    tools/bench/run [--quick] [--only gemm,conv,models,fusion,tune]
                    [--threads 1,2] [--runs N] [--warmup N] [--models LIST]
                    [--tune-budget S] [--tune-models LIST] [--out FILE]
                    [--update-docs] [--no-iree] [--bin BUILD/bin]
    tools/bench/run --from-json build/bench/results.json [--update-docs]

Five parts, each at every thread count of --threads, one after another in
this process (onnxruntime, numpy) and its children (infer-run, IREE's tools):

  gemm    fp32 MatMul: square 256..2048, resnet50's 1x1 convolutions as GEMMs,
          the encoder example's MatMuls. Ours vs onnxruntime vs numpy
          (OpenBLAS); GFLOP/s.
  conv    every distinct Conv layer of light_resnet50, alone in a one-Conv
          model with seeded weights. Ours vs onnxruntime.
  models  the nine light_*.onnx models of the onnx wheel and the encoder
          example (tools/demo, written as ONNX). Ours vs onnxruntime vs IREE
          (where its importer and compiler take the model).
  fusion  the same models and the exported encoder layer (BERT-style, as
          torch.onnx.export writes it: decomposed LayerNorm and GELU), ours
          with --fuse=false and --fuse=true: kernels (top-level loop nests of
          the compiled code, from infer-run --profile), intermediate bytes
          (the buffers infer-plan-memory places, each written and read once a
          call) and latency, the two variants alternating over --fusion-rounds
          rounds (median of the rounds' medians).
  tune    resnet50 and the encoder example (--tune-models) tuned by infer-tune
          under --tune-budget seconds per model and thread count, then the
          convolution and contraction tasks (model's schedule against tuned,
          alternating) and the whole model (onnxruntime, model-only, the
          database replayed), alternating over --tune-rounds rounds; see
          tuning.py.

Every timing is the median of --runs calls after --warmup untimed ones
(infer-run: see runners.py). Ratios are times, X / onnxruntime: below 1 means
X is faster. Each output is compared with onnxruntime's (max |diff|).

Writes --out (JSON: every timing, medians, machine, versions, commit), a PNG
of the ratios and a markdown table (.md) next to it, and prints the table.
--update-docs also rewrites the "Latest results" section of
docs/performance.md (between <!-- bench:begin --> and <!-- bench:end -->)
and copies the PNG to docs/performance.png. --from-json redoes the table,
plot and docs from an earlier run's JSON without measuring anything.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peak  # noqa: E402
import report  # noqa: E402
import tuning  # noqa: E402
import workloads  # noqa: E402
from runners import (BenchError, Iree, NumpyGemm, Ort, Ours, max_abs_diff,  # noqa: E402
                     save_feeds)

ROOT = workloads.ROOT
PARTS = ("gemm", "conv", "models", "fusion", "tune")
# fusion compiles every model 14 times, tune spends --tune-budget a model:
# asked for
DEFAULT_PARTS = ("gemm", "conv", "models")
# Elementwise agreement with onnxruntime that counts as a match (the
# tolerances of the light models in python/infer/conformance.py).
RTOL, ATOL = 1e-3, 1e-4
SETTLE_S = 0.25  # pause after an in-process runtime before the next tool starts
QUICK_MODELS = ["squeezenet", "encoder"]
QUICK_CONV = 3


@dataclass
class Bench:
    """What every part needs: options, the runtimes, the scratch folder."""
    threads: list
    runs: int
    warmup: int
    work: str
    ours: Ours
    ort: Ort
    numpy: NumpyGemm
    iree: object = None          # Iree, or None when unavailable
    iree_error: str = None
    peak: dict = None            # peak.measure: the FMA peak, the fork cost

    def say(self, text):
        print(text, flush=True)


# --------------------------------------------------------------- one workload


def measure(bench, stem, model, feeds, numpy_operands=None, iree_model=None):
    """Times one ONNX model by every runtime at every thread count.

    model: the ModelProto that onnxruntime and our importer take; feeds: its
    inputs; numpy_operands: (A, B) to time numpy.matmul on as well;
    iree_model: the model for IREE (None: IREE is not run).
    Returns {"threads": {"1": {...}, ...}, "ours_import_s", "iree": {...}}.
    """
    onnx_path = stem + ".onnx"
    onnx.save(model, onnx_path)
    input_paths = save_feeds(stem, feeds)
    result = {"threads": {}}

    # Ours: import once, compile and run per thread count.
    mlir = stem + ".mlir"
    try:
        result["ours_import_s"] = round(bench.ours.import_onnx(onnx_path, mlir), 3)
        ours_error = None
        # Ahead-of-time compile time (default pipeline to a .so), once.
        try:
            result["ours_compile_s"] = round(
                bench.ours.compile_aot(mlir, stem + ".aot", max(bench.threads)), 2)
        except BenchError as e:
            result["ours_compile_error"] = str(e)
    except BenchError as e:
        ours_error = str(e)

    # IREE: import and compile once, outputs once, time per thread count.
    iree_art, iree_error = None, None
    if iree_model is not None:
        if bench.iree is None:
            iree_error = bench.iree_error
        else:
            try:
                iree_onnx = stem + ".iree.onnx"
                onnx.save(workloads.iree_ready_model(iree_model), iree_onnx)
                vmfb, function, seconds = bench.iree.compile(iree_onnx, stem)
                os.remove(iree_onnx)
                outs = bench.iree.outputs(vmfb, function, input_paths, stem,
                                          len(model.graph.output))
                iree_art = (vmfb, function, outs)
                result["iree"] = {"function": function, "compile_s": round(seconds, 2),
                                  "flags": bench.iree.compile_flags}
            except Exception as e:  # noqa: BLE001 - any failure is recorded
                iree_error = str(e) if isinstance(e, BenchError) else f"{type(e).__name__}: {e}"
        if iree_error:
            result["iree"] = {"error": iree_error}

    model_bytes = model.SerializeToString()
    reference = None
    for t in bench.threads:
        entry = {"ratio": {}, "max_abs_diff": {}, "match": {}}
        # onnxruntime, the reference of outputs and times.
        try:
            entry["ort"], outs = bench.ort.run(model_bytes, feeds, t, bench.runs, bench.warmup)
            if reference is None:
                reference = outs
                result["reference_max_abs"] = max(
                    float(np.max(np.abs(o))) if np.asarray(o).size else 0.0 for o in outs)
        except Exception as e:  # noqa: BLE001
            entry["ort"] = {"error": f"{type(e).__name__}: {e}"}

        def record(name, timing_, outs):
            entry[name] = timing_
            if reference is not None and outs is not None:
                diffs = [max_abs_diff(o, r) for o, r in zip(outs, reference)]
                entry["max_abs_diff"][name] = max(diffs)
                entry["match"][name] = all(
                    np.asarray(o).shape == np.asarray(r).shape and
                    bool(np.allclose(o, r, rtol=RTOL, atol=ATOL))
                    for o, r in zip(outs, reference))
            if "median_ms" in entry.get("ort", {}) and "median_ms" in timing_:
                entry["ratio"][name] = timing_["median_ms"] / entry["ort"]["median_ms"]

        if numpy_operands is not None:
            timing_, outs = bench.numpy.run(*numpy_operands, t, bench.runs, bench.warmup)
            record("numpy", timing_, outs)
            # OpenBLAS's threads spin for a while after a call; a tool started
            # at once would share a core with them (measured: our 2-thread
            # GEMM at 1-thread speed). Let them go to sleep first.
            time.sleep(SETTLE_S)
        if ours_error is None:
            try:
                timing_, outs, wall = bench.ours.run(mlir, input_paths, f"{stem}.out.t{t}.npy",
                                                     t, bench.runs, bench.warmup)
                timing_["infer_run_wall_s"] = round(wall, 2)
                record("ours", timing_, outs)
            except BenchError as e:
                entry["ours"] = {"error": str(e)}
        else:
            entry["ours"] = {"error": ours_error}
        if iree_art is not None:
            vmfb, function, outs = iree_art
            try:
                record("iree", bench.iree.time(vmfb, function, input_paths, t, bench.runs,
                                               stem), outs)
            except BenchError as e:
                entry["iree"] = {"error": str(e)}
        elif iree_model is not None:
            entry["iree"] = {"error": iree_error}
        result["threads"][str(t)] = entry
    if iree_art is not None and os.path.exists(iree_art[0]):
        os.remove(iree_art[0])  # the .vmfb holds the weights
    return result


# ---------------------------------------------------------------------- parts


def check_logits(bench, stem, model, feeds):
    """Ours against onnxruntime on the model cut before its final Softmax (one
    untimed call each, the first thread count)."""
    onnx.save(model, stem + ".onnx")
    inputs = save_feeds(stem, feeds)
    try:
        want = bench.ort.run(model.SerializeToString(), feeds, bench.threads[0], 1, 0)[1][0]
        bench.ours.import_onnx(stem + ".onnx", stem + ".mlir")
        got = bench.ours.outputs(stem + ".mlir", inputs, stem + ".out.npy", bench.threads[0])[0]
    except BenchError as e:
        return {"error": str(e)}
    return {"output": model.graph.output[0].name, "max_abs_diff": max_abs_diff(got, want),
            "reference_max_abs": float(np.max(np.abs(want))),
            "match": got.shape == want.shape and bool(np.allclose(got, want, rtol=RTOL,
                                                                   atol=ATOL))}


def add_gflops(item):
    """GFLOP/s of every timing of an item that knows its GFLOP count."""
    for entry in item["threads"].values():
        for name in ("ours", "ort", "numpy", "iree"):
            if "median_ms" in entry.get(name, {}):
                entry[name]["gflops"] = item["gflop"] * 1e3 / entry[name]["median_ms"]


def part_gemm(bench, quick):
    shapes = workloads.gemm_shapes(quick)
    folder = os.path.join(bench.work, "gemm")
    os.makedirs(folder, exist_ok=True)
    items = []
    for i, shape in enumerate(shapes, 1):
        model, feeds = workloads.gemm_model(shape)
        b = feeds["B"] if "B" in feeds else numpy_helper.to_array(model.graph.initializer[0])
        flop = 2.0 * shape["batch"] * shape["m"] * shape["n"] * shape["k"]
        stem = os.path.join(folder, shape["name"].replace("*", "b").replace("^", "p"))
        item = {**shape, "gflop": flop / 1e9,
                **measure(bench, stem, model, feeds, numpy_operands=(feeds["A"], b))}
        add_gflops(item)
        items.append(item)
        bench.say(f"[gemm {i}/{len(shapes)}] {shape['name']:>14} ({shape['source']}): "
                  + report.progress(item, gflops=True))
    return items


def part_conv(bench, quick):
    layers = workloads.conv_layers(onnx.load(workloads.light_model_path("resnet50")))
    if quick:
        layers = layers[:QUICK_CONV]
    folder = os.path.join(bench.work, "conv")
    os.makedirs(folder, exist_ok=True)
    items = []
    for i, layer in enumerate(layers, 1):
        model, feeds = workloads.conv_model(layer)
        x, w = layer["x_shape"], layer["w_shape"]
        out = model.graph.output[0].type.tensor_type.shape.dim
        flop = 2.0 * np.prod([d.dim_value for d in out]) * np.prod(w[1:])
        stem = os.path.join(folder, f"conv{i:02d}")
        item = {**layer, "model": "resnet50", "gflop": float(flop) / 1e9,
                **measure(bench, stem, model, feeds)}
        add_gflops(item)
        items.append(item)
        bench.say(f"[conv {i}/{len(layers)}] {layer['name']:>24} x{layer['count']}: "
                  + report.progress(item))
    return items


def part_models(bench, names, with_iree):
    folder = os.path.join(bench.work, "models")
    os.makedirs(folder, exist_ok=True)
    items = []
    for i, name in enumerate(names, 1):
        model, source = load_model(name)
        feeds = workloads.model_feeds(model)
        start = time.perf_counter()
        item = {"name": name, "source": source,
                "input_shapes": {k: list(v.shape) for k, v in feeds.items()},
                **measure(bench, os.path.join(folder, name), model, feeds,
                          iree_model=model if with_iree else None)}
        item["wall_s"] = round(time.perf_counter() - start, 1)
        logits = workloads.logits_model(model)
        if logits is not None:
            item["logits_check"] = check_logits(bench, os.path.join(folder, name + ".logits"),
                                                logits, feeds)
        if name == "encoder":  # the ONNX rewrite against make_models.py's numpy
            ref = workloads.encoder_reference(next(iter(feeds.values())))
            out = bench.ort.run(model.SerializeToString(), feeds, 1, 1, 0)[1][0]
            item["onnx_vs_numpy_reference_max_abs_diff"] = max_abs_diff(out, ref)
        items.append(item)
        bench.say(f"[models {i}/{len(names)}] {name:>14}: " + report.progress(item)
                  + f"  ({item['wall_s']} s)")
    return items


def load_model(name):
    """(ONNX model, where it comes from) for a name of the models and fusion
    parts: a light model, the demo encoder, or the exported encoder layer."""
    if name == "encoder":
        return (workloads.encoder_model(),
                f"tools/demo encoder, as ONNX opset {workloads.ENCODER_OPSET}, "
                f"batch {workloads.ENCODER_BATCH}")
    if name == "exported_encoder":
        e = workloads.EXPORTED_ENCODER
        return (workloads.exported_encoder_model(**e),
                "BERT-style layer as exported (batch {batch}, seq {seq}, d {d}, "
                "{heads} heads, ffn {ff})".format(**e))
    path = workloads.light_model_path(name)
    return onnx.load(path), os.path.relpath(path, ROOT)


def part_fusion(bench, names, rounds):
    """Ours unfused vs fused, same run: kernels, intermediate bytes, latency."""
    folder = os.path.join(bench.work, "fusion")
    os.makedirs(folder, exist_ok=True)
    items = []
    for i, name in enumerate(names, 1):
        model, source = load_model(name)
        try:
            items.append(_fusion_item(bench, folder, name, model, source, rounds, i, len(names)))
        except BenchError as e:
            items.append({"name": name, "source": source, "error": str(e), "threads": {}})
            bench.say(f"[fusion {i}/{len(names)}] {name:>16}: failed: {e}")
    return items


def _fusion_item(bench, folder, name, model, source, rounds, i, n):
    feeds = workloads.model_feeds(model)
    stem = os.path.join(folder, name)
    onnx.save(model, stem + ".onnx")
    bench.ours.import_onnx(stem + ".onnx", stem + ".mlir")
    inputs = save_feeds(stem, feeds)
    expected = bench.ort.run(model.SerializeToString(), feeds, 1, 1, 0)[1][0]
    time.sleep(SETTLE_S)
    item = {"name": name, "source": source, "threads": {}}
    for t in bench.threads:
        entry = {}
        for fuse in ("false", "true"):
            profile = bench.ours.profile(stem + ".mlir", inputs, t, fuse)
            out = bench.ours.outputs(stem + ".mlir", inputs, f"{stem}.out.npy", t,
                                     [f"--fuse={fuse}"])[0]
            entry[fuse] = {**profile, "max_abs_diff": max_abs_diff(out, expected),
                           "match": bool(np.allclose(out, expected, rtol=RTOL, atol=ATOL))}
        medians = {"false": [], "true": []}
        for _ in range(rounds):
            for fuse in ("false", "true"):
                timing_, _, _ = bench.ours.run(stem + ".mlir", inputs, f"{stem}.out.npy", t,
                                               bench.runs, bench.warmup, [f"--fuse={fuse}"])
                medians[fuse].append(timing_["median_ms"])
        for fuse in ("false", "true"):
            entry[fuse]["round_medians_ms"] = medians[fuse]
            entry[fuse]["median_ms"] = float(np.median(medians[fuse]))
        entry["speedup"] = entry["false"]["median_ms"] / entry["true"]["median_ms"]
        item["threads"][str(t)] = entry
        bench.say(f"[fusion {i}/{n}] {name:>16} {t}T: kernels "
                  f"{entry['false']['kernels']} -> {entry['true']['kernels']}, "
                  f"intermediate MiB {entry['false']['intermediate_bytes'] / 2**20:.2f} -> "
                  f"{entry['true']['intermediate_bytes'] / 2**20:.2f}, ms "
                  f"{entry['false']['median_ms']:.3f} -> {entry['true']['median_ms']:.3f} "
                  f"({entry['speedup']:.2f}x)")
    return item


# -------------------------------------------------------------------- machine


def machine_info():
    """CPU, cores, vector/matrix ISA flags, load, the commit and versions."""
    info = {"platform": platform.platform(), "python": platform.python_version(),
            "cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0))}
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        for line in text.splitlines():
            if line.startswith("model name") and "cpu_model" not in info:
                info["cpu_model"] = line.split(":", 1)[1].strip()
            if line.startswith("flags") and "flags" not in info:
                flags = line.split(":", 1)[1].split()
                info["flags"] = sorted(f for f in flags if f.startswith(("avx512", "amx")) or
                                       f in ("avx2", "fma", "avx_vnni"))
        info["avx512"] = any(f.startswith("avx512") for f in info.get("flags", []))
        info["amx"] = any(f.startswith("amx") for f in info.get("flags", []))
    except OSError:
        pass
    info["loadavg_start"] = list(os.getloadavg())

    def git(*cmd):
        try:
            return subprocess.run(["git", "-C", ROOT, *cmd], capture_output=True, text=True,
                                  check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    info["git_commit"] = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    info["git_dirty"] = bool(status) if status is not None else None
    return info


# ----------------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="tools/bench/run", description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "results.json"),
                        help="results JSON; the PNG and .md go next to it "
                        "(default: build/bench/results.json)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: a few GEMMs and conv layers, squeezenet and the "
                        "encoder, 3 runs after 1 warm-up")
    parser.add_argument("--only", default=",".join(DEFAULT_PARTS),
                        help="comma-separated parts to run: gemm, conv, models, fusion "
                             "(default: gemm,conv,models)")
    parser.add_argument("--threads", default="1,2", help="thread counts (default: 1,2)")
    parser.add_argument("--runs", type=int, default=None,
                        help="timed calls per measurement (default: 10, 3 with --quick)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed calls first (default: 2, 1 with --quick)")
    parser.add_argument("--models", default=None,
                        help="comma-separated models of the models part (default: the nine "
                        "light models and encoder; --quick: squeezenet,encoder)")
    parser.add_argument("--no-iree", action="store_true", help="leave IREE out")
    parser.add_argument("--fusion-rounds", type=int, default=3,
                        help="fusion part: alternating unfused/fused timing rounds")
    parser.add_argument("--tune-budget", type=float, default=600,
                        help="tune part: infer-tune's budget per model and thread count, "
                        "seconds (default: 600)")
    parser.add_argument("--tune-rounds", type=int, default=4,
                        help="tune part: alternating rounds of model-only and tuned timing")
    parser.add_argument("--tune-models", default="resnet50,encoder",
                        help="tune part: the models (default: resnet50,encoder)")
    parser.add_argument("--tune-reuse", action="store_true",
                        help="tune part: replay the databases of an earlier run instead of "
                        "tuning again")
    parser.add_argument("--iree-flag", action="append", default=[],
                        help="extra iree-compile flag (repeatable)")
    parser.add_argument("--iree-plain", action="store_true",
                        help="compile for IREE without its img2col rewrite of convolutions")
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"),
                        help="directory of infer-run (default: build/bin)")
    parser.add_argument("--timeout", type=int, default=900,
                        help="seconds allowed to one tool invocation (default: 900)")
    parser.add_argument("--from-json", metavar="FILE",
                        help="measure nothing: write the table and plot (and, with "
                        "--update-docs, the docs) again from an earlier results JSON")
    parser.add_argument("--update-docs", action="store_true",
                        help="rewrite the results section of docs/performance.md and "
                        "copy the plot to docs/performance.png")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.only.split(",") if p.strip()]
    args.tune_models = [m.strip() for m in args.tune_models.split(",") if m.strip()]
    bad = [p for p in args.parts if p not in PARTS]
    if bad:
        parser.error(f"--only: unknown part(s) {', '.join(bad)} (choose from {', '.join(PARTS)})")
    try:
        args.thread_list = [int(t) for t in args.threads.split(",")]
    except ValueError:
        parser.error("--threads: a comma-separated list of integers, e.g. 1,2")
    if any(t < 1 for t in args.thread_list):
        parser.error("--threads: counts must be >= 1")
    if args.runs is None:
        args.runs = 3 if args.quick else 10
    if args.warmup is None:
        args.warmup = 1 if args.quick else 2
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    known = workloads.LIGHT_MODELS + ["encoder"]
    if args.models:
        args.model_list = [m.strip() for m in args.models.split(",") if m.strip()]
        bad = [m for m in args.model_list if m not in known]
        if bad:
            parser.error(f"--models: unknown {', '.join(bad)} (known: {', '.join(known)})")
    else:
        args.model_list = QUICK_MODELS if args.quick else known
    return args


def publish(results, out, update_docs):
    """Writes the plot and the markdown table next to the JSON, prints the
    table and, if asked, rewrites the results section of the docs."""
    png = os.path.splitext(out)[0] + ".png"
    try:
        report.plot(results, png)
    except Exception as e:  # noqa: BLE001 - the numbers matter more than the plot
        png = None
        print(f"bench: no plot: {type(e).__name__}: {e}", file=sys.stderr)
    table = report.markdown(results)
    with open(os.path.splitext(out)[0] + ".md", "w") as f:
        f.write(table)
    print()
    print(table)
    wall = results["meta"].get("wall_s")
    print(f"bench: {out}" + (f", {png}" if png else "") + (f" ({wall} s)" if wall else ""))
    if update_docs:
        doc = report.update_docs(os.path.join(ROOT, "docs", "performance.md"), results, png)
        print(f"bench: updated {doc}")


def main(argv=None):
    args = parse_args(argv)
    if args.from_json:
        with open(args.from_json) as f:
            results = json.load(f)
        publish(results, os.path.abspath(args.from_json), args.update_docs)
        return 0
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    work = os.path.join(os.path.dirname(out), "work")
    os.makedirs(work, exist_ok=True)

    try:
        ours = Ours(args.bin, args.timeout)
    except BenchError as e:
        print(f"bench: error: {e}", file=sys.stderr)
        return 2
    bench = Bench(threads=args.thread_list, runs=args.runs, warmup=args.warmup, work=work,
                  ours=ours, ort=Ort(), numpy=NumpyGemm())
    if not args.no_iree and "models" in args.parts:
        try:
            bench.iree = Iree(args.timeout, args.iree_flag, plain=args.iree_plain)
        except BenchError as e:
            bench.iree_error = str(e)
            bench.say(f"bench: IREE left out: {e}")

    meta = machine_info()
    meta.update({
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "tools/bench/run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "threads": args.thread_list, "runs": args.runs, "warmup": args.warmup,
        "quick": args.quick, "parts": args.parts,
        "versions": {"onnxruntime": bench.ort.version, "numpy": bench.numpy.version,
                     "blas": bench.numpy.blas, "onnx": onnx.__version__,
                     "iree": bench.iree.version if bench.iree else None,
                     "infer_run_has_warmup": ours.has_warmup},
        "ratio": "time / onnxruntime time (below 1: faster than onnxruntime)",
        "match": f"every output element within rtol {RTOL}, atol {ATOL} of onnxruntime's",
    })
    bench.say(f"bench: {meta.get('cpu_model', '?')}, {meta['cores_usable']} cores, "
              f"threads {args.thread_list}, {args.runs} runs after {args.warmup} warm-up, "
              f"parts {', '.join(args.parts)}; load average {meta['loadavg_start'][0]:.2f}")
    bench.peak = meta["peak"] = peak.measure(work, args.thread_list)
    bench.say("bench: " + report.peak_line(meta["peak"]))
    results = {"meta": meta}
    start = time.perf_counter()
    for part in args.parts:
        if part == "gemm":
            results["gemm"] = part_gemm(bench, args.quick)
        elif part == "conv":
            results["conv"] = part_conv(bench, args.quick)
        elif part == "tune":
            results["tune"] = tuning.part_tune(bench, args.tune_models, load_model,
                                               args.tune_budget, args.tune_rounds,
                                               args.tune_reuse)
        elif part == "fusion":
            results["fusion"] = part_fusion(bench, args.model_list + ["exported_encoder"],
                                            args.fusion_rounds)
        else:
            results["models"] = part_models(bench, args.model_list, not args.no_iree)
        report.write_json(out, results)  # partial results survive a later failure
    meta["peak"] = bench.peak   # the better of every measurement (peak.merge)
    meta["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    meta["wall_s"] = round(time.perf_counter() - start, 1)
    meta["loadavg_end"] = list(os.getloadavg())
    report.write_json(out, results)

    publish(results, out, args.update_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
