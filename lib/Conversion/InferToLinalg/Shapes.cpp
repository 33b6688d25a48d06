//===- Shapes.cpp - constants and shape ops to tensor/linalg --------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Reshapes become collapse/expand pairs (views after bufferization),
// transposes linalg.transpose, slices tensor.extract_slice (or a generic with
// a descending index for negative steps), concatenation insert_slice chains,
// padding tensor.pad or an index-remapping generic, gather a generic that
// extracts through the index tensor.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/IR/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::infer;

namespace {
/// Small resource blobs become dense literals: upstream folders index
/// constants through ElementsAttr iteration, which dense_resource lacks.
constexpr int64_t kMaxInlinedResourceElements = 64;

ElementsAttr inlineSmallResource(ElementsAttr value) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(value);
  if (!resource || resource.getNumElements() > kMaxInlinedResourceElements)
    return value;
  const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return value;
  ArrayRef<char> data = blob->getData();
  auto type = cast<ShapedType>(resource.getType());
  bool isSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, data, isSplat))
    return value;
  return DenseElementsAttr::getFromRawBuffer(type, data);
}

struct ConstantLowering final : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementsAttr value = inlineSmallResource(op.getValueAttr());
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    if (type != value.getType()) {
      // Unsigned integers become signless of the same width: the same bytes.
      if (auto dense = dyn_cast<DenseElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      else
        return rewriter.notifyMatchFailure(op, "cannot retype the constant");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// Size of result dimension `i`: static, or computed by `dynamic(i)`.
SmallVector<OpFoldResult>
resultSizes(OpBuilder &b, RankedTensorType type,
            llvm::function_ref<OpFoldResult(int64_t)> dynamic) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    sizes.push_back(type.isDynamicDim(i) ? dynamic(i)
                                         : b.getIndexAttr(type.getDimSize(i)));
  return sizes;
}

OpFoldResult divide(OpBuilder &b, Location loc, OpFoldResult lhs,
                    OpFoldResult rhs) {
  return getAsOpFoldResult(b.createOrFold<arith::DivUIOp>(
      loc, getValueOrCreateConstantIndexOp(b, loc, lhs),
      getValueOrCreateConstantIndexOp(b, loc, rhs)));
}

struct ReshapeLowering final : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    ArrayRef<int64_t> shape = op.getShape();
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    // Result dimensions that are copied or given: the inferred one divides
    // the element count by them.
    auto known = [&](int64_t i) -> OpFoldResult {
      if (shape[i] == 0)
        return inSizes[i];
      return rewriter.getIndexAttr(type.isDynamicDim(i) ? 1
                                                        : type.getDimSize(i));
    };
    SmallVector<OpFoldResult> sizes =
        resultSizes(rewriter, type, [&](int64_t i) -> OpFoldResult {
          if (shape[i] == 0)
            return inSizes[i];
          SmallVector<OpFoldResult> others;
          for (int64_t j = 0; j < type.getRank(); ++j)
            if (j != i)
              others.push_back(known(j));
          return divide(rewriter, loc, productOf(rewriter, loc, inSizes),
                        productOf(rewriter, loc, others));
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, input, type, sizes));
    return success();
  }
};

/// The dimensions as i64, from tensor.dim where they are dynamic.
struct ShapeOfLowering final : OpConversionPattern<ShapeOfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ShapeOfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto [first, last] =
        shapeOfRange(cast<RankedTensorType>(input.getType()).getRank(),
                     op.getStart(), op.getEnd());
    SmallVector<Value> dims;
    for (int64_t i = first; i < last; ++i) {
      Value dim = getValueOrCreateConstantIndexOp(
          rewriter, loc, getDimSize(rewriter, loc, input, i));
      dims.push_back(arith::IndexCastOp::create(rewriter, loc,
                                                rewriter.getI64Type(), dim));
    }
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, op.getType(), dims);
    return success();
  }
};

