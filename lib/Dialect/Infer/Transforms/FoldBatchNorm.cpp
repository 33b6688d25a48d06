//===- FoldBatchNorm.cpp - batch normalization into convolution weights ---===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// batch_norm(conv2d(x, W, b)) with constant statistics is conv2d(x, W', b'):
// with s = scale / sqrt(var + eps), W'[f] = W[f] * s[f] and
// b'[f] = (b[f] - mean[f]) * s[f] + bias[f]. Computed once, at compile time,
// in float64 and rounded to the weights' f32.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::infer;

FailureOr<std::vector<float>> mlir::infer::getF32Values(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return failure();
  ElementsAttr attr = constant.getValue();
  auto type = cast<ShapedType>(attr.getType());
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return failure();
  int64_t n = type.getNumElements();
  std::vector<float> values(n);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat()) {
      std::fill(values.begin(), values.end(), dense.getSplatValue<float>());
      return values;
    }
    auto range = dense.getValues<float>();
    std::copy(range.begin(), range.end(), values.begin());
    return values;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != n * sizeof(float))
      return failure();
    std::memcpy(values.data(), blob->getData().data(), n * sizeof(float));
    return values;
  }
  return failure();
}

Value mlir::infer::makeF32Constant(OpBuilder &rewriter, Location loc,
                                   RankedTensorType type,
                                   const std::vector<float> &values,
                                   StringRef hint) {
  ElementsAttr attr;
  if (values.size() <= 64) {
    attr = DenseElementsAttr::get(type, ArrayRef<float>(values));
  } else {
    ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                         values.size() * sizeof(float));
    attr = DenseResourceElementsAttr::get(
        type, hint, HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64));
  }
  return ConstantOp::create(rewriter, loc, type, attr);
}

namespace {
struct FoldBatchNormIntoConv final : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<Conv2DOp>();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a convolution "
                                             "used only here");
    if (conv.getLayout() != bn.getLayout())
      return rewriter.notifyMatchFailure(bn, "layouts differ");
    FailureOr<std::vector<float>> weight = getF32Values(conv.getWeight());
    FailureOr<std::vector<float>> scale = getF32Values(bn.getScale());
    FailureOr<std::vector<float>> shift = getF32Values(bn.getBias());
    FailureOr<std::vector<float>> mean = getF32Values(bn.getMean());
    FailureOr<std::vector<float>> var = getF32Values(bn.getVariance());
    if (failed(weight) || failed(scale) || failed(shift) || failed(mean) ||
        failed(var))
      return rewriter.notifyMatchFailure(bn, "weights or statistics are not "
                                             "f32 constants");
    std::vector<float> bias(scale->size(), 0.0f);
    if (Value b = conv.getBias()) {
      FailureOr<std::vector<float>> values = getF32Values(b);
      if (failed(values))
        return rewriter.notifyMatchFailure(bn, "bias is not a constant");
      bias = *values;
    }
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    int64_t filters = weightType.getDimSize(0);
    if (static_cast<int64_t>(scale->size()) != filters ||
        bias.size() != scale->size())
      return rewriter.notifyMatchFailure(bn, "channel counts differ");
    int64_t perFilter = weightType.getNumElements() / filters;
    double epsilon = bn.getEpsilon().convertToDouble();
    for (int64_t f = 0; f < filters; ++f) {
      double s = double((*scale)[f]) / std::sqrt(double((*var)[f]) + epsilon);
      for (int64_t i = 0; i < perFilter; ++i) {
        float &w = (*weight)[f * perFilter + i];
        w = static_cast<float>(double(w) * s);
      }
      bias[f] =
          static_cast<float>((double(bias[f]) - (*mean)[f]) * s + (*shift)[f]);
    }
    Location loc = conv.getLoc();
    Value newWeight =
        makeF32Constant(rewriter, loc, weightType, *weight, "folded_weight");
    auto biasType = RankedTensorType::get({filters}, rewriter.getF32Type());
    Value newBias =
        makeF32Constant(rewriter, loc, biasType, bias, "folded_bias");
    // Both locations are read before the ops go.
    Location fused = rewriter.getFusedLoc({conv.getLoc(), bn.getLoc()});
    auto folded = rewriter.replaceOpWithNewOp<Conv2DOp>(
        bn, bn.getType(), conv.getInput(), newWeight, newBias,
        conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        conv.getGroupAttr(), conv.getLayoutAttr());
    folded->setLoc(fused);
    rewriter.eraseOp(conv);
    return success();
  }
};
} // namespace

void mlir::infer::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldBatchNormIntoConv>(patterns.getContext());
}
