//===- Quantize.cpp - infer-quantize --------------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Post-training int8 quantization: convolutions, gemms and matmuls with
// constant weights become int8 ops between quantize and dequantize, with
// activation ranges from a calibration table; then the int8-capable ops
// around them (pooling, ReLU, reshapes, residual adds) join the int8 region
// and back-to-back dequantize/quantize pairs cancel.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

namespace mlir::infer {
#define GEN_PASS_DEF_QUANTIZEPASS
#include "infer/Dialect/Infer/Transforms/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

namespace {
/// One value's entry of the calibration table.
struct CalibratedRange {
  double min = 0, max = 0;
  double scale = 1;
  int64_t zeroPoint = 0;
};

struct Table {
  llvm::StringMap<CalibratedRange> byValue; // ONNX value name
  llvm::StringMap<CalibratedRange>
      byNode;                        // producing node (single-output nodes)
  llvm::StringMap<std::string> fp32; // node -> why it stays fp32
};
} // namespace

static FailureOr<Table> loadTable(StringRef path, Location loc) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return emitError(loc) << "infer-quantize: cannot read the calibration "
                             "table '"
                          << path << "': " << buffer.getError().message(),
           failure();
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return emitError(loc) << "infer-quantize: '" << path << "' is not JSON: "
                          << llvm::toString(json.takeError()),
           failure();
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Object *tensors =
      root ? root->getObject("tensors") : nullptr;
  if (!root || root->getString("format") != "infer-calibration" || !tensors)
    return emitError(loc) << "infer-quantize: '" << path
                          << "' is not a calibration table of infer-calibrate "
                             "(format \"infer-calibration\" with \"tensors\")",
           failure();
  Table table;
  llvm::StringMap<int> nodeCount;
  for (const auto &[name, entry] : *tensors) {
    const llvm::json::Object *e = entry.getAsObject();
    const llvm::json::Object *asym = e ? e->getObject("asymmetric") : nullptr;
    std::optional<double> min = e ? e->getNumber("min") : std::nullopt;
    std::optional<double> max = e ? e->getNumber("max") : std::nullopt;
    std::optional<double> scale =
        asym ? asym->getNumber("scale") : std::nullopt;
    std::optional<int64_t> zp =
        asym ? asym->getInteger("zero_point") : std::nullopt;
    if (!min || !max || !scale || !zp || !(*scale > 0) || *zp < 0 || *zp > 255)
      return emitError(loc) << "infer-quantize: the entry '" << name.str()
                            << "' of '" << path
                            << "' lacks min, max or a valid asymmetric "
                               "scale and zero point",
             failure();
    CalibratedRange r{*min, *max, *scale, *zp};
    table.byValue[name.str()] = r;
    if (std::optional<StringRef> node = e->getString("node")) {
      table.byNode[*node] = r;
      ++nodeCount[*node];
    }
  }
  // A node of several outputs does not name one value.
  for (const auto &[node, count] : nodeCount)
    if (count > 1)
      table.byNode.erase(node);
  // Decisions of the sensitivity analysis: {"node": "why", ...}.
  if (const llvm::json::Object *fp32 = root->getObject("fp32")) {
    for (const auto &[node, why] : *fp32) {
      std::optional<StringRef> text = why.getAsString();
      if (!text)
        return emitError(loc)
                   << "infer-quantize: the fp32 decision of '" << node.str()
                   << "' in '" << path << "' is not a string",
               failure();
      table.fp32[node.str()] = text->str();
    }
  }
  return table;
}

/// The ONNX name of `value`: a graph input's `infer.name`, else the node
/// its op is located at (the last name of a fused location: a convolution
/// with a folded batch norm computes the batch norm's value).
static std::optional<std::string> nameOf(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto func = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
    if (!func)
      return std::nullopt;
    if (auto name =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "infer.name"))
      return name.str();
    // infer-record-signatures moves the names to the function.
    auto names = func->getAttrOfType<ArrayAttr>("infer.input_names");
    if (names && arg.getArgNumber() < names.size())
      if (auto name = dyn_cast<StringAttr>(names[arg.getArgNumber()]))
        return name.str();
    return std::nullopt;
  }
  Operation *op = value.getDefiningOp();
  if (!op || op->getNumResults() != 1)
    return std::nullopt;
  std::optional<std::string> name;
  op->getLoc()->walk([&](Location loc) {
    if (auto named = dyn_cast<NameLoc>(loc))
      name = named.getName().str();
    return WalkResult::advance();
  });
  return name;
}

static std::optional<CalibratedRange> rangeOf(const Table &table, Value value) {
  std::optional<std::string> name = nameOf(value);
  if (!name)
    return std::nullopt;
  auto node = table.byNode.find(*name);
  if (node != table.byNode.end())
    return node->second;
  auto byValue = table.byValue.find(*name);
  if (byValue != table.byValue.end())
    return byValue->second;
  return std::nullopt;
}

