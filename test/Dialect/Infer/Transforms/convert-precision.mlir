// RUN: infer-opt %s --split-input-file --infer-convert-precision | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-convert-precision="precision=f16" | FileCheck %s --check-prefix=F16
// RUN: infer-opt %s --split-input-file --infer-convert-precision="report=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not infer-opt %s --split-input-file --infer-convert-precision="precision=f8" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: infer-convert-precision: precision must be bf16 or f16, not 'f8'

// The weights of both convolutions become bf16 constants (rounded to
// nearest even: 1.00390625 = 1 + 2^-8 is a tie between 1 and 1 + 2^-7 and
// goes to 1), the shared input is cast once, the results stay f32; the
// residual add between them keeps f32.
// CHECK-LABEL: func.func @convs
// CHECK: %[[X:.+]] = infer.cast %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xbf16>
// CHECK: %[[W1:.+]] = infer.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}-2.000000e+00]]], {{\[\[\[}}5.000000e-01]], {{\[\[}}1.000000e+00]]]]> : tensor<2x2x1x1xbf16>
// CHECK: %[[C1:.+]] = infer.conv2d %[[X]], %[[W1]], %{{.+}} : (tensor<1x2x4x4xbf16>, tensor<2x2x1x1xbf16>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK: infer.conv2d %[[X]], %{{.+}} : (tensor<1x2x4x4xbf16>, tensor<2x2x1x1xbf16>) -> tensor<1x2x4x4xf32>
// CHECK: infer.add %{{.+}}, %{{.+}} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// F16-LABEL: func.func @convs
// F16: infer.cast %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf16>
// F16: infer.constant dense<{{\[\[\[\[}}1.003910e+00]], {{\[\[}}-2.000000e+00]]], {{\[\[\[}}5.000000e-01]], {{\[\[}}1.000000e+00]]]]> : tensor<2x2x1x1xf16>
// REPORT: remark: infer-convert-precision: bf16 operands, f32 accumulation and result
// REPORT: remark: infer-convert-precision: bf16 operands, f32 accumulation and result
// REPORT: remark: infer-convert-precision: 2 of 2 convolutions and contractions in bf16
func.func @convs(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w1 = infer.constant dense<[[[[1.00390625]], [[-2.0]]], [[[0.5]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %b1 = infer.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %c1 = infer.conv2d %x, %w1, %b1 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %w2 = infer.constant dense<1.0> : tensor<2x2x1x1xf32>
  %c2 = infer.conv2d %x, %w2 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %s = infer.add %c1, %c2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %s : tensor<1x2x4x4xf32>
}

// -----

// A matmul of two activations (attention scores) has no constant weights:
// it stays f32, and says so.
// CHECK-LABEL: func.func @activations
// CHECK-NOT: bf16
// REPORT: remark: infer-convert-precision: stays f32: the weights are not a constant
// REPORT: remark: infer-convert-precision: 0 of 1 convolutions and contractions in bf16
func.func @activations(%a: tensor<4x8xf32>, %b: tensor<8x4xf32>) -> tensor<4x4xf32> {
  %c = infer.matmul %a, %b : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  return %c : tensor<4x4xf32>
}
