//===- Horizontal.cpp - sibling matmuls become one ------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Horizontal fusion (infer-fuse): matmuls that read the same input with
// constant weights of the same depth, as the Q, K and V projections of an
// attention layer do, become one matmul of the weights concatenated along
// the columns, one bias add when each had one, and a slice per sibling. The
// input is read once and one wider kernel runs instead of several narrow
// ones. Needs verified infer IR with f32 constant weights.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::infer;

namespace {
/// One sibling: the matmul, its weight values, and its bias add if any.
struct Sibling {
  MatMulOp matmul;
  std::vector<float> weight;
  int64_t columns = 0;
  AddOp bias;
  std::vector<float> biasValues;
};

/// The constant bias `add(matmul, b)` (either order) with `b` of shape
/// `[columns]`, when it is the matmul's only user.
static AddOp matchBias(MatMulOp matmul, int64_t columns,
                       std::vector<float> &values) {
  if (!matmul->hasOneUse())
    return {};
  auto add = dyn_cast<AddOp>(*matmul->getUsers().begin());
  if (!add || add.getType() != matmul.getType())
    return {};
  Value other =
      add.getLhs() == matmul.getResult() ? add.getRhs() : add.getLhs();
  auto type = dyn_cast<RankedTensorType>(other.getType());
  if (!type || type.getRank() != 1 || type.getDimSize(0) != columns)
    return {};
  FailureOr<std::vector<float>> v = getF32Values(other);
  if (failed(v))
    return {};
  values = std::move(*v);
  return add;
}

struct MergeSiblingMatmuls final : OpRewritePattern<MatMulOp> {
  MergeSiblingMatmuls(MLIRContext *ctx, bool report)
      : OpRewritePattern(ctx), report(report) {}

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getLhs();
    auto resultType = dyn_cast<RankedTensorType>(op.getType());
    auto weightType = dyn_cast<RankedTensorType>(op.getRhs().getType());
    if (!resultType || !weightType || weightType.getRank() != 2 ||
        !weightType.hasStaticShape() || resultType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "not a matmul by a 2-D weight");
    int64_t depth = weightType.getDimSize(0);
    // The siblings, in program order; the pattern fires on the first.
    SmallVector<MatMulOp> matmuls;
    for (Operation *user : input.getUsers()) {
      auto other = dyn_cast<MatMulOp>(user);
      if (!other || other.getLhs() != input ||
          other->getBlock() != op->getBlock() ||
          llvm::is_contained(matmuls, other))
        continue;
      auto type = dyn_cast<RankedTensorType>(other.getRhs().getType());
      auto result = dyn_cast<RankedTensorType>(other.getType());
      if (!type || !result || type.getRank() != 2 || !type.hasStaticShape() ||
          type.getDimSize(0) != depth ||
          result.getRank() != resultType.getRank() ||
          result.getShape().drop_back() != resultType.getShape().drop_back())
        continue;
      matmuls.push_back(other);
    }
    if (matmuls.size() < 2)
      return rewriter.notifyMatchFailure(op, "no sibling matmul");
    llvm::sort(matmuls,
               [](MatMulOp a, MatMulOp b) { return a->isBeforeInBlock(b); });
    if (matmuls.front() != op)
      return rewriter.notifyMatchFailure(op, "not the first sibling");

    SmallVector<Sibling> siblings;
    for (MatMulOp matmul : matmuls) {
      FailureOr<std::vector<float>> weight = getF32Values(matmul.getRhs());
      if (failed(weight))
        continue;
      Sibling s;
      s.matmul = matmul;
      s.weight = std::move(*weight);
      s.columns =
          cast<RankedTensorType>(matmul.getRhs().getType()).getDimSize(1);
      s.bias = matchBias(matmul, s.columns, s.biasValues);
      siblings.push_back(std::move(s));
    }
    if (siblings.size() < 2 || siblings.front().matmul != op)
      return rewriter.notifyMatchFailure(op, "fewer than two constant weights");
    bool biased = llvm::all_of(
        siblings, [](const Sibling &s) { return static_cast<bool>(s.bias); });

    int64_t columns = 0;
    for (const Sibling &s : siblings)
      columns += s.columns;
    std::vector<float> weight(depth * columns);
    std::vector<float> bias;
    int64_t offset = 0;
    for (const Sibling &s : siblings) {
      for (int64_t k = 0; k < depth; ++k)
        std::copy_n(s.weight.begin() + k * s.columns, s.columns,
                    weight.begin() + k * columns + offset);
      if (biased)
        bias.insert(bias.end(), s.biasValues.begin(), s.biasValues.end());
      offset += s.columns;
    }

    SmallVector<Location> locs;
    for (Sibling &s : siblings)
      locs.push_back(s.matmul.getLoc());
    Location loc = rewriter.getFusedLoc(locs);
    rewriter.setInsertionPoint(op);
    auto wideWeightType =
        RankedTensorType::get({depth, columns}, rewriter.getF32Type());
    Value w = makeF32Constant(rewriter, loc, wideWeightType, weight,
                              "horizontal_weight");
    SmallVector<int64_t> shape(resultType.getShape());
    shape.back() = columns;
    auto wideType = RankedTensorType::get(shape, resultType.getElementType());
    Value wide = MatMulOp::create(rewriter, loc, wideType, input, w);
    if (biased) {
      Value b = makeF32Constant(
          rewriter, loc,
          RankedTensorType::get({columns}, rewriter.getF32Type()), bias,
          "horizontal_bias");
      wide = AddOp::create(rewriter, loc, wideType, wide, b);
    }
    int64_t axis = resultType.getRank() - 1;
    offset = 0;
    for (Sibling &s : siblings) {
      Operation *replaced = biased ? s.bias.getOperation() : s.matmul;
      Value slice = SliceOp::create(
          rewriter, s.matmul.getLoc(), replaced->getResult(0).getType(), wide,
          rewriter.getDenseI64ArrayAttr({offset}),
          rewriter.getDenseI64ArrayAttr({offset + s.columns}),
          rewriter.getDenseI64ArrayAttr({axis}), DenseI64ArrayAttr());
      rewriter.replaceOp(replaced, slice);
      if (biased)
        rewriter.eraseOp(s.matmul);
      offset += s.columns;
    }
    if (report)
      emitRemark(loc, llvm::formatv(
                          "infer-fuse: {0} sibling matmuls reading {1} merged "
                          "into one with {2} columns{3}: the input is read "
                          "once, {0} kernels become 1",
                          siblings.size(), input.getType(), columns,
                          biased ? " and one bias add" : ""));
    return success();
  }

  bool report;
};
} // namespace

void mlir::infer::populateHorizontalFusionPatterns(RewritePatternSet &patterns,
                                                   bool report) {
  patterns.add<MergeSiblingMatmuls>(patterns.getContext(), report);
}
