//===- Quantized.cpp - int8 ops to integer linalg -------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The ops of an int8 region (what infer-quantize produces) lower to integer
// linalg:
//
// - conv2d (NHWC), matmul and gemm of a per-tensor quantized activation `x`
//   (scale sx, zero point zx, unsigned or signed bytes) by constant weights
//   quantized symmetrically per output channel (`infer.quantize` of an
//   `infer.constant`, scale sw[f]) into a quantized result (sy, zy):
//     acc[.., f] = sum x * w  (bytes widened to i32: extui/extsi * extsi)
//                + round(bias[f] / (sx * sw[f])) - zx * sum_k w[k, f]
//     y = clamp(zy + ((acc * M[f] + 2^(s[f]-1)) >> s[f]))
//   The zero point of x is split off the product (Jacob et al., arXiv
//   1712.05877, section 2.3): with constant weights its term is a constant
//   per channel, folded into the accumulator's start with the bias. The
//   requantization multiplies by the fixed-point M[f] * 2^-s[f] =
//   sx * sw[f] / sy (M in [2^30, 2^31)) in i64 and rounds half up.
// - relu keeps the type (max with the zero point), add rescales both
//   operands in f32 registers and rounds half to even. (max_pool of a
//   quantized tensor is the float lowering's on the stored bytes.)
//
// The weights are quantized here, at compile time, from the float constant.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "infer/Conversion/InferToLinalg/InferToLinalg.h"
#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::infer;

static quant::UniformQuantizedType perTensor(Type type) {
  return dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
}

namespace {
/// Constant weights quantized symmetrically along `axis` (or per tensor).
struct QuantizedWeights {
  SmallVector<int64_t> shape;
  std::vector<int8_t> values;
  SmallVector<double> scales; // one per index of `axis`
  int64_t axis = 0;
};

/// The `requantize` parameters of one output channel: y = zy + ((acc * M +
/// 2^(s-1)) >> s) with M in [2^30, 2^31), 1 <= s <= 62.
struct FixedPoint {
  int64_t multiplier = 0, shift = 62;
};
} // namespace

static FixedPoint fixedPoint(double real) {
  FixedPoint fp;
  if (!(real > 0) || !std::isfinite(real))
    return fp;
  int exponent;
  double fraction = std::frexp(real, &exponent); // [0.5, 1)
  int64_t m = std::llround(fraction * double(1ll << 31));
  if (m == (1ll << 31)) {
    m /= 2;
    ++exponent;
  }
  int64_t shift = 31 - exponent;
  if (shift > 62)
    return fp; // below 2^-31: every accumulator rounds to zero
  // A multiplier of 2^30 or more (sx * sw / sy, never met in practice)
  // saturates.
  if (shift < 1) {
    shift = 1;
    m = INT32_MAX;
  }
  fp.multiplier = m;
  fp.shift = shift;
  return fp;
}

/// The weights of `weight` when it is `infer.quantize` of an `infer.constant`
/// to a symmetric signed 8-bit type, per tensor or along `axis`.
static FailureOr<QuantizedWeights> quantizedWeights(Value weight,
                                                    int64_t axis) {
  auto quantize = weight.getDefiningOp<QuantizeOp>();
  if (!quantize)
    return failure();
  FailureOr<std::vector<float>> floats = getF32Values(quantize.getInput());
  if (failed(floats))
    return failure();
  auto type = cast<RankedTensorType>(weight.getType());
  Type element = type.getElementType();
  QuantizedWeights w;
  w.shape = llvm::to_vector(type.getShape());
  w.axis = axis;
  int64_t channels = type.getDimSize(axis);
  auto qtype = cast<quant::QuantizedType>(element);
  if (!qtype.isSigned() || qtype.getStorageTypeIntegralWidth() != 8)
    return failure();
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element)) {
    if (uniform.getZeroPoint() != 0)
      return failure();
    w.scales.assign(channels, uniform.getScale());
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    if (perAxis.getQuantizedDimension() != axis ||
        llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z; }))
      return failure();
    w.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
  } else {
    return failure();
  }
  int64_t qmin = qtype.getStorageTypeMin(), qmax = qtype.getStorageTypeMax();
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  w.values.resize(floats->size());
  for (size_t i = 0; i < floats->size(); ++i) {
    int64_t c = (static_cast<int64_t>(i) / inner) % channels;
    // As infer.quantize: round half to even, saturate.
    double q = std::nearbyint((*floats)[i] / float(w.scales[c]));
    w.values[i] =
        static_cast<int8_t>(std::clamp<double>(q, double(qmin), double(qmax)));
  }
  return w;
}

