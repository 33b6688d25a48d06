//===- Horizontal.cpp - sibling matmuls and convolutions become one -------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Horizontal fusion (infer-fuse): matmuls that read the same input with
// constant weights of the same depth, as the Q, K and V projections of an
// attention layer do, become one matmul of the weights concatenated along
// the columns, one bias add when each had one, and a slice per sibling.
// Convolutions that read the same input with the same window, as the 1x1
// branches of an inception block do, become one convolution of the filters
// concatenated along the output channels, and a slice per sibling; when
// every sibling is followed by the same activation, it runs once on the
// wide result, before the slices, so that it stays the wide convolution's
// epilogue. The input is read once and one wider kernel runs instead of
// several narrow ones. Needs verified infer IR with f32 constant weights.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::infer;

namespace {
/// One sibling: the matmul, its weight values, and its bias add if any.
struct Sibling {
  MatMulOp matmul;
  std::vector<float> weight;
  int64_t columns = 0;
  AddOp bias;
  std::vector<float> biasValues;
};

/// The constant bias `add(matmul, b)` (either order) with `b` of shape
/// `[columns]`, when it is the matmul's only user.
static AddOp matchBias(MatMulOp matmul, int64_t columns,
                       std::vector<float> &values) {
  if (!matmul->hasOneUse())
    return {};
  auto add = dyn_cast<AddOp>(*matmul->getUsers().begin());
  if (!add || add.getType() != matmul.getType())
    return {};
  Value other =
      add.getLhs() == matmul.getResult() ? add.getRhs() : add.getLhs();
  auto type = dyn_cast<RankedTensorType>(other.getType());
  if (!type || type.getRank() != 1 || type.getDimSize(0) != columns)
    return {};
  FailureOr<std::vector<float>> v = getF32Values(other);
  if (failed(v))
    return {};
  values = std::move(*v);
  return add;
}

/// The ops of `op`'s kind that read `input` (as `op` does) in `op`'s block
/// and that `accept` takes, in program order, when there are at least two
/// and `op` is the first: the pattern fires once per group, on its first.
template <typename OpTy>
static FailureOr<SmallVector<OpTy>>
siblingsOf(OpTy op, Value input, function_ref<bool(OpTy)> accept) {
  SmallVector<OpTy> siblings;
  for (Operation *user : input.getUsers()) {
    auto other = dyn_cast<OpTy>(user);
    if (!other || other->getBlock() != op->getBlock() ||
        llvm::is_contained(siblings, other) || !accept(other))
      continue;
    siblings.push_back(other);
  }
  llvm::sort(siblings, [](OpTy a, OpTy b) { return a->isBeforeInBlock(b); });
  if (siblings.size() < 2 || siblings.front() != op)
    return failure();
  return siblings;
}

/// One sibling's part of the wide result: `width` entries along the slice
/// axis, which replace `replaced` (the sibling itself, or the op after it
/// that now runs on the wide result); the sibling goes too.
struct SlicePart {
  Operation *sibling;
  Operation *replaced;
  int64_t width;
};

/// Replaces every part by its slice of `wide` along `axis`, in order.
static void replaceBySlices(PatternRewriter &rewriter, Value wide, int64_t axis,
                            ArrayRef<SlicePart> parts) {
  int64_t offset = 0;
  for (const SlicePart &part : parts) {
    Value slice = SliceOp::create(
        rewriter, part.sibling->getLoc(), part.replaced->getResult(0).getType(),
        wide, rewriter.getDenseI64ArrayAttr({offset}),
        rewriter.getDenseI64ArrayAttr({offset + part.width}),
        rewriter.getDenseI64ArrayAttr({axis}), DenseI64ArrayAttr());
    rewriter.replaceOp(part.replaced, slice);
    if (part.sibling != part.replaced)
      rewriter.eraseOp(part.sibling);
    offset += part.width;
  }
}

struct MergeSiblingMatmuls final : OpRewritePattern<MatMulOp> {
  MergeSiblingMatmuls(MLIRContext *ctx, bool report)
      : OpRewritePattern(ctx), report(report) {}

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getLhs();
    auto resultType = dyn_cast<RankedTensorType>(op.getType());
    auto weightType = dyn_cast<RankedTensorType>(op.getRhs().getType());
    if (!resultType || !weightType || weightType.getRank() != 2 ||
        !weightType.hasStaticShape() || resultType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "not a matmul by a 2-D weight");
    int64_t depth = weightType.getDimSize(0);
    FailureOr<SmallVector<MatMulOp>> matmuls =
        siblingsOf<MatMulOp>(op, input, [&](MatMulOp other) {
          auto type = dyn_cast<RankedTensorType>(other.getRhs().getType());
          auto result = dyn_cast<RankedTensorType>(other.getType());
          return other.getLhs() == input && type && result &&
                 type.getRank() == 2 && type.hasStaticShape() &&
                 type.getDimSize(0) == depth &&
                 result.getRank() == resultType.getRank() &&
                 result.getShape().drop_back() ==
                     resultType.getShape().drop_back();
        });
    if (failed(matmuls))
      return rewriter.notifyMatchFailure(
          op, "not the first of two or more sibling matmuls");

