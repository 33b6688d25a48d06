//===- Tile.cpp - infer-tile: apply #infer.schedule -----------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Reads the schedule of each linalg op and applies it with upstream's
// transform-dialect operations (tile_using_forall, fuse, tile_using_for,
// decompose, vectorize, hoist_loop_invariant_subsets), one generated
// sequence per op, run by the interpreter on that op only. Needs linalg on
// tensors; guarantees each scheduled op is tiled and vectorized or reported
// (and left correct, in whatever state the failed step left it).
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Passes.h"
#include "infer/Codegen/Transforms.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "infer-tile"

namespace mlir::infer {
#define GEN_PASS_DEF_TILEPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

/// The attribute marking the op a generated sequence works on.
static constexpr StringLiteral kTargetAttr = "infer.tile_target";

namespace {
/// Writes a transform sequence rooted at the function.
class ScriptWriter {
public:
  ScriptWriter() {
    os << "transform.sequence failures(propagate) {\n"
       << "^bb0(%root: !transform.any_op):\n";
  }

  /// `%name = <text> : <signature>` with n results.
  std::string emit(StringRef text, int results = 1) {
    std::string name = "%v" + std::to_string(next++);
    if (results == 1)
      os << "  " << name << " = " << text << "\n";
    else if (results > 1)
      os << "  " << name << ":" << results << " = " << text << "\n";
    else
      os << "  " << text << "\n";
    return name;
  }

  std::string finish() {
    os << "}\n";
    return os.str();
  }

private:
  std::string buffer;
  llvm::raw_string_ostream os{buffer};
  int next = 0;
};
} // namespace

static std::string list(ArrayRef<int64_t> values) {
  return "[" +
         llvm::join(llvm::map_range(
                        values, [](int64_t v) { return std::to_string(v); }),
                    ", ") +
         "]";
}

static std::string anyOps(int n) {
  SmallVector<std::string> types(n, "!transform.any_op");
  return "(" + llvm::join(types, ", ") + ")";
}

static constexpr const char *kAny = "!transform.any_op";

static bool anyNonZero(ArrayRef<int64_t> tiles) {
  return llvm::any_of(tiles, [](int64_t t) { return t != 0; });
}

/// Tiles `op` by `tiles` (an scf.forall when `distribute`, else scf.for
/// loops in `interchange` order) and fuses the producers of its
/// destinations (the fill or the bias that initializes an accumulator) into
/// the tiles. Producers of inputs are not fused: they would be recomputed for
/// every tile. Returns the tiled op.
static FailureOr<linalg::LinalgOp>
tileAndFuseInits(RewriterBase &rewriter, linalg::LinalgOp op,
                 ArrayRef<int64_t> tiles, ArrayRef<int64_t> interchange,
                 bool distribute,
                 SmallVectorImpl<LoopLikeOpInterface> *loopsOut = nullptr) {
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), tiles));
  if (!interchange.empty())
    tiling.setInterchange(interchange);
  if (distribute)
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (!isDestination || !isa<linalg::LinalgOp>(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{false};
      });
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result) || result->tiledAndFusedOps.empty())
    return failure();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  auto tiled = dyn_cast<linalg::LinalgOp>(result->tiledAndFusedOps.front());
  if (!tiled)
    return failure();
  if (loopsOut)
    loopsOut->assign(result->loops.begin(), result->loops.end());
  if (op->use_empty())
    rewriter.eraseOp(op);
  // A fused initialization now runs inside every tile, which together cover
  // the destination: the loop starts from the producer's own destination
  // (an empty tensor) and the producer itself goes away.
  if (!result->loops.empty()) {
    Operation *outer = result->loops.front().getOperation();
    for (Operation *producer : result->fusedProducers) {
      auto dps = dyn_cast<DestinationStyleOpInterface>(producer);
      if (!dps || producer->getNumResults() != 1 || dps.getNumDpsInits() != 1)
        continue;
      Value produced = producer->getResult(0);
      Value destination = dps.getDpsInitOperand(0)->get();
      for (OpOperand &use : llvm::make_early_inc_range(produced.getUses()))
        if (use.getOwner() == outer)
          rewriter.modifyOpInPlace(outer, [&] { use.set(destination); });
      if (producer->use_empty())
        rewriter.eraseOp(producer);
    }
  }
  return tiled;
}