static Value i8Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        ArrayRef<int8_t> values) {
  auto type = RankedTensorType::get(shape, b.getI8Type());
  ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                       values.size());
  if (values.size() <= 64)
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::getFromRawBuffer(type, bytes));
  return arith::ConstantOp::create(
      b, loc,
      DenseResourceElementsAttr::get(
          type, "weights",
          HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64)));
}

static Value intVector(OpBuilder &b, Location loc, Type element,
                       ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, element);
  SmallVector<Attribute> attrs;
  for (int64_t v : values)
    attrs.push_back(b.getIntegerAttr(element, v));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, attrs));
}

/// The accumulator start per output channel: the bias in accumulator units
/// minus the zero-point term zx * sum_k w[k, f].
static FailureOr<SmallVector<int64_t>>
accumulatorStart(Value bias, double inputScale, int64_t inputZeroPoint,
                 ArrayRef<double> weightScales, ArrayRef<int64_t> weightSums) {
  int64_t channels = weightScales.size();
  SmallVector<int64_t> start(channels, 0);
  if (bias) {
    FailureOr<std::vector<float>> values = getF32Values(bias);
    if (failed(values) || static_cast<int64_t>(values->size()) != channels)
      return failure();
    for (int64_t f = 0; f < channels; ++f) {
      double q =
          std::nearbyint(double((*values)[f]) / (inputScale * weightScales[f]));
      start[f] = static_cast<int64_t>(
          std::clamp<double>(q, double(INT32_MIN) / 2, double(INT32_MAX) / 2));
    }
  }
  for (int64_t f = 0; f < channels; ++f)
    start[f] -= inputZeroPoint * weightSums[f];
  return start;
}

/// acc (i32, channels innermost) -> the quantized result `out` by the fixed
/// point multipliers of sx * sw[f] / sy.
static Value requantize(OpBuilder &b, Location loc, Value acc,
                        RankedTensorType resultType, double inputScale,
                        ArrayRef<double> weightScales,
                        quant::UniformQuantizedType out) {
  SmallVector<int64_t> multipliers, shifts;
  for (double ws : weightScales) {
    FixedPoint fp = fixedPoint(inputScale * ws / out.getScale());
    multipliers.push_back(fp.multiplier);
    shifts.push_back(fp.shift);
  }
  Type i64 = b.getI64Type();
  Value m = intVector(b, loc, i64, multipliers);
  Value s = intVector(b, loc, i64, shifts);
  int64_t rank = resultType.getRank();
  MLIRContext *ctx = b.getContext();
  AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
  int64_t zp = out.getZeroPoint();
  int64_t qmin = out.getStorageTypeMin(), qmax = out.getStorageTypeMax();
  Type storage = resultType.getElementType();
  return mapWith(
      b, loc, acc, resultType, ValueRange{acc, m, s},
      {b.getMultiDimIdentityMap(rank), channel, channel},
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value wide = arith::ExtSIOp::create(nb, nl, i64, args[0]);
        Value one = arith::ConstantOp::create(nb, nl, nb.getI64IntegerAttr(1));
        Value half = arith::ShLIOp::create(
            nb, nl, one, arith::SubIOp::create(nb, nl, args[2], one));
        Value product = arith::MulIOp::create(nb, nl, wide, args[1]);
        Value scaled = arith::ShRSIOp::create(
            nb, nl, arith::AddIOp::create(nb, nl, product, half), args[2]);
        Value q = arith::AddIOp::create(
            nb, nl, scaled,
            arith::ConstantOp::create(nb, nl, nb.getI64IntegerAttr(zp)));
        q = arith::MaxSIOp::create(
            nb, nl, q,
            arith::ConstantOp::create(nb, nl, nb.getI64IntegerAttr(qmin)));
        q = arith::MinSIOp::create(
            nb, nl, q,
            arith::ConstantOp::create(nb, nl, nb.getI64IntegerAttr(qmax)));
        return arith::TruncIOp::create(nb, nl, storage, q);
      });
}

