#!/usr/bin/env python3
"""Runs one numeric test case: numpy inputs and reference, infer-run, compare.

    check.py MODEL.mlir CASE [INFER-RUN OPTION...]

CASE names a function in MODEL.mlir and an entry of reference.CASES, which
makes the inputs (seeded) and computes the expected outputs with numpy alone.
infer-run compiles and runs the function (with the options after CASE, such
as -O 0) and compares with the case's tolerances; its exit status is ours.
"""
import os
import subprocess
import sys
import tempfile
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import CASES  # noqa: E402


def main():
    model, name = sys.argv[1], sys.argv[2]
    case = CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    inputs = case.make_inputs(rng)
    expected = case.reference(*inputs)
    if not isinstance(expected, tuple):
        expected = (expected,)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["infer-run", model, "-e", case.func or name,
               "--rtol", str(case.rtol), "--atol", str(case.atol),
               *sys.argv[3:]]
        for i, array in enumerate(inputs):
            path = os.path.join(tmp, f"in{i}.npy")
            np.save(path, array)
            cmd += ["--input", path]
        for i, array in enumerate(expected):
            path = os.path.join(tmp, f"ref{i}.npy")
            np.save(path, np.ascontiguousarray(array))
            cmd += ["--expect", path]
        result = subprocess.run(cmd)
        if result.returncode != 0:
            print(f"check.py: case {name} failed: {' '.join(cmd)}",
                  file=sys.stderr)
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
