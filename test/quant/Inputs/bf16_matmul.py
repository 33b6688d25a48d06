"""Writes an f32 matmul with constant weights in the infer dialect, its
input, and numpy's product of the bf16-rounded operands (float64), for
infer-run --expect after --convert-bf16: the kernel multiplies bf16 values
and accumulates in f32, so only the f32 summation order may differ.

    bf16_matmul.py DIR M K N
"""
import os
import sys

import numpy as np

out, m, k, n = sys.argv[1], *map(int, sys.argv[2:5])
rng = np.random.default_rng(m * 10007 + k * 101 + n)
a = rng.standard_normal((m, k)).astype(np.float32)
b = rng.standard_normal((k, n)).astype(np.float32)


def bf16(x):
    """Round to the nearest bf16 (ties to even), as f32."""
    bits = x.view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16
    return bits.astype(np.uint32).view(np.float32)


ref = (bf16(a).astype(np.float64) @ bf16(b).astype(np.float64)).astype(np.float32)
np.save(os.path.join(out, "a.npy"), a)
np.save(os.path.join(out, "ref.npy"), ref)
blob = ((4).to_bytes(4, "little") + b.tobytes()).hex().upper()
with open(os.path.join(out, "matmul.mlir"), "w") as f:
    f.write(f"""func.func @main(%a: tensor<{m}x{k}xf32>) -> tensor<{m}x{n}xf32> {{
  %b = infer.constant dense_resource<b> : tensor<{k}x{n}xf32>
  %c = infer.matmul %a, %b : (tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) -> tensor<{m}x{n}xf32>
  return %c : tensor<{m}x{n}xf32>
}}
{{-#
  dialect_resources: {{ builtin: {{ b: "0x{blob}" }} }}
#-}}
""")
