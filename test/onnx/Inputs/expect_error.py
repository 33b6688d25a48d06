#!/usr/bin/env python3
"""Imports a model that must fail cleanly and prints the error line.

    expect_error.py MODEL [IMPORTER ARGS...]

A clean failure is exit status 1, nothing on stdout and a single
`infer-import-onnx: error: ` line on stderr: no traceback, no warning.
Anything else exits 1 with what it got, so FileCheck sees no error line.
"""
import subprocess
import sys

result = subprocess.run([sys.executable, "-m", "infer.onnx.importer", *sys.argv[1:]],
                        capture_output=True, text=True)
lines = result.stderr.splitlines()
if result.returncode != 1 or result.stdout or len(lines) != 1 or \
        not lines[0].startswith("infer-import-onnx: error: "):
    print(f"not a clean error: exit status {result.returncode}, "
          f"{len(result.stdout)} bytes on stdout, stderr:\n{result.stderr}")
    sys.exit(1)
print(lines[0])
