// RUN: infer-translate --infer-c-header %s | FileCheck %s
// The header compiles as C.
// RUN: infer-translate --infer-c-header %s -o %t.h
// RUN: %cc -fsyntax-only -Wall -Werror -x c %t.h

// CHECK: typedef struct {
// CHECK-NEXT:   float *allocated;
// CHECK-NEXT:   float *aligned;
// CHECK-NEXT:   int64_t offset;
// CHECK-NEXT:   int64_t sizes[2];
// CHECK-NEXT:   int64_t strides[2];
// CHECK-NEXT: } infer_memref_f32_2d;
// CHECK: } infer_memref_i64_1d;
// A rank-0 descriptor has no sizes.
// CHECK: typedef struct {
// CHECK-NEXT:   float *allocated;
// CHECK-NEXT:   float *aligned;
// CHECK-NEXT:   int64_t offset;
// CHECK-NEXT: } infer_memref_f32_0d;
// CHECK: } infer_memref_i8_2d;

// CHECK: /* @two_outputs
// CHECK-NEXT:  *   input 0 "features": f32 [?, 4]
// CHECK-NEXT:  *   input 1 "input1": i64 [3]
// CHECK-NEXT:  *   output 0: f32 []
// CHECK-NEXT:  *   output 1: i8 [?, 4]
// CHECK: #define TWO_OUTPUTS_INPUT0_DIM1 4
// CHECK-NEXT: #define TWO_OUTPUTS_INPUT1_DIM0 3
// CHECK-NEXT: typedef struct {
// CHECK-NEXT:   infer_memref_f32_0d output0;
// CHECK-NEXT:   infer_memref_i8_2d output1;
// CHECK-NEXT: } two_outputs_results;
// CHECK-NEXT: void _mlir_ciface_two_outputs(two_outputs_results *result, infer_memref_f32_2d *features, infer_memref_i64_1d *input1);
func.func @two_outputs(%x: tensor<?x4xf32> {infer.name = "features"}, %i: tensor<3xi64>)
    -> (tensor<f32>, tensor<?x4x!quant.uniform<i8:f32, 0.1>>) {
  %0 = infer.reduce_sum %x {keepdims = false} : (tensor<?x4xf32>) -> tensor<f32>
  %1 = infer.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32, 0.1>>
  return %0, %1 : tensor<f32>, tensor<?x4x!quant.uniform<i8:f32, 0.1>>
}

