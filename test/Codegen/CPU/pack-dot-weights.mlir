// RUN: infer-opt %s --split-input-file --infer-cpu-pack-weights="target-cpu=znver4" --canonicalize | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-cpu-pack-weights="target-cpu=haswell" --canonicalize | FileCheck %s --check-prefix=NOVNNI

// With AVX512-VNNI, a u8 x s8 -> i32 product with a constant B takes the
// dot-product panel form: A viewed as [M][K/4][4] (K = 10 padded to 12 with
// zeros), B packed as [N/16][K/4][16][4] (16 columns: N = 16), loops
// (m, n1, n0, k1, k0) with the original body. Without VNNI it stays as it is.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.+]]: tensor<8x10xi8>)
// CHECK-DAG: %[[B:.+]] = arith.constant dense_resource<packed> : tensor<1x3x16x4xi8>
// CHECK: %[[PAD:.+]] = tensor.pad %[[A]] low[0, 0] high[0, 2]
// CHECK: %[[A3:.+]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2]] output_shape [8, 3, 4] : tensor<8x12xi8> into tensor<8x3x4xi8>
// CHECK: linalg.generic {indexing_maps = [#[[$MA:.+]], #[[$MB:.+]], #[[$MC:.+]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[A3]], %[[B]] : tensor<8x3x4xi8>, tensor<1x3x16x4xi8>)
// CHECK: arith.extui
// CHECK: arith.extsi
// NOVNNI-LABEL: func.func @matmul
// NOVNNI-NOT: tensor<1x3x16x4xi8>
// NOVNNI: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
func.func @matmul(%a: tensor<8x10xi8>) -> tensor<8x16xi32> {
  %b = arith.constant dense<3> : tensor<10x16xi8>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<8x16xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<8x16xi32>) -> tensor<8x16xi32>
  %c = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x10xi8>, tensor<10x16xi8>) outs(%f : tensor<8x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<8x16xi32>
  return %c : tensor<8x16xi32>
}

// -----

// An int8 convolution (the int8 lowering's generic: NHWC, HWCF, extui x
// extsi) becomes its im2col matrix (one linalg.copy per tap into a column
// block of C = 3, the last of K = 27 -> 28 filled with zeros) times the
// filter, padded with a zero row, then the dot-product form.
// CHECK-LABEL: func.func @conv
// CHECK-COUNT-9: linalg.copy ins(%{{.+}} : tensor<1x4x4x3xi8>) outs(%{{.+}} : tensor<1x4x4x3xi8>)
// CHECK: linalg.fill ins(%{{.+}} : i8) outs(%{{.+}} : tensor<1x4x4x1xi8>)
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] : tensor<1x4x4x28xi8> into tensor<16x28xi8>
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0], [1, 2]] output_shape [16, 7, 4] : tensor<16x28xi8> into tensor<16x7x4xi8>
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: tensor<16x7x4xi8>, tensor<1x7x16x4xi8>
func.func @conv(%x: tensor<1x6x6x3xi8>) -> tensor<1x4x4x16xi32> {
  %w = arith.constant dense<1> : tensor<3x3x3x16xi8>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x4x16xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32>
  %c = linalg.generic {indexing_maps = [affine_map<(n, h, w, f, kh, kw, c) -> (n, h + kh, w + kw, c)>, affine_map<(n, h, w, f, kh, kw, c) -> (kh, kw, c, f)>, affine_map<(n, h, w, f, kh, kw, c) -> (n, h, w, f)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x6x6x3xi8>, tensor<3x3x3x16xi8>) outs(%f : tensor<1x4x4x16xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %p = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<1x4x4x16xi32>
  return %c : tensor<1x4x4x16xi32>
}