static RankedTensorType uint8Type(RankedTensorType like,
                                  const CalibratedRange &r) {
  MLIRContext *ctx = like.getContext();
  Type f32 = like.getElementType();
  auto q = quant::UniformQuantizedType::get(
      /*flags=*/0, IntegerType::get(ctx, 8), f32, r.scale, r.zeroPoint, 0, 255);
  return like.clone(q);
}

/// Per-channel symmetric int8 scales of a constant weight along `axis`.
static std::optional<SmallVector<double>> weightScales(ConstantOp constant,
                                                       int64_t axis) {
  FailureOr<std::vector<float>> data = getF32Values(constant);
  if (failed(data))
    return std::nullopt;
  auto type = cast<RankedTensorType>(constant.getType());
  int64_t channels = type.getDimSize(axis), inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<double> absMax(channels, 0);
  for (size_t i = 0; i < data->size(); ++i) {
    float v = (*data)[i];
    if (!std::isfinite(v))
      return std::nullopt;
    int64_t c = (static_cast<int64_t>(i) / inner) % channels;
    absMax[c] = std::max<double>(absMax[c], std::fabs(v));
  }
  SmallVector<double> scales;
  for (double m : absMax)
    scales.push_back(m > 0 ? m / 127.0 : 1.0);
  return scales;
}

static RankedTensorType int8PerAxisType(RankedTensorType like,
                                        ArrayRef<double> scales, int64_t axis) {
  MLIRContext *ctx = like.getContext();
  SmallVector<int64_t> zeros(scales.size(), 0);
  auto q = quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(ctx, 8),
      like.getElementType(), scales, zeros, axis, -127, 127);
  return like.clone(q);
}

/// `value` quantized to `type` (reusing an existing quantize of it).
static Value quantizeTo(OpBuilder &b, Value value, RankedTensorType type) {
  if (auto dq = value.getDefiningOp<DequantizeOp>())
    if (dq.getInput().getType() == type)
      return dq.getInput();
  for (Operation *user : value.getUsers())
    if (auto q = dyn_cast<QuantizeOp>(user))
      if (q.getType() == type && q->getBlock() == b.getInsertionBlock() &&
          q->isBeforeInBlock(&*b.getInsertionPoint()))
        return q;
  return QuantizeOp::create(b, value.getLoc(), type, value);
}

namespace {
/// What the pass decided for one op, for the report.
struct Decision {
  bool quantized = false;
  std::string text; // the scales, or why the op stays fp32
};
} // namespace

static Decision keep(std::string why) { return {false, std::move(why)}; }

