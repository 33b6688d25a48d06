//===- DotProduct.cpp - int8 contractions to vpdpbusd ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The register tile of an integer contraction in the dot-product panel form
// (infer-cpu-pack-weights) is a vector.contract of unsigned bytes by signed
// bytes into i32 lanes, four bytes of K a step. AVX512-VNNI computes exactly
// that: `vpdpbusd acc, a, b` adds to each 32-bit lane of `acc` the sum of
// four products of adjacent unsigned bytes of `a` and signed bytes of `b`.
// Each row of A gives its four bytes broadcast to every lane; each 64 bytes
// of the packed B panel (16 columns x 4 K values) are one operand. Upstream's
// x86vector dialect has only the signed-by-signed AVX-VNNI-INT8 form
// (`vpdpbssd`), which Zen 4 and the AMX Xeons lack, so the instruction is
// called as its LLVM intrinsic.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::infer;

/// The i8 vector that `value` widens (`ext` of it, perhaps broadcast to more
/// leading unit dimensions): the bytes of the operand in the same order.
template <typename ExtOp>
static Value widenedBytes(Value value) {
  if (auto broadcast = value.getDefiningOp<vector::BroadcastOp>()) {
    auto source = dyn_cast<VectorType>(broadcast.getSourceType());
    if (!source || source.getNumElements() !=
                       broadcast.getResultVectorType().getNumElements())
      return {};
    value = broadcast.getSource();
  }
  auto ext = value.getDefiningOp<ExtOp>();
  if (!ext || !getElementTypeOrSelf(ext.getIn().getType()).isInteger(8))
    return {};
  return ext.getIn();
}

namespace {
/// vector.contract(extui(A: i8), extsi(B: i8), C: i32) with one reduction
/// dimension of four, innermost in A and B, rows of A and columns of B in
/// the order of C, every other dimension a unit -> one `vpdpbusd` per row
/// and 16 columns.
struct ContractToDotProduct final : OpRewritePattern<vector::ContractionOp> {
  ContractToDotProduct(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/10) {}

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    static constexpr int64_t kLanes = 16, kGroup = 4;
    auto accType = dyn_cast<VectorType>(op.getAccType());
    if (op.getKind() != vector::CombiningKind::ADD || !accType ||
        !accType.getElementType().isInteger(32))
      return rewriter.notifyMatchFailure(op, "not an i32 sum");
    Value lhs = widenedBytes<arith::ExtUIOp>(op.getLhs());
    Value rhs = widenedBytes<arith::ExtSIOp>(op.getRhs());
    if (!rhs && getElementTypeOrSelf(op.getRhs().getType()).isInteger(8))
      rhs = op.getRhs(); // the sign extension folded into the contraction
    if (!lhs || !rhs)
      return rewriter.notifyMatchFailure(op, "not unsigned x signed bytes");

    // The non-unit dimensions of each operand, in their order.
    SmallVector<int64_t> ranges;
    op.getIterationBounds(ranges);
    auto dims = [&](AffineMap map) {
      SmallVector<unsigned> out;
      for (AffineExpr e : map.getResults()) {
        unsigned d = cast<AffineDimExpr>(e).getPosition();
        if (ranges[d] != 1)
          out.push_back(d);
      }
      return out;
    };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<unsigned> a = dims(maps[0]), b = dims(maps[1]),
                          c = dims(maps[2]);
    // A: (m, k) or (k); B: (n, k); C: (m, n) or (n).
    if (a.empty() || b.size() != 2 || a.back() != b.back() ||
        ranges[a.back()] != kGroup || a.size() > 2)
      return rewriter.notifyMatchFailure(op, "K is not four innermost bytes");
    unsigned n = b.front();
    std::optional<unsigned> m;
    if (a.size() == 2)
      m = a.front();
    SmallVector<unsigned> expectC;
    if (m)
      expectC.push_back(*m);
    expectC.push_back(n);
    if (c != expectC)
      return rewriter.notifyMatchFailure(op, "C is not (m, n)");
    int64_t rows = m ? ranges[*m] : 1, cols = ranges[n];
    if (cols % kLanes != 0)
      return rewriter.notifyMatchFailure(op, "columns are not whole vectors");

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto bytesType = VectorType::get({kLanes * kGroup}, i8);
    auto lanesType = VectorType::get({kLanes}, i32);
    // Rows of four bytes as one i32 each; B as one run of bytes; C as rows.
    Value aWords = vector::BitCastOp::create(
        rewriter, loc, VectorType::get({rows, 1}, i32),
        vector::ShapeCastOp::create(rewriter, loc,
                                    VectorType::get({rows, kGroup}, i8), lhs));
    Value bBytes = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({cols * kGroup}, i8), rhs);
    Value acc = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({rows, cols}, i32), op.getAcc());
    SmallVector<Value> bParts;
    for (int64_t j = 0; j < cols / kLanes; ++j)
      bParts.push_back(vector::ExtractStridedSliceOp::create(
          rewriter, loc, bBytes, ArrayRef<int64_t>{j * kLanes * kGroup},
          ArrayRef<int64_t>{kLanes * kGroup}, ArrayRef<int64_t>{1}));
    StringAttr intrinsic =
        rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd.512");
    for (int64_t r = 0; r < rows; ++r) {
      Value word = vector::ExtractOp::create(rewriter, loc, aWords,
                                             ArrayRef<int64_t>{r, 0});
      Value broadcast = vector::BitCastOp::create(
          rewriter, loc, bytesType,
          vector::BroadcastOp::create(rewriter, loc, lanesType, word));
      Value row =
          vector::ExtractOp::create(rewriter, loc, acc, ArrayRef<int64_t>{r});
      for (auto [j, part] : llvm::enumerate(bParts)) {
        int64_t offset = static_cast<int64_t>(j) * kLanes;
        Value lanes = vector::ExtractStridedSliceOp::create(
            rewriter, loc, row, ArrayRef<int64_t>{offset},
            ArrayRef<int64_t>{kLanes}, ArrayRef<int64_t>{1});
        Value sum =
            LLVM::CallIntrinsicOp::create(rewriter, loc, lanesType, intrinsic,
                                          ValueRange{lanes, broadcast, part})
                .getResult(0);
        row = vector::InsertStridedSliceOp::create(rewriter, loc, sum, row,
                                                   ArrayRef<int64_t>{offset},
                                                   ArrayRef<int64_t>{1});
      }
      acc = vector::InsertOp::create(rewriter, loc, row, acc,
                                     ArrayRef<int64_t>{r});
    }
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(op, accType, acc);
    return success();
  }
};
} // namespace

void mlir::infer::populateContractToDotProductPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ContractToDotProduct>(patterns.getContext());
}
