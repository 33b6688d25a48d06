"""The runtimes that tools/bench compares, each behind one small class.

  Ours      infer-import-onnx (python -m infer.onnx.importer), then
            build/bin/infer-run --threads N --repeat R (JIT, median_ms)
  Ort       onnxruntime in this process: intra_op_num_threads=N,
            inter_op_num_threads=1, sequential execution, all graph
            optimizations
  NumpyGemm numpy's matmul (its bundled OpenBLAS), threads set by threadpoolctl
  Iree      iree-import-onnx, iree-compile (llvm-cpu, host CPU), outputs by
            iree-run-module, timings by iree-benchmark-module with
            --task_topology_max_group_count=N

Every timing is a dict: median_ms, times_ms (every timed call, when the tool
reports them; None otherwise), runs, warmup, and a note where the method
differs. A tool that fails raises BenchError with the reason (the last lines
of its output).
"""
import json
import os
import re
import subprocess
import sys
import time

import numpy as np


class BenchError(Exception):
    """A tool failed; the message says which and why."""


def timing(times_ms, warmup, note=None):
    """The timing dict for a list of per-call times in milliseconds."""
    return {"median_ms": float(np.median(times_ms)), "times_ms": [float(t) for t in times_ms],
            "runs": len(times_ms), "warmup": warmup, "note": note}


def time_calls(fn, runs, warmup):
    """Calls fn() warmup times untimed, then runs times timed."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return timing(times, warmup)


def save_feeds(stem, feeds):
    """Writes each input array to STEM.in<i>.npy (C order); returns the paths,
    in order, for infer-run --input."""
    paths = []
    for i, array in enumerate(feeds.values()):
        paths.append(f"{stem}.in{i}.npy")
        np.save(paths[-1], np.ascontiguousarray(array))
    return paths


def max_abs_diff(got, want):
    """max |got - want| (inf when the shapes differ or a value is not finite
    in one and finite in the other)."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if got.shape != want.shape:
        return float("inf")
    if got.size == 0:
        return 0.0
    return float(np.max(np.abs(got - want)))


def run_tool(cmd, timeout, env=None):
    """Runs a command; returns its combined output, raises BenchError when it
    fails or times out."""
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{os.path.basename(cmd[0])}: timed out after {timeout} s")
    out = proc.stdout.decode(errors="replace")
    if proc.returncode != 0:
        raise BenchError(f"{os.path.basename(cmd[0])} exited {proc.returncode}: "
                         f"{tail(out)}")
    return out


def tail(text, lines=3, chars=400):
    """The last non-empty lines of a tool's output, for a failure reason."""
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()][-lines:]
    return " | ".join(kept)[-chars:]


# ----------------------------------------------------------------------- ours


