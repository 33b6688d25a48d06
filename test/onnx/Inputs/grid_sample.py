#!/usr/bin/env python3
"""GridSample against onnxruntime.

    grid_sample.py WORK_DIR

Every mode (bilinear, nearest, bicubic at opset 16; linear, nearest, cubic
at opset 20) x padding_mode (zeros, border, reflection) x align_corners
(0, 1) on 4-D input [2, 3, 5, 7] with a grid [2, 4, 6, 2] that reaches past
the image (to +-3.2, so reflection folds more than once) and holds exact
half-pixel ties for nearest's rounding; a dynamic batch; a single-pixel
axis with align_corners; 5-D volumetric input at opset 20 (linear and
nearest against onnxruntime; cubic, which onnxruntime lacks for 5-D, once
per padding_mode against cubic_reference below, itself checked against
onnxruntime on 4-D input). Cubic with border padding follows onnxruntime
(and PyTorch), not ONNX's reference implementation, which clamps the
coordinate before taking its taps (the two differ where a coordinate falls
outside the image).

Each case is imported (decomposed: no GridSample op remains), run by
infer-run as imported and after `infer-opt --fuse --tile` (the 4-D cases at
opset 20 only as imported: their MLIR is that of opset 16), and must match
at rtol 1e-4, atol 1e-5. WORK_DIR/bilinear.mlir is kept for FileCheck. Each
case prints PASS/FAIL; three unsupported or invalid nodes must fail to
import with an error naming the node.
"""
import itertools
import os
import subprocess
import sys

import numpy as np
from onnx import TensorProto, helper

import harness
from harness import expect_import_error, input_args, onnxruntime_outputs, report, run_infer
from infer.onnx.errors import ImportError_
from infer.onnx.importer import import_model

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
r = np.random.default_rng(5)
RTOL, ATOL = 1e-4, 1e-5
F32 = TensorProto.FLOAT


