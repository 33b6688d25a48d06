//===- Compute.cpp - convolutions, products, pooling, reductions ----------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The compute-heavy ops map onto linalg named ops wherever one exists, so that
// tiling, vectorization and library-call lowering recognize them; padding is
// an explicit tensor.pad that later passes can fold or fuse.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "infer/Dialect/Infer/IR/InferOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::infer;

static DenseIntElementsAttr i64Vector(OpBuilder &b, ArrayRef<int64_t> values) {
  return b.getI64TensorAttr(values);
}

/// An (N, F, OH, OW) accumulator (or (N, OH, OW, F) with the channels at
/// `channelDim` 3): the bias broadcast over batch and space, or zeros.
static Value convAccumulator(OpBuilder &b, Location loc, RankedTensorType type,
                             ArrayRef<OpFoldResult> sizes, Value bias,
                             int64_t channelDim = 1) {
  Type elementType = type.getElementType();
  if (!bias)
    return createFilled(b, loc, type, sizes,
                        scalarConstant(b, loc, elementType, 0));
  Value init = createEmpty(b, loc, type, sizes);
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {
      AffineMap::get(4, 0, getAffineDimExpr(channelDim, ctx)),
      b.getMultiDimIdentityMap(4)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, bias, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl, castForAccumulation(nb, nl, args[0], elementType));
             })
      .getResult(0);
}

/// `value` transposed by `perm` (result dim i = source dim perm[i]).
static Value transposed(OpBuilder &b, Location loc, Value value,
                        ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes;
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    sizes.push_back(getDimSize(b, loc, value, p));
    shape.push_back(type.getDimSize(p));
  }
  Value init = createEmpty(b, loc, type.clone(shape), sizes);
  return linalg::TransposeOp::create(b, loc, value, init, perm).getResult()[0];
}