class Ours:
    """The project's own stack: importer + infer-run (JIT)."""

    def __init__(self, bin_dir, timeout):
        self.infer_run = os.path.join(bin_dir, "infer-run")
        if not os.access(self.infer_run, os.X_OK):
            raise BenchError(f"{self.infer_run} not found: build the project first "
                             "(tools/infer-dev build)")
        self.timeout = timeout
        help_text = run_tool([self.infer_run, "--help"], 60)
        # infer-run --repeat N times N calls, the first included, and prints
        # only their median. Should it grow --warmup, it is used.
        self.has_warmup = "--warmup" in help_text
        self.has_print_times = "--print-times" in help_text
        self.infer_compile = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          "..", "infer-compile")
        self.bin_dir = bin_dir

    def compile_aot(self, mlir_path, out_dir, threads):
        """tools/infer-compile: the default pipeline, LLVM's optimizer and
        code generator, the link of the .so; returns wall seconds."""
        start = time.perf_counter()
        run_tool([self.infer_compile, mlir_path, "-o", out_dir, "--threads", str(threads),
                  "--bin", self.bin_dir], self.timeout)
        return time.perf_counter() - start

    def import_onnx(self, onnx_path, mlir_path):
        """infer-import-onnx model.onnx -o model.mlir; returns seconds."""
        start = time.perf_counter()
        run_tool([sys.executable, "-m", "infer.onnx.importer", onnx_path, "-o", mlir_path],
                 self.timeout)
        return time.perf_counter() - start

    def outputs(self, mlir_path, input_paths, output_path, threads, extra=()):
        """One untimed call by infer-run; returns its (single) output."""
        cmd = [self.infer_run, mlir_path, f"--threads={threads}", *extra]
        for path in input_paths:
            cmd += ["--input", path]
        run_tool(cmd + ["--output", output_path], self.timeout)
        return [np.load(output_path)]

    def profile(self, mlir_path, input_paths, threads, fuse):
        """One profiled call (infer-run --profile --fuse=...): the kernels (top
        level loop nests) and the bytes of the intermediate buffers."""
        cmd = [self.infer_run, mlir_path, f"--threads={threads}", "--profile",
               f"--fuse={fuse}"]
        for path in input_paths:
            cmd += ["--input", path]
        out = run_tool(cmd, self.timeout)
        kernels = re.search(r"profile: (\d+) kernels", out)
        memory = re.search(r"memory: intermediate buffers (\d+) bytes, arena (\d+) bytes", out)
        if not kernels or not memory:
            raise BenchError(f"infer-run --profile printed no kernel or memory line: {tail(out)}")
        return {"kernels": int(kernels.group(1)), "intermediate_bytes": int(memory.group(1)),
                "arena_bytes": int(memory.group(2))}

    def run(self, mlir_path, input_paths, output_path, threads, runs, warmup, extra=()):
        """Compiles and runs the module by infer-run; returns (timing, outputs,
        wall seconds of the whole infer-run, compile included)."""
        cmd = [self.infer_run, mlir_path, f"--threads={threads}", *extra]
        if self.has_print_times:
            cmd += ["--print-times"]
        if self.has_warmup:
            cmd += [f"--warmup={warmup}", f"--repeat={runs}"]
            note = None
        else:
            cmd += [f"--repeat={runs + warmup}"]
            note = (f"infer-run has no --warmup: median of {runs + warmup} calls, "
                    "the first (cold) ones included")
        for path in input_paths:
            cmd += ["--input", path]
        cmd += ["--output", output_path]
        start = time.perf_counter()
        out = run_tool(cmd, self.timeout)
        wall = time.perf_counter() - start
        match = re.search(r"median_ms=([0-9.eE+-]+)", out)
        if not match:
            raise BenchError(f"infer-run printed no median_ms: {tail(out)}")
        times = re.search(r"times_ms=([0-9.eE+,-]+)", out)  # per-call times, if offered
        result = {"median_ms": float(match.group(1)),
                  "times_ms": [float(t) for t in times.group(1).split(",")] if times else None,
                  "runs": runs if self.has_warmup else runs + warmup,
                  "warmup": warmup if self.has_warmup else 0, "note": note}
        return result, [np.load(output_path)], wall


# ------------------------------------------------------------------------ ORT


class Ort:
    """onnxruntime's CPU execution provider, in this process."""

    def __init__(self):
        import onnxruntime
        self.ort = onnxruntime
        self.version = onnxruntime.__version__

    def session(self, model_bytes_or_path, threads):
        so = self.ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = self.ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        return self.ort.InferenceSession(model_bytes_or_path, so,
                                         providers=["CPUExecutionProvider"])

    def run(self, model_bytes_or_path, feeds, threads, runs, warmup):
        """Returns (timing, outputs)."""
        session = self.session(model_bytes_or_path, threads)
        outputs = session.run(None, feeds)
        result = time_calls(lambda: session.run(None, feeds), runs, warmup)
        return result, outputs


# ---------------------------------------------------------------------- numpy


class NumpyGemm:
    """numpy.matmul on its bundled BLAS, the thread count set by threadpoolctl."""

    def __init__(self):
        import threadpoolctl
        self.threadpoolctl = threadpoolctl
        self.version = np.__version__
        self.blas = [{k: v for k, v in info.items() if k in
                      ("internal_api", "version", "architecture", "num_threads")}
                     for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]

    def run(self, a, b, threads, runs, warmup):
        with self.threadpoolctl.threadpool_limits(limits=threads, user_api="blas"):
            out = np.matmul(a, b)
            result = time_calls(lambda: np.matmul(a, b), runs, warmup)
        return result, [out]


