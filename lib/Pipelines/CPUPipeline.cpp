//===- CPUPipeline.cpp - infer-cpu-pipeline -------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// infer -> linalg on tensors -> one-shot bufferization (functions return
// owned buffers) -> loops -> LLVM dialect. The passes are constructed
// directly, so hosts that register nothing but this pipeline (the C API, a
// downstream compiler) can run it; each is also registered with infer-opt,
// so every stage can be replayed there.
//
//===----------------------------------------------------------------------===//

#include "infer/Pipelines/Pipelines.h"

#include "infer/Conversion/Passes.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::infer;

void mlir::infer::buildCPUPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options) {
  bool simplify = options.optLevel > 0;
  auto addSimplifications = [&] {
    if (!simplify)
      return;
    pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createCSEPass());
  };

  // Graph level: keep the tensor signature, make shapes as static as the ops
  // allow (imported models may declare fewer), fold.
  pm.addPass(createRecordSignaturesPass());
  pm.addPass(createRefineShapesPass());
  if (simplify)
    pm.addPass(createCanonicalizerPass());

  // linalg on tensors, then buffers that functions return to their callers.
  pm.addPass(createConvertInferToLinalgPass());
  addSimplifications();
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());

  // Loops, then the LLVM dialect with C wrappers for every function.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addSimplifications();
  pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // Integer powers become outlined loops; the rest maps to LLVM intrinsics,
  // and what has none (erf...) to libm.
  pm.addPass(createConvertMathToFuncs());
  pm.addNestedPass<func::FuncOp>(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (simplify)
    pm.addPass(createCanonicalizerPass());
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
