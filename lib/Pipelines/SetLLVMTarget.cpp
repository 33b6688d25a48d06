//===- SetLLVMTarget.cpp - stamp target CPU/features on llvm.func ---------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Sets target_cpu / target_features on every llvm.func, so the LLVM IR we emit
// says which CPU it is for. Needs the LLVM dialect; changes nothing else.
//
//===----------------------------------------------------------------------===//

#include "infer/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"

#define DEBUG_TYPE "infer-set-llvm-target"

namespace mlir::infer {
#define GEN_PASS_DEF_SETLLVMTARGETPASS
#include "infer/Pipelines/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;

namespace {
struct SetLLVMTargetPass final
    : infer::impl::SetLLVMTargetPassBase<SetLLVMTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    StringAttr cpuAttr = cpu.empty() ? StringAttr() : StringAttr::get(ctx, cpu);
    LLVM::TargetFeaturesAttr featuresAttr;
    if (!features.empty())
      featuresAttr = LLVM::TargetFeaturesAttr::get(ctx, features);
    getOperation().walk([&](LLVM::LLVMFuncOp func) {
      if (func.isExternal())
        return;
      if (cpuAttr)
        func.setTargetCpuAttr(cpuAttr);
      if (featuresAttr)
        func.setTargetFeaturesAttr(featuresAttr);
    });
  }
};
} // namespace
