//===- Recognize.cpp - decomposed activations and norms to named ops ------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Exporters write GELU and SiLU as chains of elementwise ops (PyTorch's
// ONNX export before opset 20: Div, Erf, Add, Mul, Mul; the tanh form with
// Pow, Mul, Add, Mul, Tanh, Add, Mul, Mul), softmax as Exp,
// ReduceSum and Div, and layer normalization before opset 17 as ReduceMean,
// Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add. These patterns put the
// dialect's named op in their place, so the chain lowers to one kernel
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
  if (!dense || dense.getNumElements() != 1 || !dense.getElementType().isF32())
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

/// The operand of product `mul` whose other operand is the single constant
/// `c` (either order), or null.
static Value scaledBy(Operation *mul, double c) {
  if (!isa_and_present<MulOp>(mul))
    return {};
  for (Value operand : mul->getOperands())
    if (isConstant(operand, c))
      return otherOperand(mul, operand);
  return {};
}

/// The single user of `value`, if it is an `OpTy`.
template <typename OpTy>
static OpTy singleUser(Value value) {
  if (!value.hasOneUse())
    return {};
  return dyn_cast<OpTy>(*value.getUsers().begin());
}

/// The op that computes 0.5 * x * (1 + t) from `t` (the erf or tanh of a
/// GELU), with the product in any association: (x * s) * 0.5,
/// (0.5 * s) * x or (0.5 * x) * s, where s = 1 + t. Null if there is none.
static Operation *matchGeluTail(Value t, Value x) {
  auto add = singleUser<AddOp>(t);
  if (!add || !isConstant(otherOperand(add, t), 1.0))
    return nullptr;
  auto mul = singleUser<MulOp>(add.getOutput());
  if (!mul)
    return nullptr;
  Value factor = otherOperand(mul, add.getOutput());
  Operation *last = nullptr;
  if (factor == x || isConstant(factor, 0.5)) {
    auto outer = singleUser<MulOp>(mul.getOutput());
    Value rest = outer ? otherOperand(outer, mul.getOutput()) : Value();
    if (rest &&
        ((factor == x && isConstant(rest, 0.5)) || (factor != x && rest == x)))
      last = outer;
  } else if (auto half = factor.getDefiningOp<MulOp>()) {
    Value other = otherOperand(half, x);
    if (other && isConstant(other, 0.5))
      last = mul;
  }
  if (!last || last->getResult(0).getType() != x.getType())
    return nullptr;
  return last;
}

/// Whether `v` is x * x * x, as pow(x, 3) or two multiplications.
static bool isCube(Value v, Value x) {
  Operation *op = v.getDefiningOp();
  if (!op || !op->hasOneUse())
    return false;
  if (auto pow = dyn_cast<PowOp>(op))
    return pow.getLhs() == x && isConstant(pow.getRhs(), 3.0);
  auto mul = dyn_cast<MulOp>(op);
  if (!mul)
    return false;
  Value other = otherOperand(mul, x);
  auto square = other ? other.getDefiningOp<MulOp>() : MulOp();
  return square && square->hasOneUse() && square.getLhs() == x &&
         square.getRhs() == x;
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
    } else {
      x = scaledBy(scaled, 1.0 / std::sqrt(2.0));
    }
    if (!x || !scaled->hasOneUse())
      return rewriter.notifyMatchFailure(erf, "argument is not x / sqrt(2)");
    Operation *last = matchGeluTail(erf.getOutput(), x);
    if (!last)
      return rewriter.notifyMatchFailure(erf, "not 0.5 * x * (1 + erf)");
    rewriter.replaceOpWithNewOp<GeluOp>(last, x.getType(), x,
                                        rewriter.getStringAttr("none"));
    return success();
  }
};

