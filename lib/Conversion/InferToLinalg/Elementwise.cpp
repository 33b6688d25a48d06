//===- Elementwise.cpp - elementwise infer ops to linalg.generic ----------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Elementwise ops, activations, casts, quantize/dequantize and expand become
// all-parallel linalg.generic ops whose indexing maps implement numpy
// broadcasting, so that later elementwise fusion sees one uniform form.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "infer/Dialect/Infer/IR/InferOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::infer;

static Value constantLike(OpBuilder &b, Location loc, Value like, double v) {
  return scalarConstant(b, loc, like.getType(), v);
}

static Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = constantLike(b, loc, x, 1.0);
  Value negX = arith::NegFOp::create(b, loc, x);
  Value exp = math::ExpOp::create(b, loc, negX);
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, exp));
}

/// clamp(x, lo, hi) with NaN propagation.
static Value clamp(OpBuilder &b, Location loc, Value x, double lo, double hi) {
  Value low = arith::MaximumFOp::create(b, loc, x, constantLike(b, loc, x, lo));
  return arith::MinimumFOp::create(b, loc, low, constantLike(b, loc, x, hi));
}

//===----------------------------------------------------------------------===//
// Scalar semantics, one overload per op
//===----------------------------------------------------------------------===//

static Value scalarOf(AddOp, OpBuilder &b, Location loc, ValueRange a) {
  return createAdd(b, loc, a[0], a[1]);
}
static Value scalarOf(SubOp, OpBuilder &b, Location loc, ValueRange a) {
  return createSub(b, loc, a[0], a[1]);
}
static Value scalarOf(MulOp, OpBuilder &b, Location loc, ValueRange a) {
  return createMul(b, loc, a[0], a[1]);
}
static Value scalarOf(DivOp, OpBuilder &b, Location loc, ValueRange a) {
  return createDiv(b, loc, a[0], a[1]);
}
static Value scalarOf(PowOp, OpBuilder &b, Location loc, ValueRange a) {
  if (isa<FloatType>(a[0].getType()))
    return math::PowFOp::create(b, loc, a[0], a[1]);
  return math::IPowIOp::create(b, loc, a[0], a[1]);
}
static Value scalarOf(MaxOp, OpBuilder &b, Location loc, ValueRange a) {
  return createMax(b, loc, a[0], a[1]);
}
static Value scalarOf(MinOp, OpBuilder &b, Location loc, ValueRange a) {
  return createMin(b, loc, a[0], a[1]);
}
static Value scalarOf(SqrtOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::SqrtOp::create(b, loc, a[0]);
}
static Value scalarOf(ExpOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::ExpOp::create(b, loc, a[0]);
}
static Value scalarOf(LogOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::LogOp::create(b, loc, a[0]);
}
static Value scalarOf(NegOp, OpBuilder &b, Location loc, ValueRange a) {
  if (isa<FloatType>(a[0].getType()))
    return arith::NegFOp::create(b, loc, a[0]);
  return arith::SubIOp::create(b, loc, constantLike(b, loc, a[0], 0), a[0]);
}
static Value scalarOf(AbsOp, OpBuilder &b, Location loc, ValueRange a) {
  if (isa<FloatType>(a[0].getType()))
    return math::AbsFOp::create(b, loc, a[0]);
  return math::AbsIOp::create(b, loc, a[0]);
}
static Value scalarOf(ErfOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::ErfOp::create(b, loc, a[0]);
}
static Value scalarOf(TanhOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::TanhOp::create(b, loc, a[0]);
}
static Value scalarOf(SigmoidOp, OpBuilder &b, Location loc, ValueRange a) {
  return sigmoid(b, loc, a[0]);
}
static Value scalarOf(ReluOp, OpBuilder &b, Location loc, ValueRange a) {
  return createMax(b, loc, a[0], constantLike(b, loc, a[0], 0));
}
static Value scalarOf(SiluOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::MulFOp::create(b, loc, a[0], sigmoid(b, loc, a[0]));
}
static Value scalarOf(HardSwishOp, OpBuilder &b, Location loc, ValueRange a) {
  Value x = a[0];
  Value t = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, x, constantLike(b, loc, x, 1.0 / 6)),
      constantLike(b, loc, x, 0.5));
  return arith::MulFOp::create(b, loc, x, clamp(b, loc, t, 0.0, 1.0));
}