/// Rewrites `op` (conv2d / gemm / matmul) to int8 or says why not.
static Decision quantizeProduct(Operation *op, const Table &table) {
  Value input, weight;
  int64_t axis = 0;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (conv.getGroup() != 1)
      return keep("grouped or depthwise: no int8 kernel");
    input = conv.getInput();
    weight = conv.getWeight();
    if (conv.getBias() && !conv.getBias().getDefiningOp<ConstantOp>())
      return keep("the bias is not a constant");
  } else if (auto gemm = dyn_cast<GemmOp>(op)) {
    if (gemm.getTransA() || gemm.getAlpha().convertToFloat() != 1.0f ||
        gemm.getBeta().convertToFloat() != 1.0f)
      return keep("alpha or beta is not 1, or A is transposed");
    if (gemm.getC() && (!gemm.getC().getDefiningOp<ConstantOp>() ||
                        gemm.getC().getType().getNumElements() !=
                            gemm.getType().getDimSize(1)))
      return keep("the bias is not a constant of one value per column");
    input = gemm.getA();
    weight = gemm.getB();
    axis = gemm.getTransB() ? 0 : 1;
  } else if (auto matmul = dyn_cast<MatMulOp>(op)) {
    input = matmul.getLhs();
    weight = matmul.getRhs();
    axis = 1;
    if (cast<RankedTensorType>(weight.getType()).getRank() != 2)
      return keep("the weights are not a matrix");
  }
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!inputType.getElementType().isF32() || !inputType.hasStaticShape() ||
      !resultType.hasStaticShape())
    return keep("not f32 with static shapes");
  auto constant = weight.getDefiningOp<ConstantOp>();
  if (!constant)
    return keep("the weights are not a constant");
  std::optional<SmallVector<double>> scales = weightScales(constant, axis);
  if (!scales)
    return keep("the weights are not finite f32 values");
  std::optional<CalibratedRange> in = rangeOf(table, input);
  if (!in)
    return keep(std::string("the input has no calibration entry (") +
                nameOf(input).value_or("unnamed") + ")");
  // A ReLU that is the only user clips: its range is the output's.
  Value output = op->getResult(0);
  ReluOp relu;
  if (output.hasOneUse())
    relu = dyn_cast<ReluOp>(*output.getUsers().begin());
  std::optional<CalibratedRange> out =
      rangeOf(table, relu ? relu.getResult() : output);
  if (!out)
    return keep(std::string("the output has no calibration entry (") +
                nameOf(relu ? relu.getResult() : output).value_or("unnamed") +
                ")");
  LowPrecisionCost cost = lowPrecisionCost(op, /*macRatio=*/4,
                                           /*elementBytes=*/1, /*kGroup=*/4);
  if (cost.low >= cost.f32) {
    std::string why;
    llvm::raw_string_ostream os(why);
    os << "int8 is not faster by the cost model (est. "
       << llvm::format("%.0f", cost.low / 1e3) << " vs "
       << llvm::format("%.0f", cost.f32 / 1e3) << " kcycles f32: its im2col "
       << "copy of " << llvm::format("%.0f", cost.im2colBytes / 1e3)
       << " kB outweighs the faster products)";
    return keep(why);
  }

  OpBuilder b(op);
  Value qInput = quantizeTo(b, input, uint8Type(inputType, *in));
  auto weightType = cast<RankedTensorType>(weight.getType());
  Value qWeight = QuantizeOp::create(
      b, weight.getLoc(), int8PerAxisType(weightType, *scales, axis), weight);
  RankedTensorType qResult = uint8Type(resultType, *out);
  Operation *clone = b.clone(*op);
  clone->setOperand(0, qInput);
  clone->setOperand(1, qWeight);
  clone->getResult(0).setType(qResult);
  if (relu)
    clone->setLoc(b.getFusedLoc({op->getLoc(), relu.getLoc()}));
  Value back =
      DequantizeOp::create(b, clone->getLoc(), resultType, clone->getResult(0));
  if (relu) {
    // uint8 from zero (the ReLU's range) clips below zero: ReLU is the
    // clamp of the requantization. Otherwise it stays, on the int8 value.
    if (out->min >= 0 && out->zeroPoint == 0) {
      relu.getResult().replaceAllUsesWith(back);
      relu.erase();
    } else {
      relu.getInputMutable().assign(back);
    }
  }
  output.replaceAllUsesWith(back);
  op->erase();
  Decision decision{true, ""};
  llvm::raw_string_ostream os(decision.text);
  os << "int8: input scale " << in->scale << " zero point " << in->zeroPoint
     << ", output scale " << out->scale << " zero point " << out->zeroPoint
     << (relu ? " (with its relu)" : "") << ", " << scales->size()
     << " weight scales; est. speed-up "
     << llvm::format("%.1f", cost.f32 / cost.low) << "x (cost model)";
  return decision;
}

namespace {
/// op(dequantize(q)) -> dequantize(op(q)) for ops that move or compare
/// stored bytes (max_pool, reshapes, transposes): the int8 region grows.
template <typename OpTy>
struct SinkDequantize final : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumOperands() < 1 || op->getNumResults() != 1)
      return failure();
    auto dq = op->getOperand(0).template getDefiningOp<DequantizeOp>();
    if (!dq)
      return failure();
    auto qtype = dyn_cast<quant::UniformQuantizedType>(
        dq.getInput().getType().getElementType());
    if (!qtype)
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Operation *clone = rewriter.clone(*op);
    clone->setOperand(0, dq.getInput());
    clone->getResult(0).setType(resultType.clone(qtype));
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, resultType,
                                              clone->getResult(0));
    return success();
  }
};

/// relu(dequantize(q)) -> dequantize(q) when q cannot hold a negative
/// value, else dequantize(relu(q)).
struct SinkDequantizeRelu final : OpRewritePattern<ReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReluOp op,
                                PatternRewriter &rewriter) const override {
    auto dq = op.getInput().getDefiningOp<DequantizeOp>();
    auto qtype = dq ? dyn_cast<quant::UniformQuantizedType>(
                          dq.getInput().getType().getElementType())
                    : quant::UniformQuantizedType();
    if (!qtype)
      return failure();
    if (qtype.getZeroPoint() <= qtype.getStorageTypeMin()) {
      rewriter.replaceOp(op, dq.getResult());
      return success();
    }
    Value relu = ReluOp::create(rewriter, op.getLoc(), dq.getInput().getType(),
                                dq.getInput());
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, op.getType(), relu);
    return success();
  }
};

