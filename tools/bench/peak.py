"""The machine's limits, measured in the run (tools/bench/peak.c).

measure(work, threads) builds peak.c with LLVM 22's clang for the host
(-march=native, OpenMP) and returns

  fma_gflops   {threads: f32 GFLOP/s of multiply-adds in registers}, for 1 and
               every thread count of the run: the compute peak
  fork_us      {threads: microseconds of one OpenMP parallel loop's fork and
               join}, for every thread count above 1

or {"error": why} when it cannot build or run. The bench measures them at
its start and again before it uses them, and keeps the better of each
(merge). best_ms(gflop, peak, threads)
is the least time a schedule could take for an op of `gflop` GFLOP: at the
one-thread peak, or split over the threads at their peak plus one fork and
join, whichever is less. Memory bandwidth is not counted, so the time is a
bound: no schedule runs faster.
"""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
LLVM = os.environ.get("INFER_LLVM_DIR", "/usr/lib/llvm-22")


def measure(work, threads):
    exe = os.path.join(work, "peak")
    cmd = [os.path.join(LLVM, "bin", "clang"), "-O2", "-march=native", "-ffp-contract=fast",
           "-fopenmp", os.path.join(HERE, "peak.c"), "-o", exe,
           "-L" + os.path.join(LLVM, "lib"), "-Wl,-rpath," + os.path.join(LLVM, "lib")]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            return {"error": f"building peak.c failed: {proc.stderr.strip()[-300:]}"}
        result = {"fma_gflops": {}, "fork_us": {}}
        for t in sorted({1, *threads}):
            result["fma_gflops"][str(t)] = _run(exe, "fma", t)
            if t > 1:
                result["fork_us"][str(t)] = _run(exe, "fork", t)
        return result
    except (OSError, RuntimeError, ValueError) as e:
        return {"error": str(e)}


def merge(a, b):
    """Two measurements of the limits as one: the higher peak and the lower
    fork cost of each thread count (interference only makes a limit look
    worse). Either may be None or an error."""
    good = [p for p in (a, b) if p and "error" not in p]
    if len(good) < 2:
        return good[0] if good else (a or b)
    out = {"fma_gflops": dict(a["fma_gflops"]), "fork_us": dict(a["fork_us"])}
    for t, v in b["fma_gflops"].items():
        out["fma_gflops"][t] = max(v, out["fma_gflops"].get(t, 0.0))
    for t, v in b["fork_us"].items():
        out["fork_us"][t] = min(v, out["fork_us"].get(t, v))
    return out


def _run(exe, what, threads):
    proc = subprocess.run([exe, what, str(threads)], capture_output=True, text=True,
                          timeout=120)
    if proc.returncode:
        raise RuntimeError(f"peak {what} {threads} failed: {proc.stderr.strip()[-300:]}")
    return float(proc.stdout.strip())


def best_ms(gflop, peak, threads):
    """The least time (ms) for `gflop` GFLOP at the measured peak (see above),
    or None without a measured peak."""
    if not peak or "error" in peak:
        return None
    one = gflop / peak["fma_gflops"]["1"] * 1e3
    if threads <= 1 or str(threads) not in peak["fma_gflops"]:
        return one
    split = gflop / peak["fma_gflops"][str(threads)] * 1e3 + peak["fork_us"][str(threads)] * 1e-3
    return min(one, split)
