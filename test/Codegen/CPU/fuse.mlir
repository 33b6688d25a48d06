// RUN: infer-opt %s --split-input-file --infer-cpu-fuse | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-cpu-fuse=report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: infer-opt %s --split-input-file --infer-cpu-fuse="report max-group-size=2" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BOUND
// RUN: infer-opt %s --split-input-file --infer-cpu-fuse="elementwise=false transposes=false reshapes=false" | FileCheck %s --check-prefix=OFF

// infer-cpu-fuse: producer/consumer fusion on linalg tensors, each edge
// decided by the memory-traffic cost model; REPORT sees every decision and
// its reason, BOUND the group-size limit, OFF the per-kind switches.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0)>

// An elementwise chain (bias add, then tanh) becomes one generic: the
// intermediate tensor is never written.
// CHECK-LABEL: func.func @chain
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK-NEXT: math.tanh
// CHECK-NOT: linalg.generic
// REPORT: remark: infer-cpu-fuse: fused 'linalg.generic' (1 ops) into 'linalg.generic' (1 ops) [elementwise]: saves the write and the read of tensor<8x16xf32> (group of 2 ops)
// REPORT: remark: infer-cpu-fuse: fused groups: 1; kernels 2 -> 1; intermediate bytes 512 -> 0; estimated traffic saved 1024 bytes
// OFF-LABEL: func.func @chain
// OFF-COUNT-2: linalg.generic
func.func @chain(%x: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<8x16xf32>, tensor<16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.tanh %a : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
// A cheap producer with two users that can both take it is cloned into each
// (its result never exists); the diamond ends as one generic.
// CHECK-LABEL: func.func @diamond
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg0, %arg1, %arg0, %arg1 :
// CHECK-DAG: math.exp
// CHECK-DAG: arith.negf
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
// REPORT: remark: infer-cpu-fuse: fused {{.*}}: cloned into its 2 users: 1152 bytes of traffic instead of 2112
// REPORT: remark: infer-cpu-fuse: fused groups: 1; kernels 4 -> 1; intermediate bytes 1536 -> 0
// BOUND: remark: infer-cpu-fuse: not fused: 'linalg.generic' (2 ops, a group of 2) into 'linalg.generic' (1 ops) [elementwise]: the group would hold 3 ops (max-group-size=2)
func.func @diamond(%x: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<8x16xf32>, tensor<16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.negf %a : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %3 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%1, %2 : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.mulf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %3 : tensor<8x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
// A producer whose other user is a named matmul stays: fusing it into the
// tanh would keep its result in memory for the matmul and add work.
// CHECK-LABEL: func.func @multi_use_matmul
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK: math.tanh
// CHECK: linalg.matmul
// REPORT: remark: infer-cpu-fuse: not fused: 'linalg.generic' (1 ops) into 'linalg.generic' (1 ops) [elementwise]: the producer has 2 users and 'linalg.matmul' cannot take it in: its result would stay in memory
// REPORT: remark: infer-cpu-fuse: not fused: 'linalg.generic' (1 ops) into 'linalg.matmul' [reduction]: the consumer is a named contraction ('linalg.matmul'): its packed kernel reads the operand from memory, the producer would be recomputed for every reduction step
func.func @multi_use_matmul(%x: tensor<16x16xf32>, %w: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %e = tensor.empty() : tensor<16x16xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.tanh %a : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %2 = linalg.matmul ins(%0, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %1, %2 : tensor<16x16xf32>, tensor<16x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#vec = affine_map<(d0) -> (d0)>
// A broadcast: the consumer reads each element of the producer 8 times, so
// fusing would compute exp 8 times per element.
// CHECK-LABEL: func.func @broadcast
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK: arith.mulf
// REPORT: remark: infer-cpu-fuse: not fused: 'linalg.generic' (1 ops) into 'linalg.generic' (1 ops) [elementwise]: the consumer visits each element 8 times (a broadcast or a reduction across it): fusing recomputes the producer's 1 ops 8x
func.func @broadcast(%v: tensor<16xf32>, %x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %ev = tensor.empty() : tensor<16xf32>
  %0 = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]} ins(%v : tensor<16xf32>) outs(%ev : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %0 : tensor<8x16xf32>, tensor<16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.mulf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d0)>
// A reduction takes its elementwise producer: exp and the sum run in one
// pass over x.
// CHECK-LABEL: func.func @reduction
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.addf
// CHECK-NOT: linalg.generic
// REPORT: remark: infer-cpu-fuse: fused 'linalg.generic' (1 ops) into 'linalg.generic' (1 ops) [reduction]: saves the write and the read of tensor<8x16xf32>
func.func @reduction(%x: tensor<8x16xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %zero = arith.constant 0.0 : f32
  %er = tensor.empty() : tensor<8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%er : tensor<8xf32>) -> tensor<8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #col], iterator_types = ["parallel", "reduction"]} ins(%0 : tensor<8x16xf32>) outs(%init : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

#a = affine_map<(b, i, j, k) -> (b, i, k)>
#bm = affine_map<(b, i, j, k) -> (b, k, j)>
#c = affine_map<(b, i, j, k) -> (b, i, j)>
// Transposes into a batched contraction (attention's heads): A's transpose
// keeps k innermost and folds into A's indexing map; B's would make B read
// along k instead of j (the micro-kernel's contiguous rows), so it stays.
// CHECK-DAG: #[[$QMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, d3)>
// CHECK-LABEL: func.func @transposes
// CHECK: %[[KT:.+]] = linalg.transpose ins(%arg1
// CHECK: linalg.generic {indexing_maps = [#[[$QMAP]], {{.*}} ins(%arg0, %[[KT]] :
// REPORT: remark: infer-cpu-fuse: fused 'linalg.transpose' into 'linalg.generic' (2 ops) [transpose]: saves the write and the read of tensor<2x8x4xf32>
// REPORT: remark: infer-cpu-fuse: not fused: 'linalg.transpose' into 'linalg.generic' (2 ops, a group of 2) [transpose]: folding it would make the contraction read this operand along d3 instead of d2: its micro-kernel needs the rows it reads contiguous
// OFF-LABEL: func.func @transposes
// OFF-COUNT-2: linalg.transpose
func.func @transposes(%q: tensor<8x2x4xf32>, %k: tensor<2x16x4xf32>) -> tensor<2x8x16xf32> {
  %eq = tensor.empty() : tensor<2x8x4xf32>
  %qt = linalg.transpose ins(%q : tensor<8x2x4xf32>) outs(%eq : tensor<2x8x4xf32>) permutation = [1, 0, 2]
  %ek = tensor.empty() : tensor<2x4x16xf32>
  %kt = linalg.transpose ins(%k : tensor<2x16x4xf32>) outs(%ek : tensor<2x4x16xf32>) permutation = [0, 2, 1]
  %zero = arith.constant 0.0 : f32
  %ec = tensor.empty() : tensor<2x8x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%ec : tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  %0 = linalg.generic {indexing_maps = [#a, #bm, #c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%qt, %kt : tensor<2x8x4xf32>, tensor<2x4x16xf32>) outs(%init : tensor<2x8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
// A matmul's bias add behind an expand_shape: the add's loops collapse to
// the matmul's 2-D result, which it then reads through the identity (the
// shape infer-tile fuses as an epilogue); the contraction itself is not a
// producer here.
// CHECK-LABEL: func.func @matmul_bias
// CHECK: %[[MM:.+]] = linalg.matmul
// CHECK: %[[ADD:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %arg2 : tensor<32x8xf32>, tensor<8xf32>)
// CHECK: tensor.expand_shape %[[ADD]] {{.*}} into tensor<2x16x8xf32>
// REPORT: remark: infer-cpu-fuse: not fused: 'linalg.matmul' into 'linalg.generic' (1 ops) [elementwise]: the producer is a contraction: its elementwise consumers run inside its tiles as an epilogue (infer-tile), not here
// OFF-LABEL: func.func @matmul_bias
// OFF: tensor.expand_shape
// OFF: linalg.generic {{.*}} ins(%{{.+}}, %arg2 : tensor<2x16x8xf32>, tensor<8xf32>)
func.func @matmul_bias(%x: tensor<32x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>) -> tensor<2x16x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<32x8xf32>) -> tensor<32x8xf32>
  %0 = linalg.matmul ins(%x, %w : tensor<32x16xf32>, tensor<16x8xf32>) outs(%init : tensor<32x8xf32>) -> tensor<32x8xf32>
  %1 = tensor.expand_shape %0 [[0, 1], [2]] output_shape [2, 16, 8] : tensor<32x8xf32> into tensor<2x16x8xf32>
  %e3 = tensor.empty() : tensor<2x16x8xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1, %b : tensor<2x16x8xf32>, tensor<8xf32>) outs(%e3 : tensor<2x16x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<2x16x8xf32>
  return %2 : tensor<2x16x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
// Three elementwise ops with max-group-size=2: the first pair fuses, the
// third stays out of the group.
// CHECK-LABEL: func.func @bounded
// CHECK: math.exp
// CHECK-NEXT: math.tanh
// CHECK-NEXT: arith.negf
// BOUND: remark: infer-cpu-fuse: fused 'linalg.generic' (1 ops) into 'linalg.generic' (1 ops) [elementwise]
// BOUND: remark: infer-cpu-fuse: not fused: 'linalg.generic' (2 ops, a group of 2) into 'linalg.generic' (1 ops) [elementwise]: the group would hold 3 ops (max-group-size=2)
func.func @bounded(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.tanh %a : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%1 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.negf %a : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}
