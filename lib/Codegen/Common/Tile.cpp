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
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
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
  return "[" + llvm::join(llvm::map_range(values, [](int64_t v) {
                            return std::to_string(v);
                          }),
                          ", ") +
         "]";
}

static std::string anyOps(int n) {
  SmallVector<std::string> types(n, "!transform.any_op");
  return "(" + llvm::join(types, ", ") + ")";
}

static constexpr const char *kAny = "!transform.any_op";

/// Whether `value`'s producer can be fused into the tiles of its consumer.
static bool hasFusibleProducer(Value value) {
  Operation *producer = value.getDefiningOp();
  return producer && isa<linalg::LinalgOp>(producer) &&
         producer->getNumResults() == 1 &&
         isa<TilingInterface>(producer);
}

static bool anyNonZero(ArrayRef<int64_t> tiles) {
  return llvm::any_of(tiles, [](int64_t t) { return t != 0; });
}

/// The generated sequence for one op and its schedule.
static std::string writeScript(linalg::LinalgOp op, ScheduleAttr schedule) {
  ScriptWriter w;
  int64_t loops = op.getNumLoops();
  std::string target =
      w.emit(std::string("transform.structured.match attributes{") +
             kTargetAttr.str() + "} in %root : (" + kAny + ") -> " + kAny);
  std::string init;
  if (op.getNumDpsInits() == 1 &&
      hasFusibleProducer(op.getDpsInitOperand(0)->get()))
    init = w.emit("transform.get_producer_of_operand " + target + "[" +
                  std::to_string(op.getNumDpsInputs()) + "] : (" + kAny +
                  ") -> " + kAny);

  // Threads: scf.forall over the distribution tiles, the initialization
  // fused in so each thread writes its own tile only.
  std::string tiled = target;
  if (anyNonZero(schedule.getDistribute())) {
    std::string forall =
        w.emit("transform.structured.tile_using_forall " + tiled +
                   " tile_sizes " + list(schedule.getDistribute()) + " : (" +
                   kAny + ") -> " + anyOps(2),
               2);
    tiled = forall + "#0";
    if (!init.empty()) {
      std::string fused = w.emit("transform.structured.fuse_into_containing_op " +
                                     init + " into " + forall + "#1 : (" +
                                     kAny + ", " + kAny + ") -> " + anyOps(2),
                                 2);
      init = fused + "#0";
    }
  }

  ArrayRef<int64_t> cache = schedule.getCache();
  ArrayRef<int64_t> vector = schedule.getVector();
  ArrayRef<int64_t> order = schedule.getOrder();
  // Tile sizes equal to the whole extent make single-iteration loops: drop.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> vectorTiles(vector);
  for (int64_t i = 0; i < loops; ++i)
    if (vectorTiles[i] == ranges[i] && schedule.getDistribute()[i] == 0 &&
        cache[i] == 0)
      vectorTiles[i] = 0;
  int vectorLoops = llvm::count_if(vectorTiles, [](int64_t t) { return t; });
  std::string interchange =
      order.empty() ? "" : " interchange " + list(order);

  switch (schedule.getKind()) {
  case ScheduleKind::Contraction:
  case ScheduleKind::Convolution:
  case ScheduleKind::Pooling: {
    if (anyNonZero(cache)) {
      // The accumulator is initialized at the cache tile, row by row, and
      // K is walked in slabs around the register tiles.
      if (!init.empty()) {
        SmallVector<int64_t> rows(
            cast<linalg::LinalgOp>(
                op.getDpsInitOperand(0)->get().getDefiningOp())
                .getNumLoops(),
            1);
        rows.back() = 0;
        w.emit("transform.structured.tile_using_for " + init +
                   " tile_sizes " + list(rows) + " : (" + kAny + ") -> " +
                   anyOps(1 + llvm::count_if(rows, [](int64_t t) { return t; })),
               1 + llvm::count_if(rows, [](int64_t t) { return t; }));
      }
      std::string slab =
          w.emit("transform.structured.tile_using_for " + tiled +
                     " tile_sizes " + list(cache) + " : (" + kAny + ") -> " +
                     anyOps(1 + llvm::count_if(cache, [](int64_t t) {
                              return t;
                            })),
                 1 + llvm::count_if(cache, [](int64_t t) { return t; }));
      tiled = slab + "#0";
      std::string reg = w.emit(
          "transform.structured.tile_using_for " + tiled + " tile_sizes " +
              list(vectorTiles) +
              (order.empty() ? "" : " interchange = " + list(order)) + " : (" +
              kAny + ") -> " + anyOps(1 + vectorLoops),
          1 + vectorLoops);
      tiled = reg + "#0";
    } else {
      // The register tile with its initialization fused in.
      std::string reg = w.emit(
          "transform.structured.fuse " + tiled + " tile_sizes " +
              list(vectorTiles) + interchange + " : (" + kAny + ") -> " +
              anyOps(1 + vectorLoops),
          1 + vectorLoops);
      tiled = reg + "#0";
    }
    ArrayRef<int64_t> reduce = schedule.getReduce();
    if (anyNonZero(reduce)) {
      int n = llvm::count_if(reduce, [](int64_t t) { return t; });
      std::string red = w.emit("transform.structured.tile_using_for " + tiled +
                                   " tile_sizes " + list(reduce) + " : (" +
                                   kAny + ") -> " + anyOps(1 + n),
                               1 + n);
      tiled = red + "#0";
    }
    if (schedule.getKind() != ScheduleKind::Contraction) {
      tiled = w.emit("transform.structured.decompose " + tiled + " : (" +
                     kAny + ") -> " + kAny);
    } else if (!order.empty()) {
      // The unit panel loop first, so it is a droppable leading dimension
      // of the vectors.
      tiled = w.emit("transform.structured.interchange " + tiled +
                     " iterator_interchange = " + list(order) + " : (" + kAny +
                     ") -> " + kAny);
    }
    w.emit("transform.structured.vectorize " + tiled + " : " + kAny, 0);
    break;
  }
  case ScheduleKind::Elementwise:
  case ScheduleKind::Reduction: {
    if (vectorLoops > 0) {
      std::string reg = w.emit("transform.structured.tile_using_for " + tiled +
                                   " tile_sizes " + list(vectorTiles) + " : (" +
                                   kAny + ") -> " + anyOps(1 + vectorLoops),
                               1 + vectorLoops);
      tiled = reg + "#0";
    }
    // The schedule's tiles divide the extents: the vector tile is static.
    w.emit("transform.structured.vectorize " + tiled + " : " + kAny, 0);
    break;
  }
  }
  return w.finish();
}