static Value scalarOf(ReciprocalOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::DivFOp::create(b, loc, constantLike(b, loc, a[0], 1.0), a[0]);
}
static Value scalarOf(FloorOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::FloorOp::create(b, loc, a[0]);
}
static Value scalarOf(CeilOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::CeilOp::create(b, loc, a[0]);
}
static Value scalarOf(RoundOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::RoundEvenOp::create(b, loc, a[0]);
}
static Value scalarOf(SignOp, OpBuilder &b, Location loc, ValueRange a) {
  Value x = a[0];
  Value zero = constantLike(b, loc, x, 0.0);
  Value one = constantLike(b, loc, x, 1.0);
  Value minusOne = constantLike(b, loc, x, -1.0);
  Value negative, positive;
  if (isa<FloatType>(x.getType())) {
    negative =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
    positive =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
  } else {
    negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
    positive =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero);
  }
  // Zeros (and NaN) stay as they are.
  return arith::SelectOp::create(
      b, loc, negative, minusOne,
      arith::SelectOp::create(b, loc, positive, one, x));
}
static Value scalarOf(SinOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::SinOp::create(b, loc, a[0]);
}
static Value scalarOf(CosOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::CosOp::create(b, loc, a[0]);
}
static Value scalarOf(TanOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::TanOp::create(b, loc, a[0]);
}
static Value scalarOf(AsinOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::AsinOp::create(b, loc, a[0]);
}
static Value scalarOf(AcosOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::AcosOp::create(b, loc, a[0]);
}
static Value scalarOf(AtanOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::AtanOp::create(b, loc, a[0]);
}
static Value scalarOf(SinhOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::SinhOp::create(b, loc, a[0]);
}
static Value scalarOf(CoshOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::CoshOp::create(b, loc, a[0]);
}
static Value scalarOf(AsinhOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::AsinhOp::create(b, loc, a[0]);
}
static Value scalarOf(AcoshOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::AcoshOp::create(b, loc, a[0]);
}
static Value scalarOf(AtanhOp, OpBuilder &b, Location loc, ValueRange a) {
  return math::AtanhOp::create(b, loc, a[0]);
}
static Value scalarOf(NotOp, OpBuilder &b, Location loc, ValueRange a) {
  Type type = a[0].getType();
  Value ones = arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(type, APInt::getAllOnes(type.getIntOrFloatBitWidth())));
  return arith::XOrIOp::create(b, loc, a[0], ones);
}
static Value scalarOf(AndOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::AndIOp::create(b, loc, a[0], a[1]);
}
static Value scalarOf(OrOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::OrIOp::create(b, loc, a[0], a[1]);
}
static Value scalarOf(XorOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::XOrIOp::create(b, loc, a[0], a[1]);
}
static Value scalarOf(ModOp op, OpBuilder &b, Location loc, ValueRange a) {
  Value x = a[0], y = a[1];
  if (isa<FloatType>(x.getType()))
    return arith::RemFOp::create(b, loc, x, y); // C fmod: dividend's sign
  Value rem = arith::RemSIOp::create(b, loc, x, y);
  if (op.getFmod())
    return rem;
  // Python's %: a non-zero remainder takes the divisor's sign.
  Value zero = constantLike(b, loc, x, 0);
  Value nonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero);
  Value remNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, rem, zero);
  Value divNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  Value differ = arith::XOrIOp::create(b, loc, remNegative, divNegative);
  Value fix = arith::AndIOp::create(b, loc, nonZero, differ);
  return arith::SelectOp::create(b, loc, fix,
                                 arith::AddIOp::create(b, loc, rem, y), rem);
}

static Value scalarOf(BitShiftOp op, OpBuilder &b, Location loc, ValueRange a) {
  Value x = a[0], n = a[1];
  bool isUnsigned =
      getElementTypeOrSelf(op.getLhs().getType()).isUnsignedInteger();
  Value shifted;
  if (op.getDirection() == "left")
    shifted = arith::ShLIOp::create(b, loc, x, n);
  else if (isUnsigned)
    shifted = arith::ShRUIOp::create(b, loc, x, n);
  else
    shifted = arith::ShRSIOp::create(b, loc, x, n);
  // LLVM leaves a shift by the width or more undefined; ONNX's is 0.
  Value width = constantLike(b, loc, x, x.getType().getIntOrFloatBitWidth());
  Value tooFar =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, n, width);
  return arith::SelectOp::create(b, loc, tooFar, constantLike(b, loc, x, 0),
                                 shifted);
}

