//===- Indexing.cpp - indexed reads and writes, scans, arg reductions -----===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Data-dependent reads (gather_elements, gather_nd) become parallel
// linalg.generic ops over the result that read with tensor.extract; masks
// (trilu) and arg reductions are generics on linalg.index. Ops whose writes
// depend on data (scatter_elements, scatter_nd) or on earlier results
// (cumsum) are scf.for loops carrying the tensor, in ONNX's update order.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "infer/Dialect/Infer/IR/InferOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::infer;

static SmallVector<Value> loopIndices(OpBuilder &b, Location loc,
                                      int64_t rank) {
  SmallVector<Value> indices;
  for (int64_t i = 0; i < rank; ++i)
    indices.push_back(linalg::IndexOp::create(b, loc, i));
  return indices;
}

/// The value that `reduction` ("none", "add", "mul", "max", "min") stores
/// when `update` meets `old`.
static Value combine(OpBuilder &b, Location loc, StringRef reduction, Value old,
                     Value update) {
  if (reduction == "add")
    return createAdd(b, loc, old, update);
  if (reduction == "mul")
    return createMul(b, loc, old, update);
  if (reduction == "max")
    return createMax(b, loc, old, update);
  if (reduction == "min")
    return createMin(b, loc, old, update);
  return update;
}

/// The index tuple `indices[outer..., 0:sizes.size()]` (the last dimension
/// of `indices` holds the tuples), each entry normalized against its size.
static SmallVector<Value> readIndexTuple(OpBuilder &b, Location loc,
                                         Value indices, ValueRange outer,
                                         ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> tuple;
  for (auto [t, size] : llvm::enumerate(sizes)) {
    SmallVector<Value> where(outer);
    where.push_back(arith::ConstantIndexOp::create(b, loc, t));
    tuple.push_back(normalizedIndex(
        b, loc, tensor::ExtractOp::create(b, loc, indices, where),
        getValueOrCreateConstantIndexOp(b, loc, size)));
  }
  return tuple;
}

/// `current` with the element at `at` replaced by `updates[ivs]`, or
/// combined with it by `reduction`.
static Value scatterOne(OpBuilder &b, Location loc, StringRef reduction,
                        Value current, ValueRange at, Value updates,
                        ValueRange ivs) {
  Value update = tensor::ExtractOp::create(b, loc, updates, ivs);
  Value old = tensor::ExtractOp::create(b, loc, current, at);
  Value stored = combine(b, loc, reduction, old, update);
  return tensor::InsertOp::create(b, loc, stored, current, at).getResult();
}

/// An scf.for nest over `sizes` carrying `init`; `body(ivs, carried)`
/// returns the new carried tensor.
static Value forNest(
    OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange, Value)> body) {
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (OpFoldResult size : sizes) {
    lbs.push_back(zero);
    ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    steps.push_back(one);
  }
  scf::LoopNest nest =
      scf::buildLoopNest(b, loc, lbs, ubs, steps, ValueRange{init},
                         [&](OpBuilder &nb, Location nl, ValueRange ivs,
                             ValueRange carried) -> scf::ValueVector {
                           return {body(nb, nl, ivs, carried[0])};
                         });
  return nest.results.front();
}

namespace {
struct GatherElementsLowering final : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    OpFoldResult axisSize = getDimSize(rewriter, loc, data, axis);
    rewriter.replaceOp(
        op,
        mapWith(rewriter, loc, indices, type, indices,
                {rewriter.getMultiDimIdentityMap(rank)},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  SmallVector<Value> at = loopIndices(b, l, rank);
                  at[axis] = normalizedIndex(
                      b, l, args[0],
                      getValueOrCreateConstantIndexOp(b, l, axisSize));
                  return tensor::ExtractOp::create(b, l, data, at).getResult();
                }));
    return success();
  }
};

