//===- ConvertLayout.cpp - infer-convert-layout ---------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Convolutions and pooling in NHWC, with transposes around them that are
// moved towards the outputs until a transpose back meets the next transpose
// in and folds away. Needs the infer dialect; guarantees a correct program
// whatever ops stop the transposes (they stay in front of those ops).
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"
#include "infer/Support/Rewrite.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "infer-convert-layout"

namespace mlir::infer {
#define GEN_PASS_DEF_CONVERTLAYOUTPASS
#include "infer/Dialect/Infer/Transforms/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

static constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
static constexpr int64_t kToNCHW[] = {0, 3, 1, 2};

/// `type` with its dimensions taken in `perm` order.
static RankedTensorType permuted(RankedTensorType type,
                                 ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return type.clone(shape);
}

static Value transpose(PatternRewriter &rewriter, Location loc, Value value,
                       ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  return TransposeOp::create(rewriter, loc, permuted(type, perm), value,
                             rewriter.getDenseI64ArrayAttr(perm));
}

/// The inverse permutation.
static SmallVector<int64_t> inverse(ArrayRef<int64_t> perm) {
  SmallVector<int64_t> result(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    result[p] = i;
  return result;
}

namespace {
/// An NCHW op on 4-D values becomes NHWC between two transposes.
template <typename OpTy>
struct ToNHWC final : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op.getLayout() != Layout::NCHW)
      return rewriter.notifyMatchFailure(op, "already NHWC");
    auto type = cast<RankedTensorType>(op.getInput().getType());
    if (type.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "not 4-D");
    Location loc = op.getLoc();
    Value input = transpose(rewriter, loc, op.getInput(), kToNHWC);
    auto resultType =
        permuted(cast<RankedTensorType>(op->getResult(0).getType()), kToNHWC);
    Operation *nhwc = rewriter.clone(*op.getOperation());
    nhwc->setOperand(0, input);
    nhwc->getResult(0).setType(resultType);
    cast<OpTy>(nhwc).setLayout(Layout::NHWC);
    rewriter.replaceOp(op,
                       transpose(rewriter, loc, nhwc->getResult(0), kToNCHW));
    return success();
  }
};

/// op(transpose(x, p)) -> transpose(op(x), p) for unary elementwise ops.
struct SinkThroughUnary final : RewritePattern {
  SinkThroughUnary(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<SqrtOp, ExpOp, LogOp, NegOp, AbsOp, ErfOp, TanhOp, SigmoidOp,
             ReluOp, SiluOp, HardSwishOp, LeakyReluOp, HardSigmoidOp, ClipOp,
             GeluOp, CastOp, QuantizeOp, DequantizeOp>(op))
      return failure();
    auto producer = op->getOperand(0).getDefiningOp<TransposeOp>();
    if (!producer || !producer->hasOneUse())
      return rewriter.notifyMatchFailure(op, "operand is not a transpose");
    ArrayRef<int64_t> perm = producer.getPerm();
    Operation *moved = rewriter.clone(*op);
    moved->setOperand(0, producer.getInput());
    moved->getResult(0).setType(permuted(
        cast<RankedTensorType>(op->getResult(0).getType()), inverse(perm)));
    rewriter.replaceOp(
        op, transpose(rewriter, op->getLoc(), moved->getResult(0), perm));
    return success();
  }
};

