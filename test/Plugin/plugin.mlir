// Stock mlir-opt, not ours, loads the dialect and the passes from the plugin.
// RUN: mlir-opt %s --load-dialect-plugin=%plugin --load-pass-plugin=%plugin \
// RUN:   --pass-pipeline="builtin.module(infer-refine-shapes{batch-size=2},canonicalize)" \
// RUN:   | FileCheck %s
// The lowering to linalg runs through the plugin too.
// RUN: mlir-opt %s --load-dialect-plugin=%plugin --load-pass-plugin=%plugin \
// RUN:   --pass-pipeline="builtin.module(infer-convert-to-linalg)" \
// RUN:   | FileCheck %s --check-prefix=LINALG
// LINALG-LABEL: func.func @main
// LINALG: linalg.matmul
// LINALG-NOT: infer.
// Without the plugin the dialect is unknown.
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// NOPLUGIN: Dialect `infer' not found for custom op 'infer.constant'

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.+]]: tensor<2x16xf32>) -> tensor<2x4xf32>
// CHECK: %[[W:.+]] = infer.constant dense<1.000000e+00> : tensor<16x4xf32>
// CHECK: %[[Y:.+]] = infer.matmul %[[X]], %[[W]] : (tensor<2x16xf32>, tensor<16x4xf32>) -> tensor<2x4xf32>
// CHECK: return %[[Y]]
func.func @main(%x: tensor<?x16xf32>) -> tensor<?x4xf32> {
  %w = infer.constant dense<1.0> : tensor<16x4xf32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %y = infer.matmul %x, %w : (tensor<?x16xf32>, tensor<16x4xf32>) -> tensor<?x4xf32>
  %z = infer.mul %y, %one : (tensor<?x4xf32>, tensor<f32>) -> tensor<?x4xf32>
  return %z : tensor<?x4xf32>
}
