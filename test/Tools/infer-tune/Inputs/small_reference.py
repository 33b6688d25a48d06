"""Inputs and numpy references of Inputs/small.mlir, written to DIR."""
import os
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(0)
x = rng.standard_normal((1, 16, 14, 14)).astype(np.float32)
a = rng.standard_normal((64, 96)).astype(np.float32)
p = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
c = np.full((1, 32, 14, 14), 0.25)
for i in range(3):
    for j in range(3):
        c += 0.0625 * p[:, :, i:i + 14, j:j + 14].sum(1, keepdims=True)
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "a.npy"), a)
np.save(os.path.join(out, "r.npy"), np.maximum(c, 0).astype(np.float32))
np.save(os.path.join(out, "y.npy"), (a.astype(np.float64) @ np.full((96, 64), 0.125)).astype(np.float32))
