"""Writes an integer GEMM (u8 x constant s8 -> i32, linalg on tensors) of
shape M x K x N, its input and numpy's integer product, for infer-run
--expect with zero tolerance.

    int8_gemm.py DIR M K N
"""
import os
import sys

import numpy as np

out, m, k, n = sys.argv[1], *map(int, sys.argv[2:5])
rng = np.random.default_rng(m * 10007 + k * 101 + n)
a = rng.integers(0, 256, (m, k)).astype(np.uint8)
b = rng.integers(-128, 128, (k, n)).astype(np.int8)
np.save(os.path.join(out, "a.npy"), a.view(np.int8))
np.save(os.path.join(out, "ref.npy"), a.astype(np.int32) @ b.astype(np.int32))
blob = ((1).to_bytes(4, "little") + b.tobytes()).hex().upper()
with open(os.path.join(out, "gemm.mlir"), "w") as f:
    f.write(f"""func.func @main(%a: tensor<{m}x{k}xi8>) -> tensor<{m}x{n}xi32> {{
  %b = arith.constant dense_resource<b> : tensor<{k}x{n}xi8>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<{m}x{n}xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<{m}x{n}xi32>) -> tensor<{m}x{n}xi32>
  %c = linalg.generic {{indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
      affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
      iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%a, %b : tensor<{m}x{k}xi8>, tensor<{k}x{n}xi8>) outs(%f : tensor<{m}x{n}xi32>) {{
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }} -> tensor<{m}x{n}xi32>
  return %c : tensor<{m}x{n}xi32>
}}
{{-#
  dialect_resources: {{ builtin: {{ b: "0x{blob}" }} }}
#-}}
""")