def model_of(x_shape, g_shape, opset, name="gs", **attrs):
    graph = helper.make_graph(
        [helper.make_node("GridSample", ["x", "grid"], ["y"], name=name, **attrs)], "g",
        [helper.make_tensor_value_info("x", F32, x_shape),
         helper.make_tensor_value_info("grid", F32, g_shape)],
        [helper.make_tensor_value_info("y", F32, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8 if opset < 20 else 9
    return model


def check(tag, model, feeds, reference="ort", keep=None, tiled=True):
    base = os.path.join(work, tag)
    try:
        text = import_model(model)
    except ImportError_ as e:
        report(tag, False, f"import: {e}")
        return
    with open(base + ".mlir", "w") as f:
        f.write(text)
    if keep:
        with open(os.path.join(work, keep), "w") as f:
            f.write(text)
    if "grid_sample" in text.lower():
        report(tag, False, "a GridSample op is left in the MLIR")
        return
    expected = onnxruntime_outputs(model, feeds)[0] if reference == "ort" \
        else reference(**feeds)
    inputs = input_args(base, feeds)
    variants = [("imported", base + ".mlir")]
    if tiled:
        variants.append(("tiled", base + ".tiled.mlir"))
        proc = subprocess.run(["infer-opt", "--fuse", "--tile", base + ".mlir", "-o",
                               variants[1][1]], capture_output=True, text=True)
        if proc.returncode != 0:
            report(tag, False, f"infer-opt: {proc.stderr.strip()[-400:]}")
            return
    worst = 0.0
    for variant, source in variants:
        ours = run_infer(source, f"{base}.{variant}", inputs, 1)
        if isinstance(ours, str):
            report(tag, False, f"infer-run ({variant}): {ours}")
            return
        ours = ours[0]
        if ours.shape != expected.shape or \
                not np.allclose(ours, expected, rtol=RTOL, atol=ATOL):
            diff = float(np.max(np.abs(ours - expected))) \
                if ours.shape == expected.shape else \
                f"shape {ours.shape} vs {expected.shape}"
            report(tag, False, f"{variant} differs from {reference}: {diff}")
            return
        worst = max(worst, float(np.max(np.abs(ours - expected))))
    gathers = text.count("infer.gather_elements")
    report(tag, True, f"shape {list(expected.shape)}, {gathers} gather_elements, "
           f"max |diff| {worst:.1e}")


def cubic_reference(x, grid, padding, align):
    """Cubic GridSample of any rank in float64, as onnxruntime does 4-D:
    Keys' kernel (A = -0.75) on the taps floor(c) - 1 .. floor(c) + 2 of
    the unnormalized coordinate c, each tap zero, clamped or reflected."""
    dims = x.shape[2:]
    r_ = len(dims)
    a = -0.75
    taps = []
    for i, size in enumerate(dims):
        g = grid[..., r_ - 1 - i].astype(np.float64)
        c = (g + 1) / 2 * (size - 1) if align else ((g + 1) * size - 1) / 2
        base = np.floor(c)
        t = c - base
        s = [t + 1, t, 1 - t, 2 - t]
        w = [((a * s[0] - 5 * a) * s[0] + 8 * a) * s[0] - 4 * a,
             ((a + 2) * s[1] - (a + 3)) * s[1] * s[1] + 1,
             ((a + 2) * s[2] - (a + 3)) * s[2] * s[2] + 1,
             ((a * s[3] - 5 * a) * s[3] + 8 * a) * s[3] - 4 * a]
        lo, hi = (0.0, size - 1.0) if align else (-0.5, size - 0.5)
        axis = []
        for k in range(4):
            p = base + k - 1
            valid = (p >= 0) & (p <= size - 1)
            if padding == "reflection" and hi > lo:
                span = hi - lo
                d = np.where(p < lo, lo - p, p - hi)
                n = np.floor(d / span)
                rest = d - n * span
                flip = (p < lo) != (n % 2 == 1)
                p = np.where((p < lo) | (p > hi),
                             np.where(flip, lo + rest, hi - rest), p)
            p = np.clip(p, 0, size - 1).astype(np.int64)
            if padding != "zeros":
                valid = np.ones_like(valid)
            axis.append((p, w[k] * valid))
        taps.append(axis)
    out = np.zeros(x.shape[:2] + grid.shape[1:-1])
    batch = np.arange(x.shape[0]).reshape((-1,) + (1,) * (grid.ndim - 2))
    for combo in itertools.product(*taps):
        weight = np.prod([w for _, w in combo], axis=0)
        values = x[(batch, slice(None)) + tuple(p for p, _ in combo)]
        # advanced indices first: [N, O..., C] -> [N, C, O...]
        out += np.moveaxis(values, -1, 1) * weight[:, None]
    return out.astype(x.dtype)


def grid_of(n, outs, dims, align):
    """Uniform in [-3.2, 3.2] (far outside [-1, 1]), with a share of exact
    half-pixel ties of each axis (for nearest's round half to even)."""
    r_ = len(dims)
    g = r.uniform(-3.2, 3.2, (n, *outs, r_)).astype(np.float32)
    flat = g.reshape(-1, r_)
    for c in range(r_):
        size = dims[r_ - 1 - c]
        k = r.integers(-2, size + 2, flat.shape[0]).astype(np.float64) + 0.5
        # unnormalized k + 0.5 back to [-1, 1] coordinates
        tie = (2 * k / (size - 1) - 1) if align and size > 1 else \
            ((2 * k + 1) / size - 1)
        pick = r.random(flat.shape[0]) < 0.3
        flat[pick, c] = tie[pick].astype(np.float32)
    return flat.reshape(g.shape)


MODES = {16: ("bilinear", "nearest", "bicubic"), 20: ("linear", "nearest", "cubic")}
PADDINGS = ("zeros", "border", "reflection")

# --- 4-D: every mode x padding x align_corners, opsets 16 and 20.
x4 = r.standard_normal((2, 3, 5, 7)).astype(np.float32)
for opset, modes in MODES.items():
    for mode in modes:
        for padding in PADDINGS:
            for align in (0, 1):
                grid = grid_of(2, (4, 6), (5, 7), align)
                tag = f"op{opset}_{mode}_{padding}_align{align}"
                check(tag, model_of(list(x4.shape), list(grid.shape), opset, mode=mode,
                                    padding_mode=padding, align_corners=align),
                      {"x": x4, "grid": grid}, tiled=opset == 16,
                      keep="bilinear.mlir" if tag == "op16_bilinear_zeros_align0" else None)

# --- The defaults (bilinear, zeros, align_corners 0), a dynamic batch.
grid = grid_of(3, (2, 5), (4, 4), 0)
x = r.standard_normal((3, 2, 4, 4)).astype(np.float32)
check("defaults_dynamic_batch", model_of(["N", 2, 4, 4], ["N", 2, 5, 2], 16),
      {"x": x, "grid": grid})

# --- A single-pixel axis with align_corners (the reflection range is empty).
x = r.standard_normal((1, 2, 1, 5)).astype(np.float32)
for mode in ("bilinear", "nearest", "bicubic"):
    for padding in PADDINGS:
        grid = grid_of(1, (3, 3), (1, 5), 1)
        check(f"single_row_{mode}_{padding}",
              model_of(list(x.shape), list(grid.shape), 16, mode=mode,
                       padding_mode=padding, align_corners=1),
              {"x": x, "grid": grid})

# --- cubic_reference agrees with onnxruntime on 4-D input.
for padding in PADDINGS:
    for align in (0, 1):
        grid = grid_of(2, (4, 6), (5, 7), align)
        model = model_of(list(x4.shape), list(grid.shape), 20, mode="cubic",
                         padding_mode=padding, align_corners=align)
        diff = float(np.max(np.abs(cubic_reference(x4, grid, padding, align)
                                   - onnxruntime_outputs(model, {"x": x4, "grid": grid})[0])))
        report(f"cubic_reference_{padding}_align{align}", diff < ATOL,
               f"max |diff| from onnxruntime {diff:.1e}")

# --- 5-D (volumetric) at opset 20.
x5 = r.standard_normal((2, 2, 3, 4, 5)).astype(np.float32)
for mode in ("linear", "nearest", "cubic"):
    for padding in PADDINGS:
        for align in (0, 1):
            if mode == "cubic" and align != (padding == "border"):
                continue  # 64 taps, slow to compile: one align_corners each
            grid = grid_of(2, (2, 3, 2), (3, 4, 5), align)
            check(f"volumetric_{mode}_{padding}_align{align}",
                  model_of(list(x5.shape), list(grid.shape), 20, mode=mode,
                           padding_mode=padding, align_corners=align),
                  {"x": x5, "grid": grid},
                  reference=(lambda x, grid, p=padding, a=align:
                             cubic_reference(x, grid, p, a)) if mode == "cubic" else "ort")

# --- Unsupported variants name the node.
expect_import_error("error_dynamic_height", model_of([1, 2, "H", 4], [1, 3, 3, 2], 16,
                                              name="gs_dyn"),
             "GridSample node 'gs_dyn' (opset 16): needs static channel, spatial and "
             "grid sizes")
expect_import_error("error_mode", model_of([1, 2, 4, 4], [1, 3, 3, 2], 16, name="gs_mode",
                                    mode="linear"),
             "GridSample node 'gs_mode' (opset 16): attribute 'mode' is 'linear', "
             "expected one of bilinear, nearest, bicubic")
expect_import_error("error_volumetric_opset16", model_of([1, 2, 3, 4, 4], [1, 2, 3, 3, 3], 16,
                                                  name="gs_5d"),
             "GridSample node 'gs_5d' (opset 16): 5-D input is not supported")

print(f"grid_sample: {harness.failures} failed")
sys.exit(1 if harness.failures else 0)