/// add(dequantize(a), dequantize(b)) -> dequantize(add(a, b)) with the
/// add's own calibrated range.
struct QuantizeAdd final : OpRewritePattern<AddOp> {
  QuantizeAdd(MLIRContext *ctx, const Table &table)
      : OpRewritePattern(ctx), table(table) {}
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    auto a = op.getLhs().getDefiningOp<DequantizeOp>();
    auto b = op.getRhs().getDefiningOp<DequantizeOp>();
    if (!a || !b ||
        !isa<quant::UniformQuantizedType>(
            a.getInput().getType().getElementType()) ||
        !isa<quant::UniformQuantizedType>(
            b.getInput().getType().getElementType()))
      return failure();
    auto type = dyn_cast<RankedTensorType>(op.getType());
    std::optional<CalibratedRange> range = rangeOf(table, op.getResult());
    if (!type || !range || !type.getElementType().isF32())
      return failure();
    Value sum = AddOp::create(rewriter, op.getLoc(), uint8Type(type, *range),
                              a.getInput(), b.getInput());
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, type, sum);
    return success();
  }
  const Table &table;
};

/// quantize(dequantize(q)) of the same type -> q.
struct CancelQuantizePair final : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto dq = op.getInput().getDefiningOp<DequantizeOp>();
    if (!dq || dq.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, dq.getInput());
    return success();
  }
};

struct QuantizePass final : infer::impl::QuantizePassBase<QuantizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (calibration.empty()) {
      func.emitError("infer-quantize needs a calibration table "
                     "(calibration=FILE, from infer-calibrate)");
      return signalPassFailure();
    }
    FailureOr<Table> table = loadTable(calibration, func.getLoc());
    if (failed(table))
      return signalPassFailure();
    SmallVector<Operation *> products;
    func.walk([&](Operation *op) {
      if (isa<Conv2DOp, GemmOp, MatMulOp>(op))
        products.push_back(op);
    });
    int64_t quantized = 0;
    llvm::StringSet<> onlySet;
    for (const std::string &node : only)
      onlySet.insert(node);
    for (Operation *op : products) {
      Location loc = op->getLoc();
      std::string kind = op->getName().getStringRef().str();
      std::string node = nameOf(op->getResult(0)).value_or("");
      Decision decision;
      if (!onlySet.empty() && !onlySet.contains(node))
        decision = keep("not among the only= nodes");
      else if (auto it = table->fp32.find(node); it != table->fp32.end())
        decision = keep("the table's decision: " + it->second);
      else
        decision = quantizeProduct(op, *table);
      quantized += decision.quantized;
      if (report)
        emitRemark(loc) << "infer-quantize: " << kind << " '" << node
                        << "': " << (decision.quantized ? "" : "stays fp32: ")
                        << decision.text;
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<SinkDequantize<MaxPoolOp>, SinkDequantize<ReshapeOp>,
                 SinkDequantize<FlattenOp>, SinkDequantize<TransposeOp>,
                 SinkDequantize<SqueezeOp>, SinkDequantize<UnsqueezeOp>,
                 SinkDequantizeRelu, CancelQuantizePair>(&getContext());
    patterns.add<QuantizeAdd>(&getContext(), *table);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    if (report) {
      int64_t quantizeOps = 0, dequantizeOps = 0;
      func.walk([&](Operation *op) {
        // The weights' quantize ops fold at compile time: not borders.
        if (auto q = dyn_cast<QuantizeOp>(op))
          quantizeOps += !q.getInput().getDefiningOp<ConstantOp>();
        dequantizeOps += isa<DequantizeOp>(op);
      });
      emitRemark(func.getLoc())
          << "infer-quantize: " << quantized << " of " << products.size()
          << " convolutions and contractions in int8; " << quantizeOps
          << " quantize and " << dequantizeOps
          << " dequantize ops at the borders";
    }
  }
};
} // namespace

LowPrecisionCost mlir::infer::lowPrecisionCost(Operation *op, double macRatio,
                                               int64_t elementBytes,
                                               int64_t kGroup) {
  // One core's cycles: f32 products at two FMAs of 16 lanes a cycle, the
  // low-precision kernel's `macRatio` times that; the im2col copy at the
  // rate measured for it on the development machine.
  constexpr double kF32MacsPerCycle = 32, kIm2colBytesPerCycle = 2;
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  double outputs = result.getNumElements(), depth = 0, im2col = 0;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    auto w = conv.getWeight().getType();
    int64_t k = w.getDimSize(1) * w.getDimSize(2) * w.getDimSize(3);
    depth = k;
    if (w.getDimSize(2) * w.getDimSize(3) > 1)
      im2col =
          outputs / w.getDimSize(0) * llvm::alignTo(k, kGroup) * elementBytes;
  } else {
    depth =
        cast<RankedTensorType>(op->getOperand(0).getType()).getShape().back();
  }
  LowPrecisionCost cost;
  cost.f32 = outputs * depth / kF32MacsPerCycle;
  cost.low = outputs * depth / (kF32MacsPerCycle * macRatio) +
             im2col / kIm2colBytesPerCycle;
  cost.im2colBytes = im2col;
  return cost;
}
