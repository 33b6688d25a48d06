//===- Fuse.cpp - infer-cpu-fuse: producer/consumer fusion ----------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Producer/consumer fusion on linalg tensors, upstream's elementwise fusion
// and reshape propagation with a memory-traffic cost model as the control
// function, as IREE's dispatch formation uses them. Needs linalg on tensors
// (after infer-convert-to-linalg, before packing and schedules); guarantees
// the same function, with every decision explained when asked.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/CPU/TargetModel.h"
#include "infer/Codegen/Passes.h"
#include "infer/Codegen/Transforms.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "infer-cpu-fuse"

namespace mlir::infer {
#define GEN_PASS_DEF_CPUFUSEPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

/// How many ops of the input a fused generic stands for.
static constexpr StringLiteral kGroupAttr = "infer.group_size";

static int64_t groupSize(Operation *op) {
  if (auto size = op->getAttrOfType<IntegerAttr>(kGroupAttr))
    return size.getInt();
  return 1;
}

/// Elements of a static tensor value, or -1.
static int64_t elements(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return -1;
  return type.getNumElements();
}

static int64_t bytes(Value value) {
  int64_t n = elements(value);
  if (n < 0)
    return -1;
  Type element = cast<ShapedType>(value.getType()).getElementType();
  return n * std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);
}

/// The points the op's loops visit, or -1 when an extent is dynamic.
static int64_t iterations(linalg::LinalgOp op) {
  int64_t n = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return -1;
    n *= range;
  }
  return n;
}

/// Ops of the body that compute (not the yield).
static int64_t bodyOps(linalg::GenericOp op) {
  return static_cast<int64_t>(op.getBody()->getOperations().size()) - 1;
}

static bool isContraction(linalg::LinalgOp op) {
  return op.getNumReductionLoops() > 0 && linalg::isaContractionOpInterface(op);
}

/// Whether `value` is the result of a contraction, directly or through
/// reshapes.
static bool isContractionResult(Value value) {
  Operation *def = value.getDefiningOp();
  while (isa_and_present<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
    def = def->getOperand(0).getDefiningOp();
  auto linalgOp = dyn_cast_if_present<linalg::LinalgOp>(def);
  return linalgOp && isContraction(linalgOp);
}

/// Whether `op` reads the result of a contraction (possibly through a
/// reshape): it is that contraction's epilogue at tile level.
static bool readsContraction(linalg::GenericOp op) {
  return llvm::any_of(op.getDpsInputs(), isContractionResult);
}

static std::string shapeOf(Value value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value.getType();
  return text;
}

/// "'linalg.generic' (3 ops) at loc": an op for the report.
static std::string describe(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "'" << op->getName() << "'";
  if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
    os << " (" << bodyOps(generic) << " ops";
    if (groupSize(op) > 1)
      os << ", a group of " << groupSize(op);
    os << ")";
  }
  return text;
}

namespace {
/// The cost model's answer for one edge.
struct Decision {
  bool accept = false;
  /// What kind of fusion: elementwise, reduction, transpose.
  StringRef kind;
  std::string reason;
  /// Bytes of memory traffic the fusion saves (estimated).
  int64_t bytesSaved = 0;
  /// The producer has other users and is cloned into each.
  bool clone = false;
};

struct ModelOptions {
  bool elementwise = true;
  bool transposes = true;
  int64_t maxGroupSize = 16;
  int64_t maxRecompute = 4;
  int64_t l1Bytes = 32 * 1024;
};

/// The cost model of producer/consumer fusion.
class FusionModel {
public:
  explicit FusionModel(ModelOptions options) : options(options) {}

  Decision decide(OpOperand &operand) const;

private:
  Decision reject(StringRef kind, const Twine &reason) const {
    Decision d;
    d.kind = kind;
    d.reason = reason.str();
    return d;
  }
  /// Whether `use` (of a cheap producer's result) could take the producer:
  /// a generic reading it as an input, point for point.
  bool canTake(OpOperand &use, linalg::GenericOp producer) const;
  /// Bytes one row of the fused op touches: the innermost loop and the
  /// reduction loops, over every operand of the group.
  int64_t rowBytes(linalg::GenericOp consumer, linalg::LinalgOp producer) const;

  ModelOptions options;
};
} // namespace

bool FusionModel::canTake(OpOperand &use, linalg::GenericOp producer) const {
  auto user = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!user || !user.isDpsInput(&use) ||
      !linalg::areElementwiseOpsFusable(&use))
    return false;
  int64_t n = iterations(user);
  return n > 0 && n == elements(use.get());
}

