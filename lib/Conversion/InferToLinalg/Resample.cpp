//===- Resample.cpp - resize and transposed convolution -------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// infer.resize is separable: each resized dimension becomes one parallel
// linalg.generic over the output that maps its coordinate back to the input
// and reads the 1 (nearest), 2 (linear) or 4 (cubic) neighbours with
// tensor.extract; nearest and linear in several dimensions equal these
// passes in sequence, as ONNX's reference computes cubic.
//
// infer.conv_transpose becomes a stride-1 infer.conv2d of its layout (which
// the compute patterns lower in turn) on the input spread out by the strides
// with tensor.insert_slice and padded by the kernel extent less the pads, with
// the weight's two channel dimensions swapped per group and its window flipped.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "infer/Dialect/Infer/IR/InferOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::infer;

namespace {
/// Index and float scalar helpers inside a generic's body.
struct Scalars {
  OpBuilder &b;
  Location loc;
  Type f; // the computation's float type (f32, or the element type if wider)

  Value cf(double v) const { return scalarConstant(b, loc, f, v); }
  Value ci(int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value add(Value x, Value y) const {
    return arith::AddFOp::create(b, loc, x, y);
  }
  Value sub(Value x, Value y) const {
    return arith::SubFOp::create(b, loc, x, y);
  }
  Value mul(Value x, Value y) const {
    return arith::MulFOp::create(b, loc, x, y);
  }
  Value div(Value x, Value y) const {
    return arith::DivFOp::create(b, loc, x, y);
  }
  Value floor(Value x) const { return math::FloorOp::create(b, loc, x); }
  Value ceil(Value x) const { return math::CeilOp::create(b, loc, x); }
  Value toFloat(Value index) const {
    Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
    return arith::SIToFPOp::create(b, loc, f, i64);
  }
  Value toIndex(Value x) const {
    Value i64 = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i64);
  }
  Value clampIndex(Value i, Value size) const {
    Value zero = ci(0);
    Value last = arith::SubIOp::create(b, loc, size, ci(1));
    Value low = arith::MaxSIOp::create(b, loc, i, zero);
    return arith::MinSIOp::create(b, loc, low, last);
  }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) const {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value x, Value y) const {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
};

/// The input coordinate of output coordinate `x` along one dimension.
/// As ONNX's reference, the output length in the formulas is
/// `scale * input length`, which is not an integer when the scale does not
/// divide; only half_pixel_symmetric also uses the integer output size.
Value sourceCoordinate(const Scalars &s, ResizeOp op, int64_t dim, Value x,
                       Value inLen, Value outSize) {
  StringRef mode = op.getCoordinateTransformationMode();
  Value scale = s.cf(op.getScales()[dim]);
  Value half = s.cf(0.5);
  Value one = s.cf(1.0);
  Value outLen = s.mul(scale, inLen);
  Value single = s.cmp(arith::CmpFPredicate::OEQ, outLen, one);
  if (mode == "asymmetric")
    return s.div(x, scale);
  if (mode == "tf_half_pixel_for_nn")
    return s.div(s.add(x, half), scale);
  if (mode == "align_corners") {
    Value ratio =
        s.div(s.sub(inLen, one), s.select(single, one, s.sub(outLen, one)));
    return s.select(single, s.cf(0.0), s.mul(x, ratio));
  }
  if (mode == "tf_crop_and_resize") {
    int64_t rank = op.getType().getRank();
    Value start = s.cf(op.getRoi()[dim]);
    Value end = s.cf(op.getRoi()[dim + rank]);
    Value span = s.sub(inLen, one);
    Value many = s.add(s.mul(start, span),
                       s.div(s.mul(s.mul(x, s.sub(end, start)), span),
                             s.select(single, one, s.sub(outLen, one))));
    Value middle = s.mul(s.mul(half, s.add(start, end)), span);
    return s.select(single, middle, many);
  }
  Value halfPixel = s.sub(s.div(s.add(x, half), scale), half);
  if (mode == "pytorch_half_pixel")
    return s.select(single, s.cf(-0.5), halfPixel);
  if (mode == "half_pixel_symmetric") {
    // adjustment = output size / (scale * input size), around the centre.
    Value adjustment = s.div(outSize, outLen);
    Value center = s.div(inLen, s.cf(2.0));
    Value offset = s.mul(center, s.sub(one, adjustment));
    return s.add(offset, halfPixel);
  }
  return halfPixel; // half_pixel
}

/// Cubic convolution weight of a tap at distance `d` (0 <= |d| < 2).
Value cubicWeight(const Scalars &s, Value d, double a) {
  Value ad = math::AbsFOp::create(s.b, s.loc, d);
  Value ad2 = s.mul(ad, ad), ad3 = s.mul(ad2, ad);
  // |d| <= 1: (a + 2)|d|^3 - (a + 3)|d|^2 + 1
  Value near =
      s.add(s.sub(s.mul(s.cf(a + 2), ad3), s.mul(s.cf(a + 3), ad2)), s.cf(1.0));
  // 1 < |d| < 2: a|d|^3 - 5a|d|^2 + 8a|d| - 4a
  Value far = s.sub(s.add(s.sub(s.mul(s.cf(a), ad3), s.mul(s.cf(5 * a), ad2)),
                          s.mul(s.cf(8 * a), ad)),
                    s.cf(4 * a));
  return s.select(s.cmp(arith::CmpFPredicate::OLE, ad, s.cf(1.0)), near, far);
}

/// Resizes `input` along `dim` to `outSize` elements.
Value resizeDim(OpBuilder &rewriter, Location loc, ResizeOp op, Value input,
                int64_t dim, int64_t staticOut, OpFoldResult outSize) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> shape(inputType.getShape());
  shape[dim] = staticOut;
  auto type = RankedTensorType::get(shape, inputType.getElementType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, input);
  OpFoldResult inSize = sizes[dim];
  sizes[dim] = outSize;
  Value init = createEmpty(rewriter, loc, type, sizes);
  Type elementType = inputType.getElementType();
  Type computeType = elementType.getIntOrFloatBitWidth() > 32
                         ? elementType
                         : Float32Type::get(rewriter.getContext());
  StringRef mode = op.getMode();
  StringRef nearestMode = op.getNearestMode();
  bool crop = op.getCoordinateTransformationMode() == "tf_crop_and_resize";
  double a = op.getCubicCoeffA().convertToDouble();
  bool excludeOutside = op.getExcludeOutside();
  double extrapolation = op.getExtrapolationValue().convertToDouble();
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, type, ValueRange{}, init,
      {rewriter.getMultiDimIdentityMap(rank)}, iterators,
      [&](OpBuilder &b, Location l, ValueRange) {
        Scalars s{b, l, computeType};
        SmallVector<Value> at;
        for (int64_t i = 0; i < rank; ++i)
          at.push_back(linalg::IndexOp::create(b, l, i));
        Value inLenIndex = getValueOrCreateConstantIndexOp(b, l, inSize);
        Value inLen = s.toFloat(inLenIndex);
        Value outLen =
            s.toFloat(getValueOrCreateConstantIndexOp(b, l, outSize));
        Value x =
            sourceCoordinate(s, op, dim, s.toFloat(at[dim]), inLen, outLen);
        auto read = [&](Value index) {
          SmallVector<Value> where(at);
          where[dim] = s.clampIndex(index, inLenIndex);
          Value v = tensor::ExtractOp::create(b, l, input, where);
          return castForAccumulation(b, l, v, computeType);
        };
        Value result;
        if (mode == "nearest") {
          Value rounded;
          if (nearestMode == "floor") {
            rounded = s.floor(x);
          } else if (nearestMode == "ceil") {
            rounded = s.ceil(x);
          } else {
            // round_prefer_floor: halves go down; round_prefer_ceil: up.
            Value fl = s.floor(x);
            Value frac = s.sub(x, fl);
            Value half = s.cf(0.5);
            Value up = nearestMode == "round_prefer_ceil"
                           ? s.cmp(arith::CmpFPredicate::OGE, frac, half)
                           : s.cmp(arith::CmpFPredicate::OGT, frac, half);
            rounded = s.select(up, s.add(fl, s.cf(1.0)), fl);
          }
          result = read(s.toIndex(rounded));
        } else if (mode == "linear") {
          // Clamped to the input so that both neighbours are the edge.
          Value xc = arith::MaximumFOp::create(b, l, x, s.cf(0.0));
          xc = arith::MinimumFOp::create(b, l, xc, s.sub(inLen, s.cf(1.0)));
          Value fl = s.floor(xc);
          Value frac = s.sub(xc, fl);
          Value i0 = s.toIndex(fl);
          Value i1 = arith::AddIOp::create(b, l, i0, s.ci(1));
          result = s.add(s.mul(read(i0), s.sub(s.cf(1.0), frac)),
                         s.mul(read(i1), frac));
        } else {
          Value fl = s.floor(x);
          Value frac = s.sub(x, fl);
          Value i0 = s.toIndex(fl);
          Value sum = s.cf(0.0), weights = s.cf(0.0);
          for (int64_t t = -1; t <= 2; ++t) {
            Value index = arith::AddIOp::create(b, l, i0, s.ci(t));
            Value w =
                cubicWeight(s, s.sub(frac, s.cf(static_cast<double>(t))), a);
            if (excludeOutside) {
              Value inside = arith::AndIOp::create(
                  b, l,
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, index,
                                        s.ci(0)),
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, index,
                                        inLenIndex));
              w = s.select(inside, w, s.cf(0.0));
            }
            sum = s.add(sum, s.mul(w, read(index)));
            weights = s.add(weights, w);
          }
          result = excludeOutside ? s.div(sum, weights) : sum;
        }
        if (crop) {
          Value outside = arith::OrIOp::create(
              b, l, s.cmp(arith::CmpFPredicate::OLT, x, s.cf(0.0)),
              s.cmp(arith::CmpFPredicate::OGT, x, s.sub(inLen, s.cf(1.0))));
          result = s.select(outside, s.cf(extrapolation), result);
        }
        if (computeType != elementType)
          result = arith::TruncFOp::create(b, l, elementType, result);
        linalg::YieldOp::create(b, l, result);
      });
  return generic.getResult(0);
}