/// A binary op with a transposed operand: the other one must be transposed
/// the same way, or be a constant (brought to the full rank and transposed
/// at compile time), or hold a single element.
struct SinkThroughBinary final : RewritePattern {
  SinkThroughBinary(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<AddOp, SubOp, MulOp, DivOp, PowOp, MaxOp, MinOp>(op))
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t rank = resultType.getRank();
    // The permutation: from an operand transpose of the full rank.
    ArrayRef<int64_t> perm;
    for (Value operand : op->getOperands())
      if (auto t = operand.getDefiningOp<TransposeOp>())
        if (t.getType().getRank() == rank && t->hasOneUse()) {
          perm = t.getPerm();
          break;
        }
    if (perm.empty())
      return rewriter.notifyMatchFailure(op, "no transposed operand");
    SmallVector<int64_t> back = inverse(perm);
    Location loc = op->getLoc();
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      auto type = cast<RankedTensorType>(operand.getType());
      if (auto t = operand.getDefiningOp<TransposeOp>();
          t && t.getPerm() == perm && t.getType().getRank() == rank) {
        operands.push_back(t.getInput());
        continue;
      }
      if (type.hasStaticShape() && type.getNumElements() == 1) {
        operands.push_back(operand);
        continue;
      }
      if (!operand.getDefiningOp<ConstantOp>() || !type.hasStaticShape())
        return rewriter.notifyMatchFailure(op, "other operand would need a "
                                               "transpose at run time");
      // Right-aligned broadcasting: the constant gets leading unit
      // dimensions, then the inverse permutation (both fold).
      Value full = operand;
      if (type.getRank() < rank) {
        SmallVector<int64_t> shape(rank - type.getRank(), 1);
        llvm::append_range(shape, type.getShape());
        full = ReshapeOp::create(rewriter, loc, type.clone(shape), operand,
                                 rewriter.getDenseI64ArrayAttr(shape));
      }
      operands.push_back(transpose(rewriter, loc, full, back));
    }
    Operation *moved = rewriter.clone(*op);
    moved->setOperands(operands);
    moved->getResult(0).setType(permuted(resultType, back));
    rewriter.replaceOp(op, transpose(rewriter, loc, moved->getResult(0), perm));
    return success();
  }
};

/// concat(transpose(x_i, p), axis) -> transpose(concat(x_i, p[axis]), p).
struct SinkThroughConcat final : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> perm;
    SmallVector<Value> inputs;
    for (Value input : op.getInputs()) {
      auto t = input.getDefiningOp<TransposeOp>();
      if (!t || !t->hasOneUse() || (!perm.empty() && t.getPerm() != perm))
        return rewriter.notifyMatchFailure(op, "inputs are not transposed "
                                               "the same way");
      perm = t.getPerm();
      inputs.push_back(t.getInput());
    }
    int64_t rank = op.getType().getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    SmallVector<int64_t> back = inverse(perm);
    auto concat =
        ConcatOp::create(rewriter, op.getLoc(), permuted(op.getType(), back),
                         inputs, rewriter.getI64IntegerAttr(perm[axis]));
    rewriter.replaceOp(op, transpose(rewriter, op.getLoc(), concat, perm));
    return success();
  }
};

/// pad(transpose(x, p)) -> transpose(pad'(x), p), the pads permuted.
struct SinkThroughPad final : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    auto t = op.getInput().getDefiningOp<TransposeOp>();
    if (!t || !t->hasOneUse())
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    ArrayRef<int64_t> perm = t.getPerm();
    int64_t rank = perm.size();
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> moved(2 * rank);
    for (int64_t i = 0; i < rank; ++i) {
      moved[perm[i]] = pads[i];
      moved[rank + perm[i]] = pads[rank + i];
    }
    SmallVector<int64_t> back = inverse(perm);
    auto pad =
        PadOp::create(rewriter, op.getLoc(), permuted(op.getType(), back),
                      t.getInput(), rewriter.getDenseI64ArrayAttr(moved),
                      op.getModeAttr(), op.getValueAttr());
    rewriter.replaceOp(op, transpose(rewriter, op.getLoc(), pad, perm));
    return success();
  }
};

/// The groups of a static reshape that only splits dimensions (`split`) or
/// only merges them: for each dimension of the smaller-rank side, the
/// dimensions of the larger-rank side it corresponds to, in order.
static std::optional<SmallVector<ReassociationIndices>>
reshapeGroups(ReshapeOp op, bool split) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  auto out = cast<RankedTensorType>(op.getType());
  if (!in.hasStaticShape() || !out.hasStaticShape())
    return std::nullopt;
  RankedTensorType larger = split ? out : in, smaller = split ? in : out;
  if (larger.getRank() <= smaller.getRank() || smaller.getRank() == 0)
    return std::nullopt;
  return getReassociationIndicesForReshape(larger, smaller);
}

static Value reshape(PatternRewriter &rewriter, Location loc, Value value,
                     ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  return ReshapeOp::create(rewriter, loc, type.clone(shape), value,
                           rewriter.getDenseI64ArrayAttr(shape));
}

