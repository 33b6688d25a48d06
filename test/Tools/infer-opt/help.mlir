// infer-opt registers our passes and pipelines next to upstream's.
// RUN: infer-opt --help | FileCheck %s
// CHECK-DAG: --infer-convert-to-linalg
// CHECK-DAG: --infer-cpu-pipeline
// CHECK-DAG: --infer-record-signatures
// CHECK-DAG: --infer-refine-shapes
// CHECK-DAG: --infer-set-llvm-target
// And upstream's.
// CHECK-DAG: --one-shot-bufferize
// CHECK-DAG: --linalg-fuse-elementwise-ops
