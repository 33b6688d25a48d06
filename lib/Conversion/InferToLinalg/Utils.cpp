//===- Utils.cpp - helpers of the infer-to-linalg lowering ----------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::infer;

OpFoldResult mlir::infer::getDimSize(OpBuilder &b, Location loc, Value value,
                                     int64_t dim) {
  return tensor::getMixedSize(b, loc, value, dim);
}

Value mlir::infer::createEmpty(OpBuilder &b, Location loc,
                               RankedTensorType type,
                               ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> mixed;
  for (auto [i, dim] : llvm::enumerate(type.getShape()))
    mixed.push_back(ShapedType::isDynamic(dim) ? sizes[i]
                                               : b.getIndexAttr(dim));
  return tensor::EmptyOp::create(b, loc, mixed, type.getElementType());
}

SmallVector<OpFoldResult> mlir::infer::broadcastSizes(OpBuilder &b,
                                                      Location loc,
                                                      ValueRange operands,
                                                      RankedTensorType type) {
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < rank; ++i) {
    if (!type.isDynamicDim(i)) {
      sizes.push_back(b.getIndexAttr(type.getDimSize(i)));
      continue;
    }
    // The largest of the operand extents: a dynamic extent may turn out to be
    // 1 at run time and broadcast against another operand's.
    Value size;
    for (Value operand : operands) {
      auto operandType = cast<RankedTensorType>(operand.getType());
      int64_t j = i - (rank - operandType.getRank());
      if (j < 0 || operandType.getDimSize(j) == 1)
        continue;
      Value dim = getValueOrCreateConstantIndexOp(
          b, loc, getDimSize(b, loc, operand, j));
      size = size ? arith::MaxUIOp::create(b, loc, size, dim).getResult() : dim;
    }
    sizes.push_back(size ? OpFoldResult(size) : b.getIndexAttr(1));
  }
  return sizes;
}

AffineMap mlir::infer::broadcastMap(RankedTensorType operandType,
                                    RankedTensorType resultType) {
  MLIRContext *ctx = resultType.getContext();
  int64_t rank = resultType.getRank();
  int64_t offset = rank - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t j = 0; j < operandType.getRank(); ++j) {
    int64_t i = j + offset;
    if (operandType.getDimSize(j) == 1 && resultType.getDimSize(i) != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(i, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// Whether dimension `j` of `input` is dynamic and may broadcast at run time:
/// its result extent may come from elsewhere (a static result extent other
/// than 1, or another operand contributing to the same dimension).
static bool mayBroadcastDynamically(Value input, int64_t j, ValueRange inputs,
                                    RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.isDynamicDim(j))
    return false;
  int64_t i = j + resultType.getRank() - type.getRank();
  if (!resultType.isDynamicDim(i) && resultType.getDimSize(i) != 1)
    return true;
  return llvm::any_of(inputs, [&](Value other) {
    auto otherType = cast<RankedTensorType>(other.getType());
    int64_t k = i - (resultType.getRank() - otherType.getRank());
    return other != input && k >= 0 && otherType.getDimSize(k) != 1;
  });
}

/// `input` with its dynamic dimension `j` broadcast to `extent` when it is 1
/// at run time (TOSA's broadcastDynamicDimension): an scf.if around an
/// explicit broadcast, so that the consumer reads it through an identity map.
static Value broadcastDynamicDim(OpBuilder &b, Location loc, Value input,
                                 int64_t j, Value extent) {
  auto type = cast<RankedTensorType>(input.getType());
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value dim = tensor::DimOp::create(b, loc, input, j);
  Value isOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dim, one);
  auto ifOp = scf::IfOp::create(
      b, loc, isOne,
      [&](OpBuilder &tb, Location tl) {
        SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(tb, tl, input);
        sizes[j] = extent;
        int64_t rank = type.getRank();
        SmallVector<AffineExpr> exprs;
        for (int64_t d = 0; d < rank; ++d)
          exprs.push_back(d == j ? getAffineConstantExpr(0, tb.getContext())
                                 : getAffineDimExpr(d, tb.getContext()));
        AffineMap read = AffineMap::get(rank, 0, exprs, tb.getContext());
        Value init = createEmpty(tb, tl, type, sizes);
        SmallVector<utils::IteratorType> iterators(
            rank, utils::IteratorType::parallel);
        Value broadcast =
            linalg::GenericOp::create(
                tb, tl, type, input, init,
                ArrayRef<AffineMap>{read, tb.getMultiDimIdentityMap(rank)},
                iterators,
                [](OpBuilder &nb, Location nl, ValueRange args) {
                  linalg::YieldOp::create(nb, nl, args[0]);
                })
                .getResult(0);
        scf::YieldOp::create(tb, tl, broadcast);
      },
      [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, input); });
  return ifOp.getResult(0);
}

