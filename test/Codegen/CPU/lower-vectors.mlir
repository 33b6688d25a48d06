// RUN: infer-opt %s --split-input-file --infer-cpu-lower-vectors | FileCheck %s

// infer-cpu-lower-vectors, after bufferization: contractions become outer
// products (one broadcast and one vector.fma per accumulator row),
// transfers 1-D loads and stores (split into an in-bounds fast path and a
// copying slow path where they may run out of bounds), multi-reductions and
// transposes 1-D ops, and strided memref copies linalg.copy (loops that LLVM
// vectorizes, not the runtime's element-by-element copy).
//
// The last two cases hold no linalg op: the pass loads the dialects of the
// ops it creates itself (it crashed when it did not, found while writing
// these tests).

// The register tile of a contraction, 4 rows x 32 columns, one k step: each
// row's A element is broadcast and multiplied into the B row with an FMA on
// the row's accumulator; nothing stays 2-D.
// CHECK-LABEL: func.func @contract
// CHECK-SAME: (%[[A:.+]]: memref<4x1xf32>, %[[B:.+]]: memref<1x32xf32>, %[[C:.+]]: memref<4x32xf32>)
// CHECK-NOT: vector.contract
// CHECK-NOT: vector.outerproduct
// CHECK-DAG: %[[I0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[I3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[A0:.+]] = vector.load %[[A]][%[[I0]], %[[I0]]] : memref<4x1xf32>, vector<1xf32>
// CHECK-DAG: %[[A3:.+]] = vector.load %[[A]][%[[I3]], %[[I0]]] : memref<4x1xf32>, vector<1xf32>
// CHECK-DAG: %[[BROW:.+]] = vector.load %[[B]][%[[I0]], %[[I0]]] : memref<1x32xf32>, vector<32xf32>
// CHECK-DAG: %[[C0:.+]] = vector.load %[[C]][%[[I0]], %[[I0]]] : memref<4x32xf32>, vector<32xf32>
// CHECK-DAG: %[[C3:.+]] = vector.load %[[C]][%[[I3]], %[[I0]]] : memref<4x32xf32>, vector<32xf32>
// CHECK: %[[E0:.+]] = vector.extract %[[A0]][0] : f32 from vector<1xf32>
// CHECK: %[[S0:.+]] = vector.broadcast %[[E0]] : f32 to vector<32xf32>
// CHECK: %[[R0:.+]] = vector.fma %[[S0]], %[[BROW]], %[[C0]] : vector<32xf32>
// CHECK-COUNT-2: vector.fma %{{.+}}, %[[BROW]], %{{.+}} : vector<32xf32>
// CHECK: %[[E3:.+]] = vector.extract %[[A3]][0] : f32 from vector<1xf32>
// CHECK: %[[S3:.+]] = vector.broadcast %[[E3]] : f32 to vector<32xf32>
// CHECK: %[[R3:.+]] = vector.fma %[[S3]], %[[BROW]], %[[C3]] : vector<32xf32>
// CHECK-NOT: vector.fma
// CHECK: vector.store %[[R0]], %[[C]][%[[I0]], %[[I0]]] : memref<4x32xf32>, vector<32xf32>
// CHECK-COUNT-2: vector.store
// CHECK: vector.store %[[R3]], %[[C]][%[[I3]], %[[I0]]] : memref<4x32xf32>, vector<32xf32>
// CHECK-NOT: vector.transfer
#A = affine_map<(m, n, k) -> (m, k)>
#B = affine_map<(m, n, k) -> (k, n)>
#C = affine_map<(m, n, k) -> (m, n)>
func.func @contract(%a: memref<4x1xf32>, %b: memref<1x32xf32>, %c: memref<4x32xf32>) {
  %c0 = arith.constant 0 : index
  %f0 = arith.constant 0.0 : f32
  linalg.fill ins(%f0 : f32) outs(%c : memref<4x32xf32>)
  %va = vector.transfer_read %a[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<4x1xf32>, vector<4x1xf32>
  %vb = vector.transfer_read %b[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<1x32xf32>, vector<1x32xf32>
  %vc = vector.transfer_read %c[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<4x32xf32>, vector<4x32xf32>
  %r = vector.contract {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %vc : vector<4x1xf32>, vector<1x32xf32> into vector<4x32xf32>
  vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<4x32xf32>, memref<4x32xf32>
  return
}

// -----

// A contraction over k = 2 is two FMAs per row, chained through the
// accumulator.
// CHECK-LABEL: func.func @contract_two_steps
// CHECK-SAME: (%[[A:[a-z0-9_]+]]: vector<2x2xf32>, %[[B:[a-z0-9_]+]]: vector<2x16xf32>, %[[C:[a-z0-9_]+]]: vector<2x16xf32>
// CHECK-NOT: vector.contract
// CHECK-DAG: %[[B0:.+]] = vector.extract %[[B]][0] : vector<16xf32> from vector<2x16xf32>
// CHECK-DAG: %[[C0:.+]] = vector.extract %[[C]][0] : vector<16xf32> from vector<2x16xf32>
// CHECK-DAG: %[[A00:.+]] = vector.extract %[[A]][0, 0] : f32 from vector<2x2xf32>
// CHECK-DAG: %[[S00:.+]] = vector.broadcast %[[A00]] : f32 to vector<16xf32>
// CHECK: %[[P0:.+]] = vector.fma %[[S00]], %[[B0]], %[[C0]] : vector<16xf32>
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK-DAG: %[[B1:.+]] = vector.extract %[[B]][1] : vector<16xf32> from vector<2x16xf32>
// CHECK-DAG: %[[A01:.+]] = vector.extract %[[A]][0, 1] : f32 from vector<2x2xf32>
// CHECK-DAG: %[[S01:.+]] = vector.broadcast %[[A01]] : f32 to vector<16xf32>
// CHECK: vector.fma %[[S01]], %[[B1]], %[[P0]] : vector<16xf32>
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK: return
#A = affine_map<(m, n, k) -> (m, k)>
#B = affine_map<(m, n, k) -> (k, n)>
#C = affine_map<(m, n, k) -> (m, n)>
func.func @contract_two_steps(%a: vector<2x2xf32>, %b: vector<2x16xf32>, %c: vector<2x16xf32>, %m: memref<2x16xf32>) -> vector<2x16xf32> {
  %f0 = arith.constant 0.0 : f32
  linalg.fill ins(%f0 : f32) outs(%m : memref<2x16xf32>)
  %r = vector.contract {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %c : vector<2x2xf32>, vector<2x16xf32> into vector<2x16xf32>
  return %r : vector<2x16xf32>
}

// -----

// A strided copy (into the channel slice of a concatenation) becomes a
// linalg.copy; a contiguous one stays a memref.copy (a memcpy).
// CHECK-LABEL: func.func @strided_copy
// CHECK-SAME: (%[[SRC:.+]]: memref<4x8xf32>, %[[DST:.+]]: memref<4x16xf32>)
// CHECK: %[[VIEW:.+]] = memref.subview %[[DST]][0, 8] [4, 8] [1, 1]
// CHECK: linalg.copy ins(%[[SRC]] : memref<4x8xf32>) outs(%[[VIEW]] : memref<4x8xf32, strided<[16, 1], offset: 8>>)
// CHECK-NOT: memref.copy
// CHECK-LABEL: func.func @contiguous_copy
// CHECK: memref.copy %{{.+}}, %{{.+}} : memref<4x8xf32> to memref<4x8xf32>
// CHECK-NOT: linalg.copy
func.func @strided_copy(%src: memref<4x8xf32>, %dst: memref<4x16xf32>) {
  %f0 = arith.constant 0.0 : f32
  %left = memref.subview %dst[0, 0] [4, 8] [1, 1] : memref<4x16xf32> to memref<4x8xf32, strided<[16, 1]>>
  linalg.fill ins(%f0 : f32) outs(%left : memref<4x8xf32, strided<[16, 1]>>)
  %view = memref.subview %dst[0, 8] [4, 8] [1, 1] : memref<4x16xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  memref.copy %src, %view : memref<4x8xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  return
}

func.func @contiguous_copy(%src: memref<4x8xf32>, %dst: memref<4x8xf32>) {
  memref.copy %src, %dst : memref<4x8xf32> to memref<4x8xf32>
  return
}

// -----

// A read that may run past the end: an in-bounds fast path (a plain vector
// load from the source) and a slow path that fills a stack buffer with the
// padding and copies the part that exists into it.
// CHECK-LABEL: func.func @maybe_out_of_bounds
// CHECK-SAME: (%[[SRC:.+]]: memref<?xf32>, %[[I:.+]]: index
// CHECK: %[[BUF:.+]] = memref.alloca() {{.*}} : memref<16xf32>
// CHECK: %[[IN:.+]] = arith.cmpi sle
// CHECK: %[[SEL:.+]]:2 = scf.if %[[IN]] -> (memref<?xf32>, index) {
// CHECK:   scf.yield %[[SRC]], %[[I]] : memref<?xf32>, index
// CHECK: } else {
// CHECK:   linalg.fill ins(%{{.+}} : f32) outs(%[[BUF]] : memref<16xf32>)
// CHECK:   linalg.copy
// CHECK:   %[[CAST:.+]] = memref.cast %[[BUF]] : memref<16xf32> to memref<?xf32>
// CHECK:   scf.yield %[[CAST]], %{{.+}} : memref<?xf32>, index
// CHECK: }
// CHECK: vector.load %[[SEL]]#0[%[[SEL]]#1] : memref<?xf32>, vector<16xf32>
// CHECK-NOT: vector.transfer_read
func.func @maybe_out_of_bounds(%src: memref<?xf32>, %i: index, %m: memref<16xf32>) -> vector<16xf32> {
  %f0 = arith.constant 0.0 : f32
  linalg.fill ins(%f0 : f32) outs(%m : memref<16xf32>)
  %v = vector.transfer_read %src[%i], %f0 : memref<?xf32>, vector<16xf32>
  return %v : vector<16xf32>
}

// -----

// A row reduction of a 4 x 16 tile: the rows are interleaved by one shuffle,
// then added as 4-wide vectors, 16 steps, from the accumulator.
// CHECK-LABEL: func.func @multi_reduction
// CHECK-SAME: (%[[V:.+]]: vector<4x16xf32>, %[[ACC:.+]]: vector<4xf32>
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.shuffle {{.*}} : vector<64xf32>, vector<64xf32>
// CHECK: %[[FIRST:.+]] = arith.addf %{{.+}}, %[[ACC]] : vector<4xf32>
// CHECK-COUNT-15: arith.addf {{.*}} : vector<4xf32>
// CHECK-NOT: arith.addf
// CHECK: return
func.func @multi_reduction(%v: vector<4x16xf32>, %acc: vector<4xf32>, %m: memref<4xf32>) -> vector<4xf32> {
  %f0 = arith.constant 0.0 : f32
  linalg.fill ins(%f0 : f32) outs(%m : memref<4xf32>)
  %r = vector.multi_reduction <add>, %v, %acc [1] : vector<4x16xf32> to vector<4xf32>
  return %r : vector<4xf32>
}

// -----

// A 2-D transpose is one 1-D shuffle of the flattened rows.
// CHECK-LABEL: func.func @transpose
// CHECK-NOT: vector.transpose
// CHECK: vector.shuffle %{{.+}}, %{{.+}} [0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27, 4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31] : vector<32xf32>, vector<32xf32>
func.func @transpose(%v: vector<4x8xf32>, %m: memref<4xf32>) -> vector<8x4xf32> {
  %f0 = arith.constant 0.0 : f32
  linalg.fill ins(%f0 : f32) outs(%m : memref<4xf32>)
  %t = vector.transpose %v, [1, 0] : vector<4x8xf32> to vector<8x4xf32>
  return %t : vector<8x4xf32>
}

// -----

// No linalg op in the input: the copy the pass creates still exists.
// CHECK-LABEL: func.func @strided_copy_alone
// CHECK: linalg.copy
// CHECK-NOT: memref.copy
func.func @strided_copy_alone(%src: memref<4x8xf32>, %dst: memref<4x16xf32>) {
  %view = memref.subview %dst[0, 8] [4, 8] [1, 1] : memref<4x16xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  memref.copy %src, %view : memref<4x8xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  return
}

// -----

// CHECK-LABEL: func.func @maybe_out_of_bounds_alone
// CHECK: affine.apply
// CHECK: scf.if
// CHECK: linalg.fill
func.func @maybe_out_of_bounds_alone(%src: memref<?xf32>, %i: index) -> vector<16xf32> {
  %f0 = arith.constant 0.0 : f32
  %v = vector.transfer_read %src[%i], %f0 : memref<?xf32>, vector<16xf32>
  return %v : vector<16xf32>
}

// -----

// A vector erf (GELU's) becomes upstream's polynomial on the whole vector,
// not one libm erff call per lane; a scalar erf is left to libm.
// CHECK-LABEL: func.func @erf
// CHECK-NOT: math.erf {{.*}} : vector<16xf32>
// CHECK: math.fma {{.*}} : vector<16xf32>
// CHECK: math.erf %{{.*}} : f32
// CHECK-NOT: math.erf {{.*}} : vector<16xf32>
func.func @erf(%v: vector<16xf32>, %s: f32) -> (vector<16xf32>, f32) {
  %0 = math.erf %v : vector<16xf32>
  %1 = math.erf %s : f32
  return %0, %1 : vector<16xf32>, f32
}