/// A convolution in NHWC: the filter is transposed to what the named op
/// reads (a constant filter folds at compile time), the padding is explicit.
static Value lowerConvNHWC(ConversionPatternRewriter &rewriter, Conv2DOp op,
                           RankedTensorType type, Value input, Value weight,
                           Value bias) {
  Location loc = op.getLoc();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  ArrayRef<int64_t> pads = op.getPads();
  Value zero = scalarConstant(rewriter, loc, inputType.getElementType(), 0);
  Value padded = padConstant(rewriter, loc, input, {0, pads[0], pads[1], 0},
                             {0, pads[2], pads[3], 0}, zero);
  SmallVector<OpFoldResult> sizes = {getDimSize(rewriter, loc, input, 0)};
  for (int64_t i = 1; i < 4; ++i)
    sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
  Value init = convAccumulator(rewriter, loc, type, sizes, bias, 3);
  auto strides = i64Vector(rewriter, op.getStrides());
  auto dilations = i64Vector(rewriter, op.getDilations());
  int64_t group = op.getGroup();
  int64_t channels = inputType.getDimSize(3);
  int64_t filters = weightType.getDimSize(0);
  if (group == 1) {
    // F x C x KH x KW -> KH x KW x C x F.
    Value hwcf = transposed(rewriter, loc, weight, {2, 3, 1, 0});
    return linalg::Conv2DNhwcHwcfOp::create(rewriter, loc, TypeRange{type},
                                            ValueRange{padded, hwcf}, init,
                                            strides, dilations)
        .getResult(0);
  }
  if (group == channels && filters == channels) {
    // C x 1 x KH x KW -> KH x KW x C.
    Value chw = tensor::CollapseShapeOp::create(
        rewriter, loc, weight,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    Value hwc = transposed(rewriter, loc, chw, {1, 2, 0});
    return linalg::DepthwiseConv2DNhwcHwcOp::create(
               rewriter, loc, TypeRange{type}, ValueRange{padded, hwc}, init,
               strides, dilations)
        .getResult(0);
  }
  // Grouped: N x H x W x (G, C/G) and (G, F/G) x KH x KW x C/G.
  int64_t cg = channels / group, fg = filters / group;
  auto paddedType = cast<RankedTensorType>(padded.getType());
  auto expand = [&](Value v, RankedTensorType t, int64_t dim, int64_t inner,
                    ArrayRef<OpFoldResult> shape) -> Value {
    SmallVector<int64_t> newShape(t.getShape());
    newShape[dim] = inner;
    newShape.insert(newShape.begin() + dim, group);
    SmallVector<ReassociationIndices> groups;
    for (int64_t i = 0, j = 0; i < t.getRank(); ++i) {
      if (i == dim) {
        groups.push_back({j, j + 1});
        j += 2;
      } else {
        groups.push_back({j++});
      }
    }
    return tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(newShape, t.getElementType()), v,
        groups, shape);
  };
  auto mixedWithGroup = [&](Value v, int64_t dim, int64_t inner) {
    SmallVector<OpFoldResult> shape = tensor::getMixedSizes(rewriter, loc, v);
    shape[dim] = rewriter.getIndexAttr(inner);
    shape.insert(shape.begin() + dim, rewriter.getIndexAttr(group));
    return shape;
  };
  Value in5 = expand(padded, paddedType, 3, cg, mixedWithGroup(padded, 3, cg));
  Value w5 = expand(weight, weightType, 0, fg, mixedWithGroup(weight, 0, fg));
  // G x F/G x C/G x KH x KW -> G x F/G x KH x KW x C/G.
  Value gfhwc = transposed(rewriter, loc, w5, {0, 1, 3, 4, 2});
  auto outType = RankedTensorType::get(
      {type.getDimSize(0), type.getDimSize(1), type.getDimSize(2), group, fg},
      type.getElementType());
  Value init5 = expand(init, type, 3, fg, mixedWithGroup(init, 3, fg));
  Value conv = linalg::Conv2DNhwgcGfhwcOp::create(
                   rewriter, loc, TypeRange{outType}, ValueRange{in5, gfhwc},
                   init5, strides, dilations)
                   .getResult(0);
  return tensor::CollapseShapeOp::create(
      rewriter, loc, type, conv,
      ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
}

namespace {
struct Conv2DLowering final : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    if (std::optional<std::string> why = getInferToLinalgLimitation(op))
      return rewriter.notifyMatchFailure(op, *why);
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (op.getLayout() == Layout::NHWC) {
      rewriter.replaceOp(op, lowerConvNHWC(rewriter, op, type, input, weight,
                                           adaptor.getBias()));
      return success();
    }

    ArrayRef<int64_t> pads = op.getPads();
    Value zero = scalarConstant(rewriter, loc, inputType.getElementType(), 0);
    Value padded = padConstant(rewriter, loc, input, {0, 0, pads[0], pads[1]},
                               {0, 0, pads[2], pads[3]}, zero);
    SmallVector<OpFoldResult> sizes = {getDimSize(rewriter, loc, input, 0)};
    for (int64_t i = 1; i < 4; ++i)
      sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
    Value init = convAccumulator(rewriter, loc, type, sizes, adaptor.getBias());
    auto strides = i64Vector(rewriter, op.getStrides());
    auto dilations = i64Vector(rewriter, op.getDilations());

    int64_t group = op.getGroup();
    int64_t channels = inputType.getDimSize(1);
    int64_t filters = weightType.getDimSize(0);
    Value result;
    if (group == 1) {
      result = linalg::Conv2DNchwFchwOp::create(rewriter, loc, TypeRange{type},
                                                ValueRange{padded, weight},
                                                init, strides, dilations)
                   .getResult(0);
    } else if (group == channels && filters == channels) {
      // Depthwise: F x 1 x KH x KW -> C x KH x KW.
      Value kernel = tensor::CollapseShapeOp::create(
          rewriter, loc, weight,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
      result = linalg::DepthwiseConv2DNchwChwOp::create(
                   rewriter, loc, TypeRange{type}, ValueRange{padded, kernel},
                   init, strides, dilations)
                   .getResult(0);
    } else {
      // Grouped: split channels into (group, channels / group).
      auto split = [&](Value value, int64_t dim, int64_t outer,
                       ArrayRef<OpFoldResult> shape) {
        auto t = cast<RankedTensorType>(value.getType());
        SmallVector<int64_t> newShape(t.getShape());
        newShape[dim] = t.getDimSize(dim) / outer;
        newShape.insert(newShape.begin() + dim, outer);
        SmallVector<ReassociationIndices> groups;
        for (int64_t i = 0, j = 0; i < t.getRank(); ++i) {
          if (i == dim) {
            groups.push_back({j, j + 1});
            j += 2;
          } else {
            groups.push_back({j++});
          }
        }
        return tensor::ExpandShapeOp::create(
            rewriter, loc, RankedTensorType::get(newShape, t.getElementType()),
            value, groups, shape);
      };
      auto mixed = [&](Value value, int64_t dim, int64_t outer) {
        SmallVector<OpFoldResult> shape =
            tensor::getMixedSizes(rewriter, loc, value);
        int64_t inner =
            cast<RankedTensorType>(value.getType()).getDimSize(dim) / outer;
        shape[dim] = rewriter.getIndexAttr(inner);
        shape.insert(shape.begin() + dim, rewriter.getIndexAttr(outer));
        return shape;
      };
      Value groupedInput = split(padded, 1, group, mixed(padded, 1, group));
      Value groupedWeight = split(weight, 0, group, mixed(weight, 0, group));
      Value groupedInit = split(init, 1, group, mixed(init, 1, group));
      Value conv = linalg::Conv2DNgchwGfchwOp::create(
                       rewriter, loc, TypeRange{groupedInit.getType()},
                       ValueRange{groupedInput, groupedWeight}, groupedInit,
                       strides, dilations)
                       .getResult(0);
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, type, conv,
          ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A contraction `out[b..., m, n] += lhs[b..., m, k] * rhs[b..., k, n]` as a
/// linalg.generic, with batch broadcasting and optional transposes.
Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value init, int64_t batchRank, bool transLhs,
                       bool transRhs) {
  MLIRContext *ctx = b.getContext();
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t loops = batchRank + 3;
  AffineExpr m = getAffineDimExpr(batchRank, ctx);
  AffineExpr n = getAffineDimExpr(batchRank + 1, ctx);
  AffineExpr k = getAffineDimExpr(batchRank + 2, ctx);
  auto operandMap = [&](Value v, AffineExpr row, AffineExpr col) {
    auto t = cast<RankedTensorType>(v.getType());
    int64_t rank = t.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0; j < rank - 2; ++j) {
      int64_t i = j + batchRank - (rank - 2);
      bool broadcast = t.getDimSize(j) == 1 && outType.getDimSize(i) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(i, ctx));
    }
    exprs.push_back(row);
    exprs.push_back(col);
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < batchRank; ++i)
    outExprs.push_back(getAffineDimExpr(i, ctx));
  outExprs.append({m, n});
  SmallVector<AffineMap> maps = {
      transLhs ? operandMap(lhs, k, m) : operandMap(lhs, m, k),
      transRhs ? operandMap(rhs, n, k) : operandMap(rhs, k, n),
      AffineMap::get(loops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  Type accType = outType.getElementType();
  return linalg::GenericOp::create(
             b, loc, outType, ValueRange{lhs, rhs}, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value product = createMul(
                   nb, nl, castForAccumulation(nb, nl, args[0], accType),
                   castForAccumulation(nb, nl, args[1], accType));
               linalg::YieldOp::create(nb, nl,
                                       createAdd(nb, nl, args[2], product));
             })
      .getResult(0);
}

struct MatMulLowering final : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    if (std::optional<std::string> why = getInferToLinalgLimitation(op))
      return rewriter.notifyMatchFailure(op, *why);
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Type accType = type.getElementType();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    Value zero = scalarConstant(rewriter, loc, accType, 0);

    // Promote vectors to matrices: [K] -> [1, K] and [K] -> [K, 1].
    auto promote = [&](Value v, bool front) {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape = {t.getDimSize(0)};
      shape.insert(front ? shape.begin() : shape.end(), 1);
      SmallVector<OpFoldResult> sizes = {getDimSize(rewriter, loc, v, 0)};
      sizes.insert(front ? sizes.begin() : sizes.end(),
                   rewriter.getIndexAttr(1));
      return reshapeTo(rewriter, loc, v,
                       RankedTensorType::get(shape, t.getElementType()), sizes);
    };
    if (lhsType.getRank() == 1)
      lhs = promote(lhs, /*front=*/true);
    if (rhsType.getRank() == 1)
      rhs = promote(rhs, /*front=*/false);
    lhsType = cast<RankedTensorType>(lhs.getType());
    rhsType = cast<RankedTensorType>(rhs.getType());
    int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
    OpFoldResult m = getDimSize(rewriter, loc, lhs, lhsRank - 2);
    OpFoldResult n = getDimSize(rewriter, loc, rhs, rhsRank - 1);

    Value result;
    if (rhsRank == 2) {
      // Fold every leading dimension of lhs into M: one linalg.matmul.
      SmallVector<OpFoldResult> lhsSizes =
          tensor::getMixedSizes(rewriter, loc, lhs);
      OpFoldResult rows =
          productOf(rewriter, loc, ArrayRef(lhsSizes).drop_back());
      std::optional<int64_t> staticRows = getConstantIntValue(rows);
      auto flatType = RankedTensorType::get(
          {staticRows ? *staticRows : ShapedType::kDynamic,
           lhsType.getDimSize(lhsRank - 1)},
          lhsType.getElementType());
      Value flatLhs =
          reshapeTo(rewriter, loc, lhs, flatType, {rows, lhsSizes.back()});
      auto outType = RankedTensorType::get(
          {flatType.getDimSize(0), rhsType.getDimSize(1)}, accType);
      Value init = createFilled(rewriter, loc, outType, {rows, n}, zero);
      Value product =
          linalg::MatmulOp::create(rewriter, loc, TypeRange{outType},
                                   ValueRange{flatLhs, rhs}, init)
              .getResult(0);
      SmallVector<OpFoldResult> outSizes(ArrayRef(lhsSizes).drop_back());
      outSizes.push_back(n);
      SmallVector<int64_t> outShape(lhsType.getShape().drop_back());
      outShape.push_back(rhsType.getDimSize(1));
      result = reshapeTo(rewriter, loc, product,
                         RankedTensorType::get(outShape, accType), outSizes);
    } else {
      // Batched, with numpy broadcasting of the batch dimensions.
      int64_t batchRank = std::max(lhsRank, rhsRank) - 2;
      auto batchOf = [&](RankedTensorType t) {
        return RankedTensorType::get(t.getShape().drop_back(2),
                                     t.getElementType());
      };
      // The batch of the result: the broadcast of the operands' batches
      // (statically where known, the larger extent at run time otherwise).
      SmallVector<int64_t> batchShape;
      for (int64_t i = 0; i < batchRank; ++i) {
        int64_t dim = 1;
        for (RankedTensorType t : {lhsType, rhsType}) {
          int64_t j = i - (batchRank - (t.getRank() - 2));
          if (j < 0 || t.getDimSize(j) == 1)
            continue;
          dim =
              (dim == 1 || ShapedType::isDynamic(dim)) ? t.getDimSize(j) : dim;
        }
        batchShape.push_back(dim);
      }
      auto batchType = RankedTensorType::get(batchShape, accType);
      SmallVector<Value> batchViews;
      for (Value v : {lhs, rhs}) {
        auto t = cast<RankedTensorType>(v.getType());
        SmallVector<OpFoldResult> sizes =
            tensor::getMixedSizes(rewriter, loc, v);
        batchViews.push_back(createEmpty(rewriter, loc, batchOf(t),
                                         ArrayRef(sizes).drop_back(2)));
      }
      SmallVector<OpFoldResult> outSizes =
          broadcastSizes(rewriter, loc, batchViews, batchType);
      // An operand whose dynamic batch extent may be 1 at run time is
      // broadcast explicitly first (buildElementwise handles that case).
      auto materialize = [&](Value v) -> Value {
        auto t = cast<RankedTensorType>(v.getType());
        bool dynamicBatch =
            llvm::any_of(t.getShape().drop_back(2), ShapedType::isDynamic);
        if (!dynamicBatch)
          return v;
        SmallVector<int64_t> shape(batchShape);
        shape.append(
            {t.getDimSize(t.getRank() - 2), t.getDimSize(t.getRank() - 1)});
        SmallVector<OpFoldResult> sizes(outSizes);
        sizes.push_back(getDimSize(rewriter, loc, v, t.getRank() - 2));
        sizes.push_back(getDimSize(rewriter, loc, v, t.getRank() - 1));
        return buildElementwise(
            rewriter, loc, RankedTensorType::get(shape, t.getElementType()),
            sizes, v,
            [](OpBuilder &, Location, ValueRange args) { return args[0]; },
            /*dynamicMayBroadcast=*/true);
      };
      Value fullLhs = materialize(lhs), fullRhs = materialize(rhs);
      SmallVector<int64_t> outShape(batchShape);
      outShape.append(
          {lhsType.getDimSize(lhsRank - 2), rhsType.getDimSize(rhsRank - 1)});
      outSizes.append({m, n});
      auto outType = RankedTensorType::get(outShape, accType);
      Value init = createFilled(rewriter, loc, outType, outSizes, zero);
      result = buildContraction(rewriter, loc, fullLhs, fullRhs, init,
                                batchRank, false, false);
    }
    // Undo the vector promotion.
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, result, type,
                                 tensor::getMixedSizes(rewriter, loc, result)));
    return success();
  }
};