    SmallVector<Sibling> siblings;
    for (MatMulOp matmul : *matmuls) {
      FailureOr<std::vector<float>> weight = getF32Values(matmul.getRhs());
      if (failed(weight))
        continue;
      Sibling s;
      s.matmul = matmul;
      s.weight = std::move(*weight);
      s.columns =
          cast<RankedTensorType>(matmul.getRhs().getType()).getDimSize(1);
      s.bias = matchBias(matmul, s.columns, s.biasValues);
      siblings.push_back(std::move(s));
    }
    if (siblings.size() < 2 || siblings.front().matmul != op)
      return rewriter.notifyMatchFailure(op, "fewer than two constant weights");
    bool biased = llvm::all_of(
        siblings, [](const Sibling &s) { return static_cast<bool>(s.bias); });

    int64_t columns = 0;
    for (const Sibling &s : siblings)
      columns += s.columns;
    std::vector<float> weight(depth * columns);
    std::vector<float> bias;
    int64_t offset = 0;
    for (const Sibling &s : siblings) {
      for (int64_t k = 0; k < depth; ++k)
        std::copy_n(s.weight.begin() + k * s.columns, s.columns,
                    weight.begin() + k * columns + offset);
      if (biased)
        bias.insert(bias.end(), s.biasValues.begin(), s.biasValues.end());
      offset += s.columns;
    }

    SmallVector<Location> locs;
    for (Sibling &s : siblings)
      locs.push_back(s.matmul.getLoc());
    Location loc = rewriter.getFusedLoc(locs);
    rewriter.setInsertionPoint(op);
    auto wideWeightType =
        RankedTensorType::get({depth, columns}, rewriter.getF32Type());
    Value w = makeF32Constant(rewriter, loc, wideWeightType, weight,
                              "horizontal_weight");
    SmallVector<int64_t> shape(resultType.getShape());
    shape.back() = columns;
    auto wideType = RankedTensorType::get(shape, resultType.getElementType());
    Value wide = MatMulOp::create(rewriter, loc, wideType, input, w);
    if (biased) {
      Value b = makeF32Constant(
          rewriter, loc,
          RankedTensorType::get({columns}, rewriter.getF32Type()), bias,
          "horizontal_bias");
      wide = AddOp::create(rewriter, loc, wideType, wide, b);
    }
    SmallVector<SlicePart> parts;
    for (Sibling &s : siblings)
      parts.push_back(
          {s.matmul, biased ? s.bias.getOperation() : s.matmul, s.columns});
    replaceBySlices(rewriter, wide, resultType.getRank() - 1, parts);
    if (report)
      emitRemark(loc, llvm::formatv(
                          "infer-fuse: {0} sibling matmuls reading {1} merged "
                          "into one with {2} columns{3}: the input is read "
                          "once, {0} kernels become 1",
                          siblings.size(), input.getType(), columns,
                          biased ? " and one bias add" : ""));
    return success();
  }

  bool report;
};

/// The op applied to every element of `value` when it is `value`'s only
/// user: a unary activation (relu, clip, sigmoid, ...).
static Operation *soleActivation(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  Operation *user = *value.getUsers().begin();
  if (!isa<ReluOp, ClipOp, SigmoidOp, TanhOp, LeakyReluOp, HardSigmoidOp,
           HardSwishOp, SiluOp, GeluOp>(user))
    return nullptr;
  return user;
}

struct MergeSiblingConvs final : OpRewritePattern<Conv2DOp> {
  MergeSiblingConvs(MLIRContext *ctx, bool report)
      : OpRewritePattern(ctx), report(report) {}

  /// Whether `other` computes the same window over the same input as `op`
  /// (strides, pads, dilations, layout, filter size and depth), ungrouped,
  /// with static f32 types: only the number of filters may differ.
  static bool sameWindow(Conv2DOp op, Conv2DOp other) {
    auto w = dyn_cast<RankedTensorType>(op.getWeight().getType());
    auto ow = dyn_cast<RankedTensorType>(other.getWeight().getType());
    auto r = dyn_cast<RankedTensorType>(op.getType());
    auto orr = dyn_cast<RankedTensorType>(other.getType());
    if (!w || !ow || !r || !orr || !w.hasStaticShape() ||
        !ow.hasStaticShape() || !r.hasStaticShape() || !orr.hasStaticShape() ||
        !w.getElementType().isF32() || !r.getElementType().isF32() ||
        !orr.getElementType().isF32() || w.getRank() != 4 ||
        ow.getRank() != 4 || r.getRank() != 4 || orr.getRank() != 4)
      return false;
    if (op.getGroup() != 1 || other.getGroup() != 1 ||
        op.getStrides() != other.getStrides() ||
        op.getPads() != other.getPads() ||
        op.getDilations() != other.getDilations() ||
        op.getLayout() != other.getLayout() ||
        w.getShape().drop_front() != ow.getShape().drop_front())
      return false;
    int64_t channel = op.getLayout() == Layout::NHWC ? 3 : 1;
    for (int64_t d = 0; d < 4; ++d)
      if (d != channel && r.getDimSize(d) != orr.getDimSize(d))
        return false;
    return true;
  }

  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInput();
    FailureOr<SmallVector<Conv2DOp>> convs =
        siblingsOf<Conv2DOp>(op, input, [&](Conv2DOp other) {
          return other.getInput() == input && sameWindow(op, other);
        });
    if (failed(convs))
      return rewriter.notifyMatchFailure(
          op, "not the first of two or more sibling convolutions");

