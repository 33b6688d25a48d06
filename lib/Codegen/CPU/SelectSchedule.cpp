//===- SelectSchedule.cpp - infer-cpu-select-schedule ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Attaches a schedule to each linalg op the CPU code generator has a
// strategy for: the tuning database's (`tuning-db`) for the tasks it has,
// the analytical model's for the others. Needs linalg on tensors;
// guarantees ops that already carry a schedule keep it (hand-written). With
// `report` or `record`, every decision is also written out (a remark, or a
// row of the function's `infer.tile_report`) for --tile-report and the
// profiler.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/CPU/Tuning.h"
#include "infer/Codegen/Passes.h"
#include "infer/Codegen/Transforms.h"

#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "infer-cpu-select-schedule"

namespace mlir::infer {
#define GEN_PASS_DEF_CPUSELECTSCHEDULEPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

namespace {
struct CPUSelectSchedulePass final
    : infer::impl::CPUSelectSchedulePassBase<CPUSelectSchedulePass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    return TuningDatabase::loadOption(ctx, tuningDb, database);
  }

  void runOnOperation() override {
    CPUTargetModel target = CPUTargetModel::forCPU(targetCPU, targetFeatures);
    int64_t count = threads > 0 ? int64_t(threads) : target.cores;
    MLIRContext *ctx = &getContext();
    SmallVector<Attribute> rows;
    struct Line {
      Operation *op;
      std::string what;
      ScheduleAttr schedule;
      double ms;
      std::string tuned;
    };
    SmallVector<Line> pending;
    WalkResult walk = getOperation().walk([&](linalg::LinalgOp op) {
      // Ops already inside tiled loops were scheduled before.
      if (op->getParentOfType<scf::ForallOp>() ||
          op->getParentOfType<scf::ForOp>())
        return WalkResult::advance();
      auto schedule = op->getAttrOfType<ScheduleAttr>(kScheduleAttrName);
      // What --tile-report says about the database, if one is given.
      std::string tuned;
      if (!schedule) {
        ScheduleAttr model =
            selectCPUSchedule(op, target, count, minParallelNs);
        if (!model)
          return WalkResult::advance();
        schedule = model;
        if (database) {
          std::string key = getTuningKey(op, target, count);
          if (const TuningDatabase::Record *entry = database->lookup(key)) {
            if (std::optional<std::string> why =
                    whyScheduleDoesNotFit(op, entry->schedule)) {
              op->emitOpError("stale tuning database '")
                  << database->getPath()
                  << "': the schedule of this task does not fit the op ("
                  << *why << "); tune again with infer-tune";
              return WalkResult::interrupt();
            }
            schedule = entry->schedule;
            tuned = llvm::formatv("tuned: measured {0:F4} ms, model's "
                                  "schedule {1:F4} ms",
                                  entry->tunedMs, entry->modelMs)
                        .str();
          } else {
            tuned = "no entry in the tuning database; model's schedule";
          }
        }
        op->setAttr(kScheduleAttrName, schedule);
      }
      if (!report && !record)
        return WalkResult::advance();
      std::string what = describeLinalgOp(op);
      double ms = double(schedule.getEstimateNs()) * 1e-6;
      if (report)
        pending.push_back({op, what, schedule, ms, tuned});
      if (record) {
        // A location of its own follows the op through tiling and
        // bufferization to the kernel that computes it.
        Builder b(ctx);
        StringAttr tag =
            b.getStringAttr("infer.kernel." + getOperation().getSymName() +
                            "." + llvm::Twine(rows.size()));
        op->setLoc(FusedLoc::get(ctx, {op->getLoc()}, tag));
        rows.push_back(b.getDictionaryAttr({
            b.getNamedAttr("tag", tag),
            b.getNamedAttr("op", b.getStringAttr(what)),
            b.getNamedAttr("kind", b.getStringAttr(stringifyScheduleKind(
                                       schedule.getKind()))),
            b.getNamedAttr("estimate_ns",
                           b.getI64IntegerAttr(schedule.getEstimateNs())),
        }));
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    // Ops that run inside the tiles of another (an epilogue, the fill that
    // starts an accumulator) are part of that op's task, not missing ones.
    DenseSet<Operation *> inTiles;
    if (database && report) {
      for (auto &entry : findScheduleEpilogues(getOperation()))
        for (linalg::GenericOp user : entry.second)
          inTiles.insert(user);
      getOperation().walk([&](linalg::LinalgOp op) {
        if (runsInConsumerTiles(op))
          inTiles.insert(op);
      });
    }
    for (Line &line : pending) {
      InFlightDiagnostic remark =
          emitRemark(line.op->getLoc(), "infer-tile-report: ")
          << line.what << ": " << line.schedule << "; estimated "
          << llvm::formatv("{0:F4}", line.ms).str() << " ms";
      if (inTiles.contains(line.op))
        remark << "; runs in the tiles of the op it feeds (part of that op's "
                  "task)";
      else if (!line.tuned.empty())
        remark << "; " << line.tuned;
    }
    if (record && !rows.empty())
      getOperation()->setAttr("infer.tile_report", ArrayAttr::get(ctx, rows));
  }

private:
  /// Shared by the clones of the pass that run on other functions.
  std::shared_ptr<TuningDatabase> database;
};
} // namespace
