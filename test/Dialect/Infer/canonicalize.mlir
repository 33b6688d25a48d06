// RUN: infer-opt %s --canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>, %[[I:.+]]: tensor<4xi32>)
func.func @identities(%x: tensor<2x3xf32>, %i: tensor<4xi32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>) {
  %one = infer.constant dense<1.0> : tensor<f32>
  %negzero = infer.constant dense<-0.0> : tensor<3xf32>
  %zero = infer.constant dense<0.0> : tensor<f32>
  %izero = infer.constant dense<0> : tensor<4xi32>
  %0 = infer.mul %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = infer.div %0, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = infer.add %1, %negzero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = infer.sub %2, %zero : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // x + 0.0 is not x when x is -0.0: it stays.
  // CHECK: %[[ADD:.+]] = infer.add %[[X]], %{{.+}} : (tensor<2x3xf32>, tensor<f32>)
  %4 = infer.add %3, %zero : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %5 = infer.add %i, %izero : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: return %[[X]], %[[X]], %[[X]], %[[ADD]], %[[I]]
  return %1, %2, %3, %4, %5 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>
}

// -----

// A broadcasting identity changes the shape: it must stay.
// CHECK-LABEL: func.func @broadcasting_identity
func.func @broadcasting_identity(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %one = infer.constant dense<1.0> : tensor<2x3xf32>
  // CHECK: infer.mul
  %0 = infer.mul %x, %one : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_constants
func.func @fold_constants() -> (tensor<2xf32>, tensor<2x2xf32>, tensor<3xi32>, tensor<2xf32>, tensor<2xf32>) {
  %a = infer.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %b = infer.constant dense<[3.0, -2.0]> : tensor<2xf32>
  %s = infer.constant dense<2.0> : tensor<f32>
  %c = infer.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %d = infer.mul %c, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %e = infer.sqrt %a : tensor<2xf32>
  %f = infer.sub %e, %s : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  // Splats broadcast to the result shape.
  %g = infer.pow %s, %s : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %h = infer.expand %g {shape = array<i64: 2, 2>} : (tensor<f32>) -> tensor<2x2xf32>
  %i = infer.constant dense<[-7, 0, 7]> : tensor<3xi32>
  %j = infer.relu %i : tensor<3xi32>
  %k = infer.neg %a : tensor<2xf32>
  %l = infer.max %k, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %m = infer.sigmoid %s : tensor<f32>
  %n = infer.exp %s : tensor<f32>
  %o = infer.log %n : tensor<f32>
  %p = infer.tanh %s : tensor<f32>
  %q = infer.abs %k : tensor<2xf32>
  %r = infer.min %q, %s : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  // CHECK-DAG: %[[D:.+]] = infer.constant dense<[1.200000e+01, -4.000000e+00]> : tensor<2xf32>
  // CHECK-DAG: %[[H:.+]] = infer.constant dense<4.000000e+00> : tensor<2x2xf32>
  // CHECK-DAG: %[[J:.+]] = infer.constant dense<[0, 0, 7]> : tensor<3xi32>
  // CHECK-DAG: %[[L:.+]] = infer.constant dense<[3.000000e+00, -2.000000e+00]> : tensor<2xf32>
  // CHECK-DAG: %[[R:.+]] = infer.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  // CHECK-NOT: infer.add
  // CHECK-NOT: infer.mul
  // CHECK: return %[[D]], %[[H]], %[[J]], %[[L]], %[[R]]
  return %d, %h, %j, %l, %r : tensor<2xf32>, tensor<2x2xf32>, tensor<3xi32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_unary_math
func.func @fold_unary_math() -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<2xf32>) {
  %zero = infer.constant dense<0.0> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  // CHECK-DAG: infer.constant dense<5.000000e-01> : tensor<f32>
  %0 = infer.sigmoid %zero : tensor<f32>
  // CHECK-DAG: infer.constant dense<0.000000e+00> : tensor<f32>
  %1 = infer.log %one : tensor<f32>
  // CHECK-DAG: infer.constant dense<0.761594176> : tensor<f32>
  %2 = infer.tanh %one : tensor<f32>
  %v = infer.constant dense<[4.0, 9.0]> : tensor<2xf32>
  // CHECK-DAG: infer.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
  %3 = infer.sqrt %v : tensor<2xf32>
  // CHECK-NOT: infer.sigmoid
  // CHECK-NOT: infer.sqrt
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<2xf32>
}

// -----

// Integer division by zero is not folded.
// CHECK-LABEL: func.func @no_fold_div_by_zero
func.func @no_fold_div_by_zero() -> tensor<2xi32> {
  %a = infer.constant dense<[4, 6]> : tensor<2xi32>
  %b = infer.constant dense<[2, 0]> : tensor<2xi32>
  // CHECK: infer.div
  %0 = infer.div %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func.func @transpose_chain
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
func.func @transpose_chain(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<2x3x4xf32>) {
  %0 = infer.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  // CHECK: %[[T:.+]] = infer.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = infer.transpose %0 {perm = array<i64: 1, 2, 0>} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  // Inverse permutations cancel.
  %2 = infer.transpose %0 {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  %3 = infer.transpose %2 {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  // CHECK: return %[[T]], %[[X]]
  return %1, %3 : tensor<4x2x3xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_constant
func.func @transpose_constant() -> tensor<3x2xi32> {
  %c = infer.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  // CHECK: infer.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
  %0 = infer.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>, %[[D:.+]]: tensor<?x3x4xf32>)
func.func @reshape_chain(%x: tensor<2x3x4xf32>, %d: tensor<?x3x4xf32>)
    -> (tensor<4x6xf32>, tensor<2x3x4xf32>, tensor<?x12xf32>, tensor<?x4xf32>) {
  %0 = infer.reshape %x {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: %[[R0:.+]] = infer.reshape %[[X]] {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  %1 = infer.reshape %0 {shape = array<i64: 4, -1>} : (tensor<6x4xf32>) -> tensor<4x6xf32>
  // Back to the input type: the chain disappears.
  %2 = infer.reshape %0 {shape = array<i64: 2, 3, 4>} : (tensor<6x4xf32>) -> tensor<2x3x4xf32>
  // Dynamic: composes when the outer shape copies nothing.
  %3 = infer.reshape %d {shape = array<i64: -1, 4>} : (tensor<?x3x4xf32>) -> tensor<?x4xf32>
  // CHECK: %[[R3:.+]] = infer.reshape %[[D]] {shape = array<i64: -1, 12>} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  %4 = infer.reshape %3 {shape = array<i64: -1, 12>} : (tensor<?x4xf32>) -> tensor<?x12xf32>
  // ... and stays when it copies a dimension of the intermediate value.
  // CHECK: %[[R5:.+]] = infer.reshape %[[D]] {shape = array<i64: -1, 4>}
  // CHECK: %[[R6:.+]] = infer.reshape %[[R5]] {shape = array<i64: 0, 4>}
  %5 = infer.reshape %d {shape = array<i64: -1, 4>} : (tensor<?x3x4xf32>) -> tensor<?x4xf32>
  %6 = infer.reshape %5 {shape = array<i64: 0, 4>} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: return %[[R0]], %[[X]], %[[R3]], %[[R6]]
  return %1, %2, %4, %6 : tensor<4x6xf32>, tensor<2x3x4xf32>, tensor<?x12xf32>, tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @shape_constants
func.func @shape_constants() -> (tensor<1x4xf32>, tensor<2x2xf32>, tensor<4xf32>) {
  %c = infer.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // CHECK-DAG: infer.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]]> : tensor<1x4xf32>
  %0 = infer.unsqueeze %c {axes = array<i64: 0>} : (tensor<4xf32>) -> tensor<1x4xf32>
  // CHECK-DAG: infer.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %1 = infer.reshape %c {shape = array<i64: 2, 2>} : (tensor<4xf32>) -> tensor<2x2xf32>
  %2 = infer.squeeze %0 : (tensor<1x4xf32>) -> tensor<4xf32>
  %3 = infer.flatten %1 {axis = 0 : i64} : (tensor<2x2xf32>) -> tensor<1x4xf32>
  %4 = infer.squeeze %3 {axes = array<i64: 0>} : (tensor<1x4xf32>) -> tensor<4xf32>
  // CHECK-NOT: infer.reshape
  // CHECK-NOT: infer.squeeze
  // CHECK-NOT: infer.flatten
  return %0, %1, %4 : tensor<1x4xf32>, tensor<2x2xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @noop_shape_ops
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
func.func @noop_shape_ops(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = infer.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 9223372036854775807, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = infer.pad %0 {pads = array<i64: 0, 0, 0, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = infer.concat %1 {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = infer.cast %2 : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = infer.expand %3 {shape = array<i64: 1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = infer.squeeze %4 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = infer.max %5, %5 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // A reversing slice is not a no-op.
  // CHECK: %[[REV:.+]] = infer.slice %[[X]] {{.*}}steps = array<i64: -1>
  %7 = infer.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775808>, axes = array<i64: 1>, steps = array<i64: -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[RELU:.+]] = infer.relu %[[X]]
  %8 = infer.relu %x : tensor<2x3xf32>
  %9 = infer.relu %8 : tensor<2x3xf32>
  // CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[REV]], %[[RELU]]
  return %1, %2, %3, %4, %6, %7, %9 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @requantize
// CHECK-SAME: (%[[Q:.+]]: tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>)
func.func @requantize(%q: tensor<4x!quant.uniform<i8:f32, 0.1>>)
    -> (tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.2>>) {
  %0 = infer.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4xf32>
  %1 = infer.quantize %0 : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  // A different scale really requantizes.
  // CHECK: %[[DQ:.+]] = infer.dequantize %[[Q]]
  // CHECK: %[[RQ:.+]] = infer.quantize %[[DQ]] : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 2.000000e-01>>
  %2 = infer.quantize %0 : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.2>>
  // CHECK: return %[[Q]], %[[RQ]]
  return %1, %2 : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.2>>
}

// -----

// The static dimensions a shape reads fold to a constant.
// CHECK-LABEL: func.func @shape_static
// CHECK: %[[C:.+]] = infer.constant dense<[3, 4]> : tensor<2xi64>
// CHECK: return %[[C]]
func.func @shape_static(%x: tensor<?x3x4xf32>) -> tensor<2xi64> {
  %0 = infer.shape %x {start = -2 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}
