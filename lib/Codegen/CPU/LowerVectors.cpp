//===- LowerVectors.cpp - infer-cpu-lower-vectors -------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// After bufferization, vector ops go to the forms the x86 backend turns into
// good code: a contraction into outer products (one FMA per accumulator row,
// the operand broadcast), transfers into 1-D loads and stores (masked at
// the edges), multi-reductions, transposes and broadcasts into 1-D ops; a
// vector erf into a polynomial.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Passes.h"
#include "infer/Codegen/Transforms.h"
#include "infer/Support/Rewrite.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "infer-cpu-lower-vectors"

namespace mlir::infer {
#define GEN_PASS_DEF_CPULOWERVECTORSPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

void mlir::infer::populateCPUVectorLoweringPatterns(
    RewritePatternSet &patterns) {
  vector::populateVectorContractLoweringPatterns(
      patterns, vector::VectorContractLowering::OuterProduct);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorMultiReductionLoweringPatterns(
      patterns, vector::VectorMultiReductionLowering::InnerParallel);
  vector::populateVectorTransferLoweringPatterns(patterns,
                                                 /*maxTransferRank=*/1);
  vector::populateVectorShapeCastLoweringPatterns(patterns);
  vector::populateVectorTransposeLoweringPatterns(
      patterns, vector::VectorTransposeLowering::Shuffle1D);
  vector::populateVectorBroadcastLoweringPatterns(patterns);
  vector::populateVectorOuterProductLoweringPatterns(patterns);
  vector::populateVectorMaskOpLoweringPatterns(patterns);
  vector::populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
}

namespace {
/// Strided copies (into a channel slice of a concatenation, the interior of
/// a padded buffer) would go to the runtime's element-by-element
/// memrefCopy; as linalg.copy they become loops LLVM vectorizes.
struct StridedCopyToLinalg final : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto source = cast<MemRefType>(op.getSource().getType());
    auto target = cast<MemRefType>(op.getTarget().getType());
    if (source.getLayout().isIdentity() && target.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "contiguous: a memcpy");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};
} // namespace

void mlir::infer::populateCPUCopyLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<StridedCopyToLinalg>(patterns.getContext());
}

namespace {
struct CPULowerVectorsPass final
    : infer::impl::CPULowerVectorsPassBase<CPULowerVectorsPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    func::FuncOp func = getOperation();
    // Transfers that may run out of bounds are split into a fast in-bounds
    // path and a slow one, then unrolled to rank 1.
    {
      RewritePatternSet patterns(ctx);
      vector::VectorTransformsOptions options;
      options.setVectorTransferSplit(vector::VectorTransferSplit::LinalgCopy);
      vector::populateVectorTransferFullPartialPatterns(patterns, options);
      // Integer dot products first, while their operands are whole tiles.
      populateContractToDotProductPatterns(patterns);
      applyPatternsToFixpoint(func, std::move(patterns),
                              "infer-cpu-lower-vectors");
    }
    // A transfer of narrow values in contiguous rows of a few bytes each
    // (the 16 x 4 bytes of a dot-product panel) is one load, not one per
    // row.
    {
      SmallVector<Operation *> bytes;
      func.walk([&](VectorTransferOpInterface transfer) {
        Type element = transfer.getVectorType().getElementType();
        if (element.isIntOrFloat() && element.getIntOrFloatBitWidth() < 32)
          bytes.push_back(transfer);
      });
      RewritePatternSet patterns(ctx);
      vector::populateFlattenVectorTransferPatterns(
          patterns,
          /*targetVectorBitwidth=*/64);
      (void)applyOpPatternsGreedily(bytes, std::move(patterns));
    }
    // A vector erf (GELU) has no LLVM intrinsic: math-to-libm would call
    // erff once per lane. Upstream's polynomial evaluates the whole vector.
    {
      SmallVector<Operation *> erfs;
      func.walk([&](math::ErfOp erf) {
        if (isa<VectorType>(erf.getType()))
          erfs.push_back(erf);
      });
      RewritePatternSet patterns(ctx);
      populatePolynomialApproximateErfPattern(patterns);
      GreedyRewriteConfig config;
      config.setStrictness(GreedyRewriteStrictness::ExistingOps);
      (void)applyOpPatternsGreedily(erfs, std::move(patterns), config);
    }
    RewritePatternSet patterns(ctx);
    populateCPUVectorLoweringPatterns(patterns);
    populateCPUCopyLoweringPatterns(patterns);
    VectorTransferToSCFOptions toSCF;
    toSCF.enableFullUnroll(true);
    toSCF.setTargetRank(1);
    populateVectorToSCFConversionPatterns(patterns, toSCF);
    applyPatternsToFixpoint(func, std::move(patterns),
                            "infer-cpu-lower-vectors");
  }
};
} // namespace
