"""Per-layer sensitivity for mixed precision: the output error of the model
when only one layer is int8, measured with our own compiled code.

For every convolution and contraction that `infer-opt --quantize-report`
would quantize, the model is quantized with only that layer in int8
(`--quantize-int8="calibration=T only=NODE"`), compiled, and run on the
evaluation samples; its error is ||y - y_fp32|| / ||y_fp32|| over all
outputs. Layers whose error exceeds the budget stay fp32: the calibration
table gets `"fp32": {node: why}` (which infer-quantize follows and
`--quantize-report` prints) and `"sensitivity": {node: error}`.
"""
import os
import re
import subprocess

import numpy as np

from infer.onnx.importer import import_model
from infer.runtime import CompiledModel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

QUANTIZED = re.compile(r"infer-quantize: \S+ '(?P<node>[^']*)': int8:")


class SensitivityError(Exception):
    pass


def _run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SensitivityError(f"{os.path.basename(cmd[0])} failed: "
                               f"{proc.stderr.strip()[-800:]}")
    return proc


def _compile(mlir, work, name, bin_dir, threads):
    _run([os.path.join(ROOT, "tools", "infer-compile"), mlir, "-o", work, "--name", name,
          "--threads", str(threads), "--bin", bin_dir])
    return CompiledModel(os.path.join(work, f"lib{name}.so"))


def _outputs(compiled, arrays, batch):
    n = arrays[0].shape[0]
    results = [compiled(*[a[i:i + batch] for a in arrays]) for i in range(0, n, batch)]
    return [np.concatenate([r[j] for r in results]) for j in range(len(results[0]))]


def analyze(model, table_path, arrays, budget, batch, work, bin_dir, threads=0,
            progress=None):
    """Returns {node: relative output error with only that node in int8} and
    the list of nodes over `budget`."""
    opt = os.path.join(bin_dir, "infer-opt")
    fp32 = os.path.join(work, "sensitivity.mlir")
    with open(fp32, "w") as f:
        f.write(import_model(model, batch_size=batch))
    report = _run([opt, fp32, f"--quantize-report=calibration={table_path}", "-o",
                   os.devnull])
    nodes = [m.group("node") for m in QUANTIZED.finditer(report.stderr)]
    reference = _outputs(_compile(fp32, work, "sensitivity_fp32", bin_dir, threads),
                         arrays, batch)
    norm = np.sqrt(sum(float(np.sum(r.astype(np.float64) ** 2)) for r in reference))
    errors = {}
    for i, node in enumerate(nodes):
        one = os.path.join(work, "sensitivity_one.mlir")
        _run([opt, fp32, f"--quantize-int8=calibration={table_path} only={node}", "-o", one])
        got = _outputs(_compile(one, work, f"sensitivity_{i}", bin_dir, threads), arrays,
                       batch)
        diff = np.sqrt(sum(float(np.sum((g.astype(np.float64) - r) ** 2))
                           for g, r in zip(got, reference)))
        errors[node] = diff / norm if norm > 0 else diff
        if progress:
            progress(i + 1, len(nodes), node, errors[node])
    over = [n for n, e in errors.items() if e > budget]
    return errors, over


def apply(table, errors, over, budget):
    """Records the sensitivity and the fp32 decisions in `table` (a dict)."""
    table["sensitivity"] = {n: e for n, e in errors.items()}
    table["sensitivity_budget"] = budget
    table["fp32"] = {n: f"sensitivity {errors[n]:.3g} over the budget {budget:g}"
                     for n in over}
    return table