struct ResizeLowering final : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value value = adaptor.getInput();
    bool crop = op.getCoordinateTransformationMode() == "tf_crop_and_resize";
    for (int64_t dim = 0; dim < type.getRank(); ++dim) {
      int64_t in = cast<RankedTensorType>(value.getType()).getDimSize(dim);
      int64_t out = type.getDimSize(dim);
      float scale = op.getScales()[dim];
      // A dimension kept as it is needs no pass (a crop still resamples).
      if (scale == 1.0f && !crop && (in == out || ShapedType::isDynamic(out)))
        continue;
      OpFoldResult outSize;
      if (!ShapedType::isDynamic(out)) {
        outSize = rewriter.getIndexAttr(out);
      } else {
        // floor(input size * scale)
        Value inDim = getValueOrCreateConstantIndexOp(
            rewriter, loc, getDimSize(rewriter, loc, value, dim));
        Value f = arith::SIToFPOp::create(
            rewriter, loc, rewriter.getF64Type(),
            arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                       inDim));
        Value scaled = arith::MulFOp::create(
            rewriter, loc, f,
            scalarConstant(rewriter, loc, rewriter.getF64Type(), scale));
        Value fl = math::FloorOp::create(rewriter, loc, scaled);
        outSize = arith::IndexCastOp::create(
                      rewriter, loc, rewriter.getIndexType(),
                      arith::FPToSIOp::create(rewriter, loc,
                                              rewriter.getI64Type(), fl))
                      .getResult();
      }
      value = resizeDim(rewriter, loc, op, value, dim, out, outSize);
    }
    if (value.getType() != type)
      value = tensor::CastOp::create(rewriter, loc, type, value);
    rewriter.replaceOp(op, value);
    return success();
  }
};