/// 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))) ->
/// gelu(x, approximate = "tanh"), anchored at the tanh.
struct RecognizeGeluTanh final : OpRewritePattern<TanhOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TanhOp tanh,
                                PatternRewriter &rewriter) const override {
    auto scaled = tanh.getInput().getDefiningOp<MulOp>();
    if (!scaled || !scaled->hasOneUse())
      return rewriter.notifyMatchFailure(tanh, "argument is not a product");
    Value inner = scaledBy(scaled, std::sqrt(2.0 / M_PI));
    auto sum = inner ? inner.getDefiningOp<AddOp>() : AddOp();
    if (!sum || !sum->hasOneUse())
      return rewriter.notifyMatchFailure(tanh, "not sqrt(2/pi) * (x + ...)");
    // x + 0.044715 * x^3, either order.
    Value x;
    for (Value operand : sum->getOperands()) {
      auto term = otherOperand(sum, operand).getDefiningOp<MulOp>();
      if (!term || !term->hasOneUse())
        continue;
      Value cube = scaledBy(term, 0.044715);
      if (cube && isCube(cube, operand))
        x = operand;
    }
    if (!x)
      return rewriter.notifyMatchFailure(tanh, "not x + 0.044715 * x^3");
    Operation *last = matchGeluTail(tanh.getOutput(), x);
    if (!last)
      return rewriter.notifyMatchFailure(tanh, "not 0.5 * x * (1 + tanh)");
    rewriter.replaceOpWithNewOp<GeluOp>(last, x.getType(), x,
                                        rewriter.getStringAttr("tanh"));
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

/// x * clip(x + 3, 0, 6) / 6 (or * 1/6, or x * (clip(...) / 6)) ->
/// hard_swish(x), as PaddlePaddle and some PyTorch exports spell it;
/// anchored at the last division or product.
struct RecognizeHardSwish final : RewritePattern {
  RecognizeHardSwish(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  /// The x of clip(x + 3, 0, 6), if `v` is that with one use.
  static Value relu6Input(Value v) {
    auto clip = v.getDefiningOp<ClipOp>();
    if (!clip || !clip->hasOneUse() || !clip.getMin() || !clip.getMax() ||
        clip.getMin()->convertToDouble() != 0.0 ||
        clip.getMax()->convertToDouble() != 6.0)
      return {};
    auto add = clip.getInput().getDefiningOp<AddOp>();
    if (!add || !add->hasOneUse())
      return {};
    for (Value operand : add->getOperands())
      if (isConstant(operand, 3.0))
        return otherOperand(add, operand);
    return {};
  }

  /// The y of y / 6 or y * (1/6), if `op` is that.
  static Value dividedBySix(Operation *op) {
    if (auto div = dyn_cast<DivOp>(op))
      return isConstant(div.getRhs(), 6.0) ? div.getLhs() : Value();
    return scaledBy(op, 1.0 / 6.0);
  }

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<DivOp, MulOp>(op))
      return failure();
    Value x;
    // (x * relu6(x + 3)) / 6
    if (Value product = dividedBySix(op)) {
      if (auto mul = product.getDefiningOp<MulOp>(); mul && mul->hasOneUse())
        for (Value operand : mul->getOperands())
          if (Value in = relu6Input(operand);
              in && otherOperand(mul, operand) == in)
            x = in;
    }
    // x * (relu6(x + 3) / 6)
    if (!x && isa<MulOp>(op)) {
      for (Value operand : op->getOperands()) {
        Operation *scaled = operand.getDefiningOp();
        if (!scaled || !scaled->hasOneUse() || !isa<DivOp, MulOp>(scaled))
          continue;
        if (Value clipped = dividedBySix(scaled))
          if (Value in = relu6Input(clipped);
              in && otherOperand(op, operand) == in)
            x = in;
      }
    }
    if (!x || x.getType() != op->getResult(0).getType())
      return rewriter.notifyMatchFailure(op, "not x * relu6(x + 3) / 6");
    rewriter.replaceOpWithNewOp<HardSwishOp>(op, x.getType(), x);
    return success();
  }
};

/// The single axis (normalized to 0..rank-1) a keepdims reduction reduces,
/// or the first of the trailing axes it reduces when `trailing` is set.
template <typename ReduceOp>
static std::optional<int64_t> reducedAxis(ReduceOp op, int64_t rank,
                                          bool trailing) {
  if (!op.getKeepdims())
    return std::nullopt;
  SmallVector<int64_t> axes;
  for (int64_t a : op.getAxes())
    axes.push_back(a < 0 ? a + rank : a);
  llvm::sort(axes);
  if (axes.empty() || axes.front() < 0 || axes.back() >= rank)
    return std::nullopt;
  if (!trailing)
    return axes.size() == 1 ? std::optional<int64_t>(axes.front())
                            : std::nullopt;
  for (auto [i, a] : llvm::enumerate(axes))
    if (a != rank - static_cast<int64_t>(axes.size()) + static_cast<int64_t>(i))
      return std::nullopt;
  return axes.front();
}

/// e / reduce_sum(e) with e = exp(x) or exp(x - reduce_max(x)), over one
/// axis with keepdims -> softmax(x, axis), anchored at the division.
struct RecognizeSoftmax final : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    auto exp = div.getLhs().getDefiningOp<ExpOp>();
    auto sum = div.getRhs().getDefiningOp<ReduceSumOp>();
    if (!exp || !sum || sum.getInput() != exp.getOutput() ||
        !sum->hasOneUse() || !llvm::hasNItems(exp.getOutput().getUses(), 2))
      return rewriter.notifyMatchFailure(div, "not exp / sum(exp)");
    auto type = cast<RankedTensorType>(div.getType());
    std::optional<int64_t> axis =
        reducedAxis(sum, type.getRank(), /*trailing=*/false);
    if (!axis)
      return rewriter.notifyMatchFailure(div, "not a sum over one axis "
                                              "that keeps it");
    // exp(x - max(x)) is the same function, computed stably.
    Value x = exp.getInput();
    if (auto sub = x.getDefiningOp<SubOp>()) {
      auto max = sub.getRhs().getDefiningOp<ReduceMaxOp>();
      if (max && max.getInput() == sub.getLhs() && max->hasOneUse() &&
          sub->hasOneUse() && reducedAxis(max, type.getRank(), false) == axis)
        x = sub.getLhs();
    }
    if (x.getType() != type)
      return rewriter.notifyMatchFailure(div, "the sum broadcasts x");
    rewriter.replaceOpWithNewOp<SoftmaxOp>(div, type, x,
                                           rewriter.getI64IntegerAttr(*axis));
    return success();
  }
};

