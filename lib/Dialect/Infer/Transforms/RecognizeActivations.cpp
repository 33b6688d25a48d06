//===- RecognizeActivations.cpp - decomposed activations to named ops -----===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Exporters write GELU and SiLU as chains of elementwise ops (PyTorch's
// ONNX export before opset 20: Div, Erf, Add, Mul, Mul). These patterns put
// the dialect's named op in their place, so the chain lowers to one loop
// and the layout and fusion passes see one op. They accept the variants
// exporters emit: x / sqrt(2) or x * (1 / sqrt(2)), either operand order of
// every add and mul, and the factor 0.5 applied first, last or to x. Every
// constant must be a single f32 value; the intermediate values must have no
// other use.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::infer;

/// The value of a single-element f32 constant.
static std::optional<double> scalarConstant(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!dense || dense.getNumElements() != 1 ||
      !dense.getElementType().isF32())
    return std::nullopt;
  return static_cast<double>(*dense.getValues<float>().begin());
}

static bool isConstant(Value value, double expected) {
  std::optional<double> v = scalarConstant(value);
  return v && std::abs(*v - expected) <= 1e-6 * std::abs(expected);
}

/// The operand of binary `op` other than `value`, if `value` is one of its
/// operands.
static Value otherOperand(Operation *op, Value value) {
  if (op->getOperand(0) == value)
    return op->getOperand(1);
  if (op->getOperand(1) == value)
    return op->getOperand(0);
  return {};
}

/// The single user of `value`, if it is an `OpTy`.
template <typename OpTy>
static OpTy singleUser(Value value) {
  if (!value.hasOneUse())
    return {};
  return dyn_cast<OpTy>(*value.getUsers().begin());
}

namespace {
/// 0.5 * x * (1 + erf(x / sqrt(2))) -> gelu(x), anchored at the erf.
struct RecognizeGelu final : OpRewritePattern<ErfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ErfOp erf,
                                PatternRewriter &rewriter) const override {
    // The argument: x / sqrt(2) or x * (1 / sqrt(2)).
    Value x;
    Operation *scaled = erf.getInput().getDefiningOp();
    if (auto div = dyn_cast_or_null<DivOp>(scaled)) {
      if (isConstant(div.getRhs(), std::sqrt(2.0)))
        x = div.getLhs();
    } else if (auto mul = dyn_cast_or_null<MulOp>(scaled)) {
      for (Value operand : mul->getOperands())
        if (isConstant(operand, 1.0 / std::sqrt(2.0)))
          x = otherOperand(mul, operand);
    }
    if (!x || !scaled->hasOneUse())
      return rewriter.notifyMatchFailure(erf, "argument is not x / sqrt(2)");
    // 1 + erf(...).
    auto add = singleUser<AddOp>(erf.getOutput());
    if (!add || !isConstant(otherOperand(add, erf.getOutput()), 1.0))
      return rewriter.notifyMatchFailure(erf, "not followed by 1 + erf");
    // The product of x, 0.5 and (1 + erf) in any association.
    auto mul = singleUser<MulOp>(add.getOutput());
    if (!mul)
      return rewriter.notifyMatchFailure(erf, "1 + erf is not multiplied");
    Value factor = otherOperand(mul, add.getOutput());
    Operation *last = nullptr;
    auto isHalfX = [&](Value v) {
      auto half = v.getDefiningOp<MulOp>();
      return half && otherOperand(half, x) &&
             isConstant(otherOperand(half, x), 0.5);
    };
    if (factor == x || isConstant(factor, 0.5)) {
      // (x * s) * 0.5 or (0.5 * s) * x.
      auto outer = singleUser<MulOp>(mul.getOutput());
      Value rest = outer ? otherOperand(outer, mul.getOutput()) : Value();
      if (rest && ((factor == x && isConstant(rest, 0.5)) ||
                   (factor != x && rest == x)))
        last = outer;
    } else if (isHalfX(factor)) {
      last = mul; // (0.5 * x) * s
    }
    if (!last)
      return rewriter.notifyMatchFailure(erf, "not 0.5 * x * (1 + erf)");
    if (last->getResult(0).getType() != x.getType())
      return rewriter.notifyMatchFailure(erf, "the constants broadcast x");
    rewriter.replaceOpWithNewOp<GeluOp>(last, x.getType(), x,
                                        rewriter.getStringAttr("none"));
    return success();
  }
};

/// x * sigmoid(x) -> silu(x).
struct RecognizeSilu final : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (Value operand : mul->getOperands()) {
      auto sigmoid = operand.getDefiningOp<SigmoidOp>();
      if (!sigmoid || !sigmoid->hasOneUse() ||
          otherOperand(mul, operand) != sigmoid.getInput() ||
          mul.getType() != sigmoid.getInput().getType())
        continue;
      rewriter.replaceOpWithNewOp<SiluOp>(mul, mul.getType(),
                                          sigmoid.getInput());
      return success();
    }
    return rewriter.notifyMatchFailure(mul, "not x * sigmoid(x)");
  }
};
} // namespace

void mlir::infer::populateRecognizeActivationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RecognizeGelu, RecognizeSilu>(patterns.getContext());
}
