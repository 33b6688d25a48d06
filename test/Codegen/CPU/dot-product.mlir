// RUN: infer-opt %s --split-input-file --infer-cpu-lower-vectors | FileCheck %s

// The register tile of an integer contraction in the dot-product panel
// form: 8 rows of four unsigned bytes of A by 32 columns x 4 signed bytes of
// B into 8 x 32 i32 lanes. Each row's four bytes are one i32 broadcast to 16
// lanes; each 64 bytes of B one operand: 8 x 2 vpdpbusd, no generic
// contraction lowering left.
// CHECK-LABEL: func.func @dot
// CHECK-NOT: vector.contract
// CHECK: vector.bitcast %{{.+}} : vector<8x4xi8> to vector<8x1xi32>
// CHECK: vector.broadcast %{{.+}} : i32 to vector<16xi32>
// CHECK-COUNT-16: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.+}}, %{{.+}}, %{{.+}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK-NOT: vpdpbusd
// CHECK-NOT: vector.contract
func.func @dot(%a: vector<8x1x4xi8>, %b: vector<32x4xi8>, %c: vector<8x1x32xi32>) -> vector<8x1x32xi32> {
  %ae = arith.extui %a : vector<8x1x4xi8> to vector<8x1x4xi32>
  %be = arith.extsi %b : vector<32x4xi8> to vector<32x4xi32>
  %bb = vector.broadcast %be : vector<32x4xi32> to vector<1x1x32x4xi32>
  %r = vector.contract {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d0, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"], kind = #vector.kind<add>} %ae, %bb, %c : vector<8x1x4xi32>, vector<1x1x32x4xi32> into vector<8x1x32xi32>
  return %r : vector<8x1x32xi32>
}

// -----

// Signed A (s8 x s8) is not what vpdpbusd multiplies: the generic lowering.
// CHECK-LABEL: func.func @signed_lhs
// CHECK-NOT: vpdpbusd
func.func @signed_lhs(%a: vector<8x1x4xi8>, %b: vector<32x4xi8>, %c: vector<8x1x32xi32>) -> vector<8x1x32xi32> {
  %ae = arith.extsi %a : vector<8x1x4xi8> to vector<8x1x4xi32>
  %be = arith.extsi %b : vector<32x4xi8> to vector<32x4xi32>
  %bb = vector.broadcast %be : vector<32x4xi32> to vector<1x1x32x4xi32>
  %r = vector.contract {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d0, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"], kind = #vector.kind<add>} %ae, %bb, %c : vector<8x1x4xi32>, vector<1x1x32x4xi32> into vector<8x1x32xi32>
  return %r : vector<8x1x32xi32>
}

// -----

// K of 8 in one step is not four bytes a lane: the generic lowering.
// CHECK-LABEL: func.func @eight_bytes
// CHECK-NOT: vpdpbusd
func.func @eight_bytes(%a: vector<2x8xi8>, %b: vector<16x8xi8>, %c: vector<2x16xi32>) -> vector<2x16xi32> {
  %ae = arith.extui %a : vector<2x8xi8> to vector<2x8xi32>
  %be = arith.extsi %b : vector<16x8xi8> to vector<16x8xi32>
  %r = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %ae, %be, %c : vector<2x8xi32>, vector<16x8xi32> into vector<2x16xi32>
  return %r : vector<2x16xi32>
}

// -----

// bf16 by bf16 into f32, two values of K a step: each row's pair is one
// 32-bit word broadcast to 16 lanes; 8 rows x 2 vdpbf16ps.
// CHECK-LABEL: func.func @bf16_dot
// CHECK-NOT: vector.contract
// CHECK: vector.bitcast %{{.+}} : vector<8x2xbf16> to vector<8x1xi32>
// CHECK-COUNT-16: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"(%{{.+}}, %{{.+}}, %{{.+}}) : (vector<16xf32>, vector<32xbf16>, vector<32xbf16>) -> vector<16xf32>
// CHECK-NOT: vector.contract
func.func @bf16_dot(%a: vector<8x1x2xbf16>, %b: vector<32x2xbf16>, %c: vector<8x1x32xf32>) -> vector<8x1x32xf32> {
  %ae = arith.extf %a : vector<8x1x2xbf16> to vector<8x1x2xf32>
  %be = arith.extf %b : vector<32x2xbf16> to vector<32x2xf32>
  %bb = vector.broadcast %be : vector<32x2xf32> to vector<1x1x32x2xf32>
  %r = vector.contract {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d0, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"], kind = #vector.kind<add>} %ae, %bb, %c : vector<8x1x2xf32>, vector<1x1x32x2xf32> into vector<8x1x32xf32>
  return %r : vector<8x1x32xf32>
}

// -----

// f32 operands are not bf16: the generic lowering (FMAs).
// CHECK-LABEL: func.func @f32_pairs
// CHECK-NOT: dpbf16ps
func.func @f32_pairs(%a: vector<8x1x2xf32>, %b: vector<32x2xf32>, %c: vector<8x1x32xf32>) -> vector<8x1x32xf32> {
  %bb = vector.broadcast %b : vector<32x2xf32> to vector<1x1x32x2xf32>
  %r = vector.contract {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d0, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"], kind = #vector.kind<add>} %a, %bb, %c : vector<8x1x2xf32>, vector<1x1x32x2xf32> into vector<8x1x32xf32>
  return %r : vector<8x1x32xf32>
}
