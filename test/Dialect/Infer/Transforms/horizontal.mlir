// RUN: infer-opt %s --split-input-file --infer-fuse="horizontal-convs=true" | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-fuse="horizontal=false" | FileCheck %s --check-prefix=OFF
// RUN: infer-opt %s --split-input-file --infer-fuse="report horizontal-convs=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: infer-opt %s --split-input-file --infer-fuse | FileCheck %s --check-prefix=DEFAULT

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

// -----

// Sibling convolutions with the same window over the same input become one
// convolution of the filters concatenated along the output channels (the
// filters' outermost dimension), with the biases concatenated (a sibling
// without a bias adds zeros); the ReLU each had runs once on the wide result,
// before the slices.
// CHECK-LABEL: func.func @sibling_convs
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x3x3xf32>)
// CHECK-DAG: %[[W:.+]] = infer.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00]], {{\[}}[2.000000e+00]]], {{\[}}{{\[}}[3.000000e+00]], {{\[}}[4.000000e+00]]], {{\[}}{{\[}}[5.000000e+00]], {{\[}}[6.000000e+00]]]]> : tensor<3x2x1x1xf32>
// CHECK-DAG: %[[B:.+]] = infer.constant dense<[5.000000e-01, 0.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK: %[[CONV:.+]] = infer.conv2d %[[X]], %[[W]], %[[B]] : (tensor<1x2x3x3xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x3x3xf32>
// CHECK: %[[RELU:.+]] = infer.relu %[[CONV]] : tensor<1x3x3x3xf32>
// CHECK: %[[A:.+]] = infer.slice %[[RELU]] {axes = array<i64: 1>, ends = array<i64: 1>, starts = array<i64: 0>} : (tensor<1x3x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK: %[[C:.+]] = infer.slice %[[RELU]] {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 1>} : (tensor<1x3x3x3xf32>) -> tensor<1x2x3x3xf32>
// CHECK: return %[[A]], %[[C]]
// OFF-LABEL: func.func @sibling_convs
// OFF-COUNT-2: infer.conv2d
// OFF-NOT: infer.slice
// Convolutions merge only when asked (horizontal-convs).
// DEFAULT-LABEL: func.func @sibling_convs
// DEFAULT-COUNT-2: infer.conv2d
// DEFAULT-NOT: infer.slice
// DEFAULT: return
// REPORT: remark: infer-fuse: 2 sibling convolutions reading tensor<1x2x3x3xf32> merged into one with 3 filters and one relu: the input is read once, 2 kernels become 1
// REPORT: remark: infer-fuse: ops 4 -> 4; conv2d 2 -> 1
func.func @sibling_convs(%x: tensor<1x2x3x3xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) {
  %wa = infer.constant dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>
  %ba = infer.constant dense<[0.5]> : tensor<1xf32>
  %wc = infer.constant dense<[[[[3.0]], [[4.0]]], [[[5.0]], [[6.0]]]]> : tensor<2x2x1x1xf32>
  %a0 = infer.conv2d %x, %wa, %ba {strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x1x3x3xf32>
  %a = infer.relu %a0 : tensor<1x1x3x3xf32>
  %c0 = infer.conv2d %x, %wc {strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %c = infer.relu %c0 : tensor<1x2x3x3xf32>
  return %a, %c : tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// Different activations: the convolutions merge, each activation stays on
// its own slice.
// CHECK-LABEL: func.func @sibling_convs_own_activations
// CHECK: %[[CONV:.+]] = infer.conv2d {{.+}} -> tensor<1x3x3x3xf32>
// CHECK-NOT: infer.relu %[[CONV]]
// CHECK: %[[A:.+]] = infer.slice %[[CONV]]
// CHECK: %[[C:.+]] = infer.slice %[[CONV]]
// CHECK: infer.relu %[[A]]
// CHECK: infer.sigmoid %[[C]]
func.func @sibling_convs_own_activations(%x: tensor<1x2x3x3xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) {
  %wa = infer.constant dense<1.0> : tensor<1x2x1x1xf32>
  %wc = infer.constant dense<2.0> : tensor<2x2x1x1xf32>
  %a0 = infer.conv2d %x, %wa : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x3x3xf32>
  %a = infer.relu %a0 : tensor<1x1x3x3xf32>
  %c0 = infer.conv2d %x, %wc : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %c = infer.sigmoid %c0 : tensor<1x2x3x3xf32>
  return %a, %c : tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// Not siblings: another stride, another window, a grouped convolution, or
// filters computed at run time.
// CHECK-LABEL: func.func @convs_that_stay
// CHECK-COUNT-5: infer.conv2d
// CHECK-NOT: infer.slice
func.func @convs_that_stay(%x: tensor<1x2x4x4xf32>, %wr: tensor<1x2x1x1xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) {
  %w = infer.constant dense<1.0> : tensor<1x2x1x1xf32>
  %w3 = infer.constant dense<1.0> : tensor<1x2x3x3xf32>
  %wg = infer.constant dense<1.0> : tensor<2x1x1x1xf32>
  %a = infer.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x4x4xf32>
  %b = infer.conv2d %x, %w {strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x2x2xf32>
  %c = infer.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) -> tensor<1x1x4x4xf32>
  %d = infer.conv2d %x, %wg {group = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %e = infer.conv2d %x, %wr : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x4x4xf32>
  return %a, %b, %c, %d, %e : tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>
}
