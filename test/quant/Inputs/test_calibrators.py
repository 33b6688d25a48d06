#!/usr/bin/env python3
"""Unit tests of the calibrators (infer.quant.calibrators) on distributions
whose answer is known: each check prints PASS or FAIL with the numbers."""
import sys

import numpy as np

from infer.quant import calibrators as c

failures = 0


def check(name, ok, detail):
    global failures
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
    failures += not ok


def hist_of(values, bins=2048):
    r = c.RangeStats()
    r.update(values)
    h = c.HistogramStats(r.absmax, bins)
    h.update(values)
    return r, h


rng = np.random.default_rng(2026)

# minmax: the exact extremes, over several updates; the threshold is max |x|.
r = c.RangeStats()
r.update(np.array([0.5, -3.0, 2.0]))
r.update(np.array([[7.25, -1.0]]))
check("minmax", (r.min, r.max, c.threshold("minmax", r)) == (-3.0, 7.25, 7.25),
      f"min {r.min}, max {r.max}, threshold {c.threshold('minmax', r)}")

# The histogram counts every value once; max |x| lands in the last bin.
r, h = hist_of(np.array([-2.0, 0.0, 0.5, 1.0, 2.0]), bins=256)
check("histogram", h.counts.sum() == 5 and h.counts[-1] == 2 and h.counts[0] == 1,
      f"total {h.counts.sum()}, last bin {h.counts[-1]}, first bin {h.counts[0]}")

# percentile on known CDFs: |x| uniform on [0, 1) has its p-th percentile at
# p / 100; |x| exponential(1) has its median at ln 2.
u = rng.uniform(-1, 1, 1_000_000)
r, h = hist_of(u)
for p in (50.0, 99.0, 99.99):
    t = c.percentile_threshold(h, p)
    check(f"percentile {p} of uniform", abs(t - p / 100) <= 2 * h.width + 2e-3,
          f"{t:.5f} (expected {p / 100}, bin width {h.width:.5f})")
e = rng.exponential(1.0, 1_000_000) * rng.choice([-1, 1], 1_000_000)
r, h = hist_of(e)
t = c.percentile_threshold(h, 50.0)
check("percentile 50 of exponential", abs(t - np.log(2)) <= 2 * h.width + 5e-3,
      f"{t:.5f} (expected ln 2 = {np.log(2):.5f})")

# KL on a synthetic histogram with a known optimum: uniform over the first
# 1024 of 2048 bins. Any threshold below clips mass into the last bin (KL >
# 0); at 1024 bins the 128-level quantization reproduces it exactly (KL = 0);
# the smallest optimum is 1024 bins.
h = c.HistogramStats(2048.0, 2048)
h.counts[:1024] = 1000
t = c.kl_threshold(h)
check("kl uniform half", t == 1024.0, f"{t} (expected 1024.0)")
# A Gaussian bulk with a few far outliers: the threshold keeps the bulk and
# clips the outliers.
g = rng.standard_normal(1_000_000)
g[:10] *= 8
r, h = hist_of(g)
t = c.kl_threshold(h)
check("kl clips outliers", 2.5 < t < 0.5 * r.absmax,
      f"{t:.3f} (max |x| {r.absmax:.3f})")

# MSE against brute force: the chosen threshold's actual int8 quantization
# error on the samples is within 2% of the best over a fine grid of
# thresholds, with and without outliers; for a clean Gaussian it is near
# the known optimum for 8 bits, about 3.9 sigma.


def actual_mse(values, t):
    s = t / 127
    return float(np.mean((values - np.clip(np.round(values / s), -127, 127) * s) ** 2))


for label, outliers in (("gaussian", False), ("gaussian with outliers", True)):
    g = rng.standard_normal(400_000)
    if outliers:
        g[:10] *= 8
    r, h = hist_of(g)
    t = c.mse_threshold(h)
    grid = np.linspace(1.0, r.absmax, 400)
    best = min(actual_mse(g, x) for x in grid)
    got = actual_mse(g, t)
    ok = got <= best * 1.02 and (outliers or 3.5 < t < 4.5)
    check(f"mse on {label}", ok,
          f"threshold {t:.3f}, error {got:.3e} vs best {best:.3e}")

# Quantization parameters: symmetric int8 and asymmetric uint8.
r = c.RangeStats()
r.update(np.array([0.0, 6.0]))
sym = c.int8_params(r, 6.0, symmetric=True)
asym = c.int8_params(r, 6.0, symmetric=False)
check("symmetric params", sym == {"dtype": "int8", "scale": 6.0 / 127, "zero_point": 0}, str(sym))
check("asymmetric params", asym["zero_point"] == 0 and abs(asym["scale"] - 6.0 / 255) < 1e-12,
      str(asym))
r.update(np.array([-2.0]))
asym = c.int8_params(r, 6.0, symmetric=False)
check("asymmetric zero point", asym["zero_point"] == round(2.0 / (8.0 / 255)), str(asym))

# Unknown method: a clear error.
try:
    c.threshold("entropy2", r, h)
    check("unknown method", False, "no error")
except ValueError as err:
    check("unknown method", "unknown calibration method" in str(err), str(err))

print(f"calibrators: {failures} failed")
sys.exit(1 if failures else 0)