int64_t FusionModel::rowBytes(linalg::GenericOp consumer,
                              linalg::LinalgOp producer) const {
  SmallVector<int64_t> ranges = consumer.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = consumer.getIteratorTypesArray();
  int64_t row = 1;
  for (auto [i, range] : llvm::enumerate(ranges)) {
    bool inner = i + 1 == ranges.size();
    if ((inner || iterators[i] == utils::IteratorType::reduction) &&
        !ShapedType::isDynamic(range))
      row *= range;
  }
  int64_t operands = consumer->getNumOperands() - 1 +
                     static_cast<int64_t>(producer.getNumDpsInputs());
  return operands * row * 4;
}

Decision FusionModel::decide(OpOperand &operand) const {
  Operation *def = operand.get().getDefiningOp();
  auto producer = dyn_cast_if_present<linalg::LinalgOp>(def);
  auto consumer = dyn_cast<linalg::GenericOp>(operand.getOwner());
  auto linalgConsumer = dyn_cast<linalg::LinalgOp>(operand.getOwner());
  if (!producer || !linalgConsumer)
    return reject("none", "not a linalg producer and consumer");
  auto transpose = dyn_cast<linalg::TransposeOp>(def);
  auto generic = dyn_cast<linalg::GenericOp>(def);
  StringRef kind = transpose ? "transpose" : "elementwise";
  if (generic && linalgConsumer.getNumReductionLoops() > 0 &&
      generic.getNumReductionLoops() == 0)
    kind = "reduction";

  if (producer.getNumReductionLoops() > 0) {
    if (isContraction(producer))
      return reject(kind, "the producer is a contraction: its elementwise "
                          "consumers run inside its tiles as an epilogue "
                          "(infer-tile), not here");
    return reject(kind, "the producer is a reduction: its result is complete "
                        "only after the whole reduction");
  }
  if (!transpose && !generic)
    return reject(kind, "the producer is '" +
                            producer->getName().getStringRef() +
                            "', not an elementwise op or a transpose");
  if (!consumer) {
    if (isContraction(linalgConsumer))
      return reject(kind, "the consumer is a named contraction ('" +
                              linalgConsumer->getName().getStringRef() +
                              "'): its packed kernel reads the operand "
                              "from memory, the producer would be "
                              "recomputed for every reduction step");
    return reject(kind, "the consumer is the named op '" +
                            linalgConsumer->getName().getStringRef() +
                            "'; producers fuse into generic ops only");
  }
  if (!consumer.isDpsInput(&operand))
    return reject(kind, "the producer initializes the consumer's "
                        "accumulator (fused into its tiles by infer-tile)");
  if (transpose && !options.transposes)
    return reject(kind, "transpose folding is disabled (transposes=false)");
  if (generic && !options.elementwise)
    return reject(kind, "elementwise fusion is disabled (elementwise=false)");
  if (generic && !linalg::areElementwiseOpsFusable(&operand))
    return reject(kind, "the indexing maps do not compose (the producer's "
                        "result map is not a permutation, or a loop of the "
                        "consumer would lose its extent)");

  // Data movement (a transpose, a copy, a broadcast) costs nothing to
  // recompute: the consumer reads the source through the composed map.
  int64_t cost = generic ? bodyOps(generic) : 0;
  bool movement = cost == 0;
  int64_t produced = elements(operand.get());
  int64_t visits = iterations(consumer);
  int64_t resultBytes = bytes(operand.get());
  if (!movement) {
    if (produced < 0 || visits < 0)
      return reject(kind, "dynamic extents: the recomputation cannot be "
                          "bounded");
    if (visits != produced)
      return reject(
          kind, llvm::formatv("the consumer visits each element {0} times (a "
                              "broadcast or a reduction across it): fusing "
                              "recomputes the producer's {1} ops {0}x",
                              visits / std::max<int64_t>(1, produced), cost));
  }
  // A convolution written as a generic (the int8 lowering's) becomes an
  // im2col product that reads its NHWC input as it is: a folded transpose
  // (NCHW at a graph input) would hide the layout and leave it as loops.
  if (linalg::isaConvolutionOpInterface(consumer))
    return reject(kind, "the consumer is a convolution: its im2col kernel "
                        "reads the input in its own layout");
  // A contraction's micro-kernel reads its operands along their last
  // dimension: folding a transpose must not change which loop that is.
  if (movement && linalg::isaContractionOpInterface(consumer) &&
      producer.getNumDpsInputs() == 1) {
    AffineMap resultMap =
        producer.getIndexingMapMatchingResult(cast<OpResult>(operand.get()));
    AffineMap inverse = inversePermutation(resultMap);
    AffineMap consumerMap = consumer.getMatchingIndexingMap(&operand);
    if (inverse && consumerMap.getNumResults() > 0) {
      AffineMap folded =
          producer.getMatchingIndexingMap(producer.getDpsInputOperand(0))
              .compose(inverse)
              .compose(consumerMap);
      if (folded.getNumResults() > 0 &&
          folded.getResults().back() != consumerMap.getResults().back()) {
        std::string before, after;
        llvm::raw_string_ostream b(before), a(after);
        b << consumerMap.getResults().back();
        a << folded.getResults().back();
        return reject(kind, "folding it would make the contraction read "
                            "this operand along " +
                                after + " instead of " + before +
                                ": its micro-kernel needs the rows it "
                                "reads contiguous");
      }
    }
  }
  int64_t row = rowBytes(consumer, producer);
  if (row > options.l1Bytes)
    return reject(kind, llvm::formatv("a row of the fused op touches {0} "
                                      "KiB, more than the {1} KiB L1 cache "
                                      "its schedule targets",
                                      row / 1024, options.l1Bytes / 1024));

  if (groupSize(def) + groupSize(consumer) > options.maxGroupSize)
    return reject(kind, llvm::formatv("the group would hold {0} ops "
                                      "(max-group-size={1})",
                                      groupSize(def) + groupSize(consumer),
                                      options.maxGroupSize));

  Decision d;
  d.kind = kind;
  int64_t users = llvm::range_size(operand.get().getUses());
  if (users == 1) {
    d.accept = true;
    d.bytesSaved = resultBytes > 0 ? 2 * resultBytes : 0;
    d.reason = llvm::formatv("saves the write and the read of {0}",
                             shapeOf(operand.get()));
    return d;
  }
  // Several users: the producer is cloned into each, so that its result
  // never exists; worth it when every user can take it and recomputing reads
  // less than writing and reading the result.
  for (OpOperand &use : operand.get().getUses()) {
    if (&use == &operand)
      continue;
    if (movement && transpose) {
      auto user = dyn_cast<linalg::GenericOp>(use.getOwner());
      if (user && user.isDpsInput(&use))
        continue;
    } else if (generic && canTake(use, generic)) {
      continue;
    }
    return reject(kind, llvm::formatv("the producer has {0} users and '{1}' "
                                      "cannot take it in: its result would "
                                      "stay in memory",
                                      users, use.getOwner()->getName()));
  }
  if (cost > options.maxRecompute)
    return reject(kind, llvm::formatv("the producer has {0} users: cloning "
                                      "its {1} ops into each exceeds "
                                      "max-recompute={2}",
                                      users, cost, options.maxRecompute));
  if (!movement && readsContraction(generic))
    return reject(
        kind, llvm::formatv("the producer has {0} users and reads a "
                            "contraction: it stays that contraction's "
                            "epilogue, written once, rather than recomputed "
                            "by each user",
                            users));
  int64_t in = 0;
  for (Value input : producer.getDpsInputs())
    in += std::max<int64_t>(0, bytes(input));
  int64_t unfused = in + resultBytes + users * resultBytes;
  int64_t fused = users * in;
  if (movement)
    fused = users * resultBytes;
  if (fused > unfused)
    return reject(kind, llvm::formatv("cloning into {0} users reads {1} "
                                      "bytes, more than the {2} bytes the "
                                      "result costs in memory",
                                      users, fused, unfused));
  d.accept = true;
  d.clone = true;
  d.bytesSaved = unfused - fused;
  d.reason = llvm::formatv("cloned into its {0} users: {1} bytes of traffic "
                           "instead of {2}",
                           users, fused, unfused);
  return d;
}