/// The multiply-accumulate body of an integer contraction or convolution:
/// acc + ext(x) * extsi(w), x widened as its quantized type says.
static void macBody(OpBuilder &b, Location loc, ValueRange args,
                    bool unsignedInput) {
  Type i32 = b.getI32Type();
  Value x = unsignedInput
                ? arith::ExtUIOp::create(b, loc, i32, args[0]).getResult()
                : arith::ExtSIOp::create(b, loc, i32, args[0]).getResult();
  Value w = arith::ExtSIOp::create(b, loc, i32, args[1]);
  Value sum = arith::AddIOp::create(b, loc, args[2],
                                    arith::MulIOp::create(b, loc, x, w));
  linalg::YieldOp::create(b, loc, sum);
}

/// An i32 accumulator of `shape` (channels innermost) starting at `start`.
static Value startAccumulator(OpBuilder &b, Location loc,
                              ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> start) {
  auto type = RankedTensorType::get(shape, b.getI32Type());
  Value values = intVector(b, loc, b.getI32Type(), start);
  Value init = tensor::EmptyOp::create(b, loc, shape, b.getI32Type());
  int64_t rank = shape.size();
  return linalg::GenericOp::create(
             b, loc, type, values, init,
             SmallVector<AffineMap>{
                 AffineMap::get(rank, 0,
                                getAffineDimExpr(rank - 1, b.getContext())),
                 b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, args[0]);
             })
      .getResult(0);
}

/// Why a quantized conv2d / matmul / gemm cannot use the integer kernels,
/// or nullopt.
static std::optional<std::string> integerProductLimitation(Value input,
                                                           Value weight,
                                                           Type result,
                                                           int64_t weightAxis) {
  auto x = perTensor(input.getType());
  auto y = perTensor(result);
  if (!x || !y || x.getStorageTypeIntegralWidth() != 8 ||
      y.getStorageTypeIntegralWidth() != 8)
    return std::string("the input and the result must be 8-bit quantized "
                       "per tensor");
  if (!cast<RankedTensorType>(input.getType()).hasStaticShape())
    return std::string("quantized products need static shapes");
  if (failed(quantizedWeights(weight, weightAxis)))
    return std::string("the weights must be an infer.quantize of an "
                       "infer.constant, signed 8-bit and symmetric per "
                       "tensor or per output channel");
  return std::nullopt;
}

static bool isQ(Value v) {
  return isa<quant::QuantizedType>(getElementTypeOrSelf(v.getType()));
}

bool mlir::infer::hasQuantizedTypes(Operation *op) {
  return llvm::any_of(op->getOperands(), isQ) ||
         llvm::any_of(op->getResults(), isQ);
}

std::optional<std::string> mlir::infer::getQuantizedLimitation(Operation *op) {
  // Other dialects' ops (func.return) carry quantized values as they are.
  if (!isa<InferDialect>(op->getDialect()) || !hasQuantizedTypes(op) ||
      isa<QuantizeOp, DequantizeOp>(op))
    return std::nullopt;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (conv.getLayout() != Layout::NHWC || conv.getGroup() != 1)
      return std::string("quantized convolutions must be ungrouped and NHWC "
                         "(infer-convert-layout)");
    if (conv.getBias() && isQ(conv.getBias()))
      return std::string("the bias of a quantized convolution is a float "
                         "constant");
    return integerProductLimitation(conv.getInput(), conv.getWeight(),
                                    conv.getType(), 0);
  }
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    if (matmul.getRhs().getType().getRank() != 2)
      return std::string("a quantized matmul needs a 2-D constant rhs");
    return integerProductLimitation(matmul.getLhs(), matmul.getRhs(),
                                    matmul.getType(), 1);
  }
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    if (gemm.getTransA() || gemm.getAlpha().convertToFloat() != 1.0f ||
        gemm.getBeta().convertToFloat() != 1.0f)
      return std::string("a quantized gemm has alpha = beta = 1 and no "
                         "trans_a");
    if (gemm.getC() && isQ(gemm.getC()))
      return std::string("the bias of a quantized gemm is a float constant");
    return integerProductLimitation(gemm.getA(), gemm.getB(), gemm.getType(),
                                    gemm.getTransB() ? 0 : 1);
  }
  if (isa<ReluOp, MaxPoolOp>(op)) {
    Type in = op->getOperand(0).getType(), out = op->getResult(0).getType();
    if (!perTensor(in) || getElementTypeOrSelf(in) != getElementTypeOrSelf(out))
      return std::string("quantized relu and max_pool keep their per-tensor "
                         "type");
    return std::nullopt;
  }
  if (isa<AddOp>(op)) {
    if (!perTensor(op->getOperand(0).getType()) ||
        !perTensor(op->getOperand(1).getType()) ||
        !perTensor(op->getResult(0).getType()))
      return std::string("a quantized add has per-tensor quantized operands "
                         "and result");
    return std::nullopt;
  }
  // Data movement keeps the stored bytes.
  if (isa<ReshapeOp, FlattenOp, TransposeOp, SqueezeOp, UnsqueezeOp, ConcatOp,
          SliceOp>(op)) {
    Type element = getElementTypeOrSelf(op->getResult(0).getType());
    for (Value v : op->getOperands())
      if (isQ(v) && getElementTypeOrSelf(v.getType()) != element)
        return std::string("the quantized operands and the result of a "
                           "reshape, transpose, concat or slice share one "
                           "quantized type");
    return std::nullopt;
  }
  return std::string("'") + op->getName().getStringRef().str() +
         "' has no int8 lowering; dequantize its operands";
}

