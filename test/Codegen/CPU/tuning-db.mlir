// REQUIRES: numpy
// RUN: infer-opt %s --tune-tasks="output=%t.tasks.jsonl target-cpu=cascadelake threads=2 fuse=false" -o /dev/null
// RUN: FileCheck %s --check-prefix=TASKS < %t.tasks.jsonl
// RUN: %python %S/Inputs/make_tuning_db.py %t.tasks.jsonl %t.db.json --set vector:0=4 --set distribute:0=20 --set distribute:1=1
// RUN: infer-opt %s --tile-report="target-cpu=cascadelake threads=2 tuning-db=%t.db.json" --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: infer-opt %s --tile="target-cpu=cascadelake threads=2 tuning-db=%t.db.json" -o %t.tiled.mlir
// RUN: FileCheck %s --check-prefix=TILED < %t.tiled.mlir
// RUN: %python -c "import numpy as n; r=n.random.default_rng(0); a=r.standard_normal((20,50)).astype(n.float32); n.save('%t.a.npy', a); n.save('%t.y.npy', n.maximum(a.astype(n.float64)@n.full((50,64),0.125),0).astype(n.float32))"
// RUN: infer-run %t.tiled.mlir --input %t.a.npy --expect %t.y.npy --rtol 1e-4 --atol 1e-4 --threads 2 | FileCheck %s --check-prefix=NUMERIC

// Replay of a tuning database. --tune-tasks writes the tasks (one per
// distinct op; the ReLU runs in the matmul's tiles and is part of its task);
// a database with a schedule for the matmul's task (4-row register tiles
// instead of the model's 10, one thread tile) is replayed by --tile: the op
// gets the tuned schedule (origin = tuned) and the code has 4x32 register
// tiles; the transpose-free ops it lacks fall back to the model's schedule,
// and --tile-report says which did.

// TASKS: {"count":1,"epilogue":["linalg.generic 20x2x32xf32 -> 20x2x32xf32"],{{.*}}"key":"linalg.generic 20x50xf32, 2x50x32xf32 -> 20x2x32xf32 maps=[(d0, d1, d2, d3) -> (d0, d3); (d0, d1, d2, d3) -> (d1, d3, d2); (d0, d1, d2, d3) -> (d0, d1, d2)] iterators=[pppr] body=[arith.mulf,arith.addf,linalg.yield] cpu=cascadelake vector=512 threads=2","kind":"contraction","loops":[20,2,32,50],{{.*}}"schedule":"#infer.schedule<kind = contraction, distribute = [20, 2, 0, 0], cache = [0, 0, 0, 0], vector = [10, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3], origin = model, estimate_ns = {{[0-9]+}}>"
// TASKS-NOT: "op":"linalg.generic 20x2x32xf32 -> 20x2x32xf32"
// TASKS-NOT: "op":"linalg.fill

// REPORT: remark: infer-tile-report: linalg.generic 20x50xf32, 2x50x32xf32 -> 20x2x32xf32: #infer.schedule<kind = contraction, distribute = [20, 1, 0, 0], cache = [0, 0, 0, 0], vector = [4, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3], origin = tuned, estimate_ns = {{[0-9]+}}>; estimated {{[0-9.]+}} ms; tuned: measured 0.5000 ms, model's schedule 0.7500 ms
// REPORT: remark: infer-tile-report: linalg.generic 20x2x32xf32 -> 20x2x32xf32: #infer.schedule<kind = elementwise, {{.*}}origin = model{{.*}}; runs in the tiles of the op it feeds (part of that op's task)
// REPORT: remark: infer-tile-report: linalg.generic 20x64xf32 -> 20x64xf32: #infer.schedule<kind = elementwise, {{.*}}origin = model{{.*}}; no entry in the tuning database; model's schedule

// TILED-LABEL: func.func @main
// TILED: vector.contract {{.*}} : vector<4x1xf32>, vector<1x1x32xf32> into vector<4x1x32xf32>
// TILED-NOT: vector<10x1x32xf32>

// NUMERIC: infer-run: all 1 results match the references

func.func @main(%a: tensor<20x50xf32>) -> tensor<20x64xf32> {
  %m = infer.constant dense<0.125> : tensor<50x64xf32>
  %y = infer.matmul %a, %m : (tensor<20x50xf32>, tensor<50x64xf32>) -> tensor<20x64xf32>
  %z = infer.relu %y : tensor<20x64xf32>
  %e = infer.exp %z : tensor<20x64xf32>
  %r = infer.log %e : tensor<20x64xf32>
  return %r : tensor<20x64xf32>
}