Value mlir::infer::buildElementwise(OpBuilder &b, Location loc,
                                    RankedTensorType resultType,
                                    ArrayRef<OpFoldResult> sizes,
                                    ValueRange inputs, ScalarBuilder body,
                                    bool dynamicMayBroadcast) {
  Value init = createEmpty(b, loc, resultType, sizes);
  int64_t rank = resultType.getRank();
  // The generic itself only broadcasts statically (through its indexing
  // maps); a dynamic extent that is 1 at run time is broadcast explicitly
  // first, behind an scf.if, so the maps stay pure for fusion, tiling and
  // vectorization.
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t offset = rank - inputType.getRank();
    Value operand = input;
    for (int64_t j = 0; j < inputType.getRank(); ++j) {
      bool may = dynamicMayBroadcast
                     ? inputType.isDynamicDim(j)
                     : mayBroadcastDynamically(input, j, inputs, resultType);
      if (!may)
        continue;
      operand = broadcastDynamicDim(
          b, loc, operand, j,
          getValueOrCreateConstantIndexOp(b, loc, sizes[j + offset]));
    }
    operands.push_back(operand);
    maps.push_back(broadcastMap(inputType, resultType));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

AffineMap mlir::infer::dropDims(MLIRContext *ctx, int64_t rank,
                                ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(dropped, i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value mlir::infer::reduceWith(
    OpBuilder &b, Location loc, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps, ArrayRef<int64_t> dropped, Value initValue,
    llvm::function_ref<Value(OpBuilder &, Location, Value, ValueRange)>
        combine) {
  Value first = inputs.front();
  auto type = cast<RankedTensorType>(first.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> sizes;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(dropped, i);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced) {
      shape.push_back(type.getDimSize(i));
      sizes.push_back(getDimSize(b, loc, first, i));
    }
  }
  auto outType = RankedTensorType::get(shape, type.getElementType());
  Value init = createFilled(b, loc, outType, sizes, initValue);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(dropDims(b.getContext(), rank, dropped));
  return linalg::GenericOp::create(
             b, loc, outType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl, combine(nb, nl, args.back(), args.drop_back()));
             })
      .getResult(0);
}

Value mlir::infer::countOf(OpBuilder &b, Location loc, Value input,
                           ArrayRef<int64_t> axes, Type type) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t axis : axes)
    sizes.push_back(getDimSize(b, loc, input, axis));
  OpFoldResult count = productOf(b, loc, sizes);
  if (std::optional<int64_t> value = getConstantIntValue(count))
    return scalarConstant(b, loc, type, static_cast<double>(*value));
  Value asInt =
      arith::IndexCastOp::create(b, loc, b.getI64Type(), cast<Value>(count));
  if (isa<FloatType>(type))
    return arith::SIToFPOp::create(b, loc, type, asInt);
  return arith::TruncIOp::create(b, loc, type, asInt);
}

Value mlir::infer::mapWith(OpBuilder &b, Location loc, Value like,
                           RankedTensorType type, ValueRange inputs,
                           ArrayRef<AffineMap> maps, ScalarBuilder body) {
  int64_t rank = type.getRank();
  Value init = createEmpty(b, loc, type, tensor::getMixedSizes(b, loc, like));
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, inputs, init, allMaps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

Value mlir::infer::scalarConstant(OpBuilder &b, Location loc, Type type,
                                  double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value mlir::infer::lowestValue(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/true)));
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(type,
                       APInt::getSignedMinValue(type.getIntOrFloatBitWidth())));
}

Value mlir::infer::normalizedIndex(OpBuilder &b, Location loc, Value index,
                                   Value size) {
  Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  return arith::SelectOp::create(b, loc, negative,
                                 arith::AddIOp::create(b, loc, idx, size), idx);
}

Value mlir::infer::highestValue(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/false)));
  unsigned width = type.getIntOrFloatBitWidth();
  // i1 (bool) is unsigned: its largest value is 1.
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(type, width == 1 ? APInt::getAllOnes(1)
                                        : APInt::getSignedMaxValue(width)));
}