/// ONNX Reshape semantics on a shape read at run time; the sizes the
/// result type knows are taken from it.
struct DynamicReshapeLowering final : OpConversionPattern<DynamicReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    int64_t inRank = cast<RankedTensorType>(input.getType()).getRank();
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value total = getValueOrCreateConstantIndexOp(
        rewriter, loc, productOf(rewriter, loc, inSizes));
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value minusOne = arith::ConstantIndexOp::create(rewriter, loc, -1);
    SmallVector<Value> entries;
    Value known = one;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      Value at = arith::ConstantIndexOp::create(rewriter, loc, i);
      Value entry = arith::IndexCastOp::create(
          rewriter, loc, rewriter.getIndexType(),
          tensor::ExtractOp::create(rewriter, loc, adaptor.getShape(), at));
      if (!op.getAllowzero() && i < inRank) {
        Value isZero = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, entry, zero);
        entry = arith::SelectOp::create(
            rewriter, loc, isZero,
            getValueOrCreateConstantIndexOp(rewriter, loc, inSizes[i]), entry);
      }
      Value inferred = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, entry, minusOne);
      known = arith::MulIOp::create(
          rewriter, loc, known,
          arith::SelectOp::create(rewriter, loc, inferred, one, entry));
      entries.push_back(entry);
    }
    Value rest = arith::DivUIOp::create(rewriter, loc, total, known);
    SmallVector<OpFoldResult> sizes;
    for (auto [i, entry] : llvm::enumerate(entries)) {
      if (!type.isDynamicDim(i)) {
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
        continue;
      }
      Value inferred = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, entry, minusOne);
      sizes.push_back(
          arith::SelectOp::create(rewriter, loc, inferred, rest, entry)
              .getResult());
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, input, type, sizes));
    return success();
  }
};

struct FlattenLowering final : OpConversionPattern<FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> in = tensor::getMixedSizes(rewriter, loc, input);
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += in.size();
    SmallVector<OpFoldResult> sizes = {
        productOf(rewriter, loc, ArrayRef(in).take_front(axis)),
        productOf(rewriter, loc, ArrayRef(in).drop_front(axis))};
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, input, type, sizes));
    return success();
  }
};

struct SqueezeLowering final : OpConversionPattern<SqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    SmallVector<bool> removed(rank, false);
    for (int64_t axis : op.getAxes())
      removed[axis < 0 ? axis + rank : axis] = true;
    if (op.getAxes().empty())
      for (int64_t i = 0; i < rank; ++i)
        removed[i] = inputType.getDimSize(i) == 1;
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < rank; ++i)
      if (!removed[i])
        sizes.push_back(getDimSize(rewriter, loc, input, i));
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, input, type, sizes));
    return success();
  }
};

struct UnsqueezeLowering final : OpConversionPattern<UnsqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(UnsqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    int64_t rank = type.getRank();
    SmallVector<bool> inserted(rank, false);
    for (int64_t axis : op.getAxes())
      inserted[axis < 0 ? axis + rank : axis] = true;
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0, j = 0; i < rank; ++i)
      sizes.push_back(inserted[i] ? rewriter.getIndexAttr(1)
                                  : getDimSize(rewriter, loc, input, j++));
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, input, type, sizes));
    return success();
  }
};

struct TransposeLowering final : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> sizes;
    for (int64_t p : op.getPerm())
      sizes.push_back(getDimSize(rewriter, loc, input, p));
    Value init = createEmpty(rewriter, loc, type, sizes);
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, loc, input,
                                                       init, op.getPerm())
                               .getResult());
    return success();
  }
};

struct ConcatLowering final : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    ValueRange inputs = adaptor.getInputs();
    SmallVector<OpFoldResult> axisSizes;
    for (Value input : inputs)
      axisSizes.push_back(getDimSize(rewriter, loc, input, axis));
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, inputs.front());
    // The concatenated extent: a sum of the input extents.
    OpFoldResult total = rewriter.getIndexAttr(0);
    auto add = [&](OpFoldResult a, OpFoldResult b) -> OpFoldResult {
      return getAsOpFoldResult(rewriter.createOrFold<arith::AddIOp>(
          loc, getValueOrCreateConstantIndexOp(rewriter, loc, a),
          getValueOrCreateConstantIndexOp(rewriter, loc, b)));
    };
    SmallVector<OpFoldResult> offsets;
    for (OpFoldResult size : axisSizes) {
      offsets.push_back(total);
      total = add(total, size);
    }
    sizes[axis] = total;
    Value result = createEmpty(rewriter, loc, type, sizes);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [input, offset] : llvm::zip(inputs, offsets)) {
      SmallVector<OpFoldResult> at(rank, rewriter.getIndexAttr(0));
      at[axis] = offset;
      result = tensor::InsertSliceOp::create(
          rewriter, loc, input, result, at,
          tensor::getMixedSizes(rewriter, loc, input), strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// ONNX slice clamping of a dynamic dimension with a positive step, at run
/// time: the first index and the element count.
std::pair<OpFoldResult, OpFoldResult> runtimeSlice(OpBuilder &b, Location loc,
                                                   Value input, int64_t axis,
                                                   int64_t start, int64_t end,
                                                   int64_t step) {
  Value dim = tensor::DimOp::create(b, loc, input, axis);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  auto normalize = [&](int64_t v) -> Value {
    // Offsets beyond any real extent clamp to it; negative ones count from
    // the back (v + dim cannot overflow for v < 0).
    constexpr int64_t kLarge = int64_t(1) << 62;
    v = std::clamp<int64_t>(v, -kLarge, kLarge);
    Value c = arith::ConstantIndexOp::create(b, loc, v);
    Value value = v < 0 ? arith::AddIOp::create(b, loc, dim, c).getResult() : c;
    value = arith::MaxSIOp::create(b, loc, value, zero);
    return arith::MinSIOp::create(b, loc, value, dim);
  };
  Value first = normalize(start), last = normalize(end);
  Value span = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, last, first), zero);
  Value size = arith::CeilDivSIOp::create(
      b, loc, span, arith::ConstantIndexOp::create(b, loc, step));
  return {first, size};
}

