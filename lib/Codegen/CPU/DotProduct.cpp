//===- DotProduct.cpp - dot-product contractions to VNNI and BF16 ---------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The register tile of a contraction in the dot-product panel form
// (infer-cpu-pack-weights) is a vector.contract of unsigned bytes by signed
// bytes into i32 lanes, four bytes of K a step, or of bf16 by bf16 into f32
// lanes, two values of K a step. AVX512-VNNI and AVX512-BF16 compute exactly
// that: `vpdpbusd acc, a, b` adds to each 32-bit lane of `acc` the sum of
// four products of adjacent unsigned bytes of `a` and signed bytes of `b`,
// `vdpbf16ps` the two products of adjacent bf16 pairs. Each row of A gives
// its 32 bits of K values broadcast to every lane; each 64 bytes of the
// packed B panel (16 columns x G K values) are one operand. Upstream's
// x86vector dialect has only the signed-by-signed AVX-VNNI-INT8 form
// (`vpdpbssd`), which Zen 4 and the AMX Xeons lack, so both instructions
// are called as their LLVM intrinsics.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::infer;

/// The narrow vector that `value` widens (`ext` of it, perhaps broadcast to
/// more leading unit dimensions): the operand's values in the same order.
template <typename ExtOp>
static Value widened(Value value) {
  if (auto broadcast = value.getDefiningOp<vector::BroadcastOp>()) {
    auto source = dyn_cast<VectorType>(broadcast.getSourceType());
    if (!source || source.getNumElements() !=
                       broadcast.getResultVectorType().getNumElements())
      return {};
    value = broadcast.getSource();
  }
  auto ext = value.getDefiningOp<ExtOp>();
  return ext ? ext.getIn() : Value();
}

namespace {
/// vector.contract(extui(A: i8), extsi(B: i8), C: i32) or
/// vector.contract(extf(A: bf16), extf(B: bf16), C: f32) with one reduction
/// dimension of G (four bytes, two bf16), innermost in A and B, rows of A
/// and columns of B in the order of C, every other dimension a unit -> one
/// `vpdpbusd` / `vdpbf16ps` per row and 16 columns.
struct ContractToDotProduct final : OpRewritePattern<vector::ContractionOp> {
  ContractToDotProduct(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/10) {}

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    static constexpr int64_t kLanes = 16;
    auto accType = dyn_cast<VectorType>(op.getAccType());
    if (op.getKind() != vector::CombiningKind::ADD || !accType)
      return rewriter.notifyMatchFailure(op, "not a sum");
    Type accElement = accType.getElementType();
    Value lhs, rhs;
    int64_t kGroup;
    StringRef intrinsicName;
    if (accElement.isInteger(32)) {
      kGroup = 4;
      intrinsicName = "llvm.x86.avx512.vpdpbusd.512";
      lhs = widened<arith::ExtUIOp>(op.getLhs());
      rhs = widened<arith::ExtSIOp>(op.getRhs());
      // The sign extension folded into the contraction.
      if (!rhs && getElementTypeOrSelf(op.getRhs().getType()).isInteger(8))
        rhs = op.getRhs();
    } else if (accElement.isF32()) {
      kGroup = 2;
      intrinsicName = "llvm.x86.avx512bf16.dpbf16ps.512";
      // Extensions of floats fold into contractions: bf16 operands, too.
      auto bf16 = [&](Value v) -> Value {
        if (Value w = widened<arith::ExtFOp>(v))
          return w;
        return getElementTypeOrSelf(v.getType()).isBF16() ? v : Value();
      };
      lhs = bf16(op.getLhs());
      rhs = bf16(op.getRhs());
    } else {
      return rewriter.notifyMatchFailure(op, "not an i32 or f32 sum");
    }
    if (!lhs || !rhs ||
        getElementTypeOrSelf(lhs.getType()) !=
            getElementTypeOrSelf(rhs.getType()) ||
        getElementTypeOrSelf(lhs.getType()).getIntOrFloatBitWidth() * kGroup !=
            32)
      return rewriter.notifyMatchFailure(op, "not unsigned x signed bytes or "
                                             "bf16 x bf16");
    Type element = getElementTypeOrSelf(lhs.getType());

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
    Type i32 = rewriter.getI32Type();
    auto operandType = VectorType::get({kLanes * kGroup}, element);
    auto wordsType = VectorType::get({kLanes}, i32);
    auto lanesType = VectorType::get({kLanes}, accElement);
    // Rows of G values as one i32 each; B as one run; C as rows.
    Value aWords = vector::BitCastOp::create(
        rewriter, loc, VectorType::get({rows, 1}, i32),
        vector::ShapeCastOp::create(
            rewriter, loc, VectorType::get({rows, kGroup}, element), lhs));
    Value bBytes = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({cols * kGroup}, element), rhs);
    Value acc = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({rows, cols}, accElement), op.getAcc());
    SmallVector<Value> bParts;
    for (int64_t j = 0; j < cols / kLanes; ++j)
      bParts.push_back(vector::ExtractStridedSliceOp::create(
          rewriter, loc, bBytes, ArrayRef<int64_t>{j * kLanes * kGroup},
          ArrayRef<int64_t>{kLanes * kGroup}, ArrayRef<int64_t>{1}));
    StringAttr intrinsic = rewriter.getStringAttr(intrinsicName);
    for (int64_t r = 0; r < rows; ++r) {
      Value word = vector::ExtractOp::create(rewriter, loc, aWords,
                                             ArrayRef<int64_t>{r, 0});
      Value broadcast = vector::BitCastOp::create(
          rewriter, loc, operandType,
          vector::BroadcastOp::create(rewriter, loc, wordsType, word));
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