/// Fuses the producer of `operand` into its consumer as `decision` says.
/// Returns the fused op.
static FailureOr<Operation *> applyFusion(RewriterBase &rewriter,
                                          OpOperand &operand,
                                          const Decision &decision) {
  Operation *producer = operand.get().getDefiningOp();
  Operation *consumer = operand.getOwner();
  unsigned operandNumber = operand.getOperandNumber();
  if (decision.clone) {
    for (OpOperand &use : llvm::make_early_inc_range(operand.get().getUses())) {
      if (&use == &operand)
        continue;
      rewriter.setInsertionPoint(producer);
      Operation *copy = rewriter.clone(*producer);
      rewriter.modifyOpInPlace(use.getOwner(), [&] {
        use.set(
            copy->getResult(cast<OpResult>(operand.get()).getResultNumber()));
      });
    }
  }
  if (auto transpose = dyn_cast<linalg::TransposeOp>(producer)) {
    rewriter.setInsertionPoint(transpose);
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, transpose);
    if (failed(generic))
      return failure();
    producer = *generic;
  }
  OpOperand &fusedOperand = consumer->getOpOperand(operandNumber);
  if (!linalg::areElementwiseOpsFusable(&fusedOperand))
    return failure();
  int64_t size = groupSize(producer) + groupSize(consumer);
  rewriter.setInsertionPoint(consumer);
  FailureOr<linalg::ElementwiseOpFusionResult> result =
      linalg::fuseElementwiseOps(rewriter, &fusedOperand);
  if (failed(result))
    return failure();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
      return use.getOwner() != producer && use.getOwner() != consumer;
    });
  if (consumer->use_empty())
    rewriter.eraseOp(consumer);
  if (producer->use_empty())
    rewriter.eraseOp(producer);
  result->fusedOp->setAttr(kGroupAttr, rewriter.getI64IntegerAttr(size));
  return result->fusedOp;
}

