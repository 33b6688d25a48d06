// RUN: infer-opt %s --split-input-file --infer-fuse | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-fuse="horizontal=false" | FileCheck %s --check-prefix=OFF
// RUN: infer-opt %s --split-input-file --infer-fuse=report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// Horizontal fusion: sibling matmuls that read the same input with constant
// weights become one matmul of the weights concatenated along the columns
// (checked value by value), one bias add of the concatenated biases (either
// operand order), and a slice per sibling.
// CHECK-LABEL: func.func @siblings
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-DAG: %[[B:.+]] = infer.constant dense<[5.000000e-01, 1.500000e+00, 2.500000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[W:.+]] = infer.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 9.000000e+00], [3.000000e+00, 4.000000e+00, 1.000000e+01], [5.000000e+00, 6.000000e+00, 1.100000e+01], [7.000000e+00, 8.000000e+00, 1.200000e+01]]> : tensor<4x3xf32>
// CHECK: %[[MM:.+]] = infer.matmul %[[X]], %[[W]] : (tensor<2x3x4xf32>, tensor<4x3xf32>) -> tensor<2x3x3xf32>
// CHECK: %[[ADD:.+]] = infer.add %[[MM]], %[[B]]
// CHECK: %[[Q:.+]] = infer.slice %[[ADD]] {axes = array<i64: 2>, ends = array<i64: 2>, starts = array<i64: 0>} : (tensor<2x3x3xf32>) -> tensor<2x3x2xf32>
// CHECK: %[[K:.+]] = infer.slice %[[ADD]] {axes = array<i64: 2>, ends = array<i64: 3>, starts = array<i64: 2>} : (tensor<2x3x3xf32>) -> tensor<2x3x1xf32>
// CHECK: return %[[Q]], %[[K]]
// OFF-LABEL: func.func @siblings
// OFF-COUNT-2: infer.matmul
// OFF-NOT: infer.slice
// REPORT: remark: infer-fuse: 2 sibling matmuls reading tensor<2x3x4xf32> merged into one with 3 columns and one bias add: the input is read once, 2 kernels become 1
// REPORT: remark: infer-fuse: ops 4 -> 4; matmul 2 -> 1
func.func @siblings(%x: tensor<2x3x4xf32>) -> (tensor<2x3x2xf32>, tensor<2x3x1xf32>) {
  %wq = infer.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %bq = infer.constant dense<[0.5, 1.5]> : tensor<2xf32>
  %wk = infer.constant dense<[[9.0], [10.0], [11.0], [12.0]]> : tensor<4x1xf32>
  %bk = infer.constant dense<[2.5]> : tensor<1xf32>
  %q0 = infer.matmul %x, %wq : (tensor<2x3x4xf32>, tensor<4x2xf32>) -> tensor<2x3x2xf32>
  %q = infer.add %q0, %bq : (tensor<2x3x2xf32>, tensor<2xf32>) -> tensor<2x3x2xf32>
  %k0 = infer.matmul %x, %wk : (tensor<2x3x4xf32>, tensor<4x1xf32>) -> tensor<2x3x1xf32>
  %k = infer.add %bk, %k0 : (tensor<1xf32>, tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  return %q, %k : tensor<2x3x2xf32>, tensor<2x3x1xf32>
}

// -----

// Only one sibling has a bias: the matmuls merge, the bias add stays on its
// slice.
// CHECK-LABEL: func.func @one_bias
// CHECK: %[[MM:.+]] = infer.matmul %{{.+}}, %{{.+}} : (tensor<3x4xf32>, tensor<4x3xf32>) -> tensor<3x3xf32>
// CHECK-NOT: infer.matmul
// CHECK: %[[A:.+]] = infer.slice %[[MM]] {{.*}} -> tensor<3x2xf32>
// CHECK: %[[B:.+]] = infer.slice %[[MM]] {{.*}} -> tensor<3x1xf32>
// CHECK: infer.add %[[A]], %{{.+}} : (tensor<3x2xf32>, tensor<2xf32>)
func.func @one_bias(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x1xf32>) {
  %wa = infer.constant dense<1.0> : tensor<4x2xf32>
  %ba = infer.constant dense<0.5> : tensor<2xf32>
  %wb = infer.constant dense<2.0> : tensor<4x1xf32>
  %a0 = infer.matmul %x, %wa : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %a = infer.add %a0, %ba : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %b = infer.matmul %x, %wb : (tensor<3x4xf32>, tensor<4x1xf32>) -> tensor<3x1xf32>
  return %a, %b : tensor<3x2xf32>, tensor<3x1xf32>
}

// -----

// A weight that is not a constant (an argument) cannot be concatenated at
// compile time: with one constant sibling left, nothing changes.
// CHECK-LABEL: func.func @runtime_weight
// CHECK-COUNT-2: infer.matmul
// CHECK-NOT: infer.slice
func.func @runtime_weight(%x: tensor<3x4xf32>, %w: tensor<4x2xf32>) -> (tensor<3x2xf32>, tensor<3x1xf32>) {
  %wb = infer.constant dense<2.0> : tensor<4x1xf32>
  %a = infer.matmul %x, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %b = infer.matmul %x, %wb : (tensor<3x4xf32>, tensor<4x1xf32>) -> tensor<3x1xf32>
  return %a, %b : tensor<3x2xf32>, tensor<3x1xf32>
}

// -----

// Matmuls that share the weight but not the input are not siblings.
// CHECK-LABEL: func.func @different_inputs
// CHECK-COUNT-2: infer.matmul
// CHECK-NOT: infer.slice
func.func @different_inputs(%x: tensor<3x4xf32>, %y: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %w = infer.constant dense<2.0> : tensor<4x2xf32>
  %a = infer.matmul %x, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %b = infer.matmul %y, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %a, %b : tensor<3x2xf32>, tensor<3x2xf32>
}