struct GatherNDLowering final : OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t batch = op.getBatchDims();
    int64_t outer = indicesType.getRank() - 1;
    int64_t depth = indicesType.getDimSize(outer);
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < outer; ++i)
      sizes.push_back(getDimSize(rewriter, loc, indices, i));
    int64_t dataRank = cast<RankedTensorType>(data.getType()).getRank();
    for (int64_t i = batch + depth; i < dataRank; ++i)
      sizes.push_back(getDimSize(rewriter, loc, data, i));
    SmallVector<OpFoldResult> dataSizes;
    for (int64_t i = 0; i < dataRank; ++i)
      dataSizes.push_back(getDimSize(rewriter, loc, data, i));
    Value init = createEmpty(rewriter, loc, type, sizes);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, init,
        {rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> ivs = loopIndices(b, l, rank);
          SmallVector<Value> at(ivs.begin(), ivs.begin() + batch);
          llvm::append_range(
              at,
              readIndexTuple(b, l, indices, ValueRange(ivs).take_front(outer),
                             ArrayRef(dataSizes).slice(batch, depth)));
          at.append(ivs.begin() + outer, ivs.end());
          Value element = tensor::ExtractOp::create(b, l, data, at);
          linalg::YieldOp::create(b, l, element);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ScatterElementsLowering final : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    Value updates = adaptor.getUpdates();
    int64_t rank = cast<RankedTensorType>(data.getType()).getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    StringRef reduction = op.getReduction();
    Value axisSize = getValueOrCreateConstantIndexOp(
        rewriter, loc, getDimSize(rewriter, loc, data, axis));
    Value result = forNest(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, indices), data,
        [&](OpBuilder &b, Location l, ValueRange ivs, Value current) {
          SmallVector<Value> at(ivs);
          at[axis] = normalizedIndex(
              b, l, tensor::ExtractOp::create(b, l, indices, ivs), axisSize);
          return scatterOne(b, l, reduction, current, at, updates, ivs);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ScatterNDLowering final : OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    Value updates = adaptor.getUpdates();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t outer = indicesType.getRank() - 1;
    int64_t depth = indicesType.getDimSize(outer);
    StringRef reduction = op.getReduction();
    SmallVector<OpFoldResult> dataSizes;
    for (int64_t i = 0; i < depth; ++i)
      dataSizes.push_back(getDimSize(rewriter, loc, data, i));
    // One iteration per element of `updates`: its leading `outer` indices
    // pick the index tuple, the rest the position inside the slice.
    Value result = forNest(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, updates), data,
        [&](OpBuilder &b, Location l, ValueRange ivs, Value current) {
          SmallVector<Value> at =
              readIndexTuple(b, l, indices, ivs.take_front(outer), dataSizes);
          at.append(ivs.begin() + outer, ivs.end());
          return scatterOne(b, l, reduction, current, at, updates, ivs);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TriluLowering final : OpConversionPattern<TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    int64_t rank = type.getRank();
    int64_t k = op.getK();
    bool upper = op.getUpper();
    rewriter.replaceOp(
        op,
        mapWith(rewriter, loc, input, type, input,
                {rewriter.getMultiDimIdentityMap(rank)},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  // Kept when col - row >= k (upper) or <= k (lower).
                  Value row = arith::IndexCastOp::create(
                      b, l, b.getI64Type(),
                      linalg::IndexOp::create(b, l, rank - 2));
                  Value col = arith::IndexCastOp::create(
                      b, l, b.getI64Type(),
                      linalg::IndexOp::create(b, l, rank - 1));
                  Value diff = arith::SubIOp::create(b, l, col, row);
                  Value kv = arith::ConstantIntOp::create(b, l, k, 64);
                  Value keep =
                      arith::CmpIOp::create(b, l,
                                            upper ? arith::CmpIPredicate::sge
                                                  : arith::CmpIPredicate::sle,
                                            diff, kv);
                  Value zero = scalarConstant(b, l, type.getElementType(), 0.0);
                  return arith::SelectOp::create(b, l, keep, args[0], zero)
                      .getResult();
                }));
    return success();
  }
};