/// The unsigned form of an op whose integer semantics depend on the sign,
/// or null (the signless form is right, or the operands are not unsigned).
static Value unsignedScalar(Operation *op, OpBuilder &b, Location loc,
                            ValueRange a) {
  if (!getElementTypeOrSelf(op->getOperand(0).getType()).isUnsignedInteger())
    return {};
  auto cmp = [&](arith::CmpIPredicate p) -> Value {
    return arith::CmpIOp::create(b, loc, p, a[0], a[1]);
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](DivOp) { return arith::DivUIOp::create(b, loc, a[0], a[1]); })
      .Case([&](ModOp) { return arith::RemUIOp::create(b, loc, a[0], a[1]); })
      .Case([&](MaxOp) { return arith::MaxUIOp::create(b, loc, a[0], a[1]); })
      .Case([&](MinOp) { return arith::MinUIOp::create(b, loc, a[0], a[1]); })
      .Case([&](GreaterOp) { return cmp(arith::CmpIPredicate::ugt); })
      .Case([&](GreaterEqualOp) { return cmp(arith::CmpIPredicate::uge); })
      .Case([&](LessOp) { return cmp(arith::CmpIPredicate::ult); })
      .Case([&](LessEqualOp) { return cmp(arith::CmpIPredicate::ule); })
      .Default([](Operation *) { return Value(); });
}

template <arith::CmpFPredicate F, arith::CmpIPredicate I>
static Value compare(OpBuilder &b, Location loc, ValueRange a) {
  if (isa<FloatType>(a[0].getType()))
    return arith::CmpFOp::create(b, loc, F, a[0], a[1]);
  return arith::CmpIOp::create(b, loc, I, a[0], a[1]);
}
static Value scalarOf(EqualOp, OpBuilder &b, Location loc, ValueRange a) {
  return compare<arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq>(b, loc,
                                                                      a);
}
static Value scalarOf(GreaterOp, OpBuilder &b, Location loc, ValueRange a) {
  return compare<arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt>(b, loc,
                                                                       a);
}
static Value scalarOf(GreaterEqualOp, OpBuilder &b, Location loc,
                      ValueRange a) {
  return compare<arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge>(b, loc,
                                                                       a);
}
static Value scalarOf(LessOp, OpBuilder &b, Location loc, ValueRange a) {
  return compare<arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt>(b, loc,
                                                                       a);
}
static Value scalarOf(LessEqualOp, OpBuilder &b, Location loc, ValueRange a) {
  return compare<arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle>(b, loc,
                                                                       a);
}

// Activations with attributes need the op's attributes in their body.
static Value scalarOf(LeakyReluOp op, OpBuilder &b, Location loc,
                      ValueRange a) {
  Value x = a[0];
  Value zero = constantLike(b, loc, x, 0.0);
  Value negative =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
  Value scaled = arith::MulFOp::create(
      b, loc, x, constantLike(b, loc, x, op.getAlpha().convertToDouble()));
  return arith::SelectOp::create(b, loc, negative, scaled, x);
}

static Value scalarOf(HardSigmoidOp op, OpBuilder &b, Location loc,
                      ValueRange a) {
  Value x = a[0];
  Value t = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(
          b, loc, x, constantLike(b, loc, x, op.getAlpha().convertToDouble())),
      constantLike(b, loc, x, op.getBeta().convertToDouble()));
  return clamp(b, loc, t, 0.0, 1.0);
}

static Value scalarOf(ClipOp op, OpBuilder &b, Location loc, ValueRange a) {
  Value x = a[0];
  if (std::optional<APFloat> min = op.getMin())
    x = createMax(b, loc, x, constantLike(b, loc, x, min->convertToDouble()));
  if (std::optional<APFloat> max = op.getMax())
    x = createMin(b, loc, x, constantLike(b, loc, x, max->convertToDouble()));
  return x;
}

