// RUN: infer-opt %s --split-input-file --infer-cpu-pack-weights="target-cpu=znver4" --canonicalize | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-cpu-pack-weights="target-cpu=haswell" --canonicalize | FileCheck %s --check-prefix=NOVNNI

// With AVX512-VNNI (and AVX512-BF16, last case), a u8 x s8 -> i32 product with a constant B takes the
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

// -----

// bf16 by bf16 into f32 with AVX512-BF16 (Zen 4 has it, Haswell not): A as
// [M][K/2][2] (K = 7 padded to 8), B as [N/16][K/2][16][2].
// CHECK-LABEL: func.func @bf16
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0], [1, 2]] output_shape [4, 4, 2] : tensor<4x8xbf16> into tensor<4x4x2xbf16>
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: tensor<4x4x2xbf16>, tensor<1x4x16x2xbf16>
// CHECK: arith.extf
// NOVNNI-LABEL: func.func @bf16
// NOVNNI-NOT: x2xbf16>
func.func @bf16(%a: tensor<4x7xbf16>) -> tensor<4x16xf32> {
  %b = arith.constant dense<1.5> : tensor<7x16xbf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %c = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x7xbf16>, tensor<7x16xbf16>) outs(%f : tensor<4x16xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xe = arith.extf %x : bf16 to f32
    %ye = arith.extf %y : bf16 to f32
    %p = arith.mulf %xe, %ye : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %c : tensor<4x16xf32>
}

// -----

// K = 3 x 3 x 4 = 36 is whole groups: the im2col matrix is one generic
// that gathers the window (tensor.extract at oh * 2 + kh, ow * 2 + kw) and
// writes the rows in order.
// CHECK-LABEL: func.func @conv_gather
// CHECK-NOT: linalg.copy
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x2x2x3x3x4xi8>)
// CHECK: %[[OH:.+]] = linalg.index 1 : index
// CHECK: %[[H0:.+]] = arith.muli %[[OH]], %c2
// CHECK: %[[KH:.+]] = linalg.index 3 : index
// CHECK: %[[H:.+]] = arith.addi %[[H0]], %[[KH]]
// CHECK: tensor.extract %arg0[%{{.+}}, %[[H]], %{{.+}}, %{{.+}}]
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3, 4], [5]] : tensor<1x2x2x3x3x4xi8> into tensor<4x9x4xi8>
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: tensor<4x9x4xi8>, tensor<1x9x16x4xi8>
func.func @conv_gather(%x: tensor<1x5x5x4xi8>) -> tensor<1x2x2x16xi32> {
  %w = arith.constant dense<1> : tensor<3x3x4x16xi8>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x2x2x16xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<1x2x2x16xi32>) -> tensor<1x2x2x16xi32>
  %c = linalg.generic {indexing_maps = [affine_map<(n, h, w, f, kh, kw, c) -> (n, h * 2 + kh, w * 2 + kw, c)>, affine_map<(n, h, w, f, kh, kw, c) -> (kh, kw, c, f)>, affine_map<(n, h, w, f, kh, kw, c) -> (n, h, w, f)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x5x5x4xi8>, tensor<3x3x4x16xi8>) outs(%f : tensor<1x2x2x16xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %p = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<1x2x2x16xi32>
  return %c : tensor<1x2x2x16xi32>
}
