//===- Normalization.cpp - batch_norm, layer_norm, softmax ----------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Normalizations become short chains of linalg.generic ops: reductions into
// per-row statistics, then one elementwise pass that reads the statistics
// through projected indexing maps. Softmax subtracts the row maximum first,
// so exp never overflows.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "infer/Dialect/Infer/IR/InferOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::infer;

namespace {
struct BatchNormLowering final : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = type.getRank();
    int64_t channelDim = op.getLayout() == Layout::NHWC ? rank - 1 : 1;
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(channelDim, ctx));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    double epsilon = op.getEpsilon().convertToDouble();
    Value input = adaptor.getInput();
    rewriter.replaceOp(
        op, mapWith(rewriter, loc, input, type,
                    ValueRange{input, adaptor.getScale(), adaptor.getBias(),
                               adaptor.getMean(), adaptor.getVariance()},
                    {identity, channel, channel, channel, channel},
                    [&](OpBuilder &b, Location l, ValueRange a) {
                      // (x - mean) * scale / sqrt(var + eps) + bias
                      Value eps = scalarConstant(b, l, a[0].getType(), epsilon);
                      Value stddev = math::SqrtOp::create(
                          b, l, arith::AddFOp::create(b, l, a[4], eps));
                      Value norm = arith::DivFOp::create(
                          b, l, arith::SubFOp::create(b, l, a[0], a[3]),
                          stddev);
                      return arith::AddFOp::create(
                                 b, l, arith::MulFOp::create(b, l, norm, a[1]),
                                 a[2])
                          .getResult();
                    }));
    return success();
  }
};

struct LayerNormLowering final : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    SmallVector<int64_t> normalized =
        llvm::to_vector(llvm::seq<int64_t>(axis, rank));
    Type elementType = type.getElementType();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap rowMap = dropDims(ctx, rank, normalized);

    Value n = countOf(rewriter, loc, x, normalized, elementType);
    Value zero = scalarConstant(rewriter, loc, elementType, 0);

    Value sum =
        reduceWith(rewriter, loc, x, {identity}, normalized, zero,
                   [](OpBuilder &b, Location l, Value acc, ValueRange a) {
                     return createAdd(b, l, acc, a[0]);
                   });
    Value squares = reduceWith(
        rewriter, loc, ValueRange{x, sum}, {identity, rowMap}, normalized, zero,
        [&](OpBuilder &b, Location l, Value acc, ValueRange a) {
          Value mean = arith::DivFOp::create(b, l, a[1], n);
          Value d = arith::SubFOp::create(b, l, a[0], mean);
          return createAdd(b, l, acc, arith::MulFOp::create(b, l, d, d));
        });
    double epsilon = op.getEpsilon().convertToDouble();
    SmallVector<Value> inputs = {x, sum, squares, adaptor.getScale()};
    SmallVector<AffineMap> maps = {
        identity, rowMap, rowMap,
        broadcastMap(cast<RankedTensorType>(adaptor.getScale().getType()),
                     type)};
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(
          broadcastMap(cast<RankedTensorType>(bias.getType()), type));
    }
    rewriter.replaceOp(
        op, mapWith(rewriter, loc, x, type, inputs, maps,
                    [&](OpBuilder &b, Location l, ValueRange a) {
                      Value mean = arith::DivFOp::create(b, l, a[1], n);
                      Value var = arith::DivFOp::create(b, l, a[2], n);
                      Value eps = scalarConstant(b, l, elementType, epsilon);
                      Value stddev = math::SqrtOp::create(
                          b, l, arith::AddFOp::create(b, l, var, eps));
                      Value y = arith::MulFOp::create(
                          b, l,
                          arith::DivFOp::create(
                              b, l, arith::SubFOp::create(b, l, a[0], mean),
                              stddev),
                          a[3]);
                      if (a.size() > 4)
                        y = arith::AddFOp::create(b, l, y, a[4]);
                      return y;
                    }));
    return success();
  }
};

template <typename OpTy>
struct SoftmaxLowering final : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    constexpr bool isLog = std::is_same_v<OpTy, LogSoftmaxOp>;
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*this->getTypeConverter(), op);
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    Type elementType = type.getElementType();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap rowMap = dropDims(ctx, rank, {axis});
    Value max =
        reduceWith(rewriter, loc, x, {identity}, {axis},
                   lowestValue(rewriter, loc, elementType),
                   [](OpBuilder &b, Location l, Value acc, ValueRange a) {
                     return createMax(b, l, acc, a[0]);
                   });
    Value sum =
        reduceWith(rewriter, loc, ValueRange{x, max}, {identity, rowMap},
                   {axis}, scalarConstant(rewriter, loc, elementType, 0),
                   [](OpBuilder &b, Location l, Value acc, ValueRange a) {
                     Value e = math::ExpOp::create(
                         b, l, arith::SubFOp::create(b, l, a[0], a[1]));
                     return createAdd(b, l, acc, e);
                   });
    rewriter.replaceOp(
        op, mapWith(rewriter, loc, x, type, ValueRange{x, max, sum},
                    {identity, rowMap, rowMap},
                    [](OpBuilder &b, Location l, ValueRange a) -> Value {
                      Value shifted = arith::SubFOp::create(b, l, a[0], a[1]);
                      if constexpr (isLog)
                        return arith::SubFOp::create(
                            b, l, shifted, math::LogOp::create(b, l, a[2]));
                      Value e = math::ExpOp::create(b, l, shifted);
                      return arith::DivFOp::create(b, l, e, a[2]);
                    }));
    return success();
  }
};
} // namespace

void mlir::infer::populateNormalizationPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, LayerNormLowering, SoftmaxLowering<SoftmaxOp>,
               SoftmaxLowering<LogSoftmaxOp>>(converter, patterns.getContext());
}
