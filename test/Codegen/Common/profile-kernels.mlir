// RUN: infer-opt %s --split-input-file --infer-profile-kernels | FileCheck %s

// infer-profile-kernels brackets every top-level kernel of a public function
// (a loop nest, a leftover linalg op, a copy) with calls to the runner's
// timers infer_profile_begin/end(id); allocations, views, deallocations and
// constants are not kernels. Ids count up across the module and index the
// module's infer.profile_kernels, which names each kernel by its op, the
// first linalg op or contraction inside it, and its location. Private
// functions are not instrumented.

// The op named inside a kernel is the outermost one (the matmul, not the
// terminator of its body).
// CHECK: module attributes {{{.*}}infer.profile_kernels = ["linalg.copy at loc(\22relu\22(\22m.mlir\22:3:5))", "scf.for at loc(\22double\22(\22m.mlir\22:4:5))", "memref.copy at loc(\22out\22)", "scf.parallel (linalg.matmul) at loc(\22gemm\22)"]}
// CHECK-LABEL: func.func @model
// CHECK-SAME: (%[[X:.+]]: memref<16xf32>)
// CHECK: %[[A:.+]] = memref.alloc() : memref<16xf32>
// CHECK-NEXT: %[[ID0:.+]] = arith.constant 0 : i64
// CHECK-NEXT: call @infer_profile_begin(%[[ID0]]) : (i64) -> ()
// CHECK-NEXT: linalg.copy ins(%[[X]] : memref<16xf32>) outs(%[[A]] : memref<16xf32>)
// CHECK-NEXT: call @infer_profile_end(%[[ID0]]) : (i64) -> ()
// CHECK-NEXT: %[[ID1:.+]] = arith.constant 1 : i64
// CHECK-NEXT: call @infer_profile_begin(%[[ID1]])
// CHECK-NEXT: scf.for
// CHECK-NOT: call @infer_profile
// CHECK: }
// CHECK-NEXT: call @infer_profile_end(%[[ID1]])
// CHECK-NEXT: %[[R:.+]] = memref.alloc() : memref<16xf32>
// CHECK-NEXT: %[[ID2:.+]] = arith.constant 2 : i64
// CHECK-NEXT: call @infer_profile_begin(%[[ID2]])
// CHECK-NEXT: memref.copy %[[A]], %[[R]]
// CHECK-NEXT: call @infer_profile_end(%[[ID2]])
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK-NEXT: return %[[R]]
func.func @model(%x: memref<16xf32>) -> memref<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %a = memref.alloc() : memref<16xf32>
  linalg.copy ins(%x : memref<16xf32>) outs(%a : memref<16xf32>) loc("relu"("m.mlir":3:5))
  scf.for %i = %c0 to %c16 step %c1 {
    %v = memref.load %a[%i] : memref<16xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i] : memref<16xf32>
  } loc("double"("m.mlir":4:5))
  %r = memref.alloc() : memref<16xf32>
  memref.copy %a, %r : memref<16xf32> to memref<16xf32> loc("out")
  memref.dealloc %a : memref<16xf32>
  return %r : memref<16xf32>
}

// A second public function continues the numbering; a loop nest is named
// with the linalg op it holds.
// CHECK-LABEL: func.func @second
// CHECK: %[[ID3:.+]] = arith.constant 3 : i64
// CHECK-NEXT: call @infer_profile_begin(%[[ID3]])
// CHECK-NEXT: scf.parallel
// CHECK: call @infer_profile_end(%[[ID3]])
func.func @second(%a: memref<4x4xf32>, %b: memref<4x4xf32>, %c: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c2) {
    %sa = memref.subview %a[%i, 0] [2, 4] [1, 1] : memref<4x4xf32> to memref<2x4xf32, strided<[4, 1], offset: ?>>
    %sc = memref.subview %c[%i, 0] [2, 4] [1, 1] : memref<4x4xf32> to memref<2x4xf32, strided<[4, 1], offset: ?>>
    linalg.matmul ins(%sa, %b : memref<2x4xf32, strided<[4, 1], offset: ?>>, memref<4x4xf32>) outs(%sc : memref<2x4xf32, strided<[4, 1], offset: ?>>)
    scf.reduce
  } loc("gemm")
  return
}

// Private functions are left alone.
// CHECK-LABEL: func.func private @helper
// CHECK-NOT: call @infer_profile
// CHECK: return
func.func private @helper(%x: memref<16xf32>) {
  %f = arith.constant 1.0 : f32
  linalg.fill ins(%f : f32) outs(%x : memref<16xf32>)
  return
}

// The timers are declared once, at the end of the module.
// CHECK: func.func private @infer_profile_begin(i64)
// CHECK-NEXT: func.func private @infer_profile_end(i64)
// CHECK-NOT: func.func private @infer_profile

// -----

// A module without kernels gets neither the declarations nor the names.
// CHECK-NOT: infer.profile_kernels
// CHECK-LABEL: func.func @no_kernels
// CHECK-NOT: infer_profile
func.func @no_kernels(%x: memref<4xf32>) -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  return %x : memref<4xf32>
}

// -----

// With the schedule report of infer-cpu-select-schedule{record} on the
// function (rows tagged like the fused locations of the ops they
// scheduled), a kernel is named with the kinds of the rows whose tags occur
// in it, and infer.profile_estimates_ns gets the sum of their estimates (-1
// for a kernel without one). A copy is never matched (bufferization's copies
// take the location of the op they feed); a row is used once; the report
// attribute is removed from the function.
// CHECK: module attributes {infer.profile_estimates_ns = array<i64: 1230, -1>, infer.profile_kernels = ["scf.for at loc(\22relu\22) [elementwise+reduction]", "memref.copy at loc(\22copy\22)"]}
// CHECK-LABEL: func.func @reported(%{{[a-z0-9]+}}: memref<16xf32>, %{{[a-z0-9]+}}: memref<16xf32>) {
func.func @reported(%x: memref<16xf32>, %y: memref<16xf32>) attributes {infer.tile_report = [{tag = "infer.kernel.0", op = "linalg.generic", kind = "elementwise", estimate_ns = 30 : i64}, {tag = "infer.kernel.1", op = "linalg.generic", kind = "reduction", estimate_ns = 1200 : i64}, {tag = "infer.kernel.2", op = "linalg.generic", kind = "elementwise", estimate_ns = 7 : i64}]} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    %v = memref.load %x[%i] : memref<16xf32> loc(fused<"infer.kernel.0">["relu"])
    memref.store %v, %y[%i] : memref<16xf32> loc(fused<"infer.kernel.1">["sum"])
  } loc(fused<"infer.kernel.0">["relu"])
  memref.copy %x, %y : memref<16xf32> to memref<16xf32> loc(fused<"infer.kernel.2">["copy"])
  return
}
