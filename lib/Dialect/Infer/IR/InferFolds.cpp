//===- InferFolds.cpp - folders and canonicalizations ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Folds that remove identities (x * 1, transpose with the identity
// permutation, zero padding...), compose chains (transpose of transpose,
// reshape of reshape) and evaluate small constant subgraphs at compile time.
// Constant folding is bounded by kMaxFoldedElements so that folding never
// turns a compact splat or resource into a huge literal.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/IR/ShapeInference.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;
using namespace mlir::infer;

/// Largest non-splat constant the folders materialize.
static constexpr int64_t kMaxFoldedElements = 1 << 16;

/// The operand itself when the op maps it to a result of the same type.
static OpFoldResult foldToInput(Value input, Type resultType) {
  return input.getType() == resultType ? input : OpFoldResult();
}

/// Whether a constant is small enough (or splat) to fold into a new literal.
static bool isFoldable(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  return dense &&
         (dense.isSplat() || dense.getNumElements() <= kMaxFoldedElements);
}

/// Applies a double-precision function to a float of any semantics.
static APFloat applyDouble(const APFloat &value, double (*fn)(double)) {
  bool losesInfo;
  APFloat wide = value;
  wide.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  APFloat result(fn(wide.convertToDouble()));
  result.convert(value.getSemantics(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return result;
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

/// Folds a binary elementwise op on constants. Splats broadcast to any static
/// result shape; a dense operand must already have the result shape.
template <typename FloatFn, typename IntFn>
static Attribute foldBinary(ArrayRef<Attribute> operands, Type resultType,
                            FloatFn floatFn, IntFn intFn) {
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type || !type.hasStaticShape() || !isFoldable(operands[0]) ||
      !isFoldable(operands[1]))
    return {};
  auto lhs = cast<DenseElementsAttr>(operands[0]);
  auto rhs = cast<DenseElementsAttr>(operands[1]);
  bool isFloat = isa<FloatType>(type.getElementType());
  if (lhs.isSplat() && rhs.isSplat()) {
    if (isFloat)
      return DenseElementsAttr::get(
          type,
          floatFn(lhs.getSplatValue<APFloat>(), rhs.getSplatValue<APFloat>()));
    return DenseElementsAttr::get(
        type, intFn(lhs.getSplatValue<APInt>(), rhs.getSplatValue<APInt>()));
  }
  if (lhs.isSplat())
    lhs = lhs.resizeSplat(type);
  if (rhs.isSplat())
    rhs = rhs.resizeSplat(type);
  if (lhs.getType() != type || rhs.getType() != type)
    return {};
  Attribute same[] = {lhs, rhs};
  if (isFloat)
    return constFoldBinaryOp<FloatAttr, APFloat, void>(same, type, floatFn);
  return constFoldBinaryOp<IntegerAttr, APInt, void>(same, type, intFn);
}

/// Whether `attr` is a splat equal to `value` (exactly, for floats).
static bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType())) {
    APFloat splat = dense.getSplatValue<APFloat>();
    return splat.isNegative() == std::signbit(value) &&
           splat.convertToDouble() == value;
  }
  return dense.getSplatValue<APInt>().getSExtValue() == value;
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // x + (-0.0) is x for every float x, +0.0 is not (-0.0 + 0.0 == +0.0).
  if (isSplatOf(adaptor.getRhs(), -0.0) ||
      (isa<IntegerType>(getType().getElementType()) &&
       isSplatOf(adaptor.getRhs(), 0)))
    if (OpFoldResult input = foldToInput(getLhs(), getType()))
      return input;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) { return a + b; },
      [](const APInt &a, const APInt &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0.0))
    if (OpFoldResult input = foldToInput(getLhs(), getType()))
      return input;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) { return a - b; },
      [](const APInt &a, const APInt &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult input = foldToInput(getLhs(), getType()))
      return input;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) { return a * b; },
      [](const APInt &a, const APInt &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult input = foldToInput(getLhs(), getType()))
      return input;
  // Integer division by zero is left for run time to report.
  auto rhs = dyn_cast_or_null<DenseElementsAttr>(adaptor.getRhs());
  if (isa<IntegerType>(getType().getElementType()) &&
      (!rhs || llvm::any_of(rhs.getValues<APInt>(),
                            [](const APInt &v) { return v.isZero(); })))
    return {};
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) { return a / b; },
      [](const APInt &a, const APInt &b) { return a.sdiv(b); });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult input = foldToInput(getLhs(), getType()))
      return input;
  // Integer powers are left to run time (negative exponents, overflow).
  if (!isa<FloatType>(getType().getElementType()))
    return {};
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) {
        bool losesInfo;
        APFloat exponent = b;
        exponent.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                         &losesInfo);
        double e = exponent.convertToDouble();
        APFloat wide = a;
        wide.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                     &losesInfo);
        APFloat result(std::pow(wide.convertToDouble(), e));
        result.convert(a.getSemantics(), APFloat::rmNearestTiesToEven,
                       &losesInfo);
        return result;
      },
      [](const APInt &a, const APInt &) { return a; });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return foldToInput(getLhs(), getType());
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) { return llvm::maximum(a, b); },
      [](const APInt &a, const APInt &b) { return a.sge(b) ? a : b; });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return foldToInput(getLhs(), getType());
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) { return llvm::minimum(a, b); },
      [](const APInt &a, const APInt &b) { return a.sle(b) ? a : b; });
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

