"""erf as the CPU code generator computes it (upstream's polynomial on
vectors) against math.erf in double precision: every value of [-6, 6] in
4096 steps, zeros, tiny values, the ends of the polynomial's intervals,
infinities and NaN. Prints the worst absolute error and whether the special
values come out as they should."""
import math
import os
import subprocess
import sys

import numpy as np

work = sys.argv[1]
x = np.concatenate([np.linspace(-6, 6, 4096), [0.0, -0.0, 1e-30, -1e-30, 0.8, 2.0, 3.75, 3.9,
                                               4.1, 10.0, -10.0, np.inf, -np.inf, np.nan]])
x = np.pad(x, (0, 4112 - x.size)).astype(np.float32).reshape(257, 16)
np.save(os.path.join(work, "x.npy"), x)
with open(os.path.join(work, "erf.mlir"), "w") as f:
    f.write("func.func @main(%x: tensor<257x16xf32>) -> tensor<257x16xf32> {\n"
            "  %y = infer.erf %x : tensor<257x16xf32>\n"
            "  return %y : tensor<257x16xf32>\n}\n")
subprocess.run(["infer-run", os.path.join(work, "erf.mlir"), "--input",
                os.path.join(work, "x.npy"), "--output", os.path.join(work, "y.npy")],
               check=True, stdout=subprocess.DEVNULL)
y = np.load(os.path.join(work, "y.npy"))
ref = np.vectorize(math.erf)(x.astype(np.float64))
finite = np.isfinite(ref)
err = float(np.max(np.abs(y[finite] - ref[finite])))
print(f"max abs error below 5e-7: {err < 5e-7}")
print(f"erf(+-inf) = {y[x == np.inf][0]:g} {y[x == -np.inf][0]:g}; "
      f"erf(nan) is nan: {bool(np.isnan(y[np.isnan(x)]).all())}; "
      f"erf(-0) is zero: {y[np.signbit(x) & (x == 0)][0] == 0}")