/// The remaining steps of a schedule, as a transform sequence on the tagged
/// (already tiled) op: the reduction step, the decomposition of windows to
/// 1-D, the loop order inside the register tile, vectorization.
static std::string writeScript(linalg::LinalgOp op, ScheduleAttr schedule) {
  ScriptWriter w;
  std::string tiled =
      w.emit(std::string("transform.structured.match attributes{") +
             kTargetAttr.str() + "} in %root : (" + kAny + ") -> " + kAny);
  ArrayRef<int64_t> reduce = schedule.getReduce();
  ArrayRef<int64_t> order = schedule.getOrder();
  // Reduction loops that are already a single step need no tiling.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> reduceTiles(reduce);
  for (auto [i, tile] : llvm::enumerate(reduceTiles))
    if (tile != 0 && ranges[i] == tile)
      tile = 0;
  if (anyNonZero(reduceTiles)) {
    int n = llvm::count_if(reduceTiles, [](int64_t t) { return t; });
    std::string red =
        w.emit("transform.structured.tile_using_for " + tiled + " tile_sizes " +
                   list(reduceTiles) + " : (" + kAny + ") -> " + anyOps(1 + n),
               1 + n);
    tiled = red + "#0";
  }
  switch (schedule.getKind()) {
  case ScheduleKind::Convolution:
  case ScheduleKind::Pooling:
    tiled = w.emit("transform.structured.decompose " + tiled + " : (" + kAny +
                   ") -> " + kAny);
    break;
  case ScheduleKind::Contraction:
    // The unit panel loop first, so it is a droppable leading dimension of
    // the vectors.
    if (!order.empty())
      tiled = w.emit("transform.structured.interchange " + tiled +
                     " iterator_interchange = " + list(order) + " : (" + kAny +
                     ") -> " + kAny);
    break;
  case ScheduleKind::Elementwise:
  case ScheduleKind::Reduction:
    break;
  }
  // The schedule's tiles divide the extents: the vector tile is static.
  // Gathers by tensor.extract (an im2col copy) read contiguous runs along
  // the vector: vectorize_nd_extract makes them vector loads.
  w.emit("transform.structured.vectorize " + tiled +
             " {vectorize_nd_extract} : " + kAny,
         0);
  return w.finish();
}

/// Runs `script` (a transform.sequence) on `root`.
static LogicalResult runScript(Operation *root, StringRef script) {
  MLIRContext *ctx = root->getContext();
  ParserConfig config(ctx);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(script, config);
  if (!module)
    return failure();
  auto sequence =
      dyn_cast<transform::TransformOpInterface>(&module->getBody()->front());
  if (!sequence)
    return failure();
  return transform::applyTransforms(root, sequence);
}

/// Cleanup after every op of `func` is vectorized: contractions from
/// broadcast-multiply-reduce, unit dimensions dropped, accumulators hoisted
/// out of the reduction loops (the step that keeps them in registers).
static constexpr StringLiteral kFinishScript = R"mlir(
transform.sequence failures(propagate) {
^bb0(%func: !transform.any_op):
  transform.apply_patterns to %func {
    transform.apply_patterns.vector.transfer_permutation_patterns
    transform.apply_patterns.vector.reduction_to_contract
    transform.apply_patterns.vector.sink_ops
  } : !transform.any_op
  transform.apply_patterns to %func {
    transform.apply_patterns.canonicalization
    transform.apply_patterns.vector.cast_away_vector_leading_one_dim
  } : !transform.any_op
  transform.apply_cse to %func : !transform.any_op
  %loops = transform.structured.match ops{["scf.for"]} in %func : (!transform.any_op) -> !transform.any_op
  transform.loop.hoist_loop_invariant_subsets %loops : !transform.any_op
  transform.loop.hoist_loop_invariant_subsets %loops : !transform.any_op
  transform.loop.hoist_loop_invariant_subsets %loops : !transform.any_op
  transform.apply_patterns to %func {
    transform.apply_patterns.canonicalization
  } : !transform.any_op
}
)mlir";

