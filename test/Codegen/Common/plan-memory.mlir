// RUN: infer-opt %s --infer-plan-memory=report 2>&1 | FileCheck %s

// Intermediate buffers get offsets in one arena: %a and %c are never alive
// at the same time and share offset 0; %b, alive with both, is elsewhere. The
// returned buffer keeps its own allocation (the caller frees it). The arena
// is a resident global, taken through a flag, with a private allocation when
// another call holds it; the flag is released before the return.

// CHECK: remark: infer-plan-memory: @plan: 3 intermediate buffers in an arena of 512 bytes (0.00 MiB; 768 bytes without reuse)
// CHECK: remark: infer-plan-memory: @loop_alias: 2 intermediate buffers in an arena of 512 bytes (0.00 MiB; 512 bytes without reuse)
// CHECK: memref.global "private" @__infer_arena_plan : memref<512xi8> {alignment = 64 : i64}
// CHECK: memref.global "private" @__infer_arena_busy_plan : memref<i32> = dense<0>
// CHECK: func.func @plan
// CHECK-SAME: infer.arena_bytes = 512 : i64, infer.separate_bytes = 768 : i64
// CHECK: %[[FLAG:.+]] = memref.get_global @__infer_arena_busy_plan
// CHECK: %[[OLD:.+]] = memref.atomic_rmw assign %{{.+}}, %[[FLAG]][]
// CHECK: %[[FREE:.+]] = arith.cmpi eq, %[[OLD]]
// CHECK: %[[ARENA:.+]] = scf.if %[[FREE]] -> (memref<512xi8>) {
// CHECK:   memref.get_global @__infer_arena_plan
// CHECK: } else {
// CHECK:   memref.alloc() {alignment = 64 : i64} : memref<512xi8>
// CHECK: %[[A:.+]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<512xi8> to memref<64xf32>
// CHECK: %[[B:.+]] = memref.view %[[ARENA]][%c256][] : memref<512xi8> to memref<64xf32>
// CHECK: %[[C:.+]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<512xi8> to memref<64xf32>
// CHECK: %[[R:.+]] = memref.alloc() : memref<64xf32>
// CHECK: scf.if %[[FREE]] {
// CHECK:   memref.atomic_rmw assign %{{.+}}, %[[FLAG]][]
// CHECK: return %[[R]]
func.func @plan(%x: memref<64xf32>) -> memref<64xf32> {
  %a = memref.alloc() : memref<64xf32>
  linalg.copy ins(%x : memref<64xf32>) outs(%a : memref<64xf32>)
  %b = memref.alloc() : memref<64xf32>
  linalg.copy ins(%a : memref<64xf32>) outs(%b : memref<64xf32>)
  %c = memref.alloc() : memref<64xf32>
  linalg.copy ins(%b : memref<64xf32>) outs(%c : memref<64xf32>)
  %r = memref.alloc() : memref<64xf32>
  linalg.copy ins(%c : memref<64xf32>) outs(%r : memref<64xf32>)
  return %r : memref<64xf32>
}

// A buffer that a loop carries stays alive as long as the loop's result.
// CHECK: func.func @loop_alias
// CHECK: %[[L0:.+]] = memref.view %{{.+}}[%c0{{.*}}][]
// CHECK: scf.for {{.*}} iter_args(%{{.+}} = %[[L0]])
// CHECK: %[[L1:.+]] = memref.view %{{.+}}[%c256{{.*}}][]
func.func @loop_alias(%x: memref<64xf32>, %n: index) -> memref<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<64xf32>
  %carried = scf.for %i = %c0 to %n step %c1 iter_args(%it = %a) -> (memref<64xf32>) {
    scf.yield %it : memref<64xf32>
  }
  %b = memref.alloc() : memref<64xf32>
  linalg.copy ins(%x : memref<64xf32>) outs(%b : memref<64xf32>)
  %r = memref.alloc() : memref<64xf32>
  linalg.copy ins(%carried : memref<64xf32>) outs(%r : memref<64xf32>)
  linalg.copy ins(%b : memref<64xf32>) outs(%r : memref<64xf32>)
  return %r : memref<64xf32>
}