/// A transposed convolution whose windows do not overlap (stride = kernel,
/// no padding or dilation, one group: the usual learned upsampling) is one
/// matrix product, [pixels x C] x [C x (KH KW F)], whose rows are then
/// interleaved into the output: no product with the zeros a spread input
/// would have. Null when the op is not of that form.
static Value upsamplingProduct(ConversionPatternRewriter &rewriter,
                               ConvTransposeOp op, Value input, Value weight,
                               Value bias) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  ArrayRef<int64_t> w = weightType.getShape();
  ArrayRef<int64_t> strides = op.getStrides();
  bool nhwc = op.getLayout() == Layout::NHWC;
  int64_t sp = nhwc ? 1 : 2;
  if (op.getGroup() != 1 || strides[0] != w[2] || strides[1] != w[3] ||
      llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; }) ||
      llvm::any_of(op.getOutputPadding(), [](int64_t p) { return p != 0; }) ||
      llvm::any_of(op.getDilations(), [](int64_t d) { return d != 1; }) ||
      !weightType.hasStaticShape() || inputType.isDynamicDim(sp) ||
      inputType.isDynamicDim(sp + 1))
    return {};
  Location loc = op.getLoc();
  int64_t c = w[0], f = w[1], kh = w[2], kw = w[3];
  int64_t h = inputType.getDimSize(sp), wd = inputType.getDimSize(sp + 1);
  auto array = [&](ArrayRef<int64_t> v) {
    return rewriter.getDenseI64ArrayAttr(v);
  };
  Value x = input;
  if (!nhwc)
    x = TransposeOp::create(rewriter, loc, x, array({0, 2, 3, 1}));
  Value rows = ReshapeOp::create(rewriter, loc, x, array({-1, c}));
  // C x F x KH x KW -> C x (KH KW F)
  Value cols = ReshapeOp::create(
      rewriter, loc,
      TransposeOp::create(rewriter, loc, weight, array({0, 2, 3, 1})),
      array({c, kh * kw * f}));
  Value product = MatMulOp::create(rewriter, loc, rows, cols);
  // N x H x W x KH x KW x F -> N x H x KH x W x KW x F -> N x H KH x W KW x F
  Value pixels =
      ReshapeOp::create(rewriter, loc, product, array({-1, h, wd, kh, kw, f}));
  Value interleaved =
      TransposeOp::create(rewriter, loc, pixels, array({0, 1, 3, 2, 4, 5}));
  Value out = ReshapeOp::create(rewriter, loc, interleaved,
                                array({-1, h * kh, wd * kw, f}));
  if (bias)
    out = AddOp::create(rewriter, loc, out, bias);
  if (!nhwc)
    out = TransposeOp::create(rewriter, loc, out, array({0, 3, 1, 2}));
  return out;
}

