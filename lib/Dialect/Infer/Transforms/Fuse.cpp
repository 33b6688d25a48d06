//===- Fuse.cpp - infer-fuse ----------------------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Graph-level fusion on the infer dialect, one pattern set per kind, each
// kind switchable by an option. Needs verified infer IR; guarantees the
// rewritten graph computes the same function (up to float rounding of
// folded constants).
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"
#include "infer/Support/Rewrite.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "infer-fuse"

namespace mlir::infer {
#define GEN_PASS_DEF_FUSEPASS
#include "infer/Dialect/Infer/Transforms/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

namespace {
struct FusePass final : infer::impl::FusePassBase<FusePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    if (foldBatchNorm)
      populateFoldBatchNormPatterns(patterns);
    if (recognizeActivations)
      populateRecognizeActivationPatterns(patterns);
    if (recognizeNormalizations)
      populateRecognizeNormalizationPatterns(patterns);
    applyPatternsToFixpoint(getOperation(), std::move(patterns), "infer-fuse");
  }
};
} // namespace
