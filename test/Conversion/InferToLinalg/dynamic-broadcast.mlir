// RUN: infer-opt %s --infer-convert-to-linalg --canonicalize | FileCheck %s

// The conversion's contract: elementwise generics keep pure indexing maps
// (identity, or constant 0 for static size-1 dimensions) even with dynamic
// shapes. A dynamic extent that may be 1 at run time is broadcast explicitly
// behind an scf.if; nothing is read with tensor.extract in a body.

// CHECK-DAG: #[[$ROW0:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL0:.+]] = affine_map<(d0, d1) -> (d0, 0)>

// CHECK-LABEL: func.func @dynamic_against_static
// CHECK-SAME: (%[[A:.+]]: tensor<?x4xf32>, %[[B:.+]]: tensor<3x4xf32>)
// CHECK: %[[DIM:.+]] = tensor.dim %[[A]]
// CHECK: %[[ONE:.+]] = arith.cmpi eq, %[[DIM]]
// CHECK: %[[BCAST:.+]] = scf.if %[[ONE]] -> (tensor<?x4xf32>) {
// CHECK:   linalg.generic {indexing_maps = [#[[$ROW0]], #[[$ID]]]
// CHECK: } else {
// CHECK:   scf.yield %[[A]]
// CHECK: %[[FULL:.+]] = tensor.cast %[[BCAST]] : tensor<?x4xf32> to tensor<3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]]]
// CHECK-SAME: ins(%[[FULL]], %[[B]]
// CHECK-NOT: tensor.extract
func.func @dynamic_against_static(%a: tensor<?x4xf32>, %b: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = infer.add %a, %b : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// Both operands dynamic along d0: each may be the one that broadcasts; the
// static size-1 column of %b stays in the map.
// CHECK-LABEL: func.func @both_dynamic
// CHECK-COUNT-2: scf.if
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$COL0]], #[[$ID]]]
// CHECK-NOT: tensor.extract
func.func @both_dynamic(%a: tensor<?x4xf32>, %b: tensor<?x1xf32>) -> tensor<?x4xf32> {
  %0 = infer.mul %a, %b : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// Equal dynamic extents of one operand alone need no guard.
// CHECK-LABEL: func.func @unary_dynamic
// CHECK-NOT: scf.if
// CHECK: linalg.generic
func.func @unary_dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = infer.relu %a : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