/// Whether `user` can run on the tiles of `producer`'s result as they are
/// computed: an all-parallel generic over the same iteration space that
/// reads the result through the identity (others operands through any
/// projected permutation) and writes through the identity.
static bool isEpilogueOf(linalg::GenericOp user, Value result) {
  auto type = dyn_cast<RankedTensorType>(result.getType());
  if (!type || !type.hasStaticShape() || user.getNumDpsInits() != 1 ||
      user->getNumResults() != 1 ||
      user.getNumLoops() != static_cast<unsigned>(type.getRank()) ||
      user.getNumReductionLoops() != 0 || !user.hasPureTensorSemantics())
    return false;
  // Of the same shape; the element type may change (a requantization of
  // i32 sums to bytes).
  auto userType = dyn_cast<RankedTensorType>(user->getResult(0).getType());
  if (!userType || userType.getShape() != type.getShape())
    return false;
  bool reads = false;
  for (OpOperand &operand : user->getOpOperands()) {
    AffineMap map = user.getMatchingIndexingMap(&operand);
    if (operand.get() == result) {
      if (!map.isIdentity() || user.isDpsInit(&operand))
        return false;
      reads = true;
    } else if (!map.isProjectedPermutation()) {
      return false;
    }
  }
  return reads && user.getIndexingMapsArray().back().isIdentity();
}

/// The elementwise ops that consume a convolution's result, one after the
/// other (bias-free ReLU, a residual add and its ReLU): each the only user of
/// the previous result.
static SmallVector<linalg::GenericOp> epilogueChain(linalg::LinalgOp op) {
  SmallVector<linalg::GenericOp> chain;
  Value result = op->getResult(0);
  while (result.hasOneUse()) {
    auto user = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
    if (!user || !isEpilogueOf(user, result))
      break;
    chain.push_back(user);
    result = user->getResult(0);
  }
  return chain;
}

/// Fuses `chain` (consumers of the op `loops` compute, in order) into
/// `loops`; returns the fused clones, or failure when one cannot be fused
/// (the rest then stay where they are, correct, and are tiled on their own).
/// The replaced consumers, now without uses, are appended to `replaced` for
/// the caller to erase.
static FailureOr<SmallVector<linalg::GenericOp>>
fuseEpilogue(RewriterBase &rewriter, ArrayRef<linalg::GenericOp> chain,
             MutableArrayRef<LoopLikeOpInterface> loops,
             SmallVectorImpl<Operation *> &replaced) {
  SmallVector<linalg::GenericOp> fused;
  for (linalg::GenericOp consumer : chain) {
    // Each fusion rebuilds the loops (with one more result): `loops` holds
    // the new ones.
    Operation *outer = loops.front().getOperation();
    // Its other operands (the slices of the destination and of a residual
    // that the previous level created next to it) must dominate the loops.
    SmallVector<Value> others;
    for (Value operand : consumer->getOperands())
      if (operand.getDefiningOp() != outer &&
          operand.getParentBlock() == outer->getBlock())
        others.push_back(operand);
    if (!others.empty())
      (void)moveValueDefinitions(rewriter, others, outer);
    FailureOr<scf::SCFFuseConsumerOfSliceResult> result =
        scf::tileAndFuseConsumer(rewriter, consumer, loops);
    if (failed(result) || result->tiledOps.empty())
      return failure();
    auto tiled = dyn_cast<linalg::GenericOp>(result->tiledOps.front());
    if (!tiled)
      return failure();
    replaced.push_back(consumer);
    fused.push_back(tiled);
  }
  return fused;
}

std::optional<std::string>
mlir::infer::whyScheduleDoesNotFit(linalg::LinalgOp op, ScheduleAttr schedule) {
  unsigned loops = op.getNumLoops();
  if (schedule.getDistribute().size() != loops)
    return "it has " + std::to_string(schedule.getDistribute().size()) +
           " loops, the op " + std::to_string(loops);
  // Thread tiles of a reduction would each add their partial sums into the
  // same result at once.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned i = 0; i < loops; ++i) {
    int64_t tile = schedule.getDistribute()[i];
    if (tile != 0 && iterators[i] == utils::IteratorType::reduction &&
        (ShapedType::isDynamic(ranges[i]) || tile < ranges[i]))
      return "it splits reduction loop " + std::to_string(i) + " over threads";
  }
  return std::nullopt;
}

