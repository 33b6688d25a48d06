// RUN: infer-opt %s --split-input-file --infer-decompose-pads | FileCheck %s

// infer-decompose-pads rewrites tensor.pad as a linalg.fill of an empty
// tensor of the padded shape and a tensor.insert_slice of the padded value
// at the low padding. A fill of a static empty tensor with a constant or an
// argument moves to the top of the function, before the padded value's
// producer, so that empty-tensor elimination can have the producer write
// straight into the interior of the padded buffer.

// The padded Relu result: the padded buffer (zero-filled) now comes first,
// the Relu after it, and the Relu's result is inserted at offsets (0, 1, 2, 0)
// (the low pads) into the filled buffer.
// CHECK-LABEL: func.func @pad_after_producer
// CHECK-SAME: (%[[X:.+]]: tensor<1x6x6x8xf32>)
// CHECK-NEXT: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[EMPTY:.+]] = tensor.empty() : tensor<1x8x9x8xf32>
// CHECK-NEXT: %[[FILLED:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1x8x9x8xf32>) -> tensor<1x8x9x8xf32>
// CHECK: %[[RELU:.+]] = linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<1x6x6x8xf32>)
// CHECK: %[[R:.+]] = tensor.insert_slice %[[RELU]] into %[[FILLED]][0, 1, 2, 0] [1, 6, 6, 8] [1, 1, 1, 1] : tensor<1x6x6x8xf32> into tensor<1x8x9x8xf32>
// CHECK-NOT: tensor.pad
// CHECK: return %[[R]]
func.func @pad_after_producer(%x: tensor<1x6x6x8xf32>) -> tensor<1x8x9x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x6x6x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x6x6x8xf32>) outs(%e : tensor<1x6x6x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x6x6x8xf32>
  %p = tensor.pad %r low[0, 1, 2, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x6x6x8xf32> to tensor<1x8x9x8xf32>
  return %p : tensor<1x8x9x8xf32>
}

// -----

// The padding value is a function argument: the fill takes it.
// CHECK-LABEL: func.func @pad_value_argument
// CHECK-SAME: (%[[X:.+]]: tensor<4x5xf32>, %[[V:.+]]: f32)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<6x5xf32>
// CHECK: %[[FILLED:.+]] = linalg.fill ins(%[[V]] : f32) outs(%[[EMPTY]] : tensor<6x5xf32>)
// CHECK: tensor.insert_slice %[[X]] into %[[FILLED]][2, 0] [4, 5] [1, 1] : tensor<4x5xf32> into tensor<6x5xf32>
// CHECK-NOT: tensor.pad
func.func @pad_value_argument(%x: tensor<4x5xf32>, %v: f32) -> tensor<6x5xf32> {
  %p = tensor.pad %x low[2, 0] high[0, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %v : f32
  } : tensor<4x5xf32> to tensor<6x5xf32>
  return %p : tensor<6x5xf32>
}

// -----

// A dynamic padded shape: the empty tensor's size is computed from the
// source's (size + 1 low/high pad); the fill stays after that computation.
// CHECK-LABEL: func.func @pad_dynamic
// CHECK-SAME: (%[[X:.+]]: tensor<?x5xf32>)
// CHECK-DAG: %[[ONE:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[NEG:.+]] = arith.constant -1.000000e+00 : f32
// CHECK: %[[DIM:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x5xf32>
// CHECK: %[[SIZE:.+]] = arith.addi %[[DIM]], %[[ONE]] : index
// CHECK: %[[EMPTY:.+]] = tensor.empty(%[[SIZE]]) : tensor<?x7xf32>
// CHECK: %[[FILLED:.+]] = linalg.fill ins(%[[NEG]] : f32) outs(%[[EMPTY]] : tensor<?x7xf32>)
// CHECK: tensor.insert_slice %[[X]] into %[[FILLED]][0, 1] [%{{.+}}, 5] [1, 1] : tensor<?x5xf32> into tensor<?x7xf32>
// CHECK-NOT: tensor.pad
func.func @pad_dynamic(%x: tensor<?x5xf32>) -> tensor<?x7xf32> {
  %cst = arith.constant -1.0 : f32
  %p = tensor.pad %x low[0, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %cst : f32
  } : tensor<?x5xf32> to tensor<?x7xf32>
  return %p : tensor<?x7xf32>
}

// -----

// Two pads of one value: two buffers, each filled up front, each with its
// own insertion.
// CHECK-LABEL: func.func @two_pads
// CHECK: linalg.fill {{.*}} -> tensor<3x3xf32>
// CHECK: linalg.fill {{.*}} -> tensor<2x4xf32>
// CHECK: math.exp
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[1, 1] [2, 2] [1, 1] : tensor<2x2xf32> into tensor<3x3xf32>
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 2] [2, 2] [1, 1] : tensor<2x2xf32> into tensor<2x4xf32>
// CHECK-NOT: tensor.pad
func.func @two_pads(%x: tensor<2x2xf32>) -> (tensor<3x3xf32>, tensor<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = math.exp %in : f32
    linalg.yield %m : f32
  } -> tensor<2x2xf32>
  %p = tensor.pad %r low[1, 1] high[0, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<2x2xf32> to tensor<3x3xf32>
  %q = tensor.pad %r low[0, 2] high[0, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<2x2xf32> to tensor<2x4xf32>
  return %p, %q : tensor<3x3xf32>, tensor<2x4xf32>
}