/// (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * gamma + beta over the
/// trailing axes -> layer_norm(x, gamma, beta), anchored at the final add
/// (or the multiplication by gamma when there is no beta). The square may be
/// pow(d, 2) or d * d; gamma and beta must have the normalized shape.
struct RecognizeLayerNorm final : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(mul.getType());
    for (Value operand : mul->getOperands()) {
      auto normalized = operand.getDefiningOp<DivOp>();
      if (!normalized || !normalized->hasOneUse())
        continue;
      Value gamma = otherOperand(mul, operand);
      // d = x - mean(x), used by the square and the division only.
      auto d = normalized.getLhs().getDefiningOp<SubOp>();
      if (!d)
        continue;
      auto mean = d.getRhs().getDefiningOp<ReduceMeanOp>();
      Value x = d.getLhs();
      if (!mean || mean.getInput() != x || !mean->hasOneUse() ||
          x.getType() != type)
        continue;
      std::optional<int64_t> axis =
          reducedAxis(mean, type.getRank(), /*trailing=*/true);
      if (!axis)
        continue;
      // sqrt(mean(d^2) + eps).
      auto sqrt = normalized.getRhs().getDefiningOp<SqrtOp>();
      auto addEps = sqrt ? sqrt.getInput().getDefiningOp<AddOp>() : AddOp();
      if (!sqrt || !sqrt->hasOneUse() || !addEps || !addEps->hasOneUse())
        continue;
      ReduceMeanOp var;
      std::optional<double> eps;
      for (Value v : addEps->getOperands())
        if (auto m = v.getDefiningOp<ReduceMeanOp>()) {
          var = m;
          eps = scalarConstant(otherOperand(addEps, v));
        }
      if (!var || !eps || *eps < 0 || !var->hasOneUse() ||
          reducedAxis(var, type.getRank(), true) != axis)
        continue;
      Operation *square = var.getInput().getDefiningOp();
      bool isSquare = false;
      if (auto pow = dyn_cast_or_null<PowOp>(square))
        isSquare =
            pow.getLhs() == d.getOutput() && isConstant(pow.getRhs(), 2.0);
      else if (auto sq = dyn_cast_or_null<MulOp>(square))
        isSquare = sq.getLhs() == d.getOutput() && sq.getRhs() == d.getOutput();
      if (!isSquare || !square->hasOneUse())
        continue;
      // d feeds the square and the division alone.
      if (!llvm::all_of(d.getOutput().getUsers(), [&](Operation *user) {
            return user == square || user == normalized.getOperation();
          }))
        continue;
      // gamma (and beta) have the normalized shape.
      ArrayRef<int64_t> normalizedShape = type.getShape().drop_front(*axis);
      auto hasNormalizedShape = [&](Value v) {
        auto t = dyn_cast<RankedTensorType>(v.getType());
        return t && t.getShape() == normalizedShape &&
               t.getElementType() == type.getElementType();
      };
      if (!hasNormalizedShape(gamma))
        continue;
      Operation *last = mul;
      Value beta;
      if (auto add = singleUser<AddOp>(mul.getOutput())) {
        Value other = otherOperand(add, mul.getOutput());
        if (hasNormalizedShape(other) && add.getType() == type) {
          beta = other;
          last = add;
        }
      }
      rewriter.setInsertionPoint(last);
      auto layerNorm = LayerNormOp::create(
          rewriter, last->getLoc(), type, x, gamma, beta,
          rewriter.getI64IntegerAttr(*axis),
          rewriter.getF32FloatAttr(static_cast<float>(*eps)));
      rewriter.replaceOp(last, layerNorm.getOutput());
      return success();
    }
    return rewriter.notifyMatchFailure(mul, "not a decomposed layer norm");
  }
};
} // namespace

void mlir::infer::populateRecognizeNormalizationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RecognizeSoftmax, RecognizeLayerNorm>(patterns.getContext());
}

void mlir::infer::populateRecognizeActivationPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<RecognizeGelu, RecognizeGeluTanh, RecognizeSilu, RecognizeHardSwish>(
          patterns.getContext());
}