struct CumSumLowering final : OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    // Slices across the axis, of the shape without it.
    SmallVector<int64_t> sliceShape;
    SmallVector<OpFoldResult> sliceSizes;
    for (int64_t i = 0; i < rank; ++i) {
      if (i == axis)
        continue;
      sliceShape.push_back(type.getDimSize(i));
      sliceSizes.push_back(sizes[i]);
    }
    auto sliceType = RankedTensorType::get(sliceShape, type.getElementType());
    Value zero = scalarConstant(rewriter, loc, type.getElementType(), 0.0);
    Value running = createFilled(rewriter, loc, sliceType, sliceSizes, zero);
    Value result = createEmpty(rewriter, loc, type, sizes);
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value n = getValueOrCreateConstantIndexOp(rewriter, loc, sizes[axis]);
    auto loop = scf::ForOp::create(
        rewriter, loc, lb, n, one, ValueRange{result, running},
        [&](OpBuilder &b, Location l, Value iv, ValueRange carried) {
          Value pos = iv;
          if (reverse)
            pos = arith::SubIOp::create(
                b, l, arith::SubIOp::create(b, l, n, one), iv);
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
          offsets[axis] = pos;
          SmallVector<OpFoldResult> slice(sizes);
          slice[axis] = b.getIndexAttr(1);
          SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
          Value x = tensor::ExtractSliceOp::create(b, l, sliceType, input,
                                                   offsets, slice, strides);
          // The running sum is updated in place (its buffer is the loop's).
          AffineMap id = b.getMultiDimIdentityMap(rank - 1);
          SmallVector<utils::IteratorType> iterators(
              rank - 1, utils::IteratorType::parallel);
          Value next = carried[0];
          if (exclusive)
            next = tensor::InsertSliceOp::create(b, l, carried[1], next,
                                                 offsets, slice, strides);
          Value sum = linalg::GenericOp::create(
                          b, l, sliceType, x, carried[1], {id, id}, iterators,
                          [](OpBuilder &nb, Location nl, ValueRange a) {
                            linalg::YieldOp::create(
                                nb, nl, createAdd(nb, nl, a[1], a[0]));
                          })
                          .getResult(0);
          if (!exclusive)
            next = tensor::InsertSliceOp::create(b, l, sum, next, offsets,
                                                 slice, strides);
          scf::YieldOp::create(b, l, ValueRange{next, sum});
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

template <typename OpTy>
struct ArgReduceLowering final : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    constexpr bool isMax = std::is_same_v<OpTy, ArgMaxOp>;
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*this->getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    bool last = op.getSelectLastIndex();
    SmallVector<int64_t> shape;
    SmallVector<OpFoldResult> sizes;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t i = 0; i < rank; ++i) {
      iterators.push_back(i == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (i == axis)
        continue;
      shape.push_back(inputType.getDimSize(i));
      sizes.push_back(getDimSize(rewriter, loc, input, i));
    }
    auto valueType = RankedTensorType::get(shape, elementType);
    auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
    // The first element starts the search: -1 marks "none seen yet".
    Value values = createFilled(rewriter, loc, valueType, sizes,
                                lowestValue(rewriter, loc, elementType));
    Value indices =
        createFilled(rewriter, loc, indexType, sizes,
                     arith::ConstantIntOp::create(rewriter, loc, -1, 64));
    AffineMap reduced = dropDims(rewriter.getContext(), rank, {axis});
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, input,
        ValueRange{values, indices},
        {rewriter.getMultiDimIdentityMap(rank), reduced, reduced}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value better;
          bool isFloat = isa<FloatType>(elementType);
          if (isFloat) {
            arith::CmpFPredicate pred =
                isMax ? (last ? arith::CmpFPredicate::OGE
                              : arith::CmpFPredicate::OGT)
                      : (last ? arith::CmpFPredicate::OLE
                              : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(b, l, pred, x, best);
          } else {
            arith::CmpIPredicate pred =
                isMax ? (last ? arith::CmpIPredicate::sge
                              : arith::CmpIPredicate::sgt)
                      : (last ? arith::CmpIPredicate::sle
                              : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(b, l, pred, x, best);
          }
          Value none =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, bestIndex,
                                    arith::ConstantIntOp::create(b, l, 0, 64));
          Value take = arith::OrIOp::create(b, l, better, none);
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, take, x, best),
                  arith::SelectOp::create(b, l, take, index, bestIndex)});
        });
    Value result = generic.getResult(1);
    SmallVector<OpFoldResult> outSizes;
    for (int64_t i = 0, j = 0; i < rank; ++i) {
      if (i == axis) {
        if (op.getKeepdims())
          outSizes.push_back(rewriter.getIndexAttr(1));
        continue;
      }
      outSizes.push_back(sizes[j++]);
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, result, type, outSizes));
    return success();
  }
};
} // namespace

void mlir::infer::populateIndexingPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns
      .add<GatherElementsLowering, GatherNDLowering, ScatterElementsLowering,
           ScatterNDLowering, TriluLowering, CumSumLowering,
           ArgReduceLowering<ArgMaxOp>, ArgReduceLowering<ArgMinOp>>(
          converter, patterns.getContext());
}