template <typename FloatFn>
static OpFoldResult foldFloatUnary(Attribute operand, FloatFn fn) {
  if (!isFoldable(operand))
    return {};
  return constFoldUnaryOp<FloatAttr, APFloat, void>(ArrayRef(operand), fn);
}

template <typename FloatFn, typename IntFn>
static OpFoldResult foldNumericUnary(Attribute operand, FloatFn floatFn,
                                     IntFn intFn) {
  if (!isFoldable(operand))
    return {};
  if (isa<FloatType>(cast<DenseElementsAttr>(operand).getElementType()))
    return constFoldUnaryOp<FloatAttr, APFloat, void>(ArrayRef(operand),
                                                      floatFn);
  return constFoldUnaryOp<IntegerAttr, APInt, void>(ArrayRef(operand), intFn);
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), [](const APFloat &a) {
    return applyDouble(a, [](double x) { return std::sqrt(x); });
  });
}

OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), [](const APFloat &a) {
    return applyDouble(a, [](double x) { return std::exp(x); });
  });
}

OpFoldResult LogOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), [](const APFloat &a) {
    return applyDouble(a, [](double x) { return std::log(x); });
  });
}

OpFoldResult TanhOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), [](const APFloat &a) {
    return applyDouble(a, [](double x) { return std::tanh(x); });
  });
}

OpFoldResult SigmoidOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(adaptor.getInput(), [](const APFloat &a) {
    return applyDouble(a, [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
  });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldNumericUnary(
      adaptor.getInput(), [](const APFloat &a) { return -a; },
      [](const APInt &a) { return -a; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  return foldNumericUnary(
      adaptor.getInput(), [](const APFloat &a) { return abs(a); },
      [](const APInt &a) { return a.abs(); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  // relu(relu(x)) == relu(x).
  if (getInput().getDefiningOp<ReluOp>())
    return getInput();
  return foldNumericUnary(
      adaptor.getInput(),
      [](const APFloat &a) {
        return a.isNegative() && !a.isNaN() ? APFloat::getZero(a.getSemantics())
                                            : a;
      },
      [](const APInt &a) {
        return a.isNegative() ? APInt::getZero(a.getBitWidth()) : a;
      });
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

/// Reinterprets a constant with a new static shape (row-major order kept).
static OpFoldResult foldReshapeConstant(Attribute operand, Type resultType) {
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type || !type.hasStaticShape() || !isFoldable(operand))
    return {};
  return cast<DenseElementsAttr>(operand).reshape(type);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return foldReshapeConstant(adaptor.getInput(), getType());
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return foldReshapeConstant(adaptor.getInput(), getType());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult input = foldToInput(getInput(), getType()))
    return input;
  return foldReshapeConstant(adaptor.getInput(), getType());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeConstant(adaptor.getInput(), getType());
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult input = foldToInput(getInput(), getType()))
    return input;
  auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (dense && dense.isSplat() && getType().hasStaticShape())
    return dense.resizeSplat(getType());
  return {};
}

namespace {
/// reshape(reshape(x)) -> reshape(x): only the outer shape matters, provided
/// it does not copy (`0`) a dimension of the intermediate value.
struct ComposeReshapes final : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<ReshapeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    SmallVector<int64_t> shape(op.getShape());
    if (op.getType().hasStaticShape())
      shape.assign(op.getType().getShape().begin(),
                   op.getType().getShape().end());
    else if (llvm::is_contained(shape, 0))
      return rewriter.notifyMatchFailure(
          op, "dynamic reshape copies a dimension of the intermediate value");
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        op, op.getType(), producer.getInput(),
        rewriter.getDenseI64ArrayAttr(shape));
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ComposeReshapes>(context);
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (llvm::equal(getPerm(), llvm::seq<int64_t>(0, getPerm().size())))
    return foldToInput(getInput(), getType());
  auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!dense || !isFoldable(dense) || !getType().hasStaticShape())
    return {};
  if (dense.isSplat())
    return dense.resizeSplat(getType());
  // Gather the elements in result order.
  ArrayRef<int64_t> inShape = dense.getType().getShape();
  int64_t rank = inShape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * inShape[i + 1];
  ArrayRef<int64_t> outShape = getType().getShape();
  SmallVector<Attribute> values(dense.getValues<Attribute>());
  SmallVector<Attribute> result;
  result.reserve(values.size());
  SmallVector<int64_t> index(rank, 0);
  for (int64_t n = 0, e = values.size(); n < e; ++n) {
    int64_t offset = 0;
    for (int64_t i = 0; i < rank; ++i)
      offset += index[i] * inStrides[getPerm()[i]];
    result.push_back(values[offset]);
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < outShape[i])
        break;
      index[i] = 0;
    }
  }
  return DenseElementsAttr::get(getType(), result);
}