llvm::MapVector<Operation *, SmallVector<linalg::GenericOp>>
mlir::infer::findScheduleEpilogues(Operation *func) {
  llvm::MapVector<Operation *, SmallVector<linalg::GenericOp>> epilogues;
  DenseSet<Operation *> claimed;
  func->walk([&](linalg::LinalgOp op) {
    auto schedule = op->getAttrOfType<ScheduleAttr>(kScheduleAttrName);
    if (!schedule || op->getNumResults() != 1)
      return;
    if (schedule.getKind() != ScheduleKind::Convolution &&
        schedule.getKind() != ScheduleKind::Contraction)
      return;
    // Split over threads, the anchor must start its accumulator inside its
    // tiles (a fill or bias fused there): one read from a buffer outside
    // would make bufferization give every thread tile a private copy of it
    // once the anchor's own result is no longer a result of the loop.
    if (llvm::any_of(schedule.getDistribute(), [](int64_t t) { return t; }) &&
        !op.getDpsInitOperand(0)->get().getDefiningOp<linalg::LinalgOp>())
      return;
    // The epilogue reads finished sums: no level that it follows may split
    // a reduction loop.
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    for (ArrayRef<int64_t> tiles :
         {schedule.getDistribute(), schedule.getCache(), schedule.getVector()})
      for (auto [tile, iterator] : llvm::zip(tiles, iterators))
        if (tile != 0 && iterator == utils::IteratorType::reduction)
          return;
    SmallVector<linalg::GenericOp> chain = epilogueChain(op);
    // An op that reads two anchors (the residual add of two convolutions)
    // follows one of them only: the first to claim it.
    chain.erase(llvm::find_if(chain,
                              [&](linalg::GenericOp user) {
                                return claimed.contains(user);
                              }),
                chain.end());
    for (linalg::GenericOp user : chain)
      claimed.insert(user);
    if (!chain.empty())
      epilogues[op] = std::move(chain);
  });
  return epilogues;
}

