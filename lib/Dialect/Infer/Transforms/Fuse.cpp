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
#include "llvm/ADT/StringMap.h"

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
    func::FuncOp func = getOperation();
    auto count = [&] {
      llvm::StringMap<int64_t> ops;
      func.walk([&](Operation *op) {
        if (isa<InferDialect>(op->getDialect()) && !isa<ConstantOp>(op))
          ++ops[op->getName().stripDialect()];
      });
      return ops;
    };
    llvm::StringMap<int64_t> before;
    if (report)
      before = count();
    RewritePatternSet patterns(&getContext());
    if (foldBatchNorm)
      populateFoldBatchNormPatterns(patterns);
    if (recognizeActivations)
      populateRecognizeActivationPatterns(patterns);
    if (recognizeNormalizations)
      populateRecognizeNormalizationPatterns(patterns);
    applyPatternsToFixpoint(func, std::move(patterns), "infer-fuse");
    // Siblings merge once their batch norms are folded into them and their
    // activations are named.
    if (horizontal || horizontalConvs) {
      RewritePatternSet siblings(&getContext());
      populateHorizontalFusionPatterns(siblings, report, horizontal,
                                       horizontalConvs);
      applyPatternsToFixpoint(func, std::move(siblings),
                              "infer-fuse (horizontal)");
    }
    if (!report)
      return;
    // "ops 47 -> 27; named: gelu 0 -> 1, ...": what the rewrites made.
    llvm::StringMap<int64_t> after = count();
    auto total = [](const llvm::StringMap<int64_t> &ops) {
      int64_t n = 0;
      for (const auto &entry : ops)
        n += entry.getValue();
      return n;
    };
    InFlightDiagnostic remark = emitRemark(func.getLoc(), "infer-fuse: ops ")
                                << total(before) << " -> " << total(after);
    for (StringRef name : {"batch_norm", "gelu", "silu", "softmax",
                           "layer_norm", "matmul", "conv2d"})
      if (before.lookup(name) != after.lookup(name))
        remark << "; " << name << " " << before.lookup(name) << " -> "
               << after.lookup(name);
  }
};
} // namespace
