//===- CPUPipeline.cpp - infer-cpu-pipeline -------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// infer -> linalg on tensors -> one-shot bufferization (functions return
// owned buffers) -> loops -> LLVM dialect. Every pass here is upstream's or
// ours and registered, so each stage can be replayed with infer-opt.
//
//===----------------------------------------------------------------------===//

#include "infer/Pipelines/Pipelines.h"

#include "infer/Conversion/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::infer;

void mlir::infer::buildCPUPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options) {
  bool simplify = options.optLevel > 0;
  std::string pipeline;
  llvm::raw_string_ostream os(pipeline);
  // Imported models may declare fewer static dimensions than the ops infer.
  os << "infer-record-signatures,infer-refine-shapes,";
  if (simplify)
    os << "canonicalize,";
  os << "infer-convert-to-linalg,";
  if (simplify)
    os << "func.func(canonicalize,cse),";
  os << "one-shot-bufferize{bufferize-function-boundaries "
        "function-boundary-type-conversion=identity-layout-map},"
        "buffer-deallocation-pipeline,"
        "convert-bufferization-to-memref,"
        "func.func(convert-linalg-to-loops),";
  if (simplify)
    os << "func.func(canonicalize,cse),";
  os << "func.func(llvm-request-c-wrappers),"
        "expand-strided-metadata,"
        "lower-affine,"
        "convert-scf-to-cf,"
        "func.func(convert-math-to-llvm),"
        "convert-math-to-libm,"
        "convert-to-llvm,"
        "reconcile-unrealized-casts";
  if (simplify)
    os << ",canonicalize";
  // parsePassPipeline only fails on a malformed string, which would be a bug
  // in the text above.
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    llvm::report_fatal_error("infer-cpu-pipeline: invalid pipeline text");
  if (!options.targetCPU.empty() || !options.targetFeatures.empty()) {
    SetLLVMTargetPassOptions target;
    target.cpu = options.targetCPU;
    target.features = options.targetFeatures;
    pm.addPass(createSetLLVMTargetPass(target));
  }
}

void mlir::infer::registerCPUPipeline() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "infer-cpu-pipeline",
      "Lower infer (or linalg on tensors) to the LLVM dialect for CPUs, with "
      "C interface wrappers for every function",
      buildCPUPipeline);
}
