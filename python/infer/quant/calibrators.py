"""Calibrators: from the values a tensor took on calibration data to the
range its int8 quantization covers.

Statistics are gathered in two passes over the data: `RangeStats` (min and
max) first, then `HistogramStats`, a histogram of |x| over [0, max |x|] with
a fixed number of bins (2048 by default, as TensorRT and onnxruntime use).
The methods then pick a clipping threshold T (the quantized range is
[-T, T] for symmetric int8, scale T / 127):

- `minmax`: T = max |x| (no clipping; asymmetric ranges keep min and max);
- `percentile`: T = the given percentile of |x| (99.99 by default);
- `kl`: TensorRT's entropy calibration: the T whose 128-level quantized
  distribution has the least KL divergence from the clipped reference;
- `mse`: the T with the least expected squared quantization error
  (clipping plus rounding), estimated from the histogram.
"""
import numpy as np

METHODS = ("minmax", "percentile", "kl", "mse")


class RangeStats:
    """Running minimum and maximum."""

    def __init__(self):
        self.min = np.inf
        self.max = -np.inf
        self.count = 0

    def update(self, values):
        values = np.asarray(values)
        if values.size == 0:
            return
        self.min = min(self.min, float(values.min()))
        self.max = max(self.max, float(values.max()))
        self.count += values.size

    @property
    def absmax(self):
        return max(abs(self.min), abs(self.max)) if self.count else 0.0


class HistogramStats:
    """A histogram of |x| over [0, absmax] with `bins` equal bins; values
    above absmax (none, when absmax comes from a RangeStats pass over the same
    data) fall into the last bin."""

    def __init__(self, absmax, bins=2048):
        self.absmax = float(absmax)
        self.bins = bins
        self.counts = np.zeros(bins, np.int64)

    @property
    def width(self):
        return self.absmax / self.bins if self.absmax > 0 else 0.0

    def update(self, values):
        a = np.abs(np.asarray(values, np.float64)).ravel()
        if a.size == 0 or self.absmax <= 0:
            self.counts[0] += a.size
            return
        index = np.minimum((a / self.width).astype(np.int64), self.bins - 1)
        self.counts += np.bincount(index, minlength=self.bins)


def percentile_threshold(hist, percentile=99.99):
    """The |x| below which `percentile` percent of the values lie (the upper
    edge of the bin where the cumulative count reaches it)."""
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {percentile}")
    total = hist.counts.sum()
    if total == 0 or hist.absmax <= 0:
        return 0.0
    cdf = np.cumsum(hist.counts)
    i = int(np.searchsorted(cdf, total * percentile / 100.0))
    return min(i + 1, hist.bins) * hist.width


def _kl(p, q):
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))


def kl_threshold(hist, levels=128):
    """TensorRT's entropy calibration. For each candidate number of bins i
    (from `levels` to all): the reference P is the first i bins with the
    counts beyond folded into bin i-1; Q merges P into `levels` groups and
    spreads each group's mass evenly over its nonzero bins. T is the upper
    edge of the candidate with the least KL(P || Q) (the smallest on ties).
    The first bin (|x| below one bin width: the exact zeros of a ReLU output
    or of an image's background) is left out: those values quantize to zero
    whatever the threshold, and their spike would make every distribution
    look alike and the threshold collapse (TVM's KL calibration leaves the
    zeros out too)."""
    counts = hist.counts.astype(np.float64)
    counts[0] = 0
    if counts.sum() == 0 or hist.absmax <= 0:
        return 0.0
    best_i, best = hist.bins, np.inf
    for i in range(levels, hist.bins + 1):
        p = counts[:i].copy()
        p[i - 1] += counts[i:].sum()
        nonzero = counts[:i] > 0
        starts = np.linspace(0, i, levels + 1).astype(np.int64)[:-1]
        sums = np.add.reduceat(counts[:i], starts)
        used = np.add.reduceat(nonzero.astype(np.float64), starts)
        group = np.repeat(np.arange(levels), np.diff(np.append(starts, i)))
        q = np.where(nonzero, (sums / np.maximum(used, 1))[group], 0.0)
        # The folded last bin is the only one the reference can have and Q
        # lack.
        q[(p > 0) & (q == 0)] = 1e-12
        d = _kl(p / p.sum(), q / q.sum())
        if d < best - 1e-12:
            best_i, best = i, d
    return best_i * hist.width


def expected_squared_error(hist, threshold, levels=127):
    """Estimated mean squared error of quantizing the histogram's values to
    `levels` steps of threshold / levels each side of zero, values beyond the
    threshold clipped: every value stands at its bin's center."""
    counts = hist.counts.astype(np.float64)
    total = counts.sum()
    if total == 0 or threshold <= 0:
        return 0.0
    centers = (np.arange(hist.bins) + 0.5) * hist.width
    step = threshold / levels
    q = np.minimum(np.round(centers / step), levels) * step
    return float(np.sum(counts * (centers - q) ** 2) / total)


def mse_threshold(hist, levels=127, candidates=None):
    """The threshold with the least `expected_squared_error`, over the upper
    edges of the bins (every bin by default from 1/16th of the range)."""
    if hist.counts.sum() == 0 or hist.absmax <= 0:
        return 0.0
    if candidates is None:
        candidates = np.arange(max(1, hist.bins // 16), hist.bins + 1)
    errors = [expected_squared_error(hist, i * hist.width, levels) for i in candidates]
    return float(candidates[int(np.argmin(errors))] * hist.width)


def threshold(method, ranges, hist=None, percentile=99.99):
    """The clipping threshold of one tensor by `method`."""
    if method == "minmax":
        return ranges.absmax
    if hist is None:
        raise ValueError(f"method {method!r} needs a histogram")
    if method == "percentile":
        return percentile_threshold(hist, percentile)
    if method == "kl":
        return kl_threshold(hist)
    if method == "mse":
        return mse_threshold(hist)
    raise ValueError(f"unknown calibration method {method!r} (known: {', '.join(METHODS)})")


def int8_params(ranges, t, symmetric=True):
    """Scale and zero point of int8 (symmetric: zero point 0, [-127, 127]) or
    uint8 (asymmetric: [min, max] clipped to [-t, t], zero included)."""
    if symmetric:
        scale = t / 127.0 if t > 0 else 1.0
        return {"dtype": "int8", "scale": scale, "zero_point": 0}
    lo = max(min(ranges.min, 0.0), -t)
    hi = min(max(ranges.max, 0.0), t)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zero_point = int(np.clip(round(-lo / scale), 0, 255))
    return {"dtype": "uint8", "scale": scale, "zero_point": zero_point}