namespace {
/// The int8 lowering of an op with quantized operands or results: tried
/// before the float one (which refuses quantized types), and only where
/// getQuantizedLimitation finds nothing missing.
template <typename OpTy>
struct QuantizedLowering : OpConversionPattern<OpTy> {
  QuantizedLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern<OpTy>(converter, ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const final {
    if (!hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "not quantized");
    if (std::optional<std::string> why = getQuantizedLimitation(op))
      return rewriter.notifyMatchFailure(op, *why);
    FailureOr<Value> result =
        lower(op, adaptor, rewriter,
              convertedResultType(*this->getTypeConverter(), op));
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "constant operands unreadable");
    rewriter.replaceOp(op, *result);
    return success();
  }

  /// The lowered value of `op`, whose converted result type is `type`.
  virtual FailureOr<Value> lower(OpTy op, typename OpTy::Adaptor adaptor,
                                 ConversionPatternRewriter &rewriter,
                                 RankedTensorType type) const = 0;
};

/// conv2d (NHWC, ungrouped) on quantized input and weights.
struct QuantizedConvLowering final : QuantizedLowering<Conv2DOp> {
  using QuantizedLowering::QuantizedLowering;

  FailureOr<Value> lower(Conv2DOp op, OpAdaptor adaptor,
                         ConversionPatternRewriter &rewriter,
                         RankedTensorType type) const override {
    Location loc = op.getLoc();
    auto x = perTensor(op.getInput().getType());
    auto y = perTensor(op.getType());
    FailureOr<QuantizedWeights> w = quantizedWeights(op.getWeight(), 0);
    // F x C x KH x KW -> KH x KW x C x F.
    int64_t f = w->shape[0], c = w->shape[1], kh = w->shape[2],
            kw = w->shape[3];
    std::vector<int8_t> hwcf(w->values.size());
    SmallVector<int64_t> sums(f, 0);
    for (int64_t o = 0; o < f; ++o)
      for (int64_t i = 0; i < c; ++i)
        for (int64_t r = 0; r < kh; ++r)
          for (int64_t s = 0; s < kw; ++s) {
            int8_t v = w->values[((o * c + i) * kh + r) * kw + s];
            hwcf[((r * kw + s) * c + i) * f + o] = v;
            sums[o] += v;
          }
    FailureOr<SmallVector<int64_t>> start = accumulatorStart(
        op.getBias(), x.getScale(), x.getZeroPoint(), w->scales, sums);
    if (failed(start))
      return failure();
    Value input = adaptor.getInput();
    ArrayRef<int64_t> pads = op.getPads();
    // Padding holds the zero point: the value 0.
    Value zero = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getIntegerAttr(rewriter.getI8Type(), x.getZeroPoint()));
    Value padded = padConstant(rewriter, loc, input, {0, pads[0], pads[1], 0},
                               {0, pads[2], pads[3], 0}, zero);
    Value filter = i8Constant(rewriter, loc, {kh, kw, c, f}, hwcf);
    SmallVector<int64_t> shape(type.getShape());
    Value acc = startAccumulator(rewriter, loc, shape, *start);
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    ArrayRef<int64_t> st = op.getStrides(), di = op.getDilations();
    // (n, oh, ow, f, kh, kw, c)
    SmallVector<AffineMap> maps = {
        AffineMap::get(7, 0,
                       {d(0), d(1) * st[0] + d(4) * di[0],
                        d(2) * st[1] + d(5) * di[1], d(6)},
                       ctx),
        AffineMap::get(7, 0, {d(4), d(5), d(6), d(3)}, ctx),
        AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)};
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    bool unsignedInput = !x.isSigned();
    Value conv = linalg::GenericOp::create(
                     rewriter, loc, acc.getType(), ValueRange{padded, filter},
                     acc, maps, iterators,
                     [&](OpBuilder &b, Location l, ValueRange args) {
                       macBody(b, l, args, unsignedInput);
                     })
                     .getResult(0);
    return requantize(rewriter, loc, conv, type, x.getScale(), w->scales, y);
  }
};