/// Whether `operand` of an all-parallel generic reads the result of a
/// contraction through reshapes only.
static bool readsContractionThroughReshape(OpOperand *operand) {
  auto generic = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!generic || generic.getNumReductionLoops() != 0 ||
      !generic.isDpsInput(operand))
    return false;
  Operation *def = operand->get().getDefiningOp();
  return isa_and_present<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def) &&
         isContractionResult(operand->get());
}

/// Whether `value`, through reshapes only, is the accumulator a contraction
/// starts from.
static bool startsContraction(Value value) {
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user)) {
      if (startsContraction(user->getResult(0)))
        return true;
      continue;
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
    if (linalgOp && isContraction(linalgOp) && linalgOp.isDpsInit(&use))
      return true;
  }
  return false;
}

/// Whether `operand`, the source of a reshape, is an all-parallel generic
/// (the broadcast of a bias) that a contraction starts its accumulator from
/// through that reshape. Moved past the reshape, the generic is the
/// contraction's init itself, which infer-tile computes inside the
/// contraction's tiles (the accumulator starts in registers) and which lets
/// the contraction's epilogue follow it there.
static bool reshapesAccumulatorStart(OpOperand *operand) {
  Operation *reshape = operand->getOwner();
  if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(reshape))
    return false;
  auto generic = operand->get().getDefiningOp<linalg::GenericOp>();
  return generic && generic.getNumReductionLoops() == 0 &&
         generic->hasOneUse() && startsContraction(reshape->getResult(0));
}

static bool movesReshapeForEpilogue(OpOperand *operand) {
  return readsContractionThroughReshape(operand) ||
         reshapesAccumulatorStart(operand);
}

void mlir::infer::populateEpilogueReshapePatterns(RewritePatternSet &patterns,
                                                  bool expand) {
  if (expand)
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      movesReshapeForEpilogue);
  else
    linalg::populateFoldReshapeOpsByCollapsingPatterns(patterns,
                                                       movesReshapeForEpilogue);
  MLIRContext *ctx = patterns.getContext();
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
}

namespace {
/// Kernels (linalg ops other than fills, which infer-tile fuses into the
/// accumulators they start) and the bytes of their results that other
/// kernels read.
struct Traffic {
  int64_t kernels = 0;
  int64_t intermediateBytes = 0;
};
} // namespace

/// Whether `value` (or a reshape of it) is read by an op other than the
/// function's return.
static bool feedsKernel(Value value) {
  for (Operation *user : value.getUsers()) {
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user)) {
      if (feedsKernel(user->getResult(0)))
        return true;
    } else if (!isa<func::ReturnOp>(user)) {
      return true;
    }
  }
  return false;
}

static Traffic measure(func::FuncOp func) {
  Traffic t;
  func.walk([&](linalg::LinalgOp op) {
    if (isa<linalg::FillOp>(op) || op->getParentOfType<linalg::LinalgOp>())
      return;
    ++t.kernels;
    for (Value result : op->getResults())
      if (feedsKernel(result))
        t.intermediateBytes += std::max<int64_t>(0, bytes(result));
  });
  return t;
}