Value mlir::infer::createFilled(OpBuilder &b, Location loc,
                                RankedTensorType type,
                                ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = createEmpty(b, loc, type, sizes);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

static bool isFloat(Value value) { return isa<FloatType>(value.getType()); }

Value mlir::infer::createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

Value mlir::infer::createSub(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::SubFOp::create(b, loc, lhs, rhs);
  return arith::SubIOp::create(b, loc, lhs, rhs);
}

Value mlir::infer::createMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

Value mlir::infer::createDiv(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::DivFOp::create(b, loc, lhs, rhs);
  return arith::DivSIOp::create(b, loc, lhs, rhs);
}

Value mlir::infer::createMax(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

Value mlir::infer::createMin(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::MinimumFOp::create(b, loc, lhs, rhs);
  return arith::MinSIOp::create(b, loc, lhs, rhs);
}

OpFoldResult mlir::infer::productOf(OpBuilder &b, Location loc,
                                    ArrayRef<OpFoldResult> sizes) {
  int64_t staticProduct = 1;
  Value dynamicProduct;
  for (OpFoldResult size : sizes) {
    if (std::optional<int64_t> value = getConstantIntValue(size)) {
      staticProduct *= *value;
      continue;
    }
    Value v = cast<Value>(size);
    dynamicProduct =
        dynamicProduct ? arith::MulIOp::create(b, loc, dynamicProduct, v) : v;
  }
  if (!dynamicProduct)
    return b.getIndexAttr(staticProduct);
  if (staticProduct == 1)
    return dynamicProduct;
  return arith::MulIOp::create(
             b, loc, dynamicProduct,
             arith::ConstantIndexOp::create(b, loc, staticProduct))
      .getResult();
}

Value mlir::infer::reshapeTo(OpBuilder &b, Location loc, Value value,
                             RankedTensorType resultType,
                             ArrayRef<OpFoldResult> sizes) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == resultType)
    return value;
  // Collapse to one dimension (or keep a 0-D / 1-D source).
  Value flat = value;
  if (sourceType.getRank() > 1) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, sourceType.getRank()));
    flat = tensor::CollapseShapeOp::create(b, loc, value,
                                           ArrayRef<ReassociationIndices>{all});
  }
  auto flatType = cast<RankedTensorType>(flat.getType());
  int64_t rank = resultType.getRank();
  // A static result needs a static flat extent.
  if (flatType.getRank() == 1 && flatType.isDynamicDim(0) &&
      resultType.hasStaticShape()) {
    flatType = RankedTensorType::get({resultType.getNumElements()},
                                     flatType.getElementType());
    flat = tensor::CastOp::create(b, loc, flatType, flat);
  }
  if (rank == 0)
    return tensor::CollapseShapeOp::create(b, loc, resultType, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (flatType.getRank() == 0) {
    // A scalar becomes a tensor whose dimensions are all 1.
    return tensor::ExpandShapeOp::create(
        b, loc, resultType, flat, ArrayRef<ReassociationIndices>{}, sizes);
  }
  if (rank == 1)
    return tensor::CastOp::create(b, loc, resultType, flat);
  if (resultType.getNumDynamicDims() > 1) {
    // An expand_shape into several dynamic sizes has no static strides
    // (upstream's expand-strided-metadata fails on it): tensor.reshape takes
    // the sizes as a tensor.
    SmallVector<Value> extents;
    for (OpFoldResult size : sizes)
      extents.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    Value shape = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({rank}, b.getIndexType()), extents);
    return tensor::ReshapeOp::create(b, loc, resultType, flat, shape);
  }
  ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  return tensor::ExpandShapeOp::create(
      b, loc, resultType, flat, ArrayRef<ReassociationIndices>{all}, sizes);
}

RankedTensorType
mlir::infer::convertedResultType(const TypeConverter &converter, Operation *op,
                                 unsigned index) {
  return cast<RankedTensorType>(
      converter.convertType(op->getResult(index).getType()));
}

Value mlir::infer::padConstant(OpBuilder &b, Location loc, Value value,
                               ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                               Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [i, dim] : llvm::enumerate(shape))
    if (!ShapedType::isDynamic(dim))
      dim += low[i] + high[i];
  SmallVector<OpFoldResult> lowSizes, highSizes;
  for (auto [l, h] : llvm::zip(low, high)) {
    lowSizes.push_back(b.getIndexAttr(l));
    highSizes.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      lowSizes, highSizes, padValue);
}

Value mlir::infer::castForAccumulation(OpBuilder &b, Location loc, Value x,
                                       Type type) {
  Type from = x.getType();
  if (from == type)
    return x;
  if (isa<FloatType>(type)) {
    if (isa<FloatType>(from))
      return arith::ExtFOp::create(b, loc, type, x);
    return arith::SIToFPOp::create(b, loc, type, x);
  }
  return arith::ExtSIOp::create(b, loc, type, x);
}
