"""Conformance of the ONNX import and CPU pipeline on material we did not write.

    python -m infer.conformance [--bin BUILD/bin] [--jobs N]
        [--categories node,pytorch-converted,pytorch-operator,simple]
        [--light] [--markdown docs/conformance.md] [--json FILE]
        [--expected LIST] [--only LIST]

Runs the ONNX backend tests shipped by Debian's libonnx-testdata: import
(infer-import-onnx) -> infer-run (infer-cpu-pipeline, JIT) -> compare with the
test's output_K.pb at the suite's tolerances (rtol 1e-3, atol 1e-7). A test
whose ops are not all in the dialect is reported as unsupported, with the ops
named. With --light it also runs the nine light_*.onnx models of the onnx
wheel against onnxruntime (rtol 1e-3, atol 1e-4), with compile time, peak
compile memory and latency next to onnxruntime's (one thread each).

Four kinds of test are *excluded* (outside what an inference compiler of
numeric tensors is for), each with its reason: training-only ops and modes,
strings, sequences and optionals, random ops. The pass rate is of the rest.

With --expected FILE, the tests listed there must pass: any that does not is a
regression and the exit status is 1 (the test suite uses this).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import onnx
from onnx import numpy_helper

from infer.onnx.importer import (CONVERTERS, ELEMENT_TYPES, FOLDERS, ImportError_,
                                 NeedsConstant, Unsupported, import_model)
from infer.onnx.ops.functions import expandable

DATA = "/usr/share/libonnx-testdata/data"
CATEGORIES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
SUPPORTED_OPS = set(CONVERTERS) | set(FOLDERS)
RTOL, ATOL = 1e-3, 1e-7


EXCLUDED = {
    "training": "training-only ops and modes (optimizers, gradients, dropout and "
                "batch normalization in training mode): not part of inference",
    "strings": "string tensors and text ops: the dialect computes on numbers",
    "sequences/optionals": "sequence, optional and map values: the dialect's "
                           "values are tensors",
    "random": "random number generation: outputs cannot be compared with a "
              "reference and inference graphs do not sample",
}
TRAINING_OPS = {"Adagrad", "Adam", "Momentum", "Gradient"}
STRING_OPS = {"StringNormalizer", "StringConcat", "StringSplit", "RegexFullMatch"}
RANDOM_OPS = {"RandomUniform", "RandomNormal", "RandomUniformLike",
              "RandomNormalLike", "Bernoulli", "Multinomial"}


def excluded_category(model, ops, reason):
    """The excluded category of a test that did not pass, or None."""
    ops = set(ops)
    values = list(model.graph.input) + list(model.graph.output)
    if ops & TRAINING_OPS or "training" in reason:
        return "training"
    if ops & STRING_OPS or any(
            v.type.HasField("tensor_type")
            and v.type.tensor_type.elem_type == onnx.TensorProto.STRING for v in values):
        return "strings"
    if any(op.startswith(("Sequence", "Optional")) or op in (
            "SplitToSequence", "ConcatFromSequence") for op in ops) or any(
            not v.type.HasField("tensor_type") for v in values):
        return "sequences/optionals"
    if ops & RANDOM_OPS:
        return "random"
    return None


def load_pb(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def declare_data_shapes(model, data):
    """`model`, or a copy whose graph inputs that the test's data ({name:
    array}) contradict are declared with the data's shape. Some tests of
    ONNX 1.12 declare an input with another value's type: the CastLike
    bfloat16 tests declare `like` (whose values CastLike ignores) as the
    [3, 4] output while their data for it has shape [1]. ONNX's reference
    evaluator, which generated the outputs, never checks declared shapes;
    the data is what the test runs on."""
    copy = None
    for i, vi in enumerate(model.graph.input):
        array = data.get(vi.name)
        if array is None or not vi.type.tensor_type.HasField("shape"):
            continue
        dims = vi.type.tensor_type.shape.dim
        if len(dims) == array.ndim and all(
                not d.HasField("dim_value") or d.dim_value in (0, size)
                for d, size in zip(dims, array.shape)):
            continue
        if copy is None:
            copy = onnx.ModelProto()
            copy.CopyFrom(model)
        shape = copy.graph.input[i].type.tensor_type.shape
        shape.ClearField("dim")
        for size in array.shape:
            shape.dim.add().dim_value = size
    return copy or model


def run_checked(cmd, timeout):
    """Runs cmd; returns (returncode, combined output, seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return -1, f"timed out after {timeout} s", timeout
    return proc.returncode, out.decode(errors="replace"), time.perf_counter() - start


def run_measured(cmd, timeout):
    """Like run_checked, with the command's peak resident memory (GNU time)."""
    code, out, seconds = run_checked(
        ["/usr/bin/time", "-f", "infer-peak-kib=%M"] + cmd, timeout)
    match = re.search(r"infer-peak-kib=(\d+)", out)
    out = re.sub(r"infer-peak-kib=\d+\n?", "", out)
    return code, out, seconds, int(match.group(1)) if match else 0


def first_error(text):
    for line in text.splitlines():
        if "error" in line:
            return re.sub(r"^.*?error: ", "", line).strip()[:300]
    lines = [line for line in text.splitlines() if line.strip()]
    return (lines[-1] if lines else "no output")[:300]


def run_test(args):
    try:
        result = run_one_test(*args)
        if result["status"] != "pass":
            category, test_dir, _ = args
            model = onnx.load(os.path.join(test_dir, "model.onnx"))
            kind = excluded_category(model, result.get("ops", []), result.get("reason", ""))
            if kind:
                result = {**result, "status": "excluded", "excluded": kind}
        return result
    except Exception as e:  # noqa: BLE001 - one broken test must not stop the run
        category, test_dir, _ = args
        return {"category": category, "test": os.path.basename(test_dir),
                "status": "fail", "reason": f"harness: {type(e).__name__}: {e}"[:300]}


def run_one_test(category, test_dir, bin_dir):
    name = os.path.basename(test_dir)
    result = {"category": category, "test": name}
    try:
        model = onnx.load(os.path.join(test_dir, "model.onnx"))
    except Exception as e:  # noqa: BLE001
        return {**result, "status": "fail", "reason": f"cannot load: {e}"}
    ops = sorted({n.op_type for n in model.graph.node})
    result["ops"] = ops
    # Ops ONNX defines as functions are imported as their bodies' ops
    # (infer.onnx.ops.functions); the import says if those are unsupported.
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 1)
    missing = [op for op in ops if op not in SUPPORTED_OPS and not expandable(op, opset)]
    if missing:
        return {**result, "status": "unsupported",
                "reason": "ops not in the dialect: " + ", ".join(missing)}
    for value in list(model.graph.input) + list(model.graph.output):
        t = value.type
        if not t.HasField("tensor_type"):
            return {**result, "status": "unsupported",
                    "reason": f"'{value.name}' is not a tensor (sequence/optional/map)"}
        quantized = {"QuantizeLinear", "DequantizeLinear"} & set(ops)
        if t.tensor_type.elem_type not in ELEMENT_TYPES and not (
                quantized and t.tensor_type.elem_type in (onnx.TensorProto.UINT8,
                                                          onnx.TensorProto.INT8)):
            return {**result, "status": "unsupported",
                    "reason": f"element type {onnx.TensorProto.DataType.Name(t.tensor_type.elem_type)} "
                              f"of '{value.name}' is not in the dialect"}
    data_sets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
    if not data_sets:
        return {**result, "status": "fail", "reason": "no test data"}
    data = data_sets[0]
    initializers = {i.name for i in model.graph.initializer}
    graph_inputs = [i.name for i in model.graph.input if i.name not in initializers]
    inputs = [load_pb(p) for p in sorted(glob.glob(os.path.join(data, "input_*.pb")),
                                         key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))]
    outputs = [load_pb(p) for p in sorted(glob.glob(os.path.join(data, "output_*.pb")),
                                          key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))]
    model = declare_data_shapes(model, dict(zip(graph_inputs, inputs)))
    # Operands that must be known at compile time (Reshape's shape, Clip's
    # bounds...) are bound to the test's values, as a deployment would fix them.
    by_name = dict(zip(graph_inputs, inputs))
    # Quantization parameters given as graph inputs are constants too.
    bindings = {n.input[i]: by_name[n.input[i]] for n in model.graph.node
                if n.op_type in ("QuantizeLinear", "DequantizeLinear")
                for i in (1, 2) if i < len(n.input) and n.input[i] in by_name}
    try:
        while True:
            try:
                text = import_model(model, bindings)
                break
            except NeedsConstant as e:
                if e.name not in by_name or e.name in bindings:
                    raise
                bindings[e.name] = by_name[e.name]
    except Unsupported as e:
        return {**result, "status": "unsupported", "reason": str(e)}
    except ImportError_ as e:
        return {**result, "status": "fail", "reason": f"import: {e}"}
    except Exception as e:  # noqa: BLE001
        return {**result, "status": "fail", "reason": f"import: {type(e).__name__}: {e}"}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.mlir")
        with open(path, "w") as f:
            f.write(text)
        cmd = [os.path.join(bin_dir, "infer-run"), path,
               "--rtol", str(RTOL), "--atol", str(ATOL)]
        for name_, array in zip(graph_inputs, inputs):
            if name_ in bindings:
                continue
            p = os.path.join(tmp, f"in_{len(cmd)}.npy")
            np.save(p, array)
            cmd += ["--input", p]
        for i, array in enumerate(outputs):
            p = os.path.join(tmp, f"out_{i}.npy")
            np.save(p, array)
            cmd += ["--expect", p]
        code, out, _ = run_checked(cmd, timeout=120)
    if code == 0:
        return {**result, "status": "pass"}
    return {**result, "status": "fail", "reason": first_error(out)}