struct SliceLowering final : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (std::optional<std::string> why = getInferToLinalgLimitation(op))
      return rewriter.notifyMatchFailure(op, *why);
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> starts(rank, 0), steps(rank, 1);
    // Sizes of the result; a sliced dynamic dimension is clamped at run time.
    SmallVector<OpFoldResult> sizes =
        resultSizes(rewriter, type, [&](int64_t i) {
          return getDimSize(rewriter, loc, input, i);
        });
    SmallVector<OpFoldResult> dynamicStarts(rank);
    size_t count = op.getStarts().size();
    for (size_t i = 0; i < count; ++i) {
      int64_t axis = op.getAxes() ? (*op.getAxes())[i] : i;
      if (axis < 0)
        axis += rank;
      int64_t step = op.getSteps() ? (*op.getSteps())[i] : 1;
      steps[axis] = step;
      if (inputType.isDynamicDim(axis)) {
        auto [start, size] =
            runtimeSlice(rewriter, loc, input, axis, op.getStarts()[i],
                         op.getEnds()[i], step);
        dynamicStarts[axis] = start;
        sizes[axis] = size;
        continue;
      }
      SliceRange range = normalizeSlice(
          inputType.getDimSize(axis), op.getStarts()[i], op.getEnds()[i], step);
      // An empty slice may start anywhere; 0 is always in bounds.
      starts[axis] = range.size == 0 ? 0 : range.start;
    }
    if (llvm::any_of(dynamicStarts, [](OpFoldResult v) { return bool(v); })) {
      SmallVector<OpFoldResult> offsets, strides;
      for (int64_t i = 0; i < rank; ++i) {
        offsets.push_back(dynamicStarts[i] ? dynamicStarts[i]
                                           : rewriter.getIndexAttr(starts[i]));
        strides.push_back(rewriter.getIndexAttr(steps[i]));
      }
      Value slice = tensor::ExtractSliceOp::create(rewriter, loc, input,
                                                   offsets, sizes, strides);
      if (slice.getType() != type)
        slice = tensor::CastOp::create(rewriter, loc, type, slice);
      rewriter.replaceOp(op, slice);
      return success();
    }
    // An empty result reads nothing (and a descending map over it would
    // not be in bounds).
    if (llvm::is_contained(type.getShape(), 0)) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, type, sizes));
      return success();
    }
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, strides;
      for (int64_t i = 0; i < rank; ++i) {
        offsets.push_back(rewriter.getIndexAttr(starts[i]));
        strides.push_back(rewriter.getIndexAttr(steps[i]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, input, offsets, sizes, strides);
      return success();
    }
    // Negative steps: cut the positive-step axes with extract_slice first,
    // then read input[start + step * i] on the reversed axes through the
    // indexing map (linalg infers those loop extents from the result).
    SmallVector<OpFoldResult> offsets, cutSizes, strides;
    SmallVector<int64_t> cutShape;
    for (int64_t i = 0; i < rank; ++i) {
      bool reversed = steps[i] < 0;
      offsets.push_back(rewriter.getIndexAttr(reversed ? 0 : starts[i]));
      strides.push_back(rewriter.getIndexAttr(reversed ? 1 : steps[i]));
      cutSizes.push_back(reversed ? getDimSize(rewriter, loc, input, i)
                                  : sizes[i]);
      cutShape.push_back(reversed ? inputType.getDimSize(i)
                                  : type.getDimSize(i));
    }
    Value cut = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get(cutShape, type.getElementType()),
        input, offsets, cutSizes, strides);
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < rank; ++i)
      exprs.push_back(steps[i] < 0
                          ? getAffineDimExpr(i, ctx) * steps[i] + starts[i]
                          : getAffineDimExpr(i, ctx));
    Value init = createEmpty(rewriter, loc, type, sizes);
    SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, ctx),
                                   rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    rewriter.replaceOp(op, linalg::GenericOp::create(
                               rewriter, loc, type, cut, init, maps, iterators,
                               [](OpBuilder &b, Location l, ValueRange args) {
                                 linalg::YieldOp::create(b, l, args[0]);
                               })
                               .getResult(0));
    return success();
  }
};