struct GemmLowering final : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    if (std::optional<std::string> why = getInferToLinalgLimitation(op))
      return rewriter.notifyMatchFailure(op, *why);
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Type accType = type.getElementType();
    Value a = adaptor.getA(), bMat = adaptor.getB();
    bool transA = op.getTransA(), transB = op.getTransB();
    SmallVector<OpFoldResult> sizes = {
        getDimSize(rewriter, loc, a, transA ? 1 : 0),
        getDimSize(rewriter, loc, bMat, transB ? 0 : 1)};
    Value init = createFilled(rewriter, loc, type, sizes,
                              scalarConstant(rewriter, loc, accType, 0));
    Value product;
    if (!transA && !transB)
      product = linalg::MatmulOp::create(rewriter, loc, TypeRange{type},
                                         ValueRange{a, bMat}, init)
                    .getResult(0);
    else
      product =
          buildContraction(rewriter, loc, a, bMat, init, 0, transA, transB);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    if (alpha == 1.0 && (!c || beta == 0.0)) {
      rewriter.replaceOp(op, product);
      return success();
    }
    SmallVector<Value> inputs = {product};
    if (c && beta != 0.0)
      inputs.push_back(c);
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, loc, type, sizes, inputs,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value y = args[0];
              if (alpha != 1.0)
                y = createMul(b, l, y, scalarConstant(b, l, accType, alpha));
              if (args.size() > 1) {
                Value cv = castForAccumulation(b, l, args[1], accType);
                if (beta != 1.0)
                  cv = createMul(b, l, cv, scalarConstant(b, l, accType, beta));
                y = createAdd(b, l, y, cv);
              }
              return y;
            }));
    return success();
  }
};