# ----------------------------------------------------------------------- IREE


class Iree:
    """IREE (pip iree-base-compiler / iree-base-runtime): llvm-cpu for the
    host CPU, the local-task driver."""

    # IREE's default path for NCHW convolutions (the ONNX layout) is slow on
    # CPUs: 5-10x slower than with its img2col rewrite, which turns them into
    # matmuls that get data tiling. It is used unless plain=True.
    IMG2COL = ("--iree-preprocessing-pass-pipeline="
               "builtin.module(util.func(iree-global-opt-convert-conv2d-to-img2col))")

    def __init__(self, timeout, extra_flags=(), plain=False):
        bindir = os.path.dirname(sys.executable)
        self.tools = {name: os.path.join(bindir, name) for name in
                      ("iree-import-onnx", "iree-compile", "iree-run-module",
                       "iree-benchmark-module")}
        missing = [p for p in self.tools.values() if not os.access(p, os.X_OK)]
        if missing:
            raise BenchError(f"IREE tools not installed: {', '.join(missing)}")
        from importlib.metadata import version
        self.version = {"compiler": version("iree-base-compiler"),
                        "runtime": version("iree-base-runtime")}
        self.timeout = timeout
        self.compile_flags = ["--iree-hal-target-backends=llvm-cpu",
                              "--iree-llvmcpu-target-cpu=host",
                              *(() if plain else (self.IMG2COL,)), *extra_flags]

    def compile(self, onnx_path, stem):
        """iree-import-onnx then iree-compile; returns (vmfb path, function
        name, seconds for both). The imported .mlir is deleted afterwards (it
        holds the weights as text)."""
        mlir, vmfb = stem + ".iree.mlir", stem + ".vmfb"
        start = time.perf_counter()
        try:
            run_tool([self.tools["iree-import-onnx"], onnx_path, "-o", mlir], self.timeout)
            with open(mlir, errors="replace") as f:
                head = f.read(1 << 16)
            match = re.search(r"func\.func @([\w$.-]+)\(", head)
            if not match:
                raise BenchError("iree-import-onnx: no function in the imported module")
            run_tool([self.tools["iree-compile"], mlir, *self.compile_flags, "-o", vmfb],
                     self.timeout)
        finally:
            if os.path.exists(mlir):
                os.remove(mlir)
        return vmfb, match.group(1), time.perf_counter() - start

    def outputs(self, vmfb, function, input_paths, stem, n_outputs):
        """One call by iree-run-module; returns its outputs as arrays."""
        outs = [f"{stem}.iree_out{i}.npy" for i in range(n_outputs)]
        cmd = [self.tools["iree-run-module"], f"--module={vmfb}", "--device=local-task",
               f"--function={function}"]
        cmd += [f"--input=@{p}" for p in input_paths]
        cmd += [f"--output=@{p}" for p in outs]
        run_tool(cmd, self.timeout)
        return [np.load(p) for p in outs]

    def time(self, vmfb, function, input_paths, threads, runs, stem):
        """iree-benchmark-module, one call per repetition, after its warm-up
        (at least one call); returns the timing."""
        report = f"{stem}.iree_bench.json"
        cmd = [self.tools["iree-benchmark-module"], f"--module={vmfb}", "--device=local-task",
               f"--function={function}", f"--task_topology_max_group_count={threads}",
               f"--benchmark_repetitions={runs}", "--benchmark_min_time=1x",
               "--benchmark_min_warmup_time=0.01", f"--benchmark_out={report}",
               "--benchmark_out_format=json"]
        cmd += [f"--input=@{p}" for p in input_paths]
        run_tool(cmd, self.timeout)
        with open(report) as f:
            data = json.load(f)
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
        times = [b["real_time"] * scale[b["time_unit"]] for b in data["benchmarks"]
                 if b.get("run_type") == "iteration"]
        if not times:
            raise BenchError("iree-benchmark-module reported no iteration")
        return timing(times, "google-benchmark warm-up (>= 1 call)")