namespace {
/// transpose(transpose(x, p), q) -> transpose(x, p[q[i]]).
struct ComposeTransposes final : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> perm;
    for (int64_t p : op.getPerm())
      perm.push_back(producer.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), producer.getInput(),
        rewriter.getDenseI64ArrayAttr(perm));
    return success();
  }
};

/// A transpose that keeps the dimensions larger than 1 in order moves no
/// data: it is a reshape (NHWC [N, 1, 1, C] back to NCHW [N, C, 1, 1]).
struct TransposeOfUnitDims final : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    SmallVector<int64_t> order;
    for (int64_t p : op.getPerm())
      if (inputType.getDimSize(p) != 1)
        order.push_back(p);
    if (!llvm::is_sorted(order))
      return rewriter.notifyMatchFailure(op, "moves data");
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        op, type, op.getInput(),
        rewriter.getDenseI64ArrayAttr(type.getShape()));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeTransposes, TransposeOfUnitDims>(context);
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return foldToInput(getInputs().front(), getType());
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // With equal static types each slice takes a whole axis; it keeps it in
  // order unless the step is not 1 on an axis with more than one element.
  if (!getType().hasStaticShape() || getInput().getType() != getType())
    return {};
  std::optional<ArrayRef<int64_t>> steps = getSteps();
  if (!steps)
    return getInput();
  int64_t rank = getType().getRank();
  for (auto [i, step] : llvm::enumerate(*steps)) {
    int64_t axis = getAxes() ? (*getAxes())[i] : static_cast<int64_t>(i);
    if (axis < 0)
      axis += rank;
    if (step != 1 && getType().getDimSize(axis) > 1)
      return {};
  }
  return getInput();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }))
    return foldToInput(getInput(), getType());
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  return foldToInput(getInput(), getType());
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

namespace {
/// quantize(dequantize(q)) -> q when the quantized types agree: requantizing
/// a dequantized value with its own parameters is exact.
struct QuantizeOfDequantize final : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<DequantizeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a dequantize");
    if (producer.getInput().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "quantized types differ");
    rewriter.replaceOp(op, producer.getInput());
    return success();
  }
};
} // namespace

void QuantizeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                             MLIRContext *context) {
  patterns.add<QuantizeOfDequantize>(context);
}

//===----------------------------------------------------------------------===//
// ShapeOfOp
//===----------------------------------------------------------------------===//

OpFoldResult ShapeOfOp::fold(FoldAdaptor) {
  RankedTensorType inputType = getInput().getType();
  auto [first, last] = shapeOfRange(inputType.getRank(), getStart(), getEnd());
  ArrayRef<int64_t> dims = inputType.getShape().slice(first, last - first);
  if (llvm::any_of(dims, ShapedType::isDynamic))
    return {};
  return DenseIntElementsAttr::get(getType(), dims);
}