struct MaxPoolLowering final : OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (std::optional<std::string> why = getInferToLinalgLimitation(op))
      return rewriter.notifyMatchFailure(op, *why);
    // A quantized tensor (one type in and out) pools its stored bytes: the
    // mapping to reals is increasing. Unsigned bytes compare unsigned.
    auto quantized = dyn_cast<quant::QuantizedType>(
        op.getInput().getType().getElementType());
    bool isUnsigned = quantized && !quantized.isSigned();
    bool nhwc = op.getLayout() == Layout::NHWC;
    if (isUnsigned && !nhwc)
      return rewriter.notifyMatchFailure(op, "unsigned pooling is NHWC");
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> k = op.getKernelShape(), s = op.getStrides(),
                      p = op.getPads(), d = op.getDilations();
    int64_t hDim = nhwc ? 1 : 2, wDim = hDim + 1;
    int64_t extraH =
        ceilModeExtra(inputType.getDimSize(hDim), type.getDimSize(hDim), k[0],
                      s[0], d[0], p[0], p[2]);
    int64_t extraW =
        ceilModeExtra(inputType.getDimSize(wDim), type.getDimSize(wDim), k[1],
                      s[1], d[1], p[1], p[3]);
    Type elementType = type.getElementType();
    Value lowest =
        quantized ? arith::ConstantOp::create(
                        rewriter, loc,
                        rewriter.getIntegerAttr(elementType,
                                                quantized.getStorageTypeMin()))
                  : lowestValue(rewriter, loc, elementType);
    SmallVector<int64_t> low(4, 0), high(4, 0);
    low[hDim] = p[0];
    low[wDim] = p[1];
    high[hDim] = p[2] + extraH;
    high[wDim] = p[3] + extraW;
    Value padded = padConstant(rewriter, loc, input, low, high, lowest);
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    sizes[hDim] = rewriter.getIndexAttr(type.getDimSize(hDim));
    sizes[wDim] = rewriter.getIndexAttr(type.getDimSize(wDim));
    Value init = createFilled(rewriter, loc, type, sizes, lowest);
    Value window = tensor::EmptyOp::create(rewriter, loc, k, elementType);
    Value result =
        isUnsigned
            ? linalg::PoolingNhwcMaxUnsignedOp::create(
                  rewriter, loc, TypeRange{type}, ValueRange{padded, window},
                  init, i64Vector(rewriter, s), i64Vector(rewriter, d))
                  .getResult(0)
        : nhwc ? linalg::PoolingNhwcMaxOp::create(
                     rewriter, loc, TypeRange{type}, ValueRange{padded, window},
                     init, i64Vector(rewriter, s), i64Vector(rewriter, d))
                     .getResult(0)
               : linalg::PoolingNchwMaxOp::create(
                     rewriter, loc, TypeRange{type}, ValueRange{padded, window},
                     init, i64Vector(rewriter, s), i64Vector(rewriter, d))
                     .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct AvgPoolLowering final : OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    if (std::optional<std::string> why = getInferToLinalgLimitation(op))
      return rewriter.notifyMatchFailure(op, *why);
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> k = op.getKernelShape(), s = op.getStrides(),
                      p = op.getPads();
    bool nhwc = op.getLayout() == Layout::NHWC;
    int64_t hDim = nhwc ? 1 : 2, wDim = hDim + 1;
    int64_t h = inputType.getDimSize(hDim), w = inputType.getDimSize(wDim);
    int64_t oh = type.getDimSize(hDim), ow = type.getDimSize(wDim);
    int64_t extraH = ceilModeExtra(h, oh, k[0], s[0], 1, p[0], p[2]);
    int64_t extraW = ceilModeExtra(w, ow, k[1], s[1], 1, p[1], p[3]);
    Type elementType = type.getElementType();
    Value zero = scalarConstant(rewriter, loc, elementType, 0);
    SmallVector<int64_t> low(4, 0), high(4, 0);
    low[hDim] = p[0];
    low[wDim] = p[1];
    high[hDim] = p[2] + extraH;
    high[wDim] = p[3] + extraW;
    Value padded = padConstant(rewriter, loc, input, low, high, zero);
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    sizes[hDim] = rewriter.getIndexAttr(oh);
    sizes[wDim] = rewriter.getIndexAttr(ow);
    Value init = createFilled(rewriter, loc, type, sizes, zero);
    Value window = tensor::EmptyOp::create(rewriter, loc, k, elementType);
    Value sums =
        nhwc ? linalg::PoolingNhwcSumOp::create(
                   rewriter, loc, TypeRange{type}, ValueRange{padded, window},
                   init, i64Vector(rewriter, s), i64Vector(rewriter, {1, 1}))
                   .getResult(0)
             : linalg::PoolingNchwSumOp::create(
                   rewriter, loc, TypeRange{type}, ValueRange{padded, window},
                   init, i64Vector(rewriter, s), i64Vector(rewriter, {1, 1}))
                   .getResult(0);

    // The divisor of each output position, known at compile time: the window
    // clipped to the input, or to the explicitly padded input with
    // count_include_pad (ceil-mode overhang never counts).
    bool includePad = op.getCountIncludePad();
    auto counts = [&](int64_t size, int64_t out, int64_t kernel, int64_t stride,
                      int64_t padBegin, int64_t padEnd) {
      SmallVector<int64_t> result;
      int64_t lo = includePad ? -padBegin : 0;
      int64_t hi = includePad ? size + padEnd : size;
      for (int64_t o = 0; o < out; ++o) {
        int64_t start = o * stride - padBegin;
        result.push_back(std::min(start + kernel, hi) - std::max(start, lo));
      }
      return result;
    };
    SmallVector<int64_t> rows = counts(h, oh, k[0], s[0], p[0], p[2]);
    SmallVector<int64_t> cols = counts(w, ow, k[1], s[1], p[1], p[3]);
    SmallVector<Attribute> divisors;
    for (int64_t r : rows)
      for (int64_t c : cols)
        divisors.push_back(rewriter.getFloatAttr(elementType, r * c));
    // OH x OW, or OH x OW x 1 so that it broadcasts against NHWC.
    SmallVector<int64_t> divisorShape = {oh, ow};
    if (nhwc)
      divisorShape.push_back(1);
    auto divisorType = RankedTensorType::get(divisorShape, elementType);
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
    rewriter.replaceOp(
        op,
        buildElementwise(rewriter, loc, type, sizes, ValueRange{sums, divisor},
                         [](OpBuilder &b, Location l, ValueRange args) {
                           return createDiv(b, l, args[0], args[1]);
                         }));
    return success();
  }
};
} // namespace

