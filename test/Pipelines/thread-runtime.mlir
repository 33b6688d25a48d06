// RUN: infer-opt %s --infer-cpu-pipeline="threads=2" | FileCheck %s --check-prefix=OMP
// RUN: infer-opt %s --infer-cpu-pipeline="threads=2 thread-runtime=openmp" | FileCheck %s --check-prefix=OMP
// RUN: infer-opt %s --infer-cpu-pipeline="threads=2 thread-runtime=async" | FileCheck %s --check-prefix=ASYNC
// RUN: not infer-opt %s --infer-cpu-pipeline="thread-runtime=tbb" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not infer-run %s --thread-runtime=tbb 2>&1 | FileCheck %s --check-prefix=TOOL

// The thread tiles of a product big enough to split over two threads run on
// LLVM's OpenMP runtime by default (a parallel region of two threads sharing
// the tile loop; LLVM IR translation makes it a __kmpc_fork_call), or on
// MLIR's async runtime: tasks of the outlined loop body, awaited as a group.
// OMP: omp.parallel num_threads
// OMP-NEXT: omp.wsloop
// OMP-NOT: mlirAsyncRuntime
// ASYNC-NOT: omp.parallel
// ASYNC-DAG: llvm.call @mlirAsyncRuntimeCreateGroup
// ASYNC-DAG: llvm.call @mlirAsyncRuntimeExecute
// ASYNC-DAG: llvm.call @mlirAsyncRuntimeAwaitAllInGroup
// BAD: Cannot find option named 'tbb'!
// TOOL: Cannot find option named 'tbb'!
func.func @main(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = infer.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}