struct ConvTransposeLowering final : OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    Type elementType = inputType.getElementType();
    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> pads = op.getPads();
    ArrayRef<int64_t> dilations = op.getDilations();
    ArrayRef<int64_t> outputPadding = op.getOutputPadding();
    int64_t group = op.getGroup();
    if (weightType.isDynamicDim(2) || weightType.isDynamicDim(3) ||
        weightType.isDynamicDim(0) || weightType.isDynamicDim(1))
      return rewriter.notifyMatchFailure(op, "needs a static weight shape");
    ArrayRef<int64_t> w = weightType.getShape();
    Value zero = scalarConstant(rewriter, loc, elementType, 0.0);
    if (Value product =
            upsamplingProduct(rewriter, op, input, weight, adaptor.getBias())) {
      rewriter.replaceOp(op, product);
      return success();
    }

    // The spatial dimensions of the input (and result): 2, 3 in NCHW, 1, 2
    // in NHWC.
    bool nhwc = op.getLayout() == Layout::NHWC;
    int64_t sp = nhwc ? 1 : 2;
    // Spread the input out by the strides: x[.., h, w] -> (h * s, w * s).
    Value spread = input;
    if (strides[0] > 1 || strides[1] > 1) {
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, loc, input);
      SmallVector<OpFoldResult> spreadSizes(sizes);
      SmallVector<int64_t> shape(inputType.getShape());
      for (int i = 0; i < 2; ++i) {
        AffineExpr d = rewriter.getAffineDimExpr(0);
        spreadSizes[sp + i] = affine::makeComposedFoldedAffineApply(
            rewriter, loc, (d - 1) * strides[i] + 1, {sizes[sp + i]});
        if (!ShapedType::isDynamic(shape[sp + i]))
          shape[sp + i] = (shape[sp + i] - 1) * strides[i] + 1;
      }
      auto spreadType = RankedTensorType::get(shape, elementType);
      Value zeros = createFilled(rewriter, loc, spreadType, spreadSizes, zero);
      SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> steps(4, rewriter.getIndexAttr(1));
      steps[sp] = rewriter.getIndexAttr(strides[0]);
      steps[sp + 1] = rewriter.getIndexAttr(strides[1]);
      spread = tensor::InsertSliceOp::create(rewriter, loc, input, zeros,
                                             offsets, sizes, steps);
    }

    // Pad by the dilated kernel extent less the pads; pads beyond it crop.
    SmallVector<int64_t> low(4, 0), high(4, 0), cropLow(4, 0), cropHigh(4, 0);
    for (int i = 0; i < 2; ++i) {
      int64_t extent = (w[2 + i] - 1) * dilations[i];
      int64_t before = extent - pads[i];
      int64_t after = extent - pads[2 + i] + outputPadding[i];
      low[sp + i] = std::max<int64_t>(before, 0);
      high[sp + i] = std::max<int64_t>(after, 0);
      cropLow[sp + i] = std::max<int64_t>(-before, 0);
      cropHigh[sp + i] = std::max<int64_t>(-after, 0);
    }
    Value padded = padConstant(rewriter, loc, spread, low, high, zero);
    if (llvm::any_of(cropLow, [](int64_t c) { return c > 0; }) ||
        llvm::any_of(cropHigh, [](int64_t c) { return c > 0; })) {
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, loc, padded);
      SmallVector<OpFoldResult> offsets, cropSizes;
      auto paddedType = cast<RankedTensorType>(padded.getType());
      SmallVector<int64_t> shape(paddedType.getShape());
      for (int64_t i = 0; i < 4; ++i) {
        offsets.push_back(rewriter.getIndexAttr(cropLow[i]));
        AffineExpr d = rewriter.getAffineDimExpr(0);
        cropSizes.push_back(affine::makeComposedFoldedAffineApply(
            rewriter, loc, d - cropLow[i] - cropHigh[i], {sizes[i]}));
        if (!ShapedType::isDynamic(shape[i]))
          shape[i] -= cropLow[i] + cropHigh[i];
      }
      padded = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(shape, elementType), padded,
          offsets, cropSizes,
          SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1)));
    }

    // Weight C x F/g x KH x KW -> F x C/g x KH x KW, window flipped:
    // w'[g * F/g + f, c, y, x] = w[g * C/g + c, f, KH-1-y, KW-1-x].
    int64_t inPerGroup = w[0] / group, outPerGroup = w[1];
    auto flippedType = RankedTensorType::get(
        {outPerGroup * group, inPerGroup, w[2], w[3]}, elementType);
    Value flippedInit = tensor::EmptyOp::create(
        rewriter, loc, flippedType.getShape(), elementType);
    // An affine read map, not a gather: the vectorizer would take the
    // descending inner index of a tensor.extract for a contiguous one.
    AffineExpr f = rewriter.getAffineDimExpr(0);
    AffineExpr c = rewriter.getAffineDimExpr(1);
    AffineExpr y = rewriter.getAffineDimExpr(2);
    AffineExpr x = rewriter.getAffineDimExpr(3);
    AffineMap read =
        AffineMap::get(4, 0,
                       {f.floorDiv(outPerGroup) * inPerGroup + c,
                        f % outPerGroup, (w[2] - 1) - y, (w[3] - 1) - x},
                       rewriter.getContext());
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    Value flipped = linalg::GenericOp::create(
                        rewriter, loc, flippedType, weight, flippedInit,
                        {read, rewriter.getMultiDimIdentityMap(4)}, iterators,
                        [&](OpBuilder &b, Location l, ValueRange args) {
                          linalg::YieldOp::create(b, l, args[0]);
                        })
                        .getResult(0);

    auto conv = Conv2DOp::create(
        rewriter, loc, type, padded, flipped, adaptor.getBias(),
        rewriter.getDenseI64ArrayAttr({1, 1}),
        rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
        rewriter.getDenseI64ArrayAttr(dilations), group, op.getLayout());
    rewriter.replaceOp(op, conv.getResult());
    return success();
  }
};
} // namespace

void mlir::infer::populateResamplePatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<ResizeLowering, ConvTransposeLowering>(converter,
                                                      patterns.getContext());
}