static Value scalarOf(GeluOp op, OpBuilder &b, Location loc, ValueRange a) {
  Value x = a[0];
  Value half = constantLike(b, loc, x, 0.5);
  Value one = constantLike(b, loc, x, 1.0);
  Value inner;
  if (op.getApproximate() == "tanh") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    Value x3 =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x,
        arith::MulFOp::create(b, loc, x3, constantLike(b, loc, x, 0.044715)));
    inner = math::TanhOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, poly,
                              constantLike(b, loc, x, std::sqrt(2.0 / M_PI))));
  } else {
    // 0.5 x (1 + erf(x / sqrt(2)))
    inner = math::ErfOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, x, constantLike(b, loc, x, M_SQRT1_2)));
  }
  return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, half, x),
                               arith::AddFOp::create(b, loc, one, inner));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {
/// Binary ops with numpy broadcasting.
template <typename OpTy>
struct BinaryLowering final : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*this->getTypeConverter(), op);
    SmallVector<Value> inputs = {adaptor.getLhs(), adaptor.getRhs()};
    SmallVector<OpFoldResult> sizes =
        broadcastSizes(rewriter, loc, inputs, type);
    rewriter.replaceOp(
        op, buildElementwise(rewriter, loc, type, sizes, inputs,
                             [&](OpBuilder &b, Location l, ValueRange args) {
                               if (Value v = unsignedScalar(op, b, l, args))
                                 return v;
                               return scalarOf(op, b, l, args);
                             }));
    return success();
  }
};

/// infer.where: the three operands broadcast.
struct WhereLowering final : OpConversionPattern<WhereOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(WhereOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    SmallVector<Value> inputs = {adaptor.getCondition(), adaptor.getX(),
                                 adaptor.getY()};
    SmallVector<OpFoldResult> sizes =
        broadcastSizes(rewriter, loc, inputs, type);
    rewriter.replaceOp(
        op, buildElementwise(rewriter, loc, type, sizes, inputs,
                             [](OpBuilder &b, Location l, ValueRange args) {
                               return arith::SelectOp::create(b, l, args[0],
                                                              args[1], args[2])
                                   .getResult();
                             }));
    return success();
  }
};

/// Float classification to i1, elementwise.
template <typename OpTy>
struct ClassifyLowering final : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*this->getTypeConverter(), op);
    Value input = adaptor.getInput();
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, loc, type, tensor::getMixedSizes(rewriter, loc, input),
            input, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
              Value x = args[0];
              if constexpr (std::is_same_v<OpTy, IsNaNOp>) {
                return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x,
                                             x);
              } else {
                auto ft = cast<FloatType>(x.getType());
                auto inf = [&](bool negative) -> Value {
                  return arith::ConstantOp::create(
                      b, l,
                      b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(),
                                                         negative)));
                };
                Value result = arith::ConstantIntOp::create(b, l, 0, 1);
                if (op.getDetectPositive())
                  result = arith::OrIOp::create(
                      b, l, result,
                      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x,
                                            inf(false)));
                if (op.getDetectNegative())
                  result = arith::OrIOp::create(
                      b, l, result,
                      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x,
                                            inf(true)));
                return result;
              }
            }));
    return success();
  }
};

/// Unary ops whose result has the operand's shape.
template <typename OpTy>
struct UnaryLowering final : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "quantized: the int8 lowering's");
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*this->getTypeConverter(), op);
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    rewriter.replaceOp(
        op, buildElementwise(rewriter, loc, type, sizes, input,
                             [&](OpBuilder &b, Location l, ValueRange args) {
                               return scalarOf(op, b, l, args);
                             }));
    return success();
  }
};
} // namespace