namespace {
template <typename OpTy>
struct ReduceLowering final : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*this->getTypeConverter(), op);
    Value input = adaptor.getInput();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    SmallVector<int64_t> axes;
    for (int64_t axis : op.getAxes())
      axes.push_back(axis < 0 ? axis + rank : axis);
    if (axes.empty())
      axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    llvm::sort(axes);
    Type elementType = type.getElementType();
    constexpr bool isMax = std::is_same_v<OpTy, ReduceMaxOp>;
    constexpr bool isMin = std::is_same_v<OpTy, ReduceMinOp>;
    constexpr bool isProd = std::is_same_v<OpTy, ReduceProdOp>;
    Value initValue = isMax    ? lowestValue(rewriter, loc, elementType)
                      : isMin  ? highestValue(rewriter, loc, elementType)
                      : isProd ? scalarConstant(rewriter, loc, elementType, 1)
                               : scalarConstant(rewriter, loc, elementType, 0);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value reduced =
        reduceWith(rewriter, loc, input, {identity}, axes, initValue,
                   [](OpBuilder &b, Location l, Value acc, ValueRange x) {
                     if constexpr (isMax)
                       return createMax(b, l, acc, x[0]);
                     if constexpr (isMin)
                       return createMin(b, l, acc, x[0]);
                     if constexpr (isProd)
                       return createMul(b, l, acc, x[0]);
                     return createAdd(b, l, acc, x[0]);
                   });
    if (std::is_same_v<OpTy, ReduceMeanOp>) {
      Value count = countOf(rewriter, loc, input, axes, elementType);
      auto reducedType = cast<RankedTensorType>(reduced.getType());
      reduced = buildElementwise(
          rewriter, loc, reducedType,
          tensor::getMixedSizes(rewriter, loc, reduced), reduced,
          [&](OpBuilder &b, Location l, ValueRange args) {
            return createDiv(b, l, args[0], count);
          });
    }
    // keepdims: reinsert the reduced dimensions as size 1.
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0, j = 0; i < rank; ++i) {
      if (llvm::is_contained(axes, i)) {
        if (op.getKeepdims())
          sizes.push_back(rewriter.getIndexAttr(1));
        continue;
      }
      sizes.push_back(getDimSize(rewriter, loc, reduced, j++));
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced, type, sizes));
    return success();
  }
};