LIGHT = ["resnet50", "squeezenet", "shufflenet", "densenet121", "inception_v1",
         "inception_v2", "vgg19", "bvlc_alexnet", "zfnet512"]


def run_light(name, bin_dir, tmp, repeat):
    import onnxruntime as ort
    path = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data",
                        "light", f"light_{name}.onnx")
    model = onnx.load(path)
    start = time.perf_counter()
    text = import_model(model)
    import_s = time.perf_counter() - start
    mlir = os.path.join(tmp, f"{name}.mlir")
    with open(mlir, "w") as f:
        f.write(text)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    x = np.random.default_rng(0).standard_normal(
        [d if isinstance(d, int) else 1 for d in inp.shape]).astype(np.float32)
    expected = session.run(None, {inp.name: x})[0]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        session.run(None, {inp.name: x})
        times.append(time.perf_counter() - t)
    ort_ms = float(np.median(times) * 1e3)
    np.save(os.path.join(tmp, f"{name}.in.npy"), x)
    np.save(os.path.join(tmp, f"{name}.ref.npy"), expected)
    lowered = os.path.join(tmp, f"{name}.llvm.mlir")
    code, out, compile_s, peak_kib = run_measured(
        [os.path.join(bin_dir, "infer-opt"), mlir, "--infer-cpu-pipeline", "-o", lowered],
        timeout=600)
    row = {"model": name, "import_s": round(import_s, 3),
           "compile_s": round(compile_s, 3), "compile_peak_mib": round(peak_kib / 1024, 1),
           "ort_ms": round(ort_ms, 3)}
    if code != 0:
        return {**row, "status": "fail", "reason": first_error(out)}
    code, out, _ = run_checked(
        [os.path.join(bin_dir, "infer-run"), lowered, "--input",
         os.path.join(tmp, f"{name}.in.npy"), "--expect",
         os.path.join(tmp, f"{name}.ref.npy"), "--rtol", "1e-3", "--atol", "1e-4",
         "--repeat", str(repeat), "--threads", "1"], timeout=1200)
    match = re.search(r"median_ms=([0-9.]+)", out)
    row["infer_ms"] = round(float(match.group(1)), 3) if match else None
    if code != 0:
        return {**row, "status": "fail", "reason": first_error(out)}
    return {**row, "status": "pass"}