namespace {
/// Converts one scalar between float and signless integer types; an
/// integer is read as unsigned with `fromUnsigned` (and i1, ONNX bool,
/// always), and written as unsigned with `toUnsigned`.
Value castScalar(OpBuilder &b, Location loc, Value x, Type to,
                 bool fromUnsigned = false, bool toUnsigned = false) {
  Type from = x.getType();
  fromUnsigned |= from.isInteger(1);
  if (from == to)
    return x;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat)
    return fromFloat.getWidth() < toFloat.getWidth()
               ? arith::ExtFOp::create(b, loc, to, x).getResult()
               : arith::TruncFOp::create(b, loc, to, x).getResult();
  if (!fromFloat && toFloat)
    return fromUnsigned ? arith::UIToFPOp::create(b, loc, to, x).getResult()
                        : arith::SIToFPOp::create(b, loc, to, x).getResult();
  if (fromFloat && !toFloat) {
    if (to.isInteger(1))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   scalarConstant(b, loc, from, 0.0));
    if (toUnsigned)
      return arith::FPToUIOp::create(b, loc, to, x);
    return arith::FPToSIOp::create(b, loc, to, x);
  }
  if (to.isInteger(1))
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 scalarConstant(b, loc, from, 0));
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth == toWidth)
    return x;
  if (fromWidth < toWidth)
    return fromUnsigned ? arith::ExtUIOp::create(b, loc, to, x).getResult()
                        : arith::ExtSIOp::create(b, loc, to, x).getResult();
  return arith::TruncIOp::create(b, loc, to, x);
}

struct CastLowering final : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, loc, type, tensor::getMixedSizes(rewriter, loc, input),
            input, [&](OpBuilder &b, Location l, ValueRange args) {
              return castScalar(
                  b, l, args[0], type.getElementType(),
                  getElementTypeOrSelf(op.getInput().getType())
                      .isUnsignedInteger(),
                  getElementTypeOrSelf(op.getType()).isUnsignedInteger());
            }));
    return success();
  }
};

struct ExpandLowering final : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Value input = adaptor.getInput();
    rewriter.replaceOp(
        op, buildElementwise(rewriter, loc, type,
                             broadcastSizes(rewriter, loc, input, type), input,
                             [](OpBuilder &, Location, ValueRange args) {
                               return args[0];
                             }));
    return success();
  }
};

/// Scales and zero points of a quantized type as per-axis constant tensors
/// (or scalars for per-tensor quantization), ready for a linalg.generic.
struct QuantParams {
  Value scales, zeroPoints; // 1-D tensors when per axis
  double scale = 0;
  int64_t zeroPoint = 0;
  std::optional<int32_t> axis;
};

QuantParams getQuantParams(OpBuilder &b, Location loc,
                           quant::QuantizedType qtype, Type floatType) {
  QuantParams params;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(qtype)) {
    params.scale = uniform.getScale();
    params.zeroPoint = uniform.getZeroPoint();
    return params;
  }
  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(qtype);
  params.axis = perAxis.getQuantizedDimension();
  int64_t n = perAxis.getScales().size();
  auto scaleType = RankedTensorType::get({n}, floatType);
  SmallVector<Attribute> scales;
  for (double s : perAxis.getScales())
    scales.push_back(b.getFloatAttr(floatType, s));
  params.scales = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(scaleType, scales));
  SmallVector<Attribute> zeros;
  for (int64_t z : perAxis.getZeroPoints())
    zeros.push_back(b.getFloatAttr(floatType, static_cast<double>(z)));
  params.zeroPoints = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(scaleType, zeros));
  return params;
}

/// A generic over `input`'s shape whose body also sees the scale and zero
/// point of the element (per tensor or per axis), as floats.
Value buildQuantGeneric(
    OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
    const QuantParams &params, Type floatType,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value, Value)>
        body) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  if (params.axis) {
    AffineMap axisMap =
        AffineMap::get(rank, 0, getAffineDimExpr(*params.axis, b.getContext()));
    inputs.append({params.scales, params.zeroPoints});
    maps.append({axisMap, axisMap});
  }
  return mapWith(b, loc, input, resultType, inputs, maps,
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   Value scale, zeroPoint;
                   if (params.axis) {
                     scale = args[1];
                     zeroPoint = args[2];
                   } else {
                     scale = scalarConstant(nb, nl, floatType, params.scale);
                     zeroPoint =
                         scalarConstant(nb, nl, floatType,
                                        static_cast<double>(params.zeroPoint));
                   }
                   return body(nb, nl, args[0], scale, zeroPoint);
                 });
}