/// Runs `script` (a transform.sequence) on `root`.
static LogicalResult runScript(Operation *root, StringRef script) {
  MLIRContext *ctx = root->getContext();
  ParserConfig config(ctx);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(script, config);
  if (!module)
    return failure();
  auto sequence = dyn_cast<transform::TransformOpInterface>(
      &module->getBody()->front());
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

LogicalResult mlir::infer::applySchedules(Operation *func) {
  MLIRContext *ctx = func->getContext();
  bool vectorized = false;
  // One op at a time; the schedule is removed first, so the tiled clones
  // (which inherit the op's attributes) are not scheduled again.
  while (true) {
    linalg::LinalgOp next;
    func->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kScheduleAttrName) && !next)
        next = op;
    });
    if (!next)
      break;
    auto schedule = next->getAttrOfType<ScheduleAttr>(kScheduleAttrName);
    next->removeAttr(kScheduleAttrName);
    if (!schedule ||
        schedule.getDistribute().size() != next.getNumLoops()) {
      next->emitWarning("schedule does not fit the op (")
          << next.getNumLoops() << " loops); left untiled";
      continue;
    }
    std::string script = writeScript(next, schedule);
    LLVM_DEBUG(llvm::dbgs() << "[infer-tile] " << *next << "\n" << script);
    next->setAttr(kTargetAttr, UnitAttr::get(ctx));
    // A failing step leaves correct IR; the op then lowers as loops.
    LogicalResult applied = success();
    {
      ScopedDiagnosticHandler silence(ctx, [&](Diagnostic &diag) {
        LLVM_DEBUG(llvm::dbgs() << "[infer-tile] " << diag << "\n");
        return success();
      });
      applied = runScript(func, script);
    }
    func->walk([&](Operation *op) { op->removeAttr(kTargetAttr); });
    if (failed(applied)) {
      func->emitRemark("infer-tile: a schedule could not be applied (")
          << schedule << "); that op is lowered as loops";
      continue;
    }
    vectorized = true;
  }
  if (!vectorized)
    return success();
  // Small fills left at a register tile become vector splats.
  IRRewriter rewriter(ctx);
  SmallVector<linalg::FillOp> fills;
  func->walk([&](linalg::FillOp fill) {
    auto type = dyn_cast<RankedTensorType>(fill.getResult(0).getType());
    if (type && type.hasStaticShape() && type.getNumElements() <= 1024)
      fills.push_back(fill);
  });
  for (linalg::FillOp fill : fills) {
    rewriter.setInsertionPoint(fill);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, fill);
    if (succeeded(result))
      rewriter.replaceOp(fill, result->replacements);
  }
  return runScript(func, kFinishScript);
}

namespace {
struct TilePass final : infer::impl::TilePassBase<TilePass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(applySchedules(getOperation())))
      signalPassFailure();
  }
};
} // namespace