/// The edges the model looks at: inputs of linalg ops produced by linalg ops
/// other than fills.
static bool isCandidate(OpOperand &operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand.getOwner());
  Operation *def = operand.get().getDefiningOp();
  return consumer && isa_and_present<linalg::LinalgOp>(def) &&
         !isa<linalg::FillOp>(def) && consumer.isDpsInput(&operand);
}

namespace {
struct CPUFusePass final : infer::impl::CPUFusePassBase<CPUFusePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    Traffic before = measure(func);

    // Reshapes between a producer and its elementwise or reduction
    // consumers move out of the way: the consumer's loops are collapsed to
    // the producer's shape (a contraction's 2-D result, for its epilogue).
    if (reshapes) {
      RewritePatternSet patterns(ctx);
      linalg::populateFoldReshapeOpsByCollapsingPatterns(
          patterns, [](OpOperand *operand) {
            // A generic reading an expand_shape of a computed value (not a
            // weight) gets the loops of that value.
            auto expand = operand->get().getDefiningOp<tensor::ExpandShapeOp>();
            return isa<linalg::GenericOp>(operand->getOwner()) && expand &&
                   isa_and_present<linalg::LinalgOp>(
                       expand.getSrc().getDefiningOp());
          });
      tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
      tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }

    ModelOptions fuseOptions;
    fuseOptions.elementwise = elementwise;
    fuseOptions.transposes = transposes;
    fuseOptions.maxGroupSize = maxGroupSize;
    fuseOptions.maxRecompute = maxRecompute;
    fuseOptions.l1Bytes =
        CPUTargetModel::forCPU(targetCPU, targetFeatures).l1Bytes;
    FusionModel model(fuseOptions);

    IRRewriter rewriter(ctx);
    int64_t groups = 0;
    int64_t saved = 0;
    SmallVector<std::pair<Location, std::string>> accepted;
    // One fusion at a time, then the edges are looked at again (each fusion
    // replaces two ops): consumers in program order, their inputs in order.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<linalg::LinalgOp> consumers;
      func.walk([&](linalg::LinalgOp op) { consumers.push_back(op); });
      for (linalg::LinalgOp consumer : consumers) {
        for (OpOperand &operand : consumer->getOpOperands()) {
          if (!isCandidate(operand))
            continue;
          Decision decision = model.decide(operand);
          if (!decision.accept)
            continue;
          std::string text =
              llvm::formatv("infer-cpu-fuse: fused {0} into {1} [{2}]: {3}",
                            describe(operand.get().getDefiningOp()),
                            describe(consumer), decision.kind, decision.reason);
          Location loc = consumer->getLoc();
          FailureOr<Operation *> fused =
              applyFusion(rewriter, operand, decision);
          if (failed(fused))
            continue;
          accepted.emplace_back(loc, text + llvm::formatv(" (group of {0} ops)",
                                                          groupSize(*fused))
                                                .str());
          saved += decision.bytesSaved;
          changed = true;
          break;
        }
        if (changed)
          break;
      }
    }

    if (report) {
      for (auto &[loc, text] : accepted)
        emitRemark(loc, text);
      // Every edge left between two kernels, with the reason it stays.
      func.walk([&](linalg::LinalgOp consumer) {
        for (OpOperand &operand : consumer->getOpOperands()) {
          if (!isCandidate(operand))
            continue;
          Decision decision = model.decide(operand);
          emitRemark(consumer->getLoc(), "infer-cpu-fuse: not fused: ")
              << describe(operand.get().getDefiningOp()) << " into "
              << describe(consumer) << " [" << decision.kind
              << "]: " << decision.reason;
        }
      });
      func.walk([&](linalg::GenericOp op) {
        if (groupSize(op) > 1)
          ++groups;
      });
      Traffic after = measure(func);
      emitRemark(func.getLoc(), "infer-cpu-fuse: fused groups: ")
          << groups << "; kernels " << before.kernels << " -> " << after.kernels
          << "; intermediate bytes " << before.intermediateBytes << " -> "
          << after.intermediateBytes << "; estimated traffic saved " << saved
          << " bytes";
    }
    func.walk([](linalg::GenericOp op) { op->removeAttr(kGroupAttr); });
  }
};
} // namespace