LogicalResult mlir::infer::applySchedules(Operation *func, bool fuseEpilogues) {
  MLIRContext *ctx = func->getContext();
  bool vectorized = false;
  // One op at a time, consumers first, so that their producers (the bias
  // that initializes a convolution's accumulator) are fused into their
  // tiles rather than tiled on their own. The schedule is removed first, so
  // the tiled clones (which inherit the op's attributes) are not scheduled
  // again.
  // Elementwise epilogues of convolutions and contractions (a bias, ReLU,
  // GELU, a residual add) run on the register tiles as they are computed
  // instead of as passes of their own over memory: they lose their schedules
  // and follow the producer's tiling at every level. Their schedules are kept
  // to fall back on.
  llvm::MapVector<Operation *, SmallVector<linalg::GenericOp>> epilogues;
  DenseMap<Operation *, ScheduleAttr> epilogueSchedules;
  if (fuseEpilogues)
    epilogues = findScheduleEpilogues(func);
  for (auto &entry : epilogues)
    for (linalg::GenericOp user : entry.second) {
      if (auto own = user->getAttrOfType<ScheduleAttr>(kScheduleAttrName))
        epilogueSchedules[user] = own;
      user->removeAttr(kScheduleAttrName);
    }

  while (true) {
    linalg::LinalgOp next;
    func->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kScheduleAttrName))
        next = op;
    });
    if (!next)
      break;
    auto schedule = next->getAttrOfType<ScheduleAttr>(kScheduleAttrName);
    next->removeAttr(kScheduleAttrName);
    if (!schedule) {
      next->emitWarning("'")
          << kScheduleAttrName
          << "' is not an #infer.schedule attribute; left untiled";
      continue;
    }
    if (std::optional<std::string> why =
            whyScheduleDoesNotFit(next, schedule)) {
      next->emitWarning("schedule does not fit the op: ")
          << *why << "; left untiled";
      continue;
    }
    Location loc = next->getLoc();
    // Threads, then the register tile, each with the initialization fused;
    // then the rest by script on the tiled op.
    IRRewriter rewriter(ctx);
    linalg::LinalgOp tiled = next;
    LogicalResult applied = success();
    SmallVector<int64_t> ranges = next.getStaticLoopRanges();
    // A thread tile that holds a whole reduction loop is no split of it.
    SmallVector<int64_t> distribute(schedule.getDistribute());
    SmallVector<utils::IteratorType> iterators = next.getIteratorTypesArray();
    for (auto [tile, range, iterator] :
         llvm::zip(distribute, ranges, iterators))
      if (iterator == utils::IteratorType::reduction && tile == range)
        tile = 0;
    SmallVector<linalg::GenericOp> epilogue = epilogues.lookup(next);
    SmallVector<Operation *> replaced;
    // The epilogue follows the op into the loops of each level.
    auto followEpilogue = [&](MutableArrayRef<LoopLikeOpInterface> loops) {
      if (epilogue.empty() || loops.empty())
        return;
      FailureOr<SmallVector<linalg::GenericOp>> fused =
          fuseEpilogue(rewriter, epilogue, loops, replaced);
      if (failed(fused)) {
        LLVM_DEBUG(llvm::dbgs() << "[infer-tile] epilogue not fused\n");
        epilogue.clear();
        return;
      }
      epilogue = *fused;
    };
    SmallVector<LoopLikeOpInterface> loops;
    if (anyNonZero(distribute)) {
      FailureOr<linalg::LinalgOp> result =
          tileAndFuseInits(rewriter, tiled, distribute, {}, true, &loops);
      applied = success(succeeded(result));
      if (succeeded(result)) {
        tiled = *result;
        followEpilogue(loops);
      }
    }
    if (succeeded(applied) && anyNonZero(schedule.getCache())) {
      FailureOr<linalg::LinalgOp> result = tileAndFuseInits(
          rewriter, tiled, schedule.getCache(), {}, false, &loops);
      applied = success(succeeded(result));
      if (succeeded(result)) {
        tiled = *result;
        followEpilogue(loops);
      }
    }
    // The register tile: loops of one step are not made.
    SmallVector<int64_t> vectorTiles(schedule.getVector());
    for (int64_t i = 0, e = vectorTiles.size(); i < e; ++i)
      if (vectorTiles[i] == ranges[i] && distribute[i] == 0)
        vectorTiles[i] = 0;
    if (succeeded(applied) && anyNonZero(vectorTiles)) {
      // Loop order of the register tiles: as the schedule's order, for the
      // loops that are tiled.
      FailureOr<linalg::LinalgOp> result = tileAndFuseInits(
          rewriter, tiled, vectorTiles,
          schedule.getKind() == ScheduleKind::Contraction ||
                  schedule.getKind() == ScheduleKind::Convolution
              ? schedule.getOrder()
              : ArrayRef<int64_t>(),
          false, &loops);
      applied = success(succeeded(result));
      if (succeeded(result)) {
        tiled = *result;
        followEpilogue(loops);
      }
    }
    // Epilogue ops still in use at the top level (not fused at the first
    // level) get their own schedules back and are tiled on their own; the
    // ones that were fused are gone (innermost clones first).
    for (linalg::GenericOp user : epilogues.lookup(next))
      if (!user->use_empty())
        if (ScheduleAttr own = epilogueSchedules.lookup(user))
          user->setAttr(kScheduleAttrName, own);
    epilogues.erase(next);
    for (Operation *op : llvm::reverse(replaced))
      if (op->use_empty())
        rewriter.eraseOp(op);
    if (succeeded(applied)) {
      std::string script = writeScript(tiled, schedule);
      LLVM_DEBUG(llvm::dbgs() << "[infer-tile] " << *tiled << "\n" << script);
      tiled->setAttr(kTargetAttr, UnitAttr::get(ctx));
      // A failing step leaves correct IR; the op then lowers as loops.
      ScopedDiagnosticHandler silence(ctx, [&](Diagnostic &diag) {
        LLVM_DEBUG(llvm::dbgs() << "[infer-tile] " << diag << "\n");
        return success();
      });
      applied = runScript(func, script);
    }
    // Tags go, and so do the schedules that fused producers inherited: they
    // are part of this op's tiles now.
    func->walk([&](Operation *op) {
      op->removeAttr(kTargetAttr);
      if (op->getParentOfType<scf::ForallOp>() ||
          op->getParentOfType<scf::ForOp>())
        op->removeAttr(kScheduleAttrName);
    });
    if (failed(applied)) {
      emitRemark(loc, "infer-tile: a schedule could not be applied (")
          << schedule << "); that op is lowered as loops";
      continue;
    }
    vectorized = true;
  }
  if (!vectorized)
    return success();
  // What was fused into a register tile (a fill, the bias that starts an
  // accumulator) is vectorized there too.
  IRRewriter rewriter(ctx);
  SmallVector<linalg::LinalgOp> small;
  func->walk([&](linalg::LinalgOp op) {
    if (!op->getParentOfType<scf::ForOp>() && !isa<linalg::FillOp>(op))
      return;
    if (op->getNumResults() != 1 || hasBoolOperands(op))
      return;
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (type && type.hasStaticShape() && type.getNumElements() <= 1024 &&
        llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
          return map.isProjectedPermutation(/*allowZeroInResults=*/true);
        }))
      small.push_back(op);
  });
  for (linalg::LinalgOp op : small) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, op);
    if (succeeded(result))
      rewriter.replaceOp(op, result->replacements);
  }
  return runScript(func, kFinishScript);
}

namespace {
struct TilePass final : infer::impl::TilePassBase<TilePass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(applySchedules(getOperation(), epilogues)))
      signalPassFailure();
  }
};
} // namespace