/// reshape(transpose(x, p)) that splits dimensions ->
/// transpose(reshape'(x), p'): x's dimensions are split instead, and the
/// transpose moves the pieces together. A channel shuffle on NHWC values
/// (NCHW view, split of C, swap, merge) needs this to meet the transposes
/// around it.
struct SinkThroughSplit final : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto t = op.getInput().getDefiningOp<TransposeOp>();
    if (!t || !t->hasOneUse())
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    std::optional<SmallVector<ReassociationIndices>> groups =
        reshapeGroups(op, /*split=*/true);
    if (!groups)
      return rewriter.notifyMatchFailure(op, "not a static split");
    ArrayRef<int64_t> perm = t.getPerm();
    ArrayRef<int64_t> outShape = op.getType().getShape();
    int64_t rank = perm.size();
    SmallVector<int64_t> back = inverse(perm);
    // x's dimension i is the transposed dimension back[i], split into the
    // extents of its group; offsets[i]: where its pieces start in x'.
    SmallVector<int64_t> shape, offsets(rank);
    for (int64_t i = 0; i < rank; ++i) {
      offsets[i] = shape.size();
      for (int64_t d : (*groups)[back[i]])
        shape.push_back(outShape[d]);
    }
    SmallVector<int64_t> newPerm;
    for (int64_t j = 0; j < rank; ++j)
      for (size_t k = 0; k < (*groups)[j].size(); ++k)
        newPerm.push_back(offsets[perm[j]] + k);
    Location loc = op.getLoc();
    Value split = reshape(rewriter, loc, t.getInput(), shape);
    rewriter.replaceOp(op, transpose(rewriter, loc, split, newPerm));
    return success();
  }
};

/// transpose(reshape(transpose(x))) whose reshape merges dimensions that
/// the outer transpose keeps together -> reshape'(transpose'(x)): the two
/// transposes compose into one before the merge.
struct HoistAboveMerge final : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto merge = op.getInput().getDefiningOp<ReshapeOp>();
    if (!merge || !merge->hasOneUse() ||
        !merge.getInput().getDefiningOp<TransposeOp>())
      return rewriter.notifyMatchFailure(op, "not after a merge of a "
                                             "transpose");
    std::optional<SmallVector<ReassociationIndices>> groups =
        reshapeGroups(merge, /*split=*/false);
    if (!groups)
      return rewriter.notifyMatchFailure(op, "not a static merge");
    SmallVector<int64_t> newPerm;
    for (int64_t p : op.getPerm())
      llvm::append_range(newPerm, (*groups)[p]);
    Location loc = op.getLoc();
    Value moved = transpose(rewriter, loc, merge.getInput(), newPerm);
    rewriter.replaceOp(op,
                       reshape(rewriter, loc, moved, op.getType().getShape()));
    return success();
  }
};
} // namespace

void mlir::infer::populateNHWCLayoutPatterns(RewritePatternSet &patterns) {
  patterns.add<ToNHWC<Conv2DOp>, ToNHWC<ConvTransposeOp>, ToNHWC<MaxPoolOp>,
               ToNHWC<AvgPoolOp>, ToNHWC<GlobalAvgPoolOp>, ToNHWC<BatchNormOp>>(
      patterns.getContext());
}

void mlir::infer::populateSinkTransposePatterns(RewritePatternSet &patterns) {
  patterns.add<SinkThroughUnary, SinkThroughBinary, SinkThroughConcat,
               SinkThroughPad, SinkThroughSplit, HoistAboveMerge>(
      patterns.getContext());
}

namespace {
struct ConvertLayoutPass final
    : infer::impl::ConvertLayoutPassBase<ConvertLayoutPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    populateNHWCLayoutPatterns(patterns);
    populateSinkTransposePatterns(patterns);
    // Transposes compose and fold (constants included) as they meet.
    TransposeOp::getCanonicalizationPatterns(patterns, ctx);
    ReshapeOp::getCanonicalizationPatterns(patterns, ctx);
    applyPatternsToFixpoint(getOperation(), std::move(patterns),
                            "infer-convert-layout");
  }
};
} // namespace