/// [.., K] x [K, N] (or [N, K] when `transposed`, the gemm's trans_b) of a
/// quantized lhs (of `lhsType`) by the constant quantized `weight`, with an
/// optional float constant `bias` of N, into `type` (of `resultType`).
static FailureOr<Value>
lowerIntegerProduct(ConversionPatternRewriter &rewriter, Location loc,
                    Value lhs, Type lhsType, Value weight, bool transposed,
                    Value bias, RankedTensorType type, Type resultType) {
  auto x = perTensor(lhsType), y = perTensor(resultType);
  FailureOr<QuantizedWeights> w = quantizedWeights(weight, transposed ? 0 : 1);
  if (failed(w))
    return failure();
  auto rowsType = cast<RankedTensorType>(lhs.getType());
  int64_t rank = rowsType.getRank();
  int64_t k = rowsType.getDimSize(rank - 1);
  int64_t n = transposed ? w->shape[0] : w->shape[1];
  int64_t m = rowsType.getNumElements() / k;
  // The weights as [K, N], and their column sums.
  std::vector<int8_t> kn(w->values.size());
  SmallVector<int64_t> sums(n, 0);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j) {
      kn[i * n + j] = transposed ? w->values[j * k + i] : w->values[i * n + j];
      sums[j] += kn[i * n + j];
    }
  FailureOr<SmallVector<int64_t>> start =
      accumulatorStart(bias, x.getScale(), x.getZeroPoint(), w->scales, sums);
  if (failed(start))
    return failure();
  // Leading dimensions fold into the rows.
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t i = 0; i < rank - 1; ++i)
    groups[0].push_back(i);
  groups[1].push_back(rank - 1);
  Value rows = lhs;
  if (rank != 2)
    rows = tensor::CollapseShapeOp::create(rewriter, loc, rows, groups);
  Value weights = i8Constant(rewriter, loc, {k, n}, kn);
  Value acc = startAccumulator(rewriter, loc, {m, n}, *start);
  MLIRContext *ctx = rewriter.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                                 AffineMap::get(3, 0, {d(2), d(1)}, ctx),
                                 AffineMap::get(3, 0, {d(0), d(1)}, ctx)};
  bool unsignedInput = !x.isSigned();
  Value product =
      linalg::GenericOp::create(
          rewriter, loc, acc.getType(), ValueRange{rows, weights}, acc, maps,
          SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction},
          [&](OpBuilder &b, Location l, ValueRange args) {
            macBody(b, l, args, unsignedInput);
          })
          .getResult(0);
  Value out = requantize(rewriter, loc, product,
                         RankedTensorType::get({m, n}, type.getElementType()),
                         x.getScale(), w->scales, y);
  if (type.getRank() == 2)
    return out;
  return Value(tensor::ExpandShapeOp::create(rewriter, loc, type, out, groups));
}

/// matmul (2-D constant rhs quantized per column or per tensor).
struct QuantizedMatMulLowering final : QuantizedLowering<MatMulOp> {
  using QuantizedLowering::QuantizedLowering;

  FailureOr<Value> lower(MatMulOp op, OpAdaptor adaptor,
                         ConversionPatternRewriter &rewriter,
                         RankedTensorType type) const override {
    return lowerIntegerProduct(rewriter, op.getLoc(), adaptor.getLhs(),
                               op.getLhs().getType(), op.getRhs(),
                               /*transposed=*/false, /*bias=*/Value(), type,
                               op.getType());
  }
};

