//===- SelectSchedule.cpp - infer-cpu-select-schedule ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Attaches the analytical model's schedule to each linalg op the CPU code
// generator has a strategy for. Needs linalg on tensors; guarantees ops that
// already carry a schedule keep it (hand-written or tuned). With `report`
// or `record`, every decision is also written out (a remark, or a row of
// the function's `infer.tile_report`) for --tile-report and the profiler.
//
//===----------------------------------------------------------------------===//

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

/// "linalg.matmul 3136x256xf32, 256x64xf32 -> 3136x64xf32": the op and the
/// shapes of its operands.
static std::string describeOp(linalg::LinalgOp op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName().getStringRef();
  auto printType = [&](Type type) {
    if (auto shaped = dyn_cast<ShapedType>(type)) {
      for (int64_t size : shaped.getShape()) {
        if (ShapedType::isDynamic(size))
          os << "?x";
        else
          os << size << "x";
      }
      os << shaped.getElementType();
    } else {
      os << type;
    }
  };
  llvm::interleave(
      op.getDpsInputs(), os, [&](Value v) { printType(v.getType()); }, ", ");
  os << " -> ";
  llvm::interleave(
      op.getDpsInits(), os, [&](Value v) { printType(v.getType()); }, ", ");
  // The op name and the first input are separated by a space.
  size_t nameEnd = op->getName().getStringRef().size();
  text.insert(nameEnd, " ");
  return text;
}

namespace {
struct CPUSelectSchedulePass final
    : infer::impl::CPUSelectSchedulePassBase<CPUSelectSchedulePass> {
  using Base::Base;

  void runOnOperation() override {
    CPUTargetModel target = CPUTargetModel::forCPU(targetCPU, targetFeatures);
    int64_t count = threads > 0 ? int64_t(threads) : target.cores;
    MLIRContext *ctx = &getContext();
    SmallVector<Attribute> rows;
    getOperation().walk([&](linalg::LinalgOp op) {
      // Ops already inside tiled loops were scheduled before.
      if (op->getParentOfType<scf::ForallOp>() ||
          op->getParentOfType<scf::ForOp>())
        return;
      auto schedule = op->getAttrOfType<ScheduleAttr>(kScheduleAttrName);
      if (!schedule) {
        schedule = selectCPUSchedule(op, target, count, minParallelNs);
        if (!schedule)
          return;
        op->setAttr(kScheduleAttrName, schedule);
      }
      if (!report && !record)
        return;
      std::string what = describeOp(op);
      double ms = double(schedule.getEstimateNs()) * 1e-6;
      if (report)
        emitRemark(op->getLoc(), "infer-tile-report: ")
            << what << ": " << schedule << "; estimated "
            << llvm::formatv("{0:F4}", ms).str() << " ms";
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
    });
    if (record && !rows.empty())
      getOperation()->setAttr("infer.tile_report", ArrayAttr::get(ctx, rows));
  }
};
} // namespace