def write_markdown(path, results, light):
    lines = ["# ONNX conformance", "",
             "Generated by `tools/infer-dev conformance`; do not edit.", "",
             "Tests: Debian's libonnx-testdata (ONNX backend test suite), imported with "
             "`infer-import-onnx`, compiled with `infer-cpu-pipeline` and run by "
             "`infer-run`, compared with the shipped outputs at rtol 1e-3, atol 1e-7. "
             "*unsupported* means the test uses an op, a tensor element type or an op "
             "variant that the `infer` dialect does not cover; *fail* that the import, "
             "compilation or run failed or the result differs; the reason names the "
             "cause. *excluded* tests are outside what an inference compiler of numeric "
             "tensors is for (below, with their reasons); the pass rate is of all other "
             "tests. Operands that must be compile-time constants (Reshape's shape, "
             "Clip's bounds...) are bound to the test's input values.", ""]
    lines += ["## Totals", "",
              "| category | tests | pass | fail | unsupported | excluded | "
              "pass rate (excluded left out) |",
              "|---|---|---|---|---|---|---|"]
    for category in CATEGORIES:
        rows = [r for r in results if r["category"] == category]
        if not rows:
            continue
        p, f, u, x = (sum(r["status"] == s for r in rows)
                      for s in ("pass", "fail", "unsupported", "excluded"))
        rate = f"{100 * p / (p + f + u):.1f}%" if p + f + u else "-"
        lines.append(f"| {category} | {len(rows)} | {p} | {f} | {u} | {x} | {rate} |")
    lines += ["", "## Excluded categories", "", "| category | tests | reason |",
              "|---|---|---|"]
    for kind, why in EXCLUDED.items():
        n = sum(r.get("excluded") == kind for r in results)
        lines.append(f"| {kind} | {n} | {why} |")
    if light:
        lines += ["", "## Real topologies (light_*.onnx from the onnx wheel)", "",
                  "Batch 1, random input, compared with onnxruntime at rtol 1e-3, atol 1e-4. "
                  "Compile = `infer-opt --infer-cpu-pipeline` at its default opt level (tiled, "
                  "packed, vectorized; MLIR to the LLVM dialect); latency = median of "
                  "`infer-run --repeat --threads 1`, against onnxruntime's median at 1 thread "
                  "on the same machine, in the same run. This is a correctness run; "
                  "`tools/bench/run` is the benchmark (1 and 2 threads, IREE, GEMMs, conv "
                  "layers; docs/performance.md).", "",
                  "| model | status | import s | compile s | compile peak MiB | infer ms | onnxruntime ms |",
                  "|---|---|---|---|---|---|---|"]
        for r in light:
            lines.append(f"| {r['model']} | {r['status']}{(': ' + r['reason']) if r.get('reason') else ''} "
                         f"| {r.get('import_s', '-')} | {r.get('compile_s', '-')} | "
                         f"{r.get('compile_peak_mib', '-')} | {r.get('infer_ms', '-')} | "
                         f"{r.get('ort_ms', '-')} |")
    for category in CATEGORIES:
        rows = sorted((r for r in results if r["category"] == category),
                      key=lambda r: r["test"])
        if not rows:
            continue
        lines += ["", f"## {category}", "", "| test | status | reason |", "|---|---|---|"]
        for r in rows:
            reason = r.get("reason", "").replace("|", "\\|")
            if r.get("excluded"):
                reason = f"{r['excluded']}: {reason}"
            lines.append(f"| {r['test']} | {r['status']} | {reason} |")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="infer-conformance", description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.environ.get("INFER_BIN", "build/bin"))
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--light", action="store_true", help="also run the light_*.onnx models")
    parser.add_argument("--light-only", default=None,
                        help="comma-separated light models to run (implies --light)")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per light model")
    parser.add_argument("--markdown", default=None)
    parser.add_argument("--json", default=None)
    parser.add_argument("--expected", default=None,
                        help="file of category/test lines that must pass")
    parser.add_argument("--only-expected", action="store_true",
                        help="run only the tests listed in --expected")
    parser.add_argument("--filter", default=None, metavar="REGEX",
                        help="run only the tests whose name matches REGEX, and print "
                             "each one's status")
    args = parser.parse_args(argv)

    if not os.path.isdir(args.data):
        print(f"infer-conformance: error: no ONNX test data at {args.data} "
              "(apt-get install libonnx-testdata)", file=sys.stderr)
        return 1
    expected = set()
    if args.expected:
        with open(args.expected) as f:
            expected = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    jobs = []
    for category in args.categories.split(","):
        for test_dir in sorted(glob.glob(os.path.join(args.data, category, "test_*"))):
            key = f"{category}/{os.path.basename(test_dir)}"
            if args.only_expected and key not in expected:
                continue
            if args.filter and not re.search(args.filter, os.path.basename(test_dir)):
                continue
            jobs.append((category, test_dir, args.bin))
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(run_test, jobs, chunksize=4))

    if args.filter:
        for r in sorted(results, key=lambda r: r["test"]):
            print(f"{r['category']}/{r['test']}: {r['status']} {r.get('reason', '')}")

    light = []
    names = args.light_only.split(",") if args.light_only else (LIGHT if args.light else [])
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            try:
                row = run_light(name, args.bin, tmp, args.repeat)
            except ImportError_ as e:
                row = {"model": name, "status": "fail", "reason": f"import: {e}"}
            light.append(row)
            print(f"light {name}: {row['status']} {row.get('reason', '')} "
                  f"compile {row.get('compile_s')} s, {row.get('compile_peak_mib')} MiB; "
                  f"infer {row.get('infer_ms')} ms vs onnxruntime {row.get('ort_ms')} ms",
                  flush=True)

    if args.markdown:
        write_markdown(args.markdown, results, light)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"tests": results, "light": light}, f, indent=1, sort_keys=True)

    for category in CATEGORIES:
        rows = [r for r in results if r["category"] == category]
        if rows:
            p, f, u, x = (sum(r["status"] == s for r in rows)
                          for s in ("pass", "fail", "unsupported", "excluded"))
            rate = f"{100 * p / (p + f + u):.1f}%" if p + f + u else "-"
            print(f"{category}: {p} pass, {f} fail, {u} unsupported, {x} excluded "
                  f"({rate} of the rest)")
    status = 0
    passed = {f"{r['category']}/{r['test']}" for r in results if r["status"] == "pass"}
    regressions = sorted(expected - passed) if args.expected else []
    for key in regressions:
        reason = next((r.get("reason", "") for r in results
                       if f"{r['category']}/{r['test']}" == key), "not run")
        print(f"REGRESSION: {key}: {reason}")
        status = 1
    if any(r["status"] != "pass" for r in light):
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