/// gemm (alpha = beta = 1, constant B quantized per output column).
struct QuantizedGemmLowering final : QuantizedLowering<GemmOp> {
  using QuantizedLowering::QuantizedLowering;

  FailureOr<Value> lower(GemmOp op, OpAdaptor adaptor,
                         ConversionPatternRewriter &rewriter,
                         RankedTensorType type) const override {
    return lowerIntegerProduct(rewriter, op.getLoc(), adaptor.getA(),
                               op.getA().getType(), op.getB(), op.getTransB(),
                               op.getC(), type, op.getType());
  }
};

/// relu of a quantized tensor: max(q, zero point), compared as stored.
struct QuantizedReluLowering final : QuantizedLowering<ReluOp> {
  using QuantizedLowering::QuantizedLowering;

  FailureOr<Value> lower(ReluOp op, OpAdaptor adaptor,
                         ConversionPatternRewriter &rewriter,
                         RankedTensorType type) const override {
    auto q = perTensor(op.getInput().getType());
    Value input = adaptor.getInput();
    int64_t zp = q.getZeroPoint();
    bool isSigned = q.isSigned();
    return mapWith(rewriter, op.getLoc(), input, type, input,
                   rewriter.getMultiDimIdentityMap(type.getRank()),
                   [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                     Value z = arith::ConstantOp::create(
                         b, l, b.getIntegerAttr(args[0].getType(), zp));
                     if (isSigned)
                       return arith::MaxSIOp::create(b, l, args[0], z);
                     return arith::MaxUIOp::create(b, l, args[0], z);
                   });
  }
};

/// add of quantized tensors (numpy broadcasting): both rescaled to the
/// result's scale in f32 registers, rounded half to even, saturated.
struct QuantizedAddLowering final : QuantizedLowering<AddOp> {
  using QuantizedLowering::QuantizedLowering;

  FailureOr<Value> lower(AddOp op, OpAdaptor adaptor,
                         ConversionPatternRewriter &rewriter,
                         RankedTensorType type) const override {
    auto a = perTensor(op.getLhs().getType());
    auto b = perTensor(op.getRhs().getType());
    auto y = perTensor(op.getType());
    Location loc = op.getLoc();
    SmallVector<Value> inputs = {adaptor.getLhs(), adaptor.getRhs()};
    SmallVector<OpFoldResult> sizes =
        broadcastSizes(rewriter, loc, inputs, type);
    Type f32 = rewriter.getF32Type();
    Type storage = type.getElementType();
    return buildElementwise(
        rewriter, loc, type, sizes, inputs,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          auto real = [&](Value q, quant::UniformQuantizedType t) -> Value {
            Value v = t.isSigned()
                          ? arith::SIToFPOp::create(nb, l, f32, q).getResult()
                          : arith::UIToFPOp::create(nb, l, f32, q).getResult();
            v = arith::SubFOp::create(
                nb, l, v,
                arith::ConstantOp::create(
                    nb, l, nb.getF32FloatAttr(float(t.getZeroPoint()))));
            return arith::MulFOp::create(
                nb, l, v,
                arith::ConstantOp::create(
                    nb, l,
                    nb.getF32FloatAttr(float(t.getScale() / y.getScale()))));
          };
          Value sum =
              arith::AddFOp::create(nb, l, real(args[0], a), real(args[1], b));
          Value q = math::RoundEvenOp::create(nb, l, sum);
          q = arith::AddFOp::create(
              nb, l, q,
              arith::ConstantOp::create(
                  nb, l, nb.getF32FloatAttr(float(y.getZeroPoint()))));
          q = arith::MaximumFOp::create(
              nb, l, q,
              arith::ConstantOp::create(
                  nb, l, nb.getF32FloatAttr(float(y.getStorageTypeMin()))));
          q = arith::MinimumFOp::create(
              nb, l, q,
              arith::ConstantOp::create(
                  nb, l, nb.getF32FloatAttr(float(y.getStorageTypeMax()))));
          if (y.isSigned())
            return arith::FPToSIOp::create(nb, l, storage, q);
          return arith::FPToUIOp::create(nb, l, storage, q);
        });
  }
};
} // namespace

void mlir::infer::populateQuantizedPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns
      .add<QuantizedConvLowering, QuantizedMatMulLowering,
           QuantizedGemmLowering, QuantizedReluLowering, QuantizedAddLowering>(
          converter, patterns.getContext());
}