struct PadLowering final : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    ArrayRef<int64_t> low = pads.take_front(rank), high = pads.drop_front(rank);
    if (op.getMode() == "constant") {
      Value value = scalarConstant(rewriter, loc, type.getElementType(),
                                   op.getValue().convertToDouble());
      Value padded = padConstant(rewriter, loc, input, low, high, value);
      if (padded.getType() != type)
        padded = tensor::CastOp::create(rewriter, loc, type, padded);
      rewriter.replaceOp(op, padded);
      return success();
    }
    // edge / reflect: each output element reads a remapped input index.
    bool reflect = op.getMode() == "reflect";
    SmallVector<OpFoldResult> sizes =
        resultSizes(rewriter, type, [&](int64_t i) -> OpFoldResult {
          Value dim = getValueOrCreateConstantIndexOp(
              rewriter, loc, getDimSize(rewriter, loc, input, i));
          return arith::AddIOp::create(rewriter, loc, dim,
                                       arith::ConstantIndexOp::create(
                                           rewriter, loc, low[i] + high[i]))
              .getResult();
        });
    Value init = createEmpty(rewriter, loc, type, sizes);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    rewriter.replaceOp(
        op,
        linalg::GenericOp::create(
            rewriter, loc, type, ValueRange{}, init, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange) {
              SmallVector<Value> indices;
              for (int64_t i = 0; i < rank; ++i) {
                Value idx = linalg::IndexOp::create(b, l, i);
                if (low[i] == 0 && high[i] == 0) {
                  indices.push_back(idx);
                  continue;
                }
                Value size = getValueOrCreateConstantIndexOp(b, l, inSizes[i]);
                Value zero = arith::ConstantIndexOp::create(b, l, 0);
                Value one = arith::ConstantIndexOp::create(b, l, 1);
                Value last = arith::SubIOp::create(b, l, size, one);
                Value j = arith::SubIOp::create(
                    b, l, idx, arith::ConstantIndexOp::create(b, l, low[i]));
                if (reflect) {
                  // j < 0 -> -j; j > last -> 2 * last - j.
                  Value neg = arith::SubIOp::create(b, l, zero, j);
                  j = arith::MaxSIOp::create(b, l, j, neg);
                  Value twiceLast = arith::AddIOp::create(b, l, last, last);
                  Value mirrored = arith::SubIOp::create(b, l, twiceLast, j);
                  j = arith::MinSIOp::create(b, l, j, mirrored);
                } else {
                  j = arith::MaxSIOp::create(b, l, j, zero);
                  j = arith::MinSIOp::create(b, l, j, last);
                }
                indices.push_back(j);
              }
              Value v = tensor::ExtractOp::create(b, l, input, indices);
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0));
    return success();
  }
};

struct GatherLowering final : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += dataType.getRank();
    int64_t indexRank = indicesType.getRank();
    int64_t rank = type.getRank();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < axis; ++i)
      sizes.push_back(getDimSize(rewriter, loc, data, i));
    for (int64_t i = 0; i < indexRank; ++i)
      sizes.push_back(getDimSize(rewriter, loc, indices, i));
    for (int64_t i = axis + 1; i < dataType.getRank(); ++i)
      sizes.push_back(getDimSize(rewriter, loc, data, i));
    Value init = createEmpty(rewriter, loc, type, sizes);
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < indexRank; ++i)
      indexExprs.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, indexExprs, ctx),
                                   rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    OpFoldResult axisSize = getDimSize(rewriter, loc, data, axis);
    rewriter.replaceOp(
        op, linalg::GenericOp::create(
                rewriter, loc, type, indices, init, maps, iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  // Negative indices count from the back of the axis.
                  Value idx = normalizedIndex(
                      b, l, args[0],
                      getValueOrCreateConstantIndexOp(b, l, axisSize));
                  SmallVector<Value> at;
                  for (int64_t i = 0; i < axis; ++i)
                    at.push_back(linalg::IndexOp::create(b, l, i));
                  at.push_back(idx);
                  for (int64_t i = axis + indexRank; i < rank; ++i)
                    at.push_back(linalg::IndexOp::create(b, l, i));
                  Value element = tensor::ExtractOp::create(b, l, data, at);
                  linalg::YieldOp::create(b, l, element);
                })
                .getResult(0));
    return success();
  }
};
} // namespace

void mlir::infer::populateShapePatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLowering, ShapeOfLowering,
               DynamicReshapeLowering, FlattenLowering, SqueezeLowering,
               UnsqueezeLowering, TransposeLowering, ConcatLowering,
               SliceLowering, PadLowering, GatherLowering>(
      converter, patterns.getContext());
}
