//===- SelectSchedule.cpp - infer-cpu-select-schedule ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Attaches the analytical model's schedule to each linalg op the CPU code
// generator has a strategy for. Needs linalg on tensors; guarantees ops that
// already carry a schedule keep it (hand-written or tuned).
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Passes.h"
#include "infer/Codegen/Transforms.h"

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

  void runOnOperation() override {
    CPUTargetModel target = CPUTargetModel::forCPU(targetCPU, targetFeatures);
    int64_t count = threads > 0 ? int64_t(threads) : target.cores;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kScheduleAttrName))
        return;
      // Ops already inside tiled loops were scheduled before.
      if (op->getParentOfType<scf::ForallOp>() ||
          op->getParentOfType<scf::ForOp>())
        return;
      if (ScheduleAttr schedule = selectCPUSchedule(op, target, count))
        op->setAttr(kScheduleAttrName, schedule);
    });
  }
};
} // namespace