struct GlobalAvgPoolLowering final : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    int64_t rank = type.getRank();
    bool nhwc = op.getLayout() == Layout::NHWC;
    SmallVector<int64_t> axes =
        nhwc ? SmallVector<int64_t>{1, 2}
             : llvm::to_vector(llvm::seq<int64_t>(2, rank));
    Type elementType = type.getElementType();
    Value sums = reduceWith(
        rewriter, loc, input, {rewriter.getMultiDimIdentityMap(rank)}, axes,
        scalarConstant(rewriter, loc, elementType, 0),
        [](OpBuilder &b, Location l, Value acc, ValueRange x) {
          return createAdd(b, l, acc, x[0]);
        });
    Value count = countOf(rewriter, loc, input, axes, elementType);
    auto sumType = cast<RankedTensorType>(sums.getType());
    SmallVector<OpFoldResult> sumSizes =
        tensor::getMixedSizes(rewriter, loc, sums);
    Value mean =
        buildElementwise(rewriter, loc, sumType, sumSizes, sums,
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           return createDiv(b, l, args[0], count);
                         });
    SmallVector<OpFoldResult> sizes(sumSizes);
    if (nhwc)
      sizes.insert(sizes.begin() + 1, 2, rewriter.getIndexAttr(1));
    else
      sizes.append(rank - 2, rewriter.getIndexAttr(1));
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, mean, type, sizes));
    return success();
  }
};
} // namespace

/// Extra trailing padding so that ceil-mode windows read only padding.
int64_t mlir::infer::ceilModeExtra(int64_t size, int64_t out, int64_t kernel,
                                   int64_t stride, int64_t dilation,
                                   int64_t padBegin, int64_t padEnd) {
  int64_t needed = (out - 1) * stride + dilation * (kernel - 1) + 1;
  return std::max<int64_t>(0, needed - (size + padBegin + padEnd));
}

void mlir::infer::populateComputePatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns
      .add<Conv2DLowering, MatMulLowering, GemmLowering, MaxPoolLowering,
           AvgPoolLowering, GlobalAvgPoolLowering, ReduceLowering<ReduceSumOp>,
           ReduceLowering<ReduceMeanOp>, ReduceLowering<ReduceMaxOp>,
           ReduceLowering<ReduceMinOp>, ReduceLowering<ReduceProdOp>>(converter,
                                                                      ctx);
}