struct QuantizeLowering final : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto qtype = cast<quant::QuantizedType>(op.getType().getElementType());
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Type floatType = op.getInput().getType().getElementType();
    QuantParams params = getQuantParams(rewriter, loc, qtype, floatType);
    double qmin = static_cast<double>(qtype.getStorageTypeMin());
    double qmax = static_cast<double>(qtype.getStorageTypeMax());
    Type storage = type.getElementType();
    bool isSigned = qtype.isSigned();
    Value result = buildQuantGeneric(
        rewriter, loc, adaptor.getInput(), type, params, floatType,
        [&](OpBuilder &b, Location l, Value x, Value scale, Value zp) {
          // ONNX QuantizeLinear: saturate(round_half_even(x / scale) + zp).
          Value q = math::RoundEvenOp::create(
              b, l, arith::DivFOp::create(b, l, x, scale));
          q = arith::AddFOp::create(b, l, q, zp);
          q = clamp(b, l, q, qmin, qmax);
          if (isSigned)
            return arith::FPToSIOp::create(b, l, storage, q).getResult();
          return arith::FPToUIOp::create(b, l, storage, q).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeLowering final : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto qtype =
        cast<quant::QuantizedType>(op.getInput().getType().getElementType());
    RankedTensorType type = convertedResultType(*getTypeConverter(), op);
    Type floatType = type.getElementType();
    QuantParams params = getQuantParams(rewriter, loc, qtype, floatType);
    bool isSigned = qtype.isSigned();
    Value result = buildQuantGeneric(
        rewriter, loc, adaptor.getInput(), type, params, floatType,
        [&](OpBuilder &b, Location l, Value q, Value scale, Value zp) {
          Value x =
              isSigned
                  ? arith::SIToFPOp::create(b, l, floatType, q).getResult()
                  : arith::UIToFPOp::create(b, l, floatType, q).getResult();
          return arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, x, zp),
                                       scale)
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::infer::populateElementwisePatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns
      .add<BinaryLowering<AddOp>, BinaryLowering<SubOp>, BinaryLowering<MulOp>,
           BinaryLowering<DivOp>, BinaryLowering<PowOp>, BinaryLowering<MaxOp>,
           BinaryLowering<MinOp>, BinaryLowering<AndOp>, BinaryLowering<OrOp>,
           BinaryLowering<XorOp>, BinaryLowering<ModOp>,
           BinaryLowering<BitShiftOp>, BinaryLowering<EqualOp>,
           BinaryLowering<GreaterOp>, BinaryLowering<GreaterEqualOp>,
           BinaryLowering<LessOp>, BinaryLowering<LessEqualOp>>(converter, ctx);
  patterns
      .add<UnaryLowering<ReciprocalOp>, UnaryLowering<FloorOp>,
           UnaryLowering<CeilOp>, UnaryLowering<RoundOp>, UnaryLowering<SignOp>,
           UnaryLowering<SinOp>, UnaryLowering<CosOp>, UnaryLowering<TanOp>,
           UnaryLowering<AsinOp>, UnaryLowering<AcosOp>, UnaryLowering<AtanOp>,
           UnaryLowering<SinhOp>, UnaryLowering<CoshOp>, UnaryLowering<AsinhOp>,
           UnaryLowering<AcoshOp>, UnaryLowering<AtanhOp>, UnaryLowering<NotOp>,
           WhereLowering, ClassifyLowering<IsNaNOp>, ClassifyLowering<IsInfOp>>(
          converter, ctx);
  patterns.add<UnaryLowering<SqrtOp>, UnaryLowering<ExpOp>,
               UnaryLowering<LogOp>, UnaryLowering<NegOp>, UnaryLowering<AbsOp>,
               UnaryLowering<ErfOp>, UnaryLowering<TanhOp>,
               UnaryLowering<SigmoidOp>, UnaryLowering<ReluOp>,
               UnaryLowering<SiluOp>, UnaryLowering<HardSwishOp>,
               UnaryLowering<LeakyReluOp>, UnaryLowering<HardSigmoidOp>,
               UnaryLowering<ClipOp>, UnaryLowering<GeluOp>>(converter, ctx);
  patterns
      .add<CastLowering, ExpandLowering, QuantizeLowering, DequantizeLowering>(
          converter, ctx);
}