    // Constant filters and biases only; a sibling without a bias adds
    // zeros when another has one.
    struct Conv {
      Conv2DOp op;
      std::vector<float> weight;
      std::vector<float> bias;
      int64_t filters;
    };
    SmallVector<Conv> siblings;
    bool biased = false;
    for (Conv2DOp conv : *convs) {
      FailureOr<std::vector<float>> weight = getF32Values(conv.getWeight());
      if (failed(weight))
        continue;
      int64_t filters =
          cast<RankedTensorType>(conv.getWeight().getType()).getDimSize(0);
      std::vector<float> bias;
      if (Value b = conv.getBias()) {
        FailureOr<std::vector<float>> values = getF32Values(b);
        if (failed(values) || static_cast<int64_t>(values->size()) != filters)
          continue;
        bias = std::move(*values);
        biased = true;
      }
      siblings.push_back({conv, std::move(*weight), std::move(bias), filters});
    }
    if (siblings.size() < 2 || siblings.front().op != op)
      return rewriter.notifyMatchFailure(op, "fewer than two constant filters");

    int64_t filters = 0;
    std::vector<float> weight, bias;
    for (Conv &s : siblings) {
      filters += s.filters;
      // Filters are the outermost dimension: concatenation appends.
      weight.insert(weight.end(), s.weight.begin(), s.weight.end());
      if (s.bias.empty())
        s.bias.assign(s.filters, 0.0f);
      bias.insert(bias.end(), s.bias.begin(), s.bias.end());
    }

    // One activation for all when every sibling has the same one.
    Operation *activation = soleActivation(op.getResult());
    for (Conv &s : siblings) {
      Operation *own = activation ? soleActivation(s.op.getResult()) : nullptr;
      if (!own || own->getName() != activation->getName() ||
          own->getAttrDictionary() != activation->getAttrDictionary())
        activation = nullptr;
    }

    // Named now: the activations are replaced below.
    std::string hoisted =
        activation ? " and one " + activation->getName().stripDialect().str()
                   : std::string();
    SmallVector<Location> locs;
    for (Conv &s : siblings)
      locs.push_back(s.op.getLoc());
    Location loc = rewriter.getFusedLoc(locs);
    rewriter.setInsertionPoint(op);
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    SmallVector<int64_t> weightShape(weightType.getShape());
    weightShape[0] = filters;
    Value w = makeF32Constant(
        rewriter, loc,
        RankedTensorType::get(weightShape, rewriter.getF32Type()), weight,
        "horizontal_filter");
    Value b;
    if (biased)
      b = makeF32Constant(
          rewriter, loc,
          RankedTensorType::get({filters}, rewriter.getF32Type()), bias,
          "horizontal_bias");
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t channel = op.getLayout() == Layout::NHWC ? 3 : 1;
    SmallVector<int64_t> shape(resultType.getShape());
    shape[channel] = filters;
    auto wideType = RankedTensorType::get(shape, resultType.getElementType());
    Value wide = Conv2DOp::create(rewriter, loc, wideType, input, w, b,
                                  op.getStridesAttr(), op.getPadsAttr(),
                                  op.getDilationsAttr(), op.getGroupAttr(),
                                  op.getLayoutAttr());
    if (activation) {
      Operation *hoisted = rewriter.clone(*activation);
      hoisted->setLoc(loc);
      hoisted->setOperand(0, wide);
      hoisted->getResult(0).setType(wideType);
      wide = hoisted->getResult(0);
    }
    SmallVector<SlicePart> parts;
    for (Conv &s : siblings)
      parts.push_back(
          {s.op, activation ? *s.op->getUsers().begin() : s.op.getOperation(),
           s.filters});
    replaceBySlices(rewriter, wide, channel, parts);
    if (report)
      emitRemark(loc, llvm::formatv(
                          "infer-fuse: {0} sibling convolutions reading "
                          "{1} merged into one with {2} filters{3}: the "
                          "input is read once, {0} kernels become 1",
                          siblings.size(), input.getType(), filters, hoisted));
    return success();
  }

  bool report;
};
} // namespace

void mlir::infer::populateHorizontalFusionPatterns(RewritePatternSet &patterns,
                                                   bool report, bool matmuls,
                                                   bool convolutions) {
  if (matmuls)
    patterns.add<MergeSiblingMatmuls>(patterns.getContext(), report);
  if (convolutions)
    patterns.add<MergeSiblingConvs>(patterns.getContext(), report);
}
