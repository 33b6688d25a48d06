"""Writes DIR/model.mlir (a 3x3 convolution with a bias and a ReLU, and a
matmul, both with random constant weights), its inputs and numpy's results,
for tuning-layout.test."""
import os
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(0)
x = rng.standard_normal((1, 10, 10, 4)).astype(np.float32)
w = rng.standard_normal((16, 4, 3, 3)).astype(np.float32)
b = rng.standard_normal(16).astype(np.float32)
a = rng.standard_normal((20, 24)).astype(np.float32)
m = rng.standard_normal((24, 48)).astype(np.float32)


def dense(array):
    return f'dense<"0x{array.astype("<f4").tobytes().hex().upper()}">'


with open(os.path.join(out, "model.mlir"), "w") as f:
    f.write(f"""func.func @main(%x: tensor<1x10x10x4xf32>, %a: tensor<20x24xf32>) -> (tensor<1x8x8x16xf32>, tensor<20x48xf32>) {{
  %w = infer.constant {dense(w)} : tensor<16x4x3x3xf32>
  %b = infer.constant {dense(b)} : tensor<16xf32>
  %c = infer.conv2d %x, %w, %b {{strides = array<i64: 1, 1>, layout = #infer<layout nhwc>}} : (tensor<1x10x10x4xf32>, tensor<16x4x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
  %r = infer.relu %c : tensor<1x8x8x16xf32>
  %m = infer.constant {dense(m)} : tensor<24x48xf32>
  %y = infer.matmul %a, %m : (tensor<20x24xf32>, tensor<24x48xf32>) -> tensor<20x48xf32>
  return %r, %y : tensor<1x8x8x16xf32>, tensor<20x48xf32>
}}
""")
c = np.zeros((1, 8, 8, 16)) + b
for i in range(3):
    for j in range(3):
        c += np.einsum("nhwc,fc->nhwf", x[:, i:i + 8, j:j + 8, :].astype(np.float64),
                       w[:, :, i, j].astype(np.float64))
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "a.npy"), a)
np.save(os.path.join(out, "r.npy"), np.maximum(c, 0).astype(np.float32))
np.save(os.path.join(out, "y.npy"), (a.astype(np.float64) @ m).astype(np.float32))
