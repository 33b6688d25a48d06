// RUN: infer-opt %s --infer-convert-to-linalg --split-input-file | FileCheck %s

// Broadcasting through indexing maps: right-aligned, size-1 dims read 0.
// CHECK-DAG: #[[$A:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$B:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$A]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<2x3x5xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = infer.add %a, %b : (tensor<2x3x5xf32>, tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// The dynamic batch of the result comes from the operand that has it.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[X:.+]]: tensor<?x4xi32>
// CHECK: %[[D:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK: tensor.empty(%[[D]]) : tensor<?x4xi32>
// CHECK: arith.maxsi
func.func @dynamic(%x: tensor<?x4xi32>, %y: tensor<4xi32>) -> tensor<?x4xi32> {
  %0 = infer.max %x, %y : (tensor<?x4xi32>, tensor<4xi32>) -> tensor<?x4xi32>
  return %0 : tensor<?x4xi32>
}

// -----

// CHECK-LABEL: func.func @activations
// gelu (exact) uses erf, silu the logistic function, leaky_relu a select.
// CHECK: math.erf
// CHECK: math.exp
// CHECK: arith.cmpf olt
// CHECK: arith.select
func.func @activations(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = infer.gelu %x : tensor<8xf32>
  %1 = infer.silu %x : tensor<8xf32>
  %2 = infer.leaky_relu %x : tensor<8xf32>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Quantized tensors become their storage type, in the signature too.
// CHECK-LABEL: func.func @quantize
// CHECK-SAME: -> tensor<4xi8>
// CHECK: math.roundeven
// CHECK: arith.fptosi {{.*}} : f32 to i8
func.func @quantize(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:1>> {
  %0 = infer.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:1>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5:1>>
}

// -----

// Per-axis parameters are constant vectors read along the quantized axis.
// CHECK-DAG: #[[$AXIS:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dequantize_per_axis
// CHECK-SAME: (%[[Q:.+]]: tensor<3x2xi8>) -> tensor<3x2xf32>
// CHECK: %[[S:.+]] = arith.constant dense<[1.000000e-01, 2.000000e-01]> : tensor<2xf32>
// CHECK: %[[Z:.+]] = arith.constant dense<[0.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[$AXIS]], #[[$AXIS]], #{{.+}}]{{.*}} ins(%[[Q]], %[[S]], %[[Z]] :
// CHECK: arith.sitofp
func.func @dequantize_per_axis(%q: tensor<3x2x!quant.uniform<i8:f32:1, {0.1, 0.2:3}>>) -> tensor<3x2xf32> {
  %0 = infer.dequantize %q : tensor<3x2x!quant.uniform<i8:f32:1, {0.1, 0.2:3}>> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
