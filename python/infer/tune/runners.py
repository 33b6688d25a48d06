"""Where candidates are compiled and timed: the runner interface.

A job is a plain dict (picklable, so that it can travel to another machine):

  module     the task module with the candidate schedule substituted
  inputs     [{"shape": [...], "type": "f32"}, ...] of its @main
  threads    threads to run on
  warmup, repeat   untimed and timed calls
  timeout    seconds before the worker is killed (a hang)
  bin        the directory holding infer-run on the machine that measures
  launcher   a command prefix for the worker (taskset, numactl, a wrapper)
  seed       of the random inputs
  name       (optional) the module's file name in the worker (its
             diagnostics' locations; default task.mlir)
  tuning_db  (optional) the text of a tuning database to replay
             (`infer-run --tuning-db`; the whole-model check)
  whole_model  (optional) a whole model: an op infer-tile could not apply
             a schedule to runs as plain loops, as it would in a compile,
             and the job is still "ok"

`measure(job)` runs one candidate in a worker process of its own (infer-run:
JIT compile, then the timed calls) and returns a result dict:

  status     "ok", "crash" (killed by a signal), "hang" (timed out),
             "error" (non-zero exit), "inapplicable" (infer-tile could not
             apply the schedule: the op would run as plain loops)
  times_ms   every timed call (status ok)
  median_ms  the median after outlier rejection (status ok)
  detail     the reason, for the others

A crashing or hanging candidate only ends its own worker; the tuner records
it and goes on. Runners:

  LocalRunner  a pool of `jobs` local workers (default 1: timings on a machine
               of few cores are only clean one at a time)
  RayRunner    Ray tasks on a Ray cluster (`--runner ray --address HOST:PORT`);
               every node needs infer-mlir at the same path (`bin`)
"""
import concurrent.futures
import os
import signal
import subprocess
import tempfile

import numpy as np

NUMPY_TYPES = {
    "f32": np.float32, "f64": np.float64, "f16": np.float16, "bf16": np.uint16,
    "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
    "ui8": np.uint8, "ui16": np.uint16, "ui32": np.uint32, "ui64": np.uint64,
    "i1": np.bool_,
}


def robust_median(times):
    """The median of `times` without outliers (beyond 3 scaled median
    absolute deviations above the median: preemptions, page faults)."""
    t = np.asarray(times, dtype=np.float64)
    if t.size == 0:
        return float("nan")
    median = np.median(t)
    mad = np.median(np.abs(t - median)) * 1.4826
    if mad > 0:
        t = t[t <= median + 3 * mad]
    return float(np.median(t))


MAX_CALLS = 2000


def calls_for(median_ms, target_ms):
    """{"repeat", "warmup"}: timed calls filling about `target_ms` at
    `median_ms` a call, at least 5 and at most MAX_CALLS (a microsecond op
    gets 2000: a short measurement of an op that starts threads catches the
    pool still waking up), and a fifth of them untimed first."""
    repeat = int(min(MAX_CALLS, max(5, target_ms / max(median_ms, 1e-4))))
    return {"repeat": repeat, "warmup": max(1, repeat // 5)}


def random_input(spec, rng):
    shape, name = spec["shape"], spec["type"]
    dtype = NUMPY_TYPES.get(name)
    if dtype is None:
        raise ValueError(f"no .npy type for a tuning input of type {name}")
    if name == "bf16":
        values = rng.standard_normal(shape).astype(np.float32)
        return (values.view(np.uint32) >> 16).astype(np.uint16)
    if np.issubdtype(dtype, np.floating):
        return (rng.standard_normal(shape) * 0.5).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(np.bool_)
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -4), min(info.max, 4), shape, endpoint=True).astype(dtype)


def _tail(text, lines=3):
    """What a failed worker said: from its first error on, else its last
    lines."""
    text = text.strip().splitlines()
    first = next((i for i, line in enumerate(text) if "error:" in line), None)
    return " | ".join(text[first:first + lines] if first is not None
                      else text[-lines:])[-400:]


def measure(job):
    """Compiles and times one candidate in a worker process (see above)."""
    with tempfile.TemporaryDirectory(prefix="infer-tune-") as work:
        module = os.path.join(work, job.get("name", "task.mlir"))
        with open(module, "w") as f:
            f.write(job["module"])
        rng = np.random.default_rng(job.get("seed", 0))
        inputs = []
        for i, spec in enumerate(job["inputs"]):
            path = os.path.join(work, f"in{i}.npy")
            np.save(path, random_input(spec, rng))
            inputs.append(path)
        cmd = list(job.get("launcher") or [])
        cmd += [os.path.join(job["bin"], "infer-run"), module,
                "--threads", str(job["threads"]), "--warmup", str(job["warmup"]),
                "--repeat", str(job["repeat"]), "--print-times"]
        for path in inputs:
            cmd += ["--input", path]
        if job.get("tuning_db") is not None:
            db = os.path.join(work, "tuning-db.json")
            with open(db, "w") as f:
                f.write(job["tuning_db"])
            cmd += ["--tuning-db", db]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=job["timeout"])
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {"status": "hang", "detail": f"killed after {job['timeout']} s"}
    if proc.returncode < 0:
        name = signal.Signals(-proc.returncode).name
        return {"status": "crash", "detail": f"{name}: {_tail(err)}"}
    if proc.returncode != 0:
        return {"status": "error", "detail": f"exit {proc.returncode}: {_tail(err)}"}
    if "could not be applied" in err and not job.get("whole_model"):
        line = next(l for l in err.splitlines() if "could not be applied" in l)
        return {"status": "inapplicable", "detail": line.strip()[-400:]}
    times = None
    for line in out.splitlines():
        if line.startswith("times_ms="):
            times = [float(t) for t in line[len("times_ms="):].split(",") if t]
    if not times:
        return {"status": "error", "detail": "no times_ms in the output: " + _tail(out)}
    return {"status": "ok", "times_ms": times, "median_ms": robust_median(times)}


class LocalRunner:
    """Candidates in local worker processes, `jobs` at a time."""

    name = "local"

    def __init__(self, jobs=1):
        self.jobs = max(1, jobs)
        self.pool = concurrent.futures.ThreadPoolExecutor(self.jobs)

    def submit(self, job):
        return self.pool.submit(measure, job)

    def close(self):
        self.pool.shutdown()


class RayRunner:
    """Candidates as Ray tasks on the cluster at `address` (HOST:PORT of a
    running `ray start --head`), each reserving `threads` CPUs."""

    name = "ray"

    def __init__(self, address, threads=1):
        try:
            import ray
        except ImportError as e:
            raise RuntimeError("--runner ray needs the ray package (pip install ray)") from e
        self.ray = ray
        try:
            ray.init(address=address, logging_level="ERROR", log_to_driver=False)
        except Exception as e:  # ConnectionError, ValueError, Ray's own
            raise RuntimeError(f"cannot reach the Ray cluster at {address}: {e}") from e
        self.remote = ray.remote(num_cpus=threads, max_retries=0)(measure)

    def submit(self, job):
        return self.remote.remote(job).future()

    def close(self):
        self.ray.shutdown()


def make_runner(kind, jobs=1, address=None, threads=1):
    if kind == "local":
        return LocalRunner(jobs)
    if kind == "ray":
        if not address:
            raise RuntimeError("--runner ray needs --address HOST:PORT of a Ray cluster")
        return RayRunner(address, threads)
    raise RuntimeError(f"unknown runner '{kind}' (local, ray)")
