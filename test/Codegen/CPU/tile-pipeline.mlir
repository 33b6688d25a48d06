// REQUIRES: numpy
// RUN: infer-opt %s --tile-report="target-cpu=znver4 threads=2 min-parallel-ns=0" --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: infer-opt %s --tile="target-cpu=znver4 threads=2 min-parallel-ns=0" -o %t.tiled.mlir
// RUN: FileCheck %s --check-prefix=TILED < %t.tiled.mlir
// RUN: %python -c "import numpy as n; r=n.random.default_rng(0); n.save('%t.x.npy', r.standard_normal((1,8,10,10)).astype(n.float32)); n.save('%t.a.npy', r.standard_normal((20,50)).astype(n.float32)); x=n.load('%t.x.npy'); a=n.load('%t.a.npy'); p=n.pad(x,((0,0),(0,0),(1,1),(1,1))); c=n.zeros((1,32,10,10),n.float64)+0.25; exec('for i in range(3):\n for j in range(3): c+=0.5*p[:,:,i:i+10,j:j+10].sum(1,keepdims=True)'); n.save('%t.r.npy', n.maximum(c,0).astype(n.float32)); n.save('%t.y.npy', (a.astype(n.float64)@n.full((50,64),0.125)).astype(n.float32))"
// RUN: infer-run %t.tiled.mlir --input %t.x.npy --input %t.a.npy --expect %t.r.npy --expect %t.y.npy --rtol 1e-4 --atol 1e-4 --threads 2 | FileCheck %s --check-prefix=NUMERIC
// RUN: infer-run %s --input %t.x.npy --input %t.a.npy --expect %t.r.npy --expect %t.y.npy --rtol 1e-4 --atol 1e-4 --profile | FileCheck %s --check-prefix=PROFILE

// The user-level pipelines over the CPU code generator. --tile-report names
// each op with its operand shapes, the schedule the target model chose and
// the model's estimate; --tile applies the schedules: the result is tiled,
// vectorized linalg on tensors with the weights packed as constants, which
// infer-run lowers the rest of the way without redoing any of it, and which
// computes what numpy does. infer-run --profile puts the model's estimate
// next to each measured kernel (the convolution's kernel also computes the
// bias broadcast before it and the ReLU after it).

// REPORT: {{[0-9]+}}:8: remark: infer-tile-report: linalg.transpose 1x8x10x10xf32 -> 1x10x10x8xf32: #infer.schedule<kind = elementwise, {{.*}}>; estimated {{[0-9.]+}} ms
// REPORT: {{[0-9]+}}:8: remark: infer-tile-report: linalg.generic 32xf32 -> 1x10x10x32xf32: #infer.schedule<kind = elementwise
// REPORT: {{[0-9]+}}:8: remark: infer-tile-report: linalg.conv_2d_nhwc_hwcf 1x12x12x8xf32, 3x3x8x32xf32 -> 1x10x10x32xf32: #infer.schedule<kind = convolution, distribute = [1, 5, 0, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0, 0], vector = [1, 1, 10, 32, 0, 0, 0], reduce = [0, 0, 0, 0, 1, 1, 1], order = [0, 1, 3, 2, 4, 5, 6], origin = model, estimate_ns = {{[0-9]+}}>; estimated
// REPORT: {{[0-9]+}}:8: remark: infer-tile-report: linalg.generic 1x10x10x32xf32 -> 1x10x10x32xf32: #infer.schedule<kind = elementwise
// REPORT: {{[0-9]+}}:8: remark: infer-tile-report: linalg.transpose 1x10x10x32xf32 -> 1x32x10x10xf32
// REPORT: {{[0-9]+}}:8: remark: infer-tile-report: linalg.generic 20x50xf32, 2x50x32xf32 -> 20x2x32xf32: #infer.schedule<kind = contraction, distribute = [10, 2, 0, 0], cache = [0, 0, 0, 0], vector = [10, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3]

// TILED-LABEL: func.func @main
// TILED-NOT: infer.conv2d
// TILED-NOT: infer.matmul
// TILED-NOT: infer.schedule
// The weights are constants in their packed layouts: nothing packs per call.
// TILED: arith.constant dense_resource<{{.+}}> : tensor<2x50x32xf32>
// TILED-NOT: linalg.pack
// The convolution: 10 output columns x 32 filters in registers, one input
// channel a step. The matmul: 10 rows x one packed panel of 32 columns.
// TILED: scf.forall
// TILED: vector.contract {{.*}} : vector<10x1xf32>, vector<1x32xf32> into vector<10x32xf32>
// The ReLU runs on the accumulators once the reduction is done, in the same
// tile: no pass of its own over memory.
// TILED: arith.maximumf %{{.+}}, %{{.+}} : vector<10x32xf32>
// TILED: scf.forall
// TILED: vector.contract {{.*}} : vector<10x1xf32>, vector<1x1x32xf32> into vector<10x1x32xf32>

// NUMERIC: infer-run: all 2 results match the references

// PROFILE: est ms  kernel
// PROFILE-DAG: scf.{{for|forall}} (vector.contract) at loc({{.*}}:{{[0-9]+}}:8) [elementwise+convolution+elementwise]
// PROFILE-DAG: scf.{{for|forall}} (vector.contract) at loc({{.*}}:{{[0-9]+}}:8) [contraction]

func.func @main(%x: tensor<1x8x10x10xf32>, %a: tensor<20x50xf32>) -> (tensor<1x32x10x10xf32>, tensor<20x64xf32>) {
  %w = infer.constant dense<0.5> : tensor<32x8x3x3xf32>
  %b = infer.constant dense<0.25> : tensor<32xf32>
  %c = infer.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x10x10xf32>, tensor<32x8x3x3xf32>, tensor<32xf32>) -> tensor<1x32x10x10xf32>
  %r = infer.relu %c : tensor<1x32x10x10xf32>
  %m = infer.constant dense<0.125> : tensor<50x64xf32>
  %y = infer.matmul %a, %m : (tensor<20x50xf32>, tensor<50x64xf32>) -> tensor<20x64xf32>
  return %r, %y : tensor<1x32x10x10xf32>, tensor<20x64xf32>
}
